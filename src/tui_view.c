/*
 * tui_view.c — the views: the graph and its step panel, the epoch history, the loss curve, the help
 * screen (generated from the action table and the keymap), the lesson picker and a command's longer
 * answer. Each draw function only reads the state, inside the rows it is given, and draws through the
 * terminal layer; where a view names a key, it asks the keymap, so a rebound key is named right.
 */
#include "tui_view.h"

#include "text.h"
#include "tui_action.h"
#include "tui_crt.h"
#include "tui_keymap.h"
#include "tui_progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- the graph */

static enum tui_role kind_role[] = {
    [LAYOUT_BLANK] = TUI_NORMAL,     [LAYOUT_EDGE] = TUI_EDGE,           [LAYOUT_EDGE_ACTIVE] = TUI_EDGE_HOT,
    [LAYOUT_LOCAL] = TUI_LOCAL,      [LAYOUT_BOX] = TUI_BOX,             [LAYOUT_BOX_PARAM] = TUI_BOX_PARAM,
    [LAYOUT_BOX_INPUT] = TUI_BOX_INPUT, [LAYOUT_BOX_LOSS] = TUI_BOX_LOSS, [LAYOUT_BOX_ACTIVE] = TUI_BOX_HOT,
    [LAYOUT_TITLE] = TUI_TITLE,      [LAYOUT_VALUE] = TUI_VALUE,         [LAYOUT_GRAD] = TUI_GRAD,
    [LAYOUT_UNKNOWN] = TUI_UNKNOWN,
};
_Static_assert(sizeof kind_role / sizeof kind_role[0] == LAYOUT_KIND_COUNT, "a colour for every kind of cell");

void tui_draw_graph(const tui *t, int top, int height)
{
    const layout_canvas *c = t->canvas;
    if (!c)
        return;
    /* a drawing narrower than the room is centred; a bigger one is seen through the pan window */
    int ox = c->width < t->cols ? (t->cols - c->width) / 2 : -t->pan_x;
    /* centred in the room a usual panel (TUI_PANEL_USUAL rows) leaves, so that it stays put from step to
     * step while the panel grows and shrinks below it */
    int ref = t->rows - 2 - TUI_PANEL_USUAL, oy = -t->pan_y;
    if (c->height <= height)
        oy = c->height + 2 <= ref ? (ref - c->height) / 2 : c->height + 2 <= height ? 1 : 0;
    if (oy > 0 && oy + c->height > height)
        oy = height - c->height;
    /* narrow cells side by side go to the screen as one run (mvadd_wchnstr: no wrapping to work out, and the
     * window has no attributes or background of its own to merge); a wide character goes on its own */
    cchar_t run[512];
    int run_x = 0, run_n = 0;
#define FLUSH_RUN(row)                                          \
    do {                                                        \
        if (run_n > 0)                                          \
            mvadd_wchnstr((row), run_x, run, run_n);            \
        run_n = 0;                                              \
    } while (0)
    for (int y = 0; y < height; y++) {
        int cy = y - oy;
        if (cy < 0 || cy >= c->height)
            continue;
        for (int x = 0; x < t->cols; x++) {
            int cx = x - ox;
            if (cx < 0 || cx >= c->width)
                continue;
            const layout_cell *p = layout_peek(c, cx, cy);
            if (!p)
                continue; /* outside the part drawn, which covers the window */
            wchar_t ch = p->ch;
            if ((ch == 0 || ch == L' ') && p->kind == LAYOUT_BLANK)
                continue; /* most of the window: nothing to draw (erase() blanked it) */
            int wide = ch > 0x7e && wcwidth(ch) == 2; /* ASCII is never wide */
            if (ch == 0 || (wide && x + 1 >= t->cols))
                ch = L' '; /* half of a wide character at the window's edge */
            if (ch == L' ' && p->kind == LAYOUT_BLANK)
                continue;
            if (wide && ch != L' ') {
                FLUSH_RUN(top + y);
                cchar_t cc;
                tui_cell(&cc, ch, kind_role[p->kind]);
                mvadd_wch(top + y, x, &cc);
                x++;
                continue;
            }
            if (run_n > 0 && (run_x + run_n != x || run_n == (int)(sizeof run / sizeof run[0])))
                FLUSH_RUN(top + y);
            if (run_n == 0)
                run_x = x;
            tui_cell(&run[run_n++], ch, kind_role[p->kind]);
        }
        FLUSH_RUN(top + y);
    }
#undef FLUSH_RUN
}

/* ---------------------------------------------------------------- the step panel */

/* Break text into lines of at most width cells (text_wrap: at spaces, else where Unicode allows). Calls
 * out(line) for each, up to max lines; returns the number of lines the text needs. */
struct wrap_ctx {
    void (*out)(void *, int, const char *);
    void *ctx;
    int max, lines;
};

static void wrap_line(void *c, const char *s, size_t n)
{
    struct wrap_ctx *w = c;
    char line[1024];
    if (n >= sizeof line)
        n = sizeof line - 1;
    memcpy(line, s, n);
    line[n] = 0;
    if (w->out && w->lines < w->max)
        w->out(w->ctx, w->lines, line);
    w->lines++;
}

static int wrap(const char *text, int width, void (*out)(void *, int, const char *), void *ctx, int max)
{
    struct wrap_ctx w = { out, ctx, max, 0 };
    return text_wrap(text, width, wrap_line, &w);
}

/* ---------------------------------------------------------------- the active node's vector */

/* The step's node of a batch as a small table, a column per sample and a row for each number the walk has
 * revealed: its values, its gradients (once known, or "?" at its chain step), and at a local step the
 * local gradients of its edge (LAYOUT_KINDS' colours). The column of the sample the boxes show stands out. */
enum { TABLE_ROWS = 5, TABLE_CELL = 9, TABLE_LABEL = 18 }; /* a label fits ∂mean(s^2)/∂(s^2) */
enum table_row { ROW_SAMPLE, ROW_VALUE, ROW_GRAD, ROW_INPUT, ROW_LOCAL };

struct table {
    int rows;                   /* the header and the rows below it; 0: no table */
    enum table_row what[TABLE_ROWS];
    int len[TABLE_ROWS];        /* numbers in each row */
    int hidden[TABLE_ROWS];     /* the row is the step's result, held back */
    char label[TABLE_ROWS][256];
    int node;
    int input; /* ROW_INPUT: the node the edge of a local step comes from */
};

static void table_of(const tui *t, struct table *tb)
{
    const walk *w = t->w;
    const walk_step *st = walk_current(w);
    int id = st->node, hiding = tui_hiding(t);
    tb->rows = 0;
    tb->node = id;
    if (id < 0)
        return;
    char name[96];
    walk_node_name(w, id, name, sizeof name);
    int len = graph_node_at(t->l->g, id)->len, most = 0;
    int rows = 1;
    /* one number is not a vector: the step's formula says it */
    if (walk_value_known(w, id) && len > 1) {
        tb->what[rows] = ROW_VALUE;
        tb->len[rows] = len;
        tb->hidden[rows] = hiding && (st->phase == LESSON_PHASE_FORWARD || st->phase == LESSON_PHASE_UPDATE);
        snprintf(tb->label[rows++], sizeof tb->label[0], "%s", name);
    }
    if (len > 1 && walk_needs_grad(w, id) && (walk_grad_known(w, id) || st->phase == LESSON_PHASE_CHAIN)) {
        tb->what[rows] = ROW_GRAD;
        tb->len[rows] = len;
        tb->hidden[rows] = hiding && st->phase == LESSON_PHASE_CHAIN;
        walk_grad_name(w, id, tb->label[rows++], sizeof tb->label[0]);
    }
    /* at a local step, the input the edge comes from beside its local gradient: ∂(s^2)/∂s = 2·s is read
     * against s, not against s^2 above it (an input that is one number is in the step's formula) */
    int in = st->phase == LESSON_PHASE_LOCAL && st->input >= 0 ? graph_node_at(t->l->g, id)->src[st->input] : -1;
    if (in >= 0 && in != id && graph_node_at(t->l->g, in)->len > 1 && walk_value_known(w, in) &&
        graph_local_len(t->l->g, id) > 1) {
        tb->what[rows] = ROW_INPUT;
        tb->len[rows] = graph_node_at(t->l->g, in)->len;
        tb->hidden[rows] = 0;
        tb->input = in;
        walk_node_name(w, in, tb->label[rows++], sizeof tb->label[0]);
    }
    if (st->phase == LESSON_PHASE_LOCAL && st->input >= 0 && graph_local_len(t->l->g, id) > 1) {
        tb->what[rows] = ROW_LOCAL;
        tb->len[rows] = graph_local_len(t->l->g, id);
        tb->hidden[rows] = hiding;
        walk_local_name(w, id, st->input, tb->label[rows++], sizeof tb->label[0]);
    }
    for (int r = 1; r < rows; r++)
        most = tb->len[r] > most ? tb->len[r] : most;
    if (rows == 1)
        return;
    tb->what[0] = ROW_SAMPLE;
    tb->len[0] = most;
    snprintf(tb->label[0], sizeof tb->label[0], "%s", _("sample"));
    tb->rows = rows;
}

/* The samples a table of `width` cells shows, from *first: as many as fit, around the one the boxes show. */
static int table_columns(const tui *t, const struct table *tb, int width, int *first)
{
    int n = tb->len[0], fit = (width - TABLE_LABEL - 1) / TABLE_CELL, shown = layout_view_options(t->diagram).sample;
    fit = fit < 1 ? 1 : fit;
    if (n <= fit) {
        *first = 0;
        return n;
    }
    fit--; /* a column for the "…" */
    shown = shown < 0 || shown >= n ? 0 : shown;
    *first = shown - fit / 2;
    *first = *first + fit > n ? n - fit : *first;
    *first = *first < 0 ? 0 : *first;
    return fit;
}

static void draw_table(const tui *t, const struct table *tb, int y, int rows_left)
{
    const walk *w = t->w;
    const walk_step *st = walk_current(w);
    int first, cols = table_columns(t, tb, t->cols - 2, &first), shown = layout_view_options(t->diagram).sample;
    int fit = tb->rows < rows_left ? tb->rows : rows_left;
    char cell[64];
    /* short of rows, the rows above the last give way, not the last: it is the step's result (the local
     * gradient, ∂L/∂node), the value above it is the forward step's; the samples' numbers stay on top */
    for (int line = 0; line < fit; line++, y++) {
        int r = line == 0 && fit > 1 ? 0 : tb->rows - (fit - line);
        tui_put_clipped(y, 1, tb->label[r], TABLE_LABEL - 1, r == 0 ? TUI_HINT : TUI_TITLE);
        for (int k = 0; k < cols; k++) {
            int i = first + k, x = 1 + TABLE_LABEL + k * TABLE_CELL;
            enum tui_role role = TUI_VALUE;
            if (tb->what[r] == ROW_SAMPLE) {
                snprintf(cell, sizeof cell, i == shown ? "[%d]" : "%d", i + 1);
                role = i == shown ? TUI_HINT_KEY : TUI_HINT;
            } else if (i >= tb->len[r]) {
                continue;
            } else if (tb->hidden[r]) {
                snprintf(cell, sizeof cell, "%s", "?");
                role = TUI_UNKNOWN;
            } else {
                double v = tb->what[r] == ROW_VALUE ? walk_value(w, tb->node, i)
                         : tb->what[r] == ROW_INPUT ? walk_value(w, tb->input, i)
                         : tb->what[r] == ROW_GRAD  ? walk_grad(w, tb->node, i)
                                                    : walk_local_grad(w, tb->node, st->input, i);
                walk_format_digits(v, 4, cell, sizeof cell);
                role = tb->what[r] == ROW_VALUE || tb->what[r] == ROW_INPUT ? TUI_VALUE
                     : tb->what[r] == ROW_GRAD                             ? TUI_GRAD
                                                                           : TUI_LOCAL;
            }
            int cw = text_width(cell);
            tui_put(y, x + TABLE_CELL - 1 - cw, cell, cw, role);
        }
        if (first + cols < tb->len[0])
            tui_put(y, 1 + TABLE_LABEL + cols * TABLE_CELL + 2, "\u2026", 1, TUI_HINT);
    }
}


/* ---------------------------------------------------------------- a layer's weights as a matrix */

/* At the chain step or the update of a weight in the network, its layer's weights as nn.Linear keeps them
 * (a row per unit, a column per input: out × in) beside their gradient ∂L/∂W, whose rows are headed by δ (∂L/∂
 * each unit's pre-activation) and columns by x (the inputs), so that each cell reads as δᵢ·xⱼ: the outer product
 * δ·xᵀ, said so only when the engine's numbers bear it out. A number the walk has not revealed is "?", as in
 * the boxes. It takes the panel's rows the other lines leave; with fewer it drops its last line, then says
 * in one line that it needs a taller screen; too wide with six, four or three digits, that it needs a wider
 * one. */
enum { MATRIX_GAP = 3, MATRIX_ROWS_MAX = 12 };

struct matrix {
    layout_matrix *m;  /* NULL: none at this step */
    int lines;         /* rows the panel gives it */
    int digits;        /* significant digits */
    int cell_w, cell_g; /* cells per number of W and of ∂L/∂W, with the blanks before it */
    int label, gx;     /* the row labels' width; the column the gradient's block starts at */
    int batch;         /* δ or x holds a batch: the cells sum δᵢ·xⱼ over the samples */
    int outer;         /* ∂L/∂W = δ·xᵀ holds of the numbers */
    int last_lines;    /* lines of the last line (0: left out) */
    char note[320];    /* instead of the matrix: why it is not shown */
    char head_w[256], head_g[256], head[640], last[640];
    int head_lines;
};

static void subscript(int k, char *buf, size_t n)
{
    char digits[16];
    size_t used = 0;
    snprintf(digits, sizeof digits, "%d", k);
    for (const char *d = digits; *d >= '0' && *d <= '9' && used + 4 < n; d++) { /* ₀ … ₉: U+2080 + d */
        buf[used++] = (char)0xe2;
        buf[used++] = (char)0x82;
        buf[used++] = (char)(0x80 + (*d - '0'));
    }
    buf[used] = '\0';
}

/* What cell (r, c) of W (grad 0) or of ∂L/∂W (grad 1) shows, and in which colour. */
static enum tui_role matrix_cell(const tui *t, const layout_matrix *m, int r, int c, int grad, int digits, char *buf,
                                 size_t n)
{
    const walk_step *st = walk_current(t->w);
    int p = m->weight[r * m->cols + c], hiding = tui_hiding(t);
    if (p < 0) {
        snprintf(buf, n, "%s", "\u00b7");
        return TUI_HINT;
    }
    if (!grad) {
        if (hiding && st->phase == LESSON_PHASE_UPDATE && st->node == p) {
            snprintf(buf, n, "%s", "?");
            return TUI_UNKNOWN;
        }
        walk_format_digits(walk_value(t->w, p, 0), digits, buf, n);
        return TUI_VALUE;
    }
    if (!walk_grad_known(t->w, p) || (hiding && st->phase == LESSON_PHASE_CHAIN && st->node == p)) {
        snprintf(buf, n, "%s", "?");
        return TUI_UNKNOWN;
    }
    walk_format_digits(walk_grad(t->w, p, 0), digits, buf, n);
    return TUI_GRAD;
}

/* Row r's δ (which heads its row of ∂L/∂W), or column c's x (which heads its column). */
static enum tui_role matrix_delta(const tui *t, const layout_matrix *m, int r, int digits, char *buf, size_t n)
{
    int d = m->delta[r];
    if (d < 0) {
        snprintf(buf, n, "%s", "\u00b7");
        return TUI_HINT;
    }
    if (!walk_grad_known(t->w, d)) {
        snprintf(buf, n, "%s", "?");
        return TUI_UNKNOWN;
    }
    walk_format_digits(walk_grad(t->w, d, 0), digits, buf, n);
    return TUI_GRAD;
}

static enum tui_role matrix_x(const tui *t, const layout_matrix *m, int c, int digits, char *buf, size_t n)
{
    if (!walk_value_known(t->w, m->input[c])) {
        snprintf(buf, n, "%s", "?");
        return TUI_UNKNOWN;
    }
    walk_format_digits(walk_value(t->w, m->input[c], 0), digits, buf, n);
    return TUI_VALUE;
}

/* The width the two blocks take with digits significant digits (and sets mx->cell_w, cell_g, label, gx). */
static int matrix_width(const tui *t, struct matrix *mx, int digits)
{
    const layout_matrix *m = mx->m;
    char buf[96];
    int cw = 4, cg = mx->batch ? 4 : 7, label = 1; /* "δ ╲ x" heads δ's column */
#define WIDEN(c, text) ((c) = text_width(text) + 2 > (c) ? text_width(text) + 2 : (c))
    for (int r = 0; r < m->rows; r++) {
        walk_node_name(t->w, m->unit[r], buf, sizeof buf);
        label = text_width(buf) > label ? text_width(buf) : label;
        if (!mx->batch) {
            matrix_delta(t, m, r, digits, buf, sizeof buf);
            WIDEN(cg, buf);
        }
        for (int c = 0; c < m->cols; c++) {
            matrix_cell(t, m, r, c, 0, digits, buf, sizeof buf);
            WIDEN(cw, buf);
            matrix_cell(t, m, r, c, 1, digits, buf, sizeof buf);
            WIDEN(cg, buf);
        }
    }
    for (int c = 0; c < m->cols; c++) {
        walk_node_name(t->w, m->input[c], buf, sizeof buf);
        if (text_width(buf) <= 8) { /* a longer name is cut */
            WIDEN(cw, buf);
            if (mx->batch)
                WIDEN(cg, buf);
        }
        if (!mx->batch) {
            matrix_x(t, m, c, digits, buf, sizeof buf);
            WIDEN(cg, buf);
        }
    }
#undef WIDEN
    label = label > 8 ? 8 : label;
    mx->digits = digits;
    mx->cell_w = cw;
    mx->cell_g = cg;
    mx->label = label;
    mx->gx = 1 + label + m->cols * cw + MATRIX_GAP;
    return mx->gx + (mx->batch ? 0 : cg) + m->cols * cg;
}

/* The matrix of the step's weight, planned for `room` rows of the panel (room < 0: as many as it needs). */
static void matrix_of(const tui *t, struct matrix *mx, int room)
{
    memset(mx, 0, sizeof *mx);
    const walk_step *st = walk_current(t->w);
    const layout_net *net = t->diagram ? layout_view_net(t->diagram) : NULL;
    if (!net || (st->phase != LESSON_PHASE_CHAIN && st->phase != LESSON_PHASE_UPDATE) || st->node < 0)
        return;
    layout_matrix *m = layout_matrix_of(net, t->l, st->node);
    if (!m || m->rows < 1 || m->cols < 1) {
        layout_matrix_free(m);
        return;
    }
    mx->m = m;
    const graph *g = t->l->g;
    for (int r = 0; r < m->rows; r++)
        mx->batch |= m->delta[r] >= 0 && graph_node_at(g, m->delta[r])->len > 1;
    for (int c = 0; c < m->cols; c++)
        mx->batch |= graph_node_at(g, m->input[c])->len > 1;
    mx->outer = layout_matrix_outer(m, t->w);
    /* nn.Linear's names: the layer by its title when Python could call it so */
    const char *title = m->layer < t->l->n_layers ? t->l->layers[m->layer].title : NULL; /* the loss: none */
    int ident = title && (*title == '_' || ((*title | 32) >= 'a' && (*title | 32) <= 'z'));
    for (const char *p = title; ident && *p; p++)
        ident = *p == '_' || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z');
    const char *py = ident ? title : "layer";
    char loss[96], grad_w[160];
    walk_node_name(t->w, t->l->loss, loss, sizeof loss);
    snprintf(mx->head_w, sizeof mx->head_w, _("W = %s.weight (%d\u00d7%d: out \u00d7 in)"), py, m->rows, m->cols);
    char pyg[96] = "";
    if (walk_zero_grad(t->w)) /* without zero_grad, .grad holds more than this pass's gradient */
        snprintf(pyg, sizeof pyg, " = %s.weight.grad", py);
    if (mx->outer)
        snprintf(mx->head_g, sizeof mx->head_g, mx->batch ? _("\u2202%s/\u2202W = \u03a3 over the samples of \u03b4\u00b7x\u1d40%s")
                                                       : _("\u2202%s/\u2202W = \u03b4\u00b7x\u1d40%s"), loss, pyg);
    else
        snprintf(mx->head_g, sizeof mx->head_g, "\u2202%s/\u2202W%s", loss, pyg);
    /* the last line: what the step's own cell is, as δᵢ·xⱼ */
    int r = m->row, c = m->col, width = t->cols - 2;
    char cell_text[512] = "", def[256], dv[64], xv[64], gv[64], si[16], xj[96];
    walk_grad_name(t->w, st->node, grad_w, sizeof grad_w);
    subscript(r + 1, si, sizeof si);
    /* the column's input by its name, as its heading shows it (h₁ in a second layer, not the model's x₁) */
    walk_node_name(t->w, m->input[c], xj, sizeof xj);
    if (mx->outer && r >= 0 && walk_grad_known(t->w, m->delta[r])) {
        matrix_cell(t, m, r, c, 1, 6, gv, sizeof gv);
        if (mx->batch) {
            snprintf(cell_text, sizeof cell_text, _("%s = \u03a3 \u03b4%s\u00b7%s over the samples = %s"), grad_w, si,
                     xj, gv);
        } else {
            matrix_delta(t, m, r, 6, dv, sizeof dv);
            matrix_x(t, m, c, 6, xv, sizeof xv);
            /* a negative factor in parentheses, as the working writes it */
            int nd = strncmp(dv, "\u2212", 3) == 0, nx = strncmp(xv, "\u2212", 3) == 0;
            snprintf(cell_text, sizeof cell_text, "%s = \u03b4%s\u00b7%s = %s%s%s\u00b7%s%s%s = %s", grad_w, si, xj,
                     nd ? "(" : "", dv, nd ? ")" : "", nx ? "(" : "", xv, nx ? ")" : "", gv);
        }
    }
    snprintf(def, sizeof def, _("\u03b4 = \u2202%s/\u2202 each unit's pre-activation, x = its inputs: "), loss);
    /* how wide: six digits, or four, or three */
    int need = 0;
    for (int d = 6; d >= 3; d -= d == 6 ? 2 : 1)
        if ((need = matrix_width(t, mx, d)) <= width + 1)
            break;
    snprintf(mx->head, sizeof mx->head, "%s   %s", mx->head_w, mx->head_g);
    mx->head_lines = wrap(mx->head, width, NULL, NULL, 0);
    int rows = m->rows + 1 + mx->head_lines;
    if (need > width + 1) {
        snprintf(mx->note, sizeof mx->note, _("W and \u2202%s/\u2202W (%d\u00d7%d) as matrices need a wider screen (%d columns)"),
                 loss, m->rows, m->cols, need + 1);
    } else if (m->rows > MATRIX_ROWS_MAX || (room >= 0 && rows > room)) {
        snprintf(mx->note, sizeof mx->note, _("W and \u2202%s/\u2202W (%d\u00d7%d) as matrices need a taller screen"),
                 loss, m->rows, m->cols);
    } else if (cell_text[0]) {
        snprintf(mx->last, sizeof mx->last, "%s%s", def, cell_text);
        mx->last_lines = wrap(mx->last, width, NULL, NULL, 0);
        if (room >= 0 && rows + mx->last_lines > room) {
            snprintf(mx->last, sizeof mx->last, "%s", cell_text);
            mx->last_lines = wrap(mx->last, width, NULL, NULL, 0);
        }
        if (room >= 0 && rows + mx->last_lines > room)
            mx->last_lines = 0;
    }
    mx->lines = mx->note[0] ? (room < 0 || room >= 1 ? wrap(mx->note, width, NULL, NULL, 0) : 0) : rows + mx->last_lines;
    if (room >= 0 && mx->lines > room)
        mx->lines = room > 0 ? room : 0;
}


/* ---------------------------------------------------------------- the step panel text */

struct panel_text {
    char formula[1024], note[512], stands[1024];
    const char *narration, *pytorch;
    int formula_lines, stands_lines, narration_lines, note_lines, pytorch_lines; /* wrapped to the panel's width */
    struct table table;
    struct matrix matrix;
};

/*
 * A frame asks for the panel's text four times (the graph's rows for the status line and for the frame, then
 * the panel drawn), and the diagram's refresh once more just before it: inside a frame (tui_view_frame) the
 * text is made once and kept here, all but the weight's matrix, which depends on the room it is given. A frame
 * is short: the diagram's refresh opens one afresh, tui_draw ends it, and tui.c ends any left open (a frame
 * superseded by keys waiting) before the next key is run; outside a frame nothing is kept, so nothing kept can
 * be stale. Within one, the text is also tied to the step it was made for (the walk, its epoch and step, what
 * is held back, the width). The narration and the PyTorch line are copied, since the walk's scratch buffers
 * they come from are not ours.
 */
static void panel_text_make(const tui *t, struct panel_text *pt, int width);

struct panel_key {
    const walk *w;
    const lesson *l;
    const layout_view *diagram;
    int epoch, index, hiding, cols;
};

static struct {
    int in_frame, valid;
    struct panel_key key;
    struct panel_text pt;
    char *narration, *pytorch;
    size_t narration_cap, pytorch_cap;
} panel_cache;

void tui_view_frame(int begin)
{
    if (begin && panel_cache.in_frame) /* go on with the frame the diagram's refresh opened */
        return;
    panel_cache.in_frame = begin;
    panel_cache.valid = 0;
}

static struct panel_key panel_key_of(const tui *t)
{
    struct panel_key k;
    memset(&k, 0, sizeof k); /* compared with memcmp: no stray bytes */
    k.w = t->w;
    k.l = t->l;
    k.diagram = t->diagram;
    k.epoch = walk_epoch(t->w);
    k.index = walk_index(t->w);
    k.hiding = tui_hiding(t);
    k.cols = t->cols;
    return k;
}

/* Copy text into *buf (grown as needed); NULL if memory runs out. */
static const char *keep_copy(char **buf, size_t *cap, const char *text)
{
    size_t n = strlen(text) + 1;
    if (n > *cap) {
        char *b = realloc(*buf, n);
        if (!b)
            return NULL;
        *buf = b;
        *cap = n;
    }
    return memcpy(*buf, text, n);
}

/* The PyTorch line (in py) and the rows it takes at width: 1, or 2 when it does not fit one (0: none). */
static int pytorch_rows(const struct panel_text *pt, int width, char *py, size_t n)
{
    py[0] = '\0';
    if (!pt->pytorch || !pt->pytorch[0])
        return 0;
    snprintf(py, n, _("PyTorch: %s"), pt->pytorch);
    return wrap(py, width, NULL, NULL, 0) == 2 ? 2 : 1; /* longer than two rows: one, cut with … (panel_draw) */
}

/* While the step's result is held back (a quiz, a class working it out) the working shows with "?" for it,
 * and so does the narration: the lesson's words stay, each number the step reveals waits for the reveal. An
 * unnamed node's box is titled by its operator ("·", "+b₁"): the panel says which formula that is. */
static void panel_text(const tui *t, struct panel_text *pt, int room)
{
    int width = t->cols - 2;
    struct panel_key key = panel_key_of(t);
    if (panel_cache.in_frame && panel_cache.valid && memcmp(&key, &panel_cache.key, sizeof key) == 0) {
        memcpy(pt, &panel_cache.pt, sizeof *pt);
    } else {
        panel_cache.valid = 0;
        panel_text_make(t, pt, width);
        panel_cache.key = key;
        if (panel_cache.in_frame && pt->narration &&
            (pt->narration = keep_copy(&panel_cache.narration, &panel_cache.narration_cap, pt->narration)) &&
            (!pt->pytorch ||
             (pt->pytorch = keep_copy(&panel_cache.pytorch, &panel_cache.pytorch_cap, pt->pytorch)))) {
            memcpy(&panel_cache.pt, pt, sizeof *pt);
            panel_cache.valid = 1;
        }
    }
    pt->matrix.m = NULL;
    /* the weight matrix takes what the rest of the panel leaves */
    int others = 1 + pt->formula_lines + pt->stands_lines + pt->table.rows + pt->narration_lines + pt->note_lines +
                 pt->pytorch_lines;
    matrix_of(t, &pt->matrix, room > others ? room - others : 0); /* none left is 0, not "as many as it needs" */
}

/* The panel's text but the matrix. */
static void panel_text_make(const tui *t, struct panel_text *pt, int width)
{
    int hiding = tui_hiding(t);
    if (hiding)
        walk_step_question(t->w, pt->formula, sizeof pt->formula);
    else
        walk_step_formula(t->w, pt->formula, sizeof pt->formula);
    walk_step_note(t->w, pt->note, sizeof pt->note);
    pt->narration = hiding ? walk_step_narration_held(t->w) : walk_step_narration(t->w);
    pt->pytorch = walk_step_pytorch(t->w);
    pt->stands[0] = '\0';
    int id = walk_current(t->w)->node, from, to;
    char title[128], formula[384];
    int edge = t->diagram ? layout_view_edge(t->diagram, id, &from, &to) : 0;
    if (edge) {
        /* in the network, a product w·x and its weight are the edge from x: say which */
        char a[96], b[96];
        walk_node_name(t->w, from, a, sizeof a);
        walk_node_name(t->w, to, b, sizeof b);
        walk_node_name(t->w, id, formula, sizeof formula);
        if (edge == 1)
            snprintf(pt->stands, sizeof pt->stands, _("the edge %s \u2192 %s is %s"), a, b, formula);
        else
            snprintf(pt->stands, sizeof pt->stands, _("%s is the weight on the edge %s \u2192 %s"), formula, a, b);
    } else if (id >= 0 && t->diagram && !lesson_node_name(t->l, id) &&
               layout_view_title(t->diagram, id, title, sizeof title)) {
        lesson_formula(t->l, id, formula, sizeof formula);
        char a[sizeof title], b[sizeof formula];
        size_t i = 0, j = 0;
        for (const char *p = title; *p && i + 1 < sizeof a; p++) /* the same but for its blanks: say nothing */
            if (*p != ' ')
                a[i++] = *p;
        for (const char *p = formula; *p && j + 1 < sizeof b; p++)
            if (*p != ' ')
                b[j++] = *p;
        a[i] = b[j] = '\0';
        if (strcmp(a, b) != 0)
            snprintf(pt->stands, sizeof pt->stands, _("the box %s is %s"), title, formula);
    }
    table_of(t, &pt->table);
    pt->formula_lines = wrap(pt->formula, width, NULL, NULL, 0);
    pt->stands_lines = pt->stands[0] ? wrap(pt->stands, width, NULL, NULL, 0) : 0;
    pt->narration_lines = wrap(pt->narration, width, NULL, NULL, 0);
    pt->note_lines = pt->note[0] ? wrap(pt->note, width, NULL, NULL, 0) : 0;
    char py[512];
    pt->pytorch_lines = pytorch_rows(pt, width, py, sizeof py);
}

int tui_panel_pytorch_rows(const tui *t)
{
    if (!t->w || t->cols < 3)
        return 0;
    char py[512];
    struct panel_text pt = { .pytorch = walk_step_pytorch(t->w) };
    return pytorch_rows(&pt, t->cols - 2, py, sizeof py);
}

int tui_panel_lines(const tui *t, int room)
{
    if (!t->w)
        return 0;
    struct panel_text pt;
    panel_text(t, &pt, room);
    int n = 1 + pt.formula_lines + pt.stands_lines + pt.table.rows + pt.narration_lines + pt.note_lines;
    n += pt.pytorch_lines;
    n += pt.matrix.lines;
    layout_matrix_free(pt.matrix.m);
    return n;
}

struct panel_ctx {
    const tui *t;
    int y, left;
    enum tui_role role;
};

static void panel_line(void *ctx, int i, const char *line)
{
    struct panel_ctx *pc = ctx;
    (void)i;
    if (pc->left <= 0)
        return;
    tui_put(pc->y++, 1, line, pc->t->cols - 2, pc->role);
    pc->left--;
}

/* panel_line for the lines of a text after its first skip ones, at column 2. */
struct skip_ctx {
    struct panel_ctx *pc;
    int skip;
};

static void skip_line(void *ctx, const char *start, size_t bytes)
{
    struct skip_ctx *sc = ctx;
    if (sc->skip > 0) {
        sc->skip--;
        return;
    }
    struct panel_ctx *pc = sc->pc;
    if (pc->left <= 0)
        return;
    char line[1024];
    snprintf(line, sizeof line, "%.*s", (int)(bytes < sizeof line ? bytes : sizeof line - 1), start);
    tui_put(pc->y++, 2, line, pc->t->cols - 4, pc->role);
    pc->left--;
}

/* The two blocks side by side: W with the units' names, ∂L/∂W with δ down its side and x along its top. */
static void matrix_draw(const tui *t, const struct matrix *mx, struct panel_ctx *pc)
{
    const layout_matrix *m = mx->m;
    if (!m || mx->lines <= 0 || pc->left <= 0)
        return;
    if (mx->note[0]) {
        pc->role = TUI_HINT;
        wrap(mx->note, t->cols - 2, panel_line, pc, mx->lines);
        return;
    }
    char buf[640];
    int y = pc->y, cw = mx->cell_w, cg = mx->cell_g, wx = 1 + mx->label, gx = mx->gx + (mx->batch ? 0 : cg);
    int right = t->cols - 1;
#define PUT_RIGHT(yy, x, c, text, role)                                                                    \
    do {                                                                                                   \
        int w_ = text_width(text);                                                                         \
        if ((x) + (c) - 1 <= right)                                                                        \
            tui_put((yy), (x) + (c) - 1 - w_, (text), w_, (role));                                         \
    } while (0)
    pc->role = TUI_HINT;
    wrap(mx->head, t->cols - 2, panel_line, pc, mx->head_lines);
    y = pc->y;
    if (pc->left < 1 + m->rows)
        return; /* planned for more rows than the panel has */
    /* the columns: the inputs by name over W; over ∂L/∂W, x (or the names, for a batch) */
    if (!mx->batch)
        PUT_RIGHT(y, mx->gx, cg, "\u03b4 \u2572 x", TUI_HINT);
    for (int c = 0; c < m->cols; c++) {
        walk_node_name(t->w, m->input[c], buf, sizeof buf);
        const char *clip = buf;
        if (text_width(clip) > cw - 2)
            tui_put_clipped(y, wx + c * cw + 2, clip, cw - 2, TUI_TITLE);
        else
            PUT_RIGHT(y, wx + c * cw, cw, clip, TUI_TITLE);
        if (mx->batch) {
            PUT_RIGHT(y, gx + c * cg, cg, clip, TUI_TITLE);
        } else {
            enum tui_role role = matrix_x(t, m, c, mx->digits, buf, sizeof buf);
            PUT_RIGHT(y, gx + c * cg, cg, buf, role);
        }
    }
    y++;
    for (int r = 0; r < m->rows; r++, y++) {
        walk_node_name(t->w, m->unit[r], buf, sizeof buf);
        tui_put_clipped(y, 1, buf, mx->label, TUI_TITLE);
        if (!mx->batch) {
            enum tui_role role = matrix_delta(t, m, r, mx->digits, buf, sizeof buf);
            PUT_RIGHT(y, mx->gx, cg, buf, role);
        }
        for (int c = 0; c < m->cols; c++) {
            int active = r == m->row && c == m->col;
            enum tui_role role = matrix_cell(t, m, r, c, 0, mx->digits, buf, sizeof buf);
            PUT_RIGHT(y, wx + c * cw, cw, buf, active && role != TUI_UNKNOWN ? TUI_HINT_KEY : role);
            role = matrix_cell(t, m, r, c, 1, mx->digits, buf, sizeof buf);
            PUT_RIGHT(y, gx + c * cg, cg, buf, active && role != TUI_UNKNOWN ? TUI_HINT_KEY : role);
        }
    }
#undef PUT_RIGHT
    int used = y - pc->y;
    pc->y = y;
    pc->left -= used;
    if (mx->last_lines > 0) {
        pc->role = TUI_HINT;
        wrap(mx->last, t->cols - 2, panel_line, pc, mx->last_lines);
    }
}

/* The narration as the panel last drew it, when it was cut: its rows and a page's, and the step it was at. */
static struct {
    int need, shown, epoch, index;
} narration_page;

/* The rows of the narration paged past: the learner's paging of this step's, none at another step. */
static int narration_skip(const tui *t)
{
    return t->narration_epoch == walk_epoch(t->w) && t->narration_index == walk_index(t->w) ? t->narration_skip : 0;
}

int tui_narration_page(const tui *t, int *shown, int *skip)
{
    *shown = *skip = 0;
    if (t->view != TUI_VIEW_GRAPH || !t->w || narration_page.need <= narration_page.shown ||
        narration_page.epoch != walk_epoch(t->w) || narration_page.index != walk_index(t->w))
        return 0;
    *shown = narration_page.shown;
    *skip = narration_skip(t);
    return narration_page.need;
}

void tui_draw_panel(const tui *t, int top, int height)
{
    if (height <= 0 || !t->w)
        return;
    struct panel_text pt;
    panel_text(t, &pt, height);
    const walk_step *st = walk_current(t->w);
    int k, n;
    walk_phase_position(t->w, &k, &n);
    char head[256];
    snprintf(head, sizeof head, _(" %s \u00b7 %d of %d "), _(walk_phase_title(st->phase)), k, n);
    cchar_t line;
    tui_cell(&line, L'\u2500', TUI_AXIS);
    mvhline_set(top, 0, &line, t->cols);
    int hw = tui_put(top, 2, head, t->cols - 4, TUI_PHASE);
    if (t->classroom) {
        /* the class needs to see where it is from the back of the room */
        char step[64];
        snprintf(step, sizeof step, _(" STEP %d / %d "), walk_index(t->w) + 1, walk_count(t->w));
        if (2 + hw + 2 + text_width(step) < t->cols - 10)
            tui_put(top, 2 + hw + 2, step, text_width(step), TUI_STATUS);
    }
    /* arrows on the rule say there is more of the graph to pan to (H J K L); the status line says so too */
    char arrows[64], pan[80], keys[64];
    if (tui_pan_marker(t, top - 1, arrows, sizeof arrows, keys, sizeof keys)) {
        snprintf(pan, sizeof pan, " %s ", arrows);
        tui_put(top, t->cols - 8, pan, 6, TUI_HINT_KEY);
    }
    struct panel_ctx pc = { t, top + 1, height - 1, TUI_FORMULA };
    int width = t->cols - 2;
    /* the PyTorch line is kept: it goes last, and the narration gives way to it, but not the step's working
     * (at 60x16 a quiz's working lost its second row to it); with one row, the formula. One too long for the
     * row takes two when the panel has them, else it is cut with an ellipsis. */
    char py[512];
    int py_rows = pytorch_rows(&pt, width, py, sizeof py), keep = 0;
    if (py_rows == 2) { /* two rows only when the rest of the panel still fits */
        int rest = 1 + pt.formula_lines + pt.stands_lines + pt.table.rows + pt.matrix.lines + pt.note_lines +
                   pt.narration_lines;
        keep = rest + 2 <= height && wrap(py, width, NULL, NULL, 0) == 2 ? 2 : height > 2;
    } else {
        keep = py_rows && height > 2;
    }
    if (keep > 0 && pt.formula_lines > pc.left - keep) /* the step's working comes first: PyTorch gives way */
        keep = pc.left > pt.formula_lines ? pc.left - pt.formula_lines : 0;
    pc.left -= keep;
    wrap(pt.formula, width, panel_line, &pc, 1000);
    pc.role = TUI_HINT;
    if (pt.stands[0])
        wrap(pt.stands, width, panel_line, &pc, 1000);
    if (pt.table.rows > 0 && pc.left > 0) {
        int shown = pt.table.rows < pc.left ? pt.table.rows : pc.left;
        draw_table(t, &pt.table, pc.y, shown);
        pc.y += shown;
        pc.left -= shown;
    }
    matrix_draw(t, &pt.matrix, &pc);
    pc.role = TUI_NOTE;
    if (pt.note[0])
        wrap(pt.note, width, panel_line, &pc, 1000);
    pc.role = TUI_NARRATION;
    int need = pt.narration_lines;
    narration_page.need = narration_page.shown = 0;
    if (need > pc.left && pc.left > 0) {
        /* too long for the room: a page of it, wrapped short of a mark on its last row that says where the rest
         * is and the key that shows it (PgDn; on the last page PgUp goes back) */
        char key[32], down[96], up[96];
        snprintf(down, sizeof down, _("\u25bc more (%s)"), tui_keymap_how(TUI_ACT_PAGE_DOWN, key, sizeof key));
        snprintf(up, sizeof up, _("\u25b2 back (%s)"), tui_keymap_how(TUI_ACT_PAGE_UP, key, sizeof key));
        int mark_w = text_width(down) > text_width(up) ? text_width(down) : text_width(up);
        int nw = width - mark_w - 1 >= width / 2 ? width - mark_w - 1 : width;
        need = wrap(pt.narration, nw, NULL, NULL, 0);
        int shown = pc.left, skip = narration_skip(t);
        if (skip >= need)
            skip = 0;
        int rows = need - skip < shown ? need - skip : shown;
        tui_wrap_from(pc.y, 1, pt.narration, nw, skip, rows, TUI_NARRATION);
        const char *mark = skip + rows < need ? down : skip > 0 ? up : NULL;
        if (mark && nw < width)
            tui_put(pc.y + rows - 1, t->cols - 1 - text_width(mark), mark, text_width(mark), TUI_HINT_KEY);
        else if (skip + rows < need)
            tui_put(pc.y + rows - 1, t->cols - 2, "\u2026", 1, TUI_HINT_KEY);
        narration_page.need = need;
        narration_page.shown = shown;
        narration_page.epoch = walk_epoch(t->w);
        narration_page.index = walk_index(t->w);
        pc.y += shown;
        pc.left = 0;
    } else {
        wrap(pt.narration, width, panel_line, &pc, 1000);
    }
    if (keep > 0 && keep == wrap(py, width, NULL, NULL, 0)) {
        struct panel_ctx pk = { t, top + height - keep, keep, TUI_PYTORCH };
        wrap(py, width, panel_line, &pk, keep);
    } else if (keep) {
        tui_put_clipped(top + height - 1, 1, py, t->cols - 2, TUI_PYTORCH);
    }
    layout_matrix_free(pt.matrix.m);
}

int tui_pan_marker(const tui *t, int graph_rows, char *arrows, size_t an, char *keys, size_t kn)
{
    const layout_canvas *c = t->canvas;
    if (!c || t->view != TUI_VIEW_GRAPH || (c->width <= t->cols && c->height <= graph_rows))
        return 0;
    int more[4] = { c->width > t->cols && t->pan_x > 0, c->height > graph_rows && t->pan_y > 0,
                    c->height > graph_rows && t->pan_y + graph_rows < c->height,
                    c->width > t->cols && t->pan_x + t->cols < c->width };
    static const char *const glyph[4] = { "\u25c0", "\u25b2", "\u25bc", "\u25b6" };
    static const enum tui_action go[4] = { TUI_ACT_PAN_LEFT, TUI_ACT_PAN_UP, TUI_ACT_PAN_DOWN, TUI_ACT_PAN_RIGHT };
    size_t a = 0, k = 0;
    arrows[0] = keys[0] = '\0';
    for (int d = 0; d < 4; d++) {
        a += (size_t)snprintf(arrows + (a < an ? a : an - 1), a < an ? an - a : 1, "%s", more[d] ? glyph[d] : "\u2500");
        if (!more[d])
            continue;
        char key[32];
        k += (size_t)snprintf(keys + (k < kn ? k : kn - 1), k < kn ? kn - k : 1, "%s%s", k ? " " : "",
                              tui_keymap_how(go[d], key, sizeof key));
    }
    return 1;
}

/* ---------------------------------------------------------------- the history */

static void no_epoch_yet(const tui *t, int y)
{
    char finish[32], train[32], line[160];
    snprintf(line, sizeof line, _("No epoch has finished yet: press %s to finish this one, or %s to train."),
             tui_keymap_how(TUI_ACT_FINISH_EPOCH, finish, sizeof finish),
             tui_keymap_how(TUI_ACT_TRAIN_ALL, train, sizeof train));
    tui_put(y, 2, line, t->cols - 4, TUI_NARRATION);
}

static int param_label(const tui *t, int k, char *buf, size_t n)
{
    return walk_node_name(t->w, walk_param_id(t->w, k), buf, n);
}

/* The history's columns: the epoch and the loss stay put; each parameter has a group of columns (its value and
 * ∂L/∂p, and its .grad once an epoch ran with zero_grad off), and the groups scroll sideways (pan-left and
 * pan-right, t->columns the first shown) when they do not all fit. */
enum { HIST_EPOCH = 8, HIST_COL = 14 };

struct hist_cols {
    int np, dotgrad, group; /* parameters, the .grad column, the cells of a group */
    int fit, first;         /* groups shown, and the first of them */
};

static void history_columns(const tui *t, struct hist_cols *h)
{
    h->np = walk_param_count(t->w);
    h->dotgrad = 0;
    for (int i = 0, rows = walk_history_count(t->w); i < rows && !h->dotgrad; i++)
        h->dotgrad = !walk_history_at(t->w, i)->zero_grad;
    h->group = HIST_COL * (2 + h->dotgrad);
    /* a cut group shows as much as fits only when it is the last: a number is never cut in half */
    /* a group's last cell is the gap after its number (at most HIST_COL − 1 cells): the ▶ may stand there */
    h->fit = (t->cols - 2 - HIST_EPOCH - HIST_COL) / h->group;
    h->fit = h->fit < 1 ? 1 : h->fit > h->np ? h->np : h->fit;
    int max = h->np - h->fit;
    h->first = t->columns < 0 ? 0 : t->columns > max ? max : t->columns;
}

int tui_history_columns_max(const tui *t)
{
    if (!t->w)
        return 0;
    struct hist_cols h;
    history_columns(t, &h);
    return h.np - h.fit;
}

void tui_draw_history(const tui *t, int top, int height)
{
    int rows = walk_history_count(t->w);
    char cell[128];
    tui_put(top, 2, _("Epoch history"), t->cols - 4, TUI_HEADING);
    if (rows == 0) {
        no_epoch_yet(t, top + 2);
        return;
    }
    struct hist_cols h;
    history_columns(t, &h);
    int more_left = h.first > 0, more_right = h.first + h.fit < h.np;
    if (more_left || more_right) {
        /* say which parameters are in view, and the keys that bring the others */
        char first[64], last[64], left[32], right[32], keys[80], line[384];
        param_label(t, h.first, first, sizeof first);
        param_label(t, h.first + h.fit - 1, last, sizeof last);
        snprintf(keys, sizeof keys, "%s%s%s", more_left ? tui_keymap_how(TUI_ACT_PAN_LEFT, left, sizeof left) : "",
                 more_left && more_right ? " " : "",
                 more_right ? tui_keymap_how(TUI_ACT_PAN_RIGHT, right, sizeof right) : "");
        if (h.fit == 1)
            snprintf(line, sizeof line, _("%s, parameter %d of %d \u00b7 %s: more columns"), first, h.first + 1, h.np,
                     keys);
        else
            snprintf(line, sizeof line, _("%s to %s, parameters %d\u2013%d of %d \u00b7 %s: more columns"), first, last,
                     h.first + 1, h.first + h.fit, h.np, keys);
        tui_put_clipped(top, 17, line, t->cols - 19, TUI_HINT);
    }
    int x0 = 2 + HIST_EPOCH + HIST_COL, y = top + 2, x = 2;
    tui_put(y, x, _("epoch"), 7, TUI_TITLE);
    tui_put(y, x + HIST_EPOCH, _("loss"), HIST_COL, TUI_TITLE);
    x = x0;
    for (int k = h.first; k < h.first + h.fit; k++) {
        char name[64];
        param_label(t, k, name, sizeof name);
        /* TRANSLATORS: the head of a parameter's column in the epoch history: its value after the epoch's
           update (the row's loss and gradient are from before it), "w after" */
        snprintf(cell, sizeof cell, _("%s after"), name);
        tui_put(y, x, cell, HIST_COL - 1 < t->cols - x ? HIST_COL - 1 : t->cols - x, TUI_TITLE);
        walk_grad_name(t->w, walk_param_id(t->w, k), cell, sizeof cell);
        if (x + HIST_COL < t->cols)
            tui_put(y, x + HIST_COL, cell, t->cols - x - HIST_COL, TUI_TITLE);
        snprintf(cell, sizeof cell, "%s.grad", name);
        if (h.dotgrad && x + 2 * HIST_COL < t->cols)
            tui_put(y, x + 2 * HIST_COL, cell, t->cols - x - 2 * HIST_COL, TUI_TITLE);
        x += h.group;
    }
    /* arrows beside the columns say more lie that way */
    if (more_left)
        tui_put(y, x0 - 2, "\u25c0", 1, TUI_HINT_KEY);
    if (more_right)
        tui_put(y, x - 1 < t->cols - 1 ? x - 1 : t->cols - 1, "\u25b6", 1, TUI_HINT_KEY);
    int room = height - 3;
    int first = rows > room ? rows - room : 0; /* the newest rows, unless scrolled back */
    first -= t->scroll < first ? t->scroll : first;
    for (int i = 0; i < room && first + i < rows; i++) {
        const walk_row *r = walk_history_at(t->w, first + i);
        y = top + 3 + i;
        snprintf(cell, sizeof cell, "%5d", r->epoch);
        tui_put(y, 2, cell, 7, TUI_NORMAL);
        walk_format_number(r->loss, cell, sizeof cell);
        tui_put(y, 2 + HIST_EPOCH, cell, HIST_COL - 1, TUI_VALUE);
        x = x0;
        for (int k = h.first; k < h.first + h.fit; k++, x += h.group) {
            const double v[3] = { r->param[k], r->grad[k], r->dotgrad[k] };
            for (int c = 0; c < 2 + h.dotgrad; c++) {
                int cx = x + c * HIST_COL;
                if (cx >= t->cols - 1)
                    break;
                walk_format_number(v[c], cell, sizeof cell);
                int w = t->cols - 1 - cx < HIST_COL - 1 ? t->cols - 1 - cx : HIST_COL - 1;
                tui_put(y, cx, cell, w, c == 0 ? TUI_VALUE : TUI_GRAD);
            }
        }
    }
}

/* ---------------------------------------------------------------- the loss curve */

/*
 * Bars of eighths, one per epoch (or several columns per epoch when there is room, or several epochs per column
 * when there is not: each column shows the epoch at its left edge). The scale is the finite losses' own: an
 * epoch whose loss is inf or nan has no bar but a × at the top, so that one overflow does not flatten the
 * rest. On the log scale (log-scale) the bottom is the smallest positive loss, one eighth high, and a loss of 0
 * or below, which has no place there, shows as a · on the axis.
 */
void tui_draw_plot(const tui *t, int top, int height)
{
    static const wchar_t eighths[] = L" \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
    int rows = walk_history_count(t->w);
    char key[32], head[160];
    snprintf(head, sizeof head, _("(%s scale \u00b7 press %s for %s)"), t->log_scale ? _("log") : _("linear"),
             tui_keymap_how(TUI_ACT_LOG_SCALE, key, sizeof key), t->log_scale ? _("linear") : _("log"));
    const char *heading = _("Loss per epoch");
    tui_put(top, 2, heading, t->cols - 4, TUI_HEADING);
    tui_put_clipped(top, 4 + text_width(heading), head, t->cols - 6 - text_width(heading), TUI_HINT);
    if (rows == 0) {
        no_epoch_yet(t, top + 2);
        return;
    }
    double max = 0, lo = INFINITY;
    int bad = 0, flat = 0; /* epochs that are inf or nan; at or below 0 on the log scale */
    for (int i = 0; i < rows; i++) {
        double v = walk_history_at(t->w, i)->loss;
        bad += !isfinite(v);
        if (isfinite(v) && v > max)
            max = v;
        if (isfinite(v) && v > 0 && v < lo)
            lo = v;
        flat += isfinite(v) && v <= 0;
    }
    int logs = t->log_scale && max > 0;
    if (t->log_scale && !logs) { /* no loss has a logarithm: the heading says the curve is drawn linear */
        snprintf(head, sizeof head, _("(no loss above 0, so linear, not log \u00b7 press %s for linear)"), key);
        tui_fill(top, 4 + text_width(heading), t->cols - 6 - text_width(heading), TUI_NORMAL);
        tui_put_clipped(top, 4 + text_width(heading), head, t->cols - 6 - text_width(heading), TUI_HINT);
    }
    if (max <= 0)
        max = 1;
    if (logs && !(lo < max))
        lo = max / 10;
    char lab[64], mid[64], zero[64], legend[160] = "";
    walk_format_number(max, lab, sizeof lab);
    walk_format_number(logs ? sqrt(lo * max) : max / 2, mid, sizeof mid);
    walk_format_number(logs ? lo : 0, zero, sizeof zero);
    if (bad || (logs && flat))
        snprintf(legend, sizeof legend, "%s%s%s", bad ? _("\u00d7 inf or nan") : "", bad && logs && flat ? " \u00b7 " : "",
                 logs && flat ? _("\u00b7 0 or less") : "");
    int lw = text_width(legend), hx = 18 + text_width(head) + 2;
    if (lw && hx + lw <= t->cols - 2)
        tui_put(top, hx, legend, lw, TUI_NOTE);
    else if (lw)
        tui_put_clipped(top, t->cols - 2 - lw > 2 ? t->cols - 2 - lw : 2, legend, t->cols - 4, TUI_NOTE);
    int axis_w = text_width(lab);
    if (text_width(mid) > axis_w)
        axis_w = text_width(mid);
    if (text_width(zero) > axis_w)
        axis_w = text_width(zero);
    int px = 2 + axis_w + 1;          /* the plot's first column */
    int pw = t->cols - px - 2;        /* its width */
    int ph = height - 4;              /* its height in rows; the x axis and its labels below */
    int py = top + 2;
    if (pw < 4 || ph < 2)
        return;
    /* each epoch gets the same number of columns; when there are more epochs than columns, each column
     * stands for all of its epochs (from c * rows / cols up to the next column's first) and draws their
     * largest finite loss, so no peak falls between columns, and × when any of them is inf or nan */
    int per = pw / rows;
    if (per > 6)
        per = 6;
    int cols = per > 0 ? per * rows : pw;
    tui_put(py, 2 + axis_w - text_width(lab), lab, axis_w, TUI_AXIS);
    tui_put(py + ph / 2, 2 + axis_w - text_width(mid), mid, axis_w, TUI_AXIS);
    tui_put(py + ph - 1, 2 + axis_w - text_width(zero), zero, axis_w, TUI_AXIS);
    cchar_t vl, hl, corner;
    tui_cell(&vl, L'\u2502', TUI_AXIS);
    tui_cell(&hl, L'\u2500', TUI_AXIS);
    tui_cell(&corner, L'\u2514', TUI_AXIS);
    mvvline_set(py, px - 1, &vl, ph);
    mvhline_set(py + ph, px, &hl, cols);
    mvadd_wch(py + ph, px - 1, &corner);
    for (int c = 0; c < cols; c++) {
        if (per > 1 && c % per == per - 1)
            continue; /* a gap between bars */
        int e0 = per > 0 ? c / per : (int)((long)c * rows / cols);
        int e1 = per > 0 ? e0 + 1 : (int)((long)(c + 1) * rows / cols);
        if (e1 <= e0)
            e1 = e0 + 1;
        int nonfinite = 0, finite = 0, low = 0;
        double v = 0; /* the largest finite loss (above 0 on the log scale) among the column's epochs */
        for (int e = e0; e < e1 && e < rows; e++) {
            double x = walk_history_at(t->w, e)->loss;
            if (!isfinite(x))
                nonfinite = 1;
            else if (logs && x <= 0)
                low = 1;
            else if (!finite || x > v) {
                v = x;
                finite = 1;
            }
        }
        if (finite) {
            int eighth = logs ? 1 + (int)floor((log(v) - log(lo)) / (log(max) - log(lo)) * (ph * 8 - 1) + 0.5)
                              : (int)floor(v / max * ph * 8 + 0.5);
            if (!logs && v > 0 && eighth < 1)
                eighth = 1; /* a finite loss too small for an eighth still shows that it is there */
            for (int r = 0; r < ph; r++) {
                int fill = eighth - r * 8;
                if (fill <= 0)
                    break;
                cchar_t cc;
                tui_cell(&cc, eighths[fill > 8 ? 8 : fill], TUI_PLOT);
                mvadd_wch(py + ph - 1 - r, px + c, &cc);
            }
        } else if (low)
            tui_put(py + ph, px + c, "\u00b7", 1, TUI_NOTE);
        if (nonfinite)
            tui_put(py, px + c, "\u00d7", 1, TUI_NOTE);
    }
    /* x labels: the first and the last epoch, and "epoch" between */
    char first[32], last[32];
    snprintf(first, sizeof first, "%d", walk_history_at(t->w, 0)->epoch);
    snprintf(last, sizeof last, "%d", walk_history_at(t->w, rows - 1)->epoch);
    tui_put(py + ph + 1, px, first, 8, TUI_AXIS);
    int lx = px + (per > 0 ? per * (rows - 1) : cols - 1);
    if (lx > px + text_width(first))
        tui_put(py + ph + 1, lx, last, 8, TUI_AXIS);
    int ex = px + cols / 2 - 2;
    if (ex > px + text_width(first) + 1 && ex + 5 < lx)
        tui_put(py + ph + 1, ex, _("epoch"), 5, TUI_AXIS);
}

/* ---------------------------------------------------------------- help */

/* The help screen is generated from the action table and the keymap as it is now: a heading per group, a
 * row per action (its keys, its name when the column has room for it, what it does), in one column when
 * that fits and else in two, split between groups where the columns come out most even; the commands
 * below. Keys wider than their column put the rest of the row on the next one. */
enum { HELP_KEYS_WIDE = 12, HELP_LABEL = 128 };

struct help_layout {
    char keys[TUI_ACTION_COUNT][HELP_LABEL];
    int need[TUI_ACTION_COUNT]; /* rows an action takes: 1, or 2 when its keys are too wide */
    int group_rows[TUI_GROUP_COUNT];
    int two, split;             /* two columns, and the first group of the second */
    int colw, keyw, namew, names;
    int rows;                   /* the taller column */
};

static int help_commands(void)
{
    /* the session's, the screen's, its settings, :ACTION, pan note */
    return SESSION_COMMAND_COUNT + TUI_COMMAND_COUNT + TUI_SETTING_COUNT + 1 + 2;
}

/* Rows a group shows besides its actions' (i from 0; returns how many there are): under Quiz and classroom, the
 * answer line's own keys (TUI_ANSWER_KEYS), and :step N, the step counter a teacher jumps with. */
static int help_extra(enum tui_group g, int i, char *keys, size_t kn, char *help, size_t hn)
{
    if (g != TUI_GROUP_QUIZ)
        return 0;
    if (i >= 0 && i < TUI_ANSWER_KEY_COUNT) {
        char label[16];
        const char *k = tui_key_label(tui_answer_key((enum tui_answer_key)i), label, sizeof label);
        snprintf(keys, kn, "%s", k ? k : "");
        snprintf(help, hn, "%s", tui_answer_help((enum tui_answer_key)i));
    } else if (i == TUI_ANSWER_KEY_COUNT) {
        snprintf(keys, kn, ":%s %s", session_command_name(SESSION_CMD_STEP), session_command_args(SESSION_CMD_STEP));
        snprintf(help, hn, "%s", _("go to step N (STEP n / N)"));
    }
    return TUI_ANSWER_KEY_COUNT + 1;
}

static void help_layout(const tui *t, int height, struct help_layout *h)
{
    int widest = 0, namew = 0, helpw = 0, total = 0;
    for (int a = 0; a < TUI_ACTION_COUNT; a++) {
        tui_keymap_labels((enum tui_action)a, h->keys[a], HELP_LABEL);
        int w = text_width(h->keys[a]), nw = text_width(tui_action_name((enum tui_action)a)),
            hw = text_width(tui_action_help((enum tui_action)a));
        widest = w > widest ? w : widest;
        namew = nw > namew ? nw : namew;
        helpw = hw > helpw ? hw : helpw;
    }
    total = TUI_GROUP_COUNT + TUI_ACTION_COUNT; /* a heading per group, a row per action */
    h->two = t->cols >= 76 && total + 2 + help_commands() > height - 1;
    h->colw = h->two ? (t->cols - 2) / 2 : t->cols - 2;
    h->keyw = h->two ? HELP_KEYS_WIDE : (widest < 24 ? widest : 24);
    h->namew = namew;
    h->names = h->colw >= h->keyw + 2 + namew + 2 + helpw;
    memset(h->group_rows, 0, sizeof h->group_rows);
    for (int g = 0; g < TUI_GROUP_COUNT; g++)
        h->group_rows[g] = 1 + help_extra((enum tui_group)g, -1, NULL, 0, NULL, 0);
    for (int a = 0; a < TUI_ACTION_COUNT; a++) {
        h->need[a] = text_width(h->keys[a]) > h->keyw ? 2 : 1;
        h->group_rows[tui_action_group((enum tui_action)a)] += h->need[a];
    }
    total = 0;
    for (int g = 0; g < TUI_GROUP_COUNT; g++)
        total += h->group_rows[g];
    h->split = TUI_GROUP_COUNT;
    h->rows = total;
    if (!h->two)
        return;
    for (int g = 1, first = h->group_rows[0]; g < TUI_GROUP_COUNT; first += h->group_rows[g++]) {
        int taller = first > total - first ? first : total - first;
        if (taller < h->rows) {
            h->rows = taller;
            h->split = g;
        }
    }
}

/* The rows a scrolling view shows of its own in a view of this height (what tui_scroll_max leaves out). */
static int scroll_rows(const tui *t, int height)
{
    switch (t->view) {
    case TUI_VIEW_HISTORY: return height - 3;
    case TUI_VIEW_HELP: return height - 1;
    case TUI_VIEW_TEXT: return height - 2;
    case TUI_VIEW_NOTES: return height - 4;
    default: return height;
    }
}

int tui_scroll_page(const tui *t, int height)
{
    int page = scroll_rows(t, height) - 1;
    return page > 1 ? page : 1;
}

int tui_scroll_max(const tui *t, int height)
{
    int m = 0;
    if (t->view == TUI_VIEW_HISTORY && t->w)
        m = walk_history_count(t->w) - scroll_rows(t, height);
    if (t->view == TUI_VIEW_HELP) {
        struct help_layout h;
        help_layout(t, height, &h);
        m = h.rows + 2 + help_commands() - scroll_rows(t, height);
    }
    if (t->view == TUI_VIEW_TEXT && t->text) {
        for (const char *p = t->text; *p; p++)
            m += *p == '\n';
        m -= scroll_rows(t, height);
    }
    if (t->view == TUI_VIEW_NOTES && t->w)
        m = tui_wrap(0, 2, walk_notes(t->w), t->cols - 4, 0, TUI_NARRATION) - scroll_rows(t, height);
    return m > 0 ? m : 0;
}

/* A row of the commands, when it is inside the view. */
static void help_command(int y, int top, int height, int cols, const char *name, const char *args,
                         const char *help)
{
    char line[256];
    if (y <= top || y >= top + height)
        return;
    snprintf(line, sizeof line, ":%s%s%s", name, *args ? " " : "", args);
    tui_put(y, 2, line, 24, TUI_HINT_KEY);
    tui_put(y, 27, help, cols - 29, TUI_NARRATION);
}

/* On a page's heading row, at its right: "▲ more above", "▼ more below (PgDn)", when the page scrolls that way. */
static void scroll_mark(const tui *t, int y, int above, int below)
{
    char key[32], key2[32], mark[128];
    if (below && above)
        snprintf(mark, sizeof mark, _("\u25b2\u25bc more above and below (%s %s)"),
                 tui_keymap_how(TUI_ACT_PAGE_UP, key, sizeof key), tui_keymap_how(TUI_ACT_PAGE_DOWN, key2, sizeof key2));
    else if (below)
        snprintf(mark, sizeof mark, _("\u25bc more below (%s)"), tui_keymap_how(TUI_ACT_PAGE_DOWN, key, sizeof key));
    else if (above)
        snprintf(mark, sizeof mark, _("\u25b2 more above (%s)"), tui_keymap_how(TUI_ACT_PAGE_UP, key, sizeof key));
    else
        return;
    int w = text_width(mark);
    if (w + 4 < t->cols)
        tui_put(y, t->cols - 2 - w, mark, w, TUI_HINT_KEY);
}

void tui_draw_help(const tui *t, int top, int height)
{
    struct help_layout h;
    help_layout(t, height, &h);
    char back[32], toggle[32], title[96];
    snprintf(title, sizeof title, _("(%s or %s goes back)"), tui_keymap_how(TUI_ACT_CLOSE_VIEW, back, sizeof back),
             tui_keymap_how(TUI_ACT_TOGGLE_HELP, toggle, sizeof toggle));
    tui_put(top, 2, _("Keys"), t->cols - 4, TUI_HEADING);
    tui_put(top, 3 + text_width(_("Keys")) + 1, title, t->cols - 10, TUI_HINT);
    int y0 = top + 1 - t->scroll;
    for (int g = 0, row = 0; g < TUI_GROUP_COUNT; g++) {
        if (g == h.split)
            row = 0;
        int x = 2 + (g >= h.split) * h.colw, y = y0 + row++;
        if (y > top && y < top + height)
            tui_put(y, x, tui_group_title((enum tui_group)g), h.colw - 2, TUI_TITLE);
        for (int a = 0; a < TUI_ACTION_COUNT; a++) {
            if (tui_action_group((enum tui_action)a) != (enum tui_group)g)
                continue;
            y = y0 + row;
            if (y > top && y < top + height)
                tui_put(y, x, h.keys[a], h.colw - 2, TUI_HINT_KEY);
            y += h.need[a] - 1;
            row += h.need[a];
            if (y <= top || y >= top + height)
                continue;
            int hx = x + h.keyw + 2;
            if (h.names) {
                tui_put(y, hx, tui_action_name((enum tui_action)a), h.namew, TUI_HINT_KEY);
                hx += h.namew + 2;
            }
            tui_put(y, hx, tui_action_help((enum tui_action)a), x + h.colw - hx, TUI_NARRATION);
        }
        char keys[64], help[128];
        for (int i = 0; i < help_extra((enum tui_group)g, -1, NULL, 0, NULL, 0); i++) {
            help_extra((enum tui_group)g, i, keys, sizeof keys, help, sizeof help);
            y = y0 + row++;
            if (y <= top || y >= top + height)
                continue;
            tui_put(y, x, keys, h.keyw, TUI_HINT_KEY);
            tui_put(y, x + h.keyw + 2 + (h.names ? h.namew + 2 : 0), help, x + h.colw - (x + h.keyw + 2), TUI_NARRATION);
        }
    }
    int y = y0 + h.rows + 1;
    if (y > top && y < top + height) {
        /* the pan marker: the arrows the panel's rule and the status line show when the graph goes on */
        char keys[4][32], note[256];
        static const enum tui_action go[4] = { TUI_ACT_PAN_LEFT, TUI_ACT_PAN_UP, TUI_ACT_PAN_DOWN, TUI_ACT_PAN_RIGHT };
        for (int d = 0; d < 4; d++)
            tui_keymap_how(go[d], keys[d], sizeof keys[d]);
        snprintf(note, sizeof note,
                 _("\u25c0\u25b2\u25bc\u25b6 on the rule and the status line: more graph that way (%s %s %s %s pan)"),
                 keys[0], keys[1], keys[2], keys[3]);
        tui_put_clipped(y, 2, note, t->cols - 4, TUI_NARRATION);
    }
    y += 2;
    if (y > top && y < top + height)
        tui_put(y, 2, _("Commands (type : first)"), t->cols - 4, TUI_HEADING);
    for (int c = 0; c < SESSION_COMMAND_COUNT; c++) {
        enum session_command sc = (enum session_command)c;
        help_command(++y, top, height, t->cols, session_command_name(sc), session_command_args(sc),
                     _(session_command_help(sc)));
    }
    for (int c = 0; c < TUI_COMMAND_COUNT; c++)
        help_command(++y, top, height, t->cols, tui_command_name((enum tui_command_id)c),
                     tui_command_args((enum tui_command_id)c), tui_command_help((enum tui_command_id)c));
    for (int c = 0; c < TUI_SETTING_COUNT; c++) {
        char name[64], help[256];
        snprintf(name, sizeof name, "%s %s", session_command_name(SESSION_CMD_SET), tui_setting_name((enum tui_setting)c));
        /* TRANSLATORS: a setting's help and its choices in the :help page: "the screen's colours: dark, light" */
        snprintf(help, sizeof help, _("%s: %s"), tui_setting_help((enum tui_setting)c),
                 tui_setting_args((enum tui_setting)c));
        help_command(++y, top, height, t->cols, name, "NAME", help);
    }
    help_command(++y, top, height, t->cols, "ACTION", "", _("run an action by its name, as in :next-phase"));
    scroll_mark(t, top, t->scroll > 0, y >= top + height);
}

/* ---------------------------------------------------------------- the picker */

/* The rows a lesson takes in the picker: a title wider than its column goes on under itself when it then fits
 * in PICKER_TITLE_LINES rows of a column at least PICKER_WRAP_MIN cells wide; otherwise (a narrow terminal)
 * it is one row, cut with "…", so the list keeps its lessons in view. */
enum { PICKER_TITLE_LINES = 2, PICKER_WRAP_MIN = 24 };
static int picker_rows(const tui_choice *c, int title_w)
{
    if (title_w < PICKER_WRAP_MIN || !c->title)
        return 1;
    int need = tui_wrap(0, 0, c->title, title_w, 0, TUI_NORMAL);
    return need >= 1 && need <= PICKER_TITLE_LINES ? need : 1;
}

void tui_draw_picker(const tui *t, int top, int height)
{
    tui_put(top + 1, 2, _("Lessons"), t->cols - 4, TUI_HEADING);
    tui_put_clipped(top + 2, 2, _("Each one walks through training a small model, one node at a time."), t->cols - 4,
                    TUI_HINT);
    if (t->n_choices == 0) {
        tui_put(top + 4, 2, _("No lessons found. Put .lesson files in ./lessons/en/ or set BPTUTOR_PATH."),
                t->cols - 4, TUI_NARRATION);
        return;
    }
    int room = height - 4;
    /* the name and the state columns as wide as their widest (at most 22 and 20 cells): the title has the rest */
    int name_w = 1, state_w = 0;
    for (int i = 0; i < t->n_choices; i++) {
        char state[64];
        int nw = text_width(t->choices[i].name), sw = tui_progress_state(t, i, state, sizeof state) ? text_width(state) : 0;
        name_w = nw > name_w ? nw : name_w;
        state_w = sw > state_w ? sw : state_w;
    }
    name_w = name_w > 22 ? 22 : name_w;
    state_w = state_w > 20 ? 20 : state_w;
    int title_x = 4 + name_w + 2 + (state_w ? state_w + 2 : 0), title_w = t->cols - title_x - 2;
    /* the list scrolls by lessons: the chosen one is whole, at the bottom when it is below the room */
    int first = 0, chosen_rows = 0;
    for (int i = 0; i <= t->chosen && i < t->n_choices; i++)
        chosen_rows += picker_rows(&t->choices[i], title_w);
    while (first < t->chosen && chosen_rows > room)
        chosen_rows -= picker_rows(&t->choices[first++], title_w);
    int used = 0;
    for (int i = first; i < t->n_choices && used < room; i++) {
        const tui_choice *c = &t->choices[i];
        int sel = i == t->chosen, h = picker_rows(c, title_w);
        if (h > room - used)
            h = room - used;
        int y = top + 4 + used;
        enum tui_role r = sel ? TUI_SELECTED : TUI_NORMAL;
        if (sel)
            for (int k = 0; k < h; k++)
                tui_fill(y + k, 2, t->cols - 4, r);
        tui_put(y, 2, sel ? "\u25b6" : " ", 1, r);
        tui_put_clipped(y, 4, c->name, name_w, r);
        char state[64];
        int x = 4 + name_w + 2; /* the state, when progress is kept, between the name and the title */
        if (tui_progress_state(t, i, state, sizeof state))
            tui_put_clipped(y, x, state, state_w, r);
        if (h == 1)
            tui_put_clipped(y, title_x, c->title ? c->title : "", title_w, r);
        else
            tui_wrap(y, title_x, c->title ? c->title : "", title_w, h, r);
        used += h;
    }
    char offer[256];
    int below = top + 4 + used + 1;
    if (below < top + height && tui_progress_offer(t, offer, sizeof offer))
        tui_put_clipped(below, 2, offer, t->cols - 4, TUI_HINT);
}

/* ---------------------------------------------------------------- a command's longer answer */

/* :help's list, :check's table: the text one line per row, scrolled with ↑ ↓; Esc goes back. */
void tui_draw_text(const tui *t, int top, int height)
{
    char back[32], hint[64];
    snprintf(hint, sizeof hint, _("(%s goes back)"), tui_keymap_how(TUI_ACT_CLOSE_VIEW, back, sizeof back));
    tui_put(top, 2, t->text_title, t->cols - 4, TUI_HEADING);
    tui_put(top, 4 + text_width(t->text_title), hint, t->cols - 6 - text_width(t->text_title), TUI_HINT);
    const char *p = t->text ? t->text : "";
    int lines = 0;
    for (const char *q = p; *q; q++)
        lines += *q == '\n';
    int room = height - 2;
    int max_scroll = lines > room ? lines - room : 0;
    int skip = t->scroll < max_scroll ? t->scroll : max_scroll;
    char line[1024];
    for (int i = 0, y = top + 2; *p && y < top + height; i++) {
        size_t n = strcspn(p, "\n");
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        if (i >= skip)
            tui_put_clipped(y++, 2, line, t->cols - 4, TUI_NORMAL);
        p += n + (p[n] == '\n');
    }
    scroll_mark(t, top, skip > 0, skip < max_scroll);
}

/* ---------------------------------------------------------------- the teacher's notes */

/* A page the teacher opens and leaves (toggle-notes, or Esc), so that the notes are on a projected screen only
 * for as long as the teacher reads them. Under them: where the walk is, and how to go to another step. */
void tui_draw_notes(const tui *t, int top, int height)
{
    char key[32], back[32], hint[96];
    snprintf(hint, sizeof hint, _("(%s or %s goes back)"), tui_keymap_how(TUI_ACT_TOGGLE_NOTES, key, sizeof key),
             tui_keymap_how(TUI_ACT_CLOSE_VIEW, back, sizeof back));
    const char *heading = _("Teacher notes");
    tui_put(top, 2, heading, t->cols - 4, TUI_HEADING);
    tui_put_clipped(top, 4 + text_width(heading), hint, t->cols - 6 - text_width(heading), TUI_HINT);
    if (!t->w)
        return;
    const char *notes = walk_notes(t->w);
    char where[160];
    snprintf(where, sizeof where, _("This is step %d of %d of epoch %d; :%s N goes to step N."), walk_index(t->w) + 1,
             walk_count(t->w), walk_epoch(t->w), session_command_name(SESSION_CMD_STEP));
    int room = height - 4;
    if (room < 1)
        return;
    if (!*notes) {
        tui_put_clipped(top + 2, 2, _("This lesson has no notes for the teacher."), t->cols - 4, TUI_NARRATION);
    } else {
        /* wrapped, scrolled by the rows the notes begin below the top */
        int need = tui_wrap(0, 2, notes, t->cols - 4, 0, TUI_NARRATION);
        int skip = t->scroll < need - room ? t->scroll : need - room > 0 ? need - room : 0;
        struct panel_ctx pc = { t, top + 2, room, TUI_NARRATION };
        struct skip_ctx sc = { &pc, skip };
        text_wrap(notes, t->cols - 4, skip_line, &sc);
    }
    tui_put_clipped(top + height - 1, 2, where, t->cols - 4, TUI_HINT);
}
