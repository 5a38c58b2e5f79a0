/*
 * tui_crt.h — the terminal layer, htop's CRT.c for the tutor: the screen's life (start, stop, suspend,
 * the terminal restored on every way out), colours named by role, the drawing primitives, the keyboard,
 * and the screen as text.
 *
 * It knows nothing of lessons, walks or views: the views draw through it and the loop reads keys from it.
 * Nothing here calls up into the rest of the tui. Only the tui's files and prompt.c include curses.
 */
#ifndef BPTUTOR_TUI_CRT_H
#define BPTUTOR_TUI_CRT_H

#include <curses.h>
#include <stdio.h>

/* X(ROLE, foreground, background, extra attribute in colour, attribute without colour)
 * −1 is the terminal's own colour, so its background stays. Pair n is role n (pair 0 is the default). */
#define TUI_COLORS(X)                                                                     \
    X(NORMAL,     -1,            -1, A_NORMAL, A_NORMAL)                                  \
    X(STATUS,     COLOR_BLACK,   COLOR_CYAN, A_NORMAL, A_REVERSE)                         \
    X(HINT,       -1,            -1, A_DIM,    A_NORMAL)                                  \
    X(HINT_KEY,   COLOR_CYAN,    -1, A_BOLD,   A_BOLD)                                    \
    X(EDGE,       -1,            -1, A_NORMAL, A_NORMAL)                                  \
    X(EDGE_HOT,   COLOR_YELLOW,  -1, A_BOLD,   A_BOLD)                                    \
    X(LOCAL,      COLOR_MAGENTA, -1, A_BOLD,   A_UNDERLINE)                               \
    X(BOX,        -1,            -1, A_NORMAL, A_NORMAL)                                  \
    X(BOX_PARAM,  COLOR_GREEN,   -1, A_BOLD,   A_BOLD)                                    \
    X(BOX_INPUT,  COLOR_CYAN,    -1, A_NORMAL, A_NORMAL)                                  \
    X(BOX_LOSS,   COLOR_RED,     -1, A_BOLD,   A_BOLD)                                    \
    X(BOX_HOT,    COLOR_YELLOW,  -1, A_BOLD,   A_BOLD | A_REVERSE)                        \
    X(TITLE,      -1,            -1, A_BOLD,   A_BOLD)                                    \
    X(VALUE,      COLOR_GREEN,   -1, A_NORMAL, A_NORMAL)                                  \
    X(GRAD,       COLOR_MAGENTA, -1, A_NORMAL, A_UNDERLINE)                               \
    X(UNKNOWN,    -1,            -1, A_DIM,    A_DIM)                                     \
    X(PHASE,      COLOR_YELLOW,  -1, A_BOLD,   A_BOLD)                                    \
    X(FORMULA,    -1,            -1, A_BOLD,   A_BOLD)                                    \
    X(NARRATION,  -1,            -1, A_NORMAL, A_NORMAL)                                  \
    X(PYTORCH,    COLOR_CYAN,    -1, A_NORMAL, A_NORMAL)                                  \
    X(NOTE,       COLOR_RED,     -1, A_BOLD,   A_BOLD)                                    \
    X(HEADING,    -1,            -1, A_BOLD,   A_BOLD | A_UNDERLINE)                      \
    X(SELECTED,   COLOR_BLACK,   COLOR_YELLOW, A_NORMAL, A_REVERSE)                       \
    X(PLOT,       COLOR_GREEN,   -1, A_NORMAL, A_NORMAL)                                  \
    X(AXIS,       -1,            -1, A_DIM,    A_NORMAL)

enum tui_role {
#define X(role, fg, bg, attr, mono) TUI_##role,
    TUI_COLORS(X)
#undef X
    TUI_ROLE_COUNT
};

/* What the keyboard gives besides keys. */
enum {
    TUI_KEY_EOF = -2,   /* the end of input */
    TUI_KEY_AGAIN = -3, /* a signal woke wgetch up (or the program came back from a suspend): nothing typed */
    TUI_KEY_BAD = -4,   /* the input cannot go on (a script's bad line) */
};
#define TUI_KEY_CTRL(c) ((c) & 0x1f)

/* Set the locale the screen runs in: the user's, or C.UTF-8 when that is not UTF-8; headless, C.UTF-8
 * always, so a replay is the same everywhere. Numbers are read and written in the C locale either way (a
 * decimal comma would make "0.01" unreadable). */
void tui_crt_locale(int headless);

/* Start the screen: the terminal, or headless a cols×rows screen on /dev/null with a fixed terminal type.
 * Installs the handlers that restore the terminal. 0, or −1. */
int tui_crt_start(int headless, int cols, int rows);
void tui_crt_stop(void);
void tui_crt_size(int *rows, int *cols);
/* Headless: the terminal becomes cols×rows (the caller then handles it as KEY_RESIZE). */
void tui_crt_resize(int cols, int rows);

/* The next key from the terminal: blocks until one comes (no timeout: idle is idle). Ctrl- and Alt-arrows
 * come as the shift-arrows. TUI_KEY_AGAIN when a signal interrupted the wait, TUI_KEY_EOF at the end. */
int tui_crt_key(void);
/* The next key if one was typed, without waiting: TUI_KEY_AGAIN when there is none. */
int tui_crt_poll(void);
/* Are keys already waiting to be read (typed ahead, or a paste arriving)? */
int tui_crt_waiting(void);
/* Has the program come back from a suspend since the last call? */
int tui_crt_resumed(void);
/* Stop as Ctrl-Z would, the terminal restored first; the screen comes back on fg. */
void tui_crt_suspend(void);
/* The next update repaints every cell. */
void tui_crt_repaint(void);
/* Put what was drawn on the terminal, with the cursor shown or not. */
void tui_crt_update(int cursor);

/* Write the screen as text: each row of what the terminal shows, trailing blanks trimmed. */
int tui_crt_dump(FILE *out);

attr_t tui_attr(enum tui_role r);
short tui_pair(enum tui_role r);
/* A cell of role r. The wide-character API takes the colour pair apart from the attributes. */
void tui_cell(cchar_t *cc, wchar_t ch, enum tui_role r);
/* Draw UTF-8 text at (y, x) in at most max cells, clipped by display width; returns the cells used. */
int tui_put(int y, int x, const char *utf8, int max, enum tui_role r);
/* The same, ending in "…" when it does not fit. */
int tui_put_clipped(int y, int x, const char *utf8, int max, enum tui_role r);
void tui_fill(int y, int x, int n, enum tui_role r);
/* Blank row y from column 0 to the right edge. */
void tui_clear_row(int y);

#endif
