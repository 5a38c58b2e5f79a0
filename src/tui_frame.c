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
/* The most rows the step panel may take, its rule included: what the graph leaves. */
static int panel_room(const tui *t)
{
    int avail = tui_view_height(t), keep = 8; /* less the status line and the bottom block */
    if (t->diagram) {
        int drawing = layout_view_bounds(t->diagram).h, usual = avail - TUI_PANEL_USUAL;
        drawing = drawing < usual ? drawing : usual;
        keep = drawing > keep ? drawing : keep;
        /* a PyTorch line on two rows takes its second from the drawing rather than be cut (the end of an
         * epoch's print of every parameter), while the graph keeps its 8 */
        if (keep > 8 && tui_panel_pytorch_rows(t) == 2)
            keep--;
    }
    /* under a quiz's hint grown past a third of a small screen (bottom_block) the panel keeps its rule and the
     * step's working, and the graph gives the rows, down to 4 */
    if (keep > avail - 2)
        keep = avail - 2 > 4 ? avail - 2 : 4;
    return avail - keep;
}

int tui_graph_height(const tui *t)
{
    int room = panel_room(t), panel = tui_panel_lines(t, room);
    if (panel > room)
        panel = room;
    return tui_view_height(t) - panel;
}

static void draw_status(const tui *t)
{
    char left[512], right[256];
    tui_fill(0, 0, t->cols, TUI_STATUS);
    if (t->view == TUI_VIEW_PICKER) {
        tui_put(0, 1, _("bptutor \u2014 choose a lesson"), t->cols - 2, TUI_STATUS);
        return;
    }
    int k, n;
    walk_phase_position(t->w, &k, &n);
    const walk_step *st = walk_current(t->w);
    /* a title that names the model as shipped (lesson 05's "…and tanh") is not the edited model's name: it says
     * where the model came from */
    if (t->l->title && t->l->title_retired)
        snprintf(left, sizeof left, _("Edited from: %s"), t->l->title);
    else
        snprintf(left, sizeof left, "%s", t->l->title ? t->l->title : t->name);
    /* the pan marker on the panel's rule, said in words: where more of the graph lies, and the keys */
    char arrows[64], keys[64], more[64] = "", pan[160] = "";
    if (tui_pan_marker(t, tui_graph_height(t), arrows, sizeof arrows, keys, sizeof keys)) {
        for (size_t i = 0, m = 0; arrows[i] && m + 4 < sizeof more; i++)
            if (strncmp(arrows + i, "\u2500", 3) == 0)
                i += 2;
            else
                more[m++] = arrows[i], more[m] = '\0';
        snprintf(pan, sizeof pan, _("%s pan: %s \u00b7 "), more, keys);
    }
    /* the phase by its title, the words the step panel's rule uses; the pan words go when the line does not fit
     * even without the lesson's title (the panel's rule still shows the arrows) */
    for (int with_pan = 1; with_pan >= 0; with_pan--) {
        snprintf(right, sizeof right, _("%sepoch %d \u00b7 %s %d/%d \u00b7 step %d of %d"), with_pan ? pan : "",
                 walk_epoch(t->w), _(walk_phase_title(st->phase)), k, n, walk_index(t->w) + 1, walk_count(t->w));
        if (text_width(right) <= t->cols - 2)
            break;
    }
    int rw = text_width(right);
    int room = t->cols - rw - 4;
    if (room >= 8 && (pan[0] == '\0' || strstr(right, pan) == right)) {
        tui_put_clipped(0, 1, left, room, TUI_STATUS);
        tui_put(0, t->cols - rw - 1, right, rw, TUI_STATUS);
    } else {
        tui_put(0, 1, right, t->cols - 2, TUI_STATUS);
    }
}

/*
 * The bottom block: the rows under the view, which grow from the bottom line up as far as what they hold needs
 * (a third of the screen at most), so that an error or a hint is wrapped, never cut at the screen's edge, and
 * the view above it keeps its own rows (the step's working stays on screen while a quiz is answered). A hint
 * after a wrong answer may take the block to half the screen, and the question, already read, gives way to it
 * down to one row; a hint that still does not fit shows a page of its rows and a last row that says Enter on
 * the empty answer line shows more (tui_hint_more). From the
 * top down: a quiz's question while it waits; a failed line with its column marked, or a message; then the ':'
 * line, or the answer line and the keys it takes, or the bottom line of keys.
 *
 * Each piece is measured and drawn by the same function (draw 0: only measure), so the block is as tall as
 * what is drawn in it.
 */
struct block {
    const tui *t;
    int y, draw;
};

static int bottom_cap(const tui *t)
{
    int cap = (t->rows - 1) / 3;
    return cap < 3 ? 3 : cap;
}

/* Wrapped text in at most max rows from b->y, at column 1. */
static int piece_text(struct block *b, const char *text, int max, enum tui_role role)
{
    int need = tui_wrap(0, 1, text, b->t->cols - 2, 0, role);
    int rows = need < max ? need : max;
    if (rows < 1)
        return 0;
    if (b->draw) {
        for (int i = 0; i < rows; i++)
            tui_clear_row(b->y + i);
        tui_wrap(b->y, 1, text, b->t->cols - 2, rows, role);
    }
    b->y += rows;
    return rows;
}

/* The hint the block last measured: the rows it needs and the rows of it a page shows. */
static struct {
    int need, shown;
} hint_page;

/* A wrong answer's hint in at most max rows: whole when it fits, else a page of it from t->hint_skip and a
 * row that says how to see the rest. */
static int piece_hint(struct block *b, int max)
{
    const tui *t = b->t;
    int width = t->cols - 2, need = tui_wrap(0, 1, t->message, width, 0, TUI_NOTE);
    hint_page.need = hint_page.shown = need;
    if (need <= max || max < 2)
        return piece_text(b, t->message, max, TUI_NOTE);
    int shown = max - 1, skip = t->hint_skip < need ? t->hint_skip : 0;
    hint_page.shown = shown;
    if (b->draw) {
        char label[16], more[128];
        const char *enter = tui_key_label(tui_answer_key(TUI_ANSWER_CHECK), label, sizeof label);
        for (int i = 0; i < max; i++)
            tui_clear_row(b->y + i);
        tui_wrap_from(b->y, 1, t->message, width, skip, shown, TUI_NOTE);
        if (skip + shown < need)
            snprintf(more, sizeof more, _("\u2026 %s on the empty line shows more of the hint"), enter ? enter : "Enter");
        else
            snprintf(more, sizeof more, _("%s on the empty line shows the hint from its start"), enter ? enter : "Enter");
        tui_put_clipped(b->y + shown, 1, more, width, TUI_HINT);
    }
    b->y += max;
    return max;
}

int tui_hint_more(tui *t)
{
    hint_page.need = hint_page.shown = 0;
    tui_bottom_rows(t);
    if (hint_page.need <= hint_page.shown)
        return 0;
    int skip = t->hint_skip < hint_page.need ? t->hint_skip : 0;
    t->hint_skip = skip + hint_page.shown >= hint_page.need ? 0 : skip + hint_page.shown;
    return 1;
}

/* A failed line with the column of the problem marked, gcc's way: the line (a window around the column when
 * it is long), and under it a caret at the column with the message beside it, wrapped when it is long:
 * to the right of the caret when there is room, to its left when it fits there on one row, else on the rows
 * below. Takes at most max rows. */
static int piece_error(struct block *b, int max)
{
    const tui *t = b->t;
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
    int y = b->y;
    if (b->draw) {
        tui_clear_row(y);
        int x = 1;
        if (start != line)
            x += tui_put(y, x, "\u2026", 1, TUI_HINT);
        tui_put_clipped(y, x, start, t->cols - 1 - x, TUI_NORMAL);
    }
    b->y++;
    int left = max - 1;
    if (left < 1)
        return 1;
    if (t->err_col <= 0)
        return 1 + piece_text(b, t->message, left, TUI_NOTE);
    int caret = 1 + (start != line) + cell - start_cell;
    if (caret > t->cols - 2)
        caret = t->cols - 2;
    int mw = text_width(t->message), right = t->cols - 1 - (caret + 2);
    int rows;
    if (mw <= right || (right >= 24 && mw > caret - 2)) { /* beside the caret, to its right */
        int need = tui_wrap(0, caret + 2, t->message, right, 0, TUI_NOTE);
        rows = need < left ? need : left;
        if (b->draw) {
            for (int i = 0; i < rows; i++)
                tui_clear_row(y + 1 + i);
            tui_put(y + 1, caret, "^", 1, TUI_NOTE);
            tui_wrap(y + 1, caret + 2, t->message, right, rows, TUI_NOTE);
        }
        b->y += rows;
        return 1 + rows;
    }
    if (caret - 1 - mw >= 1) { /* to its left, on one row */
        if (b->draw) {
            tui_clear_row(y + 1);
            tui_put(y + 1, caret, "^", 1, TUI_NOTE);
            tui_put(y + 1, caret - 1 - mw, t->message, mw, TUI_NOTE);
        }
        b->y++;
        return 2;
    }
    if (b->draw) { /* under it, the whole width */
        tui_clear_row(y + 1);
        tui_put(y + 1, caret, "^", 1, TUI_NOTE);
    }
    b->y++;
    return 2 + piece_text(b, t->message, left - 1, TUI_NOTE);
}

/* Pieces of a bar: a key in its colour, then its words. */
static int bar_put(int y, int x, int end, const char *key, const char *words, int first)
{
    if (!first)
        x += tui_put(y, x, " \u00b7 ", end - x, TUI_HINT);
    if (key && *key) {
        x += tui_put(y, x, key, end - x, TUI_HINT_KEY);
        x += tui_put(y, x, " ", end - x, TUI_HINT);
    }
    return x + tui_put(y, x, words, end - x, TUI_HINT);
}

static int bar_width(const char *key, const char *words, int first)
{
    return (first ? 0 : 3) + (key && *key ? text_width(key) + 1 : 0) + text_width(words);
}

/* The answer line's keys (TUI_ANSWER_KEYS) after what to type, which gives way first when the row is narrow. */
static void draw_answer_keys(const tui *t, int y)
{
    char labels[TUI_ANSWER_KEY_COUNT][16];
    const char *keys[TUI_ANSWER_KEY_COUNT];
    int need = 0;
    for (int k = 0; k < TUI_ANSWER_KEY_COUNT; k++) {
        keys[k] = tui_key_label(tui_answer_key((enum tui_answer_key)k), labels[k], sizeof labels[k]);
        need += bar_width(keys[k], tui_answer_bar((enum tui_answer_key)k), k == 0);
    }
    int what = need + bar_width(NULL, _(TUI_ANSWER_WHAT), 0) <= t->cols - 2;
    int x = 1, end = t->cols - 1;
    tui_clear_row(y);
    if (what)
        x = bar_put(y, x, end, NULL, _(TUI_ANSWER_WHAT), 1);
    for (int k = 0; k < TUI_ANSWER_KEY_COUNT; k++)
        x = bar_put(y, x, end, keys[k], tui_answer_bar((enum tui_answer_key)k), k == 0 && !what);
}

/* The keys' hints, in the action table's order; those that do not fit give way, but help and quit always
 * stay. An action with no key has no hint. Which hints fit depends only on the keymap, the width and the
 * language (chosen once, at start): the choice is made again only when the keymap's generation or the width
 * changes, and drawn on every frame. A hint that fits is drawn whole, so it takes exactly its width. */
static struct {
    int valid, cols;
    unsigned generation;
    int n;
    struct { const char *hint; char key[32]; } item[TUI_ACTION_COUNT];
} hints_kept;

static void choose_hints(int cols)
{
    int x = 1, keep = 0;
    char buf[16];
    hints_kept.n = 0;
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
        if (x + need + (essential ? 0 : keep) > cols) {
            if (!essential)
                continue;
            break;
        }
        if (essential)
            keep -= need;
        hints_kept.item[hints_kept.n].hint = hint;
        snprintf(hints_kept.item[hints_kept.n].key, sizeof hints_kept.item[0].key, "%s", key);
        hints_kept.n++;
        x += need;
    }
    hints_kept.cols = cols;
    hints_kept.generation = tui_keymap_generation();
    hints_kept.valid = 1;
}

static void draw_hints(const tui *t, int y)
{
    if (!hints_kept.valid || hints_kept.cols != t->cols || hints_kept.generation != tui_keymap_generation())
        choose_hints(t->cols);
    int x = 1;
    for (int i = 0; i < hints_kept.n; i++) {
        x += tui_put(y, x, hints_kept.item[i].key, t->cols - x, TUI_HINT_KEY);
        x += tui_put(y, x, " ", 1, TUI_HINT);
        x += tui_put(y, x, hints_kept.item[i].hint, t->cols - x, TUI_HINT);
        x += tui_put(y, x, "  ", 2, TUI_HINT);
    }
}

/* The bottom line when nothing is typed: what reveals a held-back result, the picker's keys, or the keys. */
static void draw_bar(const tui *t, int y)
{
    char k1[32], k2[32], k3[32], k4[32], line[256];
    tui_clear_row(y);
    if (tui_hiding(t)) {
        int x = 1, end = t->cols - 1;
        const char *next = tui_keymap_how(TUI_ACT_NEXT, k2, sizeof k2);
        if (tui_class_quiz(t)) {
            x = bar_put(y, x, end, NULL, _("the class answers aloud"), 1);
            bar_put(y, x, end, next, _("shows the answer"), 0);
        } else if (tui_pending_quiz(t) >= 0) {
            x = bar_put(y, x, end, tui_keymap_how(TUI_ACT_ANSWER_QUIZ, k1, sizeof k1), _("answers the quiz"), 1);
            bar_put(y, x, end, next, _("shows the answer"), 0);
        } else {
            bar_put(y, x, end, next, _("shows the result"), 1);
        }
        return;
    }
    if (t->view == TUI_VIEW_PICKER) {
        snprintf(line, sizeof line, _("%s%s choose \u00b7 %s open \u00b7 %s quit"),
                 tui_keymap_how(TUI_ACT_SCROLL_UP, k1, sizeof k1), tui_keymap_how(TUI_ACT_SCROLL_DOWN, k2, sizeof k2),
                 tui_keymap_how(TUI_ACT_OPEN_LESSON, k3, sizeof k3), tui_keymap_how(TUI_ACT_QUIT, k4, sizeof k4));
        tui_put(y, 1, line, t->cols - 2, TUI_HINT);
        return;
    }
    draw_hints(t, y);
}

static const char answer_label[] = N_("Your answer: ");

/* The block, measured (draw 0) or drawn from row y. Returns its rows. */
static int bottom_block(const tui *t, int y, int draw)
{
    struct block b = { t, y, draw };
    int cap = bottom_cap(t), rows = 0;
    int quiz = t->prompting == TUI_ASK_QUIZ, k = tui_pending_quiz(t);
    int said = t->err_line || t->message[0];
    /* a wrong answer's hint, and its rows at the block's width */
    int hint = quiz && !t->err_line && t->message[0] ? tui_wrap(0, 1, t->message, t->cols - 2, 0, TUI_NOTE) : 0;
    /* the rows at the bottom that are always there: the line being typed and its keys, or the bar */
    int fixed = t->prompting ? 1 + quiz : !said || tui_hiding(t);
    if (k >= 0 && t->view != TUI_VIEW_PICKER && t->prompting != TUI_ASK_COMMAND) {
        char question[LESSON_LINE_MAX], text[sizeof question + 32];
        int total, nth = quiz_number(session_quiz(t->s), k, &total);
        quiz_question(session_quiz(t->s), k, question, sizeof question);
        snprintf(text, sizeof text, _("Quiz %d of %d: %s"), nth, total, question);
        int asked = tui_wrap(0, 1, text, t->cols - 2, 0, TUI_TITLE);
        asked = asked < 3 ? asked : 3;
        if (hint) { /* the hint of a wrong answer */
            int half = (t->rows - 1) / 2;
            int want = asked + hint + fixed;
            if (want > cap)
                cap = want < half ? want : half > cap ? half : cap;
            if (asked + hint + fixed > cap)
                asked = cap - fixed - hint > 1 ? cap - fixed - hint : 1;
        }
        rows += piece_text(&b, text, asked, TUI_TITLE);
    }
    int left = cap - fixed - rows;
    /* a hint too long for the rows left: the answer line's keys, shown with the question, give way to it */
    int keys = quiz;
    if (hint && hint > left) {
        keys = 0;
        fixed--;
        left++;
    }
    if (left < 1)
        left = 1;
    if (t->err_line)
        rows += piece_error(&b, left < 2 ? 2 : left);
    else if (quiz && k >= 0 && t->message[0])
        rows += piece_hint(&b, left);
    else if (t->message[0])
        rows += piece_text(&b, t->message, left, TUI_NOTE);
    if (!fixed)
        return rows;
    if (t->prompting == TUI_ASK_COMMAND) {
        if (draw) {
            tui_clear_row(b.y);
            prompt_draw(b.y, 0, t->cols, tui_attr(TUI_NORMAL), tui_pair(TUI_NORMAL));
        }
        return rows + 1;
    }
    if (quiz) {
        if (draw) {
            /* the keys first: the cursor stays where the line leaves it */
            if (keys)
                draw_answer_keys(t, b.y + 1);
            tui_clear_row(b.y);
            int x = 1 + tui_put(b.y, 1, _(answer_label), t->cols - 2, TUI_TITLE);
            prompt_draw(b.y, x, t->cols - 1 - x, tui_attr(TUI_INPUT), tui_pair(TUI_INPUT));
        }
        return rows + 1 + keys;
    }
    if (draw)
        draw_bar(t, b.y);
    return rows + 1;
}

int tui_bottom_rows(const tui *t)
{
    return bottom_block(t, 0, 0);
}

int tui_view_height(const tui *t)
{
    return t->rows - 1 - tui_bottom_rows(t);
}

static void draw_bottom(const tui *t)
{
    int n = tui_bottom_rows(t);
    bottom_block(t, t->rows - n, 1);
}

static void draw_too_small(const tui *t)
{
    char need[64], now[64];
    snprintf(need, sizeof need, _("(need %d\u00d7%d)"), TUI_MIN_COLS, TUI_MIN_ROWS);
    snprintf(now, sizeof now, _("now %d\u00d7%d"), t->cols, t->rows);
    const char *lines[3] = { _("terminal too small"), need, now };
    char one[128];
    snprintf(one, sizeof one, _("terminal too small %s"), need);
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
    tui_view_frame(1);
    draw_status(t);
    int top = 1, height = tui_view_height(t);
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
    case TUI_VIEW_NOTES: tui_draw_notes(t, top, height); break;
    case TUI_VIEW_COUNT: break;
    }
    draw_bottom(t); /* last: the cursor stays where the prompt left it */
    tui_view_frame(0);
    tui_crt_update(t->prompting != TUI_ASK_NONE);
}

void tui_draw_prompt(const tui *t)
{
    if (!t->prompting || too_small(t))
        return;
    draw_bottom(t);
    tui_crt_update(1);
}
