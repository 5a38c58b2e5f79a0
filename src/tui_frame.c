/*
 * tui_frame.c — the frame around the views (see tui_frame.h): status line on top, the view, the bottom
 * line. When the terminal is below the minimum size only a notice is drawn. Every key the frame names
 * comes from the keymap, so the hints follow `:bind`.
 */
#include "tui_frame.h"

#include "prompt.h"
#include "text.h"
#include "tui_action.h"
#include "tui_crt.h"
#include "tui_keymap.h"
#include "tui_view.h"

#include <string.h>
#include <stdio.h>

/* The panel takes the rows it needs, but leaves the graph at least 8, and at least as many as the drawing
 * takes when that fits beside a usual panel: its zoom was chosen for those rows, so the step stays in view
 * and a long narration gives way instead. */
int tui_graph_height(const tui *t)
{
    int avail = t->rows - 2; /* status line and bottom line */
    int panel = tui_panel_lines(t), keep = 8;
    if (t->diagram) {
        int drawing = layout_view_bounds(t->diagram).h, usual = avail - TUI_PANEL_USUAL;
        drawing = drawing < usual ? drawing : usual;
        keep = drawing > keep ? drawing : keep;
    }
    if (panel > avail - keep)
        panel = avail - keep;
    return avail - panel;
}

static void draw_status(const tui *t)
{
    char left[512], right[256];
    tui_fill(0, 0, t->cols, TUI_STATUS);
    if (t->view == TUI_VIEW_PICKER) {
        tui_put(0, 1, "bptutor \u2014 choose a lesson", t->cols - 2, TUI_STATUS);
        return;
    }
    int k, n;
    walk_phase_position(t->w, &k, &n);
    const walk_step *st = walk_current(t->w);
    snprintf(left, sizeof left, "%s", t->l->title ? t->l->title : t->name);
    /* the pan marker on the panel's rule, said in words: where more of the graph lies, and the keys */
    char arrows[64], keys[64], more[64] = "", pan[160] = "";
    if (tui_pan_marker(t, tui_graph_height(t), arrows, sizeof arrows, keys, sizeof keys)) {
        for (size_t i = 0, m = 0; arrows[i] && m + 4 < sizeof more; i++)
            if (strncmp(arrows + i, "\u2500", 3) == 0)
                i += 2;
            else
                more[m++] = arrows[i], more[m] = '\0';
        snprintf(pan, sizeof pan, "%s pan: %s \u00b7 ", more, keys);
    }
    snprintf(right, sizeof right, "%sepoch %d \u00b7 %s %d/%d \u00b7 step %d of %d", pan, walk_epoch(t->w),
             lesson_phase_name(st->phase), k, n, walk_index(t->w) + 1, walk_count(t->w));
    int rw = text_width(right);
    int room = t->cols - rw - 4;
    if (room >= 8) {
        tui_put_clipped(0, 1, left, room, TUI_STATUS);
        tui_put(0, t->cols - rw - 1, right, rw, TUI_STATUS);
    } else {
        tui_put(0, 1, right, t->cols - 2, TUI_STATUS);
    }
}

/* A failed line with the column of the problem marked, gcc's way: the line in row y (a window around the
 * column when it is long), and a caret under the column in row y + 1 followed by the message. */
static void draw_error(const tui *t, int y)
{
    const char *line = t->err_line;
    int col = t->err_col > 0 ? t->err_col : 1;
    /* the cell where the column's character starts, and the byte where the window starts */
    int cell = 0, room = t->cols - 2;
    const char *p = line, *start = line;
    int start_cell = 0;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t ch;
    for (int c = 1; *p && c < col; c++) {
        p += text_next(p, strlen(p), &st, &ch);
        cell += text_cells(ch);
    }
    /* keep the column in the right half of the window when the line is longer than the row */
    while (cell - start_cell > room / 2 && text_width(start) > room) {
        start += text_next(start, strlen(start), &st, &ch);
        start_cell += text_cells(ch);
    }
    tui_clear_row(y);
    tui_clear_row(y + 1);
    int x = 1;
    if (start != line)
        x += tui_put(y, x, "\u2026", 1, TUI_HINT);
    tui_put_clipped(y, x, start, t->cols - 1 - x, TUI_NORMAL);
    if (t->err_col <= 0) {
        tui_put_clipped(y + 1, 1, t->message, t->cols - 2, TUI_NOTE);
        return;
    }
    int caret = x + cell - start_cell;
    if (caret > t->cols - 2)
        caret = t->cols - 2;
    tui_put(y + 1, caret, "^", 1, TUI_NOTE);
    int mw = text_width(t->message);
    if (caret + 2 + mw <= t->cols - 1 || caret - 1 - mw < 1)
        tui_put_clipped(y + 1, caret + 2, t->message, t->cols - 3 - caret, TUI_NOTE);
    else
        tui_put(y + 1, caret - 1 - mw, t->message, mw, TUI_NOTE);
}

/* The keys' hints, in the action table's order; those that do not fit give way, but help and quit always
 * stay. An action with no key has no hint. */
static void draw_hints(const tui *t, int y)
{
    int x = 1, keep = 0;
    char buf[16];
    for (int a = 0; a < TUI_ACTION_COUNT; a++) {
        const char *key = tui_keymap_first_label((enum tui_action)a, buf, sizeof buf);
        if ((a == TUI_ACT_TOGGLE_HELP || a == TUI_ACT_QUIT) && key)
            keep += text_width(key) + 1 + text_width(tui_action_hint((enum tui_action)a)) + 2;
    }
    for (int a = 0; a < TUI_ACTION_COUNT; a++) {
        const char *hint = tui_action_hint((enum tui_action)a);
        const char *key = hint ? tui_keymap_first_label((enum tui_action)a, buf, sizeof buf) : NULL;
        if (!key)
            continue;
        int need = text_width(key) + 1 + text_width(hint) + 2;
        int essential = a == TUI_ACT_TOGGLE_HELP || a == TUI_ACT_QUIT;
        if (x + need + (essential ? 0 : keep) > t->cols) {
            if (!essential)
                continue;
            break;
        }
        if (essential)
            keep -= need;
        x += tui_put(y, x, key, t->cols - x, TUI_HINT_KEY);
        x += tui_put(y, x, " ", 1, TUI_HINT);
        x += tui_put(y, x, hint, t->cols - x, TUI_HINT);
        x += tui_put(y, x, "  ", 2, TUI_HINT);
    }
}

/* The bottom row: the ':' line while it is open (readline's, drawn by prompt_draw, with a message or an
 * error on the rows above it), else a message, else the keys. */
static void draw_bottom(const tui *t)
{
    int y = t->rows - 1;
    char k1[32], k2[32], k3[32], k4[32], line[256];
    if (t->prompting) {
        if (t->err_line) {
            draw_error(t, y - 2);
        } else if (t->message[0]) {
            tui_clear_row(y - 1);
            tui_put_clipped(y - 1, 1, t->message, t->cols - 2, TUI_NOTE);
        }
        tui_clear_row(y);
        prompt_draw(y, 0, t->cols, tui_attr(TUI_NORMAL), tui_pair(TUI_NORMAL));
        return;
    }
    if (t->err_line) {
        draw_error(t, y - 1);
        return;
    }
    tui_clear_row(y);
    if (t->message[0]) {
        tui_put_clipped(y, 1, t->message, t->cols - 2, TUI_NOTE);
        return;
    }
    if (tui_hiding(t)) {
        if (tui_pending_quiz(t) >= 0)
            snprintf(line, sizeof line, "%s answers the quiz \u00b7 %s shows the answer",
                     tui_keymap_how(TUI_ACT_ANSWER_QUIZ, k1, sizeof k1), tui_keymap_how(TUI_ACT_NEXT, k2, sizeof k2));
        else
            snprintf(line, sizeof line, "%s shows the result", tui_keymap_how(TUI_ACT_NEXT, k1, sizeof k1));
        tui_put_clipped(y, 1, line, t->cols - 2, TUI_HINT_KEY);
        return;
    }
    if (t->view == TUI_VIEW_PICKER) {
        snprintf(line, sizeof line, "%s%s choose \u00b7 %s open \u00b7 %s quit",
                 tui_keymap_how(TUI_ACT_SCROLL_UP, k1, sizeof k1), tui_keymap_how(TUI_ACT_SCROLL_DOWN, k2, sizeof k2),
                 tui_keymap_how(TUI_ACT_OPEN_LESSON, k3, sizeof k3), tui_keymap_how(TUI_ACT_QUIT, k4, sizeof k4));
        tui_put(y, 1, line, t->cols - 2, TUI_HINT);
        return;
    }
    draw_hints(t, y);
}

static void draw_too_small(const tui *t)
{
    char need[64], now[64];
    snprintf(need, sizeof need, "(need %d\u00d7%d)", TUI_MIN_COLS, TUI_MIN_ROWS);
    snprintf(now, sizeof now, "now %d\u00d7%d", t->cols, t->rows);
    const char *lines[3] = { "terminal too small", need, now };
    char one[128];
    snprintf(one, sizeof one, "terminal too small %s", need);
    if (text_width(one) <= t->cols) {
        lines[0] = one;
        lines[1] = now;
        lines[2] = NULL;
    }
    int n = lines[2] ? 3 : 2;
    int y = (t->rows - n) / 2;
    for (int i = 0; i < n && y + i < t->rows; i++) {
        int w = text_width(lines[i]);
        int x = (t->cols - w) / 2;
        tui_put(y + i, x > 0 ? x : 0, lines[i], t->cols, i == 0 ? TUI_NOTE : TUI_NORMAL);
    }
}

static int too_small(const tui *t)
{
    return t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS;
}

void tui_draw(const tui *t)
{
    erase();
    if (too_small(t)) {
        draw_too_small(t);
        tui_crt_update(0);
        return;
    }
    draw_status(t);
    int top = 1, height = t->rows - 2;
    switch (t->view) {
    case TUI_VIEW_GRAPH: {
        int gh = tui_graph_height(t);
        tui_draw_graph(t, top, gh);
        tui_draw_panel(t, top + gh, height - gh);
        break;
    }
    case TUI_VIEW_HISTORY: tui_draw_history(t, top, height); break;
    case TUI_VIEW_PLOT: tui_draw_plot(t, top, height); break;
    case TUI_VIEW_HELP: tui_draw_help(t, top, height); break;
    case TUI_VIEW_PICKER: tui_draw_picker(t, top, height); break;
    case TUI_VIEW_TEXT: tui_draw_text(t, top, height); break;
    case TUI_VIEW_COUNT: break;
    }
    draw_bottom(t); /* last: the cursor stays where the prompt left it */
    tui_crt_update(t->prompting != TUI_ASK_NONE);
}

void tui_draw_prompt(const tui *t)
{
    if (!t->prompting || too_small(t))
        return;
    draw_bottom(t);
    tui_crt_update(1);
}
