/*
 * layout_int.h — what the layout module's files share and no one else sees.
 *
 *   layout.c       placing a DAG (ranks, orders, rows, wires) and the canvas it is drawn on
 *   layout_view.c  the diagram of a walk: the computation graph or the network, with its numbers
 *   layout_net.c   a lesson's layers read as a network
 *
 * layout_view.c draws through the canvas primitives below; layout.c uses nothing of the other two.
 */
#ifndef BPTUTOR_LAYOUT_INT_H
#define BPTUTOR_LAYOUT_INT_H

#include "layout.h"

/* A canvas for the part [x0, x0 + cols) × [y0, y0 + rows) of a width × height drawing, clipped to it. */
layout_canvas *layout_canvas_part(int width, int height, int x0, int y0, int cols, int rows);

/* How a box's border is drawn. */
enum layout_border {
    LAYOUT_LIGHT,  /* ┌─┐ a node */
    LAYOUT_DOUBLE, /* ╔═╗ the current step's node */
    LAYOUT_HEAVY,  /* ┏━┓ the input of the current LOCAL step */
    LAYOUT_ROUND,  /* ╭─╮ a unit of the network view */
};
void layout_box_style(layout_canvas *c, int x, int y, int w, int h, enum layout_border style, enum layout_kind kind);

/* Wires are drawn between layout_lines_begin(c) and layout_lines_end(), which keep the side table that
 * turns lines that meet into junctions; one canvas at a time. begin returns −1 when memory runs out. */
int layout_lines_begin(const layout_canvas *c);
void layout_lines_end(void);
/* An edge's wire and its arrowhead, heavy when active. */
void layout_wire(layout_canvas *c, const layout *lo, const layout_edge *e, int active);
/*
 * The same as, for k = 0 … n−1: layout_wire(c, lo, &lo->edge[which[k]], 0), then text(c, ei, ctx), which
 * writes the edge's label on one row and says where (row *y, columns [*x0, *x1)), or nothing (*x0 = *x1).
 * A wire whose segment an earlier wire already drew is not drawn again (a big graph's wires share their
 * source's trunk); the canvas ends up the same, cell for cell. Returns −1 (having drawn one by one) when
 * memory runs out.
 */
typedef void layout_label_fn(layout_canvas *c, int ei, void *ctx, int *y, int *x0, int *x1);
int layout_wires(layout_canvas *c, const layout *lo, const int *which, int n, layout_label_fn *text, void *ctx);
/* Whether layout_wires pays for its tables: the wires' cells in the part outnumber the part's cells twice
 * (wires one by one cost per cell they cross, layout_wires per cell of the part). */
int layout_wires_pay(const layout_canvas *c, const layout *lo, const int *which, int n);

#endif
