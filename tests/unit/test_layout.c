/*
 * test_layout.c — the graph on a grid: layers by longest path, few crossings, no boxes on top of each
 * other or of edge labels, a 40-node graph placed whole (the screen pans over it), junctions that join,
 * the diagram of lesson 01 as a teacher would draw it, a part of it drawn alone the same, and graphs of a
 * hundred levels and two hundred inputs placed whole.
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

#include "layout.h"
#include "text.h"

static layout *place(int n, const int (*src)[2], int w, int h)
{
    int *ws = malloc((size_t)n * sizeof *ws), *hs = malloc((size_t)n * sizeof *hs);
    for (int i = 0; i < n; i++)
        ws[i] = w, hs[i] = h;
    layout *lo = layout_place(&(layout_input){ n, src, ws, hs, NULL });
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

static void layers_are_the_longest_path_from_the_leaves(void **state)
{
    (void)state;
    layout *lo = place(6, lesson01, 9, 4);
    assert_int_equal(lo->n_layers, 4);
    assert_int_equal(box(lo, 0)->layer, 0);
    assert_int_equal(box(lo, 1)->layer, 0);
    assert_int_equal(box(lo, 2)->layer, 0); /* y is an input: on the left with the others */
    assert_int_equal(box(lo, 3)->layer, 1);
    assert_int_equal(box(lo, 4)->layer, 2);
    assert_int_equal(box(lo, 5)->layer, 3);
    /* left to right */
    assert_true(box(lo, 0)->x + box(lo, 0)->w < box(lo, 3)->x);
    assert_true(box(lo, 3)->x + box(lo, 3)->w < box(lo, 4)->x);
    assert_true(box(lo, 4)->x + box(lo, 4)->w < box(lo, 5)->x);
    /* y → s skips layer 1: one dummy slot there */
    assert_int_equal(lo->n_boxes, 7);
    assert_int_equal(lo->crossings, 0);
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
    layout *lo = layout_place(&(layout_input){ 3, src, w, h, NULL });
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

static const char lesson01_text[] =
    "param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x\nlabel yhat ŷ\nlet s = yhat - y\n"
    "loss L = s^2\nlabel L loss\nset precision mixed\n";

static void the_diagram_of_lesson_01_after_one_epoch(void **state)
{
    (void)state;
    lesson_error err;
    lesson *l = lesson_parse(lesson01_text, strlen(lesson01_text), &err);
    assert_non_null(l);
    walk *w = walk_new(l);
    assert_non_null(w);
    walk_finish_epoch(w);
    layout_canvas *c = layout_diagram(w, l);
    assert_non_null(c);
    char all[8192] = "", row[512];
    for (int y = 0; y < c->height; y++) {
        layout_row_text(c, y, row, sizeof row);
        strcat(all, row);
        strcat(all, "\n");
    }
    /* every number a learner checks: ŷ = 0, s = −4, L = 16, ∂L/∂s = −8, ∂L/∂w = −16, w → 0.16 */
    assert_non_null(strstr(all, "│ 0.16  │"));
    assert_non_null(strstr(all, "│ ∇ −16 │"));
    assert_non_null(strstr(all, "│ −4   │"));
    assert_non_null(strstr(all, "│ 16   │"));
    assert_non_null(strstr(all, "∇ −8"));
    assert_non_null(strstr(all, "┌ loss ┐"));
    /* local gradients on the edges: ∂ŷ/∂w = x = 2, ∂s/∂ŷ = 1, ∂L/∂s = 2s = −8 */
    assert_non_null(strstr(all, "─ 2 ─"));
    assert_non_null(strstr(all, "─ 1 ─"));
    assert_non_null(strstr(all, "─ −8 ─"));
    assert_null(strstr(all, "lqqk"));
    layout_canvas_free(c);
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
    char all[8192] = "", row[512];
    for (int y = 0; y < c->height; y++) {
        layout_row_text(c, y, row, sizeof row);
        strcat(all, row);
        strcat(all, "\n");
    }
    assert_non_null(strstr(all, "╔ ŷ"));
    assert_non_null(strstr(all, "│ ?    │")); /* s is not computed yet */
    assert_true(c->focus_w > 0);
    layout_canvas_free(c);
    walk_free(w);
    lesson_free(l);
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
        cmocka_unit_test(layers_are_the_longest_path_from_the_leaves),
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
        cmocka_unit_test(a_part_of_the_diagram_is_the_same_as_the_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
