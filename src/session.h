/*
 * session.h — one open lesson and everything done to it at the ':' prompt.
 *
 * A session holds the lesson as the script of statements it was read from, the lesson built from that
 * script, the walkthrough on it and its quizzes. A statement typed at the prompt (`let z = tanh(w*x)`,
 * `loss L = (z - y)^2`) edits the script — it replaces the line that defined the same name, or the loss, or
 * is added at the end — and the lesson is built again from it; if that fails, nothing changes and the error
 * says where. The other commands move the walkthrough, change numbers, check gradients, export, load.
 *
 * The commands are declared once, below; the prompt's help and completion come from the same table (and
 * from the lesson's statement table, LESSON_STATEMENTS). No curses, no readline: the screen asks and shows.
 */
#ifndef BPTUTOR_SESSION_H
#define BPTUTOR_SESSION_H

#include <stddef.h>

#include "catalog.h"
#include "lesson.h"
#include "quiz.h"
#include "walk.h"

/*
 * What a command's argument is: Tab completion offers what fits there, so it is generated from this column.
 * A statement's argument is told by its own row in LESSON_STATEMENTS ("PHASE TEXT", "SETTING VALUE", "NAME = …").
 */
enum session_arg {
    SESSION_ARG_NONE,    /* no argument */
    SESSION_ARG_NUMBER,  /* a number: nothing to offer */
    SESSION_ARG_FILE,    /* a file name: nothing to offer */
    SESSION_ARG_CHOICE,  /* one of the lower-case words the arguments column lists first: on|off, dot */
    SESSION_ARG_PHASE,   /* a phase, from LESSON_PHASES */
    SESSION_ARG_LESSON,  /* a lesson of the catalogue */
    SESSION_ARG_SETTING, /* a setting (LESSON_SETTINGS) or a parameter or input; then a setting's choices */
    SESSION_ARG_COMMAND, /* a command or a statement */
    SESSION_ARG_NAMES,   /* the lesson's names, and the functions once a formula has begun */
};

/* X(ENUM, name, arguments, argument, help); help is marked for the catalogue (N_) and translated where shown */
#define SESSION_COMMANDS(X)                                                                                     \
    X(SET,          "set",          "NAME VALUE", SETTING, N_("lr, epochs, precision, a parameter, an input"))      \
    X(STEP,         "step",         "N",          NUMBER,  N_("go to step N of this epoch"))                        \
    X(PHASE,        "phase",        "NAME",       PHASE,   N_("intro, forward, local, chain, update, epoch"))       \
    X(TRAIN,        "train",        "N",          NUMBER,  N_("train N whole epochs"))                              \
    X(RESET,        "reset",        "",           NONE,    N_("epoch 1 and the lesson's starting numbers"))         \
    X(ZEROGRAD,     "zerograd",     "on|off",     CHOICE,  N_("off: gradients pile up, no zero_grad()"))            \
    X(LOAD,         "load",         "LESSON",     LESSON,  N_("open a lesson: a number, a slug or a path"))         \
    X(CHECK,        "check",        "",           NONE,    N_("numeric gradients beside backprop's"))               \
    X(EXPORT,       "export",       "dot|python FILE", CHOICE,  N_("the graph as DOT, or the model as PyTorch"))    \
    X(SAVE_DISPLAY, "save-display", "[FILE]",     FILE,    N_("the screen as text (a script: to stdout)"))          \
    X(HELP,         "help",         "[COMMAND]",  COMMAND, N_("list the commands, or explain one"))                 \
    X(QUIT,         "quit",         "",           NONE,    N_("leave the tutor"))

enum session_command {
#define X(e, name, args, arg, help) SESSION_CMD_##e,
    SESSION_COMMANDS(X)
#undef X
    SESSION_COMMAND_COUNT
};

/* What a command did, for the screen. */
enum {
    SESSION_MOVED = 1,   /* the walkthrough or its numbers changed: redraw */
    SESSION_REBUILT = 2, /* a new graph (or a new lesson): lay it out again */
    SESSION_QUIT = 4,
    SESSION_SAVE = 8,    /* save the screen to arg ("" = stdout) */
    SESSION_TEXT = 16,   /* text holds a longer answer (help, check) to show */
    SESSION_REPLACE = 32, /* with SAVE: `save-display!`, an existing file may be replaced */
};

typedef struct session_result {
    int flags;
    int error;          /* the command failed; nothing changed */
    int col;            /* with error: the 1-based column in the typed line, or 0 */
    char message[512];  /* one line for the status line */
    char arg[4096];
    const char *text;   /* with SESSION_TEXT: owned by the session, valid until the next call */
} session_result;

typedef struct session session;

/* Open the lesson at path. NULL with *err filled (line 0: the file could not be read). */
session *session_open(const char *path, const catalog_langs *langs, lesson_error *err);
void session_free(session *s);

lesson *session_lesson(const session *s);
walk *session_walk(const session *s);
quiz *session_quiz(const session *s);
const char *session_path(const session *s);

/* Run one command line (a leading ':' is allowed). */
void session_exec(session *s, const char *line, session_result *r);

/* Long training reports as it goes and can be stopped: while `:train N` (or session_train) runs, progress(ctx,
 * done, total, seconds) is called between epochs about every 50 ms, with the time it has taken so far; a
 * nonzero answer stops it there, the epochs done kept. NULL (the default) trains to the end. */
typedef int session_progress(void *ctx, int done, int total, double seconds);
void session_on_progress(session *s, session_progress *fn, void *ctx);
/* Train n whole epochs as `:train n` does: the epochs trained, fewer when progress stopped it (*stopped set)
 * or memory ran out. */
int session_train(session *s, int n, int *stopped);
/* Answer the quiz waiting at the current step. */
enum quiz_verdict session_answer(session *s, const char *answer, session_result *r);

/* Completion: for the word line[start..end) of the line being typed, call add(candidate, ctx) for each
 * command, statement, setting, node name, function, phase or lesson that fits there and starts with it —
 * what fits is the argument column of the command (or the statement) the line starts with. */
void session_complete(const session *s, const char *line, int start, int end,
                      void (*add)(const char *candidate, void *ctx), void *ctx);

const char *session_command_name(enum session_command c);
const char *session_command_args(enum session_command c);
const char *session_command_help(enum session_command c);

#endif
