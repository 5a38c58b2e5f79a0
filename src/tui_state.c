/*
 * tui_state.c — questions about the state that the handlers and the views both ask (see tui_state.h).
 */
#include "tui_state.h"

int tui_pending_quiz(const tui *t)
{
    return t->quizzes && t->s ? quiz_pending(session_quiz(t->s), t->w) : -1;
}

int tui_hiding(const tui *t)
{
    if (!t->w || t->view == TUI_VIEW_PICKER)
        return 0;
    if (tui_pending_quiz(t) >= 0)
        return 1;
    char q[8];
    return t->classroom && !t->revealed && walk_step_question(t->w, q, sizeof q) > 0;
}

int tui_class_quiz(const tui *t)
{
    return t->classroom && tui_pending_quiz(t) >= 0;
}
