/*
 * layout_net.c — a lesson's layers read as a neural network, for the network view (see layout.h): the units
 * layer by layer and then the loss, which units feed which, the weight on each of those edges, and each
 * unit's inside.
 *
 * A unit's inside is what its node is computed from, back to the units it reads: the products w·x of a
 * weight and a unit (drawn as the edge from x, with w written on it), the sums, the bias, the nonlinearity,
 * and the leaves met on the way (weights, biases, targets). The loss is one more unit after the last layer,
 * with the errors inside it. Only the graph's inputs are read, so the picture follows the lesson as typed.
 */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

void layout_net_free(layout_net *n)
{
    if (!n)
        return;
    for (int u = 0; u < n->n_units; u++) {
        free(n->unit[u].in);
        free(n->unit[u].inside);
    }
    free(n->unit);
    free(n->unit_of);
    free(n);
}

static int is_param(const graph *g, int id)
{
    const graph_node *gn = graph_node_at(g, id);
    return gn->op == GRAPH_OP_LEAF && gn->role == GRAPH_PARAM;
}

/* The edge from unit `from` into unit u: a new one, or the one there is (a unit read twice is one edge, and
 * the weighted reading wins). */
static layout_net_edge *edge_from(layout_net_unit *u, int from)
{
    for (int k = 0; k < u->n_in; k++)
        if (u->in[k].from == from)
            return &u->in[k];
    u->in[u->n_in] = (layout_net_edge){ from, -1, -1 };
    return &u->in[u->n_in++];
}

static int by_source(const void *a, const void *b)
{
    return ((const layout_net_edge *)a)->from - ((const layout_net_edge *)b)->from;
}

/* Walk back from unit u's node, marking its inside and recording the units it reads. */
static int read_unit(const graph *g, layout_net *n, int u, int *stack)
{
    layout_net_unit *un = &n->unit[u];
    int count = graph_count(g), top = 0;
    un->inside = calloc((size_t)count + 1, 1);
    un->in = calloc((size_t)n->n_units + 1, sizeof *un->in);
    if (!un->inside || !un->in)
        return -1;
    stack[top++] = un->node;
    un->inside[un->node] = 1;
    while (top) {
        int id = stack[--top];
        const graph_node *gn = graph_node_at(g, id);
        for (int k = 0; k < 2; k++) {
            int s = gn->src[k];
            if (s < 0)
                continue;
            if (n->unit_of[s] >= 0 && n->unit_of[s] != u) {
                layout_net_edge *e = edge_from(un, n->unit_of[s]);
                int other = gn->src[1 - k];
                if (gn->op == GRAPH_OP_MUL && other >= 0 && is_param(g, other) && e->weight < 0) {
                    e->weight = other;
                    e->product = id;
                }
                continue;
            }
            if (!un->inside[s]) {
                un->inside[s] = 1;
                stack[top++] = s;
            }
        }
    }
    qsort(un->in, (size_t)un->n_in, sizeof *un->in, by_source);
    return 0;
}

layout_net *layout_net_new(const lesson *l)
{
    if (!l || l->n_layers == 0)
        return NULL;
    const graph *g = l->g;
    int count = graph_count(g), units = 0;
    for (int i = 0; i < l->n_layers; i++)
        units += l->layers[i].n;
    layout_net *n = calloc(1, sizeof *n);
    int *stack = malloc(((size_t)count + 1) * sizeof *stack);
    if (!n || !stack)
        goto fail;
    n->n_layers = l->n_layers;
    n->unit = calloc((size_t)units + 2, sizeof *n->unit);
    n->unit_of = malloc(((size_t)count + 1) * sizeof *n->unit_of);
    if (!n->unit || !n->unit_of)
        goto fail;
    for (int id = 0; id < count; id++)
        n->unit_of[id] = -1;
    for (int i = 0; i < l->n_layers; i++)
        for (int k = 0; k < l->layers[i].n; k++) {
            int id = l->layers[i].unit[k];
            /* a unit the loss no longer reads (after :loss E = 2 * e1, lesson 07's o₂) is not drawn: it would
             * stay "?" and its weights would look trained */
            if (id < 0 || id >= count || n->unit_of[id] >= 0 || !graph_live(g, id))
                continue;
            n->unit_of[id] = n->n_units;
            n->unit[n->n_units++] = (layout_net_unit){ id, i, 0, NULL, NULL };
        }
    if (l->loss >= 0 && l->loss < count && n->unit_of[l->loss] < 0) {
        n->unit_of[l->loss] = n->n_units;
        n->unit[n->n_units++] = (layout_net_unit){ l->loss, l->n_layers, 0, NULL, NULL };
    }
    for (int u = 0; u < n->n_units; u++)
        if (read_unit(g, n, u, stack) < 0)
            goto fail;
    free(stack);
    return n;
fail:
    free(stack);
    layout_net_free(n);
    return NULL;
}

/* ---------------------------------------------------------------- a layer's weights as a matrix */

void layout_matrix_free(layout_matrix *m)
{
    if (!m)
        return;
    free(m->unit);
    free(m->input);
    free(m->weight);
    free(m->delta);
    free(m);
}

/* Row u's δ node: climb from each of its products through the additions that take it (inside the unit) to
 * the top of their chain; the products must all meet there. −1 when they do not, or when a node is added into
 * two sums. */
static int delta_of(const graph *g, const layout_net *n, int u, int *up)
{
    const layout_net_unit *un = &n->unit[u];
    int count = graph_count(g), top = -1;
    for (int id = 0; id < count; id++)
        up[id] = -1;
    for (int id = 0; id < count; id++) {
        const graph_node *gn = graph_node_at(g, id);
        if (!un->inside[id] || gn->op != GRAPH_OP_ADD)
            continue;
        for (int k = 0; k < 2; k++)
            if (gn->src[k] >= 0)
                up[gn->src[k]] = up[gn->src[k]] == -1 ? id : -2;
    }
    for (int k = 0; k < un->n_in; k++) {
        int p = un->in[k].product;
        if (p < 0)
            continue;
        for (int steps = 0; up[p] >= 0 && steps < count; steps++)
            p = up[p];
        if (up[p] == -2 || (top >= 0 && p != top))
            return -1;
        top = p;
    }
    return top;
}

layout_matrix *layout_matrix_of(const layout_net *n, const lesson *l, int param)
{
    if (!n || !l || param < 0)
        return NULL;
    const graph *g = l->g;
    int layer = -1;
    for (int u = 0; u < n->n_units && layer < 0; u++)
        for (int k = 0; k < n->unit[u].n_in; k++)
            if (n->unit[u].in[k].weight == param)
                layer = n->unit[u].layer;
    if (layer < 0)
        return NULL;
    layout_matrix *m = calloc(1, sizeof *m);
    int count = graph_count(g);
    int *col_of = malloc(((size_t)n->n_units + 1) * sizeof *col_of), *up = malloc(((size_t)count + 1) * sizeof *up);
    if (!m || !col_of || !up)
        goto fail;
    m->layer = layer;
    m->row = m->col = -1;
    for (int u = 0; u < n->n_units; u++)
        col_of[u] = -1;
    /* the columns: every unit a unit of the layer reads through a weight, in the network's order */
    m->g = g;
    for (int u = 0; u < n->n_units; u++) {
        if (n->unit[u].layer != layer)
            continue;
        m->rows++;
        for (int k = 0; k < n->unit[u].n_in; k++)
            if (n->unit[u].in[k].weight >= 0)
                col_of[n->unit[u].in[k].from] = 0;
    }
    for (int u = 0; u < n->n_units; u++)
        col_of[u] = col_of[u] == 0 ? m->cols++ : -1;
    m->unit = malloc((size_t)m->rows * sizeof *m->unit);
    m->input = malloc(((size_t)m->cols + 1) * sizeof *m->input);
    m->weight = malloc(((size_t)m->rows * (size_t)m->cols + 1) * sizeof *m->weight);
    m->delta = malloc((size_t)m->rows * sizeof *m->delta);
    if (!m->unit || !m->input || !m->weight || !m->delta)
        goto fail;
    for (int u = 0; u < n->n_units; u++)
        if (col_of[u] >= 0)
            m->input[col_of[u]] = n->unit[u].node;
    for (int i = 0; i < m->rows * m->cols; i++)
        m->weight[i] = -1;
    for (int u = 0, r = 0; u < n->n_units; u++) {
        if (n->unit[u].layer != layer)
            continue;
        m->unit[r] = n->unit[u].node;
        m->delta[r] = delta_of(g, n, u, up);
        for (int k = 0; k < n->unit[u].n_in; k++) {
            const layout_net_edge *e = &n->unit[u].in[k];
            if (e->weight < 0)
                continue;
            if (graph_node_at(g, e->weight)->len != 1)
                goto fail; /* a batch of weights is not one cell */
            m->weight[r * m->cols + col_of[e->from]] = e->weight;
            if (e->weight == param && m->row < 0)
                m->row = r, m->col = col_of[e->from];
        }
        r++;
    }
    free(col_of);
    free(up);
    return m;
fail:
    free(col_of);
    free(up);
    layout_matrix_free(m);
    return NULL;
}

double layout_matrix_delta_x(const layout_matrix *m, const walk *w, int i, int j)
{
    if (!m || i < 0 || i >= m->rows || j < 0 || j >= m->cols || m->delta[i] < 0)
        return NAN;
    int d = m->delta[i], x = m->input[j];
    int ld = graph_node_at(m->g, d)->len, lx = graph_node_at(m->g, x)->len, len = ld > lx ? ld : lx;
    double s = 0;
    for (int b = 0; b < len; b++)
        s += walk_grad(w, d, b < ld ? b : ld - 1) * walk_value(w, x, b < lx ? b : lx - 1);
    return s;
}

int layout_matrix_outer(const layout_matrix *m, const walk *w)
{
    if (!m)
        return 0;
    for (int i = 0; i < m->rows; i++) {
        if (m->delta[i] < 0)
            return 0;
        for (int j = 0; j < m->cols; j++) {
            int p = m->weight[i * m->cols + j];
            if (p < 0 || !walk_grad_known(w, p) || !walk_grad_known(w, m->delta[i]))
                continue;
            double a = walk_grad(w, p, 0), b = layout_matrix_delta_x(m, w, i, j);
            if (!(fabs(a - b) <= 1e-6 * (fabs(a) + fabs(b)) + 1e-300))
                return 0;
        }
    }
    return 1;
}
