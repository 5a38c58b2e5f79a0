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
#include <stddef.h>
#include <stdio.h>

#include "i18n.h"

/*
 * The colour schemes, in the order of the columns of TUI_COLORS below (ORDER THEMES), chosen with
 * --theme or `:set theme NAME`.   X(THEME, name, what it is for)
 * dark is the terminal's own background with colours that need it dark; light gives up yellow and cyan, which
 * vanish on white, and bold on green, which many terminals brighten; contrast is for a projector at the back of
 * a room: bold everywhere, nothing dim, on a black background it paints itself.
 */
#define TUI_THEMES(X)                                                                   \
    X(DARK,     "dark",     N_("for a dark background (the default)"))                  \
    X(LIGHT,    "light",    N_("for a light background"))                               \
    X(CONTRAST, "contrast", N_("bold on black, nothing dim: a projector"))

enum tui_theme {
#define X(theme, name, help) TUI_THEME_##theme,
    TUI_THEMES(X)
#undef X
    TUI_THEME_COUNT
};

/*
 * The screen's roles and how each theme (TUI_THEMES) draws them.
 *   X(ROLE, without colour, dark, light, contrast)
 * Without colour (NO_COLOR, a terminal with none) a role is only an attribute; the contrast theme then leaves
 * out A_DIM and adds A_BOLD (tui_attr). Each theme's column is (foreground, background, attribute); −1 is the
 * terminal's own colour, so its background stays. Pair n is role n (pair 0 is the default).
 */
#define TUI_COLORS(X)                                                                                            \
    X(NORMAL,    A_NORMAL,             (-1, -1, A_NORMAL),                 (-1, -1, A_NORMAL),                   \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(STATUS,    A_REVERSE,            (COLOR_BLACK, COLOR_CYAN, A_NORMAL), (COLOR_WHITE, COLOR_BLUE, A_NORMAL), \
                                       (COLOR_BLACK, COLOR_WHITE, A_BOLD))                                       \
    X(HINT,      A_NORMAL,             (-1, -1, A_DIM),                    (-1, -1, A_DIM),                      \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(HINT_KEY,  A_BOLD,               (COLOR_CYAN, -1, A_BOLD),           (COLOR_BLUE, -1, A_BOLD),             \
                                       (COLOR_YELLOW, COLOR_BLACK, A_BOLD))                                      \
    X(EDGE,      A_NORMAL,             (-1, -1, A_NORMAL),                 (-1, -1, A_NORMAL),                   \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(EDGE_HOT,  A_BOLD,               (COLOR_YELLOW, -1, A_BOLD),         (COLOR_RED, -1, A_BOLD),              \
                                       (COLOR_YELLOW, COLOR_BLACK, A_BOLD))                                      \
    X(LOCAL,     A_UNDERLINE,          (COLOR_MAGENTA, -1, A_BOLD),        (COLOR_MAGENTA, -1, A_BOLD),          \
                                       (COLOR_MAGENTA, COLOR_BLACK, A_BOLD))                                     \
    X(BOX,       A_NORMAL,             (-1, -1, A_NORMAL),                 (-1, -1, A_NORMAL),                   \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(BOX_PARAM, A_BOLD,               (COLOR_GREEN, -1, A_BOLD),          (COLOR_BLUE, -1, A_BOLD),             \
                                       (COLOR_GREEN, COLOR_BLACK, A_BOLD))                                       \
    X(BOX_INPUT, A_NORMAL,             (COLOR_CYAN, -1, A_NORMAL),         (-1, -1, A_NORMAL),                   \
                                       (COLOR_CYAN, COLOR_BLACK, A_BOLD))                                        \
    X(BOX_LOSS,  A_BOLD,               (COLOR_RED, -1, A_BOLD),            (COLOR_MAGENTA, -1, A_BOLD),          \
                                       (COLOR_RED, COLOR_BLACK, A_BOLD))                                         \
    X(BOX_HOT,   A_BOLD | A_REVERSE,   (COLOR_YELLOW, -1, A_BOLD),         (COLOR_RED, -1, A_BOLD),              \
                                       (COLOR_BLACK, COLOR_YELLOW, A_BOLD))                                      \
    X(TITLE,     A_BOLD,               (-1, -1, A_BOLD),                   (-1, -1, A_BOLD),                     \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(VALUE,     A_NORMAL,             (COLOR_GREEN, -1, A_NORMAL),        (COLOR_BLUE, -1, A_NORMAL),           \
                                       (COLOR_GREEN, COLOR_BLACK, A_BOLD))                                       \
    X(GRAD,      A_UNDERLINE,          (COLOR_MAGENTA, -1, A_NORMAL),      (COLOR_MAGENTA, -1, A_NORMAL),        \
                                       (COLOR_MAGENTA, COLOR_BLACK, A_BOLD))                                     \
    X(UNKNOWN,   A_DIM,                (-1, -1, A_DIM),                    (-1, -1, A_DIM),                      \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(PHASE,     A_BOLD,               (COLOR_YELLOW, -1, A_BOLD),         (COLOR_BLUE, -1, A_BOLD),             \
                                       (COLOR_YELLOW, COLOR_BLACK, A_BOLD))                                      \
    X(FORMULA,   A_BOLD,               (-1, -1, A_BOLD),                   (-1, -1, A_BOLD),                     \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(NARRATION, A_NORMAL,             (-1, -1, A_NORMAL),                 (-1, -1, A_NORMAL),                   \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(PYTORCH,   A_NORMAL,             (COLOR_CYAN, -1, A_NORMAL),         (COLOR_BLUE, -1, A_NORMAL),           \
                                       (COLOR_CYAN, COLOR_BLACK, A_BOLD))                                        \
    X(NOTE,      A_BOLD,               (COLOR_RED, -1, A_BOLD),            (COLOR_RED, -1, A_BOLD),              \
                                       (COLOR_WHITE, COLOR_RED, A_BOLD))                                         \
    X(HEADING,   A_BOLD | A_UNDERLINE, (-1, -1, A_BOLD),                   (-1, -1, A_BOLD),                     \
                                       (COLOR_YELLOW, COLOR_BLACK, A_BOLD | A_UNDERLINE))                        \
    X(SELECTED,  A_REVERSE,            (COLOR_BLACK, COLOR_YELLOW, A_NORMAL), (COLOR_WHITE, COLOR_BLUE, A_NORMAL), \
                                       (COLOR_BLACK, COLOR_YELLOW, A_BOLD))                                      \
    X(PLOT,      A_NORMAL,             (COLOR_GREEN, -1, A_NORMAL),        (COLOR_BLUE, -1, A_NORMAL),           \
                                       (COLOR_GREEN, COLOR_BLACK, A_BOLD))                                       \
    X(AXIS,      A_NORMAL,             (-1, -1, A_DIM),                    (-1, -1, A_DIM),                      \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD))                                       \
    X(INPUT,     A_UNDERLINE,          (-1, -1, A_UNDERLINE),              (-1, -1, A_UNDERLINE),                \
                                       (COLOR_WHITE, COLOR_BLACK, A_BOLD | A_UNDERLINE))

enum tui_role {
#define X(role, mono, dark, light, contrast) TUI_##role,
    TUI_COLORS(X)
#undef X
    TUI_ROLE_COUNT
};

/* What the keyboard gives besides keys. */
enum {
    TUI_KEY_EOF = -2,   /* the end of input */
    TUI_KEY_AGAIN = -3, /* a signal woke wgetch up (or the program came back from a suspend): nothing typed */
    TUI_KEY_BAD = -4,   /* the input cannot go on (a script's bad line) */
    TUI_KEY_UNKNOWN = -5, /* an escape sequence no key of the terminal's: dropped whole */
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
 * come as the shift-arrows. TUI_KEY_AGAIN when a signal interrupted the wait, TUI_KEY_EOF at the end,
 * TUI_KEY_UNKNOWN for an escape sequence ncurses does not know (read whole and dropped). */
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
/* The same text, then how each cell is drawn: a row of letters under the text's rows (a blank for a cell drawn
 * plainly), and a key that says what each letter is ("b  yellow, bold"), letters given in the order they first
 * appear. */
int tui_crt_dump_attrs(FILE *out);

/* The theme called name (len bytes of it), or −1; a theme's name and what it is for (tui.h: tui_theme_parse,
 * tui_theme_list). */
int tui_theme_lookup(const char *name, size_t len);
const char *tui_theme_name(enum tui_theme th);
const char *tui_theme_help(enum tui_theme th);

/* Draw with theme th from now on (before or after tui_crt_start); the next update repaints. */
void tui_crt_theme(enum tui_theme th);
enum tui_theme tui_crt_theme_now(void);

attr_t tui_attr(enum tui_role r);
short tui_pair(enum tui_role r);
/* A cell of role r. The wide-character API takes the colour pair apart from the attributes. */
void tui_cell(cchar_t *cc, wchar_t ch, enum tui_role r);
/* Draw UTF-8 text at (y, x) in at most max cells, clipped by display width; returns the cells used. */
int tui_put(int y, int x, const char *utf8, int max, enum tui_role r);
/* The same, ending in "…" when it does not fit. */
int tui_put_clipped(int y, int x, const char *utf8, int max, enum tui_role r);
/* Draw UTF-8 text wrapped to width cells (text_wrap) in rows y, y + 1, … from column x, at most max rows, the
 * last ending in "…" when more is left; returns the rows the whole text needs (max 0 only counts them). */
int tui_wrap(int y, int x, const char *utf8, int width, int max, enum tui_role r);
/* The same from the text's row skip on (rows before it are not drawn); returns the rows the whole text needs. */
int tui_wrap_from(int y, int x, const char *utf8, int width, int skip, int max, enum tui_role r);
void tui_fill(int y, int x, int n, enum tui_role r);
/* Blank row y from column 0 to the right edge. */
void tui_clear_row(int y);

#endif
