/*
 * layout_view.c — the diagram of a walk (see layout.h): the computation graph, or the lesson's layers as a
 * network, placed once and drawn with the walk's numbers as far as the walk has revealed them.
 *
 * A picture is what a placement is made from: boxes (each shows one graph node), the boxes each reads, their
 * sizes and titles, and for the network its layers as ranks and its weights as labels on the edges. A step
 * changes numbers, not pictures, so the placement is made again only when the picture changes (a new
 * graph, a title, the options). Box sizes come from the widest number a zoom level writes, never from the
 * number of the moment.
 *
 * The network: a round box per unit, a column per layer, the loss after the last. Under it, room for the
 * inside of one unit (its sums, bias and nonlinearity: the graph's nodes between it and the units it reads,
 * the products w·x left out because they are the edges), drawn as a computation graph of its own whenever
 * the step is in that unit; the room is the tallest neuron's, so the picture does not move when it shows.
 * While no unit's inside shows, the layers' titles are written there. A step lights up what it is about:
 * the edge of a product or a weight (heavy), the unit it is inside (double lines).
 */
#include "layout.h"
#include "layout_int.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "text.h"

/* ---------------------------------------------------------------- what the boxes say */

/* Cells a number takes at each zoom level; a box is as wide as the widest it may have to write. A weight on
 * a network's edge takes the overview's. */
static const int number_cells[LAYOUT_ZOOM_COUNT] = { 5, 7, 7 };
_Static_assert(sizeof number_cells / sizeof number_cells[0] == LAYOUT_ZOOM_COUNT, "ORDER ZOOM");
enum { WEIGHT_CELLS = 5 };

static void put(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + (*used < n ? *used : n - 1), *used < n ? n - *used : 1, fmt, ap);
    va_end(ap);
    if (k > 0)
        *used += (size_t)k;
}

/* v in at most cells cells: the most significant digits that fit ("−0.4618", "1.2e6", "−3e−5"). */
static void fit_number(double v, int cells, char *buf, size_t n)
{
    for (int digits = 6; digits >= 1; digits--) {
        walk_format_digits(v, digits, buf, n);
        if (text_width(buf) <= cells)
            return;
    }
    /* too small for its zeros (0.000438): the exponent form, with as many digits as fit ("4.4e−4") */
    for (int digits = 3; digits >= 1 && v != 0 && fabs(v) < 1; digits--) {
        char e[64], *x;
        snprintf(e, sizeof e, "%.*e", digits - 1, v);
        if (!(x = strchr(e, 'e')))
            break;
        long exp = strtol(x + 1, NULL, 10);
        *x = '\0';
        snprintf(buf, n, "%s%se%s%ld", v < 0 ? "\u2212" : "", e + (v < 0), exp < 0 ? "\u2212" : "", labs(exp));
        if (text_width(buf) <= cells)
            return;
    }
    /* an exponent too long for the room: as much as fits, and an ellipsis */
    char whole[64];
    walk_format_digits(v, 1, whole, sizeof whole);
    size_t used = 0, k;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t ch;
    for (int w = 0; w + 1 < cells && (k = text_next(whole + used, strlen(whole + used), &st, &ch)) > 0; w++)
        used += k;
    snprintf(buf, n, "%.*s\u2026", (int)used, whole);
}

/* How the walk's numbers are read for a box: one sample, or the loss's summary of all. */
struct reading {
    const walk *w;
    const graph *g;
    int sample;        /* LAYOUT_ALL_SAMPLES or an index */
    int numw;
    int mean;          /* the loss takes the mean of its batch (μ), not the sum (Σ) */
};

/* A number of a node (what: value, gradient, or the local gradient of input k) in the reading's cells. */
enum { SHOW_DOTGRAD = -3, SHOW_VALUE = -2, SHOW_GRAD = -1 };
static double number_at(const struct reading *r, int id, int what, int i)
{
    return what >= 0 ? walk_local_grad(r->w, id, what, i)
         : what == SHOW_GRAD ? walk_grad(r->w, id, i)
         : what == SHOW_DOTGRAD ? walk_dotgrad_now(r->w, id, i) : walk_value(r->w, id, i);
}

/* The number a box shows of a node: one sample's, or the summary of all ("Σ" or "μ" in *prefix, else ""). */
static double number_pick(const struct reading *r, int id, int what, const char **prefix)
{
    int len = what >= 0 ? graph_local_len(r->g, id) : graph_node_at(r->g, id)->len;
    *prefix = "";
    if (len > 1 && r->sample == LAYOUT_ALL_SAMPLES) {
        double s = 0;
        for (int i = 0; i < len; i++)
            s += number_at(r, id, what, i);
        int mean = what != SHOW_GRAD && what != SHOW_DOTGRAD && r->mean;
        *prefix = mean ? "\u03bc" : "\u03a3";
        return mean ? s / len : s;
    }
    int i = r->sample < 0 ? 0 : r->sample < len ? r->sample : len - 1;
    return number_at(r, id, what, i);
}

static void number_in(const struct reading *r, int id, int what, int cells, char *buf, size_t n)
{
    const char *prefix;
    double v = number_pick(r, id, what, &prefix);
    char num[64];
    fit_number(v, cells - (*prefix != 0), num, sizeof num);
    snprintf(buf, n, "%s%s", prefix, num);
}

/* A weight's gradient on its edge: always two significant digits, so that the weights' gradients read alike
 * ("0.082", "−0.021", "4.4e−4", "1.0e3"), in at most WEIGHT_GRAD_CELLS cells and a Σ. */
enum { WEIGHT_GRAD_CELLS = 7 };
static void weight_grad_text(const struct reading *r, int id, int what, char *buf, size_t n)
{
    const char *prefix;
    double v = number_pick(r, id, what, &prefix), a = fabs(v);
    char tmp[64], num[64];
    if (!isfinite(v) || v == 0) {
        walk_format_digits(v, 2, num, sizeof num);
    } else {
        lesson_format(tmp, sizeof tmp, a < 0.01 || a >= 1000 ? "%.1e" : "%#.2g", v);
        size_t used = 0, len = strlen(tmp);
        if (len && tmp[len - 1] == '.')
            tmp[--len] = '\0'; /* "12." */
        for (const char *q = tmp; *q; q++) { /* "-4.4e-04" → "−4.4e−4" */
            if (*q == '-')
                put(num, sizeof num, &used, "\u2212");
            else if (*q == '+' || (*q == '0' && q >= tmp + 2 && (q[-1] == '-' || q[-1] == '+') && q[-2] == 'e'))
                continue;
            else
                put(num, sizeof num, &used, "%c", *q);
        }
    }
    snprintf(buf, n, "%s%s", prefix, num);
}

static void number_text(const struct reading *r, int id, int what, char *buf, size_t n)
{
    number_in(r, id, what, r->numw, buf, n);
}

/* A node gets a box unless it is an unnamed literal (the 2 of s^2): those show in their consumer's title. */
static int drawn(const lesson *l, int id)
{
    const graph_node *gn = graph_node_at(l->g, id);
    /* a node that reaches neither the loss nor the metric (left behind by a model edit) is not drawn */
    return graph_live(l->g, id) && !(gn->op == GRAPH_OP_LEAF && gn->role == GRAPH_CONST && !lesson_node_name(l, id));
}

enum { TITLE_MAX = 64 };

/* ---------------------------------------------------------------- pictures */

/* What a placement is made from. */
struct picture {
    int n;                       /* boxes */
    int *node;                   /* box → the graph node it shows */
    int *start, *list;           /* box → the boxes it reads: list[start[i] .. start[i + 1]), −1 for none */
    int *w, *h, *rank;           /* rank: the network's layers, else NULL (network simplex) */
    unsigned char *grad;         /* the box has a gradient row */
    unsigned char *commutes;     /* a sum or a product: its inputs may enter in either order */
    unsigned char *labelled;     /* the network: edges into the box carry weights */
    char (*title)[TITLE_MAX];
    int label_w;
    enum layout_orientation orientation;
};

static void picture_free(struct picture *p)
{
    free(p->node);
    free(p->start);
    free(p->list);
    free(p->w);
    free(p->h);
    free(p->rank);
    free(p->grad);
    free(p->commutes);
    free(p->labelled);
    free(p->title);
    memset(p, 0, sizeof *p);
}

static int picture_alloc(struct picture *p, int n, int n_list, int ranked)
{
    size_t m = (size_t)n + 1;
    memset(p, 0, sizeof *p);
    p->n = n;
    p->node = calloc(m, sizeof *p->node);
    p->start = calloc(m, sizeof *p->start);
    p->list = calloc((size_t)n_list + 1, sizeof *p->list);
    p->w = calloc(m, sizeof *p->w);
    p->h = calloc(m, sizeof *p->h);
    p->rank = ranked ? calloc(m, sizeof *p->rank) : NULL;
    p->grad = calloc(m, 1);
    p->commutes = calloc(m, 1);
    p->labelled = calloc(m, 1);
    p->title = calloc(m, sizeof *p->title);
    if (!p->node || !p->start || !p->list || !p->w || !p->h || (ranked && !p->rank) || !p->grad || !p->commutes ||
        !p->labelled || !p->title) {
        picture_free(p);
        return -1;
    }
    return 0;
}

/* Would the two pictures be placed alike? */
static int picture_same(const struct picture *a, const struct picture *b)
{
    size_t m = (size_t)a->n + 1;
    if (a->n != b->n || a->label_w != b->label_w || a->orientation != b->orientation || !a->rank != !b->rank ||
        !b->node)
        return 0;
    if (memcmp(a->start, b->start, m * sizeof *a->start) || memcmp(a->node, b->node, m * sizeof *a->node))
        return 0;
    return !memcmp(a->list, b->list, (size_t)a->start[a->n] * sizeof *a->list) &&
           !memcmp(a->w, b->w, m * sizeof *a->w) && !memcmp(a->h, b->h, m * sizeof *a->h) &&
           (!a->rank || !memcmp(a->rank, b->rank, m * sizeof *a->rank)) && !memcmp(a->labelled, b->labelled, m) &&
           !memcmp(a->commutes, b->commutes, m) && !memcmp(a->title, b->title, m * sizeof *a->title);
}

static layout *picture_place(const struct picture *p)
{
    return layout_place(&(layout_input){ .n = p->n, .w = p->w, .h = p->h, .label_w = p->label_w,
                                         .orientation = p->orientation, .commutes = p->commutes,
                                         .in_start = p->start, .in_src = p->list, .rank = p->rank,
                                         .labelled = p->rank ? p->labelled : NULL });
}

/* A box as wide as its title and the widest number it writes: the overview as tight as it gets, the detail
 * with a space before a value and "∇ " before a gradient; tall enough for its inputs to enter apart. grad: 1
 * for a gradient row, 2 for a parameter's when zero_grad is off, with two more rows under it for its .grad
 * (".grad", then the number), which then is not this pass's gradient: what the update uses. */
static void box_size(const char *title, int numw, enum layout_zoom zoom, int grad, int inputs, int lr, int *w,
                     int *h)
{
    int content = grad ? numw + 2 : zoom >= LAYOUT_DETAIL ? numw + 1 : numw;
    *w = text_width(title) + 4;
    *w = content + 2 > *w ? content + 2 : *w;
    *h = 2 + (grad ? 2 : 1) + (grad > 1 ? 2 : 0);
    if (lr && *h < 2 + inputs)
        *h = 2 + inputs;
}

/* ---------------------------------------------------------------- the view */

struct layout_view {
    const walk *w;
    const lesson *l;
    int hide_result;
    layout_options opt;            /* asked for */
    enum layout_picture drawn_as;  /* what the last update drew */
    struct picture pic;            /* what the placement was made from */
    layout *lo;
    struct reading rd;
    layout_rect focus, context;
    int width, height;             /* the whole drawing, the room for a unit's inside included */
    /* a unit's inside, drawn under a network: only mask's nodes get boxes, and own is titled by its op */
    const unsigned char *mask;
    int own;
    /* the network */
    layout_net *net;
    int *inside_w, *inside_h;      /* unit → the size of its inside's drawing with its label (0: none) */
    int inside_nodes;              /* the graph's nodes when they were measured (inside_mask has as many) */
    int inside_rows;               /* room kept under the network: the tallest neuron's inside */
    unsigned char *inside_mask;    /* the nodes of the inside on show */
    layout_view *inside;           /* a view of it */
    int inside_unit;               /* whose it is, or −1 */
};

static int is_drawn(const layout_view *v, const lesson *l, int id)
{
    return v->mask ? v->mask[id] != 0 : drawn(l, id);
}

/* snprintf(buf, n, "%s%s%s", a, b, c), byte for byte (cut at n − 1 bytes), without a format to read: a
 * big graph titles a thousand boxes on every key. */
static void join3(char *buf, size_t n, const char *a, const char *b, const char *c)
{
    if (n == 0)
        return;
    size_t used = 0;
    for (const char *s[3] = { a, b, c }, **p = s; p < s + 3; p++)
        for (const char *q = *p; *q && used + 1 < n; q++)
            buf[used++] = *q;
    buf[used] = '\0';
}

/* How an operation is titled when it has no name: its op's glyph, with the inputs that have no box of their
 * own ("·", "tanh", "^2", "0.5·"; in a unit's inside also the names it reads: "+b₁", "t₁−o₁"). The whole
 * formula is for the step panel. */
static void node_title(const layout_view *v, const walk *w, const lesson *l, int id, char *buf, size_t n)
{
    const graph_node *gn = graph_node_at(l->g, id);
    if ((lesson_node_name(l, id) && id != v->own) || gn->op == GRAPH_OP_LEAF) {
        walk_node_name(w, id, buf, n);
        return;
    }
    char side[2][TITLE_MAX] = { "", "" };
    for (int k = 0; k < 2; k++) {
        int s = gn->src[k];
        if (s < 0 || is_drawn(v, l, s))
            continue;
        const graph_node *sn = graph_node_at(l->g, s);
        if (sn->op == GRAPH_OP_LEAF && sn->role == GRAPH_CONST && !lesson_node_name(l, s))
            walk_format_digits(sn->value[0], 4, side[k], sizeof side[k]);
        else if (v->mask && lesson_node_name(l, s))
            walk_node_name(w, s, side[k], sizeof side[k]);
    }
    if (graph_op_form(gn->op) != GRAPH_FORM_INFIX) /* relu, max: the glyph alone */
        join3(buf, n, graph_op_glyph(gn->op), "", "");
    else
        join3(buf, n, side[0], graph_op_glyph(gn->op), side[1]);
}

/* The computation graph (or a unit's inside): a box per node. */
static int graph_picture(const layout_view *v, const walk *w, const lesson *l, layout_options o, struct picture *p)
{
    const graph *g = l->g;
    int n = graph_count(g);
    if (picture_alloc(p, n, 2 * n, 0) < 0)
        return -1;
    int numw = number_cells[o.zoom], lr = o.orientation != LAYOUT_TOP_BOTTOM;
    p->label_w = o.zoom == LAYOUT_FULL && lr && !v->mask ? numw : 0;
    p->orientation = lr ? LAYOUT_LEFT_RIGHT : LAYOUT_TOP_BOTTOM;
    for (int id = 0; id < n; id++) {
        const graph_node *gn = graph_node_at(g, id);
        p->node[id] = id;
        p->start[id] = 2 * id;
        p->list[2 * id] = gn->src[0];
        p->list[2 * id + 1] = gn->src[1];
        p->commutes[id] = gn->op == GRAPH_OP_ADD || gn->op == GRAPH_OP_MUL;
        if (!is_drawn(v, l, id))
            continue;
        node_title(v, w, l, id, p->title[id], TITLE_MAX);
        int inputs = 0;
        for (int k = 0; k < 2; k++)
            inputs += gn->src[k] >= 0 && is_drawn(v, l, gn->src[k]);
        p->grad[id] = o.zoom >= LAYOUT_DETAIL && walk_needs_grad(w, id);
        p->grad[id] += p->grad[id] && gn->role == GRAPH_PARAM && !walk_zero_grad(w);
        box_size(p->title[id], numw, o.zoom, p->grad[id], inputs, lr, &p->w[id], &p->h[id]);
    }
    p->start[n] = 2 * n;
    return 0;
}

/* The network's zoom: its full level is its detail. */
static enum layout_zoom net_zoom(layout_options o) { return o.zoom > LAYOUT_DETAIL ? LAYOUT_DETAIL : o.zoom; }

/* How a weight's gradient is headed on its edge: "∇", or with zero_grad off ".grad ", what the update uses. */
static const char *weight_grad_head(const walk *w) { return walk_zero_grad(w) ? " \u2207" : " .grad "; }

/* What a weight's label says: "w₅ 0.4", and at the detail "w₅ 0.4 ∇0.082" (zero_grad off: "w₅ 0.4 .grad 0.164"). */
static int weight_label_cells(const walk *w, int weight, enum layout_zoom zoom)
{
    char name[TITLE_MAX];
    walk_node_name(w, weight, name, sizeof name);
    return text_width(name) + 1 + WEIGHT_CELLS +
           (zoom >= LAYOUT_DETAIL ? text_width(weight_grad_head(w)) + WEIGHT_GRAD_CELLS + 1 : 0);
}

/* The network: a round box per unit, ranked by layer, the loss after the last. */
static int net_picture(const layout_view *v, const walk *w, layout_options o, struct picture *p)
{
    const layout_net *net = v->net;
    int n_list = 0;
    for (int u = 0; u < net->n_units; u++)
        n_list += net->unit[u].n_in;
    if (picture_alloc(p, net->n_units, n_list, 1) < 0)
        return -1;
    enum layout_zoom zoom = net_zoom(o);
    int numw = number_cells[zoom], at = 0;
    p->orientation = LAYOUT_LEFT_RIGHT;
    for (int u = 0; u < net->n_units; u++) {
        const layout_net_unit *un = &net->unit[u];
        p->node[u] = un->node;
        p->rank[u] = un->layer;
        p->start[u] = at;
        for (int k = 0; k < un->n_in; k++) {
            p->list[at++] = un->in[k].from;
            if (un->in[k].weight >= 0) {
                int cells = weight_label_cells(w, un->in[k].weight, zoom);
                p->labelled[u] = 1;
                p->label_w = cells > p->label_w ? cells : p->label_w;
            }
        }
        walk_node_name(w, un->node, p->title[u], TITLE_MAX);
        p->grad[u] = zoom >= LAYOUT_DETAIL && walk_needs_grad(w, un->node);
        box_size(p->title[u], numw, zoom, p->grad[u], un->n_in, 1, &p->w[u], &p->h[u]);
    }
    p->start[net->n_units] = at;
    return 0;
}

layout_options layout_default_options(void)
{
    return (layout_options){ LAYOUT_DETAIL, LAYOUT_LEFT_RIGHT, 0, LAYOUT_GRAPH };
}

layout_view *layout_view_new(void)
{
    layout_view *v = calloc(1, sizeof *v);
    if (v) {
        v->opt = layout_default_options();
        v->own = -1;
        v->inside_unit = -1;
    }
    return v;
}

static void net_free(layout_view *v)
{
    layout_net_free(v->net);
    free(v->inside_w);
    free(v->inside_h);
    free(v->inside_mask);
    v->net = NULL;
    v->inside_w = v->inside_h = NULL;
    v->inside_mask = NULL;
    v->inside_rows = 0;
    v->inside_unit = -1;
}

void layout_view_free(layout_view *v)
{
    if (!v)
        return;
    picture_free(&v->pic);
    layout_free(v->lo);
    net_free(v);
    layout_view_free(v->inside);
    free(v);
}

void layout_view_set_options(layout_view *v, layout_options o)
{
    if ((unsigned)o.zoom >= LAYOUT_ZOOM_COUNT)
        o.zoom = LAYOUT_DETAIL;
    if (o.orientation != LAYOUT_TOP_BOTTOM)
        o.orientation = LAYOUT_LEFT_RIGHT;
    if (o.sample < 0)
        o.sample = LAYOUT_ALL_SAMPLES;
    if (o.picture != LAYOUT_NETWORK)
        o.picture = LAYOUT_GRAPH;
    v->opt = o;
}

layout_options layout_view_options(const layout_view *v) { return v->opt; }

enum layout_picture layout_view_picture(const layout_view *v) { return v->drawn_as; }

int layout_samples(const lesson *l)
{
    int most = 1;
    for (int id = 0; id < graph_count(l->g); id++)
        most = graph_node_at(l->g, id)->len > most ? graph_node_at(l->g, id)->len : most;
    return most;
}

/* What the loss takes of its batch: the first sum or mean on the way back from it (a mean if neither). */
static int loss_takes_mean(const lesson *l)
{
    const graph *g = l->g;
    for (int id = l->loss; id >= 0;) {
        const graph_node *gn = graph_node_at(g, id);
        if (gn->op == GRAPH_OP_SUM)
            return 0;
        if (gn->op == GRAPH_OP_MEAN || gn->op == GRAPH_OP_LEAF)
            return 1;
        /* follow the input that carries a batch, else the first */
        int next = gn->src[0];
        if (gn->src[1] >= 0 && (next < 0 || graph_node_at(g, gn->src[1])->len > graph_node_at(g, next)->len))
            next = gn->src[1];
        id = next;
    }
    return 1;
}

/* ---------------------------------------------------------------- a unit's inside */

/* The nodes of unit u's inside that get a box: its operations, but not the products w·x (those are its
 * edges) or the leaves (weights, biases, targets: they show in their consumers' titles). */
static int inside_mask(const layout_view *v, const lesson *l, int u, unsigned char *mask)
{
    const layout_net_unit *un = &v->net->unit[u];
    int count = graph_count(l->g), any = 0;
    for (int id = 0; id < count; id++) {
        mask[id] = un->inside[id] && drawn(l, id) && graph_node_at(l->g, id)->op != GRAPH_OP_LEAF;
        for (int k = 0; mask[id] && id != un->node && k < un->n_in; k++)
            mask[id] = un->in[k].product != id;
        any |= mask[id];
    }
    return any;
}

static void inside_label(const walk *w, int node, char *buf, size_t n)
{
    char name[TITLE_MAX];
    walk_node_name(w, node, name, sizeof name);
    snprintf(buf, n, "inside %s ", name);
}

/* Point the inside view at unit u (or at none: −1) and bring it up to the walk. */
static int inside_show(layout_view *v, const walk *w, const lesson *l, int u, int hide_result)
{
    v->inside_unit = -1;
    if (u < 0)
        return 0;
    if (!v->inside && !(v->inside = layout_view_new()))
        return -1;
    if (!inside_mask(v, l, u, v->inside_mask))
        return 0;
    v->inside->mask = v->inside_mask;
    v->inside->own = v->net->unit[u].node;
    layout_view_set_options(
        v->inside, (layout_options){ net_zoom(v->opt), LAYOUT_LEFT_RIGHT, v->opt.sample, LAYOUT_GRAPH });
    if (layout_view_update(v->inside, w, l, hide_result) < 0)
        return -1;
    v->inside_unit = u;
    return 0;
}

/* The size of every unit's inside, and the room kept for the tallest neuron's (the loss's shows when it fits
 * in that room). Made once per placement. */
static int inside_room(layout_view *v, const walk *w, const lesson *l)
{
    int n = v->net->n_units, count = graph_count(l->g);
    free(v->inside_w);
    free(v->inside_h);
    free(v->inside_mask);
    v->inside_w = calloc((size_t)n + 1, sizeof *v->inside_w);
    v->inside_h = calloc((size_t)n + 1, sizeof *v->inside_h);
    v->inside_mask = calloc((size_t)count + 1, 1);
    v->inside_rows = 0;
    v->inside_nodes = count;
    if (!v->inside_w || !v->inside_h || !v->inside_mask)
        return -1;
    for (int u = 0; u < n; u++) {
        if (inside_show(v, w, l, u, 0) < 0)
            return -1;
        if (v->inside_unit != u)
            continue;
        char label[TITLE_MAX + 16];
        inside_label(w, v->net->unit[u].node, label, sizeof label);
        layout_rect r = layout_view_bounds(v->inside);
        v->inside_w[u] = text_width(label) + r.w;
        v->inside_h[u] = r.h;
        /* the loss's inside too at the detail, where the room is there for it */
        if ((v->net->unit[u].node != l->loss || net_zoom(v->opt) >= LAYOUT_DETAIL) && r.h > v->inside_rows)
            v->inside_rows = r.h;
    }
    v->inside_unit = -1;
    return 0;
}

/* ---------------------------------------------------------------- what a step is about */

static layout_rect rect_union(layout_rect a, layout_rect b)
{
    if (a.w == 0)
        return b;
    if (b.w == 0)
        return a;
    int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w, y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    a.x = b.x < a.x ? b.x : a.x;
    a.y = b.y < a.y ? b.y : a.y;
    return (layout_rect){ a.x, a.y, x1 - a.x, y1 - a.y };
}

/* The box of picture box i (a graph node in the graph picture, a unit in the network), or nothing. */
static layout_rect box_rect(const layout *lo, int i)
{
    if (i < 0 || lo->box_of[i] < 0)
        return (layout_rect){ 0, 0, 0, 0 };
    const layout_box *b = &lo->box[lo->box_of[i]];
    return (layout_rect){ b->x, b->y, b->w, b->h };
}

static layout_rect edge_rect(const layout_edge *e)
{
    int x0 = e->pts[0].x, y0 = e->pts[0].y, x1 = x0, y1 = y0;
    for (int i = 0; i < e->n_pts; i++) {
        x0 = e->pts[i].x < x0 ? e->pts[i].x : x0;
        x1 = e->pts[i].x > x1 ? e->pts[i].x : x1;
        y0 = e->pts[i].y < y0 ? e->pts[i].y : y0;
        y1 = e->pts[i].y > y1 ? e->pts[i].y : y1;
    }
    return (layout_rect){ x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
}

/* The graph picture's edge of the current LOCAL step. */
static int graph_edge_active(const walk_step *st, const layout_edge *e)
{
    return st->phase == LESSON_PHASE_LOCAL && st->node == e->to && st->input == e->k;
}

/* The network's edges a step is about: forward, local or chain of an edge's product, the local gradient of
 * what reads the product (or reads the unit the edge comes from, inside the unit it goes to), chain and
 * update of the weight, and the chain step of a unit, whose gradient comes back along its edges. */
static int net_edge_active(const layout_view *v, const layout_edge *e)
{
    const walk_step *st = walk_current(v->w);
    const layout_net_edge *ne = &v->net->unit[e->to].in[e->k];
    if (st->node < 0)
        return 0;
    if (ne->product >= 0 && st->node == ne->product)
        return 1;
    if (ne->weight >= 0 && st->node == ne->weight)
        return 1;
    if (st->phase == LESSON_PHASE_CHAIN && st->node == v->net->unit[e->from].node)
        return 1;
    if (st->phase != LESSON_PHASE_LOCAL || st->input < 0)
        return 0;
    int read = graph_node_at(v->l->g, st->node)->src[st->input];
    return (ne->product >= 0 && read == ne->product) ||
           (read == v->net->unit[e->from].node && v->net->unit[e->to].inside[st->node]);
}

/* Is unit u what the step works on: its node, or a node of its inside that is not one of its edges? */
static int net_unit_active(const layout_view *v, int u)
{
    const walk_step *st = walk_current(v->w);
    const layout_net_unit *un = &v->net->unit[u];
    if (st->node < 0 || !un->inside[st->node])
        return 0;
    for (int k = 0; st->node != un->node && k < un->n_in; k++)
        if (st->node == un->in[k].product || st->node == un->in[k].weight)
            return 0;
    return 1;
}

/* The unit whose inside the step is in (its edges' products and weights included), or −1. */
static int net_step_unit(const layout_view *v)
{
    const walk_step *st = walk_current(v->w);
    if (st->node < 0)
        return -1;
    for (int u = 0; u < v->net->n_units; u++)
        if (v->net->unit[u].inside[st->node] && v->inside_w[u] > 0 &&
            (v->net->unit[u].node != v->l->loss || v->inside_h[u] <= v->inside_rows))
            return u;
    return -1;
}

/* Where the inside on show is drawn: under the network, after its label. */
static layout_rect inside_rect(const layout_view *v)
{
    if (v->inside_unit < 0)
        return (layout_rect){ 0, 0, 0, 0 };
    layout_rect r = layout_view_bounds(v->inside);
    return (layout_rect){ v->inside_w[v->inside_unit] - r.w, v->lo->height, r.w, r.h };
}

/* What must stay in view (the active edge of a LOCAL step, else the active node's box; in the network, the
 * edges and units the step is about and the inside on show), and that with what the step reads (a forward
 * step's inputs, a local gradient's two ends, a chain step's consumers). */
static void view_focus(layout_view *v)
{
    const layout *lo = v->lo;
    const walk_step *st = walk_current(v->w);
    layout_rect f = { 0, 0, 0, 0 }, c = { 0, 0, 0, 0 };
    if (v->drawn_as == LAYOUT_NETWORK) {
        for (int e = 0; e < lo->n_edges; e++)
            if (net_edge_active(v, &lo->edge[e])) {
                f = rect_union(f, edge_rect(&lo->edge[e]));
                c = rect_union(c, rect_union(box_rect(lo, lo->edge[e].from), box_rect(lo, lo->edge[e].to)));
            }
        for (int u = 0; u < v->net->n_units; u++)
            if (net_unit_active(v, u))
                f = rect_union(f, box_rect(lo, u));
        f = rect_union(f, inside_rect(v));
        v->focus = f;
        v->context = rect_union(f, c);
        return;
    }
    for (int ei = 0; ei < lo->n_edges; ei++)
        if (graph_edge_active(st, &lo->edge[ei]))
            f = edge_rect(&lo->edge[ei]);
    if (st->node >= 0 && st->node < v->pic.n && lo->box_of[st->node] >= 0 && (st->phase != LESSON_PHASE_LOCAL || f.w == 0))
        f = box_rect(lo, st->node);
    v->focus = f;
    c = f;
    if (st->node >= 0 && st->node < v->pic.n) {
        c = rect_union(c, box_rect(lo, st->node));
        for (int e = 0; e < lo->n_edges; e++) {
            const layout_edge *ed = &lo->edge[e];
            if ((st->phase == LESSON_PHASE_FORWARD && ed->to == st->node) ||
                (st->phase == LESSON_PHASE_LOCAL && ed->to == st->node && ed->k == st->input))
                c = rect_union(c, box_rect(lo, ed->from));
            else if (st->phase == LESSON_PHASE_CHAIN && ed->from == st->node)
                c = rect_union(c, box_rect(lo, ed->to));
        }
    }
    v->context = c;
}

int layout_view_update(layout_view *v, const walk *w, const lesson *l, int hide_result)
{
    v->w = w;
    v->l = l;
    v->hide_result = hide_result;
    layout_options o = v->opt;
    enum layout_picture as = LAYOUT_GRAPH;
    if (o.picture == LAYOUT_NETWORK && !v->mask) {
        layout_net *net = layout_net_new(l);
        layout_net_free(v->net);
        v->net = net;
        if (net && net->n_units > 0)
            as = LAYOUT_NETWORK;
    }
    struct picture p;
    if ((as == LAYOUT_NETWORK ? net_picture(v, w, o, &p) : graph_picture(v, w, l, o, &p)) < 0)
        return -1;
    /* a new graph with the same units (a node added at the prompt) still needs its insides measured again */
    int regraph = as == LAYOUT_NETWORK && v->inside_nodes != graph_count(l->g);
    if (!v->lo || as != v->drawn_as || regraph || !picture_same(&p, &v->pic)) {
        layout *lo = picture_place(&p);
        if (!lo) {
            picture_free(&p);
            return -1;
        }
        layout_free(v->lo);
        picture_free(&v->pic);
        v->lo = lo;
        v->pic = p;
        v->drawn_as = as;
        if (as == LAYOUT_NETWORK && inside_room(v, w, l) < 0)
            return -1;
    } else {
        picture_free(&p);
    }
    v->width = v->lo->width;
    v->height = v->lo->height;
    if (as == LAYOUT_NETWORK) {
        for (int u = 0; u < v->net->n_units; u++)
            if (v->inside_h[u] <= v->inside_rows && v->inside_w[u] > v->width)
                v->width = v->inside_w[u];
        v->height += v->inside_rows;
        if (inside_show(v, w, l, net_step_unit(v), hide_result) < 0)
            return -1;
        if (v->inside_unit >= 0 && v->inside_w[v->inside_unit] > v->width)
            v->inside_unit = -1; /* a loss's inside wider than the room */
    } else {
        v->inside_unit = -1;
    }
    int zoom = as == LAYOUT_NETWORK ? net_zoom(o) : o.zoom;
    v->rd = (struct reading){ w, l->g, o.sample, number_cells[zoom], loss_takes_mean(l) };
    view_focus(v);
    return 0;
}

int layout_view_title(const layout_view *v, int id, char *buf, size_t n)
{
    const struct picture *p = &v->pic;
    int box = -1;
    if (v->lo && v->drawn_as == LAYOUT_NETWORK && v->inside_unit >= 0 && v->inside_mask[id])
        p = &v->inside->pic, box = id;
    else if (v->lo && v->drawn_as == LAYOUT_NETWORK)
        box = v->net->unit_of[id];
    else if (v->lo)
        box = id;
    if (box < 0 || box >= p->n || p->w[box] <= 0) {
        snprintf(buf, n, "%s", "");
        return 0;
    }
    snprintf(buf, n, "%s", p->title[box]);
    return 1;
}

int layout_view_edge(const layout_view *v, int id, int *from, int *to)
{
    if (!v->lo || v->drawn_as != LAYOUT_NETWORK || id < 0)
        return 0;
    for (int u = 0; u < v->net->n_units; u++)
        for (int k = 0; k < v->net->unit[u].n_in; k++) {
            const layout_net_edge *e = &v->net->unit[u].in[k];
            if (e->product != id && e->weight != id)
                continue;
            *from = v->net->unit[e->from].node;
            *to = v->net->unit[u].node;
            return e->product == id ? 1 : 2;
        }
    return 0;
}

const layout_net *layout_view_net(const layout_view *v)
{
    return v->lo && v->drawn_as == LAYOUT_NETWORK ? v->net : NULL;
}

layout_rect layout_view_bounds(const layout_view *v)
{
    return v->lo ? (layout_rect){ 0, 0, v->width, v->height } : (layout_rect){ 0, 0, 0, 0 };
}

layout_rect layout_view_focus(const layout_view *v) { return v->focus; }

layout_rect layout_view_context(const layout_view *v) { return v->context; }

const layout *layout_view_layout(const layout_view *v) { return v->lo; }

/* ---------------------------------------------------------------- drawing */

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

/* Which sample a batch node's box shows, in its bottom border: " 2/4 " (" all 4 " for the summary), or
 * shorter when the box is narrow. */
static void sample_mark(const layout_view *v, int len, char *buf, size_t n, int room)
{
    buf[0] = '\0';
    if (len <= 1)
        return;
    int i = v->opt.sample < 0 ? -1 : v->opt.sample < len ? v->opt.sample : len - 1;
    char forms[3][32];
    if (i < 0) {
        snprintf(forms[0], sizeof forms[0], " all %d ", len);
        snprintf(forms[1], sizeof forms[1], " \u00d7%d ", len);
        snprintf(forms[2], sizeof forms[2], "\u00d7%d", len);
    } else {
        snprintf(forms[0], sizeof forms[0], " %d/%d ", i + 1, len);
        snprintf(forms[1], sizeof forms[1], "%d/%d", i + 1, len);
        snprintf(forms[2], sizeof forms[2], "#%d", i + 1);
    }
    for (int k = 0; k < 3; k++)
        if (text_width(forms[k]) <= room) {
            snprintf(buf, n, "%s", forms[k]);
            return;
        }
}

/* A box's border, title, value, gradient and sample, as far as the walk has revealed them. */
static void draw_box(layout_canvas *c, const layout_view *v, const layout_box *bx, int b, enum layout_border style,
                     enum layout_kind kind)
{
    const walk *w = v->w;
    const walk_step *st = walk_current(w);
    int id = v->pic.node[b], inner = bx->w - 2;
    char text[128];
    layout_box_style(c, bx->x, bx->y, bx->w, bx->h, style, kind);
    layout_text(c, bx->x + 1, bx->y, " ", 1, LAYOUT_TITLE);
    int tw = layout_text(c, bx->x + 2, bx->y, v->pic.title[b], bx->w - 4, LAYOUT_TITLE);
    layout_text(c, bx->x + 2 + tw, bx->y, " ", 1, LAYOUT_TITLE);
    int hidden = walk_is_active(w, id) && v->hide_result;
    int indent = v->rd.numw > number_cells[LAYOUT_OVERVIEW];
    if (walk_value_known(w, id) &&
        !(hidden && (st->phase == LESSON_PHASE_FORWARD || st->phase == LESSON_PHASE_UPDATE))) {
        number_text(&v->rd, id, SHOW_VALUE, text, sizeof text);
        layout_text(c, bx->x + 1 + indent, bx->y + 1, text, inner - indent, LAYOUT_VALUE);
    } else {
        layout_text(c, bx->x + 1 + indent, bx->y + 1, "?", inner - indent, LAYOUT_UNKNOWN);
    }
    if (v->pic.grad[b]) {
        if (walk_grad_known(w, id) && !(hidden && st->phase == LESSON_PHASE_CHAIN)) {
            size_t used = 0;
            char num[64];
            number_text(&v->rd, id, SHOW_GRAD, num, sizeof num);
            put(text, sizeof text, &used, "\u2207 %s", num);
            layout_text(c, bx->x + 1, bx->y + 2, text, inner, LAYOUT_GRAD);
        } else {
            layout_text(c, bx->x + 1, bx->y + 2, "\u2207 ?", inner, LAYOUT_UNKNOWN);
        }
    }
    if (v->pic.grad[b] > 1) { /* .grad, zero_grad off: what it kept until the chain step, then the sum */
        layout_text(c, bx->x + 1, bx->y + 3, ".grad", inner, LAYOUT_GRAD);
        if (!(hidden && st->phase == LESSON_PHASE_CHAIN)) {
            number_text(&v->rd, id, SHOW_DOTGRAD, text, sizeof text);
            layout_text(c, bx->x + 1 + indent, bx->y + 4, text, inner - indent, LAYOUT_GRAD);
        } else {
            layout_text(c, bx->x + 1 + indent, bx->y + 4, "?", inner - indent, LAYOUT_UNKNOWN);
        }
    }
    sample_mark(v, graph_node_at(v->l->g, id)->len, text, sizeof text, bx->w - 2);
    if (text[0])
        layout_text(c, bx->x + 1, bx->y + bx->h - 1, text, bx->w - 2, LAYOUT_TITLE);
}

static int box_seen(const layout_canvas *c, const layout_box *bx)
{
    return bx->node >= 0 && bx->x < c->x0 + c->cols && bx->x + bx->w > c->x0 && bx->y < c->y0 + c->rows &&
           bx->y + bx->h > c->y0;
}

/* An edge's local gradient on its wire at the full zoom (layout_label_fn): row *y, columns [*x0, *x1). */
static void graph_label(layout_canvas *c, int ei, void *ctx, int *y, int *x0, int *x1)
{
    const layout_view *v = ctx;
    const layout_edge *e = &v->lo->edge[ei];
    int active = graph_edge_active(walk_current(v->w), e);
    char text[128];
    *y = *x0 = *x1 = 0;
    if (e->label_w > 0 && walk_local_known(v->w, e->to, e->k) && !(active && v->hide_result) &&
        e->label_y >= c->y0 && e->label_y < c->y0 + c->rows) {
        number_text(&v->rd, e->to, e->k, text, sizeof text);
        int lw = text_width(text), room = e->label_w;
        int x = e->label_x + (room > lw ? (room - lw) / 2 : 0);
        layout_text(c, x - 1, e->label_y, " ", 1, LAYOUT_LOCAL);
        int used = layout_text(c, x, e->label_y, text, room, LAYOUT_LOCAL);
        layout_text(c, x + used, e->label_y, " ", 1, LAYOUT_LOCAL);
        *y = e->label_y, *x0 = x - 1, *x1 = x + used + 1;
    }
}

/* The computation graph (or an inside): each edge's local gradient at the full zoom; the current step's node
 * in double lines, the input of a LOCAL step in heavy ones, like its edge; in an inside, a box that reads
 * the step's node where that has no box of its own (a bias, a product) is heavy too. */
static void draw_graph(layout_canvas *c, const layout_view *v)
{
    const layout *lo = v->lo;
    const walk *w = v->w;
    const lesson *l = v->l;
    const walk_step *st = walk_current(w);
    /* edges first, the active one last so that it wins where lines share cells; the others all at once
     * where that pays (layout_wires: a big graph's wires share their sources' trunks) */
    int *which = malloc(((size_t)lo->n_edges + 1) * sizeof *which), n_which = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int ei = 0; ei < lo->n_edges; ei++) {
            const layout_edge *e = &lo->edge[ei];
            int active = graph_edge_active(st, e);
            if (active != pass)
                continue;
            if (!active && which) {
                which[n_which++] = ei;
                continue;
            }
            layout_wire(c, lo, e, active);
            int y, x0, x1;
            graph_label(c, ei, (void *)v, &y, &x0, &x1);
        }
        if (pass == 0 && which && layout_wires_pay(c, lo, which, n_which)) {
            layout_wires(c, lo, which, n_which, graph_label, (void *)v);
        } else if (pass == 0 && which) {
            for (int k = 0; k < n_which; k++) {
                int y, x0, x1;
                layout_wire(c, lo, &lo->edge[which[k]], 0);
                graph_label(c, which[k], (void *)v, &y, &x0, &x1);
            }
        }
    }
    free(which);
    int folded = v->mask && st->node >= 0 && !is_drawn(v, l, st->node);
    for (int b = 0; b < lo->n_boxes; b++) {
        const layout_box *bx = &lo->box[b];
        if (!box_seen(c, bx))
            continue;
        const graph_node *gn = graph_node_at(l->g, bx->node);
        int id = bx->node, active = walk_is_active(w, id);
        int source = !active && st->phase == LESSON_PHASE_LOCAL && st->node >= 0 && st->input >= 0 &&
                     graph_node_at(l->g, st->node)->src[st->input] == id;
        source |= !active && folded && (gn->src[0] == st->node || gn->src[1] == st->node);
        draw_box(c, v, bx, id, active ? LAYOUT_DOUBLE : source ? LAYOUT_HEAVY : LAYOUT_LIGHT,
                 active ? LAYOUT_BOX_ACTIVE : source ? LAYOUT_EDGE_ACTIVE : border_kind(l, id));
    }
}

/* A weight on its edge, over the wire from the label's column: " w₅ 0.4 ∇0.082 "; returns the column after
 * its last cell. */
static int draw_weight(layout_canvas *c, const layout_view *v, const layout_edge *e, int weight, int active)
{
    const walk *w = v->w;
    const walk_step *st = walk_current(w);
    struct reading r = v->rd;
    char name[TITLE_MAX], num[64];
    int x = e->label_x, y = e->label_y, end = e->label_x + e->label_w;
    if (y < c->y0 || y >= c->y0 + c->rows)
        return x - 1; /* nothing written */
    int hidden = active && v->hide_result && st->node == weight;
    walk_node_name(w, weight, name, sizeof name);
    layout_text(c, x - 1, y, " ", 1, LAYOUT_LOCAL);
    x += layout_text(c, x, y, name, end - x, LAYOUT_TITLE);
    x += layout_text(c, x, y, " ", end - x, LAYOUT_LOCAL);
    if (hidden && st->phase == LESSON_PHASE_UPDATE) {
        x += layout_text(c, x, y, "?", end - x, LAYOUT_UNKNOWN);
    } else {
        number_in(&r, weight, SHOW_VALUE, WEIGHT_CELLS, num, sizeof num);
        x += layout_text(c, x, y, num, end - x, LAYOUT_VALUE);
    }
    if (net_zoom(v->opt) >= LAYOUT_DETAIL) {
        int dot = !walk_zero_grad(w); /* .grad: what it kept until the chain step, then the sum */
        x += layout_text(c, x, y, weight_grad_head(w), end - x, LAYOUT_GRAD);
        if ((dot || walk_grad_known(w, weight)) && !(hidden && st->phase == LESSON_PHASE_CHAIN)) {
            weight_grad_text(&r, weight, dot ? SHOW_DOTGRAD : SHOW_GRAD, num, sizeof num);
            x += layout_text(c, x, y, num, end - x, LAYOUT_GRAD);
        } else {
            x += layout_text(c, x, y, "?", end - x, LAYOUT_UNKNOWN);
        }
    }
    layout_text(c, x, y, " ", 1, LAYOUT_LOCAL);
    return x + 1;
}

/* A weight on its edge (layout_label_fn). */
static void net_label(layout_canvas *c, int ei, void *ctx, int *y, int *x0, int *x1)
{
    const layout_view *v = ctx;
    const layout_edge *e = &v->lo->edge[ei];
    int weight = v->net->unit[e->to].in[e->k].weight;
    *y = *x0 = *x1 = 0;
    if (e->label_w > 0 && weight >= 0)
        *y = e->label_y, *x0 = e->label_x - 1, *x1 = draw_weight(c, v, e, weight, net_edge_active(v, e));
}

/* The layers' titles, each centred under its column, in the room kept for an inside. */
static void draw_layer_titles(layout_canvas *c, const layout_view *v)
{
    const lesson *l = v->l;
    int y = v->lo->height + (v->inside_rows > 1 ? 1 : 0);
    for (int i = 0; i < l->n_layers && i < v->net->n_layers; i++) {
        int x0 = INT_MAX, x1 = INT_MIN;
        for (int u = 0; u < v->net->n_units; u++) {
            layout_rect r = box_rect(v->lo, u);
            if (v->net->unit[u].layer != i || r.w == 0)
                continue;
            x0 = r.x < x0 ? r.x : x0;
            x1 = r.x + r.w > x1 ? r.x + r.w : x1;
        }
        if (x0 > x1)
            continue;
        int tw = text_width(l->layers[i].title), x = x0 + (x1 - x0 - tw) / 2;
        layout_text(c, x > 0 ? x : 0, y, l->layers[i].title, tw, LAYOUT_TITLE);
    }
}

/* The network: weights on the edges, the edges and units the step is about lit up. */
static void draw_network(layout_canvas *c, const layout_view *v)
{
    const layout *lo = v->lo;
    int *which = malloc(((size_t)lo->n_edges + 1) * sizeof *which), n_which = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int ei = 0; ei < lo->n_edges; ei++) {
            const layout_edge *e = &lo->edge[ei];
            int active = net_edge_active(v, e);
            if (active != pass)
                continue;
            if (!active && which) {
                which[n_which++] = ei;
                continue;
            }
            layout_wire(c, lo, e, active);
            int y, x0, x1;
            net_label(c, ei, (void *)v, &y, &x0, &x1);
        }
        if (pass == 0 && which && layout_wires_pay(c, lo, which, n_which)) {
            layout_wires(c, lo, which, n_which, net_label, (void *)v);
        } else if (pass == 0 && which) {
            for (int k = 0; k < n_which; k++) {
                int y, x0, x1;
                layout_wire(c, lo, &lo->edge[which[k]], 0);
                net_label(c, which[k], (void *)v, &y, &x0, &x1);
            }
        }
    }
    free(which);
    for (int b = 0; b < lo->n_boxes; b++) {
        const layout_box *bx = &lo->box[b];
        if (!box_seen(c, bx))
            continue;
        int active = net_unit_active(v, bx->node);
        draw_box(c, v, bx, bx->node, active ? LAYOUT_DOUBLE : LAYOUT_ROUND,
                 active ? LAYOUT_BOX_ACTIVE : border_kind(v->l, v->pic.node[bx->node]));
    }
}

/* The inside on show, copied under the network after its label. Drawn once the network's lines are done:
 * the side table for junctions is one canvas's at a time. */
static int draw_inside(layout_canvas *c, const layout_view *v)
{
    if (v->inside_unit < 0) {
        if (v->inside_rows > 0)
            draw_layer_titles(c, v);
        return 0;
    }
    layout_rect r = inside_rect(v);
    if (r.x >= c->x0 + c->cols || r.x + r.w <= c->x0 || r.y >= c->y0 + c->rows || r.y + r.h <= c->y0)
        return 0;
    char label[TITLE_MAX + 16];
    inside_label(v->w, v->net->unit[v->inside_unit].node, label, sizeof label);
    layout_text(c, 0, r.y + 1, label, r.x, LAYOUT_TITLE);
    layout_canvas *in = layout_view_draw(v->inside, c->x0 - r.x, c->y0 - r.y, c->cols, c->rows);
    if (!in)
        return -1;
    for (int y = in->y0; y < in->y0 + in->rows; y++)
        for (int x = in->x0; x < in->x0 + in->cols; x++) {
            layout_cell *to = layout_at(c, r.x + x, r.y + y);
            const layout_cell *from = layout_peek(in, x, y);
            if (to && from)
                *to = *from;
        }
    layout_canvas_free(in);
    return 0;
}

layout_canvas *layout_view_draw(const layout_view *v, int x0, int y0, int cols, int rows)
{
    if (!v->lo)
        return NULL;
    layout_canvas *c = layout_canvas_part(v->width, v->height, x0, y0, cols, rows);
    if (!c || layout_lines_begin(c) < 0) {
        layout_canvas_free(c);
        return NULL;
    }
    c->focus_x = v->focus.x, c->focus_y = v->focus.y, c->focus_w = v->focus.w, c->focus_h = v->focus.h;
    if (v->drawn_as == LAYOUT_NETWORK)
        draw_network(c, v);
    else
        draw_graph(c, v);
    layout_lines_end();
    if (v->drawn_as == LAYOUT_NETWORK && draw_inside(c, v) < 0) {
        layout_canvas_free(c);
        return NULL;
    }
    return c;
}

/* ---------------------------------------------------------------- sizes, fitting, the whole diagram */

layout_rect layout_size(const walk *w, const lesson *l, layout_options o)
{
    layout_rect r = { 0, 0, 0, 0 };
    layout_view *v = layout_view_new();
    if (!v)
        return r;
    layout_view_set_options(v, o);
    if (layout_view_update(v, w, l, 0) == 0)
        r = layout_view_bounds(v);
    layout_view_free(v);
    return r;
}

int layout_fits(const walk *w, const lesson *l, int cols, int rows, layout_options o)
{
    layout_rect r = layout_size(w, l, o);
    return r.w > 0 && r.w <= cols && r.h <= rows;
}

/* Screens of cols × rows it takes to see all of r by panning. */
static long screens(layout_rect r, int cols, int rows)
{
    cols = cols > 0 ? cols : 1;
    rows = rows > 0 ? rows : 1;
    return (long)((r.w + cols - 1) / cols) * ((r.h + rows - 1) / rows);
}

/* Only left to right: the full zoom (its labels), and the network (its weights). */
static int only_left_right(const lesson *l, layout_options o)
{
    return o.zoom == LAYOUT_FULL || (o.picture == LAYOUT_NETWORK && l->n_layers > 0);
}

static int rect_fits(layout_rect r, int cols, int rows) { return r.w > 0 && r.w <= cols && r.h <= rows; }

/* The orientation for o's zoom, from the sizes left to right (a) and top to bottom (b). */
static layout_options orient_by(layout_options o, layout_rect a, layout_rect b, int cols, int rows)
{
    o.orientation = !rect_fits(a, cols, rows) &&
                            (rect_fits(b, cols, rows) || (b.w > 0 && screens(b, cols, rows) < screens(a, cols, rows)))
                        ? LAYOUT_TOP_BOTTOM
                        : LAYOUT_LEFT_RIGHT;
    return o;
}

layout_options layout_orient(const walk *w, const lesson *l, int cols, int rows, layout_options o)
{
    layout_options lr = o, tb = o;
    lr.orientation = LAYOUT_LEFT_RIGHT;
    tb.orientation = LAYOUT_TOP_BOTTOM;
    if (only_left_right(l, o))
        return lr;
    layout_rect a = layout_size(w, l, lr);
    return orient_by(o, a, rect_fits(a, cols, rows) ? (layout_rect){ 0, 0, 0, 0 } : layout_size(w, l, tb), cols, rows);
}

/* A placement of a big graph takes a while, so each size is measured once, and the overview first: a zoom
 * only makes boxes bigger (and the full level's labels the gaps wider), so an orientation whose overview
 * does not fit is not tried at the other levels. The overview's sizes decide when nothing fits. */
layout_options layout_fit(const walk *w, const lesson *l, int cols, int rows, layout_options o)
{
    int network = o.picture == LAYOUT_NETWORK && l->n_layers > 0;
    layout_rect over[2] = { { 0, 0, 0, 0 }, { 0, 0, 0, 0 } };
    layout_options opt = o;
    opt.zoom = LAYOUT_OVERVIEW;
    for (int k = 0; k < 2; k++) {
        opt.orientation = k ? LAYOUT_TOP_BOTTOM : LAYOUT_LEFT_RIGHT;
        if (!k || !only_left_right(l, opt))
            over[k] = layout_size(w, l, opt);
    }
    for (int z = network ? LAYOUT_DETAIL : LAYOUT_ZOOM_COUNT - 1; z > LAYOUT_OVERVIEW; z--)
        for (int k = 0; k < 2; k++) {
            opt.zoom = (enum layout_zoom)z;
            opt.orientation = k ? LAYOUT_TOP_BOTTOM : LAYOUT_LEFT_RIGHT;
            if (!rect_fits(over[k], cols, rows) || (k && only_left_right(l, opt)))
                continue;
            if (rect_fits(layout_size(w, l, opt), cols, rows))
                return opt;
        }
    o.zoom = LAYOUT_OVERVIEW;
    o.orientation = LAYOUT_LEFT_RIGHT;
    if (only_left_right(l, o) || rect_fits(over[0], cols, rows))
        return o;
    return orient_by(o, over[0], over[1], cols, rows);
}

layout_canvas *layout_diagram_as(const walk *w, const lesson *l, layout_options o)
{
    layout_view *v = layout_view_new();
    layout_canvas *c = NULL;
    if (v) {
        layout_view_set_options(v, o);
        if (layout_view_update(v, w, l, 0) == 0) {
            layout_rect all = layout_view_bounds(v);
            c = layout_view_draw(v, 0, 0, all.w, all.h);
        }
    }
    layout_view_free(v);
    return c;
}

layout_canvas *layout_diagram(const walk *w, const lesson *l)
{
    return layout_diagram_as(w, l, layout_default_options());
}
