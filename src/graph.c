/*
 * graph.c — forward, backward and update for bptutor's autograd core (see graph.h).
 *
 * The numbers of every node live in one arena: a chain of blocks handed out by bumping a pointer and
 * freed all at once with the graph. The node table and the two scratch arrays that backward needs (the
 * tape and the depth-first stack) grow only while nodes are added, so a training step touches no
 * allocator at all.
 *
 * Rounding: under FLOAT32 and MIXED each operation is computed in double and rounded to float. For
 * + − · / this is exactly float arithmetic (a double holds the exact result of a float operation on
 * float operands before its own rounding); for exp, log and tanh it is the correctly rounded float.
 */
#include "graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

/* ---------------------------------------------------------------- the op table, generated ---- */

enum shape { SHAPE_EACH, SHAPE_REDUCE };

/* Everything about an op but its arithmetic, one entry per row of graph_ops.def. */
static const struct op_row {
    const char *name, *symbol, *glyph;
    int arity, precedence;
    enum graph_form form;
    enum shape shape;
    const char *local_form[2];
} ops[GRAPH_OP_COUNT] = {
    [GRAPH_OP_LEAF] = { "leaf", "", "", 0, 9, GRAPH_FORM_LEAF, SHAPE_EACH, { NULL, NULL } },
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) \
    [GRAPH_OP_##e] = { name, sym, glyph, arity, prec, GRAPH_FORM_##form, SHAPE_##shape, { ta, tb } },
#include "graph_ops.def"
};

/* What a row can get wrong that the compiler would not see: the lesson's parser and printer read an infix
 * op's two inputs, a prefix op's one, and a call's one or two (max(a, b)); a reduction reads one. */
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, ...) \
    _Static_assert(GRAPH_FORM_##form == GRAPH_FORM_INFIX ? arity == 2 \
                   : GRAPH_FORM_##form == GRAPH_FORM_PREFIX || SHAPE_##shape == SHAPE_REDUCE ? arity == 1 : 1, \
                   #e ": an infix operation takes two inputs, a prefix one or a reduction one");
#include "graph_ops.def"

/* ---------------------------------------------------------------- the arena ------------------- */

/* struct block and struct graph are in graph_int.h, which graph_step.c shares. */
enum { BLOCK_DOUBLES = 4096 };

static double *arena_alloc(graph *g, size_t n)
{
    struct block *b = g->blocks;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_DOUBLES ? n : BLOCK_DOUBLES;
        b = malloc(sizeof *b + size * sizeof(double));
        if (!b)
            return NULL;
        b->next = g->blocks;
        b->used = 0;
        b->size = size;
        g->blocks = b;
    }
    double *p = b->mem + b->used;
    b->used += n;
    memset(p, 0, n * sizeof *p);
    return p;
}

graph *graph_new(enum graph_precision precision)
{
    graph *g = calloc(1, sizeof *g);
    if (g)
        g->precision = precision;
    return g;
}

void graph_free(graph *g)
{
    if (!g)
        return;
    for (struct block *b = g->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(g->node);
    free(g->tape);
    free(g->stack);
    free(g->state);
    free(g->from_param);
    free(g->live);
    graph_step_free(g->step);
    free(g);
}

enum graph_precision graph_precision(const graph *g) { return g->precision; }
void graph_set_precision(graph *g, enum graph_precision precision)
{
    if (g->precision != precision)
        g->version++;
    g->precision = precision;
}
int graph_count(const graph *g) { return g->count; }

const graph_node *graph_node_at(const graph *g, int id)
{
    return id >= 0 && id < g->count ? &g->node[id] : NULL;
}

const int *graph_tape(const graph *g, int *n)
{
    *n = g->tape_len;
    return g->tape;
}

/* Make room for one more node, and keep the backward scratch arrays, from_param and live as long as the
 * node table. A leaf has four arrays (value, grad, pass, data), an operation two: its pass is its grad. */
static graph_node *new_node(graph *g, int len, int with_data)
{
    g->error = GRAPH_EARG;
    if (len < 1)
        return NULL;
    if (g->count >= GRAPH_NODES_MAX || (size_t)len > GRAPH_NUMBERS_MAX - g->numbers) {
        g->error = GRAPH_ETOOBIG;
        return NULL;
    }
    g->error = GRAPH_ENOMEM; /* for every return of NULL below */
    if (g->count == g->capacity) {
        int cap = g->capacity ? 2 * g->capacity : 16;
        graph_node *node = realloc(g->node, cap * sizeof *node);
        if (!node)
            return NULL;
        g->node = node;
        int *tape = realloc(g->tape, cap * sizeof *tape);
        if (!tape)
            return NULL;
        g->tape = tape;
        int *stack = realloc(g->stack, cap * sizeof *stack);
        if (!stack)
            return NULL;
        g->stack = stack;
        char *state = realloc(g->state, cap);
        if (!state)
            return NULL;
        g->state = state;
        char *from_param = realloc(g->from_param, cap);
        if (!from_param)
            return NULL;
        g->from_param = from_param;
        char *live = realloc(g->live, cap);
        if (!live)
            return NULL;
        g->live = live;
        g->capacity = cap;
    }
    double *mem = arena_alloc(g, (size_t)len * (with_data ? 4 : 2));
    if (!mem)
        return NULL;
    graph_node *n = &g->node[g->count];
    *n = (graph_node){ .op = GRAPH_OP_LEAF, .role = GRAPH_RESULT, .src = { -1, -1 }, .len = len,
                       .value = mem, .grad = mem + len, .pass = with_data ? mem + 3 * len : mem + len,
                       .data = with_data ? mem + 2 * len : NULL };
    g->live[g->count] = 1;
    g->tape_len = 0; /* the graph changed: the next backward builds its tape anew, and the next */
    g->version++;    /* compiled step is built anew */
    g->numbers += (size_t)len;
    g->error = GRAPH_OK;
    return n;
}

enum graph_status graph_error(const graph *g) { return g->error; }

static int new_leaf(graph *g, enum graph_role role, const double *values, int len)
{
    graph_node *n = new_node(g, len, 1);
    if (!n)
        return -1;
    n->role = role;
    g->from_param[g->count] = role == GRAPH_PARAM;
    memcpy(n->data, values, (size_t)len * sizeof *values);
    memcpy(n->value, values, (size_t)len * sizeof *values);
    return g->count++;
}

int graph_param(graph *g, const double *values, int len) { return new_leaf(g, GRAPH_PARAM, values, len); }
int graph_input(graph *g, const double *values, int len) { return new_leaf(g, GRAPH_INPUT, values, len); }
int graph_const(graph *g, double value) { return new_leaf(g, GRAPH_CONST, &value, 1); }

enum graph_status graph_op(graph *g, enum graph_op op, int a, int b, int *out)
{
    if ((int)op <= GRAPH_OP_LEAF || op >= GRAPH_OP_COUNT)
        return GRAPH_EARG;
    int arity = ops[op].arity;
    if ((a < 0) || (arity == 2) != (b >= 0))
        return GRAPH_EARITY;
    if (a >= g->count || b >= g->count)
        return GRAPH_EARG;
    int len = g->node[a].len;
    if (ops[op].shape == SHAPE_REDUCE) {
        len = 1;
    } else if (arity == 2) {
        int lb = g->node[b].len;
        if (len != lb && len != 1 && lb != 1)
            return GRAPH_ELENGTH;
        if (lb > len)
            len = lb;
    }
    graph_node *n = new_node(g, len, 0);
    if (!n)
        return g->error;
    n->op = op;
    n->src[0] = a;
    n->src[1] = b;
    g->from_param[g->count] = g->from_param[a] || (b >= 0 && g->from_param[b]);
    *out = g->count++;
    return GRAPH_OK;
}

void graph_set_data(graph *g, int id, int index, double v)
{
    if (id < 0 || id >= g->count || !g->node[id].data || index < 0 || index >= g->node[id].len)
        return;
    g->node[id].data[index] = v;
    g->data_version++; /* a compiled step's copies of the inputs are stale */
}

/* ---------------------------------------------------------------- forward --------------------- */

/* Plain loops: the arrays are usually a few numbers long, where a libc call costs more than the work. */
static void fill_zero(double *v, int n)
{
    for (int i = 0; i < n; i++)
        v[i] = 0;
}

static void round_to_float(double *v, int n)
{
    for (int i = 0; i < n; i++)
        v[i] = (float)v[i];
}

/* One node's forward computation. sa and sb are 0 for a broadcast length-1 input, 1 otherwise. */
static void forward_node(graph *g, graph_node *n)
{
    double *out = n->value;
    int len = n->len;
    if (n->op == GRAPH_OP_LEAF) {
        if (g->precision != GRAPH_FLOAT64)
            for (int i = 0; i < len; i++)
                out[i] = (float)n->data[i];
        else
            for (int i = 0; i < len; i++)
                out[i] = n->data[i];
        return;
    }
    const graph_node *na = &g->node[n->src[0]];
    const graph_node *nb = n->src[1] >= 0 ? &g->node[n->src[1]] : na;
    const double *a = na->value, *b = nb->value;
    int sa = na->len > 1, sb = nb->len > 1;
    int rounded = g->precision != GRAPH_FLOAT64;

/* An elementwise row fills every element; a reduction adds its input up into S first. */
#define FORWARD_EACH(expr)                 \
    for (int i = 0; i < len; i++)          \
        out[i] = (expr)
#define FORWARD_REDUCE(expr)                                             \
    do {                                                                 \
        const int N = na->len;                                           \
        double S = 0;                                                    \
        for (int i = 0; i < N; i++)                                      \
            S = rounded ? (float)(S + a[i]) : S + a[i];                  \
        out[0] = (expr);                                                 \
    } while (0)
#define A a[i * sa]
#define B b[i * sb]
    switch (n->op) {
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, ...) \
    case GRAPH_OP_##e:                                               \
        FORWARD_##shape(fwd);                                        \
        break;
#include "graph_ops.def"
    case GRAPH_OP_LEAF:
    case GRAPH_OP_COUNT:
        break;
    }
#undef FORWARD_EACH
#undef FORWARD_REDUCE
#undef A
#undef B
    if (rounded)
        round_to_float(out, len);
}

void graph_apply(enum graph_op op, const double *a, int la, const double *b, int lb, double *out)
{
    /* the same arithmetic as forward_node, on a float64 graph of two leaves */
    graph_node na = { .op = GRAPH_OP_LEAF, .role = GRAPH_INPUT, .src = { -1, -1 }, .len = la, .value = (double *)a };
    graph_node nb = { .op = GRAPH_OP_LEAF, .role = GRAPH_INPUT, .src = { -1, -1 }, .len = lb, .value = (double *)b };
    graph_node nodes[3] = { na, nb, { .op = op, .role = GRAPH_RESULT, .src = { 0, b ? 1 : -1 }, .value = out } };
    nodes[2].len = ops[op].shape == SHAPE_REDUCE ? 1 : b && lb > la ? lb : la;
    graph g = { .precision = GRAPH_FLOAT64, .node = nodes, .count = 3, .capacity = 3 };
    forward_node(&g, &nodes[2]);
}

void graph_forward(graph *g)
{
    for (int i = 0; i < g->count; i++)
        if (g->live[i])
            forward_node(g, &g->node[i]);
}

void graph_set_roots(graph *g, int a, int b)
{
    g->version++; /* a compiled step computes live nodes only */
    /* an input always has a smaller id than its node: one sweep down from the roots marks them all */
    for (int i = 0; i < g->count; i++)
        g->live[i] = a < 0;
    if (a >= 0 && a < g->count)
        g->live[a] = 1;
    if (b >= 0 && b < g->count)
        g->live[b] = 1;
    for (int i = g->count - 1; i >= 0; i--)
        for (int k = 0; k < 2 && g->live[i]; k++)
            if (g->node[i].src[k] >= 0)
                g->live[g->node[i].src[k]] = 1;
}

int graph_live(const graph *g, int id) { return id >= 0 && id < g->count && g->live[id]; }

/* ---------------------------------------------------------------- backward -------------------- */

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/*
 * One node's chain rule: for each input, add local gradient × upstream gradient into the input's pass,
 * each product and sum rounded to the graph's precision, with the local gradients of graph_ops.def (in
 * terms of A, B, OUT and N; R rounds). An input of length 1 that was broadcast has stride 0, so the
 * contributions of all elements sum into it. `rounded` is a constant in each of the two callers below, so
 * the compiler drops the rounding where it does nothing.
 */
static ALWAYS_INLINE void chain_rule(graph *g, const graph_node *n, const int rounded)
{
    graph_node *na = &g->node[n->src[0]];
    graph_node *nb = n->src[1] >= 0 ? &g->node[n->src[1]] : na;
    const double *a = na->value, *b = nb->value, *out = n->value, *up = n->pass;
    /* constants take no gradient */
    double *ga = na->role == GRAPH_CONST ? NULL : na->pass;
    double *gb = n->src[1] < 0 || nb->role == GRAPH_CONST ? NULL : nb->pass;
    int sa = na->len > 1, sb = nb->len > 1, su = n->len > 1;
    int N = na->len;
    (void)N;

#define R(x) (rounded ? (double)(float)(x) : (x))
#define A a[i * sa]
#define B b[i * sb]
#define OUT out[i * su]
#define G up[i * su]
/* An input of the same length takes one contribution per element; a broadcast one (stride 0) sums them, in
 * order, in a register. */
#define CHAIN(gp, s, len, local)                                              \
    do {                                                                      \
        if (!gp)                                                              \
            break;                                                            \
        if (s) {                                                              \
            for (int i = 0; i < len; i++)                                     \
                gp[i] = R(gp[i] + R(R(local) * G));                           \
        } else {                                                              \
            double acc = gp[0];                                               \
            for (int i = 0; i < len; i++)                                     \
                acc = R(acc + R(R(local) * G));                               \
            gp[0] = acc;                                                      \
        }                                                                     \
    } while (0)
/* a reduction's single upstream gradient reaches every element of its input */
#define LEN_EACH n->len
#define LEN_REDUCE na->len
    switch (n->op) {
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) \
    case GRAPH_OP_##e:                                                         \
        CHAIN(ga, sa, LEN_##shape, da);                                        \
        if (arity == 2)                                                        \
            CHAIN(gb, sb, LEN_##shape, db);                                    \
        break;
#include "graph_ops.def"
    case GRAPH_OP_LEAF:
    case GRAPH_OP_COUNT:
        break;
    }
#undef CHAIN
#undef LEN_EACH
#undef LEN_REDUCE
#undef G
#undef OUT
#undef B
#undef A
#undef R
}

static void chain_rule_float64(graph *g, const graph_node *n) { chain_rule(g, n, 0); }
static void chain_rule_float32(graph *g, const graph_node *n) { chain_rule(g, n, 1); }

enum graph_status graph_backward(graph *g, int root)
{
    if (root < 0 || root >= g->count || g->node[root].len != 1)
        return GRAPH_EARG;
    if (g->tape_len == 0 || g->tape[0] != root)
        graph_build_tape(g, root);
    /* This pass's gradient from zero for every node on the tape; then each leaf's .grad += it, as PyTorch
     * accumulates (an operation's pass is its grad, so it holds this pass's gradient only). */
    for (int k = 0; k < g->tape_len; k++) {
        graph_node *n = &g->node[g->tape[k]];
        fill_zero(n->pass, n->len);
    }
    g->node[root].pass[0] = 1.0;
    int rounded = g->precision != GRAPH_FLOAT64;
    void (*step)(graph *, const graph_node *) = rounded ? chain_rule_float32 : chain_rule_float64;
    for (int k = 0; k < g->tape_len; k++)
        if (g->node[g->tape[k]].op != GRAPH_OP_LEAF)
            step(g, &g->node[g->tape[k]]);
    for (int k = 0; k < g->tape_len; k++) {
        graph_node *n = &g->node[g->tape[k]];
        if (n->op != GRAPH_OP_LEAF || n->role == GRAPH_CONST)
            continue;
        for (int i = 0; i < n->len; i++)
            n->grad[i] = rounded ? (double)(float)(n->grad[i] + n->pass[i]) : n->grad[i] + n->pass[i];
    }
    return GRAPH_OK;
}

double graph_local_grad(const graph *g, int id, int k, int i)
{
    if (id < 0 || id >= g->count || k < 0 || k > 1)
        return NAN;
    const graph_node *n = &g->node[id];
    if (n->op == GRAPH_OP_LEAF || n->src[k] < 0)
        return NAN;
    const graph_node *na = &g->node[n->src[0]];
    const graph_node *nb = n->src[1] >= 0 ? &g->node[n->src[1]] : na;
    if (i < 0 || i >= graph_local_len(g, id))
        return NAN;
    const double *a = na->value, *b = nb->value, *out = n->value;
    int sa = na->len > 1, sb = nb->len > 1, su = n->len > 1, N = na->len;
    int rounded = g->precision != GRAPH_FLOAT64;
    (void)N;
    (void)b;
    (void)sb;
#define R(x) (rounded ? (double)(float)(x) : (x))
#define A a[i * sa]
#define B b[i * sb]
#define OUT out[i * su]
    switch (n->op) {
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) \
    case GRAPH_OP_##e:                                                         \
        return R(k == 0 ? (da) : (db));
#include "graph_ops.def"
    case GRAPH_OP_LEAF:
    case GRAPH_OP_COUNT:
        break;
    }
#undef OUT
#undef B
#undef A
#undef R
    return NAN;
}

int graph_local_len(const graph *g, int id)
{
    if (id < 0 || id >= g->count || g->node[id].op == GRAPH_OP_LEAF)
        return 0;
    const graph_node *n = &g->node[id];
    return ops[n->op].shape == SHAPE_REDUCE ? g->node[n->src[0]].len : n->len;
}

double graph_sgd_update(const graph *g, int id, int i, double lr)
{
    const graph_node *n = &g->node[id];
    return graph_update(g->precision, n->data[i], n->grad[i], lr);
}

void graph_zero_grad(graph *g)
{
    for (int i = 0; i < g->count; i++)
        if (g->node[i].op == GRAPH_OP_LEAF)
            fill_zero(g->node[i].grad, g->node[i].len);
}

void graph_sgd_step(graph *g, double lr)
{
    for (int id = 0; id < g->count; id++) {
        graph_node *n = &g->node[id];
        if (n->role != GRAPH_PARAM)
            continue;
        for (int i = 0; i < n->len; i++)
            n->data[i] = graph_sgd_update(g, id, i, lr);
    }
}

enum graph_status graph_pass(graph *g, int root, int zero_grad)
{
    if (zero_grad)
        graph_zero_grad(g);
    graph_forward(g);
    return root >= 0 ? graph_backward(g, root) : GRAPH_OK;
}

/* ---------------------------------------------------------------- the compiled step ----------- */

enum graph_status graph_train_pass(graph *g, int root, int shown, int zero_grad, int with_inputs)
{
    if (graph_step_pass(g, root, shown, zero_grad, with_inputs) != 0)
        return graph_pass(g, root, zero_grad); /* no step for this graph, or not this time */
    return GRAPH_OK;
}

/* --train's epoch when the compiled step cannot run it: the per-node passes. */
static double train_epoch_per_node(graph *g, int root, int shown, double lr)
{
    graph_pass(g, root, 1);
    shown = shown >= 0 && shown < g->count ? shown : root;
    double v = shown >= 0 && shown < g->count ? g->node[shown].value[0] : NAN;
    graph_sgd_step(g, lr);
    return v;
}

double graph_train_epoch(graph *g, int root, int shown, double lr)
{
    return graph_step_epoch(g, root, shown, lr, train_epoch_per_node);
}

/* ---------------------------------------------------------------- requires_grad --------------- */

int graph_from_param(const graph *g, int id) { return id >= 0 && id < g->count && g->from_param[id]; }

int graph_requires_grad(const graph *g, int id)
{
    return g->tape_len > 0 && graph_from_param(g, id) && g->state[id] == 2;
}

/* ---------------------------------------------------------------- snapshots ------------------- */

/* A snapshot holds, in id order, each parameter's data, then each parameter's and input's grad. */
static int keeps_data(const graph_node *n) { return n->role == GRAPH_PARAM; }
static int keeps_grad(const graph_node *n) { return n->role == GRAPH_PARAM || n->role == GRAPH_INPUT; }

size_t graph_snapshot_size(const graph *g)
{
    size_t size = 0;
    for (int id = 0; id < g->count; id++) {
        const graph_node *n = &g->node[id];
        size += (size_t)n->len * ((size_t)keeps_data(n) + (size_t)keeps_grad(n));
    }
    return size;
}

void graph_snapshot(const graph *g, double *s)
{
    for (int id = 0; id < g->count; id++)
        if (keeps_data(&g->node[id]))
            for (int i = 0; i < g->node[id].len; i++)
                *s++ = g->node[id].data[i];
    for (int id = 0; id < g->count; id++)
        if (keeps_grad(&g->node[id]))
            for (int i = 0; i < g->node[id].len; i++)
                *s++ = g->node[id].grad[i];
}

void graph_restore(graph *g, const double *s)
{
    for (int id = 0; id < g->count; id++)
        if (keeps_data(&g->node[id]))
            for (int i = 0; i < g->node[id].len; i++)
                g->node[id].data[i] = *s++;
    for (int id = 0; id < g->count; id++)
        if (keeps_grad(&g->node[id]))
            for (int i = 0; i < g->node[id].len; i++)
                g->node[id].grad[i] = *s++;
}

const double *graph_snapshot_grad(const graph *g, const double *s, int id)
{
    if (id < 0 || id >= g->count || !keeps_grad(&g->node[id]))
        return NULL;
    for (int k = 0; k < g->count; k++)
        if (keeps_data(&g->node[k]))
            s += g->node[k].len;
    for (int k = 0; k < id; k++)
        if (keeps_grad(&g->node[k]))
            s += g->node[k].len;
    return s;
}

/* ---------------------------------------------------------------- numeric check --------------- */

static double value_at(graph *g, int root, int leaf, int index, double x)
{
    g->node[leaf].data[index] = x;
    g->data_version++;
    graph_forward(g);
    return g->node[root].value[0];
}

double graph_numeric_grad(graph *g, int root, int leaf, int index)
{
    if (root < 0 || root >= g->count || leaf < 0 || leaf >= g->count || !g->node[leaf].data ||
        index < 0 || index >= g->node[leaf].len)
        return NAN;
    enum graph_precision saved = g->precision;
    g->precision = GRAPH_FLOAT64;
    double x = g->node[leaf].data[index];
    /* a step relative to x, so that curvature on the scale of x (log near 0) stays small against it */
    double h = 1e-3 * (fabs(x) > 1e-2 ? fabs(x) : 1e-2);
    double f1 = value_at(g, root, leaf, index, x + h), f_1 = value_at(g, root, leaf, index, x - h);
    double f2 = value_at(g, root, leaf, index, x + 2 * h), f_2 = value_at(g, root, leaf, index, x - 2 * h);
    g->node[leaf].data[index] = x;
    g->precision = saved;
    graph_forward(g);
    return (f_2 - 8 * f_1 + 8 * f1 - f2) / (12 * h);
}

/* ---------------------------------------------------------------- names ----------------------- */

static int op_ok(enum graph_op op) { return (int)op >= 0 && op < GRAPH_OP_COUNT; }
const char *graph_op_name(enum graph_op op) { return op_ok(op) ? ops[op].name : "?"; }
const char *graph_op_symbol(enum graph_op op) { return op_ok(op) ? ops[op].symbol : "?"; }
const char *graph_op_glyph(enum graph_op op) { return op_ok(op) ? ops[op].glyph : "?"; }
int graph_op_arity(enum graph_op op) { return op_ok(op) ? ops[op].arity : 0; }
enum graph_form graph_op_form(enum graph_op op) { return op_ok(op) ? ops[op].form : GRAPH_FORM_LEAF; }
int graph_op_precedence(enum graph_op op) { return op_ok(op) ? ops[op].precedence : 0; }
int graph_op_reduces(enum graph_op op) { return op_ok(op) && ops[op].shape == SHAPE_REDUCE; }

const char *graph_op_local_form(enum graph_op op, int k)
{
    return op_ok(op) && k >= 0 && k < ops[op].arity ? ops[op].local_form[k] : NULL;
}

int graph_op_lookup(const char *name)
{
    for (int op = GRAPH_OP_LEAF + 1; op < GRAPH_OP_COUNT; op++)
        if (ops[op].form == GRAPH_FORM_CALL && strcmp(ops[op].name, name) == 0)
            return op;
    return -1;
}

/* The messages are English here and marked for xgettext with N_(): the core knows no gettext, so the layer
 * that shows one translates it (lesson.c: _(graph_status_message(st))). xgettext cannot expand a macro, so
 * GRAPH_ETOOBIG's message spells the limits out; the assertions keep it in step with them. */
#define N_(s) s
_Static_assert(GRAPH_NODES_MAX == 500000, "GRAPH_ETOOBIG's message says 500000 nodes");
_Static_assert(GRAPH_NUMBERS_MAX == 4194304, "GRAPH_ETOOBIG's message says 4194304 numbers");

const char *graph_status_message(enum graph_status s)
{
    switch (s) {
    case GRAPH_OK: return N_("ok");
    case GRAPH_ELENGTH: return N_("batch lengths do not match");
    case GRAPH_EARITY: return N_("wrong number of inputs");
    case GRAPH_EARG: return N_("no such node");
    case GRAPH_ENOMEM: return N_("out of memory");
    case GRAPH_ETOOBIG:
        return N_("too large: a lesson holds at most 500000 nodes and 4194304 numbers (a batch of k samples is k "
                  "numbers in each node)");
    }
    return N_("unknown error");
}

static const char *const precision_names[] = {
#define X(e, name) name,
    GRAPH_PRECISIONS(X)
#undef X
};

const char *graph_precision_name(enum graph_precision p)
{
    return (int)p >= 0 && p < GRAPH_PRECISION_COUNT ? precision_names[p] : "?";
}

int graph_precision_lookup(const char *name)
{
    for (int p = 0; p < GRAPH_PRECISION_COUNT; p++)
        if (strcmp(precision_names[p], name) == 0)
            return p;
    return -1;
}
