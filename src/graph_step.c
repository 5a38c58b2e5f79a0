/*
 * graph_step.c — the compiled training step (see graph.h: graph_train_pass, graph_train_epoch).
 *
 * graph_pass() walks every node each epoch: an out-of-line call per node, leaves copied, every gradient
 * zeroed, strides worked out per element, gradients computed for inputs nobody trains. A training loop
 * runs the same graph thousands of times, so the step is compiled once into a list of instructions, each
 * an operation's forward or one local gradient's chain rule with everything resolved: the arrays it reads
 * and writes, its length, and a kernel specialised on the broadcast pattern (which operands are one number
 * and which one per element), on whether it is the first contribution to a gradient (then it writes
 * instead of adding to a zeroed array, which also makes the zeroing unnecessary) and on the precision.
 * Only the nodes the loss and the shown metric need are computed, and only the gradients that reach a
 * parameter (or an input, when asked).
 *
 * The kernels are generated from the rows of graph_ops.def, the same rows graph.c's passes expand, with
 * the same order of operations and the same rounding, so the numbers are the per-node path's to the bit:
 *   - a gradient adds its contributions in the order of the same tape (graph_build_tape);
 *   - a first contribution is written as 0 + x, as it was added to a zeroed array (so −0 becomes +0);
 *   - under FLOAT32 and MIXED the numbers are kept in float variables: every row computes in double and
 *     rounds once, as graph.c does, and the products and sums of the chain rule, which are single float
 *     operations, are done in float (a double holds a float product or sum exactly before its rounding,
 *     so float arithmetic is exactly what graph.c's double arithmetic followed by (float) gives).
 *
 * A long batch is run in tiles: the instructions of a block (elementwise operations on the batch, the
 * reductions that read them, and the backward instructions that follow while their upstream gradients are
 * already known) run one tile at a time, so that each elementwise chain is consumed by its reduction while
 * it is in the first-level cache, and the independent serial sums of a tile (the loss's, the metric's,
 * each broadcast parameter's gradient) overlap in the processor instead of running one after another over
 * the whole batch. Tiling keeps every sum's order: a block never holds two instructions that add into the
 * same number, nor one that reads a number another instruction of the block is still summing.
 *
 * Memory: built once per graph shape, precision, root, shown node and gradient set (graph_int.h keeps
 * the versions that say when); a run allocates nothing.
 */
#include "graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

/* Products and sums must round as written, whatever the compiler could fuse into one instruction. GCC
 * contracts nothing under -std=c11; clang needs to be told. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif
/* GCC at -O2 vectorises a loop only when it needs no remainder loop, and never moves a test of a loop
 * invariant (pow's exponent is 2) out of a loop; these kernels are all loops of that kind. Clang does both
 * at -O2. Neither reorders a sum or changes a rounding: that would take -ffast-math. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-loop-vectorize", "vect-cost-model=dynamic", "unswitch-loops")
#endif

/* ---------------------------------------------------------------- kernels, generated ----------- */

/*
 * How a kernel reads its operands: S one number (a length-1 operand, broadcast), V one number per element.
 *   elementwise op of two inputs:  SS (the output is one number), VV, SV (a is one number), VS (b is)
 *   elementwise op of one input:   SS or VV
 *   reduction:                     SS (its input is one number) or VV
 */
enum pattern { P_SS, P_VV, P_SV, P_VS, P_COUNT };

/* The kernels: one forward per op, pattern and precision; one backward per op, input, pattern, first or
 * adding, and precision. f is 1 for the float kernels of FLOAT32 and MIXED. */
#define FWD_KIND(op, pat, f) ((((int)(op)) * P_COUNT + (pat)) * 2 + (f))
#define FWD_KINDS (GRAPH_OP_COUNT * P_COUNT * 2)
#define BWD_KIND(op, k, pat, first, f) \
    (FWD_KINDS + (((((int)(op)) * 2 + (k)) * P_COUNT + (pat)) * 2 + (first)) * 2 + (f))
#define BWD_KINDS (GRAPH_OP_COUNT * 2 * P_COUNT * 2 * 2)
/* The seed ∂root/∂root = 1, first or added, double or float. */
#define SEED_KIND(first, f) (FWD_KINDS + BWD_KINDS + (first) * 2 + (f))

/*
 * One instruction. n is the number of elements it loops over: the node's length for an elementwise op, the
 * input's for a reduction. a, b, o: the inputs' and the node's values; g: the node's gradient (upstream);
 * t: what it writes (forward: the node's value, o; backward: the input's gradient).
 */
struct instr {
    unsigned short kind[2]; /* [zero_grad]: a leaf's first gradient adds to .grad unless it was zeroed */
    int n;
    const void *a, *b, *g;
    void *o, *t;
};

/* The rows' variables in a kernel: element i of the inputs, of the node and of the gradient from above,
 * each read in double as graph.c reads them; R rounds to the kernel's precision. sa, sb and su are the
 * strides (0 for one number, 1 for one per element), constants in each kernel. */
#define A ((double)a[i * sa])
#define B ((double)b[i * sb])
#define OUT ((double)o[i * su])
#define R(x) ((double)(num)(x))
#define S ((double)acc)

/* forward of an elementwise op over elements [LO, HI) */
#define FWD_EACH(num_t, fwd, SA, SB, LO, HI)                 \
    {                                                        \
        typedef num_t num;                                   \
        const num *a = in->a, *b = in->b;                    \
        num *o = in->o;                                      \
        const int sa = SA, sb = SB;                          \
        (void)b, (void)sb;                                   \
        for (int i = LO; i < HI; i++)                        \
            o[i] = (num)(fwd);                               \
    }
/* forward of a reduction over elements [LO, HI) of its input: the partial sum waits in the node's value
 * between tiles, added left to right and rounded at each step as graph.c adds it */
#define FWD_REDUCE(num_t, fwd, LO, HI)                       \
    {                                                        \
        typedef num_t num;                                   \
        const num *a = in->a;                                \
        num *o = in->o;                                      \
        const int N = in->n;                                 \
        num acc = LO == 0 ? 0 : o[0];                        \
        for (int i = LO; i < HI; i++)                        \
            acc = acc + a[i];                                \
        o[0] = HI == N ? (num)(fwd) : acc;                   \
    }
/*
 * backward: add local gradient × upstream gradient into the input's gradient t over elements [LO, HI),
 * or write it there when FIRST. ST is t's stride: 0 for an input of one number that was broadcast, whose
 * contributions add up, in order, in a register.
 */
#define BWD(num_t, local, SA, SB, SU, ST, FIRST, LO, HI)                   \
    {                                                                       \
        typedef num_t num;                                                  \
        const num *a = in->a, *b = in->b, *g = in->g, *o = in->o;           \
        num *t = in->t;                                                     \
        const int sa = SA, sb = SB, su = SU, N = in->n;                     \
        (void)a, (void)b, (void)o, (void)sa, (void)sb, (void)N;             \
        if (ST) {                                                           \
            for (int i = LO; i < HI; i++) {                                 \
                num p = (num)(local) * g[i * su];                           \
                t[i] = FIRST ? (num)0 + p : t[i] + p;                       \
            }                                                               \
        } else {                                                            \
            num acc = FIRST && LO == 0 ? (num)0 : t[0];                     \
            for (int i = LO; i < HI; i++)                                   \
                acc = acc + (num)(local) * g[i * su];                       \
            t[0] = acc;                                                     \
        }                                                                   \
    }

#define FWD_CASE(e, fwd, pat, SA, SB, LO, HI)                                        \
    case FWD_KIND(GRAPH_OP_##e, pat, 0): FWD_EACH(double, fwd, SA, SB, LO, HI) break; \
    case FWD_KIND(GRAPH_OP_##e, pat, 1): FWD_EACH(float, fwd, SA, SB, LO, HI) break;
#define RED_CASE(e, fwd, pat, LO, HI)                                                \
    case FWD_KIND(GRAPH_OP_##e, pat, 0): FWD_REDUCE(double, fwd, LO, HI) break;      \
    case FWD_KIND(GRAPH_OP_##e, pat, 1): FWD_REDUCE(float, fwd, LO, HI) break;
#define FWD_CASES_EACH_2(e, fwd)             \
    FWD_CASE(e, fwd, P_SS, 0, 0, 0, 1)       \
    FWD_CASE(e, fwd, P_VV, 1, 1, lo, hi)     \
    FWD_CASE(e, fwd, P_SV, 0, 1, lo, hi)     \
    FWD_CASE(e, fwd, P_VS, 1, 0, lo, hi)
#define FWD_CASES_EACH_1(e, fwd)             \
    FWD_CASE(e, fwd, P_SS, 0, 0, 0, 1)       \
    FWD_CASE(e, fwd, P_VV, 1, 0, lo, hi)
#define FWD_CASES_REDUCE_1(e, fwd)           \
    RED_CASE(e, fwd, P_SS, 0, 1)             \
    RED_CASE(e, fwd, P_VV, lo, hi)

#define BWD_CASE(e, k, local, pat, SA, SB, SU, ST, LO, HI)                                               \
    case BWD_KIND(GRAPH_OP_##e, k, pat, 0, 0): BWD(double, local, SA, SB, SU, ST, 0, LO, HI) break;      \
    case BWD_KIND(GRAPH_OP_##e, k, pat, 1, 0): BWD(double, local, SA, SB, SU, ST, 1, LO, HI) break;      \
    case BWD_KIND(GRAPH_OP_##e, k, pat, 0, 1): BWD(float, local, SA, SB, SU, ST, 0, LO, HI) break;       \
    case BWD_KIND(GRAPH_OP_##e, k, pat, 1, 1): BWD(float, local, SA, SB, SU, ST, 1, LO, HI) break;
/* the target's stride is its input's: in SV input a is one number, in VS input b */
#define BWD_CASES_EACH_2(e, da, db)                     \
    BWD_CASE(e, 0, da, P_SS, 0, 0, 0, 1, 0, 1)          \
    BWD_CASE(e, 0, da, P_VV, 1, 1, 1, 1, lo, hi)        \
    BWD_CASE(e, 0, da, P_SV, 0, 1, 1, 0, lo, hi)        \
    BWD_CASE(e, 0, da, P_VS, 1, 0, 1, 1, lo, hi)        \
    BWD_CASE(e, 1, db, P_SS, 0, 0, 0, 1, 0, 1)          \
    BWD_CASE(e, 1, db, P_VV, 1, 1, 1, 1, lo, hi)        \
    BWD_CASE(e, 1, db, P_SV, 0, 1, 1, 1, lo, hi)        \
    BWD_CASE(e, 1, db, P_VS, 1, 0, 1, 0, lo, hi)
#define BWD_CASES_EACH_1(e, da, db)                     \
    BWD_CASE(e, 0, da, P_SS, 0, 0, 0, 1, 0, 1)          \
    BWD_CASE(e, 0, da, P_VV, 1, 0, 1, 1, lo, hi)
/* a reduction's node and upstream gradient are one number; its input is one per element */
#define BWD_CASES_REDUCE_1(e, da, db)                   \
    BWD_CASE(e, 0, da, P_SS, 0, 0, 0, 1, 0, 1)          \
    BWD_CASE(e, 0, da, P_VV, 1, 0, 0, 1, lo, hi)

/*
 * Run instructions [in, end). Elementwise instructions and reductions run over elements [lo, hi) of their
 * own length when whole (lo = 0, hi = −1), else over that tile. Instructions on one number always run whole.
 */
static void run(const struct instr *in, const struct instr *end, int zero_grad, int lo_tile, int hi_tile)
{
    for (; in < end; in++) {
        const int lo = lo_tile, hi = hi_tile < 0 ? in->n : hi_tile;
        switch (in->kind[zero_grad]) {
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) \
    FWD_CASES_##shape##_##arity(e, fwd)                                             \
    BWD_CASES_##shape##_##arity(e, da, db)
#include "graph_ops.def"
        case SEED_KIND(0, 0): *(double *)in->t += 1.0; break;
        case SEED_KIND(1, 0): *(double *)in->t = 0.0 + 1.0; break;
        case SEED_KIND(0, 1): *(float *)in->t += 1.0f; break;
        case SEED_KIND(1, 1): *(float *)in->t = 0.0f + 1.0f; break;
        default: break;
        }
    }
}

#undef A
#undef B
#undef OUT
#undef R
#undef S

/* ---------------------------------------------------------------- the step --------------------- */

/* What an op row says about its shape, for choosing kernels. */
static const struct {
    int arity, reduces;
} op_shape[GRAPH_OP_COUNT] = {
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, ...) \
    [GRAPH_OP_##e] = { arity, SHAPE_IS_##shape },
#define SHAPE_IS_EACH 0
#define SHAPE_IS_REDUCE 1
#include "graph_ops.def"
#undef SHAPE_IS_EACH
#undef SHAPE_IS_REDUCE
};

/* A leaf whose gradient the step keeps: a parameter, or an input when asked. */
struct kept {
    int id, len;
    int reached; /* some instruction adds into its gradient (else zero_grad zeroes it, and that is all) */
    void *value, *grad; /* float: the step's float copies; double: the graph's own arrays */
};

/* A run of instructions: whole, or in tiles of TILE elements of a batch of n. */
struct span {
    int first, end; /* instructions [first, end) */
    int n;          /* 0: run whole */
};

/* Tiles: small enough that a tile of every array a block touches stays in the first-level cache and that
 * the processor overlaps one sum's tile with the next's, large enough to pay for the instruction loop. */
enum { TILE = 128, TILE_MIN_BATCH = 2 * TILE };

struct graph_step {
    unsigned long version, data_version;
    int root, shown, with_inputs;
    int f32; /* float kernels: FLOAT32 and MIXED */
    struct instr *code;
    int n_code;
    struct span *blocks;
    int n_blocks;
    struct kept *kept; /* parameters first, then inputs */
    int n_kept, n_params;
    /* float: the leaves' float copies to fill (parameters every run; inputs and constants when their
     * numbers change), and the root's and the shown node's values to hand back */
    int *copy;
    int n_copy;
    void **value; /* per node: its numbers in the step (float), or NULL */
    float *mem;
};

void graph_step_free(struct graph_step *s)
{
    if (!s)
        return;
    free(s->code);
    free(s->blocks);
    free(s->kept);
    free(s->copy);
    free(s->value);
    free(s->mem);
    free(s);
}

static enum pattern pattern_of(const graph *g, const graph_node *n)
{
    const graph_node *na = &g->node[n->src[0]];
    if (op_shape[n->op].reduces || op_shape[n->op].arity == 1)
        return (op_shape[n->op].reduces ? na->len : n->len) == 1 ? P_SS : P_VV;
    const graph_node *nb = &g->node[n->src[1]];
    if (n->len == 1)
        return P_SS;
    return na->len == 1 ? P_SV : nb->len == 1 ? P_VS : P_VV;
}

/* Fill the float copies of the leaves: every run for the parameters, which training changes; when the
 * step is built and after an input changed for the rest. */
static void copy_leaves(const graph *g, struct graph_step *s, int params_only)
{
    for (int k = 0; k < s->n_copy; k++) {
        const graph_node *n = &g->node[s->copy[k]];
        if (params_only && n->role != GRAPH_PARAM)
            continue;
        float *v = s->value[s->copy[k]];
        for (int i = 0; i < n->len; i++)
            v[i] = (float)n->data[i];
    }
}


/* ---------------------------------------------------------------- what a local gradient reads -- */

/* The rows' local gradients as written, to tell which of A, B and OUT each reads: a gradient that reads
 * none of a reduction's value can run in the same tiles as the reduction (the rows of sum and mean). */
static const char *const local_text[GRAPH_OP_COUNT][2] = {
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) [GRAPH_OP_##e] = { #da, #db },
#include "graph_ops.def"
};

/* Whether expression text uses the variable `var` (a whole word). */
static int reads(const char *text, const char *var)
{
    size_t n = strlen(var);
    for (const char *p = text; (p = strstr(p, var)) != NULL; p += n) {
        int before = p > text && (p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                  (p[-1] >= '0' && p[-1] <= '9'));
        char c = p[n];
        int after = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!before && !after)
            return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- building ---------------------- */

/* What the builder knows of each instruction, to cut the program into blocks. */
struct meta {
    int node;   /* the node computed, or the node whose gradient is passed on */
    int k;      /* backward: the input (0 or 1); −1 forward, −2 the seed */
    int target; /* backward: the input's node */
};

/*
 * Cut the program into blocks (see the top of the file). A tiled block holds instructions over the same
 * batch of at least TILE_MIN_BATCH elements; it ends before an instruction that reads a number a reduction
 * of the block is summing (a forward input, or a value its local gradient reads), before one whose upstream
 * gradient is one number the block is summing, and before one that would add into a one-number gradient
 * another instruction of the block adds into. The rest run whole, in order.
 */
static int make_blocks(const graph *g, struct graph_step *s, const struct meta *m, char *summed, char *gsummed)
{
    int nb = 0;
    for (int k = 0; k < s->n_code;) {
        int n = s->code[k].n, end = k;
        if (n >= TILE_MIN_BATCH && m[k].k != -2) {
            memset(summed, 0, (size_t)g->count);
            memset(gsummed, 0, (size_t)g->count);
            for (; end < s->n_code && s->code[end].n == n && m[end].k != -2; end++) {
                const graph_node *nd = &g->node[m[end].node];
                if (m[end].k == -1) {
                    if (summed[nd->src[0]] || (nd->src[1] >= 0 && summed[nd->src[1]]))
                        break;
                    if (op_shape[nd->op].reduces)
                        summed[m[end].node] = 1;
                    continue;
                }
                const char *text = local_text[nd->op][m[end].k];
                if ((reads(text, "A") && summed[nd->src[0]]) || (reads(text, "B") && summed[nd->src[1]]) ||
                    (reads(text, "OUT") && summed[m[end].node]) || gsummed[m[end].node])
                    break;
                int t = m[end].target;
                if (g->node[t].len == 1) {
                    if (gsummed[t])
                        break;
                    gsummed[t] = 1;
                }
            }
        }
        if (end > k) {
            s->blocks[nb++] = (struct span){ k, end, n };
        } else { /* whole instructions, as many as come before the next block */
            for (end = k + 1; end < s->n_code && (s->code[end].n < TILE_MIN_BATCH || m[end].k == -2); end++)
                ;
            s->blocks[nb++] = (struct span){ k, end, 0 };
        }
        k = end;
    }
    return nb;
}

static struct graph_step *build(graph *g, int root, int shown, int with_inputs)
{
    const int count = g->count, f32 = g->precision != GRAPH_FLOAT64;
    struct graph_step *s = calloc(1, sizeof *s);
    char *need = calloc((size_t)count, 5); /* need, grad, written, and two for make_blocks */
    struct meta *m = NULL;
    if (!s || !need)
        goto fail;
    char *grad = need + count, *written = grad + count;
    s->version = g->version;
    s->data_version = g->data_version;
    s->root = root;
    s->shown = shown;
    s->with_inputs = with_inputs;
    s->f32 = f32;

    graph_build_tape(g, root);
    /* forward: what the root and the shown node are computed from */
    need[root] = need[shown] = 1;
    for (int id = count - 1; id >= 0; id--)
        if (need[id] && g->node[id].op != GRAPH_OP_LEAF)
            for (int k = 0; k < 2; k++)
                if (g->node[id].src[k] >= 0)
                    need[g->node[id].src[k]] = 1;
    /* backward: the nodes on the tape that lead to a gradient kept */
    int n_code = 1, n_kept = 0;
    for (int id = 0; id < count; id++) {
        const graph_node *n = &g->node[id];
        int keeps = n->role == GRAPH_PARAM || (with_inputs && n->role == GRAPH_INPUT);
        if (n->op == GRAPH_OP_LEAF) {
            n_kept += keeps;
            grad[id] = keeps && g->state[id] == 2;
            continue;
        }
        grad[id] = g->state[id] == 2 && (grad[n->src[0]] || (n->src[1] >= 0 && grad[n->src[1]]));
        n_code += need[id] + 2 * grad[id];
    }

    /* where the numbers are: the graph's own arrays in float64, float copies otherwise */
    s->value = calloc((size_t)count, 2 * sizeof *s->value);
    void **gradp = s->value + count;
    s->code = malloc((size_t)n_code * sizeof *s->code);
    m = malloc((size_t)n_code * sizeof *m);
    s->blocks = malloc((size_t)n_code * sizeof *s->blocks);
    s->kept = malloc(((size_t)n_kept + 1) * sizeof *s->kept);
    s->copy = malloc(((size_t)count + 1) * sizeof *s->copy);
    if (!s->value || !s->code || !m || !s->blocks || !s->kept || !s->copy)
        goto fail;
    if (f32) {
        size_t floats = 0;
        for (int id = 0; id < count; id++)
            floats += (size_t)g->node[id].len * ((size_t)need[id] + (size_t)grad[id]);
        s->mem = malloc((floats + 1) * sizeof *s->mem);
        if (!s->mem)
            goto fail;
        float *p = s->mem;
        for (int id = 0; id < count; id++) {
            const graph_node *n = &g->node[id];
            if (need[id]) {
                s->value[id] = p, p += n->len;
                if (n->op == GRAPH_OP_LEAF)
                    s->copy[s->n_copy++] = id;
            }
            if (grad[id])
                gradp[id] = p, p += n->len;
        }
        copy_leaves(g, s, 0);
    } else {
        for (int id = 0; id < count; id++) {
            graph_node *n = &g->node[id];
            s->value[id] = n->op == GRAPH_OP_LEAF ? n->data : n->value;
            gradp[id] = n->grad;
        }
    }

    /* the program: the seed, forward in creation order, backward in tape order */
    int c = 0;
    if (grad[root]) {
        int leaf = g->node[root].op == GRAPH_OP_LEAF;
        s->code[c] = (struct instr){ { (unsigned short)SEED_KIND(!leaf, f32), (unsigned short)SEED_KIND(1, f32) }, 1,
                                     NULL, NULL, NULL, NULL, gradp[root] };
        m[c++] = (struct meta){ root, -2, root };
        written[root] = 1;
    }
    for (int id = 0; id < count; id++) {
        const graph_node *n = &g->node[id];
        if (!need[id] || n->op == GRAPH_OP_LEAF)
            continue;
        int kind = FWD_KIND(n->op, pattern_of(g, n), f32);
        int len = op_shape[n->op].reduces ? g->node[n->src[0]].len : n->len;
        s->code[c] = (struct instr){ { (unsigned short)kind, (unsigned short)kind }, len, s->value[n->src[0]],
                                     n->src[1] >= 0 ? s->value[n->src[1]] : NULL, NULL, s->value[id], NULL };
        m[c++] = (struct meta){ id, -1, id };
    }
    for (int t = 0; t < g->tape_len; t++) {
        int id = g->tape[t];
        const graph_node *n = &g->node[id];
        if (n->op == GRAPH_OP_LEAF || !grad[id])
            continue;
        enum pattern pat = pattern_of(g, n);
        int len = op_shape[n->op].reduces ? g->node[n->src[0]].len : n->len;
        for (int k = 0; k < op_shape[n->op].arity; k++) {
            int to = n->src[k];
            if (!grad[to])
                continue;
            int leaf = g->node[to].op == GRAPH_OP_LEAF, first = !written[to];
            written[to] = 1;
            s->code[c] = (struct instr){ { (unsigned short)BWD_KIND(n->op, k, pat, first && !leaf, f32),
                                           (unsigned short)BWD_KIND(n->op, k, pat, first, f32) },
                                         len, s->value[n->src[0]], n->src[1] >= 0 ? s->value[n->src[1]] : NULL,
                                         gradp[id], s->value[id], gradp[to] };
            m[c++] = (struct meta){ id, k, to };
        }
    }
    s->n_code = c;

    /* the leaves whose gradients the step keeps: parameters, then inputs */
    for (int pass = 0; pass < 2; pass++)
        for (int id = 0; id < count; id++) {
            const graph_node *n = &g->node[id];
            if (n->op != GRAPH_OP_LEAF || n->role != (pass ? GRAPH_INPUT : GRAPH_PARAM) || (pass && !with_inputs))
                continue;
            s->kept[s->n_kept++] = (struct kept){ id, n->len, written[id], s->value[id], gradp[id] };
            s->n_params += !pass;
        }
    s->n_blocks = make_blocks(g, s, m, written + count, written + 2 * count);
    free(need);
    free(m);
    return s;
fail:
    free(need);
    free(m);
    graph_step_free(s);
    return NULL;
}

/* ---------------------------------------------------------------- running ----------------------- */

/* Whether every gradient the float step adds to is a float: graph.c adds to the double it finds and rounds
 * the sum, which is a float addition only when that double is a float (it may not be after a float64 pass). */
static int float_grads(const graph *g, const struct graph_step *s)
{
    for (int k = 0; k < s->n_kept; k++) {
        const double *gd = g->node[s->kept[k].id].grad;
        for (int i = 0; i < s->kept[k].len; i++)
            if ((double)(float)gd[i] != gd[i] && !isnan(gd[i]))
                return 0;
    }
    return 1;
}

int graph_step_run(graph *g, int root, int shown, int zero_grad, int with_inputs, const double *lr,
                   double *shown_value)
{
    struct graph_step *s = g->step;
    if (!s || s->version != g->version || s->root != root || s->shown != shown || s->with_inputs != with_inputs) {
        graph_step_free(s);
        g->step = s = build(g, root, shown, with_inputs);
        if (!s)
            return -1;
    } else if (s->data_version != g->data_version) {
        if (s->f32)
            copy_leaves(g, s, 0);
        s->data_version = g->data_version;
    }
    zero_grad = !!zero_grad;
    if (s->f32 && !zero_grad && !float_grads(g, s))
        return -1;

    /* the leaves: the parameters' float copies; the kept gradients zeroed, or read to be added to */
    if (s->f32)
        copy_leaves(g, s, 1);
    for (int k = 0; k < s->n_kept; k++) {
        const struct kept *kp = &s->kept[k];
        double *gd = g->node[kp->id].grad;
        if (!kp->reached) {
            if (zero_grad)
                for (int i = 0; i < kp->len; i++)
                    gd[i] = 0;
        } else if (s->f32 && !zero_grad) {
            float *gf = kp->grad;
            for (int i = 0; i < kp->len; i++)
                gf[i] = (float)gd[i];
        }
    }

    for (int b = 0; b < s->n_blocks; b++) {
        const struct span *bl = &s->blocks[b];
        if (!bl->n) {
            run(s->code + bl->first, s->code + bl->end, zero_grad, 0, -1);
            continue;
        }
        for (int lo = 0; lo < bl->n; lo += TILE)
            run(s->code + bl->first, s->code + bl->end, zero_grad, lo, lo + TILE < bl->n ? lo + TILE : bl->n);
    }

    /* what the pass hands back: the root's and the shown node's values, the kept gradients */
    int out[2] = { root, shown };
    for (int k = 0; k < 2; k++) {
        graph_node *n = &g->node[out[k]];
        if (s->f32) {
            const float *v = s->value[out[k]];
            for (int i = 0; i < n->len; i++)
                n->value[i] = v[i];
        } else if (n->op == GRAPH_OP_LEAF) {
            for (int i = 0; i < n->len; i++)
                n->value[i] = n->data[i];
        }
    }
    if (s->f32)
        for (int k = 0; k < s->n_kept; k++) {
            const struct kept *kp = &s->kept[k];
            if (!kp->reached)
                continue;
            const float *gf = kp->grad;
            double *gd = g->node[kp->id].grad;
            for (int i = 0; i < kp->len; i++)
                gd[i] = gf[i];
        }
    *shown_value = g->node[shown].value[0];

    if (lr)
        for (int k = 0; k < s->n_params; k++) {
            graph_node *n = &g->node[s->kept[k].id];
            for (int i = 0; i < n->len; i++)
                n->data[i] = graph_update(g->precision, n->data[i], n->grad[i], *lr);
        }
    return 0;
}
