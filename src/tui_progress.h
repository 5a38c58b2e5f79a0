/*
 * tui_progress.h — the tutor and the learner's progress (progress.h): the picker shows each lesson's state
 * and starts on the lesson left most recently, a lesson opened goes back to the step it was left at, and
 * every move is kept as it is made.
 *
 * Going back: a lesson whose progress has a place past its first step and before the end of its first epoch
 * opens at that step, its quizzes as they stood (settled ones are not asked again); the numbers are the
 * lesson's own, so a :set or a model edit of the earlier run is not brought back, nor the undo history. A
 * lesson walked to its end, or whose steps are no longer those of the place kept (its file changed), opens at
 * the top, and the message line says why. `r` (:reset) starts over as ever, and that is kept too.
 *
 * Keeping: after every key that moves the walk or settles a quiz, unless more keys are already waiting (a
 * paste, a held key: the last of them saves), and at exit. While the model is edited at the prompt the place
 * is not kept (it is a place in another graph); reaching the end of the first epoch still marks the lesson
 * finished, with the quiz score there.
 */
#ifndef BPTUTOR_TUI_PROGRESS_H
#define BPTUTOR_TUI_PROGRESS_H

#include <stddef.h>

#include "tui_state.h"

/* Find where progress lives (a script: only with XDG_STATE_HOME) and read the picker's lessons' progress;
 * the picker's cursor goes to the lesson left most recently in the middle. A file that does not read is said
 * on the message line, once. */
void tui_progress_start(tui *t);
/* The lesson open now may be another than the last time this was asked (the picker opened one, :load): go
 * back to its place. */
void tui_progress_follow(tui *t);
/* Keep the open lesson's progress when it changed; busy: more keys wait, leave it to the last of them. */
void tui_progress_keep(tui *t, int busy);
void tui_progress_free(tui *t);

/* The picker's words for choice i: "new", "step 3 of 18", "finished, 3/4 right"; NULL when no progress is
 * kept (a script without XDG_STATE_HOME), and the picker shows no state. */
const char *tui_progress_state(const tui *t, int i, char *buf, size_t n);
/* What Enter does for the chosen lesson when it goes back to a place: 1 with the sentence in buf, else 0. */
int tui_progress_offer(const tui *t, char *buf, size_t n);

#endif
