/*
 * layout.c — layers, ordering, coordinates and the canvas of the graph diagram. See layout.h.
 *
 * Placement is the Sugiyama scheme cut down to what a lesson needs: layers by longest path, dummy slots for
 * long edges, a few barycenter sweeps keeping the best order seen, then rows near the inputs' rows. Lines
 * are drawn as direction bits per cell (up, right, down, left) and turned into box-drawing characters at
 * the end, so that lines that meet become the right junction whatever order they were drawn in.
 */
#include "text.h"
#include "layout.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

enum { SWEEPS = 8 };

/* ---------------------------------------------------------------- placing a DAG */

/* One layer-to-layer piece of an edge. An edge that skips layers is a run of them through its dummies,
 * stored one after another, so that its first piece leads to the rest. */
typedef struct seg {
    int a, b; /* box indices, a in layer L, b in layer L + 1 */
    int edge;
} seg;

/* The pieces that enter (or leave) each box, in piece order: a box's neighbours without scanning every
 * piece, which made big graphs quadratic. Piece order keeps the sums below adding up as they always did. */
struct adjacency {
    int *start; /* box b's pieces are seg[start[b] .. start[b + 1]) */
    int *seg;
};

struct work {
    layout *lo;
    int n_segs;
    seg *segs;
    int **layer;     /* layer → box indices in order */
    int *count;      /* boxes per layer */
    struct adjacency in, out;
    int *first_seg;  /* edge → its first piece */
    int *track_x;    /* box → the column of its track in the gap after its layer */
    int *tree;       /* crossings()'s Fenwick tree, one slot per box of the biggest layer */
};

static int adjacency_build(struct adjacency *adj, const seg *segs, int n_segs, int n_boxes, int leaving)
{
    adj->start = calloc((size_t)n_boxes + 2, sizeof *adj->start);
    adj->seg = malloc(((size_t)n_segs + 1) * sizeof *adj->seg);
    if (!adj->start || !adj->seg)
        return -1;
    for (int s = 0; s < n_segs; s++)
        adj->start[(leaving ? segs[s].a : segs[s].b) + 2]++;
    for (int b = 0; b < n_boxes; b++)
        adj->start[b + 2] += adj->start[b + 1];
    for (int s = 0; s < n_segs; s++)
        adj->seg[adj->start[(leaving ? segs[s].a : segs[s].b) + 1]++] = s;
    return 0;
}

static void adjacency_free(struct adjacency *adj)
{
    free(adj->start);
    free(adj->seg);
}

/* Pieces (a1, b1) and (a2, b2) between the same two layers cross when a1 is above a2 and b1 below b2.
 * Going down layer L, a Fenwick tree over the orders in layer L + 1 counts the pieces already seen that
 * end below each new one: O(E log V) rather than every pair of pieces. Pieces from one box never cross. */
static long crossings(const struct work *wk)
{
    const layout *lo = wk->lo;
    int *tree = wk->tree;
    long c = 0;
    for (int L = 0; L + 1 < lo->n_layers; L++) {
        int m = wk->count[L + 1], seen = 0;
        memset(tree, 0, ((size_t)m + 1) * sizeof *tree);
        for (int i = 0; i < wk->count[L]; i++) {
            int a = wk->layer[L][i];
            for (int j = wk->out.start[a]; j < wk->out.start[a + 1]; j++) {
                int below = seen;
                for (int p = lo->box[wk->segs[wk->out.seg[j]].b].order + 1; p > 0; p -= p & -p)
                    below -= tree[p];
                c += below;
            }
            for (int j = wk->out.start[a]; j < wk->out.start[a + 1]; j++, seen++)
                for (int p = lo->box[wk->segs[wk->out.seg[j]].b].order + 1; p <= m; p += p & -p)
                    tree[p]++;
        }
    }
    return c;
}

static const layout_box *sort_boxes;
static const double *sort_key;
static int by_key(const void *p, const void *q)
{
    int a = *(const int *)p, b = *(const int *)q;
    if (sort_key[a] != sort_key[b])
        return sort_key[a] < sort_key[b] ? -1 : 1;
    return sort_boxes[a].order - sort_boxes[b].order; /* stable: keep the present order on ties */
}

/* Reorder layer L by the mean order of its neighbours in layer L − 1 (down) or L + 1 (up). */
static void sweep_layer(struct work *wk, int L, int down, double *key)
{
    layout *lo = wk->lo;
    const struct adjacency *adj = down ? &wk->in : &wk->out;
    for (int i = 0; i < wk->count[L]; i++) {
        int b = wk->layer[L][i];
        double sum = 0;
        int n = 0;
        for (int j = adj->start[b]; j < adj->start[b + 1]; j++, n++) {
            const seg *sg = &wk->segs[adj->seg[j]];
            sum += lo->box[down ? sg->a : sg->b].order;
        }
        key[b] = n ? sum / n : lo->box[b].order;
    }
    sort_boxes = lo->box;
    sort_key = key;
    qsort(wk->layer[L], (size_t)wk->count[L], sizeof(int), by_key);
    for (int i = 0; i < wk->count[L]; i++)
        lo->box[wk->layer[L][i]].order = i;
}

static void order_layers(struct work *wk)
{
    layout *lo = wk->lo;
    double *key = calloc((size_t)lo->n_boxes, sizeof *key);
    int *best = malloc((size_t)lo->n_boxes * sizeof *best);
    long best_c = crossings(wk);
    if (!key || !best) {
        free(key);
        free(best);
        lo->crossings = best_c > INT_MAX ? INT_MAX : (int)best_c;
        return;
    }
    for (int b = 0; b < lo->n_boxes; b++)
        best[b] = lo->box[b].order;
    for (int s = 0; s < SWEEPS && best_c > 0; s++) {
        if (s % 2 == 0)
            for (int L = 1; L < lo->n_layers; L++)
                sweep_layer(wk, L, 1, key);
        else
            for (int L = lo->n_layers - 2; L >= 0; L--)
                sweep_layer(wk, L, 0, key);
        long c = crossings(wk);
        if (c < best_c) {
            best_c = c;
            for (int b = 0; b < lo->n_boxes; b++)
                best[b] = lo->box[b].order;
        }
    }
    for (int b = 0; b < lo->n_boxes; b++)
        lo->box[b].order = best[b];
    for (int b = 0; b < lo->n_boxes; b++)
        wk->layer[lo->box[b].layer][lo->box[b].order] = b;
    lo->crossings = best_c > INT_MAX ? INT_MAX : (int)best_c;
    free(key);
    free(best);
}

/* The row an edge leaves a box by, and the row its input k enters by. */
static int exit_row(const layout_box *b) { return b->node < 0 ? b->y : b->y + 1; }
static int entry_row(const layout_box *b, int k)
{
    if (b->node < 0)
        return b->y;
    int r = b->y + 1 + k;
    return r > b->y + b->h - 2 ? b->y + b->h - 2 : r;
}

static void place_rows(struct work *wk)
{
    layout *lo = wk->lo;
    lo->height = 0;
    for (int L = 0; L < lo->n_layers; L++) {
        int bottom = -LAYOUT_VGAP; /* the first box may start at row 0 */
        for (int i = 0; i < wk->count[L]; i++) {
            int bi = wk->layer[L][i];
            layout_box *b = &lo->box[bi];
            int want = 0;
            if (L > 0) {
                double sum = 0;
                int n = 0;
                for (int j = wk->in.start[bi]; j < wk->in.start[bi + 1]; j++, n++)
                    sum += exit_row(&lo->box[wk->segs[wk->in.seg[j]].a]);
                if (n)
                    want = (int)floor(sum / n + 0.5) - (b->node < 0 ? 0 : 1);
            }
            int min = bottom + LAYOUT_VGAP;
            b->y = want > min ? want : min;
            bottom = b->y + b->h;
        }
        if (bottom > lo->height)
            lo->height = bottom;
    }
}

/* Columns: each layer as wide as its widest box; each gap holds the tracks (one per box with edges
 * leaving it), a label and the arrow. */
static int place_columns(struct work *wk, const layout_input *in, int *gap_x, int *tracks)
{
    layout *lo = wk->lo;
    int x = 0;
    for (int L = 0; L < lo->n_layers; L++) {
        int width = 1;
        for (int i = 0; i < wk->count[L]; i++) {
            const layout_box *b = &lo->box[wk->layer[L][i]];
            if (b->node >= 0 && b->w > width)
                width = b->w;
        }
        for (int i = 0; i < wk->count[L]; i++) {
            layout_box *b = &lo->box[wk->layer[L][i]];
            b->x = x;
            if (b->node < 0)
                b->w = width;
        }
        if (L == lo->n_layers - 1) {
            x += width;
            break;
        }
        /* the gap after layer L */
        int n_tracks = 0, label = 1;
        for (int i = 0; i < wk->count[L]; i++) {
            int b = wk->layer[L][i];
            wk->track_x[b] = x + width + 1 + n_tracks;
            for (int j = wk->out.start[b]; j < wk->out.start[b + 1]; j++) {
                const seg *sg = &wk->segs[wk->out.seg[j]];
                const layout_edge *e = &lo->edge[sg->edge];
                if (in->label && lo->box[sg->b].node >= 0 && in->label[e->to][e->k] > label)
                    label = in->label[e->to][e->k];
            }
            n_tracks += wk->out.start[b + 1] > wk->out.start[b];
        }
        gap_x[L] = x + width;
        tracks[L] = n_tracks;
        x += width + 1 + n_tracks + label + 2; /* space, tracks, " label ", a line cell, the arrow */
    }
    return x;
}

static void add_point(layout_edge *e, int x, int y) { e->pts[e->n_pts++] = (layout_point){ x, y }; }

static int route_edges(struct work *wk, const int *gap_x, const int *tracks)
{
    layout *lo = wk->lo;
    for (int ei = 0; ei < lo->n_edges; ei++) {
        layout_edge *e = &lo->edge[ei];
        const layout_box *src = &lo->box[lo->box_of[e->from]];
        /* the first point, two per layer crossed, the arrow's */
        int span = lo->box[lo->box_of[e->to]].layer - src->layer;
        e->pts = malloc((size_t)(2 * span + 2) * sizeof *e->pts);
        if (!e->pts)
            return -1;
        e->n_pts = 0;
        add_point(e, src->x + src->w, exit_row(src));
        int y = exit_row(src);
        for (int s = wk->first_seg[ei];; s++) {
            const layout_box *a = &lo->box[wk->segs[s].a], *b = &lo->box[wk->segs[s].b];
            int xm = wk->track_x[wk->segs[s].a];
            int yt = b->node < 0 ? b->y : entry_row(b, e->k);
            add_point(e, xm, y);
            add_point(e, xm, yt);
            y = yt;
            if (b->node >= 0) {
                add_point(e, b->x - 1, yt);
                e->label_x = gap_x[a->layer] + 1 + tracks[a->layer] + 1;
                e->label_y = yt;
                e->label_w = b->x - 3 - e->label_x; /* room for the spaces around it and a line cell */
                break;
            }
        }
    }
    return 0;
}

void layout_free(layout *lo)
{
    if (!lo)
        return;
    for (int i = 0; i < lo->n_edges; i++)
        free(lo->edge[i].pts);
    free(lo->edge);
    free(lo->box);
    free(lo->box_of);
    free(lo);
}

layout *layout_place(const layout_input *in)
{
    layout *lo = calloc(1, sizeof *lo);
    struct work wk = { .lo = lo };
    int *node_layer = NULL, *gap_x = NULL, *tracks = NULL;
    int ok = 0;
    if (!lo)
        return NULL;
    int n = in->n;
    lo->box_of = malloc((size_t)(n > 0 ? n : 1) * sizeof *lo->box_of);
    node_layer = calloc((size_t)(n > 0 ? n : 1), sizeof *node_layer);
    if (!lo->box_of || !node_layer)
        goto out;

    /* layers: longest path from the leaves; count boxes, edges and dummies */
    int n_edges = 0, n_dummies = 0;
    for (int i = 0; i < n; i++) {
        lo->box_of[i] = -1;
        if (in->w[i] <= 0)
            continue;
        int layer = 0;
        for (int k = 0; k < 2; k++) {
            int s = in->src[i][k];
            if (s >= 0 && s < i && in->w[s] > 0 && node_layer[s] + 1 > layer)
                layer = node_layer[s] + 1;
        }
        node_layer[i] = layer;
        if (layer + 1 > lo->n_layers)
            lo->n_layers = layer + 1;
        lo->n_boxes++;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; in->w[i] > 0 && k < 2; k++) {
            int s = in->src[i][k];
            if (s >= 0 && s < i && in->w[s] > 0) {
                n_edges++;
                n_dummies += node_layer[i] - node_layer[s] - 1;
            }
        }
    lo->box = calloc((size_t)(lo->n_boxes + n_dummies + 1), sizeof *lo->box);
    lo->edge = calloc((size_t)(n_edges + 1), sizeof *lo->edge);
    wk.segs = calloc((size_t)(n_edges + n_dummies + 1), sizeof *wk.segs);
    wk.first_seg = calloc((size_t)(n_edges + 1), sizeof *wk.first_seg);
    wk.track_x = calloc((size_t)(lo->n_boxes + n_dummies + 1), sizeof *wk.track_x);
    wk.layer = calloc((size_t)(lo->n_layers + 1), sizeof *wk.layer);
    wk.count = calloc((size_t)(lo->n_layers + 1), sizeof *wk.count);
    gap_x = calloc((size_t)(lo->n_layers + 1), sizeof *gap_x);
    tracks = calloc((size_t)(lo->n_layers + 1), sizeof *tracks);
    if (!lo->box || !lo->edge || !wk.segs || !wk.first_seg || !wk.track_x || !wk.layer || !wk.count || !gap_x ||
        !tracks)
        goto out;
    int nb = 0;
    for (int i = 0; i < n; i++)
        if (in->w[i] > 0) {
            lo->box_of[i] = nb;
            lo->box[nb++] = (layout_box){ i, node_layer[i], wk.count[node_layer[i]]++, 0, 0, in->w[i],
                                          in->h[i] > 3 ? in->h[i] : 3 };
        }
    for (int i = 0; i < n; i++)
        for (int k = 0; in->w[i] > 0 && k < 2; k++) {
            int s = in->src[i][k];
            if (s < 0 || s >= i || in->w[s] <= 0)
                continue;
            int ei = lo->n_edges++;
            lo->edge[ei] = (layout_edge){ s, i, k, 0, NULL, 0, 0, 0 };
            wk.first_seg[ei] = wk.n_segs;
            int prev = lo->box_of[s];
            for (int L = node_layer[s] + 1; L < node_layer[i]; L++) {
                lo->box[nb] = (layout_box){ -1, L, wk.count[L]++, 0, 0, 0, 1 };
                wk.segs[wk.n_segs++] = (seg){ prev, nb, ei };
                prev = nb++;
            }
            wk.segs[wk.n_segs++] = (seg){ prev, lo->box_of[i], ei };
        }
    lo->n_boxes = nb;
    int widest = 0;
    for (int L = 0; L < lo->n_layers; L++) {
        wk.layer[L] = malloc((size_t)(wk.count[L] + 1) * sizeof(int));
        if (!wk.layer[L])
            goto out;
        widest = wk.count[L] > widest ? wk.count[L] : widest;
    }
    wk.tree = malloc(((size_t)widest + 1) * sizeof *wk.tree);
    if (!wk.tree || adjacency_build(&wk.in, wk.segs, wk.n_segs, nb, 0) < 0 ||
        adjacency_build(&wk.out, wk.segs, wk.n_segs, nb, 1) < 0)
        goto out;
    for (int b = 0; b < nb; b++)
        wk.layer[lo->box[b].layer][lo->box[b].order] = b;

    order_layers(&wk);
    lo->width = place_columns(&wk, in, gap_x, tracks);
    place_rows(&wk);
    if (route_edges(&wk, gap_x, tracks) < 0)
        goto out;
    ok = 1;
out:
    if (wk.layer)
        for (int L = 0; L < lo->n_layers; L++)
            free(wk.layer[L]);
    free(wk.layer);
    free(wk.count);
    free(wk.segs);
    free(wk.first_seg);
    free(wk.track_x);
    free(wk.tree);
    adjacency_free(&wk.in);
    adjacency_free(&wk.out);
    free(node_layer);
    free(gap_x);
    free(tracks);
    if (!ok) {
        layout_free(lo);
        return NULL;
    }
    return lo;
}

/* ---------------------------------------------------------------- the canvas */

/* Direction bits of line cells, kept beside the canvas while drawing. */
enum { UP = 1, RIGHT = 2, DOWN = 4, LEFT = 8, HEAVY = 16 };

/* Light and heavy line characters by direction bits (UP | RIGHT | DOWN | LEFT). */
static const wchar_t light[16] = {
    L' ', L'│', L'─', L'└', L'│', L'│', L'┌', L'├', L'─', L'┘', L'─', L'┴', L'┐', L'┤', L'┬', L'┼',
};
static const wchar_t heavy[16] = {
    L' ', L'┃', L'━', L'┗', L'┃', L'┃', L'┏', L'┣', L'━', L'┛', L'━', L'┻', L'┓', L'┫', L'┳', L'╋',
};
_Static_assert(sizeof light / sizeof light[0] == 16 && sizeof heavy / sizeof heavy[0] == 16,
               "one line character per combination of four directions");

/* A canvas for the part [x0, x0 + cols) × [y0, y0 + rows) of a width × height drawing, clipped to it. */
static layout_canvas *canvas_part(int width, int height, int x0, int y0, int cols, int rows)
{
    layout_canvas *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->width = width > 0 ? width : 1;
    c->height = height > 0 ? height : 1;
    c->x0 = x0 > 0 ? x0 : 0;
    c->y0 = y0 > 0 ? y0 : 0;
    c->cols = (x0 + cols < c->width ? x0 + cols : c->width) - c->x0;
    c->rows = (y0 + rows < c->height ? y0 + rows : c->height) - c->y0;
    if (c->cols <= 0 || c->rows <= 0)
        c->cols = c->rows = 0;
    c->cell = malloc(((size_t)c->cols * (size_t)c->rows + 1) * sizeof *c->cell);
    if (!c->cell) {
        free(c);
        return NULL;
    }
    for (int i = 0; i < c->cols * c->rows; i++)
        c->cell[i] = (layout_cell){ L' ', LAYOUT_BLANK };
    return c;
}

layout_canvas *layout_canvas_new(int width, int height)
{
    return canvas_part(width, height, 0, 0, width > 0 ? width : 1, height > 0 ? height : 1);
}

void layout_canvas_free(layout_canvas *c)
{
    if (c) {
        free(c->cell);
        free(c);
    }
}

layout_cell *layout_at(layout_canvas *c, int x, int y)
{
    if (!c || x < c->x0 || y < c->y0 || x >= c->x0 + c->cols || y >= c->y0 + c->rows)
        return NULL;
    return &c->cell[(y - c->y0) * c->cols + (x - c->x0)];
}

const layout_cell *layout_peek(const layout_canvas *c, int x, int y)
{
    return layout_at((layout_canvas *)c, x, y);
}

int layout_text(layout_canvas *c, int x, int y, const char *utf8, int max, enum layout_kind kind)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    int used = 0;
    wchar_t ch;
    for (size_t len = strlen(utf8), k; (k = text_next(utf8, len, &st, &ch)) > 0;) {
        utf8 += k;
        len -= k;
        if (ch == L'\n' || ch == L'\t')
            ch = L' ';
        int cw = wcwidth(ch);
        if (cw < 0)
            ch = L'?', cw = 1;
        if (cw == 0)
            continue; /* combining marks are not drawn on the canvas */
        if (used + cw > max)
            break;
        layout_cell *a = layout_at(c, x + used, y), *b = cw == 2 ? layout_at(c, x + used + 1, y) : NULL;
        if (a && (cw == 1 || b)) {
            *a = (layout_cell){ ch, (unsigned char)kind };
            if (b)
                *b = (layout_cell){ 0, (unsigned char)kind };
        }
        used += cw;
    }
    return used;
}

void layout_box_draw(layout_canvas *c, int x, int y, int w, int h, int active, enum layout_kind kind)
{
    const wchar_t *ch = active ? L"╔╗╚╝═║" : L"┌┐└┘─│";
    for (int i = 0; i < w; i++)
        for (int j = 0; j < h; j++) {
            layout_cell *p = layout_at(c, x + i, y + j);
            if (!p)
                continue;
            int top = j == 0, bottom = j == h - 1, left = i == 0, right = i == w - 1;
            wchar_t v = L' ';
            if (top && left)
                v = ch[0];
            else if (top && right)
                v = ch[1];
            else if (bottom && left)
                v = ch[2];
            else if (bottom && right)
                v = ch[3];
            else if (top || bottom)
                v = ch[4];
            else if (left || right)
                v = ch[5];
            *p = (layout_cell){ v, (unsigned char)(v == L' ' ? LAYOUT_BLANK : kind) };
        }
}

/* Line bits live in a side table while a diagram is drawn; a lone polyline uses its own. */
static unsigned char *line_bits;

static void add_bits(layout_canvas *c, int x, int y, int bits, int is_heavy, enum layout_kind kind)
{
    layout_cell *p = layout_at(c, x, y);
    if (!p)
        return;
    unsigned char *b = &line_bits[p - c->cell];
    *b = (unsigned char)(*b | bits | (is_heavy ? HEAVY : 0));
    int d = *b & 15;
    p->ch = (*b & HEAVY) ? heavy[d] : light[d];
    if (p->kind != LAYOUT_EDGE_ACTIVE)
        p->kind = (unsigned char)kind;
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static void draw_polyline(layout_canvas *c, const layout_point *pts, int n, int is_heavy, enum layout_kind kind,
                          int attach)
{
    for (int i = 0; i + 1 < n; i++) {
        int x0 = pts[i].x, y0 = pts[i].y, x1 = pts[i + 1].x, y1 = pts[i + 1].y;
        /* only the cells inside the canvas's part are visited; a long edge mostly lies outside */
        if (y0 == y1 && x0 != x1 && y0 >= c->y0 && y0 < c->y0 + c->rows) {
            int step = x1 > x0 ? 1 : -1;
            int lo = clamp(x0 < x1 ? x0 : x1, c->x0, c->x0 + c->cols);
            int hi = clamp(x0 < x1 ? x1 : x0, c->x0 - 1, c->x0 + c->cols - 1);
            for (int x = lo; x <= hi; x++)
                add_bits(c, x, y0, (x != x0 ? (step > 0 ? LEFT : RIGHT) : 0) | (x != x1 ? (step > 0 ? RIGHT : LEFT) : 0),
                         is_heavy, kind);
        } else if (x0 == x1 && y0 != y1 && x0 >= c->x0 && x0 < c->x0 + c->cols) {
            int step = y1 > y0 ? 1 : -1;
            int lo = clamp(y0 < y1 ? y0 : y1, c->y0, c->y0 + c->rows);
            int hi = clamp(y0 < y1 ? y1 : y0, c->y0 - 1, c->y0 + c->rows - 1);
            for (int y = lo; y <= hi; y++)
                add_bits(c, x0, y, (y != y0 ? (step > 0 ? UP : DOWN) : 0) | (y != y1 ? (step > 0 ? DOWN : UP) : 0),
                         is_heavy, kind);
        }
    }
    if (n > 0 && attach)
        add_bits(c, pts[0].x, pts[0].y, LEFT, is_heavy, kind); /* attach to the box on the left */
}

void layout_polyline(layout_canvas *c, const layout_point *pts, int n, int is_heavy, enum layout_kind kind)
{
    unsigned char *own = calloc((size_t)c->cols * (size_t)c->rows + 1, 1);
    if (!own)
        return;
    /* recover the bits of lines already on the canvas, so that junctions still form */
    for (int i = 0; i < c->cols * c->rows; i++)
        for (int d = 15; d > 0; d--) /* ─ is left and right, not only one of them */
            if (c->cell[i].ch == light[d] || c->cell[i].ch == heavy[d]) {
                own[i] = (unsigned char)(d | (c->cell[i].ch == heavy[d] ? HEAVY : 0));
                break;
            }
    line_bits = own;
    draw_polyline(c, pts, n, is_heavy, kind, 0);
    line_bits = NULL;
    free(own);
}

static void put_utf8(char *buf, size_t n, size_t *used, wchar_t ch)
{
    char mb[8];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t k = wcrtomb(mb, ch, &st);
    if (k == (size_t)-1)
        mb[0] = '?', k = 1;
    for (size_t i = 0; i < k; i++, (*used)++)
        if (*used + 1 < n)
            buf[*used] = mb[i];
}

int layout_row_text(const layout_canvas *c, int y, char *buf, size_t n)
{
    size_t used = 0, keep = 0;
    for (int x = 0; y >= 0 && y < c->height && x < c->width; x++) {
        const layout_cell *p = layout_peek(c, x, y);
        wchar_t ch = p ? p->ch : L' ';
        if (ch == 0)
            continue;
        put_utf8(buf, n, &used, ch);
        if (ch != L' ')
            keep = used;
    }
    if (n)
        buf[keep < n ? keep : n - 1] = '\0';
    return (int)keep;
}

/* ---------------------------------------------------------------- the diagram of a walk */

static void put(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + (*used < n ? *used : n - 1), *used < n ? n - *used : 1, fmt, ap);
    va_end(ap);
    if (k > 0)
        *used += (size_t)k;
}

/* What a box or an edge shows: a node's values, its gradient, or the local gradient of its input k. */
enum { SHOW_VALUE = -2, SHOW_GRAD = -1 };

/* len numbers compactly: "x" (6 significant digits), or "[a b c d]" (3 each), or "[a b c … z]" when longer
 * than four. The step panel has them in full. Every number is read through the walk. */
static void put_numbers(char *buf, size_t n, size_t *used, int len, const walk *w, int id, int k)
{
    char num[64];
    for (int i = 0; i < len; i++) {
        if (len > 4 && i == 3) {
            put(buf, n, used, " \u2026");
            i = len - 1;
        }
        double v = k >= 0 ? walk_local_grad(w, id, k, i)
                 : k == SHOW_GRAD ? walk_grad(w, id, i) : walk_value(w, id, i);
        walk_format_digits(v, len > 1 ? 3 : 6, num, sizeof num);
        put(buf, n, used, "%s%s%s", len > 1 && i == 0 ? "[" : i ? " " : "", num, len > 1 && i == len - 1 ? "]" : "");
    }
}

/* The local gradient of edge k into id. */
static void local_text(const walk *w, const graph *g, int id, int k, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    put_numbers(buf, n, &used, graph_local_len(g, id), w, id, k);
}

/* ∂loss/∂node, after a ∇. */
static void grad_text(const walk *w, const graph *g, int id, char *buf, size_t n)
{
    size_t used = 0;
    put(buf, n, &used, "\u2207 ");
    put_numbers(buf, n, &used, graph_node_at(g, id)->len, w, id, SHOW_GRAD);
}

enum { TEXT_MAX = 256 };

struct node_text {
    char title[TEXT_MAX], value[TEXT_MAX], grad[TEXT_MAX], local[2][TEXT_MAX];
};

static enum layout_kind border_kind(const lesson *l, int id)
{
    const lesson_name *nm = lesson_node_name(l, id);
    if (!nm)
        return LAYOUT_BOX;
    switch (nm->kind) {
    case LESSON_PARAM: return LAYOUT_BOX_PARAM;
    case LESSON_INPUT: return LAYOUT_BOX_INPUT;
    case LESSON_LOSS:
    case LESSON_METRIC: return LAYOUT_BOX_LOSS;
    default: return LAYOUT_BOX;
    }
}

/* A node gets a box unless it is an unnamed literal (the 2 of s^2): those show in their consumer's name. */
static int drawn(const lesson *l, int id)
{
    const graph_node *gn = graph_node_at(l->g, id);
    return !(gn->op == GRAPH_OP_LEAF && gn->role == GRAPH_CONST && !lesson_node_name(l, id));
}

/* ---------------------------------------------------------------- a diagram kept from step to step */

/* A step changes texts, rarely a box's size and never the graph, so the placement is kept and made again
 * only when what it was made from (edges, box sizes, label widths) differs. */
struct layout_view {
    const walk *w;
    const lesson *l;
    int hide_result;
    int n;                 /* nodes the arrays below are for */
    int (*src)[2], (*label)[2], *bw, *bh;
    unsigned char (*local)[2]; /* the walk writes a local gradient on edge k into node id */
    struct node_text *t;
    layout *lo;            /* placed from src, bw, bh and label */
    layout_rect focus;
};

layout_view *layout_view_new(void) { return calloc(1, sizeof(layout_view)); }

static void view_arrays_free(layout_view *v)
{
    free(v->src);
    free(v->label);
    free(v->bw);
    free(v->bh);
    free(v->local);
    free(v->t);
    v->src = v->label = NULL;
    v->bw = v->bh = NULL;
    v->local = NULL;
    v->t = NULL;
    v->n = 0;
}

void layout_view_free(layout_view *v)
{
    if (!v)
        return;
    view_arrays_free(v);
    layout_free(v->lo);
    free(v);
}

/* Texts and sizes of every box and edge for the walk's present state, into v's arrays; sets *moved when
 * the placement must be made again. */
static int view_measure(layout_view *v, const walk *w, const lesson *l, int *moved)
{
    const graph *g = l->g;
    int n = graph_count(g);
    if (n != v->n || !v->src) {
        view_arrays_free(v);
        size_t m = (size_t)n + 1;
        v->src = calloc(m, sizeof *v->src);
        v->label = calloc(m, sizeof *v->label);
        v->bw = calloc(m, sizeof *v->bw);
        v->bh = calloc(m, sizeof *v->bh);
        v->local = calloc(m, sizeof *v->local);
        v->t = calloc(m, sizeof *v->t);
        if (!v->src || !v->label || !v->bw || !v->bh || !v->local || !v->t) {
            view_arrays_free(v);
            return -1;
        }
        v->n = n;
        *moved = 1;
    }
    /* which edges get a local gradient: one pass over the steps rather than one per edge */
    memset(v->local, 0, (size_t)n * sizeof *v->local);
    for (int i = 0; i < walk_count(w); i++) {
        const walk_step *st = walk_step_at(w, i);
        if (st->phase == LESSON_PHASE_LOCAL && st->node >= 0 && st->node < n && st->input >= 0 && st->input < 2)
            v->local[st->node][st->input] = 1;
    }
    for (int id = 0; id < n; id++) {
        const graph_node *gn = graph_node_at(g, id);
        int src[2] = { gn->src[0], gn->src[1] }, label[2] = { 0, 0 }, width = 0, height = 0;
        struct node_text *nt = &v->t[id];
        if (drawn(l, id)) {
            walk_node_name(w, id, nt->title, sizeof nt->title);
            size_t vused = 0;
            nt->value[0] = '\0';
            put_numbers(nt->value, sizeof nt->value, &vused, gn->len, w, id, SHOW_VALUE);
            grad_text(w, g, id, nt->grad, sizeof nt->grad);
            width = text_width(nt->title) + 4;
            int vw = text_width(nt->value) + 4, gw = text_width(nt->grad) + 4;
            if (vw > width)
                width = vw;
            if (walk_needs_grad(w, id) && gw > width)
                width = gw;
            width = width < 7 ? 7 : width;
            height = walk_needs_grad(w, id) ? 4 : 3;
            for (int k = 0; k < 2; k++) {
                nt->local[k][0] = '\0';
                if (gn->src[k] >= 0 && v->local[id][k]) {
                    local_text(w, g, id, k, nt->local[k], sizeof nt->local[k]);
                    label[k] = text_width(nt->local[k]) + 2;
                }
            }
        }
        if (memcmp(v->src[id], src, sizeof src) || memcmp(v->label[id], label, sizeof label) ||
            v->bw[id] != width || v->bh[id] != height) {
            memcpy(v->src[id], src, sizeof src);
            memcpy(v->label[id], label, sizeof label);
            v->bw[id] = width;
            v->bh[id] = height;
            *moved = 1;
        }
    }
    return 0;
}

/* What must stay in view: the active edge of a LOCAL step, else the active node's box. */
static layout_rect view_focus(const layout_view *v)
{
    const layout *lo = v->lo;
    const walk_step *st = walk_current(v->w);
    layout_rect f = { 0, 0, 0, 0 };
    for (int ei = 0; ei < lo->n_edges; ei++) {
        const layout_edge *e = &lo->edge[ei];
        if (!(st->phase == LESSON_PHASE_LOCAL && st->node == e->to && st->input == e->k))
            continue;
        int x0 = e->pts[0].x, y0 = e->pts[0].y, x1 = x0, y1 = y0;
        for (int i = 0; i < e->n_pts; i++) {
            x0 = e->pts[i].x < x0 ? e->pts[i].x : x0;
            x1 = e->pts[i].x > x1 ? e->pts[i].x : x1;
            y0 = e->pts[i].y < y0 ? e->pts[i].y : y0;
            y1 = e->pts[i].y > y1 ? e->pts[i].y : y1;
        }
        f = (layout_rect){ x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
    }
    for (int b = 0; b < lo->n_boxes; b++) {
        const layout_box *bx = &lo->box[b];
        if (bx->node >= 0 && walk_is_active(v->w, bx->node) && (st->phase != LESSON_PHASE_LOCAL || f.w == 0))
            f = (layout_rect){ bx->x, bx->y, bx->w, bx->h };
    }
    return f;
}

int layout_view_update(layout_view *v, const walk *w, const lesson *l, int hide_result)
{
    int moved = v->lo == NULL;
    if (view_measure(v, w, l, &moved) < 0)
        return -1;
    if (moved) {
        layout_free(v->lo);
        v->lo = layout_place(&(layout_input){ v->n, (const int (*)[2])v->src, v->bw, v->bh,
                                              (const int (*)[2])v->label });
        if (!v->lo)
            return -1;
    }
    v->w = w;
    v->l = l;
    v->hide_result = hide_result;
    v->focus = view_focus(v);
    return 0;
}

layout_rect layout_view_bounds(const layout_view *v)
{
    return v->lo ? (layout_rect){ 0, 0, v->lo->width, v->lo->height } : (layout_rect){ 0, 0, 0, 0 };
}

layout_rect layout_view_focus(const layout_view *v) { return v->focus; }

layout_canvas *layout_view_draw(const layout_view *v, int x0, int y0, int cols, int rows)
{
    const layout *lo = v->lo;
    const walk *w = v->w;
    const lesson *l = v->l;
    const struct node_text *t = v->t;
    int hide_result = v->hide_result;
    if (!lo)
        return NULL;
    layout_canvas *c = canvas_part(lo->width, lo->height, x0, y0, cols, rows);
    line_bits = c ? calloc((size_t)c->cols * (size_t)c->rows + 1, 1) : NULL;
    if (!c || !line_bits) {
        layout_canvas_free(c);
        free(line_bits);
        line_bits = NULL;
        return NULL;
    }
    c->focus_x = v->focus.x, c->focus_y = v->focus.y, c->focus_w = v->focus.w, c->focus_h = v->focus.h;
    const walk_step *st = walk_current(w);
    /* edges first, the active one last so that it wins where lines share cells */
    for (int pass = 0; pass < 2; pass++)
        for (int ei = 0; ei < lo->n_edges; ei++) {
            const layout_edge *e = &lo->edge[ei];
            int active = st->phase == LESSON_PHASE_LOCAL && st->node == e->to && st->input == e->k;
            if (active != pass)
                continue;
            draw_polyline(c, e->pts, e->n_pts, active, active ? LAYOUT_EDGE_ACTIVE : LAYOUT_EDGE, 1);
            const layout_point *end = &e->pts[e->n_pts - 1];
            layout_text(c, end->x, end->y, "\u25b6", 1, active ? LAYOUT_EDGE_ACTIVE : LAYOUT_EDGE);
            if (walk_local_known(w, e->to, e->k) && t[e->to].local[e->k][0] && !(active && hide_result) &&
                e->label_y >= c->y0 && e->label_y < c->y0 + c->rows) {
                int lw = text_width(t[e->to].local[e->k]);
                int room = e->label_w;
                int x = e->label_x + (room > lw ? (room - lw) / 2 : 0);
                layout_text(c, x - 1, e->label_y, " ", 1, LAYOUT_LOCAL);
                int used = layout_text(c, x, e->label_y, t[e->to].local[e->k], room, LAYOUT_LOCAL);
                layout_text(c, x + used, e->label_y, " ", 1, LAYOUT_LOCAL);
            }
        }
    for (int b = 0; b < lo->n_boxes; b++) {
        const layout_box *bx = &lo->box[b];
        if (bx->node < 0 || bx->x >= c->x0 + c->cols || bx->x + bx->w <= c->x0 || bx->y >= c->y0 + c->rows ||
            bx->y + bx->h <= c->y0)
            continue;
        int id = bx->node, active = walk_is_active(w, id);
        const struct node_text *nt = &t[id];
        layout_box_draw(c, bx->x, bx->y, bx->w, bx->h, active, active ? LAYOUT_BOX_ACTIVE : border_kind(l, id));
        int inner = bx->w - 4;
        layout_text(c, bx->x + 1, bx->y, " ", 1, LAYOUT_TITLE);
        int tw = layout_text(c, bx->x + 2, bx->y, nt->title, inner, LAYOUT_TITLE);
        layout_text(c, bx->x + 2 + tw, bx->y, " ", 1, LAYOUT_TITLE);
        int hidden = active && hide_result;
        if (walk_value_known(w, id) &&
            !(hidden && (st->phase == LESSON_PHASE_FORWARD || st->phase == LESSON_PHASE_UPDATE)))
            layout_text(c, bx->x + 2, bx->y + 1, nt->value, inner, LAYOUT_VALUE);
        else
            layout_text(c, bx->x + 2, bx->y + 1, "?", inner, LAYOUT_UNKNOWN);
        if (bx->h >= 4) {
            if (walk_grad_known(w, id) && !(hidden && st->phase == LESSON_PHASE_CHAIN))
                layout_text(c, bx->x + 2, bx->y + 2, nt->grad, inner, LAYOUT_GRAD);
            else
                layout_text(c, bx->x + 2, bx->y + 2, "\u2207 ?", inner, LAYOUT_UNKNOWN);
        }
    }
    free(line_bits);
    line_bits = NULL;
    return c;
}

/* ---------------------------------------------------------------- the whole diagram at once */

layout_canvas *layout_diagram(const walk *w, const lesson *l)
{
    layout_view *v = layout_view_new();
    layout_canvas *c = NULL;
    if (v && layout_view_update(v, w, l, 0) == 0) {
        layout_rect all = layout_view_bounds(v);
        c = layout_view_draw(v, 0, 0, all.w, all.h);
    }
    layout_view_free(v);
    return c;
}
