/*
 * test_step.c — the compiled training step against the per-node passes, to the bit: random graphs of every
 * op, short and long batches (long enough to run in tiles), all three precisions, zero_grad on and off, with
 * and without the inputs' gradients, with the live nodes the lesson's roots make (or every node, or roots
 * that leave the loss dead, where the step must be graph_pass itself), through input changes, precision
 * changes, new nodes and per-node passes in between: the printed values, and each kept leaf's pass (this
 * pass's gradient) and .grad (what accumulates); --train's epoch; and the walkthrough's :train against
 * stepping through the same epochs.
 *
 * "To the bit" means the same 64 bits, with one exception that C leaves open: when a number is NaN, which
 * NaN (its sign) is the compiler's choice, since it may swap the operands of + and ·, and x86 passes on the
 * first operand's NaN. gcc and clang builds of the same code print "nan" and "-nan" for the same lessons.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "graph_int.h" /* graph_step_counts */
#include "lesson.h"
#include "walk.h"

/* ---------------------------------------------------------------- comparing --------------------- */

static int same(double x, double y) { return memcmp(&x, &y, sizeof x) == 0 || (isnan(x) && isnan(y)); }

/* Report the first difference with where it was found; returns 1 when all n numbers are the same. */
static int same_numbers(const double *want, const double *got, int n, const char *what, int id, const char *ctx)
{
    for (int i = 0; i < n; i++)
        if (!same(want[i], got[i])) {
            print_error("%s: %s of node %d, element %d: per-node %.17g (%a), compiled %.17g (%a)\n", ctx, what, id,
                        i, want[i], want[i], got[i], got[i]);
            return 0;
        }
    return 1;
}

/* ---------------------------------------------------------------- random graphs ----------------- */

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33) % n;
}
static double rnd_value(void) { return ((int)rnd(2001) - 1000) / 500.0; }

struct rgraph {
    graph *g;
    int root, shown;
    int roots; /* 0: graph_set_roots never called (every node live); 1: the root and the shown node; 2: a dead root */
    int input; /* an input to change part way */
    int half;  /* the constant 0.5, to change part way */
};

static int add_op(graph *g, enum graph_op op, int a, int b)
{
    int id = -1;
    assert_int_equal(graph_op(g, op, a, b, &id), GRAPH_OK);
    return id;
}

/* A node of length 1 or `batch` from the ones there are. */
static int pick(graph *g, int batch, int want_len)
{
    int count = graph_count(g);
    for (int tries = 0; tries < 50; tries++) {
        int id = (int)rnd((unsigned)count);
        if (want_len == 0 || graph_node_at(g, id)->len == want_len || (batch == 1 && want_len == 1))
            return id;
    }
    return 0; /* a parameter of length 1: node 0 */
}

/*
 * Leaves, then a dozen random operations, each op of the rows with random inputs of lengths that broadcast;
 * log, pow and div mostly get a positive operand (a sigmoid in between) so that NaN stays the exception.
 * The root sums what came last; the shown node, when there is one, is a mean of something else.
 */
static void random_graph(struct rgraph *r, unsigned long long seed, int batch, enum graph_precision p)
{
    rng_state = seed;
    graph *g = r->g = graph_new(p);
    double v[1000];
    double w0 = rnd_value();
    assert_int_equal(graph_param(g, &w0, 1), 0);
    int n_params = 1 + (int)rnd(3), n_inputs = 1 + (int)rnd(3);
    for (int k = 1; k < n_params; k++) {
        int len = rnd(4) == 0 ? batch : 1;
        for (int i = 0; i < len; i++)
            v[i] = rnd_value();
        graph_param(g, v, len);
    }
    for (int k = 0; k < n_inputs; k++) {
        int len = rnd(4) == 0 ? 1 : batch;
        for (int i = 0; i < len; i++)
            v[i] = rnd_value();
        r->input = graph_input(g, v, len);
    }
    int two = graph_const(g, 2);
    r->half = graph_const(g, 0.5);
    int n_ops = 4 + (int)rnd(12);
    for (int k = 0; k < n_ops; k++) {
        enum graph_op op = (enum graph_op)(1 + rnd(GRAPH_OP_COUNT - 1));
        int a = pick(g, batch, 0);
        int la = graph_node_at(g, a)->len;
        int b = graph_op_arity(op) == 2 ? pick(g, batch, rnd(3) == 0 ? 1 : rnd(2) ? la : batch) : -1;
        int positive = (op == GRAPH_OP_LOG || op == GRAPH_OP_POW) && rnd(5) != 0;
        if (positive)
            a = add_op(g, GRAPH_OP_SIGMOID, a, -1);
        if (op == GRAPH_OP_DIV && rnd(5) != 0)
            b = add_op(g, GRAPH_OP_EXP, b, -1);
        if (op == GRAPH_OP_POW && rnd(3) != 0)
            b = two + (int)rnd(2); /* a constant exponent: 2 or 0.5 */
        add_op(g, op, a, b);
    }
    int last = graph_count(g) - 1;
    /* the root: from a parameter, one number */
    int top = add_op(g, GRAPH_OP_MUL, last, pick(g, batch, 0));
    top = add_op(g, GRAPH_OP_ADD, top, 0);
    if (rnd(2)) { /* an operation computed twice, as a lesson writes s^2 in its loss and its metric */
        int k = pick(g, batch, 0);
        const graph_node *n = graph_node_at(g, k);
        if (n->op != GRAPH_OP_LEAF) {
            int again = add_op(g, n->op, n->src[0], n->src[1]), c = graph_const(g, rnd(2) ? 2 : 0.5);
            top = add_op(g, GRAPH_OP_ADD, top, add_op(g, GRAPH_OP_SUM, add_op(g, GRAPH_OP_MUL, again, c), -1));
        }
    }
    r->root = graph_node_at(g, top)->len > 1 ? add_op(g, rnd(2) ? GRAPH_OP_SUM : GRAPH_OP_MEAN, top, -1) : top;
    r->shown = -1;
    if (rnd(2)) {
        int m = pick(g, batch, 0);
        r->shown = add_op(g, GRAPH_OP_MEAN, add_op(g, GRAPH_OP_MUL, m, m), -1);
    }
    /* which nodes are live: as a lesson sets them (most often), all, or only a node nothing else needs */
    unsigned roots = rnd(8);
    r->roots = roots < 5 ? 1 : roots < 7 ? 0 : 2;
    if (r->roots == 1)
        graph_set_roots(g, r->root, r->shown);
    else if (r->roots == 2)
        graph_set_roots(g, r->half, -1);
}

/* The numbers the compiled step promises, compared; 1 when all are the same. */
static int same_state(const struct rgraph *want, const struct rgraph *got, int with_inputs, const char *ctx)
{
    const graph *a = want->g, *b = got->g;
    int shown = want->shown >= 0 ? want->shown : want->root;
    if (!same_numbers(graph_node_at(a, want->root)->value, graph_node_at(b, got->root)->value, 1, "value", want->root,
                      ctx) ||
        !same_numbers(graph_node_at(a, shown)->value, graph_node_at(b, shown)->value, 1, "shown value", shown, ctx))
        return 0;
    for (int id = 0; id < graph_count(a); id++) {
        const graph_node *na = graph_node_at(a, id), *nb = graph_node_at(b, id);
        if (na->op != GRAPH_OP_LEAF || na->role == GRAPH_CONST)
            continue;
        if (na->role == GRAPH_PARAM && !same_numbers(na->data, nb->data, na->len, "parameter", id, ctx))
            return 0;
        if ((na->role == GRAPH_PARAM || with_inputs) &&
            (!same_numbers(na->pass, nb->pass, na->len, "pass", id, ctx) ||
             !same_numbers(na->grad, nb->grad, na->len, ".grad", id, ctx)))
            return 0;
    }
    return 1;
}

/*
 * One random graph built twice, trained for some epochs the per-node way (graph_pass, graph_sgd_step) and
 * the compiled way (graph_train_pass, graph_train_epoch), with the same changes made to both part way.
 */
typedef void make_graph(struct rgraph *r, unsigned long long seed, int batch, enum graph_precision p);

static int one_case_of(make_graph *make, unsigned long long seed, int batch, enum graph_precision p, int zero_grad,
                       int with_inputs)
{
    struct rgraph want, got;
    make(&want, seed, batch, p);
    make(&got, seed, batch, p);
    char ctx[160];
    int ok = 1;
    const double lr = 0.01;
    for (int epoch = 1; epoch <= 9 && ok; epoch++) {
        snprintf(ctx, sizeof ctx, "seed %llu, batch %d, %s, zero_grad %d, inputs %d, epoch %d", seed, batch,
                 graph_precision_name(graph_precision(want.g)), zero_grad, with_inputs, epoch);
        graph_pass(want.g, want.root, zero_grad);
        int shown = want.shown >= 0 ? want.shown : want.root;
        double shown_value = graph_node_at(want.g, shown)->value[0];
        graph_sgd_step(want.g, lr);
        if (zero_grad && !with_inputs) {
            double v = graph_train_epoch(got.g, got.root, got.shown, lr);
            if (!same(v, shown_value)) {
                print_error("%s: graph_train_epoch returned %.17g, the shown value is %.17g\n", ctx, v, shown_value);
                ok = 0;
            }
        } else {
            assert_int_equal(graph_train_pass(got.g, got.root, got.shown, zero_grad, with_inputs), GRAPH_OK);
            graph_sgd_step(got.g, lr);
        }
        ok = ok && same_state(&want, &got, with_inputs, ctx);
        switch (epoch) {
        case 3: /* an input and a constant change: the step's copies must follow */
            graph_set_data(want.g, want.input, 0, 0.75);
            graph_set_data(got.g, got.input, 0, 0.75);
            graph_set_data(want.g, want.half, 0, 2);
            graph_set_data(got.g, got.half, 0, 2);
            break;
        case 4: /* a per-node pass in between */
            graph_pass(want.g, want.root, zero_grad);
            graph_pass(got.g, got.root, zero_grad);
            break;
        case 5: /* another precision */
            graph_set_precision(want.g, (enum graph_precision)((p + 1) % GRAPH_PRECISION_COUNT));
            graph_set_precision(got.g, (enum graph_precision)((p + 1) % GRAPH_PRECISION_COUNT));
            break;
        case 6: /* a pass with zero_grad the other way, then the live nodes as a lesson sets them */
            graph_pass(want.g, want.root, !zero_grad);
            graph_pass(got.g, got.root, !zero_grad);
            graph_set_roots(want.g, want.root, want.shown);
            graph_set_roots(got.g, got.root, got.shown);
            break;
        case 7: { /* a new node, and the loss is now the old loss plus it */
            int more, root;
            assert_int_equal(graph_op(want.g, GRAPH_OP_TANH, 0, -1, &more), GRAPH_OK);
            assert_int_equal(graph_op(want.g, GRAPH_OP_ADD, want.root, more, &root), GRAPH_OK);
            assert_int_equal(graph_op(got.g, GRAPH_OP_TANH, 0, -1, &more), GRAPH_OK);
            assert_int_equal(graph_op(got.g, GRAPH_OP_ADD, got.root, more, &got.root), GRAPH_OK);
            want.root = root;
            break;
        }
        }
    }
    graph_free(want.g);
    graph_free(got.g);
    return ok;
}

static int one_case(unsigned long long seed, int batch, enum graph_precision p, int zero_grad, int with_inputs)
{
    return one_case_of(random_graph, seed, batch, p, zero_grad, with_inputs);
}

static void random_graphs_train_the_same_to_the_bit(void **state)
{
    (void)state;
    static const int batches[] = { 1, 2, 5, 300, 700 };
    int failures = 0, cases = 0;
    /* both sets of kernels where the processor has AVX2 (graph_step_kernels.h), else the one */
    for (int avx2 = graph_step_use_avx2(1); avx2 >= 0; avx2--) {
        graph_step_use_avx2(avx2);
        for (unsigned long long seed = 1; seed <= 60; seed++)
            for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++)
                for (int p = 0; p < GRAPH_PRECISION_COUNT; p++)
                    for (int z = 0; z < 2; z++)
                        for (int in = 0; in < 2; in++) {
                            cases++;
                            if (!one_case(seed * 7919 + (unsigned long long)batches[b], batches[b],
                                          (enum graph_precision)p, z, in) &&
                                ++failures >= 5)
                                fail_msg("AVX2 kernels %d: %d of %d cases differ; stopping", avx2, failures, cases);
                        }
    }
    graph_step_use_avx2(1);
    if (failures)
        fail_msg("%d of %d cases differ", failures, cases);
}

/*
 * The shapes the step's fusions are made for, and the shapes next to them where a fusion must not apply
 * (graph_step.c: the seed as a constant, the register r, reductions that share a sum, the sums of a tiled
 * block last). `seed` picks the shape; w (node 0) is a parameter of one number, x and y inputs of `batch`.
 */
enum { SHAPE_LESSON01, SHAPE_TWO_READERS, SHAPE_SUM_THEN_MEAN, SHAPE_MEAN_THEN_SUM, SHAPE_MEAN_READ,
       SHAPE_LEAF_ROOT, SHAPE_NO_GRAD_CHAIN, SHAPE_TWO_PARAMS, SHAPES };

static void fusion_graph(struct rgraph *r, unsigned long long shape, int batch, enum graph_precision p)
{
    graph *g = r->g = graph_new(p);
    double w0 = 0.375, b0 = -0.25, x[1000], y[1000];
    for (int i = 0; i < batch; i++)
        x[i] = (i % 7) / 4.0 - 0.6, y[i] = 1.5 * x[i] + (i % 3) / 8.0;
    int w = graph_param(g, &w0, 1), b = graph_param(g, &b0, 1);
    int xi = graph_input(g, x, batch), yi = graph_input(g, y, batch), two = graph_const(g, 2);
    r->input = xi;
    r->half = graph_const(g, 0.5);
    int s = add_op(g, GRAPH_OP_SUB, add_op(g, GRAPH_OP_MUL, w, xi), yi);
    r->shown = -1;
    switch (shape) {
    case SHAPE_LESSON01: /* every link of the chain a scalar kernel reading r */
        r->root = add_op(g, GRAPH_OP_POW, s, two);
        break;
    case SHAPE_TWO_READERS: /* s read twice, by a product of itself (a and b the same number) and a sum */
        r->root = add_op(g, GRAPH_OP_ADD, add_op(g, GRAPH_OP_MUL, s, s), s);
        break;
    case SHAPE_SUM_THEN_MEAN: /* the loss sums s^2, the metric's mean reads the sum, after backward */
        r->root = add_op(g, GRAPH_OP_SUM, add_op(g, GRAPH_OP_POW, s, two), -1);
        r->shown = add_op(g, GRAPH_OP_MEAN, add_op(g, GRAPH_OP_POW, s, two), -1);
        break;
    case SHAPE_MEAN_THEN_SUM: /* the mean first: the sum is moved before it */
        r->root = add_op(g, GRAPH_OP_MEAN, add_op(g, GRAPH_OP_POW, s, two), -1);
        r->shown = add_op(g, GRAPH_OP_SUM, add_op(g, GRAPH_OP_POW, s, two), -1);
        break;
    case SHAPE_MEAN_READ: { /* the mean is read by the loss: it cannot wait until after backward */
        int sq = add_op(g, GRAPH_OP_POW, s, two), m = add_op(g, GRAPH_OP_MEAN, sq, -1);
        r->root = add_op(g, GRAPH_OP_ADD, add_op(g, GRAPH_OP_SUM, sq, -1), add_op(g, GRAPH_OP_MUL, m, m));
        r->shown = m;
        break;
    }
    case SHAPE_LEAF_ROOT: /* the loss is the parameter itself: its pass is the seed, written */
        r->root = w;
        r->shown = add_op(g, GRAPH_OP_MEAN, s, -1);
        break;
    case SHAPE_NO_GRAD_CHAIN: /* a scalar chain of inputs only, whose gradient only with_inputs asks for */
        r->root = add_op(g, GRAPH_OP_ADD, add_op(g, GRAPH_OP_TANH, add_op(g, GRAPH_OP_SUM, add_op(g, GRAPH_OP_MUL, xi, yi), -1), -1),
                         add_op(g, GRAPH_OP_MUL, w, two));
        break;
    default: /* two parameters, w with two contributions, and a gradient passed through an addition */
        r->root = add_op(g, GRAPH_OP_SUM, add_op(g, GRAPH_OP_POW, add_op(g, GRAPH_OP_ADD, add_op(g, GRAPH_OP_MUL, s, w), b), two), -1);
        r->shown = add_op(g, GRAPH_OP_MUL, w, b);
        break;
    }
    if (graph_node_at(g, r->root)->len > 1) /* a batch: the loss sums it */
        r->root = add_op(g, GRAPH_OP_SUM, r->root, -1);
    r->roots = 1;
    graph_set_roots(g, r->root, r->shown);
}

static void fusions_train_the_same_to_the_bit(void **state)
{
    (void)state;
    static const int batches[] = { 1, 4, 300, 700 };
    int failures = 0, cases = 0;
    for (int avx2 = graph_step_use_avx2(1); avx2 >= 0; avx2--) {
        graph_step_use_avx2(avx2);
        for (int shape = 0; shape < SHAPES; shape++)
            for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++)
                for (int p = 0; p < GRAPH_PRECISION_COUNT; p++)
                    for (int z = 0; z < 2; z++)
                        for (int in = 0; in < 2; in++) {
                            cases++;
                            if (!one_case_of(fusion_graph, (unsigned long long)shape, batches[b],
                                             (enum graph_precision)p, z, in))
                                failures++;
                        }
    }
    graph_step_use_avx2(1);
    if (failures)
        fail_msg("%d of %d cases differ", failures, cases);
}

/* The fusions are made where they are meant to be, and not where they must not be. */
static struct graph_step_counts counts_of(int shape, int batch, enum graph_precision p, int with_inputs)
{
    struct rgraph r;
    fusion_graph(&r, (unsigned long long)shape, batch, p);
    assert_int_equal(graph_train_pass(r.g, r.root, r.shown, 1, with_inputs), GRAPH_OK);
    struct graph_step_counts c = graph_step_counts(r.g);
    assert_true(c.instructions > 0);
    graph_free(r.g);
    return c;
}

static void fusions_apply_where_they_should(void **state)
{
    (void)state;
    for (int p = 0; p < GRAPH_PRECISION_COUNT; p++) {
        enum graph_precision pr = (enum graph_precision)p;
        /* lesson 01: w·x − y and its square from r, the square's gradient into w's from r, w's pass from r */
        struct graph_step_counts c = counts_of(SHAPE_LESSON01, 1, pr, 0);
        assert_int_equal(c.seeds, 0);
        assert_int_equal(c.from_r, 4);
        assert_int_equal(c.from_sum, 0);
        /* with the inputs' gradients, their instructions come between some links of the chain */
        c = counts_of(SHAPE_LESSON01, 1, pr, 1);
        assert_true(c.from_r >= 2 && c.from_r <= 4);
        /* a batch: nothing is one number but the loss, whose seed is a constant */
        c = counts_of(SHAPE_LESSON01, 4, pr, 0);
        assert_int_equal(c.seeds, 0);
        /* a root that is a kept leaf keeps its seed instruction */
        assert_int_equal(counts_of(SHAPE_LEAF_ROOT, 4, pr, 0).seeds, 1);
        /* a mean beside a sum of the same input: from the sum, short batch or tiled, deferred or not */
        for (int batch = 4; batch <= 700; batch += 696) {
            assert_int_equal(counts_of(SHAPE_SUM_THEN_MEAN, batch, pr, 0).from_sum, 1);
            assert_int_equal(counts_of(SHAPE_MEAN_THEN_SUM, batch, pr, 0).from_sum, 1);
            assert_int_equal(counts_of(SHAPE_MEAN_READ, batch, pr, 0).from_sum, 1);
            assert_int_equal(counts_of(SHAPE_LESSON01, batch, pr, 0).from_sum, 0);
        }
        /* a sum and w's gradient in one loop: in tiles only, and only for a sum (not a mean) */
        assert_int_equal(counts_of(SHAPE_SUM_THEN_MEAN, 700, pr, 0).pairs, 1);
        assert_int_equal(counts_of(SHAPE_SUM_THEN_MEAN, 4, pr, 0).pairs, 0);
        assert_int_equal(counts_of(SHAPE_MEAN_THEN_SUM, 700, pr, 0).pairs, 1);
        assert_int_equal(counts_of(SHAPE_LEAF_ROOT, 700, pr, 0).pairs, 0);
        /* the loss's sum or mean gives its input a gradient that is the same every epoch: folded, short
         * batch or tiled; not a square's (it reads s), not one with two contributions (sq, read twice by
         * the loss), not a root that is a leaf (its seed is an instruction) */
        for (int batch = 4; batch <= 700; batch += 696) {
            assert_int_equal(counts_of(SHAPE_SUM_THEN_MEAN, batch, pr, 0).folded, 1);
            assert_int_equal(counts_of(SHAPE_MEAN_THEN_SUM, batch, pr, 1).folded, 1);
            assert_int_equal(counts_of(SHAPE_MEAN_READ, batch, pr, 0).folded, 0);
            assert_int_equal(counts_of(SHAPE_LEAF_ROOT, batch, pr, 0).folded, 0);
        }
        assert_int_equal(counts_of(SHAPE_LESSON01, 1, pr, 0).folded, 0);
    }
    /* the AVX2 kernels where the processor has them, the others when asked */
    int has = graph_step_use_avx2(1);
    assert_int_equal(counts_of(SHAPE_SUM_THEN_MEAN, 700, GRAPH_FLOAT64, 0).avx2, has);
    graph_step_use_avx2(0);
    assert_int_equal(counts_of(SHAPE_SUM_THEN_MEAN, 700, GRAPH_FLOAT64, 0).avx2, 0);
    graph_step_use_avx2(1);
}

/* Every op of the rows appears in the random graphs, in every broadcast pattern, long and short. */
static void the_random_graphs_use_every_op(void **state)
{
    (void)state;
    int seen[GRAPH_OP_COUNT][3] = { { 0 } }; /* [op][0: one number, 1: a batch, 2: a batch with a broadcast input] */
    for (unsigned long long seed = 1; seed <= 60; seed++) {
        struct rgraph r;
        random_graph(&r, seed * 7919 + 300, 300, GRAPH_FLOAT64);
        for (int id = 0; id < graph_count(r.g); id++) {
            const graph_node *n = graph_node_at(r.g, id);
            if (n->op == GRAPH_OP_LEAF)
                continue;
            const graph_node *a = graph_node_at(r.g, n->src[0]);
            const graph_node *b = n->src[1] >= 0 ? graph_node_at(r.g, n->src[1]) : a;
            int batched = a->len > 1 || b->len > 1;
            seen[n->op][batched]++;
            if (batched && (a->len == 1 || b->len == 1))
                seen[n->op][2]++;
        }
        graph_free(r.g);
    }
    for (int op = 1; op < GRAPH_OP_COUNT; op++) {
        if (!seen[op][0] || !seen[op][1])
            fail_msg("%s: %d times on one number, %d on a batch", graph_op_name((enum graph_op)op), seen[op][0],
                     seen[op][1]);
        if (graph_op_arity((enum graph_op)op) == 2 && !seen[op][2])
            fail_msg("%s never broadcasts one number against a batch", graph_op_name((enum graph_op)op));
    }
}

/* ---------------------------------------------------------------- lessons ----------------------- */

static char *read_lesson(const char *rel, const char *precision)
{
    char path[4096];
    const char *top = getenv("TOP");
    snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *text = malloc(1 << 16);
    assert_non_null(text);
    size_t n = fread(text, 1, (1 << 16) - 100, f);
    fclose(f);
    text[n] = '\0';
    if (precision)
        snprintf(text + n, 100, "\nset precision %s\n", precision);
    return text;
}

static lesson *parse(const char *text)
{
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    if (!l)
        fail_msg("lesson does not parse: %d:%d: %s", err.line, err.col, err.message);
    return l;
}

static const char *const lesson_files[] = { "lessons/en/01-one-weight.lesson", "lessons/en/02-four-samples.lesson",
                                            "lessons/en/05-neuron.lesson" };

/* More shapes for the walk: a bias shared by two units, a node nothing needs, a batched parameter, a batch
 * long enough for tiles, and an input that only a metric reads. */
static const char more_lesson[] =
    "param w = 0.5, -0.25, 1\n"
    "param b = 0.1\n"
    "input x = 1, -2, 0.5\n"
    "input y = 0.3, 0.1, -0.4\n"
    "input z = 3\n"
    "let u = tanh(w * x + b)\n"
    "let v = sigmoid(x * b + b)\n"
    "let unused = exp(w)\n"
    "loss L = mean((u + v - y)^2)\n"
    "metric M = sum(u * z)\n"
    "set lr 0.1\n";

static char *long_lesson(void)
{
    char *text = malloc(1 << 16);
    assert_non_null(text);
    size_t u = (size_t)snprintf(text, 1 << 16, "param w = 0.3\nparam c = -0.2\ninput x = ");
    for (int i = 0; i < 600; i++)
        u += (size_t)snprintf(text + u, (1 << 16) - u, "%s%g", i ? ", " : "", (i % 13 - 6) / 5.0);
    u += (size_t)snprintf(text + u, (1 << 16) - u, "\ninput y = ");
    for (int i = 0; i < 600; i++)
        u += (size_t)snprintf(text + u, (1 << 16) - u, "%s%g", i ? ", " : "", (i % 7 - 3) / 4.0);
    snprintf(text + u, (1 << 16) - u, "\nlet s = tanh(w * x + c) - y\nloss L = mean(s^2)\nmetric M = sum(s^2)\nset lr 0.05\n");
    return text;
}

/* --train's epoch is the per-node epoch: the printed loss, each parameter and its gradient, to the bit. */
static void train_epochs_are_the_per_node_epochs(void **state)
{
    (void)state;
    static const char *const precisions[] = { NULL, "float64", "float32", "mixed" };
    for (size_t f = 0; f < 5; f++)
        for (size_t p = 0; p < 4; p++) {
            char *text = f < 3 ? read_lesson(lesson_files[f], precisions[p]) : NULL;
            if (f == 3) {
                text = malloc(sizeof more_lesson + 40);
                snprintf(text, sizeof more_lesson + 40, "%sset precision %s\n", more_lesson,
                         precisions[p] ? precisions[p] : "float64");
            } else if (f == 4) {
                text = long_lesson();
            }
            lesson *a = parse(text), *b = parse(text);
            for (int e = 1; e <= 30; e++) {
                graph_pass(a->g, a->loss, 1);
                double want = graph_node_at(a->g, a->metric >= 0 ? a->metric : a->loss)->value[0];
                graph_sgd_step(a->g, a->lr);
                double got = lesson_train_epoch(b);
                char ctx[200];
                snprintf(ctx, sizeof ctx, "lesson %zu, precision %s, epoch %d", f, precisions[p] ? precisions[p] : "its own", e);
                assert_true(same_numbers(&want, &got, 1, "printed loss", -1, ctx));
                for (int id = 0; id < graph_count(a->g); id++) {
                    const graph_node *na = graph_node_at(a->g, id), *nb = graph_node_at(b->g, id);
                    if (na->role == GRAPH_PARAM)
                        assert_true(same_numbers(na->data, nb->data, na->len, "parameter", id, ctx) &&
                                    same_numbers(na->grad, nb->grad, na->len, "gradient", id, ctx));
                }
            }
            lesson_free(a);
            lesson_free(b);
            free(text);
        }
}

/* Every node's value and gradient, the same in two walks. */
static int same_walks(const walk *a, const walk *b, const lesson *la, const lesson *lb, const char *ctx)
{
    if (walk_epoch(a) != walk_epoch(b) || walk_index(a) != walk_index(b) ||
        walk_history_count(a) != walk_history_count(b)) {
        print_error("%s: at epoch %d step %d with %d rows, and at epoch %d step %d with %d rows\n", ctx,
                    walk_epoch(a), walk_index(a), walk_history_count(a), walk_epoch(b), walk_index(b),
                    walk_history_count(b));
        return 0;
    }
    for (int id = 0; id < graph_count(la->g); id++) {
        const graph_node *na = graph_node_at(la->g, id), *nb = graph_node_at(lb->g, id);
        if (!same_numbers(na->value, nb->value, na->len, "value", id, ctx) ||
            !same_numbers(na->grad, nb->grad, na->len, "gradient", id, ctx) ||
            !same_numbers(na->pass, nb->pass, na->len, "pass", id, ctx) ||
            (na->data && !same_numbers(na->data, nb->data, na->len, "data", id, ctx)))
            return 0;
    }
    for (int k = 0; k < walk_history_count(a); k++) {
        const walk_row *ra = walk_history_at(a, k);
        double loss_a = ra->loss;
        int np = walk_param_count(a);
        double pa[64], ga[64], da[64];
        int za = ra->zero_grad;
        for (int p = 0; p < np && p < 64; p++)
            pa[p] = ra->param[p], ga[p] = ra->grad[p], da[p] = ra->dotgrad[p];
        const walk_row *rb = walk_history_at(b, k);
        if (!same_numbers(&loss_a, &rb->loss, 1, "history loss", k, ctx) ||
            !same_numbers(pa, rb->param, np, "history parameter", k, ctx) ||
            !same_numbers(ga, rb->grad, np, "history gradient", k, ctx) ||
            !same_numbers(da, rb->dotgrad, np, "history .grad", k, ctx) || za != rb->zero_grad)
            return 0;
    }
    return 1;
}

/*
 * :train's epochs run the compiled pass, but it lands on an epoch computed whole, with the history and the
 * snapshots (inputs' gradients included, which zero_grad off keeps adding to) of stepping through every
 * epoch; going back through the trained epochs finds the same numbers too.
 */
static void walk_train_is_stepping_through_the_epochs(void **state)
{
    (void)state;
    static const char *const precisions[] = { "float64", "float32", "mixed" };
    for (size_t f = 0; f < 5; f++)
        for (size_t p = 0; p < 3; p++)
            for (int zero_grad = 0; zero_grad < 2; zero_grad++) {
                char *text;
                if (f < 3) {
                    text = read_lesson(lesson_files[f], precisions[p]);
                } else if (f == 3) {
                    text = malloc(sizeof more_lesson + 40);
                    snprintf(text, sizeof more_lesson + 40, "%sset precision %s\n", more_lesson, precisions[p]);
                } else {
                    text = long_lesson();
                }
                lesson *la = parse(text), *lb = parse(text);
                walk *a = walk_new(la), *b = walk_new(lb);
                assert_non_null(a);
                assert_non_null(b);
                walk_set_zero_grad(a, zero_grad);
                walk_set_zero_grad(b, zero_grad);
                char ctx[200];
                snprintf(ctx, sizeof ctx, "lesson %zu, %s, zero_grad %d", f, precisions[p], zero_grad);
                walk_next(a), walk_next(b); /* from a step inside the epoch */
                int input = -1;
                for (int k = 0; k < la->n_names && input < 0; k++)
                    if (la->names[k].kind == LESSON_INPUT)
                        input = la->names[k].id;
                /* each round a setting of its epoch changes, in both walks alike, then both train */
                for (int round = 0; round < 6; round++) {
                    static const int rounds[] = { 1, 7, 12, 5, 3, 9 };
                    switch (round) {
                    case 1:
                        walk_set_lr(a, 0.02), walk_set_lr(b, 0.02);
                        break;
                    case 2:
                        walk_set_zero_grad(a, !zero_grad), walk_set_zero_grad(b, !zero_grad);
                        break;
                    case 3:
                        walk_set_precision(a, (enum graph_precision)((p + 1) % 3));
                        walk_set_precision(b, (enum graph_precision)((p + 1) % 3));
                        break;
                    case 4:
                        assert_int_equal(walk_set_data(a, input, 0, 0.5), 0);
                        assert_int_equal(walk_set_data(b, input, 0, 0.5), 0);
                        break;
                    case 5: /* back three epochs, then forward into the epochs kept as they were left */
                        for (int back = 0; back < 3; back++) {
                            walk_jump(a, 0), walk_jump(b, 0);
                            walk_prev(a), walk_prev(b);
                        }
                        break;
                    }
                    for (int e = 0; e < rounds[round]; e++) {
                        walk_finish_epoch(a);
                        walk_next(a);
                    }
                    assert_int_equal(walk_train(b, rounds[round]), rounds[round]);
                    assert_true(same_walks(a, b, la, lb, ctx));
                }
                for (int back = 0; back < 5; back++) { /* back through the trained epochs: their snapshots */
                    walk_jump(a, 0), walk_jump(b, 0);
                    walk_prev(a), walk_prev(b);
                    assert_true(same_walks(a, b, la, lb, ctx));
                }
                walk_free(a);
                walk_free(b);
                lesson_free(la);
                lesson_free(lb);
                free(text);
            }
}

/*
 * Training past what going back can reach: the epochs the ring would drop before training ends are passed
 * through without a starting point (walk.c's next_epoch), the rest with one; the newest rows and starting
 * points are the same as stepping through every epoch gives.
 */
static void walk_train_past_the_ring(void **state)
{
    (void)state;
    static const char *const precisions[] = { "float64", "mixed" };
    for (size_t p = 0; p < 2; p++)
        for (int zero_grad = 0; zero_grad < 2; zero_grad++) {
            char *text = read_lesson(lesson_files[0], precisions[p]);
            lesson *la = parse(text), *lb = parse(text);
            walk *a = walk_new(la), *b = walk_new(lb);
            assert_non_null(a);
            assert_non_null(b);
            walk_set_zero_grad(a, zero_grad);
            walk_set_zero_grad(b, zero_grad);
            walk_set_lr(a, 0.001), walk_set_lr(b, 0.001);
            char ctx[200];
            snprintf(ctx, sizeof ctx, "lesson 01, %s, zero_grad %d, past the ring", precisions[p], zero_grad);
            int epochs = walk_undo_epochs(a) + 25;
            for (int e = 0; e < epochs; e++) {
                walk_finish_epoch(a);
                walk_next(a);
            }
            assert_int_equal(walk_train(b, epochs), epochs);
            assert_int_equal(walk_first_epoch(a), walk_first_epoch(b));
            assert_true(same_walks(a, b, la, lb, ctx));
            for (int back = 0; back < 30; back++) {
                walk_jump(a, 0), walk_jump(b, 0);
                walk_prev(a), walk_prev(b);
            }
            assert_true(same_walks(a, b, la, lb, ctx));
            walk_free(a);
            walk_free(b);
            lesson_free(la);
            lesson_free(lb);
            free(text);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_graphs_train_the_same_to_the_bit),
        cmocka_unit_test(the_random_graphs_use_every_op),
        cmocka_unit_test(fusions_train_the_same_to_the_bit),
        cmocka_unit_test(fusions_apply_where_they_should),
        cmocka_unit_test(train_epochs_are_the_per_node_epochs),
        cmocka_unit_test(walk_train_is_stepping_through_the_epochs),
        cmocka_unit_test(walk_train_past_the_ring),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
