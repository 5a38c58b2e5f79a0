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
            if (id < 0 || id >= count || n->unit_of[id] >= 0)
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
