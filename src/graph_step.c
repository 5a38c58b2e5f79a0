/*
 * graph_step.c — the compiled training step (see graph.h: graph_train_pass, graph_train_epoch).
 *
 * graph_pass() walks every node each epoch: an out-of-line call per node, leaves copied, every gradient
 * zeroed, strides worked out per element, gradients computed for inputs nobody trains. A training loop
 * runs the same graph thousands of times, so the step is compiled once into a list of instructions, each
 * an operation's forward or one local gradient's chain rule with everything resolved: the arrays it reads
 * and writes, its length, and a kernel specialised on the broadcast pattern (which operands are one number
 * and which one per element) and on the precision. Only the nodes the loss and the shown metric need are
 * computed (never a node graph_pass() would not compute: the step is built only where both are live), a
 * node computed exactly like an earlier one is that one, and only the gradients that reach a parameter (or
 * an input, when asked) are computed; a gradient that only passes through an addition is its consumer's
 * array. The kernels jump straight from one to the next (labels as values, or a switch where the compiler
 * has none), and the copies around them (float images of the parameters, values handed back), each kept
 * leaf's .grad and the SGD step are instructions of the same run.
 *
 * The kernels are generated from the rows of graph_ops.def, the same rows graph.c's passes expand, with
 * the same order of operations and the same rounding, so the numbers are the per-node path's to the bit:
 *   - a gradient of this pass (graph.h: pass) adds its contributions in the order of the same tape
 *     (graph_build_tape), and its first contribution is written as 0 + x, as graph.c adds it to a zeroed
 *     array (so −0 becomes +0: a pass gradient is never −0);
 *   - a kept leaf's .grad then takes the pass in one addition, rounded once, as graph.c adds it; after
 *     zero_grad that addition is 0 + pass, which is the pass itself (never −0), so it is copied;
 *   - under FLOAT32 and MIXED the numbers are kept in float variables: every row computes in double and
 *     rounds once, as graph.c does, and the products and sums of the chain rule, which are single float
 *     operations, are done in float (a double holds a float product or sum exactly before its rounding,
 *     so float arithmetic is exactly what graph.c's double arithmetic followed by (float) gives). .grad
 *     stays a double (it may be one from a float64 pass), added to in double and then rounded, as graph.c
 *     does.
 *
 * A long batch is run in tiles: the instructions of a block (elementwise operations on the batch, the
 * reductions that read them, and the backward instructions that follow while their upstream gradients are
 * already known) run one tile at a time, so that each elementwise chain is consumed by its reduction while
 * it is in the first-level cache, and the independent serial sums of a tile (the loss's, the metric's,
 * each broadcast parameter's gradient) overlap in the processor instead of running one after another over
 * the whole batch. Tiling keeps every sum's order: a block never holds two instructions that add into the
 * same number, nor one that reads a number another instruction of the block is still summing.
 *
 * Fusions, each chosen while building and each keeping every number and every sum's order as it was:
 *   - the seed is a constant 1 the first backward instructions read (an instruction only for a root that
 *     is a kept leaf, whose pass must hold it);
 *   - the register r: a kernel whose result is one number leaves it in r, and the next instruction of the
 *     run, when it reads that number, has the kernel that takes it from r (fuse()), so that a scalar chain
 *     (lesson 01) does not wait for a store and a load at every link;
 *   - a reduction of an input that a sum also reduces is the row's forward of that sum (shares_sum());
 *   - in a tiled block the serial sums come last, side by side (sums_last()), and a sum with the gradient's
 *     sum after it run in one loop (pair_sums()), as a hand-written loop runs them;
 *   - a gradient that is the same every epoch (the loss's sum or mean gives each element of its input 1 or
 *     1/N) is computed once, when the step is built (folds()).
 * The fused kernels are generated from the same rows; graph_step_counts() tells the tests which were made.
 * The kernels are in graph_step_kernels.h, compiled twice: for every processor here, and for AVX2 in
 * graph_step_avx2.c, whose elementwise loops are twice as wide; a step over a batch runs those where the
 * processor has them (kernels()). Both give the same numbers to the bit.
 *
 * Memory: built once per graph shape, live set, precision, root, shown node and gradient set (graph_int.h
 * keeps the versions that say when); a run allocates nothing.
 */
#include "graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

#define STEP_RUN run
#define STEP_RUN_TILES run_tiles
#define STEP_LINKAGE static
#include "graph_step_kernels.h"

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

/* A run of instructions: whole, or in tiles of TILE elements of a batch of n. */
struct span {
    int first, end; /* instructions [first, end), and a K_END after them */
    int n;          /* 0: run whole */
};

/* Tiles: small enough that a tile of every array a block touches stays in the first-level cache and that
 * the processor overlaps one sum's tile with the next's, large enough to pay for the instruction loop. */
enum { TILE = 128, TILE_MIN_BATCH = 2 * TILE };

/* Numbers the step copies from `from` to `to` when the graph says they changed: n of them. */
struct copy {
    const double *from;
    float *to;
    int n;
};

struct graph_step {
    unsigned long version, data_version;
    int key_root, key_shown, with_inputs; /* as asked for (shown may be −1) */
    int none;   /* there is no step for these arguments (see rebuild) */
    int merged; /* equal constants were merged: a change of numbers means a new step */
    int f32;    /* float kernels: FLOAT32 and MIXED */
    /* graph_step_epoch's fast path: quick, a step that is one run without the inputs' gradients; watch_data,
     * one that must see the graph's data_version (merged constants or float copies) */
    int quick, watch_data;
    struct graph_step_counts counts; /* for the tests */
    struct instr *code;
    int n_code;
    /* The runs: the prologue at code[0], each span, the epilogue at code[epi]; when single, all of them
     * one run from code[0] (one span to run whole). */
    int single, epi;
    struct span *spans;
    int n_spans;
    /* float: each input and constant into its float copy (when the graph says they changed) */
    struct copy *leaves;
    int n_leaves;
    float *mem; /* float: the numbers and gradients of the step */
    double **folded; /* float64: the gradients folded (see fold), each its own array */
    int n_folded;
    step_run_fn *run, *run_tiles; /* the kernels: AVX2's or every processor's (see kernels()) */
};

struct graph_step_counts graph_step_counts(const graph *g)
{
    struct graph_step_counts none = { 0, 0, 0, 0, 0, 0, 0 };
    return g->step && !g->step->none ? g->step->counts : none;
}

void graph_step_free(struct graph_step *s)
{
    if (!s)
        return;
    free(s->code);
    free(s->spans);
    free(s->leaves);
    free(s->mem);
    for (int k = 0; k < s->n_folded; k++)
        free(s->folded[k]);
    free(s->folded);
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

static void copy_to_float(const struct copy *c, int n)
{
    for (int k = 0; k < n; k++)
        for (int i = 0; i < c[k].n; i++)
            c[k].to[i] = (float)c[k].from[i];
}

/* ---------------------------------------------------------------- what a local gradient reads -- */

/* The rows' local gradients as written, to tell which of A, B and OUT each reads: a gradient that reads
 * none of a reduction's value can run in the same tiles as the reduction (the rows of sum and mean). */
static const char *const local_text[GRAPH_OP_COUNT][2] = {
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) [GRAPH_OP_##e] = { #da, #db },
#include "graph_ops.def"
};
/* and their forward (a sum's is S) */
static const char *const fwd_text[GRAPH_OP_COUNT] = {
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, ...) [GRAPH_OP_##e] = #fwd,
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
    int k;      /* backward: the input (0 or 1); −1 forward, −2 the seed, −3 a reduction from a sum (both whole) */
    int target; /* backward: the input's node */
};

/*
 * Cut the program into blocks (see the top of the file). A tiled block holds instructions over the same
 * batch of at least TILE_MIN_BATCH elements; it ends before an instruction that reads a number a reduction
 * of the block is summing (a forward input, or a value its local gradient reads), before one whose upstream
 * gradient is one number the block is summing, and before one that would add into a one-number gradient
 * another instruction of the block adds into. The rest run whole, in order.
 */
static int make_spans(const graph *g, struct graph_step *s, const struct meta *m, char *summed, char *gsummed)
{
    int nb = 0;
    for (int k = 0; k < s->n_code;) {
        int n = (int)s->code[k].n, end = k;
        if (n >= TILE_MIN_BATCH && m[k].k > -2) {
            memset(summed, 0, (size_t)g->count);
            memset(gsummed, 0, (size_t)g->count);
            for (; end < s->n_code && (int)s->code[end].n == n && m[end].k > -2; end++) {
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
            s->spans[nb++] = (struct span){ k, end, n };
        } else { /* whole instructions, as many as come before the next block */
            for (end = k + 1; end < s->n_code && ((int)s->code[end].n < TILE_MIN_BATCH || m[end].k <= -2); end++)
                ;
            s->spans[nb++] = (struct span){ k, end, 0 };
        }
        k = end;
    }
    return nb;
}

/*
 * In each tiled block, the serial sums last: the reductions, and the backward instructions into a gradient of
 * one number (a broadcast parameter's), each kept in its order, after the elementwise instructions. A
 * block's sums are independent of each other (make_spans ends a block before an instruction that reads a
 * number the block sums), so their loops, side by side, overlap in the processor, and with the next tile's
 * elementwise work, as the hand loop's two sums do in one loop. Moving them is safe: nothing after them in
 * the block reads what they write, and nothing in the block writes what they read (a value is written once,
 * a gradient is complete before its node's backward instructions). 0, or −1 when memory runs out.
 */
static int sums_last(const graph *g, struct graph_step *s, struct meta *m)
{
    int most = 0;
    for (int k = 0; k < s->n_spans; k++)
        if (s->spans[k].n && s->spans[k].end - s->spans[k].first > most)
            most = s->spans[k].end - s->spans[k].first;
    if (!most)
        return 0;
    struct instr *tmp = malloc((size_t)most * sizeof *tmp);
    struct meta *tmp_m = malloc((size_t)most * sizeof *tmp_m);
    if (!tmp || !tmp_m) {
        free(tmp);
        free(tmp_m);
        return -1;
    }
    for (int k = 0; k < s->n_spans; k++) {
        const struct span *sp = &s->spans[k];
        if (!sp->n)
            continue;
        int t = 0;
        for (int serial = 0; serial < 2; serial++)
            for (int i = sp->first; i < sp->end; i++) {
                int is = m[i].k == -1 ? op_shape[g->node[m[i].node].op].reduces : g->node[m[i].target].len == 1;
                if (is == serial)
                    tmp[t] = s->code[i], tmp_m[t++] = m[i];
            }
        memcpy(s->code + sp->first, tmp, (size_t)t * sizeof *tmp);
        memcpy(m + sp->first, tmp_m, (size_t)t * sizeof *tmp_m);
    }
    free(tmp);
    free(tmp_m);
    return 0;
}

/*
 * In each tiled block, a sum followed by a backward instruction into a gradient of one number (sums_last
 * put them side by side) run as one instruction, one loop (PAIR). The backward instruction stays in the
 * list, after the pair, which skips it.
 */
static void pair_sums(const graph *g, struct graph_step *s, const struct meta *m)
{
    for (int k = 0; k < s->n_spans; k++) {
        const struct span *sp = &s->spans[k];
        if (!sp->n)
            continue;
        for (int i = sp->first; i + 1 < sp->end; i++) {
            const graph_node *r = &g->node[m[i].node], *b = &g->node[m[i + 1].node];
            if (m[i].k != -1 || !op_shape[r->op].reduces || strcmp(fwd_text[r->op], "S") != 0 || m[i + 1].k < 0 ||
                g->node[m[i + 1].target].len != 1 || op_shape[b->op].arity != 2 || op_shape[b->op].reduces)
                continue;
            enum pattern pat = pattern_of(g, b);
            int kk = m[i + 1].k;
            if ((kk == 0 && pat == P_SV) || (kk == 1 && pat == P_VS)) {
                s->code[i].op = PAIR_KIND(b->op, kk, s->f32);
                i++;
            }
        }
    }
}

/*
 * Nodes computed alike: same[id] is the first node computed exactly as node id is (the same op of the
 * same inputs, or a constant of the same numbers), else id itself. Such a node's value is that node's
 * value, to the bit, so the step computes it once (the metric mean(s^2) and the loss sum(s^2) square s
 * once). Gradients stay per node. The root and the shown node are never merged away, so that their own
 * values are written. *merged says whether constants were merged (their numbers may change). 0, or −1.
 */
static int merge_equal_nodes(const graph *g, int root, int shown, int *same, int *merged)
{
    const int count = g->count;
    size_t size = 16;
    while (size < 2 * (size_t)count)
        size *= 2;
    int *table = malloc(size * sizeof *table);
    if (!table)
        return -1;
    memset(table, -1, size * sizeof *table);
    *merged = 0;
    for (int id = 0; id < count; id++) {
        const graph_node *n = &g->node[id];
        same[id] = id;
        if (n->op == GRAPH_OP_LEAF && n->role != GRAPH_CONST)
            continue;
        int s0 = n->src[0] >= 0 ? same[n->src[0]] : -1, s1 = n->src[1] >= 0 ? same[n->src[1]] : -1;
        size_t h = n->op == GRAPH_OP_LEAF ? (size_t)n->len * 2654435761u
                                           : ((size_t)n->op * 40503u) ^ ((size_t)s0 * 2654435761u) ^ ((size_t)s1 * 97u);
        if (n->op == GRAPH_OP_LEAF)
            for (int i = 0; i < n->len; i++) {
                unsigned long long bits;
                memcpy(&bits, &n->data[i], sizeof bits);
                h = h * 31 + (size_t)(bits ^ (bits >> 29));
            }
        for (size_t k = h & (size - 1);; k = (k + 1) & (size - 1)) {
            int o = table[k];
            if (o < 0) {
                table[k] = id;
                break;
            }
            const graph_node *m = &g->node[o];
            int alike = m->op == n->op && m->len == n->len &&
                        (n->op == GRAPH_OP_LEAF ? memcmp(m->data, n->data, (size_t)n->len * sizeof *n->data) == 0
                                                : same[m->src[0]] == s0 && (m->src[1] >= 0 ? same[m->src[1]] : -1) == s1);
            if (alike) {
                if (id != root && id != shown) {
                    same[id] = o;
                    *merged |= n->op == GRAPH_OP_LEAF;
                }
                break;
            }
        }
    }
    free(table);
    return 0;
}

/*
 * The register r: within one run, a kernel on one number reads the number the instruction just before it
 * wrote from r rather than from memory, so that a chain of scalar instructions (lesson 01's w·x − y, its
 * square, the square's gradient, w's gradient, w's .grad and step) does not wait for a store and a load at
 * every link. Every kernel whose result is one number leaves that number in r (forward on one number, a
 * reduction, a backward instruction into a gradient of one number); fuse() gives the next instruction the
 * kernel that takes that operand from r (forward: a or b; backward: the upstream gradient; a kept leaf of
 * one number: its pass). The number is still stored, since others may read it. It is the same number, so
 * nothing changes but where it is read from. Only whole runs: a tiled span's instructions do not run one
 * after another over the whole of their operands.
 */
static const void *scalar_out(const struct instr *in)
{
    int kind = in->op;
    if (kind < FWD_KINDS) {
        int op = kind / 2 / P_COUNT, pat = kind / 2 % P_COUNT;
        return op_shape[op].reduces || pat == P_SS ? in->o : NULL;
    }
    if (kind < FWD_KINDS + BWD_KINDS) {
        int b = kind - FWD_KINDS, pat = b / 2 % P_COUNT, k = b / 2 / P_COUNT % 2;
        return pat == P_SS || (pat == P_SV && k == 0) || (pat == P_VS && k == 1) ? in->t : NULL;
    }
    if (kind >= SEED_KIND(0) + 2 && kind < SEED_KIND(0) + 2 + FWDR_KINDS)
        return in->o;
    if (kind >= SEED_KIND(0) + 2 + FWDR_KINDS && kind < SEED_KIND(0) + 2 + FWDR_KINDS + BWDR_KINDS)
        return in->t;
    if (kind >= RS_KIND(0, 0) && kind < RS_KIND(0, 0) + RS_KINDS)
        return in->o;
    return NULL;
}

/* The kernel that takes an operand of in from r, given that r holds the number at out; else in's own. */
static int from_r(const struct instr *in, const void *out)
{
    int kind = in->op;
    if (kind < FWD_KINDS) {
        int op = kind / 2 / P_COUNT, pat = kind / 2 % P_COUNT, f = kind % 2;
        if (pat != P_SS)
            return kind;
        if (in->a == out)
            return FWDR_KIND(op, 0, f);
        if (op_shape[op].arity == 2 && !op_shape[op].reduces && in->b == out)
            return FWDR_KIND(op, 1, f);
        return kind;
    }
    if (kind < FWD_KINDS + BWD_KINDS) {
        int b = kind - FWD_KINDS, f = b % 2, pat = b / 2 % P_COUNT, k = b / 2 / P_COUNT % 2, op = b / 2 / P_COUNT / 2;
        return pat == P_SS && in->g == out ? BWDR_KIND(op, k, f) : kind;
    }
    if ((kind == K_LEAF_64 || kind == K_LEAF_32 || kind == K_LEAF_MIXED) && in->n == 1 && in->a == out)
        return kind + (K_LEAF_64_R - K_LEAF_64);
    return kind;
}

/* Give code[first … end), a run of whole instructions, the kernels that read r (see scalar_out); returns
 * how many. */
static int fuse(struct instr *code, int first, int end)
{
    int fused = 0;
    for (int k = first + 1; k < end; k++) {
        const void *out = scalar_out(&code[k - 1]);
        int was = code[k].op;
        if (out)
            code[k].op = from_r(&code[k], out);
        fused += code[k].op != was;
    }
    return fused;
}

/*
 * Reductions that share their sum. Every reduction's row reads its input through S, the sum added left to
 * right and rounded at each step, and a sum's value is that S (its row's forward is S), to the bit. So a
 * reduction of an input that a sum also reduces (the metric mean(s^2) beside the loss sum(s^2)) is its row's
 * forward of the sum's value, without a second pass over the batch: one serial chain less. sums[x] is the
 * first sum of node x the step computes, or −1; read[id] says whether a node the step computes reads id.
 */
static void shares_sum(const graph *g, const char *need, const int *same, char *read, int *sums)
{
    for (int id = 0; id < g->count; id++)
        sums[id] = -1;
    for (int id = 0; id < g->count; id++) {
        const graph_node *n = &g->node[id];
        if (!need[id] || n->op == GRAPH_OP_LEAF || same[id] != id)
            continue;
        for (int k = 0; k < 2; k++)
            if (n->src[k] >= 0)
                read[same[n->src[k]]] = 1;
        if (op_shape[n->op].reduces && strcmp(fwd_text[n->op], "S") == 0 && sums[same[n->src[0]]] < 0)
            sums[same[n->src[0]]] = id;
    }
}

/*
 * The forward instructions, in creation order (pass 0), and after backward (pass 1) the reductions from a
 * sum that nothing reads (nor their own local gradient): those read the sum's value, so they wait for the
 * whole of it, and after backward they do not cut the batch's tiled block in two. A sum another reduction
 * reads runs before it.
 */
static void emit_forward(const graph *g, struct graph_step *s, struct meta *m, int *c, void *const *value,
                         const char *need, const char *grad, const int *same, const char *read, char *emitted,
                         const int *sums, int f32, int pass)
{
    for (int id = 0; id < g->count; id++) {
        const graph_node *n = &g->node[id];
        if (!need[id] || n->op == GRAPH_OP_LEAF || same[id] != id || emitted[id])
            continue;
        int donor = op_shape[n->op].reduces ? sums[same[n->src[0]]] : -1;
        int len = op_shape[n->op].reduces ? g->node[n->src[0]].len : n->len;
        if (donor >= 0 && donor != id) {
            int defer = !read[id] && !(grad[id] && reads(local_text[n->op][0], "OUT"));
            if (defer != pass)
                continue;
            if (!emitted[donor]) {
                const graph_node *d = &g->node[donor];
                s->code[*c] = (struct instr){ .op = FWD_KIND(d->op, pattern_of(g, d), f32), .n = (unsigned)len,
                                              .a = value[d->src[0]], .o = value[donor] };
                m[(*c)++] = (struct meta){ donor, -1, donor };
                emitted[donor] = 1;
            }
            s->code[*c] = (struct instr){ .op = RS_KIND(n->op, f32), .n = (unsigned)len, .b = value[donor],
                                          .o = value[id] };
            m[(*c)++] = (struct meta){ id, -3, id };
            emitted[id] = 1;
            continue;
        }
        if (pass)
            continue;
        s->code[*c] = (struct instr){ .op = FWD_KIND(n->op, pattern_of(g, n), f32), .n = (unsigned)len,
                                      .a = value[n->src[0]], .b = value[n->src[n->src[1] >= 0]],
                                      .o = value[id] };
        m[(*c)++] = (struct meta){ id, -1, id };
        emitted[id] = 1;
    }
}

/*
 * Folding: a backward instruction whose upstream gradient is the same every epoch (the seed, or a gradient
 * folded before it) and whose local gradient reads none of the numbers (A, B, OUT: sum's 1, mean's 1/N, the
 * 1 and −1 of an addition and a subtraction) writes the same numbers every epoch: the loss's sum or mean
 * gives each element of its input ∂loss/∂element = 1 or 1/N. When it is the only contribution to its
 * gradient, it runs once, when the step is built, with the same kernel (so the same bits), and every epoch
 * reads what it wrote. A batch of 1000 then has one loop over the batch less per epoch.
 */
static int folds(const graph_node *n, int k, int fixed_upstream, int contributions)
{
    const char *text = local_text[n->op][k];
    return fixed_upstream && contributions == 1 && !reads(text, "A") && !reads(text, "B") && !reads(text, "OUT");
}

/* A leaf whose .grad the step keeps: every parameter, and the inputs when asked. */
static int kept(const graph_node *n, int with_inputs)
{
    return n->op == GRAPH_OP_LEAF && (n->role == GRAPH_PARAM || (with_inputs && n->role == GRAPH_INPUT));
}

/* The build's scratch, freed whatever happens. */
struct scratch {
    char *need;          /* per node: need, grad, written, two for make_spans, emitted, read, fixed */
    int *same, *contributions, *sums;
    void **value, **gradp; /* per node: where its numbers and its pass are in the step */
    struct meta *m;
    struct instr *fold; /* the folded instructions, in tape order (see fold) */
};

static void free_scratch(struct scratch *x)
{
    free(x->fold);
    free(x->need);
    free(x->same);
    free(x->contributions);
    free(x->sums);
    free(x->value);
    free(x->m);
}

/*
 * Lay the program out as it runs: the prologue (n_pro instructions), each span followed by a K_END, the
 * epilogue (n_epi), a K_END; or, when there is one span to run whole, all of it one run. The body is at
 * code[0 … n_body) on entry; the spans move up in place, the last first (a copy would double the step's
 * memory while building). Returns where the epilogue goes, or −1 when memory runs out.
 */
static int lay_out(struct graph_step *s, int n_pro, int n_epi)
{
    int ends = !s->single;
    size_t room = (size_t)n_pro + (size_t)s->n_code + (size_t)(ends * s->n_spans) + (size_t)n_epi + 2;
    struct instr *code = realloc(s->code, room * sizeof *code);
    if (!code)
        return -1;
    s->code = code;
    int pro = n_pro + ends;
    for (int k = s->n_spans - 1; k >= 0; k--) {
        struct span *sp = &s->spans[k];
        int len = sp->end - sp->first, to = pro + sp->first + ends * k;
        memmove(code + to, code + sp->first, (size_t)len * sizeof *code);
        sp->first = to;
        sp->end = to + len;
        if (ends)
            code[sp->end] = (struct instr){ .op = K_END };
    }
    if (ends)
        code[n_pro] = (struct instr){ .op = K_END };
    return s->n_spans ? s->spans[s->n_spans - 1].end + ends : pro;
}

/* Whether the processor has AVX2: from the C library, which asked the processor once as the program started
 * (glibc's <sys/platform/x86.h>). GCC's __builtin_cpu_supports would link a constructor that asks again with
 * its own CPUID instructions at every start, before main; under a hypervisor each costs 25–40 µs here. */
#if STEP_AVX2 && defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define HAS_AVX2() CPU_FEATURE_ACTIVE(AVX2)
#endif
#endif
#if STEP_AVX2 && !defined(HAS_AVX2)
#define HAS_AVX2() __builtin_cpu_supports("avx2")
#endif

/* Which kernels a new step runs: AVX2's where this processor has them (graph_step_kernels.h) and the step has
 * a batch of at least four numbers to run them on (on one number their loops are no faster, and the AVX2
 * code's entry and exit cost a few instructions), unless the tests asked for the others
 * (graph_step_use_avx2). */
static int avx2_wanted = 1;

int graph_step_use_avx2(int wanted)
{
    avx2_wanted = wanted;
#if STEP_AVX2
    return HAS_AVX2() ? 1 : 0;
#else
    return 0;
#endif
}

static void kernels(struct graph_step *s)
{
    s->run = run, s->run_tiles = run_tiles;
#if STEP_AVX2
    unsigned most = 0;
    for (int k = 0; k < s->n_code; k++)
        most = s->code[k].n > most ? s->code[k].n : most;
    if (avx2_wanted && most >= 4 && HAS_AVX2())
        s->run = graph_step_run_avx2, s->run_tiles = graph_step_run_tiles_avx2, s->counts.avx2 = 1;
#endif
}

static struct graph_step *build(graph *g, int root, int shown, int with_inputs)
{
    const int count = g->count, f32 = g->precision != GRAPH_FLOAT64;
    struct graph_step *s = calloc(1, sizeof *s);
    struct scratch x = { .need = calloc((size_t)count, 8) };
    if (!s || !x.need)
        goto fail;
    char *need = x.need, *grad = need + count, *written = grad + count;
    s->version = g->version;
    s->data_version = g->data_version;
    s->with_inputs = with_inputs;
    s->f32 = f32;

    graph_build_tape(g, root);
    x.same = malloc((size_t)count * sizeof *x.same);
    if (!x.same || merge_equal_nodes(g, root, shown, x.same, &s->merged) < 0)
        goto fail;
    int *same = x.same;
    /* forward: what the root and the shown node are computed from (a node computed like an earlier one
     * is that one); graph_forward() computes all of them, since they are live */
    need[root] = need[shown] = 1;
    for (int id = count - 1; id >= 0; id--) {
        if (!need[id])
            continue;
        if (!g->live[id]) /* graph_pass would read a stale value here: leave it to graph_pass */
            goto fail;
        need[same[id]] = 1;
        if (g->node[id].op != GRAPH_OP_LEAF) /* its inputs too: its backward reads them */
            for (int k = 0; k < 2; k++)
                if (g->node[id].src[k] >= 0)
                    need[g->node[id].src[k]] = 1;
    }
    /* backward: the nodes on the tape that lead to a gradient kept */
    int n_body = 1, n_kept = 0, n_params = 0, n_consts = 0;
    for (int id = 0; id < count; id++) {
        const graph_node *n = &g->node[id];
        if (n->op == GRAPH_OP_LEAF) {
            grad[id] = kept(n, with_inputs) && g->state[id] == 2;
            n_kept += kept(n, with_inputs);
            n_params += n->role == GRAPH_PARAM && need[id];
            n_consts += n->role != GRAPH_PARAM && need[id];
            continue;
        }
        grad[id] = g->state[id] == 2 && (grad[n->src[0]] || (n->src[1] >= 0 && grad[n->src[1]]));
        n_body += need[id] + 2 * grad[id];
    }

    /* where the numbers are: the graph's own arrays in float64, float copies otherwise */
    x.value = calloc((size_t)count, 2 * sizeof *x.value);
    x.m = malloc((size_t)n_body * sizeof *x.m);
    s->code = malloc((size_t)n_body * sizeof *s->code);
    s->spans = malloc((size_t)n_body * sizeof *s->spans);
    x.fold = malloc((size_t)n_body * sizeof *x.fold);
    if (!f32)
        s->folded = malloc((size_t)n_body * sizeof *s->folded);
    s->leaves = malloc(((size_t)n_consts + 1) * sizeof *s->leaves);
    if (!x.value || !x.m || !s->code || !s->spans || !s->leaves || !x.fold || (!f32 && !s->folded))
        goto fail;
    void **value = x.value, **gradp = value + count;
    struct meta *m = x.m;
    if (f32) {
        size_t floats = 0;
        for (int id = 0; id < count; id++)
            floats += (size_t)g->node[id].len * ((size_t)need[id] + (size_t)grad[id]);
        s->mem = malloc((floats + 1) * sizeof *s->mem);
        if (!s->mem)
            goto fail;
        float *p = s->mem;
        for (int id = 0; id < count; id++) {
            graph_node *n = &g->node[id];
            if (need[id] && same[id] != id) {
                value[id] = value[same[id]];
            } else if (need[id]) {
                value[id] = p, p += n->len;
                if (n->op == GRAPH_OP_LEAF && n->role != GRAPH_PARAM)
                    s->leaves[s->n_leaves++] = (struct copy){ n->data, value[id], n->len };
            }
            if (grad[id])
                gradp[id] = p, p += n->len;
        }
        copy_to_float(s->leaves, s->n_leaves);
    } else {
        for (int id = 0; id < count; id++) {
            graph_node *n = &g->node[id];
            value[id] = same[id] != id ? value[same[id]] : n->op == GRAPH_OP_LEAF ? n->data : n->value;
            gradp[id] = n->pass;
        }
    }

    /* how many contributions each gradient gets */
    x.contributions = calloc((size_t)count, sizeof *x.contributions);
    if (!x.contributions)
        goto fail;
    int *contributions = x.contributions;
    for (int t = 0; t < g->tape_len; t++) {
        const graph_node *n = &g->node[g->tape[t]];
        if (n->op != GRAPH_OP_LEAF && grad[g->tape[t]])
            for (int k = 0; k < op_shape[n->op].arity; k++)
                contributions[n->src[k]] += grad[n->src[k]];
    }

    /* the program's body: the seed, forward in creation order, backward in tape order */
    int c = 0, n_fold = 0;
    char *fixed = need + 7 * count; /* the node's pass is the same every epoch (see fold) */
    if (grad[root] && g->node[root].op == GRAPH_OP_LEAF) { /* the root is a kept leaf: its pass is 1 */
        s->code[c] = (struct instr){ .op = SEED_KIND(f32), .n = 1, .t = gradp[root] };
        m[c++] = (struct meta){ root, -2, root };
    } else if (grad[root]) { /* the seed is a constant 1 that the backward instructions read */
        static const double one64 = 1.0;
        static const float one32 = 1.0f;
        gradp[root] = f32 ? (void *)&one32 : (void *)&one64;
        fixed[root] = 1;
    }
    written[root] = grad[root];
    /* forward: in creation order, but a reduction that shares a sum and that nothing reads runs after
     * backward (shares_sum) */
    char *emitted = need + 5 * count, *read = need + 6 * count;
    x.sums = malloc((size_t)count * sizeof *x.sums);
    if (!x.sums)
        goto fail;
    shares_sum(g, need, same, read, x.sums);
    emit_forward(g, s, m, &c, value, need, grad, same, read, emitted, x.sums, f32, 0);
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
            int first = !written[to];
            written[to] = 1;
            /* a gradient that only passes through (∂/∂input is 1, one consumer, no broadcast) is the same
             * array: no instruction */
            if (g->node[to].op != GRAPH_OP_LEAF && contributions[to] == 1 &&
                strcmp(local_text[n->op][k], "1.0") == 0 && !op_shape[n->op].reduces && g->node[to].len == n->len) {
                gradp[to] = gradp[id];
                fixed[to] = fixed[id];
                continue;
            }
            struct instr in = { .op = BWD_KIND(n->op, k, pat, f32), .n = (unsigned)len, .first = first,
                                .a = value[n->src[0]], .b = value[n->src[n->src[1] >= 0]],
                                .g = gradp[id], .o = value[id], .t = gradp[to] };
            if (folds(n, k, fixed[id], contributions[to])) {
                if (!f32) { /* its own array: the graph's pass of the node is graph_pass()'s to write */
                    double *t = malloc((size_t)g->node[to].len * sizeof *t);
                    if (!t)
                        goto fail;
                    s->folded[s->n_folded++] = t;
                    gradp[to] = in.t = t;
                }
                fixed[to] = 1;
                x.fold[n_fold++] = in;
                continue;
            }
            s->code[c] = in;
            m[c++] = (struct meta){ id, k, to };
        }
    }
    emit_forward(g, s, m, &c, value, need, grad, same, read, emitted, x.sums, f32, 1);
    s->n_code = c;
    s->n_spans = make_spans(g, s, m, written + count, written + 2 * count);
    if (sums_last(g, s, m) < 0)
        goto fail;
    pair_sums(g, s, m);
    s->single = s->n_spans == 1 && !s->spans[0].n;
    s->quick = s->single && !with_inputs;
    s->watch_data = f32 || s->merged;

    /* the prologue: the parameters' float copies; the epilogue: the values handed back (before any
     * parameter changes: a leaf's value is its numbers before the step), then each kept leaf */
    int n_pro = f32 ? n_params : 0, n_epi = 2 + n_kept;
    int at = lay_out(s, n_pro, n_epi);
    if (at < 0)
        goto fail;
    struct instr *code = s->code;
    int pro = 0;
    for (int id = 0; id < count; id++) {
        graph_node *n = &g->node[id];
        if (f32 && n->op == GRAPH_OP_LEAF && n->role == GRAPH_PARAM && need[id])
            code[pro++] = (struct instr){ .op = K_TO_FLOAT, .n = (unsigned)n->len, .a = n->data, .t = value[id] };
    }
    s->epi = s->single ? 0 : at;
    /* float64: a leaf's value handed back is its numbers before the step, so the values go first; float:
     * the values come from the float copies, which the step does not touch, so the kept leaves go first,
     * where the last leaf's pass may still be in r (fuse) */
    int out[2] = { root, shown };
    for (int phase = 0; phase < 2; phase++) {
        if (phase == f32)
            for (int k = 0; k < 1 + (shown != root); k++) {
                graph_node *n = &g->node[out[k]];
                if (f32)
                    code[at++] = (struct instr){ .op = K_TO_DOUBLE, .n = (unsigned)n->len, .a = value[out[k]],
                                                 .t = n->value };
                else if (n->op == GRAPH_OP_LEAF)
                    code[at++] = (struct instr){ .op = K_COPY, .n = (unsigned)n->len, .a = n->data, .t = n->value };
            }
        if (phase != f32)
            for (int id = 0; id < count; id++) {
                graph_node *n = &g->node[id];
                if (!kept(n, with_inputs))
                    continue;
                double *data = n->role == GRAPH_PARAM ? n->data : NULL;
                if (written[id])
                    code[at++] = (struct instr){ .op = !f32 ? K_LEAF_64 : g->precision == GRAPH_FLOAT32 ? K_LEAF_32
                                                                                                      : K_LEAF_MIXED,
                                                 .n = (unsigned)n->len, .a = gradp[id],
                                                 .g = f32 || gradp[id] != n->pass ? n->pass : NULL,
                                                 .t = n->grad, .o = data };
                else
                    code[at++] = (struct instr){ .op = g->precision == GRAPH_FLOAT32 ? K_REST_32 : K_REST_64,
                                                 .n = (unsigned)n->len, .t = n->grad, .o = data };
            }
    }
    code[at++] = (struct instr){ .op = K_END, .a = g->node[shown].value }; /* the run returns shown's value */
    s->n_code = at;
    s->counts.instructions = at;
    s->counts.folded = n_fold;
    kernels(s);
    if (s->single)
        s->counts.from_r = fuse(code, 0, at);
    else
        for (int k = 0; k < s->n_spans; k++)
            if (!s->spans[k].n)
                s->counts.from_r += fuse(code, s->spans[k].first, s->spans[k].end);
    for (int k = 0; k < at; k++) {
        s->counts.seeds += code[k].op == SEED_KIND(0) || code[k].op == SEED_KIND(1);
        s->counts.from_sum += code[k].op >= RS_KIND(0, 0) && code[k].op < RS_KIND(0, 0) + RS_KINDS;
        s->counts.pairs += code[k].op >= PAIR_KIND(0, 0, 0) && code[k].op < PAIR_KIND(0, 0, 0) + PAIR_KINDS;
    }
#if THREADED /* each kind to its kernel's place, in run_tiles() for a tiled span's instructions */
    for (int k = 0, sp = 0; k < at; k++) {
        while (sp < s->n_spans && (!s->spans[sp].n || s->spans[sp].end <= k))
            sp++;
        int tiled = sp < s->n_spans && k >= s->spans[sp].first && k < s->spans[sp].end;
        code[k].op = (int)(tiled ? s->run_tiles : s->run)(NULL, code[k].op, 0, 0, 0, 0);
    }
    for (int k = 0; k < n_fold; k++)
        x.fold[k].op = (int)s->run(NULL, x.fold[k].op, 0, 0, 0, 0);
#endif
    /* the folded gradients, once; x.fold has room for the K_END (n_fold < n_body) */
    x.fold[n_fold] = (struct instr){ .op = THREADED ? (int)s->run(NULL, K_END, 0, 0, 0, 0) : K_END };
    s->run(x.fold, 0, 0, -1, 0, 0);
    free_scratch(&x);
    return s;
fail:
    free_scratch(&x);
    graph_step_free(s);
    return NULL;
}

/* ---------------------------------------------------------------- running ----------------------- */

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define NOINLINE
#define ALWAYS_INLINE inline
#endif

/* (Re)build g's step for these arguments. When there can be none (see graph.h), a step marked `none` says
 * so until the graph changes, so that graph_pass() runs without a build tried at every epoch. NULL when
 * memory for even that ran out. */
static NOINLINE struct graph_step *rebuild(graph *g, int root, int shown, int with_inputs)
{
    graph_step_free(g->step);
    struct graph_step *s = NULL;
    if (root >= 0 && root < g->count && g->node[root].len == 1)
        s = build(g, root, shown >= 0 && shown < g->count ? shown : root, with_inputs);
    if (!s && (s = calloc(1, sizeof *s)) != NULL) {
        s->none = 1;
        s->version = g->version;
        s->with_inputs = with_inputs;
    }
    if (s) {
        s->key_root = root;
        s->key_shown = shown;
    }
    return g->step = s;
}

/* Run the step; returns the shown node's value. step() is the fast path, a tail call of run() for a step
 * that is one run and has no float copies to refresh; the rest is step_all(). */
static NOINLINE double step_all(graph *g, struct graph_step *s, int zero_grad, double lr, int update)
{
    if (s->f32 && s->data_version != g->data_version) {
        copy_to_float(s->leaves, s->n_leaves);
        s->data_version = g->data_version;
    }
    if (s->single)
        return s->run(s->code, zero_grad, 0, -1, lr, update);
    s->run(s->code, zero_grad, 0, -1, 0, 0);
    for (const struct span *sp = s->spans, *end = sp + s->n_spans; sp < end; sp++) {
        if (!sp->n) {
            s->run(s->code + sp->first, zero_grad, 0, -1, 0, 0);
            continue;
        }
        for (int lo = 0; lo < sp->n; lo += TILE)
            s->run_tiles(s->code + sp->first, zero_grad, lo, lo + TILE < sp->n ? lo + TILE : sp->n, 0, 0);
    }
    return s->run(s->code + s->epi, zero_grad, 0, -1, lr, update);
}

static ALWAYS_INLINE double step(graph *g, struct graph_step *s, int zero_grad, double lr, int update)
{
    if (s->single && (!s->f32 || s->data_version == g->data_version))
        return s->run(s->code, zero_grad, 0, -1, lr, update);
    return step_all(g, s, zero_grad, lr, update);
}

static inline int valid(const graph *g, const struct graph_step *s, int root, int shown, int with_inputs)
{
    return s && s->version == g->version && s->key_root == root && s->key_shown == shown &&
           s->with_inputs == with_inputs && (!s->merged || s->data_version == g->data_version);
}

/* graph_step_epoch when the step is to be built, or there is none */
static NOINLINE double epoch_slow(graph *g, int root, int shown, double lr,
                                  double (*per_node)(graph *, int, int, double))
{
    struct graph_step *s = g->step;
    if (!valid(g, s, root, shown, 0))
        s = rebuild(g, root, shown, 0);
    if (!s || s->none)
        return per_node(g, root, shown, lr);
    return step(g, s, 1, lr, 1);
}

double graph_step_epoch(graph *g, int root, int shown, double lr, double (*per_node)(graph *, int, int, double))
{
    /* the fast path: what valid() and step() test, in fewer tests (see struct graph_step: quick) */
    struct graph_step *s = g->step;
    if (s && s->version == g->version && s->key_root == root && s->key_shown == shown && s->quick &&
        (!s->watch_data || s->data_version == g->data_version))
        return s->run(s->code, 1, 0, -1, lr, 1);
    return epoch_slow(g, root, shown, lr, per_node);
}

int graph_step_pass(graph *g, int root, int shown, int zero_grad, int with_inputs)
{
    struct graph_step *s = g->step;
    with_inputs = !!with_inputs;
    if (!valid(g, s, root, shown, with_inputs))
        s = rebuild(g, root, shown, with_inputs);
    if (!s || s->none)
        return -1;
    step(g, s, !!zero_grad, 0, 0);
    return 0;
}
