/*
 * tui_cmd.h — what a line typed at the ':' prompt does, once the loop has seen it is not an action's name:
 * the screen's own command (bind), the session's commands and statements, or the answer to a quiz; and
 * what handlers ask for when they are done.
 */
#ifndef BPTUTOR_TUI_CMD_H
#define BPTUTOR_TUI_CMD_H

#include "tui_action.h"
#include "tui_state.h"

/* What a handler asks for, or-ed together. */
enum {
    TUI_NOTHING = 0,
    TUI_REDRAW = 1,
    TUI_CHANGED = 2, /* the walk moved: rebuild the diagram */
    TUI_EXIT = 4,
};

/* A command or a lesson statement, run by the session (or, in the picker, the few that need no lesson). */
int tui_command(tui *t, const char *line);
/* `bind KEY ACTION`, keys written as scripts write them: the key runs the action from now on. */
int tui_bind(tui *t, const char *line);
/* One of the screen's own commands (TUI_COMMANDS): bind, or `sample N|all`, which sample of a batch the
 * boxes show. */
int tui_screen_command(tui *t, enum tui_command_id c, const char *line);
/* `set NAME VALUE` where NAME is one of the screen's settings (TUI_SETTINGS) that the lesson does not use as a
 * name: the setting, or −1 (the line is the session's). */
int tui_setting_line(const tui *t, const char *line);
/* Run such a line: `set theme light` draws in the light theme from now on. */
int tui_set(tui *t, enum tui_setting c, const char *line);
/* Completion for a screen command's argument (sample: all, 1 … N): 1 when line is one, whose candidates
 * went to add, 0 when it is not. */
int tui_command_complete(const tui *t, const char *line, int start, int end,
                         void (*add)(const char *candidate, void *add_ctx), void *add_ctx);
/* `help ACTION`, `help bind` or `help theme`: what it does, in the message line (nothing for another name). */
int tui_help_action(tui *t, const char *name);
int tui_answer(tui *t, const char *line);
/* One line of feedback (printf's way). */
int tui_say(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Keep what a failed command or answer was, to show with its column marked. */
void tui_set_error(tui *t, const char *line, int col, const char *message);
void tui_clear_error(tui *t);

#endif
