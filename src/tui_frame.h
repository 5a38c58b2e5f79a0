/*
 * tui_frame.h — the whole screen drawn from the state: the status line, the current view, and the bottom
 * block (the keys' hints generated from the action table and the keymap, a message or an error with its
 * column marked, wrapped, a quiz's question, the ':' line or the answer line). Draws only; reads the state.
 */
#ifndef BPTUTOR_TUI_FRAME_H
#define BPTUTOR_TUI_FRAME_H

#include "tui_state.h"

/* Draw everything and put it on the terminal. */
void tui_draw(const tui *t);
/* Draw only the bottom rows and the ':' line being typed (readline's redisplay), and put them on the
 * terminal with the cursor where readline has it. */
void tui_draw_prompt(const tui *t);
/* The rows the graph gets above the step panel. */
int tui_graph_height(const tui *t);
/* The rows under the view (the bottom block: a quiz's question, a message or an error wrapped, the line being
 * typed, the bottom line), and the rows the view gets between it and the status line. */
int tui_bottom_rows(const tui *t);
/* Enter on a quiz's empty answer line: the next page of a hint too long for its rows (after the last, the
 * first). 1 when the hint had pages, 0 when it shows whole. */
int tui_hint_more(tui *t);
int tui_view_height(const tui *t);

#endif
