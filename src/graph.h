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
 * while the graph is built. forward, backward, zero_grad and the SGD step allocate nothing; the compiled
 * step allocates when it is built, and nothing when it runs.
 *
 * No I/O here: this layer never prints.
 */
#ifndef BPTUTOR_GRAPH_H
#define BPTUTOR_GRAPH_H

#include <stddef.h>

/*
 * The operations: one row each in graph_ops.def, which holds everything about an operation (its names, how
 * it prints, forward, its local gradients and their blackboard text). The enum below and every table and
 * switch in graph.c are generated from those rows. GRAPH_OP_LEAF is no operation: a node that holds numbers.
 */
enum graph_form { GRAPH_FORM_LEAF, GRAPH_FORM_INFIX, GRAPH_FORM_PREFIX, GRAPH_FORM_CALL };

enum graph_op {
    GRAPH_OP_LEAF, /* a parameter, an input, a constant */
#define GRAPH_OP(e, ...) GRAPH_OP_##e,
#include "graph_ops.def"
    GRAPH_OP_COUNT
};

/* What a leaf is. Constants are the literal numbers written in a formula: they get no gradient. */
enum graph_role { GRAPH_PARAM, GRAPH_INPUT, GRAPH_CONST, GRAPH_RESULT };

/*
 * How arithmetic is rounded.   X(ENUM, name)
 *   FLOAT64  every number a double (the default).
 *   FLOAT32  every operation rounded to float, parameters stored and updated as float (PyTorch's default).
 *   MIXED    forward and backward in float32 from a float32 copy of the parameters; the parameters
 *            themselves kept and updated in float64. This is what numpy does with float32 arrays and a
 *            Python-float weight, and what reproduces the seed's printed tables.
 */
#define GRAPH_PRECISIONS(X) \
    X(FLOAT64, "float64")   \
    X(FLOAT32, "float32")   \
    X(MIXED,   "mixed")

enum graph_precision {
#define X(e, name) GRAPH_##e,
    GRAPH_PRECISIONS(X)
#undef X
    GRAPH_PRECISION_COUNT
};

enum graph_status {
    GRAPH_OK,
    GRAPH_ELENGTH, /* two inputs of different lengths, both longer than 1 */
    GRAPH_EARITY,  /* wrong number of inputs for the operation */
    GRAPH_EARG,    /* an input id that does not exist, or a length below 1 */
    GRAPH_ENOMEM,  /* out of memory while building */
    GRAPH_ETOOBIG, /* the node would pass GRAPH_NODES_MAX nodes or GRAPH_NUMBERS_MAX numbers */
};

/*
 * How large a graph may grow: nodes, and numbers (the sum of the nodes' lengths, each number taking a value,
 * a gradient and for a leaf its data). A 16 MiB lesson could otherwise ask for millions of nodes, or of
 * samples through thousands of nodes, and many gigabytes; at these limits the diagram of the largest graph
 * is drawn in a few seconds and a few hundred MB (make bench).
 */
#define GRAPH_NODES_MAX 500000
#define GRAPH_NUMBERS_MAX 4194304

/*
 * One node. Read it through graph_node_at(); only the core writes it.
 *   value  the node's numbers after the last forward pass (rounded to the graph's precision)
 *   grad   ∂root/∂node after the last backward pass; for parameters and inputs it accumulates across
 *          backward passes until graph_zero_grad(), like PyTorch's .grad
 *   pass   ∂root/∂node from the last backward pass alone, the derivative itself. Backward computes it from
 *          zero and then adds it into a leaf's grad (.grad += it), as PyTorch does; for an operation node it
 *          is the same array as grad. The two differ only for a leaf whose grad was not zeroed.
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
    double *pass;
    double *data;
} graph_node;

typedef struct graph graph;

graph *graph_new(enum graph_precision precision);
void graph_free(graph *g);

enum graph_precision graph_precision(const graph *g);
void graph_set_precision(graph *g, enum graph_precision precision);

/* Leaves. Each returns the new node's id, or −1 when len < 1, memory runs out or the graph is at its limits
 * (graph_error says which). */
int graph_param(graph *g, const double *values, int len);
int graph_input(graph *g, const double *values, int len);
int graph_const(graph *g, double value);

/* An operation on one or two existing nodes (b = −1 for one). On success stores the new id in *out. */
enum graph_status graph_op(graph *g, enum graph_op op, int a, int b, int *out);
/* Why the last node could not be made: GRAPH_ENOMEM or GRAPH_ETOOBIG (GRAPH_OK before any failure). */
enum graph_status graph_error(const graph *g);

int graph_count(const graph *g);
const graph_node *graph_node_at(const graph *g, int id);

/* Change one stored number of a leaf (a parameter or an input). Values are stale until the next forward. */
void graph_set_data(graph *g, int id, int index, double v);

/*
 * Which nodes are worth computing: those the roots (the loss, the printed metric) are computed from.
 * graph_set_roots() marks them (b may be −1; a < 0 marks every node); graph_forward() then computes only
 * those, and graph_live() tells them. Until it is called, and for a node added after it, every node is live.
 */
void graph_set_roots(graph *g, int a, int b);
int graph_live(const graph *g, int id);

/* Evaluate every live node, in creation order. */
void graph_forward(graph *g);
/* Seed ∂root/∂root = 1 and propagate back. root must have length 1. Every node's pass is computed from
 * zero; a leaf's grad then accumulates it. Returns GRAPH_EARG when root is not a scalar node. */
enum graph_status graph_backward(graph *g, int root);
/*
 * The local gradient ∂node/∂input of operation node id with respect to its input k (0 or 1), at element i,
 * from the current values, rounded to the graph's precision: the number backward multiplies by. For sum
 * and mean, i indexes the input's elements. NAN when id, k or i is out of range or the input is absent.
 */
double graph_local_grad(const graph *g, int id, int k, int i);
/* How many elements operation node id's local gradients have: its input's length for a reduction, its
 * own otherwise; 0 for a leaf or an id out of range. */
int graph_local_len(const graph *g, int id);
/* What graph_sgd_step() would make of parameter id's element i: p − lr·p.grad, in the graph's precision. */
double graph_sgd_update(const graph *g, int id, int i, double lr);
/* Reset the leaves' gradients to 0 (optimizer.zero_grad()). An operation node's gradient needs no reset:
 * backward rewrites it for every node on its tape, and a node on no tape keeps 0. */
void graph_zero_grad(graph *g);
/* p ← p − lr·p.grad for every parameter element (optimizer.step()). */
void graph_sgd_step(graph *g, double lr);
/*
 * One training pass up to the step, PyTorch's loop body before optimizer.step(): optimizer.zero_grad()
 * when zero_grad is set, the forward pass, and loss.backward() from root (none when root < 0: a lesson
 * with no loss yet). An epoch is this pass and then graph_sgd_step(); --train runs both at once, the
 * walkthrough runs the pass when it enters an epoch and the step when it leaves it.
 */
enum graph_status graph_pass(graph *g, int root, int zero_grad);

/*
 * The compiled training step: graph_pass() (and graph_sgd_step()) for a loop that runs them epoch after
 * epoch and reads only what training reads. It is built from the same rows of graph_ops.def the first
 * time it runs and kept with the graph until the graph, its live nodes, its precision, root, shown or a
 * merged constant's numbers change; running it allocates nothing. Its numbers are graph_pass()'s to the
 * bit, for what it computes: the value of root and of shown (a metric; root's own when shown < 0), and
 * every parameter's pass and .grad (with with_inputs, every input's too: the walkthrough's snapshots keep
 * them), zero_grad on or off. It computes nothing else: every other node's value and gradient is
 * unspecified until the next graph_pass(), and an input's without with_inputs is left as it was. When root
 * is not a scalar node, when root, shown or what they are computed from is not live (graph_pass would
 * read a value it did not compute), or when memory for the step runs out, these are graph_pass() itself.
 *   graph_train_pass   the pass of an epoch, with or without zero_grad (the walkthrough's :train)
 *   graph_train_epoch  --train's epoch: zero_grad, the pass, the SGD step at lr; returns shown's value
 */
enum graph_status graph_train_pass(graph *g, int root, int shown, int zero_grad, int with_inputs);
double graph_train_epoch(graph *g, int root, int shown, double lr);

/*
 * Which nodes take part in the gradient, PyTorch's requires_grad.
 *   graph_from_param     id is a parameter or is computed from one (known as soon as the node exists).
 *   graph_requires_grad  that, and the last backward pass reached it: the nodes whose ∂root/∂node means
 *                        something. A node that only a metric uses is computed from the parameters, but no
 *                        gradient flows back into it. 0 for every node before a backward pass, and again
 *                        once a node is added.
 */
int graph_from_param(const graph *g, int id);
int graph_requires_grad(const graph *g, int id);

/*
 * What training changes, saved and put back: every parameter's stored numbers, and the gradients the
 * leaves accumulate (parameters' and inputs'; constants take none). The walkthrough keeps one snapshot per
 * epoch, so that stepping back is exact. graph_snapshot_size() is the number of doubles a snapshot needs.
 * After graph_restore() values are stale until the next forward pass; operation nodes' gradients are left
 * as they are, since backward rewrites them. graph_snapshot_grad() finds leaf id's gradient inside a
 * snapshot (NULL for a node that has none there).
 */
size_t graph_snapshot_size(const graph *g);
void graph_snapshot(const graph *g, double *s);
void graph_restore(graph *g, const double *s);
const double *graph_snapshot_grad(const graph *g, const double *s, int id);

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
/* How the diagram titles an unnamed node of this op ("+", "·", "σ", "Σ"). */
const char *graph_op_glyph(enum graph_op op);
int graph_op_arity(enum graph_op op);
enum graph_form graph_op_form(enum graph_op op);
int graph_op_precedence(enum graph_op op);
/* 1 for an operation that reduces its input to one number (sum, mean). */
int graph_op_reduces(enum graph_op op);
/* The blackboard text of op's local gradient with respect to input k, with %a, %b, %o and %n for the
 * inputs, the node and a reduction's length (see graph_ops.def); NULL when op has no input k. */
const char *graph_op_local_form(enum graph_op op, int k);
/* The operation a lesson's function name stands for, or −1. */
int graph_op_lookup(const char *name);
/* What went wrong, in English; the string is also a msgid of po/bptutor.pot, so the layer that shows it
 * translates it with _(). */
const char *graph_status_message(enum graph_status s);
const char *graph_precision_name(enum graph_precision p);
/* The precision named by "float64", "float32" or "mixed", or −1. */
int graph_precision_lookup(const char *name);

#endif
