/*
 * tui_int.h — what the tui's files share: the state, the key table, the colour table and the commands.
 * Only tui*.c include this (and curses).
 */
#ifndef BPTUTOR_TUI_INT_H
#define BPTUTOR_TUI_INT_H

#include <curses.h>
#include <stdio.h>

#include "layout.h"
#include "prompt.h"
#include "session.h"
#include "tui.h"
#include "walk.h"

enum { TUI_MIN_COLS = 60, TUI_MIN_ROWS = 16 };

/* ---------------------------------------------------------------- colours
 * X(ROLE, foreground, background, extra attribute in colour, attribute without colour)
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

/* ---------------------------------------------------------------- keys
 * X(ACTION, hint, help, keys...): hint is the word on the bottom line (NULL: not there); the keys follow.
 * The dispatcher, the bottom line and the help screen are all generated from this table. */
#define TUI_KEY_CTRL(c) ((c) & 0x1f)
#define TUI_KEYS(X)                                                                                        \
    X(NEXT,       "next",  "next step",                                KEY_RIGHT, 'l', ' ', 'n')           \
    X(PREV,       "back",  "previous step",                            KEY_LEFT, 'h', 'b', 'p')            \
    X(NEXT_PHASE, "phase", "next phase",                               ']')                                \
    X(PREV_PHASE, NULL,    "previous phase", '[')                               \
    X(FINISH,     "epoch", "finish the epoch",                         'e')                                \
    X(TRAIN,      "train", "train all the epochs", 't')                               \
    X(RESET,      NULL,    "start over from epoch 1",     'r')                                \
    X(FIRST,      NULL,    "first step of the epoch",                  'g', KEY_HOME)                      \
    X(LAST,       NULL,    "last step of the epoch",                   'G', KEY_END)                       \
    X(VIEW_CYCLE, "views", "next view",                                '\t')                               \
    X(VIEW,       NULL,    "graph/history/plot/help",  '1', '2', '3', '4')                 \
    X(PAN,        NULL,    "pan (also C-/M-arrows)",                            'H', 'J', 'K', 'L', KEY_SLEFT, KEY_SF, \
                                                                       KEY_SR, KEY_SRIGHT)                 \
    X(UP,         NULL,    "choose / scroll up",               KEY_UP, 'k', KEY_PPAGE)             \
    X(DOWN,       NULL,    "choose / scroll down",             KEY_DOWN, 'j', KEY_NPAGE)           \
    X(OPEN,       NULL,    "open the chosen lesson",                   '\r', '\n', KEY_ENTER)              \
    X(HELP,       "help",  "this help",                                '?')                                \
    X(BACK,       NULL,    "back to the graph",                        27)                                 \
    X(COMMAND,    NULL,    "type a command", ':')                        \
    X(ANSWER,     NULL,    "answer the waiting quiz",                  'a')                                \
    X(CLASSROOM,  NULL,    "classroom mode on/off",                  'c')                                \
    X(NOTES,      NULL,    "teacher notes on/off",                    'T')                                \
    X(REDRAW,     NULL,    "redraw the screen",                        TUI_KEY_CTRL('l'))                  \
    X(SUSPEND,    NULL,    "suspend (fg resumes)",                     TUI_KEY_CTRL('z'))                  \
    X(QUIT,       "quit",  "quit",                                     'q', TUI_KEY_CTRL('c'))

enum tui_action {
#define X(a, hint, help, ...) TUI_ACT_##a,
    TUI_KEYS(X)
#undef X
    TUI_ACTION_COUNT
};

/* What a key handler asks for. */
enum {
    TUI_NOTHING = 0,
    TUI_REDRAW = 1,
    TUI_CHANGED = 2, /* the walk moved: rebuild the diagram */
    TUI_EXIT = 4,
};

/* The commands typed at the ':' prompt are the session's (SESSION_COMMANDS in session.h, and the lesson's
 * statements): declared there once, for the dispatcher, :help, the help screen and completion. */

/* TEXT shows a command's longer answer (:help, :check); like the picker it is outside the Tab cycle. */
enum tui_view { TUI_VIEW_GRAPH, TUI_VIEW_HISTORY, TUI_VIEW_PLOT, TUI_VIEW_HELP, TUI_VIEW_COUNT, TUI_VIEW_PICKER,
                TUI_VIEW_TEXT };

/* What the ':' prompt is asking for. */
enum tui_ask { TUI_ASK_NONE, TUI_ASK_COMMAND, TUI_ASK_QUIZ };

typedef struct tui {
    const tui_options *opt;
    session *s;              /* the lesson, its walk and its quizzes; NULL in the picker */
    lesson *l;               /* session_lesson(s) and session_walk(s), kept at hand for the views */
    walk *w;
    char name[256];          /* what the status line calls the lesson */
    layout_view *diagram;    /* the diagram of the walk's present state, placed once per graph */
    layout_canvas *canvas;   /* the part of it around the pan window */
    enum tui_view view, before_help;
    int pan_x, pan_y, follow;
    int scroll;              /* history and help */
    const tui_choice *choices;
    int n_choices, chosen;
    int rows, cols;
    int colour;
    char message[512];       /* one line of feedback, cleared by the next key */
    enum tui_ask prompting;  /* the ':' line is open (readline has it: prompt.h) */
    int dirty;               /* while typing, more than the line changed (completion's list): redraw all */
    char *err_line;          /* a command or answer that failed, shown above the message with err_col marked */
    int err_col;             /* 1-based column in err_line, 0 for none */
    char *text;              /* TEXT view: a command's longer answer, and what it was */
    char text_title[64];
    /* quizzes and classroom mode */
    int quizzes;             /* ask the lesson's quizzes (not --no-quiz) */
    int classroom, revealed; /* classroom mode; the current step's result has been shown */
    int notes;               /* the teacher's notes are shown */
    /* the script */
    FILE *script;
    int script_line;
    int *queue, q_head, q_len, q_cap;
    int status;              /* exit status */
} tui;

/* tui.c */
attr_t tui_attr(const tui *t, enum tui_role r);
void tui_cell(const tui *t, cchar_t *cc, wchar_t ch, enum tui_role r);
/* Draw UTF-8 text at (y, x) in at most max cells, clipped by display width; returns the cells used. */
int tui_put(const tui *t, int y, int x, const char *utf8, int max, enum tui_role r);
/* The same, ending in "…" when it does not fit. */
int tui_put_clipped(const tui *t, int y, int x, const char *utf8, int max, enum tui_role r);
void tui_fill(const tui *t, int y, int x, int n, enum tui_role r);
const char *tui_key_label(int key, char *buf, size_t n);
extern const char *const tui_action_help[TUI_ACTION_COUNT];
extern const int *const tui_action_keys[TUI_ACTION_COUNT];
int tui_graph_height(const tui *t);
/* Is the current step's result held back (a quiz waits for it, or a class has not seen it yet)? */
int tui_hiding(const tui *t);
void tui_draw(const tui *t);

/* tui_view.c: each reads the state and draws */
void tui_draw_graph(const tui *t, int top, int height);
void tui_draw_panel(const tui *t, int top, int height);
int tui_panel_lines(const tui *t);
void tui_draw_history(const tui *t, int top, int height);
void tui_draw_plot(const tui *t, int top, int height);
void tui_draw_help(const tui *t, int top, int height);
/* How far the history or help can scroll at this size. */
int tui_scroll_max(const tui *t);
void tui_draw_picker(const tui *t, int top, int height);
void tui_draw_text(const tui *t, int top, int height);

/* tui_cmd.c: the ':' line and the quiz's answers, through the session */
int tui_command(tui *t, const char *line);
int tui_answer(tui *t, const char *line);
/* Keep what a failed command or answer was, to show with its column marked. */
void tui_set_error(tui *t, const char *line, int col, const char *message);
void tui_clear_error(tui *t);
/* Write the screen as text: each row of what the terminal shows, trailing blanks trimmed. */
int tui_save_display(FILE *out);

#endif
