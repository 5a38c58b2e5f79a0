/*
 * tui_state.h — the tutor's state: what the handlers change and the views read. No curses: the state says
 * what is shown, not how.
 */
#ifndef BPTUTOR_TUI_STATE_H
#define BPTUTOR_TUI_STATE_H

#include "layout.h"
#include "session.h"
#include "tui.h"
#include "walk.h"

enum { TUI_MIN_COLS = 60, TUI_MIN_ROWS = 16 };

/* TEXT shows a command's longer answer (:help, :check) and NOTES the teacher's notes; like the picker they are
 * outside the Tab cycle. */
enum tui_view { TUI_VIEW_GRAPH, TUI_VIEW_HISTORY, TUI_VIEW_PLOT, TUI_VIEW_HELP, TUI_VIEW_COUNT, TUI_VIEW_PICKER,
                TUI_VIEW_TEXT, TUI_VIEW_NOTES };

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
    int scroll;              /* history, help, a text and the notes, up and down */
    int columns;             /* the history: the first parameter's columns shown (they scroll sideways) */
    int log_scale;           /* the loss curve's y axis is logarithmic */
    const tui_choice *choices;
    int n_choices, chosen;
    int rows, cols;
    char message[512];       /* one line of feedback, cleared by the next key */
    enum tui_ask prompting;  /* the ':' line is open (readline has it: prompt.h) */
    int dirty;               /* while typing, more than the line changed (completion's list): redraw all */
    int line_stale;          /* while typing, the line was not drawn: more keys were waiting (tui.c) */
    int frame_owed;          /* a key's frame was not drawn: more keys were already waiting (tui.c) */
    char *err_line;          /* a command or answer that failed, shown above the message with err_col marked */
    int err_col;             /* 1-based column in err_line, 0 for none */
    char *text;              /* TEXT view: a command's longer answer, and what it was */
    char text_title[64];
    /* quizzes and classroom mode */
    int quizzes;             /* ask the lesson's quizzes (not --no-quiz) */
    int classroom, revealed; /* classroom mode; the current step's result has been shown */
    int answered;            /* a quiz was answered at the answer line: there is a score to tell */
    int hint_skip;           /* a wrong answer's hint too long for its rows: the rows of it paged past */
    int narration_skip;      /* the step's narration too long for the panel: the rows of it paged past ... */
    int narration_epoch, narration_index; /* ... at this step (another step shows its own from the start) */
    struct tui_script *script; /* the keys come from here, not the terminal (tui_script.h) */
    struct tui_progress *progress; /* the learner's progress: the picker's, the open lesson's (tui_progress.h) */
    int status;              /* exit status */
} tui;

/* The quiz waiting at the current step (asked and not yet settled), or −1. */
int tui_pending_quiz(const tui *t);
/* Is the current step's result held back (a quiz waits for it, or a class has not seen it yet)? */
int tui_hiding(const tui *t);
/* Does the quiz waiting here go to the class, asked aloud and shown on a key, rather than to an answer line? */
int tui_class_quiz(const tui *t);

#endif
