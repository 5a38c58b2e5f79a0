/*
 * layout.h — the computation graph placed on a character grid, the way a teacher draws it.
 *
 * Two stages, both without curses so that they can be tested on their own:
 *
 *   layout_place()   a plain DAG of boxes → coordinates. Layers are the longest path from the leaves
 *                    (inputs and parameters on the left, the loss on the right); an edge that skips layers
 *                    passes through one invisible "dummy" slot per layer it crosses; the order within each
 *                    layer comes from barycenter sweeps (the order with the fewest crossings is kept); boxes
 *                    are placed near the rows of their inputs. Each gap between two layers has one vertical
 *                    "track" per source, left of the labels, so that edge labels never sit on another edge.
 *
 *   layout_diagram() a walk → a canvas of cells: boxes with label, value and gradient (as far as the walk
 *                    has revealed them), edges with arrows, each edge's local gradient written on it, the
 *                    current step in double or heavy lines. The tui copies the visible part of the canvas
 *                    to the screen and colours each cell by its kind.
 *
 * The screen keeps a layout_view between steps instead: the placement is made once per graph (and again
 * when a box's size changes), and a step draws only the part of the canvas around the pan window, so that
 * a graph of hundreds of nodes answers a key at once. Placement is O(E log E) in the edges' pieces.
 */
#ifndef BPTUTOR_LAYOUT_H
#define BPTUTOR_LAYOUT_H

#include <stddef.h>
#include <wchar.h>

#include "walk.h"

/* ---------------------------------------------------------------- placing a DAG */

/* What to place: node i has inputs src[i][0..1] (−1 for none; an input must be < i), a box of
 * w[i] × h[i] cells (w[i] == 0: not drawn, and its edges are dropped), and label[i][k] cells of text to
 * write on the edge src[i][k] → i (NULL: no labels). */
typedef struct layout_input {
    int n;
    const int (*src)[2];
    const int *w, *h;
    const int (*label)[2];
} layout_input;

typedef struct layout_box {
    int node;        /* the input's node, or −1 for a dummy slot of a long edge */
    int layer, order;
    int x, y, w, h;
} layout_box;

typedef struct layout_point {
    int x, y;
} layout_point;

/* One edge src[to][k] → to as an orthogonal polyline: pts[0] is the cell just right of the source box,
 * pts[n_pts − 1] the cell just left of the target (where the arrowhead goes). The label, if any, goes on
 * row label_y from column label_x, in at most label_w cells. */
typedef struct layout_edge {
    int from, to, k;
    int n_pts;
    layout_point *pts;
    int label_x, label_y, label_w;
} layout_edge;

typedef struct layout {
    int n_boxes;
    layout_box *box;   /* real boxes and dummies */
    int *box_of;       /* node → index into box, or −1 when not drawn; n entries */
    int n_edges;
    layout_edge *edge;
    int n_layers;
    int width, height; /* of the whole drawing */
    int crossings;     /* edge crossings between adjacent layers, after ordering */
} layout;

enum { LAYOUT_VGAP = 1 /* blank rows between boxes of a layer */ };

layout *layout_place(const layout_input *in);
void layout_free(layout *lo);

/* ---------------------------------------------------------------- the canvas */

/* What a cell shows; the tui gives each kind a colour. ORDER KIND: tui's colour mapping follows this. */
#define LAYOUT_KINDS(X)                                          \
    X(BLANK)       /* nothing                                */ \
    X(EDGE)        /* a line between boxes                   */ \
    X(EDGE_ACTIVE) /* the edge of the current LOCAL step     */ \
    X(LOCAL)       /* a local gradient written on an edge    */ \
    X(BOX)         /* the border of an operation's box       */ \
    X(BOX_PARAM)   /* the border of a parameter's box        */ \
    X(BOX_INPUT)   /* the border of an input's box           */ \
    X(BOX_LOSS)    /* the border of the loss (or metric) box */ \
    X(BOX_ACTIVE)  /* the border of the current step's node  */ \
    X(TITLE)       /* a node's name                          */ \
    X(VALUE)       /* a known value                          */ \
    X(GRAD)        /* a known gradient                       */ \
    X(UNKNOWN)     /* a value or gradient not yet computed   */

enum layout_kind {
#define X(k) LAYOUT_##k,
    LAYOUT_KINDS(X)
#undef X
    LAYOUT_KIND_COUNT
};

/* One cell. A wide character occupies its cell and the next, which has ch == 0 (a continuation). */
typedef struct layout_cell {
    wchar_t ch;
    unsigned char kind;
} layout_cell;

/* A canvas holds the cells of a part of a drawing, [x0, x0 + cols) × [y0, y0 + rows); what falls outside
 * is left out. layout_canvas_new and layout_diagram make one of the whole drawing (x0 = y0 = 0). */
typedef struct layout_canvas {
    int width, height;           /* of the whole drawing */
    int x0, y0, cols, rows;      /* the part that has cells */
    layout_cell *cell;           /* row-major, cols × rows */
    int focus_x, focus_y, focus_w, focus_h; /* what must stay in view (w == 0: nothing in particular) */
} layout_canvas;

layout_canvas *layout_canvas_new(int width, int height);
void layout_canvas_free(layout_canvas *c);
layout_cell *layout_at(layout_canvas *c, int x, int y); /* NULL outside the part */
const layout_cell *layout_peek(const layout_canvas *c, int x, int y);
/* Write UTF-8 text from (x, y), at most max cells (wide characters count 2; one that does not fit is left
 * out). Returns the cells written. */
int layout_text(layout_canvas *c, int x, int y, const char *utf8, int max, enum layout_kind kind);
/* Draw a box; double lines when active. title goes into the top border. */
void layout_box_draw(layout_canvas *c, int x, int y, int w, int h, int active, enum layout_kind kind);
/* Draw an orthogonal polyline; lines that meet become junctions (┬ ┼ …). heavy: ━ ┃ ┏ … */
void layout_polyline(layout_canvas *c, const layout_point *pts, int n, int heavy, enum layout_kind kind);
/* One row of the canvas as UTF-8, trailing blanks trimmed (for tests and dumps). */
int layout_row_text(const layout_canvas *c, int y, char *buf, size_t n);

/* The diagram kept from step to step, for the screen: a step changes texts, not the graph, so the placement
 * is made again only when the graph or the size of a box or an edge label changes. A big graph's drawing
 * is large; the screen draws only the part it shows.
 *
 *   layout_view_update()  texts and sizes for the walk's present state (l is the lesson the walk was made
 *                         from; w and l must outlive the next draw); −1 when memory runs out
 *   layout_view_bounds()  the whole drawing, from (0, 0)
 *   layout_view_focus()   what must stay in view (w == 0: nothing in particular)
 *   layout_view_draw()    the part [x0, x0 + cols) × [y0, y0 + rows) as a canvas; NULL when memory runs out */
typedef struct layout_view layout_view;
typedef struct layout_rect {
    int x, y, w, h;
} layout_rect;

layout_view *layout_view_new(void);
void layout_view_free(layout_view *v);
/* hide_result: the current step's result is not shown yet (a quiz waits for it, or a class works it out):
 * the active node's value (forward, update), its edge's local gradient (local) or its gradient (chain). */
int layout_view_update(layout_view *v, const walk *w, const lesson *l, int hide_result);
layout_rect layout_view_bounds(const layout_view *v);
layout_rect layout_view_focus(const layout_view *v);
layout_canvas *layout_view_draw(const layout_view *v, int x0, int y0, int cols, int rows);

/* The whole diagram of the walk's current state (l is the lesson the walk was made from). NULL when memory
 * runs out. */
layout_canvas *layout_diagram(const walk *w, const lesson *l);

#endif
