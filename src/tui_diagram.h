/*
 * tui_diagram.h — what the graph view shows of the diagram (tui_diagram.c): its picture (the computation
 * graph or the network), its zoom and orientation (the most detailed that fits the screen, or the learner's
 * z), the sample a batch's boxes show (:sample, s, S), and the pan window, which keeps the step being
 * explained in view with what it reads.
 *
 * The handlers call these and return TUI_CHANGED; a message for the learner goes to t->message.
 */
#ifndef BPTUTOR_TUI_DIAGRAM_H
#define BPTUTOR_TUI_DIAGRAM_H

#include "tui_state.h"

/* A lesson has just been opened: its first sample, the network when it has layers, fitted to the screen. */
void tui_diagram_start(tui *t);
/* The zoom and orientation that fit the screen: on start, resize and a new graph. The rows are the screen's
 * less the status and bottom lines and the usual panel, so that the choice does not flip as the panel
 * grows and shrinks from step to step. */
void tui_diagram_fit(tui *t);
/* Bring the diagram up to the walk, keep the step in view (with what it reads when that fits, else the step
 * itself) unless the learner panned away, and draw the part around the pan window. */
void tui_diagram_refresh(tui *t);
/* z: the next zoom level, in the orientation that suits it. */
void tui_diagram_zoom(tui *t);
/* Which sample the boxes show: an index, or LAYOUT_ALL_SAMPLES; −1 with a message when out of range. */
int tui_diagram_sample(tui *t, int sample);
/* s and S: the next or the previous sample, all of them after the last. */
void tui_diagram_step_sample(tui *t, int delta);
/* Tab on the graph view of a lesson with layers goes from the computation graph to the network before it
 * leaves the view, and comes back to the computation graph from the last view: 1 when Tab changed the
 * picture and stays on the graph view. */
int tui_diagram_tab(tui *t);
/* 1 on the graph view: the network ↔ the computation graph (when the lesson has layers). */
void tui_diagram_toggle(tui *t);
/* Show the network (the lesson has just gained a layer) or the computation graph. */
void tui_diagram_picture(tui *t, enum layout_picture p);

#endif
