/*
 * test_layout.c — the graph on a grid: ranks that keep wires short (a leaf just before its first consumer),
 * few crossings, no boxes on top of each other or of edge labels, a 40-node graph placed whole (the screen
 * pans over it), junctions that join, every edge of random graphs traced on the canvas from its source box
 * to its target box in both orientations, the diagram of lesson 01 as a teacher would draw it at each zoom,
 * a part of it drawn alone the same, boxes that keep their size from step to step and epoch to epoch, every
 * shipped lesson whole on an 80×24 screen, the measures of bench_layout kept from getting worse, and graphs
 * of a hundred levels and two hundred inputs placed whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glob.h>
#include <wchar.h>

#include "layout.h"
#include "layout_int.h"
#include "text.h"
#include "../../bench/nets.h"

static layout *place(int n, const int (*src)[2], int w, int h)
{
    int *ws = malloc((size_t)n * sizeof *ws), *hs = malloc((size_t)n * sizeof *hs);
    for (int i = 0; i < n; i++)
        ws[i] = w, hs[i] = h;
    layout *lo = layout_place(&(layout_input){ .n = n, .src = src, .w = ws, .h = hs, .orientation = LAYOUT_LEFT_RIGHT });
    free(ws);
    free(hs);
    assert_non_null(lo);
    return lo;
}

static const layout_box *box(const layout *lo, int node) { return &lo->box[lo->box_of[node]]; }

static int overlap(const layout_box *a, const layout_box *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Every pair of boxes (dummies included: a long edge's row must be free) is apart, and every box is inside
 * the drawing. */
static void assert_no_overlap(const layout *lo)
{
    for (int i = 0; i < lo->n_boxes; i++) {
        const layout_box *a = &lo->box[i];
        assert_true(a->x >= 0 && a->y >= 0 && a->x + a->w <= lo->width && a->y + a->h <= lo->height);
        for (int j = i + 1; j < lo->n_boxes; j++)
            if (overlap(a, &lo->box[j])) {
                print_error("boxes %d (node %d) and %d (node %d) overlap\n", i, a->node, j, lo->box[j].node);
                fail();
            }
    }
}

/* w, x → ŷ = w·x; ŷ, y → s = ŷ − y; s → L = s² (the 2 left out, as the diagram does with literals) */
static const int lesson01[][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 }, { 0, 1 }, { 3, 2 }, { 4, -1 } };

/* Ranks keep the wires short: w and x feed ŷ, so they sit just before it; y is only used by s, so it sits
 * just before s rather than in the first column with the other leaves (which used to give it a wire across
 * the drawing). Every wire is then one rank long: no dummy slots. */
static void a_leaf_sits_just_before_its_first_consumer(void **state)
{
    (void)state;
    layout *lo = place(6, lesson01, 9, 4);
    assert_int_equal(lo->n_layers, 4);
    assert_int_equal(box(lo, 0)->layer, 0);
    assert_int_equal(box(lo, 1)->layer, 0);
    assert_int_equal(box(lo, 2)->layer, 1);
    assert_int_equal(box(lo, 3)->layer, 1);
    assert_int_equal(box(lo, 4)->layer, 2);
    assert_int_equal(box(lo, 5)->layer, 3);
    /* left to right */
    assert_true(box(lo, 0)->x + box(lo, 0)->w < box(lo, 3)->x);
    assert_true(box(lo, 3)->x + box(lo, 3)->w < box(lo, 4)->x);
    assert_true(box(lo, 4)->x + box(lo, 4)->w < box(lo, 5)->x);
    assert_int_equal(lo->n_boxes, 6);
    assert_int_equal(lo->crossings, 0);
    assert_no_overlap(lo);
    layout_free(lo);
}

/* Network simplex moves a computed node towards its consumers when they outnumber its inputs: a = tanh(p)
 * feeds three nodes deep in the graph, so it goes next to them (total wire length 1 + 3, not 5 + 3 · 1). */
static void ranks_minimise_the_total_length_of_the_wires(void **state)
{
    (void)state;
    static const int src[][2] = {
        { -1, -1 }, /* 0 p */
        { 0, -1 },  /* 1 a = f(p) */
        { -1, -1 }, /* 2 q */
        { 2, -1 }, { 3, -1 }, { 4, -1 }, { 5, -1 }, /* 3..6: a chain from q */
        { 6, 1 }, { 7, 1 }, { 8, 1 }, /* 7..9: each takes the chain and a */
    };
    layout *lo = place(10, src, 7, 4);
    assert_int_equal(box(lo, 1)->layer, box(lo, 7)->layer - 1);
    assert_int_equal(box(lo, 0)->layer, box(lo, 1)->layer - 1);
    assert_no_overlap(lo);
    layout_free(lo);
}

static void an_edge_runs_from_box_to_box(void **state)
{
    (void)state;
    layout *lo = place(6, lesson01, 9, 4);
    for (int e = 0; e < lo->n_edges; e++) {
        const layout_edge *ed = &lo->edge[e];
        const layout_box *a = box(lo, ed->from), *b = box(lo, ed->to);
        assert_true(ed->n_pts >= 2);
        assert_int_equal(ed->pts[0].x, a->x + a->w);
        assert_int_equal(ed->pts[ed->n_pts - 1].x, b->x - 1);
        assert_true(ed->pts[ed->n_pts - 1].y > b->y && ed->pts[ed->n_pts - 1].y < b->y + b->h - 1);
        for (int i = 0; i + 1 < ed->n_pts; i++) /* orthogonal */
            assert_true(ed->pts[i].x == ed->pts[i + 1].x || ed->pts[i].y == ed->pts[i + 1].y);
    }
    layout_free(lo);
}

/* Two chains whose inputs are declared crosswise: a → d, b → c, with c before d. Ordering must uncross. */
static void barycenter_sweeps_remove_avoidable_crossings(void **state)
{
    (void)state;
    static const int src[][2] = {
        { -1, -1 }, { -1, -1 }, { -1, -1 }, { 2, -1 }, { 0, -1 }, { 1, -1 }, { 5, -1 }, { 4, -1 }, { 3, -1 },
    };
    layout *lo = place(9, src, 7, 3);
    assert_int_equal(lo->crossings, 0);
    assert_no_overlap(lo);
    layout_free(lo);
}

/* A 40-node graph: ten inputs, a sum tree and a few long edges. It is placed whole, boxes apart; it is
 * bigger than 80×24, which the screen handles by panning. */
static void forty_nodes_fit_without_overlap(void **state)
{
    (void)state;
    int src[40][2];
    for (int i = 0; i < 40; i++)
        src[i][0] = src[i][1] = -1;
    int n = 10;
    for (int i = 10; i < 40; i++, n++) {
        src[i][0] = (i * 7) % i;
        src[i][1] = (i * 3 + 1) % i;
        if (src[i][1] == src[i][0])
            src[i][1] = -1;
    }
    assert_int_equal(n, 40);
    layout *lo = place(40, (const int (*)[2])src, 11, 4);
    assert_int_equal(lo->n_boxes >= 40, 1);
    assert_no_overlap(lo);
    for (int i = 0; i < 40; i++)
        for (int k = 0; k < 2; k++)
            if (src[i][k] >= 0)
                assert_true(box(lo, src[i][k])->layer < box(lo, i)->layer);
    /* labels sit between the tracks and the target, never on a box */
    for (int e = 0; e < lo->n_edges; e++) {
        const layout_edge *ed = &lo->edge[e];
        for (int b = 0; b < lo->n_boxes; b++) {
            const layout_box *bx = &lo->box[b];
            if (bx->node < 0 || ed->label_w <= 0)
                continue;
            int inside = ed->label_y >= bx->y && ed->label_y < bx->y + bx->h && ed->label_x < bx->x + bx->w &&
                         bx->x < ed->label_x + ed->label_w;
            assert_false(inside);
        }
    }
    layout_free(lo);
}

/* Every node is placed, inputs in earlier layers; boxes of a layer stacked apart, layers apart; every edge
 * runs from its source's right to its target's left. The pairwise check above is quadratic, so big graphs
 * are checked layer by layer (a layer's boxes share their columns). */
static void assert_placed_apart(const layout *lo, int n, const int (*src)[2])
{
    for (int i = 0; i < n; i++) {
        assert_true(lo->box_of[i] >= 0);
        for (int k = 0; k < 2; k++)
            if (src[i][k] >= 0)
                assert_true(box(lo, src[i][k])->layer < box(lo, i)->layer);
    }
    int *bottom = calloc((size_t)lo->n_layers, sizeof *bottom), *right = calloc((size_t)lo->n_layers, sizeof *right);
    int *seen = calloc((size_t)lo->n_layers, sizeof *seen);
    for (int order = 0, more = 1; more; order++) { /* down each layer in order */
        more = 0;
        for (int b = 0; b < lo->n_boxes; b++) {
            const layout_box *a = &lo->box[b];
            assert_true(a->x >= 0 && a->y >= 0 && a->x + a->w <= lo->width && a->y + a->h <= lo->height);
            if (a->order != order)
                continue;
            more = 1;
            assert_true(order == 0 || a->y >= bottom[a->layer] + LAYOUT_VGAP);
            bottom[a->layer] = a->y + a->h;
            right[a->layer] = a->x + a->w > right[a->layer] ? a->x + a->w : right[a->layer];
            seen[a->layer]++;
        }
    }
    for (int L = 1; L < lo->n_layers; L++) {
        assert_true(seen[L] > 0);
        for (int b = 0; b < lo->n_boxes; b++)
            if (lo->box[b].layer == L)
                assert_true(lo->box[b].x > right[L - 1]);
    }
    for (int e = 0; e < lo->n_edges; e++) {
        const layout_edge *ed = &lo->edge[e];
        assert_int_equal(ed->pts[0].x, box(lo, ed->from)->x + box(lo, ed->from)->w);
        assert_int_equal(ed->pts[ed->n_pts - 1].x, box(lo, ed->to)->x - 1);
    }
    free(bottom);
    free(right);
    free(seen);
}

/* The chain the review found slow: n_k = tanh(w · n_k−1 + b), w feeding every level through a long edge. */
static void a_chain_of_a_hundred_levels_is_placed_whole(void **state)
{
    (void)state;
    enum { LEVELS = 100, N = 3 + 4 * LEVELS };
    int(*src)[2] = malloc(N * sizeof *src);
    for (int i = 0; i < N; i++)
        src[i][0] = src[i][1] = -1;
    /* 0: w, 1: x; per level a constant, w · prev, + constant, tanh */
    int prev = 1, n = 2;
    for (int k = 0; k < LEVELS; k++) {
        int c = n++, mul = n++, add = n++, th = n++;
        src[mul][0] = 0, src[mul][1] = prev;
        src[add][0] = mul, src[add][1] = c;
        src[th][0] = add;
        prev = th;
    }
    src[n][0] = prev; /* the loss */
    n++;
    layout *lo = place(n, (const int (*)[2])src, 11, 4);
    assert_int_equal(lo->n_layers, 1 + 3 * LEVELS + 1); /* the leaves, three per level, the loss */
    assert_placed_apart(lo, n, (const int (*)[2])src);
    layout_free(lo);
    free(src);
}

/* (p0 + p1 + … + p199)²: the sum is a left-leaning chain, so p_k's edge crosses k layers. */
static void a_sum_of_two_hundred_inputs_is_placed_whole(void **state)
{
    (void)state;
    enum { INPUTS = 200, N = 2 * INPUTS };
    int(*src)[2] = malloc(N * sizeof *src);
    for (int i = 0; i < N; i++)
        src[i][0] = src[i][1] = -1;
    int acc = 0;
    for (int k = 1; k < INPUTS; k++) {
        src[INPUTS + k - 1][0] = acc, src[INPUTS + k - 1][1] = k;
        acc = INPUTS + k - 1;
    }
    src[N - 1][0] = acc; /* the square */
    layout *lo = place(N, (const int (*)[2])src, 9, 4);
    assert_int_equal(lo->n_layers, INPUTS + 1);
    assert_placed_apart(lo, N, (const int (*)[2])src);
    assert_int_equal(lo->crossings, 0);
    layout_free(lo);
    free(src);
}

static void hidden_nodes_are_left_out_with_their_edges(void **state)
{
    (void)state;
    static const int src[][2] = { { -1, -1 }, { -1, -1 }, { 0, 1 } };
    const int w[] = { 7, 0, 7 }, h[] = { 3, 3, 3 };
    layout *lo = layout_place(&(layout_input){ .n = 3, .src = src, .w = w, .h = h, .orientation = LAYOUT_LEFT_RIGHT });
    assert_non_null(lo);
    assert_int_equal(lo->box_of[1], -1);
    assert_int_equal(lo->n_edges, 1);
    assert_int_equal(lo->n_layers, 2);
    layout_free(lo);
}

static void lines_that_meet_become_junctions(void **state)
{
    (void)state;
    layout_canvas *c = layout_canvas_new(5, 3);
    char row[64];
    layout_polyline(c, (const layout_point[]){ { 0, 1 }, { 4, 1 } }, 2, 0, LAYOUT_EDGE);
    layout_polyline(c, (const layout_point[]){ { 2, 0 }, { 2, 2 } }, 2, 0, LAYOUT_EDGE);
    layout_row_text(c, 1, row, sizeof row);
    assert_string_equal(row, "──┼──");
    layout_row_text(c, 0, row, sizeof row);
    assert_string_equal(row, "  │");
    layout_canvas_free(c);
}

static void wide_characters_take_two_cells(void **state)
{
    (void)state;
    layout_canvas *c = layout_canvas_new(8, 1);
    assert_int_equal(text_width("損失 L"), 6);
    assert_int_equal(layout_text(c, 0, 0, "損失 L", 5, LAYOUT_TITLE), 5); /* the L does not fit */
    char row[64];
    layout_row_text(c, 0, row, sizeof row);
    assert_string_equal(row, "損失");
    assert_int_equal(c->cell[1].ch, 0);
    layout_canvas_free(c);
}

/* ---------------------------------------------------------------- tracing wires on the canvas */

/* The direction bits a line character stands for (a half line is drawn as a whole one), or 0. */
enum { UP = 1, RIGHT = 2, DOWN = 4, LEFT = 8 };
static int line_bits(wchar_t ch)
{
    static const wchar_t light[16] = { L' ', L'│', L'─', L'└', L'│', L'│', L'┌', L'├',
                                       L'─', L'┘', L'─', L'┴', L'┐', L'┤', L'┬', L'┼' };
    static const wchar_t heavy[16] = { L' ', L'┃', L'━', L'┗', L'┃', L'┃', L'┏', L'┣',
                                       L'━', L'┛', L'━', L'┻', L'┓', L'┫', L'┳', L'╋' };
    for (int d = 15; d > 0; d--)
        if (ch == light[d] || ch == heavy[d])
            return d;
    return 0;
}

static int opposite(int d) { return d == UP ? DOWN : d == DOWN ? UP : d == LEFT ? RIGHT : LEFT; }

static int in_a_box(const layout *lo, int x, int y)
{
    for (int b = 0; b < lo->n_boxes; b++) {
        const layout_box *bx = &lo->box[b];
        if (bx->node >= 0 && x >= bx->x && x < bx->x + bx->w && y >= bx->y && y < bx->y + bx->h)
            return 1;
    }
    return 0;
}

/* A cell of an edge's label (a weight, a local gradient, with the blank either side), written over its wire:
 * the eye reads on along the wire's row. */
static int on_a_label(const layout *lo, int x, int y)
{
    for (int e = 0; e < lo->n_edges; e++) {
        const layout_edge *ed = &lo->edge[e];
        if (ed->label_w > 0 && y == ed->label_y && x >= ed->label_x - 1 && x <= ed->label_x + ed->label_w)
            return 1;
    }
    return 0;
}

/* Walk the characters from the cell a source's wires leave by, the way a reader's eye does: along each line,
 * turning at corners, taking every branch of a junction, but only straight on through a crossing (┼), and
 * straight along a label written over a wire. Marks the arrowheads reached in reached[] (one per cell). */
static void trace(const layout *lo, const layout_canvas *c, int x0, int y0, unsigned char *reached)
{
    int lr = lo->orientation == LAYOUT_LEFT_RIGHT;
    int W = c->width, H = c->height;
    unsigned char *seen = calloc((size_t)W * H, 16);
    int *stack = malloc(sizeof(int) * 3 * 4 * W * H + 3), top = 0;
    /* (x, y, the direction we were going when we came in) */
    stack[top++] = x0, stack[top++] = y0, stack[top++] = lr ? RIGHT : DOWN;
    while (top) {
        int going = stack[--top], y = stack[--top], x = stack[--top];
        if (seen[(size_t)(y * W + x) * 16 + going])
            continue;
        seen[(size_t)(y * W + x) * 16 + going] = 1;
        const layout_cell *p = layout_peek(c, x, y);
        if (p->ch == (lr ? L'▶' : L'▼')) {
            assert_int_equal(going, lr ? RIGHT : DOWN); /* an arrowhead is only reached along its wire */
            reached[y * W + x] = 1;
            continue;
        }
        int bits = line_bits(p->ch);
        if (!bits && lr && going == RIGHT && on_a_label(lo, x, y))
            bits = LEFT | RIGHT; /* reading along a label */
        assert_true(bits & opposite(going)); /* the wire goes on into this cell */
        for (int d = 1; d <= 8; d <<= 1) {
            if (!(bits & d) || d == opposite(going) || (bits == 15 && d != going))
                continue;
            int nx = x + (d == RIGHT) - (d == LEFT), ny = y + (d == DOWN) - (d == UP);
            if (nx < 0 || ny < 0 || nx >= W || ny >= H || in_a_box(lo, nx, ny))
                continue;
            const layout_cell *q = layout_peek(c, nx, ny);
            if ((line_bits(q->ch) & opposite(d)) || q->ch == (lr ? L'▶' : L'▼') ||
                (lr && d == RIGHT && on_a_label(lo, nx, ny)))
                stack[top++] = nx, stack[top++] = ny, stack[top++] = d;
        }
    }
    free(seen);
    free(stack);
}

/* Every edge of the drawing c of lo (bare, or a diagram with its numbers) is found by walking from its source
 * box: the arrowheads reached from a source are exactly those of its edges, each just before its target box
 * at a row (column) of its own. */
static void assert_traceable_on(const layout *lo, const layout_canvas *c)
{
    int lr = lo->orientation == LAYOUT_LEFT_RIGHT, W = c->width, H = c->height;
    unsigned char *reached = malloc((size_t)W * H), *expect = malloc((size_t)W * H);
    for (int e = 0; e < lo->n_edges; e++) {
        const layout_edge *ed = &lo->edge[e];
        const layout_box *to = box(lo, ed->to);
        const layout_point end = ed->pts[ed->n_pts - 1];
        if (lr)
            assert_true(end.x == to->x - 1 && end.y > to->y && end.y < to->y + to->h - 1);
        else
            assert_true(end.y == to->y - 1 && end.x > to->x && end.x < to->x + to->w - 1);
        if (e > 0 && lo->edge[e - 1].from == ed->from)
            continue; /* one walk per source */
        memset(reached, 0, (size_t)W * H);
        memset(expect, 0, (size_t)W * H);
        for (int f = 0; f < lo->n_edges; f++)
            if (lo->edge[f].from == ed->from) {
                const layout_point q = lo->edge[f].pts[lo->edge[f].n_pts - 1];
                assert_int_equal(expect[q.y * W + q.x], 0); /* two inputs never share an arrowhead */
                expect[q.y * W + q.x] = 1;
            }
        trace(lo, c, ed->pts[0].x, ed->pts[0].y, reached);
        if (memcmp(reached, expect, (size_t)W * H) != 0) {
            char row[4096];
            for (int y = 0; y < H; y++) {
                layout_row_text(c, y, row, sizeof row);
                print_error("%s\n", row);
            }
            print_error("the wires of node %d (leaving at %d,%d) do not lead to its own arrowheads\n", ed->from,
                        ed->pts[0].x, ed->pts[0].y);
            fail();
        }
    }
    free(reached);
    free(expect);
}

static void assert_traceable(const layout *lo)
{
    layout_canvas *c = layout_draw(lo);
    assert_non_null(c);
    assert_traceable_on(lo, c);
    layout_canvas_free(c);
}

static unsigned next_random(unsigned *seed) { return *seed = *seed * 1103515245u + 12345u, (*seed >> 16) & 0x7fff; }

/* Random graphs of up to forty nodes, boxes of random sizes, some nodes not drawn, some inputs used twice
 * (x·x), some whose inputs may swap ports, with and without labels, in both orientations: every edge
 * traced, no two sources merged. */
static void every_edge_of_random_graphs_can_be_traced_on_the_canvas(void **state)
{
    (void)state;
    unsigned seed = 11;
    for (int round = 0; round < 300; round++) {
        int n = 2 + (int)(next_random(&seed) % 39), src[40][2], w[40], h[40];
        unsigned char commutes[40];
        for (int i = 0; i < n; i++) {
            commutes[i] = next_random(&seed) % 2;
            src[i][0] = src[i][1] = -1;
            int inputs = i == 0 ? 0 : (int)(next_random(&seed) % 4);
            for (int k = 0; k < 2 && k < inputs; k++)
                src[i][k] = (int)(next_random(&seed) % (unsigned)i);
            w[i] = next_random(&seed) % 17 == 0 ? 0 : 5 + (int)(next_random(&seed) % 10);
            h[i] = 3 + (int)(next_random(&seed) % 3);
        }
        layout_input in = { .n = n, .src = (const int (*)[2])src, .w = w, .h = h,
                            .label_w = next_random(&seed) % 3 == 0 ? 5 : 0,
                            .orientation = round % 2 ? LAYOUT_TOP_BOTTOM : LAYOUT_LEFT_RIGHT, .commutes = commutes };
        layout *lo = layout_place(&in);
        assert_non_null(lo);
        assert_no_overlap(lo);
        layout_stats st;
        assert_int_equal(layout_measure(lo, &st), 0);
        if (st.merges != 0) {
            layout_canvas *c = layout_draw(lo);
            char row[4096];
            for (int y = 0; c && y < c->height; y++) {
                layout_row_text(c, y, row, sizeof row);
                print_error("%s\n", row);
            }
            layout_canvas_free(c);
            print_error("round %d: %d cells where two sources' wires merge\n", round, st.merges);
            fail();
        }
        assert_traceable(lo);
        layout_free(lo);
    }
}

/* The same for pictures that are not a computation graph: nodes with up to five inputs given as lists (a
 * neuron fed by a whole layer), ranks given (a network's layers) or found, and labels only on some edges. */
static void every_edge_of_random_many_input_graphs_can_be_traced(void **state)
{
    (void)state;
    unsigned seed = 29;
    for (int round = 0; round < 200; round++) {
        int n = 2 + (int)(next_random(&seed) % 30), start[41], list[200], w[40], h[40], rank[40], used = 0;
        unsigned char labelled[40];
        int layered = round % 3 != 0;
        for (int i = 0; i < n; i++) {
            start[i] = used;
            rank[i] = layered ? (i == 0 ? 0 : rank[i - 1] + (int)(next_random(&seed) % 2)) : 0;
            int inputs = i == 0 ? 0 : (int)(next_random(&seed) % 6);
            for (int k = 0; k < inputs; k++) {
                int s = (int)(next_random(&seed) % (unsigned)i);
                if (layered && rank[s] == rank[i])
                    s = -1; /* a hole in the list, as src's −1 */
                list[used++] = s;
            }
            w[i] = next_random(&seed) % 13 == 0 ? 0 : 5 + (int)(next_random(&seed) % 10);
            h[i] = 3 + (int)(next_random(&seed) % 3);
            labelled[i] = next_random(&seed) % 2;
        }
        start[n] = used;
        layout_input in = { .n = n, .w = w, .h = h, .label_w = round % 2 ? 6 : 0,
                            .orientation = round % 4 >= 2 ? LAYOUT_TOP_BOTTOM : LAYOUT_LEFT_RIGHT,
                            .in_start = start, .in_src = list, .rank = layered ? rank : NULL,
                            .labelled = labelled };
        layout *lo = layout_place(&in);
        assert_non_null(lo);
        assert_no_overlap(lo);
        for (int e = 0; e < lo->n_edges; e++) {
            const layout_edge *ed = &lo->edge[e];
            assert_int_equal(list[start[ed->to] + ed->k], ed->from);
            assert_true(box(lo, ed->from)->layer < box(lo, ed->to)->layer);
            if (layered) /* given ranks are kept, apart from a common shift */
                assert_int_equal(box(lo, ed->to)->layer - box(lo, ed->from)->layer, rank[ed->to] - rank[ed->from]);
            assert_true(ed->label_w == 0 || labelled[ed->to]);
        }
        layout_stats st;
        assert_int_equal(layout_measure(lo, &st), 0);
        assert_int_equal(st.merges, 0);
        assert_traceable(lo);
        layout_free(lo);
    }
}

/* A label for layout_wires' test: "#k" somewhere on a row the wires may cross, or nothing. */
struct label_ctx {
    const layout *lo;
    unsigned seed;
    int *x, *y, *len;
};

static void test_label(layout_canvas *c, int ei, void *ctx, int *y, int *x0, int *x1)
{
    struct label_ctx *lc = ctx;
    *y = *x0 = *x1 = 0;
    if (lc->len[ei] == 0)
        return;
    char text[16];
    snprintf(text, sizeof text, "%.*s", lc->len[ei], "#########");
    int used = layout_text(c, lc->x[ei], lc->y[ei], text, lc->len[ei], LAYOUT_LOCAL);
    *y = lc->y[ei], *x0 = lc->x[ei], *x1 = lc->x[ei] + used;
}

/* layout_wires draws a picture's wires at once (each cell's bits once, the labels after): the canvas is the
 * one of drawing each wire and then its label in turn, cell for cell, on random graphs, on parts of them,
 * with labels where later wires cross them, and some edges left to draw one by one afterwards. */
static void wires_at_once_draw_what_wires_one_by_one_draw(void **state)
{
    (void)state;
    unsigned seed = 7;
    for (int round = 0; round < 300; round++) {
        int n = 2 + (int)(next_random(&seed) % 39), src[40][2], w[40], h[40];
        for (int i = 0; i < n; i++) {
            src[i][0] = src[i][1] = -1;
            int inputs = i == 0 ? 0 : (int)(next_random(&seed) % 4);
            for (int k = 0; k < 2 && k < inputs; k++)
                src[i][k] = (int)(next_random(&seed) % (unsigned)i);
            w[i] = 5 + (int)(next_random(&seed) % 10);
            h[i] = 3 + (int)(next_random(&seed) % 3);
        }
        layout_input in = { .n = n, .src = (const int (*)[2])src, .w = w, .h = h, .label_w = 5,
                            .orientation = round % 2 ? LAYOUT_TOP_BOTTOM : LAYOUT_LEFT_RIGHT };
        layout *lo = layout_place(&in);
        assert_non_null(lo);
        int m = lo->n_edges, lx[100], ly[100], ll[100], which[100], n_which = 0;
        assert_true(m <= 100);
        for (int e = 0; e < m; e++) {
            ll[e] = (int)(next_random(&seed) % 4);
            lx[e] = lo->width ? (int)(next_random(&seed) % (unsigned)lo->width) : 0;
            ly[e] = lo->height ? (int)(next_random(&seed) % (unsigned)lo->height) : 0;
            if (next_random(&seed) % 5)
                which[n_which++] = e;
        }
        struct label_ctx lc = { lo, 0, lx, ly, ll };
        int x0 = round % 3 ? 0 : (int)(next_random(&seed) % (unsigned)(lo->width + 1));
        int y0 = round % 3 ? 0 : (int)(next_random(&seed) % (unsigned)(lo->height + 1));
        int cols = 1 + (int)(next_random(&seed) % (unsigned)(lo->width + 1));
        int rows = 1 + (int)(next_random(&seed) % (unsigned)(lo->height + 1));
        layout_canvas *a = layout_canvas_part(lo->width, lo->height, x0, y0, cols, rows);
        layout_canvas *b = layout_canvas_part(lo->width, lo->height, x0, y0, cols, rows);
        assert_non_null(a);
        assert_non_null(b);
        for (int pass = 0; pass < 2; pass++) {
            layout_canvas *c = pass ? b : a;
            assert_int_equal(layout_lines_begin(c), 0);
            if (pass) {
                assert_int_equal(layout_wires(c, lo, which, n_which, test_label, &lc), 0);
            } else {
                for (int k = 0; k < n_which; k++) {
                    int y, xa, xb;
                    layout_wire(c, lo, &lo->edge[which[k]], 0);
                    test_label(c, which[k], &lc, &y, &xa, &xb);
                }
            }
            for (int e = 0, k = 0; e < m; e++) { /* the edges left out: active, one by one, over the rest */
                if (k < n_which && which[k] == e) {
                    k++;
                    continue;
                }
                layout_wire(c, lo, &lo->edge[e], 1);
            }
            layout_lines_end();
        }
        for (int i = 0; i < a->cols * a->rows; i++)
            if (a->cell[i].ch != b->cell[i].ch || a->cell[i].kind != b->cell[i].kind) {
                print_error("round %d, cell (%d, %d): %lc/%d one by one, %lc/%d at once\n", round,
                            x0 + i % a->cols, y0 + i / a->cols, (wint_t)a->cell[i].ch, a->cell[i].kind,
                            (wint_t)b->cell[i].ch, b->cell[i].kind);
                fail();
            }
        layout_canvas_free(a);
        layout_canvas_free(b);
        layout_free(lo);
    }
}

/* ---------------------------------------------------------------- diagrams of lessons */

static const char lesson01_text[] =
    "param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x\nlabel yhat ŷ\nlet s = yhat - y\n"
    "loss L = s^2\nlabel L loss\nset precision mixed\n";

static char *diagram_text(const layout_canvas *c)
{
    size_t size = (size_t)c->height * ((size_t)c->width * 4 + 2) + 1, used = 0;
    char *all = malloc(size);
    for (int y = 0; y < c->height; y++) {
        used += (size_t)layout_row_text(c, y, all + used, size - used);
        all[used++] = '\n';
    }
    all[used] = '\0';
    return all;
}

static char *draw_as(const walk *w, const lesson *l, enum layout_zoom zoom, enum layout_orientation o, int sample)
{
    layout_canvas *c = layout_diagram_as(w, l, (layout_options){ zoom, o, sample, LAYOUT_GRAPH });
    assert_non_null(c);
    char *all = diagram_text(c);
    layout_canvas_free(c);
    return all;
}

static char *draw_as_picture(const walk *w, const lesson *l, layout_options o)
{
    layout_canvas *c = layout_diagram_as(w, l, o);
    assert_non_null(c);
    char *all = diagram_text(c);
    layout_canvas_free(c);
    return all;
}

static void the_diagram_of_lesson_01_after_one_epoch(void **state)
{
    (void)state;
    lesson_error err;
    lesson *l = lesson_parse(lesson01_text, strlen(lesson01_text), &err);
    assert_non_null(l);
    walk *w = walk_new(l);
    assert_non_null(w);
    walk_finish_epoch(w);
    char *all = draw_as(w, l, LAYOUT_FULL, LAYOUT_LEFT_RIGHT, 0);
    /* every number a learner checks: ŷ = 0, s = −4, L = 16, ∂L/∂s = −8, ∂L/∂w = −16, w → 0.16 */
    assert_non_null(strstr(all, "│ 0.16    │"));
    assert_non_null(strstr(all, "│∇ −16    │"));
    assert_non_null(strstr(all, "│ −4      │"));
    assert_non_null(strstr(all, "│ 16      │"));
    assert_non_null(strstr(all, "│∇ −8     │"));
    assert_non_null(strstr(all, "┌ loss ───┐"));
    /* local gradients on the edges: ∂ŷ/∂w = x = 2, ∂s/∂ŷ = 1, ∂L/∂s = 2s = −8 */
    assert_non_null(strstr(all, "─ 2 ─"));
    assert_non_null(strstr(all, "─ 1 ─"));
    assert_non_null(strstr(all, "─ −8 ─"));
    assert_null(strstr(all, "lqqk"));
    free(all);
    /* the detail: values and gradients, no local gradients; the overview: values only */
    all = draw_as(w, l, LAYOUT_DETAIL, LAYOUT_LEFT_RIGHT, 0);
    assert_non_null(strstr(all, "│∇ −16    │"));
    assert_null(strstr(all, "─ 2 ─"));
    free(all);
    all = draw_as(w, l, LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, 0);
    assert_non_null(strstr(all, "│0.16 │"));
    assert_null(strstr(all, "∇"));
    free(all);
    /* top to bottom: w and x above ŷ, each with its own arrowhead */
    all = draw_as(w, l, LAYOUT_OVERVIEW, LAYOUT_TOP_BOTTOM, 0);
    assert_non_null(strstr(all, "▼ ▼"));
    free(all);
    walk_free(w);
    lesson_free(l);
}

static void the_current_step_is_drawn_in_double_lines(void **state)
{
    (void)state;
    lesson_error err;
    lesson *l = lesson_parse(lesson01_text, strlen(lesson01_text), &err);
    walk *w = walk_new(l);
    walk_next(w); /* forward: ŷ */
    layout_canvas *c = layout_diagram(w, l);
    char *all = diagram_text(c);
    assert_non_null(strstr(all, "╔ ŷ"));
    assert_non_null(strstr(all, "│ ?       │")); /* s is not computed yet */
    assert_true(c->focus_w > 0);
    free(all);
    layout_canvas_free(c);
    walk_free(w);
    lesson_free(l);
}

static int holds(layout_rect r, const layout_box *b)
{
    return b->x >= r.x && b->y >= r.y && b->x + b->w <= r.x + r.w && b->y + b->h <= r.y + r.h;
}

/* What the screen should keep in view besides the step's node: its inputs (forward), both ends of the edge
 * (local gradient), the nodes it feeds (chain rule). */
static void the_context_of_a_step_holds_what_it_reads(void **state)
{
    (void)state;
    lesson_error err;
    lesson *l = lesson_parse(lesson01_text, strlen(lesson01_text), &err);
    walk *w = walk_new(l);
    layout_view *v = layout_view_new();
    walk_next(w); /* forward: ŷ = w · x */
    assert_int_equal(layout_view_update(v, w, l, 0), 0);
    const layout *lo = layout_view_layout(v);
    layout_rect r = layout_view_context(v);
    assert_true(holds(r, box(lo, 0)) && holds(r, box(lo, 1)) && holds(r, box(lo, 3))); /* w, x, ŷ */
    assert_false(holds(r, box(lo, 6)));                                                  /* not the loss */
    walk_next_phase(w); /* local: ∂loss/∂s */
    assert_int_equal(layout_view_update(v, w, l, 0), 0);
    r = layout_view_context(v);
    assert_true(holds(r, box(lo, 4)) && holds(r, box(lo, 6))); /* s and the loss (the 2 of s^2 is node 5) */
    assert_false(holds(r, box(lo, 0)));
    walk_next_phase(w);
    walk_next(w); /* chain: ∂loss/∂s, from the loss */
    assert_int_equal(layout_view_update(v, w, l, 0), 0);
    assert_int_equal(walk_current(w)->node, 4);
    r = layout_view_context(v);
    assert_true(holds(r, box(lo, 4)) && holds(r, box(lo, 6)));
    layout_rect f = layout_view_focus(v);
    assert_true(f.w > 0 && f.x >= r.x && f.x + f.w <= r.x + r.w);
    layout_view_free(v);
    walk_free(w);
    lesson_free(l);
}

/* Box sizes come from the widest number a zoom level writes, not from the numbers of the moment: stepping
 * through three epochs never places the graph again, and the drawing keeps its size. */
static void boxes_keep_their_size_from_step_to_step_and_epoch_to_epoch(void **state)
{
    (void)state;
    static const char text[] = "param w1 = 0.5\nparam b1 = 0\nparam w2 = 1\ninput x = -1, 0, 1, 2\n"
                               "input y = -1, 0, 1, 1\nlet h = tanh(w1 * x + b1)\nloss L = mean((w2 * h - y)^2)\n"
                               "set lr 0.5\n";
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    assert_non_null(l);
    walk *w = walk_new(l);
    for (int z = 0; z < LAYOUT_ZOOM_COUNT; z++) {
        walk_reset(w);
        layout_view *v = layout_view_new();
        layout_view_set_options(v, (layout_options){ (enum layout_zoom)z, LAYOUT_LEFT_RIGHT, 0, LAYOUT_GRAPH });
        assert_int_equal(layout_view_update(v, w, l, 0), 0);
        const layout *first = layout_view_layout(v);
        layout_rect size = layout_view_bounds(v);
        for (int k = 0; k < 3 * walk_count(w); k++) {
            walk_next(w);
            assert_int_equal(layout_view_update(v, w, l, k % 2), 0);
            assert_ptr_equal(layout_view_layout(v), first);
            layout_canvas *c = layout_view_draw(v, 0, 0, size.w, size.h);
            assert_non_null(c);
            layout_canvas_free(c);
        }
        layout_rect after = layout_view_bounds(v);
        assert_int_equal(after.w, size.w);
        assert_int_equal(after.h, size.h);
        layout_view_free(v);
    }
    walk_free(w);
    lesson_free(l);
}

/* A batch node shows one sample, with "2/4" in its bottom border, or the sum of all (Σ, as the loss takes it);
 * the box is as wide either way. */
static void a_batch_box_shows_one_sample_or_a_summary(void **state)
{
    (void)state;
    static const char text[] = "param w = 2\ninput x = 1, 2, 3, 4\nlet y = w * x\nloss L = sum(y)\n";
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    walk *w = walk_new(l);
    walk_finish_epoch(w);
    assert_int_equal(layout_samples(l), 4);
    char *one = draw_as(w, l, LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, 1), *all = draw_as(w, l, LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, LAYOUT_ALL_SAMPLES);
    assert_non_null(strstr(one, "│4    │"));   /* y of the second sample: 2 · 2 */
    assert_non_null(strstr(one, "└ 2/4 ┘"));
    assert_non_null(strstr(all, "│Σ20  │"));   /* 2 + 4 + 6 + 8 */
    assert_non_null(strstr(all, "└ ×4 ─┘"));
    layout_rect a = layout_size(w, l, (layout_options){ LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, 1, LAYOUT_GRAPH });
    layout_rect b = layout_size(w, l, (layout_options){ LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, LAYOUT_ALL_SAMPLES, LAYOUT_GRAPH });
    assert_int_equal(a.w, b.w);
    assert_int_equal(a.h, b.h);
    free(one);
    free(all);
    walk_free(w);
    lesson_free(l);
}

/* An unnamed node is titled by its operator, with the literals that have no box of their own. */
static void an_unnamed_node_is_titled_by_its_operator(void **state)
{
    (void)state;
    static const char text[] = "param w = 1\ninput x = 2\nlet h = sigmoid(w * x + 0.5)\nloss L = 0.5 * (h - 1)^2\n";
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    walk *w = walk_new(l);
    char *all = draw_as(w, l, LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, 0);
    assert_non_null(strstr(all, "┌ · ─"));
    assert_non_null(strstr(all, "┌ +0.5 ┐"));
    assert_non_null(strstr(all, "┌ h ─"));
    assert_non_null(strstr(all, "┌ −1 ─"));
    assert_non_null(strstr(all, "┌ ^2 ─"));
    assert_non_null(strstr(all, "┌ L ─"));
    assert_null(strstr(all, "w · x"));
    free(all);
    walk_free(w);
    lesson_free(l);
}

static lesson *read_lesson(const char *path)
{
    static char text[1 << 16];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    lesson_error err;
    lesson *l = lesson_parse(text, n, &err);
    assert_non_null(l);
    return l;
}


/* The screen has a status line, a bottom line and a step panel of about ten rows besides the graph. */
enum { GRAPH_ROWS_80 = 24 - 12, GRAPH_ROWS_120 = 40 - 12 };

static void every_shipped_lesson_is_whole_on_an_80x24_screen(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("lessons/*/*.lesson", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 3);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        lesson *l = read_lesson(g.gl_pathv[i]);
        walk *w = walk_new(l);
        /* a lesson with layers opens on its network view, as the tutor does (tui_diagram.c): its computation
         * graph (a 2-2-2 network's is 119 × 35) is for a bigger screen, or for panning */
        enum layout_picture opens_on = l->n_layers > 0 ? LAYOUT_NETWORK : LAYOUT_GRAPH;
        layout_options over = { LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, 0, opens_on };
        layout_rect r = layout_size(w, l, over);
        if (r.w > 80 || r.h > GRAPH_ROWS_80) {
            print_error("%s: the overview is %d × %d\n", g.gl_pathv[i], r.w, r.h);
            fail();
        }
        /* what the tutor picks fits too, and the drawing reads at every step, numbers and all: every edge
         * traced */
        layout_options start = layout_default_options();
        start.picture = opens_on;
        layout_options o = layout_fit(w, l, 80, GRAPH_ROWS_80, start);
        assert_true(layout_fits(w, l, 80, GRAPH_ROWS_80, o));
        assert_true(o.zoom >= LAYOUT_OVERVIEW);
        layout_view *v = layout_view_new();
        layout_view_set_options(v, o);
        for (int k = 0; k < walk_count(w); k++, walk_next(w)) {
            assert_int_equal(layout_view_update(v, w, l, 0), 0);
            layout_rect all = layout_view_bounds(v);
            layout_canvas *c = layout_view_draw(v, 0, 0, all.w, all.h);
            assert_traceable_on(layout_view_layout(v), c);
            layout_canvas_free(c);
        }
        layout_view_free(v);
        walk_free(w);
        lesson_free(l);
    }
    globfree(&g);
}

/* ---------------------------------------------------------------- the network view */

static lesson *network(int ni, int nh, int no)
{
    static char text[1 << 16];
    nets_network(text, sizeof text, ni, nh, no);
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    assert_non_null(l);
    return l;
}

static const layout_options network_overview = { LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, 0, LAYOUT_NETWORK };

static int node_of(const lesson *l, const char *name) { return l->names[lesson_find(l, name)].id; }

/* Mazur's 2-2-2 network at the chain step of w₆: the output layer's weights read as nn.Linear's (out × in: rows
 * o₁ o₂, columns h₁ h₂), each cell the engine's ∂E/∂w, equal to δᵢ·xⱼ with δᵢ = ∂E/∂(oᵢ's net input); the cells
 * of weights whose chain step is still ahead are not known yet. */
static void a_layer_s_weights_are_a_matrix_and_their_gradient_the_outer_product(void **state)
{
    (void)state;
    lesson *l = read_lesson("tests/screens/mazur-2-2-2.lesson");
    walk *w = walk_new(l);
    int w5 = node_of(l, "w5"), w6 = node_of(l, "w6"), w7 = node_of(l, "w7"), w8 = node_of(l, "w8");
    int h1 = node_of(l, "h1"), h2 = node_of(l, "h2"), o1 = node_of(l, "o1"), o2 = node_of(l, "o2");
    int at = -1;
    for (int k = 0; k < walk_count(w); k++)
        if (walk_step_at(w, k)->phase == LESSON_PHASE_CHAIN && walk_step_at(w, k)->node == w6)
            at = k;
    assert_true(at > 0);
    walk_jump(w, at);
    layout_net *n = layout_net_new(l);
    layout_matrix *m = layout_matrix_of(n, l, w6);
    assert_non_null(m);
    assert_int_equal(m->rows, 2);
    assert_int_equal(m->cols, 2);
    assert_int_equal(m->unit[0], o1);
    assert_int_equal(m->unit[1], o2);
    assert_int_equal(m->input[0], h1);
    assert_int_equal(m->input[1], h2);
    const int want[4] = { w5, w6, w7, w8 };
    assert_memory_equal(m->weight, want, sizeof want);
    assert_int_equal(m->row, 0);
    assert_int_equal(m->col, 1);
    for (int i = 0; i < 2; i++) /* δᵢ is the gradient of the sigmoid's input: oᵢ's net input */
        assert_int_equal(m->delta[i], graph_node_at(l->g, m->unit[i])->src[0]);
    assert_true(walk_grad_known(w, w5) && walk_grad_known(w, w6) && walk_grad_known(w, m->delta[0]));
    assert_float_equal(walk_grad(w, w5, 0), 0.082167041, 1e-9); /* Mazur's ∂E/∂w₅ */
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            int p = m->weight[i * 2 + j];
            double outer = walk_grad(w, m->delta[i], 0) * walk_value(w, m->input[j], 0);
            assert_float_equal(layout_matrix_delta_x(m, w, i, j), outer, 0);
            assert_float_equal(walk_grad(w, p, 0), outer, 1e-15);
        }
    /* the gradients of the weights whose chain step comes later are not revealed yet: the screen shows ? */
    int later = 0;
    for (int p = 0; p < 4; p++)
        later += !walk_grad_known(w, want[p]);
    assert_true(later > 0);
    assert_true(layout_matrix_outer(m, w));
    /* the hidden layer: rows h₁ h₂, columns i₁ i₂, δ the hidden units' net inputs */
    layout_matrix *hidden = layout_matrix_of(n, l, node_of(l, "w3"));
    assert_non_null(hidden);
    assert_int_equal(hidden->row, 1);
    assert_int_equal(hidden->col, 0);
    assert_int_equal(hidden->input[1], node_of(l, "i2"));
    /* a bias, and a node that is no weight, are no cell */
    assert_null(layout_matrix_of(n, l, node_of(l, "b1")));
    assert_null(layout_matrix_of(n, l, h1));
    layout_matrix_free(hidden);
    layout_matrix_free(m);
    layout_net_free(n);
    walk_free(w);
    lesson_free(l);
}

/* The layers read as a network: units layer by layer and then the loss; each hidden and output unit fed by
 * every unit of the layer before, with the weight of Mazur's picture on each edge; the bias and the targets
 * inside what they feed. */
static void layers_read_as_units_edges_and_weights(void **state)
{
    (void)state;
    lesson *l = network(2, 2, 2);
    layout_net *n = layout_net_new(l);
    assert_non_null(n);
    assert_int_equal(n->n_units, 7);
    static const char *const units[] = { "i1", "i2", "h1", "h2", "o1", "o2", "E" };
    for (int u = 0; u < 7; u++) {
        assert_int_equal(n->unit[u].node, node_of(l, units[u]));
        assert_int_equal(n->unit_of[n->unit[u].node], u);
    }
    assert_int_equal(n->unit[6].layer, 3); /* the loss after the three layers */
    const layout_net_unit *h2 = &n->unit[3], *o1 = &n->unit[4], *e = &n->unit[6];
    assert_int_equal(h2->n_in, 2);
    assert_int_equal(h2->in[0].from, 0);
    assert_int_equal(h2->in[0].weight, node_of(l, "w3"));
    assert_int_equal(h2->in[1].weight, node_of(l, "w4"));
    assert_int_equal(o1->in[0].weight, node_of(l, "w5"));
    assert_true(h2->inside[node_of(l, "b1")] && h2->inside[node_of(l, "h2")]);
    assert_false(h2->inside[node_of(l, "i1")]);
    assert_int_equal(e->n_in, 2);
    assert_int_equal(e->in[1].weight, -1);
    assert_true(e->inside[node_of(l, "t2")]);
    layout_net_free(n);
    lesson *bare = lesson_parse("param w = 1\nloss L = w^2\n", 24, &(lesson_error){ 0 });
    assert_null(layout_net_new(bare)); /* no layers, no network */
    lesson_free(bare);
    lesson_free(l);
}

/* Mazur's network, read whole on an 80×24 screen (80 × 12 for the graph): the overview is what layout_fit
 * picks, and every edge can be traced on the drawing with its weights written over the wires, from the start
 * of the epoch to its end. */
static void mazurs_network_is_whole_on_an_80x24_screen(void **state)
{
    (void)state;
    lesson *l = network(2, 2, 2);
    walk *w = walk_new(l);
    layout_options o = layout_fit(w, l, 80, GRAPH_ROWS_80, network_overview);
    assert_int_equal(o.picture, LAYOUT_NETWORK);
    assert_int_equal(o.zoom, LAYOUT_OVERVIEW);
    layout_view *v = layout_view_new();
    layout_view_set_options(v, o);
    for (int k = 0; k < walk_count(w); k++, walk_next(w)) {
        assert_int_equal(layout_view_update(v, w, l, 0), 0);
        assert_int_equal(layout_view_picture(v), LAYOUT_NETWORK);
        layout_rect r = layout_view_bounds(v);
        assert_true(r.w <= 80 && r.h <= GRAPH_ROWS_80);
        layout_canvas *c = layout_view_draw(v, 0, 0, r.w, r.h);
        assert_traceable_on(layout_view_layout(v), c);
        layout_canvas_free(c);
    }
    layout_view_free(v);
    walk_free(w);
    lesson_free(l);
}

/* Weights on the edges, with their gradients at the detail; the boxes round; the layers named under them
 * while no step is inside a unit. */
static void weights_are_written_on_their_edges(void **state)
{
    (void)state;
    lesson *l = network(2, 2, 2);
    walk *w = walk_new(l);
    char *all = draw_as_picture(w, l, network_overview);
    assert_non_null(strstr(all, "\u256d i1 \u2500")); /* ╭ i1 ─ */
    assert_non_null(strstr(all, "w1 0.15 \u2500"));
    assert_non_null(strstr(all, "w8 0.55 \u2500"));
    assert_non_null(strstr(all, "input"));
    assert_non_null(strstr(all, "hidden"));
    free(all);
    walk_finish_epoch(w); /* w5 ← 0.4 − 0.5 · 0.082167 = 0.35892 */
    layout_options detail = network_overview;
    detail.zoom = LAYOUT_DETAIL;
    all = draw_as_picture(w, l, detail);
    assert_non_null(strstr(all, "w5 0.359 \u22070.082"));
    assert_non_null(strstr(all, "\u2502 0.75137 \u2502")); /* o1 */
    assert_non_null(strstr(all, "\u2502 0.29837 \u2502")); /* E */
    free(all);
    walk_free(w);
    lesson_free(l);
}

/* A step inside a neuron: the neuron in double lines, its inside (the sums, the bias, the nonlinearity) drawn
 * under the network with the step's node in double lines; a product w·x is its edge, heavy. */
static void a_step_inside_a_neuron_shows_its_inside(void **state)
{
    (void)state;
    lesson *l = network(2, 2, 2);
    walk *w = walk_new(l);
    walk_next(w); /* forward: w1 · i1 */
    char *all = draw_as_picture(w, l, network_overview);
    assert_non_null(strstr(all, "\u2501\u2533 w1 0.15 \u2501")); /* ━┳ w1 0.15 ━ */
    assert_non_null(strstr(all, "inside h1"));
    free(all);
    walk_next(w);
    walk_next(w); /* forward: w1 · i1 + w2 · i2 = 0.0275 */
    all = draw_as_picture(w, l, network_overview);
    assert_non_null(strstr(all, "\u2554 h1 \u2550")); /* ╔ h1 ═ */
    assert_non_null(strstr(all, "inside h1 \u25510.028\u2551")); /* inside h1 ║0.028║ */
    assert_non_null(strstr(all, "\u250c +b1 \u2510"));
    assert_non_null(strstr(all, "\u250c \u03c3 \u2500"));
    assert_null(strstr(all, "hidden")); /* the inside has the layers' titles' room */
    free(all);
    walk_free(w);
    lesson_free(l);
}

/* A view kept across a graph that gains nodes at the prompt and keeps its units (the tutor keeps its view):
 * the insides are measured again for the new graph, whose new nodes are in none. Under valgrind or ASan this
 * read past the end of the inside's mask, which had the old graph's size. */
static void a_network_view_follows_a_graph_that_gains_nodes(void **state)
{
    (void)state;
    static char text[1 << 16];
    nets_network(text, sizeof text, 2, 2, 2);
    lesson_error err;
    lesson *a = lesson_parse(text, strlen(text), &err);
    strcat(text, "let extra = w1 * 3 + w2 * 4\n");
    lesson *b = lesson_parse(text, strlen(text), &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(graph_count(b->g) > graph_count(a->g));
    walk *wa = walk_new(a), *wb = walk_new(b);
    for (int k = 0; k < 3; k++)
        walk_next(wa), walk_next(wb);
    layout_view *v = layout_view_new();
    layout_view_set_options(v, network_overview);
    assert_int_equal(layout_view_update(v, wa, a, 0), 0);
    assert_int_equal(layout_view_update(v, wb, b, 0), 0);
    char title[64];
    assert_int_equal(layout_view_title(v, node_of(b, "extra"), title, sizeof title), 0);
    assert_int_equal(layout_view_title(v, node_of(b, "h1"), title, sizeof title), 1);
    assert_string_equal(title, "\u03c3"); /* h1's own node, in its inside: σ */
    layout_rect r = layout_view_bounds(v);
    layout_canvas *c = layout_view_draw(v, 0, 0, r.w, r.h);
    char *all = diagram_text(c);
    assert_non_null(strstr(all, "inside h1"));
    free(all);
    layout_canvas_free(c);
    layout_view_free(v);
    walk_free(wa);
    walk_free(wb);
    lesson_free(a);
    lesson_free(b);
}

/* The network keeps its placement and size from step to step and across epochs, at both its zooms. */
static void the_network_keeps_its_size(void **state)
{
    (void)state;
    lesson *l = network(2, 3, 1);
    walk *w = walk_new(l);
    for (int z = 0; z < 2; z++) {
        walk_reset(w);
        layout_view *v = layout_view_new();
        layout_options o = network_overview;
        o.zoom = (enum layout_zoom)z;
        layout_view_set_options(v, o);
        assert_int_equal(layout_view_update(v, w, l, 0), 0);
        const layout *first = layout_view_layout(v);
        layout_rect size = layout_view_bounds(v);
        for (int k = 0; k < 2 * walk_count(w); k++) {
            walk_next(w);
            assert_int_equal(layout_view_update(v, w, l, k % 2), 0);
            assert_ptr_equal(layout_view_layout(v), first);
            layout_rect now = layout_view_bounds(v);
            assert_int_equal(now.w, size.w);
            assert_int_equal(now.h, size.h);
        }
        layout_view_free(v);
    }
    walk_free(w);
    lesson_free(l);
}

/* ---------------------------------------------------------------- the measures of bench_layout */

/* What bench_layout printed when this was written; a change may only make these smaller. Per graph, the
 * overview and the detail, left to right then top to bottom: width, height, crossings, bends, longest; and
 * for a lesson with layers its network view, overview and detail (the height with the room for an inside). */
struct ceiling {
    const char *graph;
    int m[4][5];
    int net[2][5];
};
static const struct ceiling ceilings[] = {
    { "lessons/en/01-one-weight.lesson",
      { { 35, 8, 0, 2, 5 }, { 16, 18, 0, 2, 7 }, { 50, 8, 0, 4, 6 }, { 24, 22, 0, 4, 9 } }, { { 0 } } },
    { "lessons/en/02-four-samples.lesson",
      { { 44, 8, 0, 3, 5 }, { 18, 23, 0, 3, 9 }, { 63, 8, 0, 5, 6 }, { 26, 28, 0, 5, 12 } }, { { 0 } } },
    { "lessons/en/05-neuron.lesson",
      { { 79, 8, 0, 5, 5 }, { 19, 43, 0, 5, 7 }, { 115, 9, 0, 7, 6 }, { 30, 52, 0, 7, 9 } }, { { 0 } } },
    { "network 2-2-2",
      { { 119, 35, 12, 29, 24 }, { 68, 66, 12, 25, 43 }, { 171, 41, 12, 31, 27 }, { 99, 79, 12, 29, 61 } },
      { { 58, 12, 2, 9, 18 }, { 93, 18, 2, 9, 28 } } },
    { "network 2-3-1",
      { { 118, 37, 13, 30, 33 }, { 67, 64, 13, 23, 51 }, { 168, 41, 13, 27, 41 }, { 99, 77, 13, 27, 71 } },
      { { 58, 17, 2, 10, 23 }, { 93, 18, 2, 10, 33 } } },
    { "network 4-4-4",
      { { 209, 132, 87, 165, 125 }, { 232, 130, 86, 157, 189 }, { 282, 143, 86, 167, 140 }, { 345, 149, 86, 164, 273 } },
      { { 66, 30, 42, 57, 37 }, { 101, 46, 42, 57, 47 } } },
    { "chain of 20",
      { { 169, 7, 0, 1, 4 }, { 15, 93, 0, 1, 7 }, { 245, 8, 0, 2, 6 }, { 22, 112, 0, 2, 9 } }, { { 0 } } },
};

static void measures_of_the_diagrams_do_not_regress(void **state)
{
    (void)state;
    static char text[1 << 16];
    for (size_t i = 0; i < sizeof ceilings / sizeof ceilings[0]; i++) {
        const struct ceiling *c = &ceilings[i];
        lesson *l;
        int a, b, d;
        lesson_error err;
        if (sscanf(c->graph, "network %d-%d-%d", &a, &b, &d) == 3) {
            nets_network(text, sizeof text, a, b, d);
            l = lesson_parse(text, strlen(text), &err);
        } else if (strcmp(c->graph, "chain of 20") == 0) {
            nets_chain(text, sizeof text);
            l = lesson_parse(text, strlen(text), &err);
        } else {
            l = read_lesson(c->graph);
        }
        assert_non_null(l);
        walk *w = walk_new(l);
        walk_finish_epoch(w);
        for (int k = 0; k < 4; k++) {
            layout_view *v = layout_view_new();
            layout_view_set_options(v, (layout_options){ k / 2 ? LAYOUT_DETAIL : LAYOUT_OVERVIEW,
                                                         k % 2 ? LAYOUT_TOP_BOTTOM : LAYOUT_LEFT_RIGHT, 0,
                                                         LAYOUT_GRAPH });
            assert_int_equal(layout_view_update(v, w, l, 0), 0);
            layout_stats st;
            assert_int_equal(layout_measure(layout_view_layout(v), &st), 0);
            int now[5] = { st.width, st.height, st.crossings, st.bends, st.longest };
            static const char *const what[5] = { "width", "height", "crossings", "bends", "longest wire" };
            for (int q = 0; q < 5; q++)
                if (now[q] > c->m[k][q]) {
                    print_error("%s, %s %s: %s %d, was %d\n", c->graph, k / 2 ? "detail" : "overview",
                                k % 2 ? "TB" : "LR", what[q], now[q], c->m[k][q]);
                    fail();
                }
            assert_int_equal(st.merges, 0);
            layout_view_free(v);
        }
        for (int k = 0; l->n_layers > 0 && k < 2; k++) {
            layout_view *v = layout_view_new();
            layout_view_set_options(v, (layout_options){ k ? LAYOUT_DETAIL : LAYOUT_OVERVIEW, LAYOUT_LEFT_RIGHT, 0,
                                                         LAYOUT_NETWORK });
            assert_int_equal(layout_view_update(v, w, l, 0), 0);
            layout_stats st;
            assert_int_equal(layout_measure(layout_view_layout(v), &st), 0);
            layout_rect all = layout_view_bounds(v);
            int now[5] = { all.w, all.h, st.crossings, st.bends, st.longest };
            static const char *const what[5] = { "width", "height", "crossings", "bends", "longest wire" };
            for (int q = 0; q < 5; q++)
                if (now[q] > c->net[k][q]) {
                    print_error("%s, network %s: %s %d, was %d\n", c->graph, k ? "detail" : "overview", what[q],
                                now[q], c->net[k][q]);
                    fail();
                }
            assert_int_equal(st.merges, 0);
            layout_view_free(v);
        }
        walk_free(w);
        lesson_free(l);
    }
}

/* The screen draws only the part it shows; each cell of it is the cell of the whole drawing. */
static void a_part_of_the_diagram_is_the_same_as_the_whole(void **state)
{
    (void)state;
    lesson_error err;
    lesson *l = lesson_parse(lesson01_text, strlen(lesson01_text), &err);
    walk *w = walk_new(l);
    for (int i = 0; i < 9; i++)
        walk_next(w);
    layout_canvas *all = layout_diagram(w, l);
    layout_view *v = layout_view_new();
    assert_int_equal(layout_view_update(v, w, l, 0), 0);
    layout_rect r = layout_view_bounds(v);
    assert_int_equal(r.w, all->width);
    assert_int_equal(r.h, all->height);
    for (int x0 = -2; x0 < r.w; x0 += 5)
        for (int y0 = -2; y0 < r.h; y0 += 3) {
            layout_canvas *part = layout_view_draw(v, x0, y0, 12, 4);
            assert_non_null(part);
            assert_int_equal(part->focus_x, all->focus_x);
            assert_int_equal(part->focus_w, all->focus_w);
            for (int y = 0; y < r.h; y++)
                for (int x = 0; x < r.w; x++) {
                    const layout_cell *p = layout_peek(part, x, y), *q = layout_peek(all, x, y);
                    assert_non_null(q);
                    if (x >= x0 && x < x0 + 12 && y >= y0 && y < y0 + 4) {
                        assert_non_null(p);
                        assert_int_equal(p->ch, q->ch);
                        assert_int_equal(p->kind, q->kind);
                    } else {
                        assert_null(p);
                    }
                }
            layout_canvas_free(part);
        }
    layout_view_free(v);
    layout_canvas_free(all);
    walk_free(w);
    lesson_free(l);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_layer_s_weights_are_a_matrix_and_their_gradient_the_outer_product),
        cmocka_unit_test(a_leaf_sits_just_before_its_first_consumer),
        cmocka_unit_test(ranks_minimise_the_total_length_of_the_wires),
        cmocka_unit_test(an_edge_runs_from_box_to_box),
        cmocka_unit_test(barycenter_sweeps_remove_avoidable_crossings),
        cmocka_unit_test(forty_nodes_fit_without_overlap),
        cmocka_unit_test(a_chain_of_a_hundred_levels_is_placed_whole),
        cmocka_unit_test(a_sum_of_two_hundred_inputs_is_placed_whole),
        cmocka_unit_test(hidden_nodes_are_left_out_with_their_edges),
        cmocka_unit_test(lines_that_meet_become_junctions),
        cmocka_unit_test(wide_characters_take_two_cells),
        cmocka_unit_test(the_diagram_of_lesson_01_after_one_epoch),
        cmocka_unit_test(the_current_step_is_drawn_in_double_lines),
        cmocka_unit_test(every_edge_of_random_graphs_can_be_traced_on_the_canvas),
        cmocka_unit_test(every_edge_of_random_many_input_graphs_can_be_traced),
        cmocka_unit_test(the_context_of_a_step_holds_what_it_reads),
        cmocka_unit_test(boxes_keep_their_size_from_step_to_step_and_epoch_to_epoch),
        cmocka_unit_test(a_batch_box_shows_one_sample_or_a_summary),
        cmocka_unit_test(an_unnamed_node_is_titled_by_its_operator),
        cmocka_unit_test(every_shipped_lesson_is_whole_on_an_80x24_screen),
        cmocka_unit_test(measures_of_the_diagrams_do_not_regress),
        cmocka_unit_test(layers_read_as_units_edges_and_weights),
        cmocka_unit_test(mazurs_network_is_whole_on_an_80x24_screen),
        cmocka_unit_test(weights_are_written_on_their_edges),
        cmocka_unit_test(a_step_inside_a_neuron_shows_its_inside),
        cmocka_unit_test(the_network_keeps_its_size),
        cmocka_unit_test(a_network_view_follows_a_graph_that_gains_nodes),
        cmocka_unit_test(a_part_of_the_diagram_is_the_same_as_the_whole),
        cmocka_unit_test(wires_at_once_draw_what_wires_one_by_one_draw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
