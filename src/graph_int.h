/*
 * graph_int.h — what the core's two files share and no one else sees: graph.c (the graph, the per-node
 * passes that the walkthrough and --dump show node by node, snapshots) and graph_step.c (the compiled
 * training step that --train and whole epochs of the walkthrough run).
 *
 * graph.c uses graph_step.c (it frees the step a graph keeps, and falls back on its own passes when a step
 * cannot be built), never the other way round: what both need (the struct, the tape, the helpers the rows
 * of graph_ops.def call, the SGD update of one element) is here, as static inline functions.
 */
#ifndef BPTUTOR_GRAPH_INT_H
#define BPTUTOR_GRAPH_INT_H

#include <math.h>
#include <string.h>

#include "graph.h"

struct block {
    struct block *next;
    size_t used, size;
    double mem[]; /* doubles are all the arena ever holds */
};

struct graph_step;

struct graph {
    enum graph_precision precision;
    graph_node *node;
    int count, capacity;
    int *tape;    /* backward order, root first */
    int tape_len;
    int *stack;   /* depth-first search: node ids */
    char *state;  /* depth-first search: 0 unseen, 1 on the stack, 2 done; so after it, 2 marks the tape */
    char *from_param; /* per node: a parameter or computed from one */
    char *live;       /* per node: a root is computed from it (graph_set_roots); forward skips the rest */
    struct block *blocks;
    size_t numbers;   /* the nodes' lengths, summed: at most GRAPH_NUMBERS_MAX */
    enum graph_status error; /* why the last new_node failed */
    /* The compiled step built last (graph_step.c), and what it was built from: a step is valid while the
     * graph's shape, live nodes and precision are what `version` counted, and holds copies of the inputs
     * and constants while their numbers are what `data_version` counted. */
    struct graph_step *step;
    unsigned long version, data_version;
};

/*
 * Post-order depth-first search from the root, without recursion: a node goes on the tape only after
 * all of its inputs have. Reversed, that is an order in which every node's gradient is complete before
 * it is passed on, even when the node feeds several others (a pre-order walk gets that wrong). Both the
 * per-node backward and the compiled step walk this tape, so that each gradient adds its contributions
 * in the same order, to the bit.
 */
static inline void graph_build_tape(graph *g, int root)
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

/* The functions the rows of graph_ops.def call besides libm's. */
static inline double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

/* x^y, with the squares of every loss taken without a libm call. glibc's pow is correctly rounded, so
 * x·x and x are exactly what pow(x, 2) and pow(x, 1) return. */
static inline double power(double x, double y)
{
    return y == 2 ? x * x : y == 1 ? x : pow(x, y);
}

/* One element of the SGD step, p − lr·g, in the precision's arithmetic: a float parameter under FLOAT32;
 * under FLOAT64 and MIXED the stored parameter is a double. */
static inline double graph_update(enum graph_precision precision, double p, double g, double lr)
{
    if (precision == GRAPH_FLOAT32)
        return (float)((float)p - (float)((float)lr * (float)g));
    return p - lr * g;
}

/* graph_step.c: free a step (NULL is fine). */
void graph_step_free(struct graph_step *s);
/* graph_step.c, for the tests: what the step built last for g does, or all 0 when there is none.
 *   instructions  its instructions (kernels, K_END included)
 *   seeds         seed instructions (only for a root that is a kept leaf; otherwise the seed is a constant)
 *   from_r        instructions that read an operand from the register r (fuse)
 *   from_sum      reductions computed from a sum of the same input (shares_sum)
 *   pairs         sums of a tiled block run in one loop with a gradient's sum (pair_sums)
 *   folded        backward instructions whose gradient is the same every epoch, run once when built
 *   avx2          1 when the step runs the kernels built for AVX2
 * graph_step_use_avx2(0) makes the steps built after it run the kernels every processor has, (1) the AVX2
 * ones where the processor has them (the default); it returns whether the processor has them. */
struct graph_step_counts {
    int instructions, seeds, from_r, from_sum, pairs, folded, avx2;
};
struct graph_step_counts graph_step_counts(const graph *g);
int graph_step_use_avx2(int wanted);
/*
 * graph_step.c: the compiled step, built the first time and whenever the graph changed.
 *   graph_step_epoch  zero_grad, the pass from root (a scalar node), the SGD step at lr; returns the value
 *                     of node shown (root's when shown is not a node) from the pass, or, when there is no
 *                     step (graph.h says when), what per_node(g, root, shown, lr) returns
 *   graph_step_pass   the pass only, with or without zero_grad and the inputs' gradients: 0, or −1 with
 *                     nothing changed when there is no step
 */
double graph_step_epoch(graph *g, int root, int shown, double lr, double (*per_node)(graph *, int, int, double));
int graph_step_pass(graph *g, int root, int shown, int zero_grad, int with_inputs);

#endif
