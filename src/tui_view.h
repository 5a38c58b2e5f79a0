/*
 * tui_view.h — the views, each drawn from the state into the rows it is given (tui_view.c), and what the
 * frame and the handlers need to know of their geometry.
 */
#ifndef BPTUTOR_TUI_VIEW_H
#define BPTUTOR_TUI_VIEW_H

#include "tui_state.h"

/* The rows a step panel usually takes: the graph is centred in what it leaves, and the diagram's zoom is
 * chosen for it, so that neither moves as the panel grows and shrinks from step to step. */
enum { TUI_PANEL_USUAL = 10 };

/* A frame begins (1; going on with one already begun) or ends (0): between the two the step's state does not
 * change, and the step panel's text is made once. The diagram's refresh begins one afresh (it measures the
 * panel), tui_draw goes on with it or begins its own and ends it, and the loop ends any left before a key runs. */
void tui_view_frame(int begin);
void tui_draw_graph(const tui *t, int top, int height);
void tui_draw_panel(const tui *t, int top, int height);
/* The rows the step panel would take, unclipped, when it may take at most room (its rule included): a weight's
 * matrix is shown only as far as room leaves for it. */
int tui_panel_lines(const tui *t, int room);
void tui_draw_history(const tui *t, int top, int height);
void tui_draw_plot(const tui *t, int top, int height);
void tui_draw_help(const tui *t, int top, int height);
void tui_draw_picker(const tui *t, int top, int height);
void tui_draw_text(const tui *t, int top, int height);
/* How far the history, the help, a text or the notes can scroll in a view of height rows. */
int tui_scroll_max(const tui *t, int height);
/* The rows the step's PyTorch line takes in the panel: 0, 1, or 2 when it wraps to two. */
int tui_panel_pytorch_rows(const tui *t);
/* PgUp and PgDn's move in a view of this height: the rows it shows less one, so one row stays in sight. */
int tui_scroll_page(const tui *t, int height);
/* The step's narration as the panel last drew it: the rows it needs (at the width it is wrapped to when cut),
 * the rows a page of it shows and the rows paged past; 0 when the whole of it was shown. PgDn and PgUp page it
 * (tui.c). */
int tui_narration_page(const tui *t, int *shown, int *skip);
/* How far the history's columns can scroll sideways (its parameters' groups that do not fit). */
int tui_history_columns_max(const tui *t);
/* The teacher's notes, a page of their own (toggle-notes or close-view leaves it). */
void tui_draw_notes(const tui *t, int top, int height);
/* Where more of the graph lies beyond the window: "◀─▼▶" (a ─ where there is none) in arrows, and the pan keys
 * that go there ("H J") in keys; 0 when the whole graph is in view. */
int tui_pan_marker(const tui *t, int graph_rows, char *arrows, size_t an, char *keys, size_t kn);

#endif
