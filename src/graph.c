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

/* ---------------------------------------------------------------- the op table, generated ---- */

static const char *const op_names[] = {
#define X(e, name, sym, arity, form, prec) name,
    GRAPH_OPS(X)
#undef X
};
static const char *const op_symbols[] = {
#define X(e, name, sym, arity, form, prec) sym,
    GRAPH_OPS(X)
#undef X
};
static const int op_arities[] = {
#define X(e, name, sym, arity, form, prec) arity,
    GRAPH_OPS(X)
#undef X
};
static const enum graph_form op_forms[] = {
#define X(e, name, sym, arity, form, prec) form,
    GRAPH_OPS(X)
#undef X
};
static const int op_precedences[] = {
#define X(e, name, sym, arity, form, prec) prec,
    GRAPH_OPS(X)
#undef X
};
_Static_assert(sizeof op_names / sizeof op_names[0] == GRAPH_OP_COUNT, "op table out of step");
_Static_assert(sizeof op_arities / sizeof op_arities[0] == GRAPH_OP_COUNT, "op table out of step");

/* ---------------------------------------------------------------- the arena ------------------- */

struct block {
    struct block *next;
    size_t used, size;
    double mem[]; /* doubles are all the arena ever holds */
};

struct graph {
    enum graph_precision precision;
    graph_node *node;
    int count, capacity;
    int *tape;    /* backward order, root first */
    int tape_len;
    int *stack;   /* depth-first search: node ids */
    char *state;  /* depth-first search: 0 unseen, 1 on the stack, 2 done */
    struct block *blocks;
};

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
    free(g);
}

enum graph_precision graph_precision(const graph *g) { return g->precision; }
void graph_set_precision(graph *g, enum graph_precision precision) { g->precision = precision; }
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

/* Make room for one more node, and keep the backward scratch arrays as long as the node table. */
static graph_node *new_node(graph *g, int len, int with_data)
{
    if (len < 1)
        return NULL;
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
        g->capacity = cap;
    }
    double *mem = arena_alloc(g, (size_t)len * (with_data ? 3 : 2));
    if (!mem)
        return NULL;
    graph_node *n = &g->node[g->count];
    *n = (graph_node){ .op = GRAPH_OP_LEAF, .role = GRAPH_RESULT, .src = { -1, -1 }, .len = len,
                       .value = mem, .grad = mem + len, .data = with_data ? mem + 2 * len : NULL };
    g->tape_len = 0; /* the graph changed: the next backward builds its tape anew */
    return n;
}

static int new_leaf(graph *g, enum graph_role role, const double *values, int len)
{
    graph_node *n = new_node(g, len, 1);
    if (!n)
        return -1;
    n->role = role;
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
    int arity = op_arities[op];
    if ((a < 0) || (arity == 2) != (b >= 0))
        return GRAPH_EARITY;
    if (a >= g->count || b >= g->count)
        return GRAPH_EARG;
    int len = g->node[a].len;
    if (op == GRAPH_OP_SUM || op == GRAPH_OP_MEAN) {
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
        return GRAPH_ENOMEM;
    n->op = op;
    n->src[0] = a;
    n->src[1] = b;
    *out = g->count++;
    return GRAPH_OK;
}

void graph_set_data(graph *g, int id, int index, double v)
{
    if (id < 0 || id >= g->count || !g->node[id].data || index < 0 || index >= g->node[id].len)
        return;
    g->node[id].data[index] = v;
}

/* ---------------------------------------------------------------- forward --------------------- */

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

/* x^y, with the squares of every loss taken without a libm call. glibc's pow is correctly rounded, so
 * x·x and x are exactly what pow(x, 2) and pow(x, 1) return. */
static double power(double x, double y)
{
    return y == 2 ? x * x : y == 1 ? x : pow(x, y);
}

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

#define EACH(expr) for (int i = 0; i < len; i++) out[i] = (expr)
#define A a[i * sa]
#define B b[i * sb]
    switch (n->op) {
    case GRAPH_OP_ADD:     EACH(A + B); break;
    case GRAPH_OP_SUB:     EACH(A - B); break;
    case GRAPH_OP_MUL:     EACH(A * B); break;
    case GRAPH_OP_DIV:     EACH(A / B); break;
    case GRAPH_OP_NEG:     EACH(-A); break;
    case GRAPH_OP_POW:     EACH(power(A, B)); break;
    case GRAPH_OP_EXP:     EACH(exp(A)); break;
    case GRAPH_OP_LOG:     EACH(log(A)); break;
    case GRAPH_OP_TANH:    EACH(tanh(A)); break;
    case GRAPH_OP_SIGMOID: EACH(sigmoid(A)); break;
    case GRAPH_OP_RELU:    EACH(A > 0 ? A : 0.0); break;
    case GRAPH_OP_SUM:
    case GRAPH_OP_MEAN: {
        /* left to right, each partial sum rounded, as numpy sums a short float32 array */
        double s = 0;
        for (int i = 0; i < na->len; i++)
            s = rounded ? (float)(s + a[i]) : s + a[i];
        out[0] = n->op == GRAPH_OP_MEAN ? s / na->len : s;
        break;
    }
    case GRAPH_OP_LEAF:
    case GRAPH_OP_COUNT:
        break;
    }
#undef EACH
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
    nodes[2].len = op == GRAPH_OP_SUM || op == GRAPH_OP_MEAN ? 1 : b && lb > la ? lb : la;
    graph g = { .precision = GRAPH_FLOAT64, .node = nodes, .count = 3, .capacity = 3 };
    forward_node(&g, &nodes[2]);
}

void graph_forward(graph *g)
{
    for (int i = 0; i < g->count; i++)
        forward_node(g, &g->node[i]);
}

/* ---------------------------------------------------------------- backward -------------------- */

/*
 * Post-order depth-first search from the root, without recursion: a node goes on the tape only after
 * all of its inputs have. Reversed, that is an order in which every node's gradient is complete before
 * it is passed on, even when the node feeds several others (a pre-order walk gets that wrong).
 */
static void build_tape(graph *g, int root)
{
    memset(g->state, 0, (size_t)g->count);
    int top = 0, len = 0;
    g->stack[top++] = root;
    g->state[root] = 1;
    while (top > 0) {
        int id = g->stack[top - 1];
        const graph_node *n = &g->node[id];
        int pushed = 0;
        for (int k = 0; k < 2 && !pushed; k++) {
            int s = n->src[k];
            if (s >= 0 && !g->state[s]) {
                g->state[s] = 1;
                g->stack[top++] = s;
                pushed = 1;
            }
        }
        if (!pushed) {
            g->state[id] = 2;
            g->tape[len++] = id;
            top--;
        }
    }
    /* reverse: root first */
    for (int i = 0, j = len - 1; i < j; i++, j--) {
        int t = g->tape[i];
        g->tape[i] = g->tape[j];
        g->tape[j] = t;
    }
    g->tape_len = len;
}

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/*
 * The local gradients, declared once: ∂out/∂a and ∂out/∂b of every operation, in terms of A and B (the
 * inputs' elements), OUT (the result's element) and N (how many elements a reduction reads). R rounds
 * to the graph's precision. backward and graph_local_grad are both generated from this table.
 * ORDER OP is not needed here: each row names its op.
 */
#define LOCAL_GRADIENTS(X)                                                                            \
    X(ADD,     1.0,                           1.0)                                                   \
    X(SUB,     1.0,                           -1.0)                                                  \
    X(MUL,     B,                             A)                                                     \
    X(DIV,     1.0 / B,                       -R(A / B) / B)                                         \
    X(NEG,     -1.0,                          0.0)                                                   \
    X(POW,     B * R(power(A, R(B - 1))),     A == 0 && B >= 0 ? 0.0 : OUT * R(log(A)))             \
    X(EXP,     OUT,                           0.0)                                                   \
    X(LOG,     1.0 / A,                       0.0)                                                   \
    X(TANH,    1.0 - R(OUT * OUT),            0.0)                                                   \
    X(SIGMOID, OUT * R(1.0 - OUT),            0.0)                                                   \
    X(RELU,    A > 0 ? 1.0 : 0.0,             0.0)                                                   \
    X(SUM,     1.0,                           0.0)                                                   \
    X(MEAN,    1.0 / N,                       0.0)

/*
 * One node's chain rule: for each input, add local gradient × upstream gradient into the input's grad,
 * each product and sum rounded to the graph's precision. An input of length 1 that was broadcast has
 * stride 0, so the contributions of all elements sum into it. `rounded` is a constant in each of the two
 * callers below, so the compiler drops the rounding where it does nothing.
 */
static ALWAYS_INLINE void chain_rule(graph *g, const graph_node *n, const int rounded)
{
    graph_node *na = &g->node[n->src[0]];
    graph_node *nb = n->src[1] >= 0 ? &g->node[n->src[1]] : na;
    const double *a = na->value, *b = nb->value, *out = n->value, *up = n->grad;
    /* constants take no gradient */
    double *ga = na->role == GRAPH_CONST ? NULL : na->grad;
    double *gb = n->src[1] < 0 || nb->role == GRAPH_CONST ? NULL : nb->grad;
    int sa = na->len > 1, sb = nb->len > 1, su = n->len > 1;
    /* a reduction's single upstream gradient reaches every element of its input */
    int len = n->op == GRAPH_OP_SUM || n->op == GRAPH_OP_MEAN ? na->len : n->len;
    int N = na->len;
    (void)N;

#define R(x) (rounded ? (double)(float)(x) : (x))
#define A a[i * sa]
#define B b[i * sb]
#define OUT out[i * su]
#define G up[i * su]
/* An input of the same length takes one contribution per element; a broadcast one (stride 0) sums them, in
 * order, in a register. */
#define CHAIN(gp, s, local)                                                   \
    if (gp) {                                                                 \
        if (s) {                                                              \
            for (int i = 0; i < len; i++)                                     \
                gp[i] = R(gp[i] + R(R(local) * G));                           \
        } else {                                                              \
            double acc = gp[0];                                               \
            for (int i = 0; i < len; i++)                                     \
                acc = R(acc + R(R(local) * G));                               \
            gp[0] = acc;                                                      \
        }                                                                     \
    }
    switch (n->op) {
#define X(op, local_a, local_b)   \
    case GRAPH_OP_##op:           \
        CHAIN(ga, sa, local_a);   \
        CHAIN(gb, sb, local_b);   \
        break;
    LOCAL_GRADIENTS(X)
#undef X
    case GRAPH_OP_LEAF:
    case GRAPH_OP_COUNT:
        break;
    }
#undef CHAIN
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
        build_tape(g, root);
    /* Operation nodes hold this pass's gradient only; leaves keep adding up, as .grad does. */
    for (int k = 0; k < g->tape_len; k++) {
        graph_node *n = &g->node[g->tape[k]];
        if (n->op != GRAPH_OP_LEAF)
            fill_zero(n->grad, n->len);
    }
    g->node[root].grad[0] += 1.0;
    void (*step)(graph *, const graph_node *) =
        g->precision == GRAPH_FLOAT64 ? chain_rule_float64 : chain_rule_float32;
    for (int k = 0; k < g->tape_len; k++)
        if (g->node[g->tape[k]].op != GRAPH_OP_LEAF)
            step(g, &g->node[g->tape[k]]);
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
    int len = n->op == GRAPH_OP_SUM || n->op == GRAPH_OP_MEAN ? na->len : n->len;
    if (i < 0 || i >= len)
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
#define X(op, local_a, local_b) \
    case GRAPH_OP_##op:         \
        return R(k == 0 ? (local_a) : (local_b));
    LOCAL_GRADIENTS(X)
#undef X
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

double graph_sgd_update(const graph *g, int id, int i, double lr)
{
    const graph_node *n = &g->node[id];
    if (g->precision == GRAPH_FLOAT32) /* float parameter, float arithmetic */
        return (float)((float)n->data[i] - (float)((float)lr * (float)n->grad[i]));
    return n->data[i] - lr * n->grad[i]; /* float64, and mixed: the master copy is a double */
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

/* ---------------------------------------------------------------- numeric check --------------- */

static double value_at(graph *g, int root, int leaf, int index, double x)
{
    g->node[leaf].data[index] = x;
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
const char *graph_op_name(enum graph_op op) { return op_ok(op) ? op_names[op] : "?"; }
const char *graph_op_symbol(enum graph_op op) { return op_ok(op) ? op_symbols[op] : "?"; }
int graph_op_arity(enum graph_op op) { return op_ok(op) ? op_arities[op] : 0; }
enum graph_form graph_op_form(enum graph_op op) { return op_ok(op) ? op_forms[op] : GRAPH_FORM_LEAF; }
int graph_op_precedence(enum graph_op op) { return op_ok(op) ? op_precedences[op] : 0; }

int graph_op_lookup(const char *name)
{
    for (int op = GRAPH_OP_LEAF + 1; op < GRAPH_OP_COUNT; op++)
        if (op_forms[op] == GRAPH_FORM_CALL && strcmp(op_names[op], name) == 0)
            return op;
    return -1;
}

const char *graph_status_message(enum graph_status s)
{
    switch (s) {
    case GRAPH_OK: return "ok";
    case GRAPH_ELENGTH: return "batch lengths do not match";
    case GRAPH_EARITY: return "wrong number of inputs";
    case GRAPH_EARG: return "no such node";
    case GRAPH_ENOMEM: return "out of memory";
    }
    return "unknown error";
}

static const char *const precision_names[] = { "float64", "float32", "mixed" };

const char *graph_precision_name(enum graph_precision p)
{
    return (int)p >= 0 && p <= GRAPH_MIXED ? precision_names[p] : "?";
}

int graph_precision_lookup(const char *name)
{
    for (int p = 0; p <= GRAPH_MIXED; p++)
        if (strcmp(precision_names[p], name) == 0)
            return p;
    return -1;
}
