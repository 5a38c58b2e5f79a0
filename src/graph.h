/*
 * graph.h — bptutor's autograd core.
 *
 * A graph is a list of nodes. Leaves hold numbers (trainable parameters, data inputs, literal constants);
 * operation nodes hold an op and the ids of their inputs. Nodes are appended, and an operation can only
 * name nodes that already exist, so creation order is a valid forward order. Backward walks the reverse of
 * a post-order depth-first search from the root (the loss), and each operation adds
 * local gradient × upstream gradient into each of its inputs, as micrograd does.
 *
 * Every node holds a short 1-D vector (length 1 is a scalar). Elementwise operations broadcast a length-1
 * input against a length-n one; sum and mean reduce to length 1. Backward through a broadcast sums the
 * gradient back to length 1.
 *
 * Memory: the numbers live in an arena owned by the graph; the node table and the backward tape are sized
 * while the graph is built. forward, backward, zero_grad and the SGD step allocate nothing.
 *
 * No I/O here: this layer never prints.
 */
#ifndef BPTUTOR_GRAPH_H
#define BPTUTOR_GRAPH_H

#include <stddef.h>

/*
 * The operations, declared once. ORDER OP: the enum, the names, the symbols, the arities and the
 * printing forms below are all generated from this table.
 *   X(ENUM, name, symbol, arity, form, precedence)
 * name is what a lesson writes for a function (exp, log, …); symbol is how a formula prints it;
 * form says where the symbol goes; precedence orders infix printing (higher binds tighter).
 */
#define GRAPH_OPS(X)                                                                              \
    X(LEAF,    "leaf",    "",        0, GRAPH_FORM_LEAF,   9) /* a parameter, an input, a constant */ \
    X(ADD,     "add",     "+",       2, GRAPH_FORM_INFIX,  1) /* a + b                            */ \
    X(SUB,     "sub",     "\u2212",  2, GRAPH_FORM_INFIX,  1) /* a − b                            */ \
    X(MUL,     "mul",     "\u00b7",  2, GRAPH_FORM_INFIX,  2) /* a · b                            */ \
    X(DIV,     "div",     "/",       2, GRAPH_FORM_INFIX,  2) /* a / b                            */ \
    X(NEG,     "neg",     "\u2212",  1, GRAPH_FORM_PREFIX, 3) /* −a                               */ \
    X(POW,     "pow",     "^",       2, GRAPH_FORM_INFIX,  4) /* a ^ b, b constant or variable   */ \
    X(EXP,     "exp",     "exp",     1, GRAPH_FORM_CALL,   9) /* e^a                              */ \
    X(LOG,     "log",     "log",     1, GRAPH_FORM_CALL,   9) /* natural logarithm                */ \
    X(TANH,    "tanh",    "tanh",    1, GRAPH_FORM_CALL,   9) /* hyperbolic tangent               */ \
    X(SIGMOID, "sigmoid", "sigmoid", 1, GRAPH_FORM_CALL,   9) /* 1 / (1 + e^−a)                   */ \
    X(RELU,    "relu",    "relu",    1, GRAPH_FORM_CALL,   9) /* max(a, 0); slope 0 at 0           */ \
    X(SUM,     "sum",     "sum",     1, GRAPH_FORM_CALL,   9) /* Σ a_i, length 1                  */ \
    X(MEAN,    "mean",    "mean",    1, GRAPH_FORM_CALL,   9) /* Σ a_i / n, length 1              */

enum graph_form { GRAPH_FORM_LEAF, GRAPH_FORM_INFIX, GRAPH_FORM_PREFIX, GRAPH_FORM_CALL };

enum graph_op {
#define X(e, name, sym, arity, form, prec) GRAPH_OP_##e,
    GRAPH_OPS(X)
#undef X
    GRAPH_OP_COUNT
};

/* What a leaf is. Constants are the literal numbers written in a formula: they get no gradient. */
enum graph_role { GRAPH_PARAM, GRAPH_INPUT, GRAPH_CONST, GRAPH_RESULT };

/*
 * How arithmetic is rounded.
 *   FLOAT64  every number a double (the default).
 *   FLOAT32  every operation rounded to float, parameters stored and updated as float (PyTorch's default).
 *   MIXED    forward and backward in float32 from a float32 copy of the parameters; the parameters
 *            themselves kept and updated in float64. This is what numpy does with float32 arrays and a
 *            Python-float weight, and what reproduces the seed's printed tables.
 */
enum graph_precision { GRAPH_FLOAT64, GRAPH_FLOAT32, GRAPH_MIXED };

enum graph_status {
    GRAPH_OK,
    GRAPH_ELENGTH, /* two inputs of different lengths, both longer than 1 */
    GRAPH_EARITY,  /* wrong number of inputs for the operation */
    GRAPH_EARG,    /* an input id that does not exist, or a length below 1 */
    GRAPH_ENOMEM,  /* out of memory while building */
};

/*
 * One node. Read it through graph_node_at(); only the core writes it.
 *   value  the node's numbers after the last forward pass (rounded to the graph's precision)
 *   grad   ∂root/∂node after the last backward pass; for parameters and inputs it accumulates across
 *          backward passes until graph_zero_grad(), like PyTorch's .grad
 *   data   leaves only: the stored numbers. For a parameter under MIXED this is the float64 master copy,
 *          while value is its float32 image that the forward pass used.
 */
typedef struct graph_node {
    enum graph_op op;
    enum graph_role role;
    int src[2];  /* input ids; -1 where the operation has fewer inputs */
    int len;     /* number of elements, at least 1 */
    double *value;
    double *grad;
    double *data;
} graph_node;

typedef struct graph graph;

graph *graph_new(enum graph_precision precision);
void graph_free(graph *g);

enum graph_precision graph_precision(const graph *g);
void graph_set_precision(graph *g, enum graph_precision precision);

/* Leaves. Each returns the new node's id, or −1 when len < 1 or memory runs out. */
int graph_param(graph *g, const double *values, int len);
int graph_input(graph *g, const double *values, int len);
int graph_const(graph *g, double value);

/* An operation on one or two existing nodes (b = −1 for one). On success stores the new id in *out. */
enum graph_status graph_op(graph *g, enum graph_op op, int a, int b, int *out);

int graph_count(const graph *g);
const graph_node *graph_node_at(const graph *g, int id);

/* Change one stored number of a leaf (a parameter or an input). Values are stale until the next forward. */
void graph_set_data(graph *g, int id, int index, double v);

/* Evaluate every node, in creation order. */
void graph_forward(graph *g);
/* Seed ∂root/∂root = 1 and propagate back. root must have length 1. Operation-node gradients are reset
 * first; leaf gradients accumulate. Returns GRAPH_EARG when root is not a scalar node. */
enum graph_status graph_backward(graph *g, int root);
/*
 * The local gradient ∂node/∂input of operation node id with respect to its input k (0 or 1), at element i,
 * from the current values, rounded to the graph's precision: the number backward multiplies by. For sum
 * and mean, i indexes the input's elements. NAN when id, k or i is out of range or the input is absent.
 */
double graph_local_grad(const graph *g, int id, int k, int i);
/* What graph_sgd_step() would make of parameter id's element i: p − lr·∂root/∂p, in the graph's precision. */
double graph_sgd_update(const graph *g, int id, int i, double lr);
/* Reset the leaves' gradients to 0 (optimizer.zero_grad()). An operation node's gradient needs no reset:
 * backward rewrites it for every node on its tape, and a node on no tape keeps 0. */
void graph_zero_grad(graph *g);
/* p ← p − lr·∂root/∂p for every parameter element (optimizer.step()). */
void graph_sgd_step(graph *g, double lr);

/*
 * The numeric gradient ∂root/∂leaf[index] by a central difference of the float64 forward pass
 * (a five-point stencil, truncation error O(h⁴)). The leaf's data and every value are restored after.
 */
double graph_numeric_grad(graph *g, int root, int leaf, int index);

/*
 * Evaluate one operation in float64 outside any graph (a quiz answer, an expression typed at the prompt):
 * a has la elements, b has lb (NULL and 0 for an operation of one input), and out receives what the node
 * would hold: max(la, lb) elements with a length-1 input broadcast, or 1 for sum and mean. The lengths
 * must be ones graph_op() accepts.
 */
void graph_apply(enum graph_op op, const double *a, int la, const double *b, int lb, double *out);

/* The backward tape: node ids in the order backward visits them (the root first). Valid after
 * graph_backward(); *n receives its length. */
const int *graph_tape(const graph *g, int *n);

const char *graph_op_name(enum graph_op op);
const char *graph_op_symbol(enum graph_op op);
int graph_op_arity(enum graph_op op);
enum graph_form graph_op_form(enum graph_op op);
int graph_op_precedence(enum graph_op op);
/* The operation a lesson's function name stands for, or −1. */
int graph_op_lookup(const char *name);
const char *graph_status_message(enum graph_status s);
const char *graph_precision_name(enum graph_precision p);
/* The precision named by "float64", "float32" or "mixed", or −1. */
int graph_precision_lookup(const char *name);

#endif
