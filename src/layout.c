/*
 * layout.c — ranks, orders, rows, wires and the canvas of the graph diagram (see layout.h); the diagram of a
 * walk, with its numbers, is layout_view.c's.
 *
 * The placement works in two abstract axes: u runs along the ranks (x left to right, y top to bottom) and v
 * across them (the other one). Each step below is written once for both orientations.
 *
 * 1. Ranks by network simplex (Gansner, Koutsofios, North, Vo: "A Technique for Drawing Directed Graphs",
 *    IEEE TSE 1993, section 2): minimise Σ (rank(head) − rank(tail)) over the edges subject to
 *    rank(head) ≥ rank(tail) + 1. A parameter or an input then sits just before its first consumer, and a
 *    node fed from far away moves towards its consumers when they outnumber its inputs. The feasible tree is
 *    grown by merging tight subtrees smallest first (each node is rescanned O(log V) times); a tree edge's
 *    cut value is the sum of (in-degree − out-degree) over the subtree below it, with its sign by the edge's
 *    direction, so one post-order pass computes them all and an exchange recomputes only the subtree under
 *    the lowest common ancestor of the entering edge. Iterations are capped; any feasible ranking is valid.
 * 2. Long edges get one dummy slot per rank they cross, shared by every edge of the same source (a wire from
 *    one source is one trunk that branches), then the order within each rank: a depth-first order from the
 *    loss, barycenter sweeps keeping the best order seen (crossings counted with a Fenwick tree, each input
 *    port its own position), then swaps of neighbours while they remove crossings.
 * 3. Rows (v) by the priority method: sweeps down and up the ranks move each box towards the row that makes
 *    its wire straight, dummies first, then boxes by how many wires they have to that side, pushing only
 *    boxes of lower priority. The best sweep (fewest bends, then least height) is kept.
 * 4. Wires, gap by gap: a source whose wires do not all go straight gets a vertical track; tracks whose spans
 *    overlap get different columns, ordered to cross least (swaps of neighbours while they help). A source's
 *    run and another's target run on one row would merge; when no order avoids that, the source takes a
 *    dogleg: a track at the left of the gap, a jog along a free row, a track at the right.
 *
 * Lines are drawn as direction bits per cell (up, right, down, left) and turned into box-drawing
 * characters at the end, so that lines that meet become the right junction whatever order they were drawn
 * in. Two sources' wires only ever meet in a crossing (┼); ├ ┬ ┤ ┴ are always one source splitting.
 */
#include "text.h"
#include "layout.h"
#include "layout_int.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

enum {
    SWEEPS = 8,         /* barycenter sweeps */
    TRANSPOSE_PASSES = 8,
    ROW_ROUNDS = 4,     /* down and up sweeps of the priority method */
    SIFT_PASSES = 4,    /* rounds of moving each track of a gap to its best place */
    SEARCH = 30,        /* negative cut values looked at before the most negative is taken */
    DUMMY_PRIORITY = 1 << 20,
};

/* ---------------------------------------------------------------- scratch memory */

/* Everything a placement allocates for itself, freed at once. */
enum { POOL_MAX = 64 };
struct pool {
    void *p[POOL_MAX];
    int n, failed;
};

static void *take(struct pool *pl, size_t count, size_t size)
{
    void *p = pl->failed || pl->n == POOL_MAX ? NULL : calloc(count ? count : 1, size);
    if (!p)
        pl->failed = 1;
    else
        pl->p[pl->n++] = p;
    return p;
}

static void pool_free(struct pool *pl)
{
    for (int i = 0; i < pl->n; i++)
        free(pl->p[i]);
    pl->n = 0;
}

#define TAKE(pl, n, type) ((type *)take((pl), (size_t)(n), sizeof(type)))

/* ---------------------------------------------------------------- 1. ranks: network simplex */

struct ns {
    int n, m;
    const int *tail, *head;
    int *rank;
    int *ostart, *oedge, *istart, *iedge; /* edges leaving and entering each node */
    int *tidx;                            /* edge → its place in tree[], or −1 */
    int *tree, n_tree;
    int *tstart, *tcount, *tadj;          /* each node's tree edges */
    int *par, *low, *lim, *at_lim;        /* the tree rooted: parent edge, post-order range, order → node */
    int *sum;                             /* Σ (in-degree − out-degree) over the subtree */
    int *cut;                             /* cut value of each tree edge */
    int *stack, *iter, *mark, stamp;
};

static int slack(const struct ns *s, int e) { return s->rank[s->head[e]] - s->rank[s->tail[e]] - 1; }
static int other_end(const struct ns *s, int e, int v) { return s->tail[e] == v ? s->head[e] : s->tail[e]; }
static int degree(const struct ns *s, int v)
{
    return s->ostart[v + 1] - s->ostart[v] + s->istart[v + 1] - s->istart[v];
}
/* The edges at v: out-edges first, then in-edges. */
static int incident(const struct ns *s, int v, int j)
{
    int outs = s->ostart[v + 1] - s->ostart[v];
    return j < outs ? s->oedge[s->ostart[v] + j] : s->iedge[s->istart[v] + j - outs];
}

static void tree_add(struct ns *s, int e)
{
    s->tidx[e] = s->n_tree;
    s->tree[s->n_tree++] = e;
    s->tadj[s->tstart[s->tail[e]] + s->tcount[s->tail[e]]++] = e;
    s->tadj[s->tstart[s->head[e]] + s->tcount[s->head[e]]++] = e;
}

static void tadj_remove(struct ns *s, int v, int e)
{
    int *a = &s->tadj[s->tstart[v]];
    for (int i = 0; i < s->tcount[v]; i++)
        if (a[i] == e) {
            a[i] = a[--s->tcount[v]];
            return;
        }
}

static int uf_find(int *uf, int x)
{
    while (uf[x] != x)
        x = uf[x] = uf[uf[x]];
    return x;
}

/* The nodes of v's tree (through tree edges) into out[]; returns how many. */
static int tree_nodes(struct ns *s, int v, int *out)
{
    int n = 0, top = 0;
    s->stamp++;
    s->mark[v] = s->stamp;
    s->stack[top++] = v;
    while (top) {
        int x = s->stack[--top];
        out[n++] = x;
        for (int i = 0; i < s->tcount[x]; i++) {
            int y = other_end(s, s->tadj[s->tstart[x] + i], x);
            if (s->mark[y] != s->stamp) {
                s->mark[y] = s->stamp;
                s->stack[top++] = y;
            }
        }
    }
    return n;
}

static void heap_down(int *heap, int *hpos, const int *size, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && size[heap[l]] < size[heap[m]])
            m = l;
        if (r < n && size[heap[r]] < size[heap[m]])
            m = r;
        if (m == i)
            return;
        int t = heap[i];
        heap[i] = heap[m], heap[m] = t;
        hpos[heap[i]] = i, hpos[heap[m]] = m;
        i = m;
    }
}

/* A spanning forest of tight edges (slack 0), shifting ranks as needed: the tight subtrees found from the
 * first ranking, then, smallest first, each joined to a neighbour by its incident edge of least slack,
 * moved by that slack (the least over all its incident edges, so no edge goes negative). */
static void feasible_tree(struct ns *s, struct pool *pl)
{
    int n = s->n;
    int *sub = TAKE(pl, n, int), *uf = TAKE(pl, n, int), *size = TAKE(pl, n, int), *rep = TAKE(pl, n, int);
    int *heap = TAKE(pl, n, int), *hpos = TAKE(pl, n, int), *nodes = TAKE(pl, n, int);
    if (pl->failed)
        return;
    int n_sub = 0;
    for (int v = 0; v < n; v++)
        sub[v] = -1;
    for (int v = 0; v < n; v++) {
        if (sub[v] >= 0)
            continue;
        int id = n_sub++, top = 0;
        uf[id] = id, rep[id] = v, size[id] = 0;
        sub[v] = id;
        s->stack[top++] = v;
        while (top) {
            int x = s->stack[--top];
            size[id]++;
            for (int j = 0; j < degree(s, x); j++) {
                int e = incident(s, x, j), y = other_end(s, e, x);
                if (sub[y] < 0 && slack(s, e) == 0) {
                    tree_add(s, e);
                    sub[y] = id;
                    s->stack[top++] = y;
                }
            }
        }
    }
    int hn = n_sub;
    for (int i = 0; i < hn; i++)
        heap[i] = i, hpos[i] = i;
    for (int i = hn / 2; i >= 0; i--)
        heap_down(heap, hpos, size, hn, i);
    while (hn > 0) {
        int t = heap[0];
        heap[0] = heap[--hn];
        hpos[heap[0]] = 0;
        heap_down(heap, hpos, size, hn, 0);
        int k = tree_nodes(s, rep[t], nodes), best = -1;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < degree(s, nodes[i]); j++) {
                int e = incident(s, nodes[i], j);
                if (s->tidx[e] < 0 && uf_find(uf, sub[other_end(s, e, nodes[i])]) != t &&
                    (best < 0 || slack(s, e) < slack(s, best)))
                    best = e;
            }
        if (best < 0)
            continue; /* a whole component */
        int delta = uf_find(uf, sub[s->tail[best]]) == t ? slack(s, best) : -slack(s, best);
        for (int i = 0; i < k; i++)
            s->rank[nodes[i]] += delta;
        tree_add(s, best);
        int o = uf_find(uf, sub[other_end(s, best, uf_find(uf, sub[s->tail[best]]) == t ? s->tail[best]
                                                                                        : s->head[best])]);
        uf[t] = o;
        size[o] += size[t];
        heap_down(heap, hpos, size, hn, hpos[o]);
    }
}

/* Number the tree below root in post-order from first (low..lim ranges), and compute subtree sums and the
 * cut values of the tree edges below root. par[root] is kept. Returns the next number. */
static int ns_number(struct ns *s, int root, int first)
{
    int top = 0, next = first;
    s->stack[top++] = root;
    s->iter[root] = 0;
    s->low[root] = next;
    s->sum[root] = s->istart[root + 1] - s->istart[root] - (s->ostart[root + 1] - s->ostart[root]);
    while (top) {
        int v = s->stack[top - 1];
        if (s->iter[v] < s->tcount[v]) {
            int e = s->tadj[s->tstart[v] + s->iter[v]++];
            if (e == s->par[v])
                continue;
            int c = other_end(s, e, v);
            s->par[c] = e;
            s->low[c] = next;
            s->iter[c] = 0;
            s->sum[c] = s->istart[c + 1] - s->istart[c] - (s->ostart[c + 1] - s->ostart[c]);
            s->stack[top++] = c;
            continue;
        }
        top--;
        s->lim[v] = next;
        s->at_lim[next++] = v;
        if (v != root) {
            int e = s->par[v];
            s->sum[other_end(s, e, v)] += s->sum[v];
            s->cut[e] = v == s->head[e] ? s->sum[v] : -s->sum[v];
        }
    }
    return next;
}

/* A tree edge with a negative cut value: the most negative of the next SEARCH found, going round. */
static int leave_edge(const struct ns *s, int *from)
{
    int best = -1, found = 0;
    for (int i = 0; i < s->n_tree; i++) {
        int j = (*from + i) % s->n_tree, e = s->tree[j];
        if (s->cut[e] >= 0)
            continue;
        if (best < 0 || s->cut[e] < s->cut[best])
            best = e;
        if (++found >= SEARCH) {
            *from = j;
            break;
        }
    }
    return best;
}

static int child_end(const struct ns *s, int e) { return s->par[s->tail[e]] == e ? s->tail[e] : s->head[e]; }
static int below(const struct ns *s, int c, int x) { return s->low[c] <= s->lim[x] && s->lim[x] <= s->lim[c]; }

/* The non-tree edge of least slack that crosses tree edge e's cut the other way. */
static int enter_edge(const struct ns *s, int e)
{
    int c = child_end(s, e), into = c == s->tail[e], best = -1;
    for (int k = s->low[c]; k <= s->lim[c]; k++) {
        int v = s->at_lim[k];
        int start = into ? s->istart[v] : s->ostart[v], end = into ? s->istart[v + 1] : s->ostart[v + 1];
        for (int j = start; j < end; j++) {
            int f = into ? s->iedge[j] : s->oedge[j];
            if (s->tidx[f] < 0 && !below(s, c, other_end(s, f, v)) && (best < 0 || slack(s, f) < slack(s, best)))
                best = f;
        }
    }
    return best;
}

static void exchange(struct ns *s, int e, int f)
{
    int c = child_end(s, e), d = slack(s, f);
    if (d)
        for (int k = s->low[c]; k <= s->lim[c]; k++)
            s->rank[s->at_lim[k]] += c == s->tail[e] ? -d : d;
    int inside = below(s, c, s->tail[f]) ? s->tail[f] : s->head[f], a = other_end(s, f, inside);
    while (!below(s, a, inside))
        a = other_end(s, s->par[a], a);
    tadj_remove(s, s->tail[e], e);
    tadj_remove(s, s->head[e], e);
    s->tree[s->tidx[e]] = f;
    s->tidx[f] = s->tidx[e];
    s->tidx[e] = -1;
    s->tadj[s->tstart[s->tail[f]] + s->tcount[s->tail[f]]++] = f;
    s->tadj[s->tstart[s->head[f]] + s->tcount[s->head[f]]++] = f;
    ns_number(s, a, s->low[a]);
}

/* Ranks for n nodes and m edges tail[e] → head[e] (tail < head: creation order is topological) into rank[],
 * each component's lowest at 0. −1 when memory runs out. */
static int rank_nodes(int n, int m, const int *tail, const int *head, int *rank)
{
    struct pool pl = { 0 };
    struct ns s = { .n = n, .m = m, .tail = tail, .head = head, .rank = rank };
    s.ostart = TAKE(&pl, n + 1, int), s.istart = TAKE(&pl, n + 1, int);
    s.oedge = TAKE(&pl, m, int), s.iedge = TAKE(&pl, m, int), s.tidx = TAKE(&pl, m, int);
    s.tree = TAKE(&pl, n, int), s.tstart = TAKE(&pl, n + 1, int), s.tcount = TAKE(&pl, n, int);
    s.tadj = TAKE(&pl, 2 * m, int), s.par = TAKE(&pl, n, int), s.low = TAKE(&pl, n, int);
    s.lim = TAKE(&pl, n, int), s.at_lim = TAKE(&pl, n, int), s.sum = TAKE(&pl, n, int);
    s.cut = TAKE(&pl, m, int), s.stack = TAKE(&pl, n, int), s.iter = TAKE(&pl, n, int);
    s.mark = TAKE(&pl, n, int);
    if (pl.failed) {
        pool_free(&pl);
        return -1;
    }
    for (int e = 0; e < m; e++)
        s.ostart[tail[e] + 1]++, s.istart[head[e] + 1]++, s.tidx[e] = -1;
    for (int v = 0; v < n; v++) {
        s.ostart[v + 1] += s.ostart[v], s.istart[v + 1] += s.istart[v];
        s.tstart[v + 1] = s.tstart[v] + s.ostart[v + 1] - s.ostart[v] + s.istart[v + 1] - s.istart[v];
    }
    int *fill = s.iter; /* borrowed */
    for (int v = 0; v < n; v++)
        fill[v] = 0;
    for (int e = 0; e < m; e++)
        s.oedge[s.ostart[tail[e]] + fill[tail[e]]++] = e;
    for (int v = 0; v < n; v++)
        fill[v] = 0;
    for (int e = 0; e < m; e++)
        s.iedge[s.istart[head[e]] + fill[head[e]]++] = e;
    /* a first feasible ranking: the longest path from the leaves, then each leaf just before its first
     * consumer (most of its edges tight already) */
    for (int v = 0; v < n; v++) {
        rank[v] = 0;
        for (int j = s.istart[v]; j < s.istart[v + 1]; j++)
            if (rank[tail[s.iedge[j]]] + 1 > rank[v])
                rank[v] = rank[tail[s.iedge[j]]] + 1;
    }
    for (int v = 0; v < n; v++)
        if (s.istart[v + 1] == s.istart[v] && s.ostart[v + 1] > s.ostart[v]) {
            int first = INT_MAX;
            for (int j = s.ostart[v]; j < s.ostart[v + 1]; j++)
                first = rank[head[s.oedge[j]]] < first ? rank[head[s.oedge[j]]] : first;
            rank[v] = first - 1;
        }
    feasible_tree(&s, &pl);
    if (pl.failed) {
        pool_free(&pl);
        return -1;
    }
    for (int v = 0; v < n; v++)
        s.lim[v] = -1;
    int next = 0;
    for (int v = 0; v < n; v++)
        if (s.lim[v] < 0) {
            s.par[v] = -1;
            next = ns_number(&s, v, next);
        }
    int from = 0, cap = 4 * n + 100;
    for (int it = 0, e; it < cap && (e = leave_edge(&s, &from)) >= 0; it++) {
        int f = enter_edge(&s, e);
        if (f < 0)
            break;
        exchange(&s, e, f);
    }
    /* each component (a tree of the forest: a root and its range) from rank 0 */
    for (int v = 0; v < n; v++) {
        if (s.par[v] >= 0)
            continue;
        int lowest = INT_MAX;
        for (int k = s.low[v]; k <= s.lim[v]; k++)
            lowest = rank[s.at_lim[k]] < lowest ? rank[s.at_lim[k]] : lowest;
        for (int k = s.low[v]; k <= s.lim[v]; k++)
            rank[s.at_lim[k]] -= lowest;
    }
    pool_free(&pl);
    return 0;
}

/* ---------------------------------------------------------------- 2. slots and their order */

/* One rank-to-rank piece of a wire: from slot a (rank L) to slot b (rank L + 1), entering b by port. */
typedef struct piece {
    int a, b, port;
} piece;

struct adjacency {
    int *start; /* slot s's pieces are seg[start[s] .. start[s + 1]), in piece order */
    int *seg;
};

/* How a source's wires cross the gap after its slot. */
enum { ROUTE_NONE, ROUTE_STRAIGHT, ROUTE_TRACK, ROUTE_SPLIT, ROUTE_DOGLEG };
struct route {
    int kind;
    int c1, c2; /* TRACK: c1. SPLIT: c1 for rows above the source, c2 below. DOGLEG: c1 at the left, c2 */
    int f;      /* DOGLEG: the free row of the jog */
};

struct work {
    layout *lo;
    int lr;            /* left to right */
    int n_pieces;
    piece *pieces;
    int **layer;       /* layer → slots in order */
    int *count;
    struct adjacency in, out;
    int *tree;         /* crossings()'s Fenwick tree */
    int *n_ports;      /* node → drawn inputs */
    int ports;         /* the most any slot has, at least 2: a slot's places in crossings() */
    /* rows (v) */
    int *pos, *size, *exit_off, *port_first, *port_step; /* input port p enters at first + p · step */
    /* wires */
    struct route *route; /* slot → how its wires cross the next gap */
    int *tracks;       /* layer → columns of tracks in the gap after it */
    int *band;         /* layer → cells along u its slots take */
    int *u;            /* layer → where it starts along u */
};

static int is_dummy(const struct work *wk, int b) { return wk->lo->box[b].node < 0; }
static int entry_off(const struct work *wk, int b, int port) { return wk->port_first[b] + port * wk->port_step[b]; }

static int adjacency_build(struct adjacency *adj, struct pool *pl, const piece *p, int n_pieces, int n_slots,
                           int leaving)
{
    adj->start = TAKE(pl, n_slots + 2, int);
    adj->seg = TAKE(pl, n_pieces + 1, int);
    if (pl->failed)
        return -1;
    for (int s = 0; s < n_pieces; s++)
        adj->start[(leaving ? p[s].a : p[s].b) + 2]++;
    for (int b = 0; b < n_slots; b++)
        adj->start[b + 2] += adj->start[b + 1];
    for (int s = 0; s < n_pieces; s++)
        adj->seg[adj->start[(leaving ? p[s].a : p[s].b) + 1]++] = s;
    return 0;
}

/* Where a piece ends, finer than the order: each slot has a place per input port. */
static int place_of(const struct work *wk, const piece *p) { return wk->ports * wk->lo->box[p->b].order + p->port; }

/* Pieces (a1, b1) and (a2, b2) between the same two layers cross when a1 is above a2 and b1 below b2.
 * Going down layer L, a Fenwick tree over the places in layer L + 1 counts the pieces already seen that
 * end below each new one: O(E log V) rather than every pair of pieces. Pieces from one slot never cross. */
static long crossings(const struct work *wk)
{
    const layout *lo = wk->lo;
    int *tree = wk->tree;
    long c = 0;
    for (int L = 0; L + 1 < lo->n_layers; L++) {
        int m = wk->ports * wk->count[L + 1], seen = 0;
        memset(tree, 0, ((size_t)m + 1) * sizeof *tree);
        for (int i = 0; i < wk->count[L]; i++) {
            int a = wk->layer[L][i];
            for (int j = wk->out.start[a]; j < wk->out.start[a + 1]; j++) {
                int n_below = seen;
                for (int p = place_of(wk, &wk->pieces[wk->out.seg[j]]) + 1; p > 0; p -= p & -p)
                    n_below -= tree[p];
                c += n_below;
            }
            for (int j = wk->out.start[a]; j < wk->out.start[a + 1]; j++, seen++)
                for (int p = place_of(wk, &wk->pieces[wk->out.seg[j]]) + 1; p <= m; p += p & -p)
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
            const piece *p = &wk->pieces[adj->seg[j]];
            sum += down ? lo->box[p->a].order : lo->box[p->b].order + p->port / (2.0 * wk->ports);
        }
        key[b] = n ? sum / n : lo->box[b].order;
    }
    sort_boxes = lo->box;
    sort_key = key;
    qsort(wk->layer[L], (size_t)wk->count[L], sizeof(int), by_key);
    for (int i = 0; i < wk->count[L]; i++)
        lo->box[wk->layer[L][i]].order = i;
}

/* Crossings among the pieces of slots u and v with their neighbours on one side, u above v. */
static int pair_crossings(const struct work *wk, int u, int v, int down)
{
    const struct adjacency *adj = down ? &wk->in : &wk->out;
    int c = 0;
    for (int i = adj->start[u]; i < adj->start[u + 1]; i++)
        for (int j = adj->start[v]; j < adj->start[v + 1]; j++) {
            const piece *p = &wk->pieces[adj->seg[i]], *q = &wk->pieces[adj->seg[j]];
            int pu = down ? wk->ports * wk->lo->box[p->a].order : place_of(wk, p);
            int pv = down ? wk->ports * wk->lo->box[q->a].order : place_of(wk, q);
            c += pu > pv;
        }
    return c;
}

/* Swap neighbours in a layer while that removes crossings (dot's "transpose"). */
static void transpose(struct work *wk)
{
    layout *lo = wk->lo;
    for (int pass = 0, improved = 1; pass < TRANSPOSE_PASSES && improved; pass++) {
        improved = 0;
        for (int L = 0; L < lo->n_layers; L++)
            for (int i = 0; i + 1 < wk->count[L]; i++) {
                int u = wk->layer[L][i], v = wk->layer[L][i + 1];
                int now = pair_crossings(wk, u, v, 1) + pair_crossings(wk, u, v, 0);
                int swapped = pair_crossings(wk, v, u, 1) + pair_crossings(wk, v, u, 0);
                if (swapped < now) {
                    wk->layer[L][i] = v, wk->layer[L][i + 1] = u;
                    lo->box[v].order = i, lo->box[u].order = i + 1;
                    improved = 1;
                }
            }
    }
}

/* The first order: depth first from each sink (creation order), inputs in port order, each slot placed in
 * its layer when first reached, so that the inputs of a node come out next to each other, input 0 first. */
static void first_order(struct work *wk, struct pool *pl)
{
    layout *lo = wk->lo;
    int nb = lo->n_boxes;
    int *seen = TAKE(pl, nb, int), *stack = TAKE(pl, nb, int), *it = TAKE(pl, nb, int);
    if (pl->failed)
        return;
    for (int L = 0; L < lo->n_layers; L++)
        wk->count[L] = 0;
    /* roots: the nodes nothing is computed from (the loss, a metric), then anything left */
    for (int pass = 0; pass < 2; pass++)
        for (int root = 0; root < nb; root++) {
            if (seen[root] || (pass == 0 && (is_dummy(wk, root) || wk->out.start[root + 1] > wk->out.start[root])))
                continue;
            int top = 0;
            stack[top++] = root;
            seen[root] = 1;
            it[root] = wk->in.start[root];
            lo->box[root].order = wk->count[lo->box[root].layer]++;
            while (top) {
                int b = stack[top - 1];
                if (it[b] == wk->in.start[b + 1]) {
                    top--;
                    continue;
                }
                int a = wk->pieces[wk->in.seg[it[b]++]].a;
                if (seen[a])
                    continue;
                seen[a] = 1;
                it[a] = wk->in.start[a];
                lo->box[a].order = wk->count[lo->box[a].layer]++;
                stack[top++] = a;
            }
        }
    for (int b = 0; b < nb; b++)
        wk->layer[lo->box[b].layer][lo->box[b].order] = b;
}

static void order_layers(struct work *wk, struct pool *pl)
{
    layout *lo = wk->lo;
    first_order(wk, pl);
    double *key = TAKE(pl, lo->n_boxes, double);
    int *best = TAKE(pl, lo->n_boxes, int);
    if (pl->failed)
        return;
    long best_c = crossings(wk);
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
    if (best_c > 0)
        transpose(wk);
    best_c = crossings(wk);
    lo->crossings = best_c > INT_MAX ? INT_MAX : (int)best_c;
}

/* ---------------------------------------------------------------- 3. rows: the priority method */

static int *rank_prio;
static int by_priority(const void *p, const void *q)
{
    int a = *(const int *)p, b = *(const int *)q;
    return rank_prio[a] != rank_prio[b] ? rank_prio[b] - rank_prio[a] : a - b;
}

/* Place the slots of layer L (indices into it: order) at the rows they want, highest priority first: each
 * goes as near its wish as the slots already placed allow, keeping room for those still to come. */
static void place_layer(struct work *wk, int L, const int *want, int *prio, int *idx, long *room, char *done)
{
    int m = wk->count[L];
    const int *slot = wk->layer[L];
    room[0] = 0; /* room[i]: cells slots 0..i−1 take with their gaps */
    for (int i = 0; i < m; i++) {
        room[i + 1] = room[i] + wk->size[slot[i]] + LAYOUT_VGAP;
        idx[i] = i;
        done[i] = 0;
    }
    rank_prio = prio;
    qsort(idx, (size_t)m, sizeof *idx, by_priority);
    for (int k = 0; k < m; k++) {
        int i = idx[k];
        long lo = LONG_MIN / 4, hi = LONG_MAX / 4;
        for (int a = i - 1; a >= 0; a--)
            if (done[a]) {
                lo = wk->pos[slot[a]] + (room[i] - room[a]);
                break;
            }
        for (int b = i + 1; b < m; b++)
            if (done[b]) {
                hi = wk->pos[slot[b]] - (room[b] - room[i]);
                break;
            }
        long p = want[i];
        wk->pos[slot[i]] = (int)(p < lo ? lo : p > hi ? hi : p);
        done[i] = 1;
    }
}

static int cmp_int(const void *p, const void *q) { return *(const int *)p - *(const int *)q; }

/* The rows layer L's slots would like, from their pieces to layer L − 1 (down) or L + 1 (up), and their
 * priorities: dummies first, then by the number of pieces to that side. */
static void wishes(struct work *wk, int L, int down, int *want, int *prio, int *cand)
{
    const struct adjacency *adj = down ? &wk->in : &wk->out;
    for (int i = 0; i < wk->count[L]; i++) {
        int b = wk->layer[L][i], n = 0, best_deep = -1;
        want[i] = wk->pos[b];
        for (int j = adj->start[b]; j < adj->start[b + 1]; j++, n++) {
            const piece *p = &wk->pieces[adj->seg[j]];
            if (down) {
                /* of two inputs, follow the one that comes from further (a dummy or a computed node), else
                 * input 0; the other input's source moves to its port on the way up */
                int deep = is_dummy(wk, p->a) || wk->in.start[p->a + 1] > wk->in.start[p->a];
                if (best_deep < 0 || (deep && !best_deep)) {
                    best_deep = deep;
                    want[i] = wk->pos[p->a] + wk->exit_off[p->a] - entry_off(wk, b, p->port);
                }
            } else {
                cand[n] = wk->pos[p->b] + entry_off(wk, p->b, p->port) - wk->exit_off[b];
            }
        }
        if (!down && n > 0) {
            qsort(cand, (size_t)n, sizeof *cand, cmp_int);
            want[i] = cand[(n - 1) / 2];
        }
        prio[i] = is_dummy(wk, b) ? DUMMY_PRIORITY : n;
    }
}

/* Bends (pieces that are not straight) and height of the present rows. */
static long row_cost(const struct work *wk)
{
    long bends = 0;
    int top = INT_MAX, bottom = INT_MIN;
    for (int s = 0; s < wk->n_pieces; s++) {
        const piece *p = &wk->pieces[s];
        bends += wk->pos[p->a] + wk->exit_off[p->a] != wk->pos[p->b] + entry_off(wk, p->b, p->port);
    }
    for (int b = 0; b < wk->lo->n_boxes; b++) {
        top = wk->pos[b] < top ? wk->pos[b] : top;
        bottom = wk->pos[b] + wk->size[b] > bottom ? wk->pos[b] + wk->size[b] : bottom;
    }
    return bends * 4096 + (bottom > top ? bottom - top : 0);
}

static void place_rows(struct work *wk, struct pool *pl)
{
    layout *lo = wk->lo;
    int nb = lo->n_boxes, widest = 1, most = 1;
    for (int L = 0; L < lo->n_layers; L++)
        widest = wk->count[L] > widest ? wk->count[L] : widest;
    for (int b = 0; b < nb; b++) {
        int k = wk->in.start[b + 1] - wk->in.start[b], o = wk->out.start[b + 1] - wk->out.start[b];
        most = k > most ? k : most;
        most = o > most ? o : most;
    }
    int *want = TAKE(pl, widest, int), *prio = TAKE(pl, widest, int), *idx = TAKE(pl, widest, int);
    int *cand = TAKE(pl, most, int), *best = TAKE(pl, nb, int);
    long *room = TAKE(pl, widest + 1, long);
    char *done = TAKE(pl, widest, char);
    if (pl->failed)
        return;
    for (int L = 0; L < lo->n_layers; L++) /* packed from the top */
        for (int i = 0, v = 0; i < wk->count[L]; i++) {
            wk->pos[wk->layer[L][i]] = v;
            v += wk->size[wk->layer[L][i]] + LAYOUT_VGAP;
        }
    long best_cost = row_cost(wk);
    memcpy(best, wk->pos, (size_t)nb * sizeof *best);
    for (int round = 0; round < 2 * ROW_ROUNDS; round++) {
        int down = round % 2 == 0;
        for (int k = 1; k < lo->n_layers; k++) {
            int L = down ? k : lo->n_layers - 1 - k;
            wishes(wk, L, down, want, prio, cand);
            place_layer(wk, L, want, prio, idx, room, done);
        }
        long c = row_cost(wk);
        if (c < best_cost) {
            best_cost = c;
            memcpy(best, wk->pos, (size_t)nb * sizeof *best);
        }
    }
    memcpy(wk->pos, best, (size_t)nb * sizeof *best);
    int top = INT_MAX;
    for (int b = 0; b < nb; b++)
        top = wk->pos[b] < top ? wk->pos[b] : top;
    for (int b = 0; b < nb; b++)
        wk->pos[b] -= nb ? top : 0;
}

/* ---------------------------------------------------------------- 4. wires in the gaps */

/* A vertical track in a gap: the rows lo..hi of one source's wire. Its horizontal runs: the source's, from
 * the left end of the gap to the track on row src, and one to the right end (the arrow) per target row. */
struct track {
    int slot, lo, hi, src;
    int n_targets;
    const int *targets;
    int col;
};

enum { CONFLICT = 1 << 20 };

/* What it costs to have track a left of track b: crossings, or CONFLICT when a's target run and b's source
 * run would share a row (they would merge). Only tracks whose spans overlap affect each other. */
static int cost_left_of(const struct track *a, const struct track *b)
{
    if (a->slot == b->slot)
        return 0;
    int c = a->lo < b->src && b->src < a->hi;
    for (int i = 0; i < a->n_targets; i++) {
        int t = a->targets[i];
        if (t == b->src)
            c += CONFLICT;
        else
            c += b->lo < t && t < b->hi;
    }
    return c;
}

static int overlap(const struct track *a, const struct track *b)
{
    return a->lo <= b->hi + 1 && b->lo <= a->hi + 1; /* a free row between tracks that share a column */
}

/* Route the wires of the gap after layer L: each source's route, and the number of track columns. */
static int route_gap(struct work *wk, int L, struct pool *pl, int height)
{
    const int *slot = wk->layer[L];
    int m = wk->count[L], n_out = 0;
    for (int i = 0; i < m; i++)
        n_out += wk->out.start[slot[i] + 1] - wk->out.start[slot[i]];
    struct pool tmp = { 0 };
    int *rows = TAKE(&tmp, n_out, int);
    struct track *tr = TAKE(&tmp, 2 * m, struct track);
    int *order = TAKE(&tmp, 2 * m, int);
    if (tmp.failed) {
        pool_free(&tmp);
        pl->failed = 1;
        return 0;
    }
    int n_tr = 0, used = 0;
    for (int i = 0; i < m; i++) {
        int a = slot[i], s = wk->pos[a] + wk->exit_off[a], up = 0, down = 0, level = 0;
        struct route *r = &wk->route[a];
        r->kind = ROUTE_NONE;
        if (wk->out.start[a + 1] == wk->out.start[a])
            continue;
        int *t = rows + used, k = 0;
        for (int j = wk->out.start[a]; j < wk->out.start[a + 1]; j++) {
            const piece *p = &wk->pieces[wk->out.seg[j]];
            int row = wk->pos[p->b] + entry_off(wk, p->b, p->port);
            up |= row < s, down |= row > s, level |= row == s;
            t[k++] = row;
        }
        qsort(t, (size_t)k, sizeof *t, cmp_int);
        used += k;
        if (!up && !down) {
            r->kind = ROUTE_STRAIGHT;
            continue;
        }
        /* the targets level with the source are reached by its own run, which crosses the gap */
        int n_up = 0;
        while (n_up < k && t[n_up] < s)
            n_up++;
        int first_down = n_up;
        while (first_down < k && t[first_down] == s)
            first_down++;
        if (up && down && level) {
            /* one track would make a four-way junction, which reads as a crossing: two tracks, ┴ then ┬ */
            r->kind = ROUTE_SPLIT;
            tr[n_tr++] = (struct track){ a, t[0], s, s, n_up, t, 0 };
            tr[n_tr++] = (struct track){ a, s, t[k - 1], s, k - first_down, t + first_down, 0 };
        } else {
            /* its target runs: all but those level with the source (which are on one side only) */
            r->kind = ROUTE_TRACK;
            int lo = t[0] < s ? t[0] : s, hi = t[k - 1] > s ? t[k - 1] : s;
            tr[n_tr++] = !level ? (struct track){ a, lo, hi, s, k, t, 0 }
                       : up     ? (struct track){ a, lo, hi, s, n_up, t, 0 }
                                : (struct track){ a, lo, hi, s, k - first_down, t + first_down, 0 };
        }
    }
    /* order: by source row, then each track moved to where it crosses least; a source whose runs still
     * conflict with another's takes a dogleg round everything else, and the rest are ordered again */
    int n_dog = 0, *dog = TAKE(&tmp, m + 1, int);
    char *is_dog = TAKE(&tmp, m, char); /* by order in the layer */
    if (tmp.failed) {
        pool_free(&tmp);
        pl->failed = 1;
        return 0;
    }
    for (;;) {
        int n = 0;
        for (int i = 0; i < n_tr; i++)
            if (!is_dog[wk->lo->box[tr[i].slot].order])
                order[n++] = i;
        for (int i = 1; i < n; i++) /* insertion sort by source row */
            for (int j = i; j > 0 && tr[order[j - 1]].src > tr[order[j]].src; j--) {
                int x = order[j];
                order[j] = order[j - 1], order[j - 1] = x;
            }
        /* each track in turn moves to the place where it crosses least, a few rounds */
        for (int pass = 0, moved = 1; moved && pass < SIFT_PASSES; pass++) {
            moved = 0;
            for (int x = 0; x < n_tr; x++) {
                int at = -1;
                for (int i = 0; i < n && at < 0; i++)
                    at = order[i] == x ? i : -1;
                if (at < 0)
                    continue;
                memmove(order + at, order + at + 1, (size_t)(n - 1 - at) * sizeof *order);
                long c = 0, best = LONG_MAX;
                int to = at;
                for (int i = 0; i < n - 1; i++)
                    c += cost_left_of(&tr[x], &tr[order[i]]);
                for (int p = 0; p < n; p++) {
                    if (c < best || (c == best && p == at))
                        best = c, to = p;
                    if (p < n - 1)
                        c += cost_left_of(&tr[order[p]], &tr[x]) - cost_left_of(&tr[x], &tr[order[p]]);
                }
                memmove(order + to + 1, order + to, (size_t)(n - 1 - to) * sizeof *order);
                order[to] = x;
                moved |= to != at;
            }
        }
        int bad = -1;
        for (int i = 0; i < n && bad < 0; i++)
            for (int j = i + 1; j < n; j++)
                if (cost_left_of(&tr[order[i]], &tr[order[j]]) >= CONFLICT) {
                    bad = tr[order[j]].slot;
                    break;
                }
        if (bad < 0) {
            /* columns: after every earlier track whose span meets this one */
            int cols = 0;
            for (int i = 0; i < n; i++) {
                struct track *a = &tr[order[i]];
                a->col = 0;
                for (int j = 0; j < i; j++)
                    if (overlap(&tr[order[j]], a) && tr[order[j]].col + 1 > a->col)
                        a->col = tr[order[j]].col + 1;
                cols = a->col + 1 > cols ? a->col + 1 : cols;
            }
            for (int i = 0; i < n; i++) {
                const struct track *a = &tr[order[i]];
                struct route *r = &wk->route[a->slot];
                int col = n_dog + a->col;
                if (r->kind == ROUTE_SPLIT && a->hi == a->src && a->lo < a->src)
                    r->c1 = col;
                else if (r->kind == ROUTE_SPLIT)
                    r->c2 = col;
                else
                    r->c1 = col;
            }
            /* doglegs: a jog along a row no other wire of this gap uses, nearest the middle of the wire */
            char *busy = n_dog ? TAKE(&tmp, height + 2, char) : NULL;
            if (tmp.failed) {
                pool_free(&tmp);
                pl->failed = 1;
                return 0;
            }
            for (int i = 0; n_dog && i < used; i++)
                if (rows[i] >= 0 && rows[i] < height)
                    busy[rows[i]] = 1;
            for (int i = 0; n_dog && i < m; i++) {
                int s = wk->pos[slot[i]] + wk->exit_off[slot[i]];
                if (s >= 0 && s < height)
                    busy[s] = 1;
            }
            for (int d = 0; d < n_dog; d++) {
                struct route *r = &wk->route[dog[d]];
                int a = dog[d], s = wk->pos[a] + wk->exit_off[a], lo = s, hi = s;
                for (int j = wk->out.start[a]; j < wk->out.start[a + 1]; j++) {
                    const piece *p = &wk->pieces[wk->out.seg[j]];
                    int row = wk->pos[p->b] + entry_off(wk, p->b, p->port);
                    lo = row < lo ? row : lo, hi = row > hi ? row : hi;
                }
                int mid = (lo + hi) / 2, f = -1;
                for (int dist = 0; f < 0 && dist <= height; dist++) {
                    if (mid - dist >= 0 && mid - dist < height && !busy[mid - dist])
                        f = mid - dist;
                    else if (mid + dist >= 0 && mid + dist < height && !busy[mid + dist])
                        f = mid + dist;
                }
                if (f < 0)
                    f = height; /* below everything: the drawing grows a row */
                if (f < height)
                    busy[f] = 1;
                *r = (struct route){ ROUTE_DOGLEG, d, n_dog + cols + d, f };
            }
            pool_free(&tmp);
            return 2 * n_dog + cols;
        }
        is_dog[wk->lo->box[bad].order] = 1;
        dog[n_dog++] = bad;
    }
}

static void add_point(layout_edge *e, int u, int v, int lr)
{
    layout_point p = lr ? (layout_point){ u, v } : (layout_point){ v, u };
    int n = e->n_pts;
    if (n >= 1 && e->pts[n - 1].x == p.x && e->pts[n - 1].y == p.y)
        return;
    if (n >= 2) { /* drop a middle point on a straight line */
        layout_point a = e->pts[n - 2], b = e->pts[n - 1];
        if ((a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y)) {
            e->pts[n - 1] = p;
            return;
        }
    }
    e->pts[e->n_pts++] = p;
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

/* Entry ports along v: left to right, input p enters at row 1 + p of the box; top to bottom, at the middle
 * column, or either side of it for two inputs, or spread evenly over the inside for more. The wire leaves
 * from row 1 (the value's row), or from the middle column. */
static void box_ports(struct work *wk, int b, int n_ports)
{
    const layout_box *bx = &wk->lo->box[b];
    wk->port_step[b] = 0;
    if (bx->node < 0) {
        wk->exit_off[b] = wk->port_first[b] = 0;
    } else if (wk->lr) {
        wk->exit_off[b] = 1;
        wk->port_first[b] = 1;
        wk->port_step[b] = 1;
    } else if (n_ports <= 2) {
        int mid = (bx->w - 1) / 2, d = (bx->w - 1) / 4 > 1 ? (bx->w - 1) / 4 : 1;
        wk->exit_off[b] = mid;
        wk->port_first[b] = n_ports > 1 ? mid - d : mid;
        wk->port_step[b] = n_ports > 1 ? 2 * d : 0;
    } else { /* the box is at least n_ports + 2 wide */
        int span = bx->w - 3, step = span / (n_ports - 1);
        wk->exit_off[b] = (bx->w - 1) / 2;
        wk->port_first[b] = 1 + (span - step * (n_ports - 1)) / 2;
        wk->port_step[b] = step;
    }
}

/* Ranks as given, from 0, when they are whole and every edge goes to a higher one; −1 otherwise. */
static int given_ranks(const int *given, int nv, const int *node_of, int m, const int *tail, const int *head,
                       int *rank)
{
    int lowest = INT_MAX;
    for (int v = 0; v < nv; v++) {
        rank[v] = given[node_of[v]];
        if (rank[v] < 0 || rank[v] > 1 << 20)
            return -1;
        lowest = rank[v] < lowest ? rank[v] : lowest;
    }
    for (int e = 0; e < m; e++)
        if (rank[head[e]] <= rank[tail[e]])
            return -1;
    for (int v = 0; v < nv; v++)
        rank[v] -= lowest;
    return 0;
}

/* The points of a wire through gap L (after layer L) along piece p, entering at v; returns where it
 * leaves (the piece's entry into its box). */
static int gap_route(const struct work *wk, layout_edge *ed, int L, int p, int v)
{
    const piece *pc = &wk->pieces[p];
    const struct route *r = &wk->route[pc->a];
    int to = wk->pos[pc->b] + entry_off(wk, pc->b, pc->port), gap = wk->u[L] + wk->band[L];
    if (r->kind == ROUTE_TRACK || (r->kind == ROUTE_SPLIT && to != v)) {
        int c = r->kind == ROUTE_TRACK || to < v ? r->c1 : r->c2;
        add_point(ed, gap + c, v, wk->lr);
        add_point(ed, gap + c, to, wk->lr);
    } else if (r->kind == ROUTE_DOGLEG) {
        add_point(ed, gap + r->c1, v, wk->lr);
        add_point(ed, gap + r->c1, r->f, wk->lr);
        add_point(ed, gap + r->c2, r->f, wk->lr);
        add_point(ed, gap + r->c2, to, wk->lr);
    }
    return to;
}

layout *layout_place(const layout_input *in)
{
    layout *lo = calloc(1, sizeof *lo);
    if (!lo)
        return NULL;
    struct pool pl = { 0 };
    struct work wk = { .lo = lo, .lr = in->orientation != LAYOUT_TOP_BOTTOM };
    int n = in->n > 0 ? in->n : 0;
    lo->orientation = wk.lr ? LAYOUT_LEFT_RIGHT : LAYOUT_TOP_BOTTOM;
    lo->box_of = malloc((size_t)(n > 0 ? n : 1) * sizeof *lo->box_of);
    /* inputs as lists: given so, or two per node from src */
    const int *istart = in->in_start, *isrc = in->in_src;
    if (!istart) {
        int *st = TAKE(&pl, n + 1, int), *sr = TAKE(&pl, 2 * n, int);
        for (int i = 0; !pl.failed && i < n; i++) {
            st[i + 1] = 2 * (i + 1);
            sr[2 * i] = in->src[i][0];
            sr[2 * i + 1] = in->src[i][1];
        }
        istart = st, isrc = sr;
    }
    int n_in = n ? istart[n] : 0;
    int *id = TAKE(&pl, n, int), *node_of = TAKE(&pl, n, int), *rank = TAKE(&pl, n, int);
    int *tail = TAKE(&pl, n_in, int), *head = TAKE(&pl, n_in, int), *reach = TAKE(&pl, n, int);
    wk.n_ports = TAKE(&pl, n, int);
    if (!lo->box_of || pl.failed)
        goto fail;

    /* the drawn nodes and their edges, ranked */
    int nv = 0, m = 0;
    for (int i = 0; i < n; i++) {
        lo->box_of[i] = -1;
        id[i] = in->w[i] > 0 ? nv++ : -1;
        if (id[i] >= 0)
            node_of[id[i]] = i;
    }
    for (int i = 0; i < n; i++)
        for (int j = istart[i]; id[i] >= 0 && j < istart[i + 1]; j++) {
            int s = isrc[j];
            if (s >= 0 && s < i && id[s] >= 0) {
                tail[m] = id[s], head[m] = id[i], m++;
                wk.n_ports[i]++;
            }
        }
    wk.ports = 2;
    for (int i = 0; i < n; i++)
        wk.ports = wk.n_ports[i] > wk.ports ? wk.n_ports[i] : wk.ports;
    if ((!in->rank || given_ranks(in->rank, nv, node_of, m, tail, head, rank) < 0) &&
        rank_nodes(nv, m, tail, head, rank) < 0)
        goto fail;

    /* slots: a box per drawn node, a dummy per source and rank its wires pass through */
    int n_dummies = 0;
    for (int v = 0; v < nv; v++)
        reach[v] = rank[v];
    for (int e = 0; e < m; e++)
        reach[tail[e]] = rank[head[e]] > reach[tail[e]] ? rank[head[e]] : reach[tail[e]];
    for (int v = 0; v < nv; v++) {
        n_dummies += reach[v] > rank[v] + 1 ? reach[v] - rank[v] - 1 : 0;
        lo->n_layers = rank[v] + 1 > lo->n_layers ? rank[v] + 1 : lo->n_layers;
    }
    int nb = nv + n_dummies;
    lo->box = calloc((size_t)nb + 1, sizeof *lo->box);
    lo->edge = calloc((size_t)m + 1, sizeof *lo->edge);
    int *dummy0 = TAKE(&pl, nv, int), *last_piece = TAKE(&pl, m, int), *in_piece = TAKE(&pl, nb, int);
    wk.pieces = TAKE(&pl, n_dummies + m, piece);
    wk.layer = TAKE(&pl, lo->n_layers + 1, int *);
    wk.count = TAKE(&pl, lo->n_layers + 1, int);
    wk.pos = TAKE(&pl, nb, int), wk.size = TAKE(&pl, nb, int), wk.exit_off = TAKE(&pl, nb, int);
    wk.port_first = TAKE(&pl, nb, int), wk.port_step = TAKE(&pl, nb, int);
    wk.route = TAKE(&pl, nb, struct route);
    wk.tracks = TAKE(&pl, lo->n_layers + 1, int), wk.band = TAKE(&pl, lo->n_layers + 1, int);
    wk.u = TAKE(&pl, lo->n_layers + 1, int);
    if (!lo->box || !lo->edge || pl.failed)
        goto fail;
    for (int v = 0; v < nv; v++) {
        int i = node_of[v], w = in->w[i], h = in->h[i] > 3 ? in->h[i] : 3;
        if (wk.lr && h < 2 + wk.n_ports[i])
            h = 2 + wk.n_ports[i]; /* a row for each input */
        if (!wk.lr && w < 5)
            w = 5; /* a column for each input, apart */
        if (!wk.lr && w < 2 + wk.n_ports[i])
            w = 2 + wk.n_ports[i];
        lo->box_of[i] = v;
        lo->box[v] = (layout_box){ i, rank[v], 0, 0, 0, w, h };
        wk.count[rank[v]]++;
    }
    for (int v = 0, d = nv; v < nv; v++) {
        dummy0[v] = d;
        for (int L = rank[v] + 1; L < reach[v]; L++, d++) {
            lo->box[d] = (layout_box){ -1, L, 0, 0, 0, wk.lr ? 0 : 1, wk.lr ? 1 : 0 };
            in_piece[d] = wk.n_pieces;
            wk.pieces[wk.n_pieces++] = (piece){ L == rank[v] + 1 ? v : d - 1, d, 0 };
            wk.count[L]++;
        }
    }
    lo->n_boxes = nb;
    /* the pieces into a box in port order, so that the first order meets its inputs as they enter */
    for (int i = 0, e = 0; i < n; i++) {
        if (id[i] < 0)
            continue;
        int ks[2] = { 0, 0 }, nk = 0;
        for (int j = istart[i]; nk < 2 && j < istart[i + 1]; j++)
            if (isrc[j] >= 0 && isrc[j] < i && id[isrc[j]] >= 0)
                ks[nk++] = j;
        /* of two inputs that commute, the one computed from others goes where it runs straight */
        int swap = wk.n_ports[i] == 2 && in->commutes && in->commutes[i] && wk.n_ports[isrc[ks[1]]] > 0 &&
                   wk.n_ports[isrc[ks[0]]] == 0;
        for (int j = istart[i], port = 0; j < istart[i + 1]; j++) {
            int at = swap ? (j == ks[0] ? ks[1] : j == ks[1] ? ks[0] : j) : j, s = isrc[at];
            if (s < 0 || s >= i || id[s] < 0)
                continue;
            int t = id[i], from = id[s], L = rank[t] - 1;
            lo->edge[e] = (layout_edge){ s, i, at - istart[i], 0, NULL, 0, 0, 0 };
            last_piece[e] = wk.n_pieces;
            wk.pieces[wk.n_pieces++] = (piece){ L == rank[from] ? from : dummy0[from] + (L - rank[from] - 1), t,
                                                wk.n_ports[i] > 1 ? port : 0 };
            port++;
            e++;
        }
    }
    lo->n_edges = m;
    int widest = 1, *slots = TAKE(&pl, nb, int);
    for (int L = 0, at = 0; slots && L < lo->n_layers; at += wk.count[L++]) {
        wk.layer[L] = slots + at;
        widest = wk.count[L] > widest ? wk.count[L] : widest;
    }
    wk.tree = TAKE(&pl, wk.ports * widest + 2, int);
    if (pl.failed || adjacency_build(&wk.in, &pl, wk.pieces, wk.n_pieces, nb, 0) < 0 ||
        adjacency_build(&wk.out, &pl, wk.pieces, wk.n_pieces, nb, 1) < 0)
        goto fail;

    order_layers(&wk, &pl);
    if (pl.failed)
        goto fail;

    /* rows */
    for (int b = 0; b < nb; b++) {
        const layout_box *bx = &lo->box[b];
        wk.size[b] = bx->node < 0 ? 1 : wk.lr ? bx->h : bx->w;
        box_ports(&wk, b, bx->node < 0 ? 1 : wk.n_ports[bx->node]);
    }
    place_rows(&wk, &pl);
    if (pl.failed)
        goto fail;
    int breadth = 0;
    for (int b = 0; b < nb; b++)
        breadth = wk.pos[b] + wk.size[b] > breadth ? wk.pos[b] + wk.size[b] : breadth;

    /* wires, then the columns (rows, top to bottom) of each layer and gap */
    for (int L = 0; L + 1 < lo->n_layers; L++)
        wk.tracks[L] = route_gap(&wk, L, &pl, breadth);
    if (pl.failed)
        goto fail;
    int lw = wk.lr && in->label_w > 0 ? in->label_w : 0, at = 0;
    /* the room for labels in each gap: where an edge with a label ends just past it */
    int *gap_lw = TAKE(&pl, lo->n_layers + 1, int);
    if (pl.failed)
        goto fail;
    for (int e = 0; lw && e < m; e++) {
        const layout_edge *ed = &lo->edge[e];
        if (!in->labelled || in->labelled[ed->to])
            gap_lw[rank[id[ed->to]] - 1] = lw;
    }
    for (int L = 0; L < lo->n_layers; L++) {
        int band = 1;
        for (int i = 0; i < wk.count[L]; i++) {
            const layout_box *bx = &lo->box[wk.layer[L][i]];
            int depth = wk.lr ? bx->w : bx->h;
            band = bx->node >= 0 && depth > band ? depth : band;
        }
        wk.u[L] = at;
        wk.band[L] = band;
        at += band;
        if (L + 1 < lo->n_layers) /* tracks, " label ─", the arrow */
            at += (wk.tracks[L] > 1 ? wk.tracks[L] : 1) + (gap_lw[L] ? gap_lw[L] + 3 : 0) + 1;
    }
    for (int L = 0; L + 1 < lo->n_layers; L++)
        for (int i = 0; i < wk.count[L]; i++) {
            const struct route *r = &wk.route[wk.layer[L][i]];
            if (r->kind == ROUTE_DOGLEG && r->f + 1 > breadth)
                breadth = r->f + 1;
        }
    for (int b = 0; b < nb; b++) {
        layout_box *bx = &lo->box[b];
        int u = wk.u[bx->layer], v = wk.pos[b];
        if (bx->node < 0) {
            if (wk.lr)
                bx->w = wk.band[bx->layer];
            else
                bx->h = wk.band[bx->layer];
        }
        bx->x = wk.lr ? u : v;
        bx->y = wk.lr ? v : u;
    }
    lo->width = wk.lr ? at : breadth;
    lo->height = wk.lr ? breadth : at;

    /*
     * each edge's polyline: out of its source, through the source's route in each gap, to the arrow. Up to
     * the gap before its target an edge follows its source's dummies, the same for every edge of that source
     * (the trunk): the trunk is followed once per source, edges in the order of their targets' ranks, and
     * copied into each edge, so that a source feeding a thousand ranks costs linear, not quadratic, time.
     * The points are exactly those of following each edge from its source (add_point only looks back).
     */
    int *by_rank = TAKE(&pl, m, int), *by_src = TAKE(&pl, m, int);
    int *cnt = TAKE(&pl, (nv > lo->n_layers ? nv : lo->n_layers) + 1, int);
    if (pl.failed)
        goto fail;
    /* a counting sort by the target's rank, then (stable) by the source */
    for (int e = 0; e < m; e++)
        cnt[rank[id[lo->edge[e].to]]]++;
    for (int L = 0, sum = 0; L <= lo->n_layers; L++) {
        int c = cnt[L];
        cnt[L] = sum, sum += c;
    }
    for (int e = 0; e < m; e++)
        by_rank[cnt[rank[id[lo->edge[e].to]]]++] = e;
    memset(cnt, 0, ((size_t)(nv > lo->n_layers ? nv : lo->n_layers) + 1) * sizeof *cnt);
    for (int e = 0; e < m; e++)
        cnt[id[lo->edge[e].from]]++;
    for (int v = 0, sum = 0; v <= nv; v++) {
        int c = v < nv ? cnt[v] : 0;
        cnt[v] = sum, sum += c;
    }
    for (int k = 0; k < m; k++)
        by_src[cnt[id[lo->edge[by_rank[k]].from]]++] = by_rank[k];
    int longest = 0;
    for (int e = 0; e < m; e++) {
        int span = rank[id[lo->edge[e].to]] - rank[id[lo->edge[e].from]];
        longest = span > longest ? span : longest;
    }
    layout_edge trunk = { .pts = TAKE(&pl, 4 * longest + 4, layout_point) };
    if (pl.failed)
        goto fail;
    int cur = -1, next_L = 0, trunk_v = 0;
    for (int k = 0; k < m; k++) {
        int e = by_src[k];
        layout_edge *ed = &lo->edge[e];
        int s = id[ed->from], t = id[ed->to];
        if (s != cur) { /* a new source: its trunk starts at the box */
            const layout_box *sb = &lo->box[s];
            cur = s, next_L = rank[s], trunk.n_pts = 0;
            trunk_v = wk.pos[s] + wk.exit_off[s];
            add_point(&trunk, wk.u[rank[s]] + (wk.lr ? sb->w : sb->h), trunk_v, wk.lr);
        }
        for (; next_L + 1 < rank[t]; next_L++)
            trunk_v = gap_route(&wk, &trunk, next_L, in_piece[dummy0[s] + (next_L - rank[s])], trunk_v);
        ed->pts = malloc((size_t)(trunk.n_pts + 6) * sizeof *ed->pts);
        if (!ed->pts)
            goto fail;
        memcpy(ed->pts, trunk.pts, (size_t)trunk.n_pts * sizeof *ed->pts);
        ed->n_pts = trunk.n_pts;
        int L = rank[t] - 1, v = gap_route(&wk, ed, L, last_piece[e], trunk_v);
        add_point(ed, wk.u[rank[t]] - 1, v, wk.lr);
        if (gap_lw[L] && (!in->labelled || in->labelled[ed->to])) {
            ed->label_x = wk.u[L] + wk.band[L] + (wk.tracks[L] > 1 ? wk.tracks[L] : 1) + 1;
            ed->label_y = v;
            ed->label_w = lw;
        }
        if (ed->n_pts == 1) /* a wire of one cell: the arrow right after the box */
            ed->pts[ed->n_pts++] = ed->pts[0];
    }
    pool_free(&pl);
    return lo;
fail:
    pool_free(&pl);
    layout_free(lo);
    return NULL;
}

/* ---------------------------------------------------------------- measures */

int layout_measure(const layout *lo, layout_stats *st)
{
    memset(st, 0, sizeof *st);
    st->width = lo->width, st->height = lo->height;
    size_t W = (size_t)lo->width + 2, H = (size_t)lo->height + 2;
    int *net[2] = { malloc(W * H * sizeof(int)), malloc(W * H * sizeof(int)) }; /* the source along − and | */
    unsigned char *many = calloc(W * H, 1);
    if (!net[0] || !net[1] || !many) {
        free(net[0]), free(net[1]), free(many);
        return -1;
    }
    for (size_t i = 0; i < W * H; i++)
        net[0][i] = net[1][i] = -1;
    for (int e = 0; e < lo->n_edges; e++) {
        const layout_edge *ed = &lo->edge[e];
        int len = 0;
        for (int i = 0; i + 1 < ed->n_pts; i++) {
            layout_point a = ed->pts[i], b = ed->pts[i + 1];
            int dx = (b.x > a.x) - (b.x < a.x), dy = (b.y > a.y) - (b.y < a.y);
            len += abs(b.x - a.x) + abs(b.y - a.y);
            if (i > 0) {
                layout_point p = ed->pts[i - 1];
                int px = (a.x > p.x) - (a.x < p.x), py = (a.y > p.y) - (a.y < p.y);
                st->bends += (px || py) && (dx || dy) && (px != dx || py != dy);
            }
            for (int x = a.x, y = a.y; dx || dy; x += dx, y += dy) {
                if (x >= 0 && y >= 0 && (size_t)x < W && (size_t)y < H) {
                    size_t c = (size_t)y * W + (size_t)x;
                    int *along = net[dy != 0];
                    if (along[c] < 0)
                        along[c] = ed->from;
                    else if (along[c] != ed->from)
                        many[c] = 1;
                }
                if (x == b.x && y == b.y)
                    break;
            }
        }
        st->longest = len > st->longest ? len : st->longest;
    }
    for (size_t c = 0; c < W * H; c++) {
        if (many[c])
            st->merges++;
        else if (net[0][c] >= 0 && net[1][c] >= 0 && net[0][c] != net[1][c])
            st->crossings++;
    }
    free(net[0]), free(net[1]), free(many);
    return 0;
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

layout_canvas *layout_canvas_part(int width, int height, int x0, int y0, int cols, int rows)
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
    return layout_canvas_part(width, height, 0, 0, width > 0 ? width : 1, height > 0 ? height : 1);
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

void layout_box_style(layout_canvas *c, int x, int y, int w, int h, enum layout_border style, enum layout_kind kind)
{
    static const wchar_t *const lines[] = {
        [LAYOUT_LIGHT] = L"┌┐└┘─│", [LAYOUT_DOUBLE] = L"╔╗╚╝═║", [LAYOUT_HEAVY] = L"┏┓┗┛━┃", [LAYOUT_ROUND] = L"╭╮╰╯─│",
    };
    const wchar_t *ch = lines[style];
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

void layout_box_draw(layout_canvas *c, int x, int y, int w, int h, int active, enum layout_kind kind)
{
    layout_box_style(c, x, y, w, h, active ? LAYOUT_DOUBLE : LAYOUT_LIGHT, kind);
}

/* Line bits live in a side table while a diagram is drawn; a lone polyline uses its own. */
static unsigned char *line_bits;

int layout_lines_begin(const layout_canvas *c)
{
    line_bits = calloc((size_t)c->cols * (size_t)c->rows + 1, 1);
    return line_bits ? 0 : -1;
}

void layout_lines_end(void)
{
    free(line_bits);
    line_bits = NULL;
}

/* A line's bits into cell i of the canvas's part (bits with HEAVY for a heavy line). */
static inline void cell_bits(layout_canvas *c, size_t i, int bits, enum layout_kind kind)
{
    layout_cell *p = &c->cell[i];
    unsigned char *b = &line_bits[i];
    *b = (unsigned char)(*b | bits);
    int d = *b & 15;
    p->ch = (*b & HEAVY) ? heavy[d] : light[d];
    if (p->kind != LAYOUT_EDGE_ACTIVE)
        p->kind = (unsigned char)kind;
}

static void add_bits(layout_canvas *c, int x, int y, int bits, int is_heavy, enum layout_kind kind)
{
    layout_cell *p = layout_at(c, x, y);
    if (p)
        cell_bits(c, (size_t)(p - c->cell), bits | (is_heavy ? HEAVY : 0), kind);
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* attach: the direction from pts[0] back into the box the line leaves (0: none). Only the cells inside the
 * canvas's part are visited (a long edge mostly lies outside), by their place in it: a big graph draws
 * a thousand wires on every key, many of them over the same cells. */
static void draw_polyline(layout_canvas *c, const layout_point *pts, int n, int is_heavy, enum layout_kind kind,
                          int attach)
{
    const int h = is_heavy ? HEAVY : 0;
    for (int i = 0; i + 1 < n; i++) {
        int x0 = pts[i].x, y0 = pts[i].y, x1 = pts[i + 1].x, y1 = pts[i + 1].y;
        if (y0 == y1 && x0 != x1 && y0 >= c->y0 && y0 < c->y0 + c->rows) {
            int step = x1 > x0 ? 1 : -1;
            int lo = clamp(x0 < x1 ? x0 : x1, c->x0, c->x0 + c->cols);
            int hi = clamp(x0 < x1 ? x1 : x0, c->x0 - 1, c->x0 + c->cols - 1);
            size_t row = (size_t)(y0 - c->y0) * (size_t)c->cols - (size_t)c->x0;
            for (int x = lo; x <= hi; x++)
                cell_bits(c, row + (size_t)x,
                          (x != x0 ? (step > 0 ? LEFT : RIGHT) : 0) | (x != x1 ? (step > 0 ? RIGHT : LEFT) : 0) | h,
                          kind);
        } else if (x0 == x1 && y0 != y1 && x0 >= c->x0 && x0 < c->x0 + c->cols) {
            int step = y1 > y0 ? 1 : -1;
            int lo = clamp(y0 < y1 ? y0 : y1, c->y0, c->y0 + c->rows);
            int hi = clamp(y0 < y1 ? y1 : y0, c->y0 - 1, c->y0 + c->rows - 1);
            for (int y = lo; y <= hi; y++)
                cell_bits(c, (size_t)(y - c->y0) * (size_t)c->cols + (size_t)(x0 - c->x0),
                          (y != y0 ? (step > 0 ? UP : DOWN) : 0) | (y != y1 ? (step > 0 ? DOWN : UP) : 0) | h, kind);
        }
    }
    if (n > 0 && attach)
        add_bits(c, pts[0].x, pts[0].y, attach, is_heavy, kind);
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

static const char *arrow(const layout *lo) { return lo->orientation == LAYOUT_TOP_BOTTOM ? "\u25bc" : "\u25b6"; }
static int attach_dir(const layout *lo) { return lo->orientation == LAYOUT_TOP_BOTTOM ? UP : LEFT; }

void layout_wire(layout_canvas *c, const layout *lo, const layout_edge *e, int active)
{
    enum layout_kind kind = active ? LAYOUT_EDGE_ACTIVE : LAYOUT_EDGE;
    draw_polyline(c, e->pts, e->n_pts, active, kind, attach_dir(lo));
    const layout_point *end = &e->pts[e->n_pts - 1];
    layout_text(c, end->x, end->y, arrow(lo), 1, kind);
}

/*
 * layout_wires: the wires first, then the arrows and labels in order. A wire only ORs its bits into a cell
 * and sets the cell's character and kind from them, so the wires' cells end up with the OR of every wire's
 * bits over them, whatever the order: a cell's bits say which of its four sides a line crosses, and a
 * horizontal segment crosses the side between two cells exactly where it covers both. So each row counts
 * the segments over each gap between two cells (a difference array: two additions per segment, not one call
 * per cell), each column likewise, and each cell takes its bits once. A text is written over by a wire only
 * where a later edge's wire crosses it: each cell remembers the last edge over it (last), and a text cell
 * with a later wire gets the wire's character and kind back, as the later wire would have given them.
 */
static void mark_last(const layout_canvas *c, int *last, int horiz, int fixed, int lo, int hi, int k)
{
    if (horiz)
        for (int *l = &last[(size_t)(fixed - c->y0) * (size_t)c->cols + (size_t)(lo - c->x0)], t = lo; t <= hi; t++)
            *l++ = k;
    else
        for (int t = lo; t <= hi; t++)
            last[(size_t)(t - c->y0) * (size_t)c->cols + (size_t)(fixed - c->x0)] = k;
}

/* A text cell of edge k: a later wire over it takes it back. */
static void text_cell(layout_canvas *c, const int *last, int x, int y, int k)
{
    if (x < c->x0 || y < c->y0 || x >= c->x0 + c->cols || y >= c->y0 + c->rows)
        return;
    size_t i = (size_t)(y - c->y0) * (size_t)c->cols + (size_t)(x - c->x0);
    if (last[i] > k)
        cell_bits(c, i, 0, LAYOUT_EDGE);
}

int layout_wires_pay(const layout_canvas *c, const layout *lo, const int *which, int n)
{
    const long cells = (long)c->cols * c->rows;
    long crossed = 0;
    for (int k = 0; k < n && crossed <= 2 * cells; k++) {
        const layout_edge *e = &lo->edge[which[k]];
        for (int i = 0; i + 1 < e->n_pts; i++) {
            int x0 = e->pts[i].x, y0 = e->pts[i].y, x1 = e->pts[i + 1].x, y1 = e->pts[i + 1].y;
            if (y0 == y1 && y0 >= c->y0 && y0 < c->y0 + c->rows)
                crossed += clamp(x0 < x1 ? x1 : x0, c->x0 - 1, c->x0 + c->cols - 1) -
                           clamp(x0 < x1 ? x0 : x1, c->x0, c->x0 + c->cols) + 1;
            else if (x0 == x1 && x0 >= c->x0 && x0 < c->x0 + c->cols)
                crossed += clamp(y0 < y1 ? y1 : y0, c->y0 - 1, c->y0 + c->rows - 1) -
                           clamp(y0 < y1 ? y0 : y1, c->y0, c->y0 + c->rows) + 1;
        }
    }
    return crossed > 2 * cells;
}

int layout_wires(layout_canvas *c, const layout *lo, const int *which, int n, layout_label_fn *text, void *ctx)
{
    const int W = c->cols, H = c->rows;
    const size_t cells = (size_t)W * (size_t)H;
    /* hgap[r][g]: segments over the gap between columns x0 − 1 + g and x0 + g of row r (g = 0 … W), as
     * differences; vgap[x][g] likewise down column x */
    int *hgap = calloc((size_t)H * (size_t)(W + 2) + 1, sizeof *hgap);
    int *vgap = calloc((size_t)W * (size_t)(H + 2) + 1, sizeof *vgap);
    int *last = malloc((cells + 1) * sizeof *last);
    unsigned char *extra = calloc(cells + 1, 1);
    if (!hgap || !vgap || !last || !extra) {
        free(hgap), free(vgap), free(last), free(extra);
        for (int k = 0; k < n; k++) {
            layout_wire(c, lo, &lo->edge[which[k]], 0);
            int y = 0, x0 = 0, x1 = 0;
            text(c, which[k], ctx, &y, &x0, &x1);
        }
        return -1;
    }
    for (size_t i = 0; i < cells; i++)
        last[i] = -1;
    for (int k = 0; k < n; k++) {
        const layout_edge *e = &lo->edge[which[k]];
        for (int i = 0; i + 1 < e->n_pts; i++) {
            int x0 = e->pts[i].x, y0 = e->pts[i].y, x1 = e->pts[i + 1].x, y1 = e->pts[i + 1].y;
            if (y0 == y1 && x0 != x1 && y0 >= c->y0 && y0 < c->y0 + H) {
                int a = x0 < x1 ? x0 : x1, b = x0 < x1 ? x1 : x0;
                int ga = clamp(a, c->x0 - 1, c->x0 + W), gb = clamp(b - 1, c->x0 - 2, c->x0 + W - 1);
                if (ga <= gb) {
                    int *row = &hgap[(size_t)(y0 - c->y0) * (size_t)(W + 2)];
                    row[ga - (c->x0 - 1)]++;
                    row[gb - (c->x0 - 1) + 1]--;
                }
                int lo_x = clamp(a, c->x0, c->x0 + W), hi_x = clamp(b, c->x0 - 1, c->x0 + W - 1);
                if (lo_x <= hi_x)
                    mark_last(c, last, 1, y0, lo_x, hi_x, k);
            } else if (x0 == x1 && y0 != y1 && x0 >= c->x0 && x0 < c->x0 + W) {
                int a = y0 < y1 ? y0 : y1, b = y0 < y1 ? y1 : y0;
                int ga = clamp(a, c->y0 - 1, c->y0 + H), gb = clamp(b - 1, c->y0 - 2, c->y0 + H - 1);
                if (ga <= gb) {
                    int *col = &vgap[(size_t)(x0 - c->x0) * (size_t)(H + 2)];
                    col[ga - (c->y0 - 1)]++;
                    col[gb - (c->y0 - 1) + 1]--;
                }
                int lo_y = clamp(a, c->y0, c->y0 + H), hi_y = clamp(b, c->y0 - 1, c->y0 + H - 1);
                if (lo_y <= hi_y)
                    mark_last(c, last, 0, x0, lo_y, hi_y, k);
            }
        }
        if (e->n_pts > 0 && layout_at(c, e->pts[0].x, e->pts[0].y)) {
            size_t at = (size_t)(e->pts[0].y - c->y0) * (size_t)W + (size_t)(e->pts[0].x - c->x0);
            extra[at] = (unsigned char)(extra[at] | attach_dir(lo));
            last[at] = k;
        }
    }
    /* each cell's bits from the gaps around it */
    for (int r = 0; r < H; r++) {
        int *row = &hgap[(size_t)r * (size_t)(W + 2)];
        for (int g = 1; g <= W; g++)
            row[g] += row[g - 1]; /* row[g] > 0: the gap left of cell g … */
    }
    for (int x = 0; x < W; x++) {
        int *col = &vgap[(size_t)x * (size_t)(H + 2)];
        for (int g = 1; g <= H; g++)
            col[g] += col[g - 1];
    }
    for (int r = 0; r < H; r++) {
        const int *row = &hgap[(size_t)r * (size_t)(W + 2)];
        for (int x = 0; x < W; x++) {
            const int *col = &vgap[(size_t)x * (size_t)(H + 2)];
            size_t i = (size_t)r * (size_t)W + (size_t)x;
            int bits = (row[x] > 0 ? LEFT : 0) | (row[x + 1] > 0 ? RIGHT : 0) | (col[r] > 0 ? UP : 0) |
                       (col[r + 1] > 0 ? DOWN : 0) | extra[i];
            if (bits)
                cell_bits(c, i, bits, LAYOUT_EDGE);
        }
    }
    /* the arrows and labels, in order */
    for (int k = 0; k < n; k++) {
        const layout_edge *e = &lo->edge[which[k]];
        const layout_point *end = &e->pts[e->n_pts - 1];
        layout_text(c, end->x, end->y, arrow(lo), 1, LAYOUT_EDGE);
        text_cell(c, last, end->x, end->y, k);
        int y = 0, x0 = 0, x1 = 0;
        text(c, which[k], ctx, &y, &x0, &x1);
        for (int x = x0; x < x1; x++)
            text_cell(c, last, x, y, k);
    }
    free(hgap), free(vgap), free(last), free(extra);
    return 0;
}

layout_canvas *layout_draw(const layout *lo)
{
    layout_canvas *c = layout_canvas_new(lo->width, lo->height);
    if (!c || layout_lines_begin(c) < 0) {
        layout_canvas_free(c);
        return NULL;
    }
    for (int e = 0; e < lo->n_edges; e++)
        layout_wire(c, lo, &lo->edge[e], 0);
    for (int b = 0; b < lo->n_boxes; b++)
        if (lo->box[b].node >= 0)
            layout_box_draw(c, lo->box[b].x, lo->box[b].y, lo->box[b].w, lo->box[b].h, 0, LAYOUT_BOX);
    layout_lines_end();
    return c;
}

