/*
 * tui_view.h — the views, each drawn from the state into the rows it is given (tui_view.c), and what the
 * frame and the handlers need to know of their geometry.
 */
#ifndef BPTUTOR_TUI_VIEW_H
#define BPTUTOR_TUI_VIEW_H

#include "tui_state.h"

void tui_draw_graph(const tui *t, int top, int height);
void tui_draw_panel(const tui *t, int top, int height);
/* The rows the step panel would take, unclipped. */
int tui_panel_lines(const tui *t);
void tui_draw_history(const tui *t, int top, int height);
void tui_draw_plot(const tui *t, int top, int height);
void tui_draw_help(const tui *t, int top, int height);
void tui_draw_picker(const tui *t, int top, int height);
void tui_draw_text(const tui *t, int top, int height);
/* How far the history, the help or a text can scroll at this size. */
int tui_scroll_max(const tui *t);

#endif
