/*
 * prompt.h — the ':' line: GNU readline's callback interface, drawn in one row of the curses screen.
 *
 * Readline never reads the terminal and never writes to it. The tui hands it keys one at a time from its
 * single input path (so a replayed script edits exactly as a learner's fingers do); each ncurses key code is
 * turned back into the bytes readline binds, and readline's redisplay draws the line in the row the tui
 * gives it. Line editing, history (kept in a file across runs), Ctrl-R search and Tab completion are
 * readline's own. Esc and Ctrl-C cancel the line; the program goes on.
 *
 * Only this file and tui*.c include curses; only this file includes readline.
 */
#ifndef BPTUTOR_PROMPT_H
#define BPTUTOR_PROMPT_H

#include <curses.h>
#include <stddef.h>

typedef struct prompt_hooks {
    /* The next key from the tui's input path, for the rare moment readline needs one more byte within a
     * key; negative at the end of input. May be NULL. */
    int (*next_key)(void *ctx);
    /* The line changed: draw it (prompt_draw) and update the screen. */
    void (*redisplay)(void *ctx);
    /* Completion candidates for the word line[start..end): add(candidate, add_ctx) for each. */
    void (*complete)(void *ctx, const char *line, int start, int end,
                     void (*add)(const char *candidate, void *add_ctx), void *add_ctx);
    /* More than one candidate: show them (one line, words separated by spaces). */
    void (*matches)(void *ctx, const char *list);
    void *ctx;
} prompt_hooks;

/* A line holds at most PROMPT_LINE_MAX bytes (a lesson's line, 4096, is far less): what a paste brings past
 * it is dropped, and prompt_full() says so. */
enum { PROMPT_HISTORY_MAX = 1000, PROMPT_LINE_MAX = 65536 };

/* Where the history lives: $XDG_STATE_HOME/bptutor/history, else ~/.local/state/bptutor/history. A script
 * keeps its replay deterministic: it uses a history file only when XDG_STATE_HOME is set. 0, or −1 for
 * none. */
int prompt_history_path(int scripted, char *buf, size_t n);

/* Set readline up (once), and read the history from history_path (NULL: no file; a file that cannot be
 * read is an empty history). A history_path that is there but is not a regular file (a FIFO would block
 * every read and write of it) is not used: then −1, and the history lasts only as long as the program.
 * Both wait for the first prompt_open (or prompt_remember): the first frame needs neither. */
int prompt_init(const prompt_hooks *hooks, const char *history_path);
/* Remove readline's handler and write the history. Safe to call twice and from atexit. */
void prompt_done(void);

/* Start a line with the prompt text (UTF-8, e.g. ":"). */
void prompt_open(const char *text);
/* Drop the line being typed. */
void prompt_cancel(void);

enum prompt_status {
    PROMPT_EDITING,   /* still typing */
    PROMPT_ACCEPTED,  /* Enter: prompt_line() has the line, the prompt is closed */
    PROMPT_CANCELLED, /* Esc, Ctrl-C or the end of input: the prompt is closed */
};
/* One key (an ncurses key code or a byte) for the open line. */
enum prompt_status prompt_feed(int key);
/* Were keys dropped because the line was full, since the last call? */
int prompt_full(void);
/* The line accepted last (valid until the next prompt_open), "" when none. */
const char *prompt_line(void);
/* Keep a line in the history (not a repeat of the last one) and write the history file. */
void prompt_remember(const char *line);

/* Draw the prompt and its line in row y from column x, in width cells: the whole line when it fits, else
 * a window around the cursor with … where it is cut, in attr and colour pair. Returns the cursor's column. */
int prompt_draw(int y, int x, int width, attr_t attr, short pair);

#endif
