/*
 * tui.h — the full-screen tutor: the graph, the step panel, the history, the loss curve, the help screen,
 * and the lesson picker, on ncursesw.
 *
 * The same code runs on a real terminal and headlessly: with a script, keys come from a file (one key, key
 * name or `:` command per line) and the screen is an ncurses screen of the given size on /dev/null, which
 * `:save-display` writes out as text. Everything else (drawing, keys, resize) goes through the same paths.
 *
 * A script, one line at a time (blank lines and lines starting with # are skipped; " #" starts a comment):
 *   ]  q  ?  中        one key: the line's single character
 *   <Right> <Enter>    a key by name: Right Left Up Down S-Right … C-Right … M-Right … Enter Esc Tab Space
 *                      Backspace Del Home End PageUp PageDown lt gt, and <C-x> for a control key
 *   <Resize 40x12>     the terminal becomes 40 columns by 12 rows (a KEY_RESIZE follows, as on a terminal)
 *   :set lr 0.1        typed at the ':' prompt, then Enter
 *   <Type TEXT>        TEXT typed as it stands, without Enter: with the prompt's editing keys (<Left>, <Home>,
 *                      <Del>, <Backspace>, <Tab>, <Up>, <C-r>, <C-w>, <Esc>, <C-c>, <Enter>) this drives line
 *                      editing, completion and history; it also answers a quiz (<Type -4> then <Enter>)
 *   <Dump>             write the screen as it is now to stdout, prompt and all (:save-display can only run
 *                      once the prompt is closed)
 *   <Frame>            nothing, but not a key either: the frame of the keys before it is drawn (a key's frame is
 *                      not drawn while the next item is a key, as on a terminal with keys typed ahead); for timing
 *                      what a drawn frame costs (bench_tutor)
 * A script's lines may be of any length. The prompt's history goes to a file only when XDG_STATE_HOME is set.
 * At the end of the script the tutor quits as if q was pressed. The screen is the same whatever TERM,
 * locale, time zone or HOME say: the terminal type is fixed and the locale is C.UTF-8.
 */
#ifndef BPTUTOR_TUI_H
#define BPTUTOR_TUI_H

#include "catalog.h"
#include "lesson.h"

typedef struct tui_options {
    const char *script;      /* a script of keys to replay headlessly, or NULL for the terminal */
    int cols, rows;          /* the headless screen's size (80×24 when 0) */
    int classroom;           /* start in classroom mode: each step's result waits for a key */
    int no_quiz;             /* walk past the lessons' quizzes without asking them */
    int theme;               /* the colour scheme (enum tui_theme: tui_theme_parse) */
    catalog_langs langs;     /* the languages :load looks lessons up in */
} tui_options;

/* Lessons the picker offers: what to show and where each lives. */
typedef struct tui_choice {
    const char *name;  /* "01-one-weight" */
    const char *title; /* or NULL */
    const char *path;
} tui_choice;

/*
 * Run the tutor on the lesson at path (name is what the status line calls it), or, when path is NULL, start
 * with the picker over choices[0..n). Returns the exit status: 0; 1 when the terminal or memory failed; 2 for
 * a bad script, or for a lesson at path that does not load (its error in gcc's form on stderr, as --check
 * gives it). The locale is the user's (C.UTF-8 for a script) with numbers always in the C locale.
 */
int tui_run(const tui_options *opt, const char *path, const char *name, const tui_choice *choices, int n);

/* "COLSxROWS" (or "COLSXROWS"), each from 1 to 1000, as --size and a script's <Resize> write it: 0 with the
 * numbers, or −1 (a number too large for an int is an error, not wrapped to something else). */
int tui_parse_size(const char *text, int *cols, int *rows);

/* The colour scheme called name: dark, light or contrast (a projector); −1 for none. */
int tui_theme_parse(const char *name);
/* The schemes' names, "dark, light or contrast", for a message. */
const char *tui_theme_list(void);

/* Can the tutor run here? 0 when stdin and stdout are terminals and TERM names one that can address the
 * cursor; otherwise −1 and a reason for the one-line notice. */
int tui_usable(const char **why);

#endif
