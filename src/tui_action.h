/*
 * tui_action.h — what the tutor's keys do, as named actions (tig's requests): each declared once, with
 * its name, its group on the help screen, its word on the bottom line and its help text. Which key runs
 * which action is the keymap's business (tui_keymap.h), so a key can be rebound (`:bind x next-phase`)
 * and any action can be run by name at the prompt (`:next-phase`).
 *
 * Names never shadow the session's commands or the lesson's statements, which share the ':' prompt:
 * `t` trains the lesson's epochs and `:train N` trains N, so the action is train-all; `r` is start-over
 * (it also puts the pan back); `?` is toggle-help, since `:help` lists the commands. quit is the one name
 * both have, and both quit. A unit test holds the names to this.
 *
 * No curses here: the table is read by the dispatcher, the bottom line, the help screen, completion,
 * `:help` and the test that checks the manual page.
 */
#ifndef BPTUTOR_TUI_ACTION_H
#define BPTUTOR_TUI_ACTION_H

#include <stddef.h>

#include "i18n.h"

/* The help screen's groups, in the order it shows them.   X(GROUP, title) */
#define TUI_GROUPS(X)                           \
    X(EPOCH, N_("Moving through the epoch"))    \
    X(VIEWS, N_("Views"))                       \
    X(GRAPH, N_("The graph"))                   \
    X(PAN,   N_("Panning and scrolling"))       \
    X(QUIZ,  N_("Quiz and classroom"))          \
    X(OTHER, N_("Other"))

enum tui_group {
#define X(g, title) TUI_GROUP_##g,
    TUI_GROUPS(X)
#undef X
    TUI_GROUP_COUNT
};

/* X(ACTION, name, group, hint, help): hint is the action's word on the bottom line (NULL: not there); the
 * bottom line shows the hints in this order, and each group lists its rows in this order. A hint is translated
 * in the context "key bar" (NC_): there a word stands for its key's action ("epoch": finish it), not the thing. */
#define TUI_ACTIONS(X)                                                                                               \
    X(NEXT,             "next",             EPOCH, NC_("key bar", "next"),  N_("next step"))                         \
    X(PREVIOUS,         "previous",         EPOCH, NC_("key bar", "back"),  N_("previous step"))                     \
    X(NEXT_PHASE,       "next-phase",       EPOCH, NC_("key bar", "phase"), N_("next phase"))                        \
    X(PREVIOUS_PHASE,   "previous-phase",   EPOCH, NULL,                    N_("previous phase"))                    \
    X(FIRST_STEP,       "first-step",       EPOCH, NULL,                    N_("first step of the epoch"))           \
    X(LAST_STEP,        "last-step",        EPOCH, NULL,                    N_("last step of the epoch"))            \
    X(FINISH_EPOCH,     "finish-epoch",     EPOCH, NC_("key bar", "epoch"), N_("finish the epoch"))                  \
    X(TRAIN_ALL,        "train-all",        EPOCH, NC_("key bar", "train"), N_("train all the epochs"))              \
    X(START_OVER,       "start-over",       EPOCH, NULL,                    N_("start over from epoch 1"))           \
    X(NEXT_VIEW,        "next-view",        VIEWS, NC_("key bar", "views"), N_("next view, network too"))            \
    X(VIEW_GRAPH,       "view-graph",       VIEWS, NULL,                    N_("graph; again: network"))             \
    X(VIEW_HISTORY,     "view-history",     VIEWS, NULL,                    N_("the epoch history"))                 \
    X(VIEW_PLOT,        "view-plot",        VIEWS, NULL,                    N_("the loss curve"))                    \
    X(VIEW_HELP,        "view-help",        VIEWS, NULL,                    N_("this help"))                         \
    X(LOG_SCALE,        "log-scale",        VIEWS, NULL,                    N_("loss curve: log/linear"))            \
    X(TOGGLE_HELP,      "toggle-help",      VIEWS, NC_("key bar", "help"),  N_("show or leave this help"))           \
    X(CLOSE_VIEW,       "close-view",       VIEWS, NULL,                    N_("back to the graph"))                 \
    X(ZOOM,             "zoom",             GRAPH, NC_("key bar", "zoom"),  N_("overview, detail, full"))            \
    X(NEXT_SAMPLE,      "next-sample",      GRAPH, NULL,                    N_("next sample (then all)"))            \
    X(PREVIOUS_SAMPLE,  "previous-sample",  GRAPH, NULL,                    N_("previous sample"))                   \
    X(PAN_LEFT,         "pan-left",         PAN,   NULL,                    N_("pan left (C-\u2190 M-\u2190 too)"))  \
    X(PAN_DOWN,         "pan-down",         PAN,   NULL,                    N_("pan down (C-\u2193 M-\u2193 too)"))  \
    X(PAN_UP,           "pan-up",           PAN,   NULL,                    N_("pan up (C-\u2191 M-\u2191 too)"))    \
    X(PAN_RIGHT,        "pan-right",        PAN,   NULL,                    N_("pan right (C-\u2192 M-\u2192 too)")) \
    X(SCROLL_UP,        "scroll-up",        PAN,   NULL,                    N_("choose / scroll up"))                \
    X(SCROLL_DOWN,      "scroll-down",      PAN,   NULL,                    N_("choose / scroll down"))              \
    X(PAGE_UP,          "page-up",          PAN,   NULL,                    N_("scroll up a page"))                  \
    X(PAGE_DOWN,        "page-down",        PAN,   NULL,                    N_("scroll down a page"))                \
    X(ANSWER_QUIZ,      "answer-quiz",      QUIZ,  NULL,                    N_("answer the waiting quiz"))           \
    X(TOGGLE_CLASSROOM, "toggle-classroom", QUIZ,  NULL,                    N_("classroom mode on/off"))             \
    X(TOGGLE_NOTES,     "toggle-notes",     QUIZ,  NULL,                    N_("teacher's notes (a page)"))          \
    X(OPEN_LESSON,      "open-lesson",      OTHER, NULL,                    N_("open the chosen lesson"))            \
    X(PROMPT,           "prompt",           OTHER, NULL,                    N_("type a command"))                    \
    X(REDRAW,           "redraw",           OTHER, NULL,                    N_("redraw the screen"))                 \
    X(SUSPEND,          "suspend",          OTHER, NULL,                    N_("suspend (fg resumes)"))              \
    X(QUIT,             "quit",             OTHER, NC_("key bar", "quit"),  N_("quit"))

enum tui_action {
#define X(a, name, group, hint, help) TUI_ACT_##a,
    TUI_ACTIONS(X)
#undef X
    TUI_ACTION_COUNT
};

/* The keys of a quiz's answer line, which come before readline's while the line is open (every other key types
 * or edits the answer, Space and → included, so that nothing typed there moves the walkthrough). The bar under
 * the line names them in this order, after what to type, with their bar words; the help screen and the manual
 * list them under Quiz and classroom with their help.   X(ENUM, key, bar, help) */
#define TUI_ANSWER_KEYS(X)                                                   \
    X(CHECK, '\r', N_("checks"),           N_("answer line: check it"))     \
    X(SHOW,  '\t', N_("shows the answer"), N_("answer line: show answer"))  \
    X(LEAVE, 27,   N_("leaves"),           N_("answer line: leave it"))
#define TUI_ANSWER_WHAT N_("a number or an expression")

enum tui_answer_key {
#define X(e, key, bar, help) TUI_ANSWER_##e,
    TUI_ANSWER_KEYS(X)
#undef X
    TUI_ANSWER_KEY_COUNT
};


/* The screen's own settings, which `:set NAME VALUE` changes beside the session's (lr, epochs, …), unless the
 * lesson has a name of the same spelling: that is the lesson's.   X(ENUM, name, help) */
#define TUI_SETTINGS(X)                                                     \
    X(THEME, "theme", N_("the screen's colours"))

enum tui_setting {
#define X(e, name, help) TUI_SET_##e,
    TUI_SETTINGS(X)
#undef X
    TUI_SETTING_COUNT
};

/* The screen's own commands at the ':' prompt, beside the session's.   X(ENUM, name, arguments, help) */
#define TUI_COMMANDS(X)                                                                                \
    X(BIND,   "bind",   "KEY ACTION", N_("give KEY to ACTION until you quit"))                            \
    X(SAMPLE, "sample", "N|all",      N_("sample N of a batch in the boxes, or all"))

enum tui_command_id {
#define X(e, name, args, help) TUI_CMD_##e,
    TUI_COMMANDS(X)
#undef X
    TUI_COMMAND_COUNT
};

const char *tui_action_name(enum tui_action a);
enum tui_group tui_action_group(enum tui_action a);
const char *tui_action_hint(enum tui_action a);
const char *tui_action_help(enum tui_action a);
const char *tui_group_title(enum tui_group g);
/* The action called name (len bytes of it), or −1. */
int tui_action_lookup(const char *name, size_t len);

/* The answer line's key k: its key code, its words on the bar ("checks") and on the help ("check the answer
 * typed"). The one row for key, or −1. */
int tui_answer_key(enum tui_answer_key k);
const char *tui_answer_bar(enum tui_answer_key k);
const char *tui_answer_help(enum tui_answer_key k);
int tui_answer_lookup(int key);

const char *tui_setting_name(enum tui_setting c);
const char *tui_setting_help(enum tui_setting c);
int tui_setting_lookup(const char *name, size_t len);
/* The values a screen setting takes, as the help writes them: "dark|light|contrast". */
const char *tui_setting_args(enum tui_setting c);

const char *tui_command_name(enum tui_command_id c);
const char *tui_command_args(enum tui_command_id c);
const char *tui_command_help(enum tui_command_id c);
int tui_command_lookup(const char *name, size_t len);

#endif
