/*
 * layout.h — the computation graph placed on a character grid, the way a teacher draws it.
 *
 * Two stages, both without curses so that they can be tested on their own:
 *
 *   layout_place()   a plain DAG of boxes → coordinates, in four steps (Sugiyama's scheme, as Graphviz's dot
 *                    does it): ranks that make the wires as short as they can be (network simplex), so that a
 *                    parameter or an input sits just before the node that uses it; the order within each rank
 *                    with the fewest crossings (barycenter sweeps, then swaps of neighbours); rows that make
 *                    wires straight (the priority method); and wires routed in the gaps between ranks, one
 *                    vertical track per source, so that two sources' wires may cross but never run together.
 *                    A source's wires share one trunk and split where they part, so a fan-out shows as ┬.
 *                    Left to right (ranks are columns) or top to bottom (ranks are rows).
 *
 *   the view         a walk → a canvas of cells: boxes with title, value and gradient (as far as the walk has
 *                    revealed them), wires with arrows, the current step in double or heavy lines. Three zoom
 *                    levels (layout_options) and a choice of orientation; a batch node shows one sample, or a
 *                    one-line summary of all. The tui copies the visible part of the canvas to the screen and
 *                    colours each cell by its kind.
 *
 *   two pictures     the computation graph (a box per node), or, for a lesson with layers, the network: a
 *                    round box per unit in a column per layer, the weights written on the edges, and under it
 *                    the inside of the unit the step is in (its sums and nonlinearity, drawn as a small
 *                    computation graph). The walk is the same; each of its steps lights up what it is about.
 *
 * A box's width comes from its title and the widest number the zoom level writes (numbers are fitted to a
 * fixed number of cells), never from the number it shows now, so the picture does not move while stepping
 * or across epochs: the placement is made once per graph and options. A step draws only the part of the
 * canvas around the pan window, so that a graph of hundreds of nodes answers a key at once.
 */
#ifndef BPTUTOR_LAYOUT_H
#define BPTUTOR_LAYOUT_H

#include <stddef.h>
#include <wchar.h>

#include "walk.h"

/* ---------------------------------------------------------------- placing a DAG */

enum layout_orientation {
    LAYOUT_LEFT_RIGHT, /* ranks are columns, inputs on the left, the loss on the right */
    LAYOUT_TOP_BOTTOM, /* ranks are rows, inputs on top, the loss at the bottom */
};

/* What to place: node i has inputs src[i][0..1] (−1 for none; an input must be < i) and a box of
 * w[i] × h[i] cells (w[i] == 0: not drawn, and its edges are dropped). label_w cells of text are kept free
 * on every edge just before its arrow (0: none; left to right only). A box is made tall enough (left to
 * right) or wide enough (top to bottom) for each of its inputs to enter at its own row or column: input 0
 * first (above, or on the left), unless commutes[i] (NULL: none) says the order does not matter (a sum, a
 * product): then an input computed from others goes first, where the wire runs straight through.
 *
 * Optional, for pictures that are not the computation graph (the network view, a neuron's inside):
 *   in_start, in_src  inputs as lists instead of src: node i's are in_src[in_start[i] .. in_start[i + 1]),
 *                     as many as it has (a neuron fed by four others), input k entering at its k-th port
 *   rank              each node's rank (column, or row top to bottom), used as given when every edge goes
 *                     to a higher rank (a network's layers); NULL, or anything else: network simplex
 *   labelled          only the edges into node i with labelled[i] carry a label, and a gap keeps room for
 *                     labels only when an edge that ends past it has one (NULL: every edge) */
typedef struct layout_input {
    int n;
    const int (*src)[2];
    const int *w, *h;
    int label_w;
    enum layout_orientation orientation;
    const unsigned char *commutes;
    const int *in_start, *in_src;
    const int *rank;
    const unsigned char *labelled;
} layout_input;

typedef struct layout_box {
    int node;        /* the input's node, or −1 for a dummy slot a long wire passes through */
    int layer, order;
    int x, y, w, h;
} layout_box;

typedef struct layout_point {
    int x, y;
} layout_point;

/* One edge src[to][k] → to (in_src[in_start[to] + k] → to) as an orthogonal polyline: pts[0] is the cell just past the source box (right of
 * it, or below it), pts[n_pts − 1] the cell just before the target (where the arrowhead goes). The label, if
 * any, goes on row label_y from column label_x, in at most label_w cells. */
typedef struct layout_edge {
    int from, to, k;
    int n_pts;
    layout_point *pts;
    int label_x, label_y, label_w;
} layout_edge;

typedef struct layout {
    enum layout_orientation orientation;
    int n_boxes;
    layout_box *box;   /* real boxes and dummies */
    int *box_of;       /* node → index into box, or −1 when not drawn; n entries */
    int n_edges;
    layout_edge *edge;
    int n_layers;
    int width, height; /* of the whole drawing */
    int crossings;     /* edge crossings between adjacent layers, after ordering */
} layout;

enum { LAYOUT_VGAP = 1 /* blank rows (columns, top to bottom) between the boxes of a layer */ };

layout *layout_place(const layout_input *in);
void layout_free(layout *lo);

/* What a drawing measures, from its polylines. */
typedef struct layout_stats {
    int width, height;
    int crossings; /* cells where one source's wire crosses another source's */
    int merges;    /* cells where two sources' wires run along the same line, hiding which is which: 0 */
    int bends;     /* corners, summed over the edges */
    int longest;   /* the longest edge, in cells */
} layout_stats;

/* 0, or −1 when memory runs out. */
int layout_measure(const layout *lo, layout_stats *st);

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
/* Draw a box; double lines when active. */
void layout_box_draw(layout_canvas *c, int x, int y, int w, int h, int active, enum layout_kind kind);
/* Draw an orthogonal polyline; lines that meet become junctions (┬ ┼ …). heavy: ━ ┃ ┏ … */
void layout_polyline(layout_canvas *c, const layout_point *pts, int n, int heavy, enum layout_kind kind);
/* One row of the canvas as UTF-8, trailing blanks trimmed (for tests and dumps). */
int layout_row_text(const layout_canvas *c, int y, char *buf, size_t n);
/* A placed DAG drawn bare: empty boxes, wires and arrowheads (▶ or ▼). NULL when memory runs out. */
layout_canvas *layout_draw(const layout *lo);

/* ---------------------------------------------------------------- the diagram of a walk */

/* How much each box says. ORDER ZOOM: from the smallest drawing to the biggest. */
enum layout_zoom {
    LAYOUT_OVERVIEW, /* name and value */
    LAYOUT_DETAIL,   /* name, value and ∂loss/∂node */
    LAYOUT_FULL,     /* the detail, and each edge's local gradient written on it (left to right only) */
    LAYOUT_ZOOM_COUNT
};

enum { LAYOUT_ALL_SAMPLES = -1 };

/* What is drawn: the computation graph, or the lesson's layers as a network (the graph when it has none).
 * The network has two zoom levels (the full one draws as the detail) and is drawn left to right. */
enum layout_picture { LAYOUT_GRAPH, LAYOUT_NETWORK };

/* sample: which element of a batch the boxes show (0-based; a node with fewer shows its last), or
 * LAYOUT_ALL_SAMPLES for one summary number: the sum (Σ) or the mean (μ), whichever the loss takes of its
 * batch, and Σ for gradients, which is what a shared parameter collects. */
typedef struct layout_options {
    enum layout_zoom zoom;
    enum layout_orientation orientation;
    int sample;
    enum layout_picture picture;
} layout_options;

/* LAYOUT_DETAIL, left to right, the first sample, the computation graph. */
layout_options layout_default_options(void);

/* The diagram kept from step to step, for the screen: a step changes texts, not the graph, so the placement
 * is made again only when the graph, a title or the options change. A big graph's drawing is large; the
 * screen draws only the part it shows.
 *
 *   layout_view_set_options()  what the next update draws (a new placement when the sizes change)
 *   layout_view_update()  texts for the walk's present state (l is the lesson the walk was made from; w and l
 *                         must outlive the next draw); −1 when memory runs out
 *   layout_view_bounds()  the whole drawing, from (0, 0)
 *   layout_view_focus()   what must stay in view (w == 0: nothing in particular)
 *   layout_view_context() the focus with what the step reads: a forward step's inputs, a local gradient's
 *                         two ends, a chain step's consumers; keep it in view when it fits, else the focus
 *   layout_view_draw()    the part [x0, x0 + cols) × [y0, y0 + rows) as a canvas; NULL when memory runs out */
typedef struct layout_view layout_view;
typedef struct layout_rect {
    int x, y, w, h;
} layout_rect;

layout_view *layout_view_new(void);
void layout_view_free(layout_view *v);
void layout_view_set_options(layout_view *v, layout_options o);
layout_options layout_view_options(const layout_view *v);
/* hide_result: the current step's result is not shown yet (a quiz waits for it, or a class works it out):
 * the active node's value (forward, update), its edge's local gradient (local) or its gradient (chain). */
int layout_view_update(layout_view *v, const walk *w, const lesson *l, int hide_result);
layout_rect layout_view_bounds(const layout_view *v);
layout_rect layout_view_focus(const layout_view *v);
layout_rect layout_view_context(const layout_view *v);
layout_canvas *layout_view_draw(const layout_view *v, int x0, int y0, int cols, int rows);
/* The placement behind the last update, or NULL. */
const layout *layout_view_layout(const layout_view *v);
/* What the last update drew: the network only when the lesson has layers. */
enum layout_picture layout_view_picture(const layout_view *v);
/* The title node id's box has on show ("·", "+b₁", "h₁"): 1, or 0 and "" when it has no box. */
int layout_view_title(const layout_view *v, int id, char *buf, size_t n);
/* In the network on show, node id as an edge: the product w·x the edge stands for (1) or the weight written on
 * it (2), with the graph nodes of the units it joins in *from and *to; 0 when it is neither. */
int layout_view_edge(const layout_view *v, int id, int *from, int *to);

/* The longest batch in the lesson's graph (1 when nothing is batched): the samples there are to choose. */
int layout_samples(const lesson *l);
/* The size the diagram of l has with options o, from (0, 0); w == 0 when memory runs out. */
layout_rect layout_size(const walk *w, const lesson *l, layout_options o);
/* The options that draw l whole in cols × rows: the most detailed zoom that fits, in whichever orientation
 * fits (left to right first); when nothing fits, the overview in the orientation that needs the fewest
 * screens to pan over. o's sample and picture are kept. */
layout_options layout_fit(const walk *w, const lesson *l, int cols, int rows, layout_options o);
/* o with the orientation that draws its zoom best in cols × rows: left to right when that fits, else top to
 * bottom when that does, else the one that needs the fewest screens to pan over. */
layout_options layout_orient(const walk *w, const lesson *l, int cols, int rows, layout_options o);
/* Does the picture of l draw whole in cols × rows with options o? */
int layout_fits(const walk *w, const lesson *l, int cols, int rows, layout_options o);

/* ---------------------------------------------------------------- the network (layout_net.c) */

/* An edge of the network: from an earlier unit, with the weight that multiplies it, when one does. */
typedef struct layout_net_edge {
    int from;    /* the unit it comes from */
    int weight;  /* the parameter that multiplies it (graph id), or −1 */
    int product; /* the node weight · unit (graph id), or −1 */
} layout_net_edge;

typedef struct layout_net_unit {
    int node;              /* its graph node */
    int layer;             /* index into the lesson's layers; the loss: their number */
    int n_in;
    layout_net_edge *in;   /* the units it reads, in unit order */
    unsigned char *inside; /* graph id → 1 for its node and what lies between it and the units it reads */
} layout_net_unit;

/* The lesson's layers as a network: the units layer by layer, top to bottom, then the loss. */
typedef struct layout_net {
    int n_units, n_layers;
    layout_net_unit *unit;
    int *unit_of; /* graph id → the unit it is, or −1 */
} layout_net;

/* NULL when the lesson has no layers (or memory runs out). */
layout_net *layout_net_new(const lesson *l);
void layout_net_free(layout_net *n);

/* A layer's weights as one matrix, laid out as nn.Linear keeps its weight: a row per unit of the layer (out), a
 * column per unit they read (in), each cell the parameter on that edge (read from the network's edges, as the
 * picture writes them). Row i's δ is ∂loss/∂ its pre-activation: the sum its products w·x are added into, the
 * top of the chain of additions above them. Then ∂loss/∂W = δ·xᵀ, each cell δᵢ·xⱼ (summed over the samples of
 * a batch) — true of the numbers only when no weight is used elsewhere, which layout_matrix_outer checks. */
typedef struct layout_matrix {
    int layer;      /* the lesson's layer */
    int rows, cols;
    int *unit;      /* rows: the graph ids of the layer's units */
    int *input;     /* columns: the graph ids of the units they read */
    int *weight;    /* rows × cols, row-major: the parameter on that edge (graph id), or −1 for no edge */
    int *delta;     /* per row: the node whose gradient is δᵢ, or −1 when the products meet in no one sum */
    int row, col;   /* the cell of the weight asked about */
    const graph *g; /* the lesson's graph */
} layout_matrix;

/* The matrix that weight param is a cell of, or NULL when it is no weight on an edge of the network (or a
 * weight of the layer holds a batch, or memory runs out). */
layout_matrix *layout_matrix_of(const layout_net *n, const lesson *l, int param);
void layout_matrix_free(layout_matrix *m);
/* Σ over the samples of δᵢ·xⱼ, from the walk's numbers of this epoch (NAN when row i has no δ). */
double layout_matrix_delta_x(const layout_matrix *m, const walk *w, int i, int j);
/* 1 when every cell whose gradient and δ the walk has revealed equals δᵢ·xⱼ (to the precision's rounding),
 * and every row has a δ: then ∂loss/∂W = δ·xᵀ is what the engine computed. */
int layout_matrix_outer(const layout_matrix *m, const walk *w);
/* The network the last update drew, or NULL when it drew the computation graph. */
const layout_net *layout_view_net(const layout_view *v);

/* The whole diagram of the walk's current state (l is the lesson the walk was made from), with the default
 * options or with o. NULL when memory runs out. */
layout_canvas *layout_diagram(const walk *w, const lesson *l);
layout_canvas *layout_diagram_as(const walk *w, const lesson *l, layout_options o);

#endif
