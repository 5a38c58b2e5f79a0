/*
 * test_graph.c — the autograd core against calculus, against the seed's worked example and printed
 * tables, and against its own edge cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "graph.h"

/* |actual − expected| ≤ tol·max(1, |expected|), reported with both numbers and the caller's line. */
#define assert_close(actual, expected, tol) check_close((actual), (expected), (tol), __FILE__, __LINE__)
static void check_close(double actual, double expected, double tol, const char *file, int line)
{
    double scale = fabs(expected) > 1 ? fabs(expected) : 1;
    if (!(fabs(actual - expected) <= tol * scale)) {
        print_error("%s:%d: expected %.17g, got %.17g (tolerance %g)\n", file, line, expected, actual, tol);
        _fail(file, line);
    }
}

static int op2(graph *g, enum graph_op op, int a, int b)
{
    int id = -1;
    assert_int_equal(graph_op(g, op, a, b, &id), GRAPH_OK);
    return id;
}
static int op1(graph *g, enum graph_op op, int a) { return op2(g, op, a, -1); }
static int scalar_param(graph *g, double v) { return graph_param(g, &v, 1); }
static int scalar_input(graph *g, double v) { return graph_input(g, &v, 1); }

/* ---------------------------------------------------------------- every op vs the central difference */

/* Build f(a, b) = op(a, b) (or op(a)), reduced to a scalar by sum when batched, at the given points,
 * and compare every leaf's backprop gradient with the numeric one. */
static void check_op_at(enum graph_op op, double a, double b, double tol)
{
    graph *g = graph_new(GRAPH_FLOAT64);
    int pa = scalar_param(g, a);
    int pb = scalar_param(g, b);
    int f = graph_op_arity(op) == 2 ? op2(g, op, pa, pb) : op1(g, op, pa);
    graph_forward(g);
    assert_int_equal(graph_backward(g, f), GRAPH_OK);
    const int leaves[] = { pa, pb };
    for (int k = 0; k < graph_op_arity(op); k++) {
        int leaf = leaves[k];
        double analytic = graph_node_at(g, leaf)->grad[0];
        double numeric = graph_numeric_grad(g, f, leaf, 0);
        double err = fabs(analytic - numeric) / fmax(fabs(numeric), 1e-12);
        if (!(err < tol) && !(fabs(analytic - numeric) < 1e-12)) {
            print_error("%s at a=%g b=%g: d/d%s backprop %.17g, numeric %.17g, relative error %g\n",
                        graph_op_name(op), a, b, k ? "b" : "a", analytic, numeric, err);
            fail();
        }
    }
    graph_free(g);
}

static void every_op_matches_the_central_difference(void **state)
{
    (void)state;
    /* points chosen away from kinks (relu at 0) and outside each op's undefined region */
    static const double points[][2] = { { 0.7, 1.3 }, { -1.5, 0.4 }, { 2.25, -0.8 }, { 0.05, 3.0 } };
    for (int op = GRAPH_OP_LEAF + 1; op < GRAPH_OP_COUNT; op++) {
        for (size_t p = 0; p < sizeof points / sizeof points[0]; p++) {
            double a = points[p][0], b = points[p][1];
            if (op == GRAPH_OP_LOG)
                a = fabs(a);
            if (op == GRAPH_OP_POW)
                a = fabs(a) + 0.5; /* a variable exponent needs a positive base */
            check_op_at(op, a, b, 1e-7);
        }
    }
}

static void pow_with_a_constant_exponent_takes_a_negative_base(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    int s = scalar_param(g, -4);
    int two = graph_const(g, 2);
    int three = graph_const(g, 3);
    int f = op2(g, GRAPH_OP_POW, s, three);
    int h = op2(g, GRAPH_OP_POW, s, two);
    int sum = op2(g, GRAPH_OP_ADD, f, h);
    graph_forward(g);
    graph_backward(g, sum);
    assert_close(graph_node_at(g, sum)->value[0], -64 + 16, 0);
    assert_close(graph_node_at(g, s)->grad[0], 3 * 16 + 2 * -4, 0); /* 3s² + 2s */
    assert_close(graph_node_at(g, two)->grad[0], 0, 0);             /* constants take no gradient */
    graph_free(g);
}

static void batched_ops_match_the_central_difference(void **state)
{
    (void)state;
    const double xs[] = { 0.5, -1.25, 2.0 }, ws[] = { 0.3, 0.9, -0.4 };
    graph *g = graph_new(GRAPH_FLOAT64);
    int w = graph_param(g, ws, 3);
    int x = graph_input(g, xs, 3);
    int c = scalar_param(g, 0.7);
    int t = op1(g, GRAPH_OP_TANH, op2(g, GRAPH_OP_MUL, w, x));
    int u = op2(g, GRAPH_OP_DIV, op1(g, GRAPH_OP_SIGMOID, op2(g, GRAPH_OP_SUB, t, c)), c);
    int f = op1(g, GRAPH_OP_MEAN, op2(g, GRAPH_OP_MUL, u, op1(g, GRAPH_OP_EXP, x)));
    graph_forward(g);
    graph_backward(g, f);
    const int leaves[] = { w, x, c };
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < graph_node_at(g, leaves[k])->len; i++)
            assert_close(graph_node_at(g, leaves[k])->grad[i], graph_numeric_grad(g, f, leaves[k], i), 1e-9);
    graph_free(g);
}

/* ---------------------------------------------------------------- shared nodes, diamonds, signs ---- */

static void a_node_used_twice_gets_both_gradients(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    int a = scalar_param(g, 3);
    int f = op2(g, GRAPH_OP_MUL, a, a); /* f = a·a, ∂f/∂a = 2a */
    graph_forward(g);
    graph_backward(g, f);
    assert_close(graph_node_at(g, f)->value[0], 9, 0);
    assert_close(graph_node_at(g, a)->grad[0], 6, 0);
    graph_free(g);
}

static void a_reused_sum_passes_its_gradient_once_complete(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    int a = scalar_param(g, 2), b = scalar_param(g, -5);
    int s = op2(g, GRAPH_OP_ADD, a, b);
    int f = op2(g, GRAPH_OP_MUL, s, s); /* f = (a+b)², ∂f/∂a = ∂f/∂b = 2(a+b) = −6 */
    graph_forward(g);
    graph_backward(g, f);
    assert_close(graph_node_at(g, f)->value[0], 9, 0);
    assert_close(graph_node_at(g, s)->grad[0], -6, 0);
    assert_close(graph_node_at(g, a)->grad[0], -6, 0);
    assert_close(graph_node_at(g, b)->grad[0], -6, 0);
    graph_free(g);
}

static void a_diamond_adds_both_paths(void **state)
{
    (void)state;
    /* a → b = 3a, a → c = a², d = b·c = 3a³: ∂d/∂a = 9a² */
    graph *g = graph_new(GRAPH_FLOAT64);
    int a = scalar_param(g, 2);
    int b = op2(g, GRAPH_OP_MUL, graph_const(g, 3), a);
    int c = op2(g, GRAPH_OP_POW, a, graph_const(g, 2));
    int d = op2(g, GRAPH_OP_MUL, b, c);
    int e = op1(g, GRAPH_OP_TANH, op2(g, GRAPH_OP_MUL, d, graph_const(g, 0.01)));
    graph_forward(g);
    graph_backward(g, d);
    assert_close(graph_node_at(g, d)->value[0], 24, 0);
    assert_close(graph_node_at(g, a)->grad[0], 36, 0);
    /* a longer diamond with the tape rebuilt for another root */
    graph_zero_grad(g);
    graph_backward(g, e);
    assert_close(graph_node_at(g, a)->grad[0], graph_numeric_grad(g, e, a, 0), 1e-10);
    graph_free(g);
}

static void subtraction_has_the_right_signs(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    int a = scalar_param(g, 5), b = scalar_param(g, 3);
    int f = op2(g, GRAPH_OP_SUB, a, b);
    int n = op1(g, GRAPH_OP_NEG, b);
    graph_forward(g);
    graph_backward(g, f);
    assert_close(graph_node_at(g, f)->value[0], 2, 0);
    assert_close(graph_node_at(g, a)->grad[0], 1, 0);
    assert_close(graph_node_at(g, b)->grad[0], -1, 0);
    graph_zero_grad(g);
    graph_backward(g, n);
    assert_close(graph_node_at(g, n)->value[0], -3, 0);
    assert_close(graph_node_at(g, b)->grad[0], -1, 0);
    assert_close(graph_node_at(g, a)->grad[0], 0, 0);
    graph_free(g);
}

/* ---------------------------------------------------------------- the seed's worked example ------ */

struct seed { graph *g; int w, x, y, yhat, s, L; };

static struct seed seed_example(enum graph_precision p)
{
    struct seed m;
    m.g = graph_new(p);
    m.w = scalar_param(m.g, 0);
    m.x = scalar_input(m.g, 2);
    m.y = scalar_input(m.g, 4);
    m.yhat = op2(m.g, GRAPH_OP_MUL, m.w, m.x);
    m.s = op2(m.g, GRAPH_OP_SUB, m.yhat, m.y);
    m.L = op2(m.g, GRAPH_OP_POW, m.s, graph_const(m.g, 2));
    return m;
}

static void the_seed_example_step_by_step(void **state)
{
    (void)state;
    struct seed m = seed_example(GRAPH_FLOAT64);
    graph_forward(m.g);
    assert_close(graph_node_at(m.g, m.yhat)->value[0], 0, 0);
    assert_close(graph_node_at(m.g, m.s)->value[0], -4, 0);
    assert_close(graph_node_at(m.g, m.L)->value[0], 16, 0);
    assert_int_equal(graph_backward(m.g, m.L), GRAPH_OK);
    double dL_ds = graph_node_at(m.g, m.s)->grad[0];
    double dL_dyhat = graph_node_at(m.g, m.yhat)->grad[0];
    assert_close(dL_ds, -8, 0);
    assert_close(dL_dyhat / dL_ds, 1, 0);                              /* ∂s/∂ŷ */
    assert_close(graph_node_at(m.g, m.w)->grad[0] / dL_dyhat, 2, 0);   /* ∂ŷ/∂w = x */
    assert_close(graph_node_at(m.g, m.w)->grad[0], -16, 0);
    graph_sgd_step(m.g, 0.01);
    assert_close(graph_node_at(m.g, m.w)->data[0], 0.16, 0);
    /* the tape: the loss first, then back through s and ŷ to the leaves */
    int n;
    const int *tape = graph_tape(m.g, &n);
    assert_int_equal(tape[0], m.L);
    assert_int_equal(n, 7);
    graph_free(m.g);
}

static void local_gradients_are_the_numbers_backward_multiplies(void **state)
{
    (void)state;
    struct seed m = seed_example(GRAPH_FLOAT64);
    graph_forward(m.g);
    assert_close(graph_local_grad(m.g, m.L, 0, 0), -8, 0);    /* ∂(s²)/∂s = 2s */
    assert_close(graph_local_grad(m.g, m.s, 0, 0), 1, 0);     /* ∂s/∂ŷ */
    assert_close(graph_local_grad(m.g, m.s, 1, 0), -1, 0);    /* ∂s/∂y */
    assert_close(graph_local_grad(m.g, m.yhat, 0, 0), 2, 0);  /* ∂ŷ/∂w = x */
    assert_close(graph_local_grad(m.g, m.yhat, 1, 0), 0, 0);  /* ∂ŷ/∂x = w */
    assert_true(isnan(graph_local_grad(m.g, m.w, 0, 0)));     /* a leaf has no inputs */
    assert_true(isnan(graph_local_grad(m.g, m.yhat, 2, 0)));
    assert_true(isnan(graph_local_grad(m.g, m.yhat, 0, 1)));
    graph_backward(m.g, m.L);
    assert_close(graph_sgd_update(m.g, m.w, 0, 0.01), 0.16, 0);
    assert_close(graph_node_at(m.g, m.w)->data[0], 0, 0); /* only a preview */
    graph_free(m.g);
    /* a mean reads N elements: its local gradient is 1/N at each */
    graph *g = graph_new(GRAPH_FLOAT64);
    int x = graph_input(g, (const double[]){ 1, 2, 3, 4 }, 4);
    int mean = op1(g, GRAPH_OP_MEAN, x);
    graph_forward(g);
    assert_close(graph_local_grad(g, mean, 0, 3), 0.25, 0);
    assert_true(isnan(graph_local_grad(g, mean, 0, 4)));
    graph_free(g);
}

static void forgetting_zero_grad_accumulates(void **state)
{
    (void)state;
    struct seed m = seed_example(GRAPH_FLOAT64);
    graph_forward(m.g);
    graph_backward(m.g, m.L);
    graph_backward(m.g, m.L);
    assert_close(graph_node_at(m.g, m.w)->grad[0], -32, 0);
    assert_close(graph_node_at(m.g, m.s)->grad[0], -8, 0); /* intermediate: this pass only */
    graph_zero_grad(m.g);
    graph_backward(m.g, m.L);
    assert_close(graph_node_at(m.g, m.w)->grad[0], -16, 0);
    graph_free(m.g);
}

/* ---------------------------------------------------------------- the seed's printed tables ------ */

static const char table1[] =
    "epoch: 1, loss: 16.00000000, w: 0.160, dw: -16.000\n"
    "epoch: 2, loss: 13.54240036, w: 0.307, dw: -14.720\n"
    "epoch: 3, loss: 11.46228790, w: 0.443, dw: -13.542\n"
    "epoch: 4, loss: 9.70168018, w: 0.567, dw: -12.459\n"
    "epoch: 5, loss: 8.21150303, w: 0.682, dw: -11.462\n"
    "epoch: 6, loss: 6.95021534, w: 0.787, dw: -10.545\n"
    "epoch: 7, loss: 5.88266134, w: 0.884, dw: -9.702\n"
    "epoch: 8, loss: 4.97908545, w: 0.974, dw: -8.926\n"
    "epoch: 9, loss: 4.21429777, w: 1.056, dw: -8.212\n"
    "epoch: 10, loss: 3.56698155, w: 1.131, dw: -7.555\n";

static const char table2[] =
    "epoch: 1, loss: 30.00000000, w: 1.200, dw: -120.000\n"
    "epoch: 2, loss: 4.79999924, w: 1.680, dw: -48.000\n"
    "epoch: 3, loss: 0.76800019, w: 1.872, dw: -19.200\n"
    "epoch: 4, loss: 0.12288000, w: 1.949, dw: -7.680\n"
    "epoch: 5, loss: 0.01966083, w: 1.980, dw: -3.072\n"
    "epoch: 6, loss: 0.00314570, w: 1.992, dw: -1.229\n"
    "epoch: 7, loss: 0.00050332, w: 1.997, dw: -0.492\n"
    "epoch: 8, loss: 0.00008053, w: 1.999, dw: -0.197\n"
    "epoch: 9, loss: 0.00001288, w: 1.999, dw: -0.079\n"
    "epoch: 10, loss: 0.00000206, w: 2.000, dw: -0.031\n";

/* The seed's loop: forward, backward, update, print (the loss and dw of this pass, w after the step). */
static void train_table(graph *g, int objective, int printed, int w, int epochs, double lr, char *out,
                        size_t size)
{
    size_t used = 0;
    for (int e = 1; e <= epochs; e++) {
        graph_zero_grad(g);
        graph_forward(g);
        graph_backward(g, objective);
        double loss = graph_node_at(g, printed)->value[0];
        double dw = graph_node_at(g, w)->grad[0];
        graph_sgd_step(g, lr);
        used += (size_t)snprintf(out + used, size - used, "epoch: %d, loss: %.8f, w: %.3f, dw: %.3f\n", e,
                                 loss, graph_node_at(g, w)->data[0], dw);
    }
}

/* Table 1: x = 2, y = 4, L = mean((w·x − y)²). */
static void table1_in(enum graph_precision p, char *out, size_t size)
{
    struct seed m = seed_example(p);
    int L = op1(m.g, GRAPH_OP_MEAN, m.L);
    train_table(m.g, L, L, m.w, 10, 0.01, out, size);
    graph_free(m.g);
}

/* Table 2: x = 1..4, y = 2x; the gradient is that of sum(s²), the printed loss is mean(s²). */
static void table2_in(enum graph_precision p, const double *xs, const double *ys, char *out, size_t size)
{
    graph *g = graph_new(p);
    int w = scalar_param(g, 0);
    int x = graph_input(g, xs, 4), y = graph_input(g, ys, 4);
    int s = op2(g, GRAPH_OP_SUB, op2(g, GRAPH_OP_MUL, w, x), y);
    int sq = op2(g, GRAPH_OP_POW, s, graph_const(g, 2));
    int objective = op1(g, GRAPH_OP_SUM, sq), printed = op1(g, GRAPH_OP_MEAN, sq);
    train_table(g, objective, printed, w, 10, 0.01, out, size);
    graph_free(g);
}

static const double xs[] = { 1, 2, 3, 4 }, ys[] = { 2, 4, 6, 8 };

static void mixed_precision_reproduces_table1(void **state)
{
    (void)state;
    char out[2048];
    table1_in(GRAPH_MIXED, out, sizeof out);
    assert_string_equal(out, table1);
}

static void mixed_precision_reproduces_table2(void **state)
{
    (void)state;
    char out[2048];
    table2_in(GRAPH_MIXED, xs, ys, out, sizeof out);
    assert_string_equal(out, table2);
}

/* NOTES.md: pure float32 and pure float64 give other digits. These pin what the precisions mean. */
static void float32_and_float64_differ_from_the_tables(void **state)
{
    (void)state;
    char out[2048];
    table1_in(GRAPH_FLOAT32, out, sizeof out);
    assert_non_null(strstr(out, "epoch: 4, loss: 9.70167923,"));
    table1_in(GRAPH_FLOAT64, out, sizeof out);
    assert_non_null(strstr(out, "epoch: 4, loss: 9.70168002,"));
    table2_in(GRAPH_FLOAT32, xs, ys, out, sizeof out);
    assert_non_null(strstr(out, "epoch: 2, loss: 4.80000067,"));
    table2_in(GRAPH_FLOAT64, xs, ys, out, sizeof out);
    assert_non_null(strstr(out, "epoch: 2, loss: 4.80000000,"));
}

/* NOTES.md: the data printed beside the second listing diverges at lr 0.01. */
static void the_listed_data_diverges(void **state)
{
    (void)state;
    static const double lx[] = { 2, 4, 6, 8 }, ly[] = { 4, 8, 12, 16 };
    char out[2048];
    table2_in(GRAPH_FLOAT64, lx, ly, out, sizeof out);
    assert_non_null(strstr(out, "epoch: 1, loss: 120.00000000, w: 4.800,"));
    assert_non_null(strstr(out, "epoch: 2, loss: 235.20000000, w: -1.920,"));
    assert_non_null(strstr(out, "epoch: 3, loss: 460.99200000, w: 7.488,"));
    assert_non_null(strstr(out, "epoch: 4, loss: 903.54432000, w: -5.683,"));
}

/* The true gradient of the printed mean loss at w = 0 is −30, not the listing's −120. */
static void autograd_on_the_mean_gives_minus_30(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    int w = scalar_param(g, 0);
    int x = graph_input(g, xs, 4), y = graph_input(g, ys, 4);
    int s = op2(g, GRAPH_OP_SUB, op2(g, GRAPH_OP_MUL, w, x), y);
    int L = op1(g, GRAPH_OP_MEAN, op2(g, GRAPH_OP_POW, s, graph_const(g, 2)));
    graph_forward(g);
    graph_backward(g, L);
    assert_close(graph_node_at(g, L)->value[0], 30, 0);
    assert_close(graph_node_at(g, w)->grad[0], -30, 0);
    graph_free(g);
}

/* ---------------------------------------------------------------- batches ------------------------ */

static void broadcasting_and_reductions(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    int w = scalar_param(g, 3);
    int x = graph_input(g, xs, 4);
    int wx = op2(g, GRAPH_OP_MUL, w, x);  /* length 1 against 4 */
    int xw = op2(g, GRAPH_OP_SUB, x, w);  /* and 4 against 1 */
    int total = op1(g, GRAPH_OP_SUM, wx);
    int avg = op1(g, GRAPH_OP_MEAN, xw);
    int f = op2(g, GRAPH_OP_ADD, total, avg);
    assert_int_equal(graph_node_at(g, wx)->len, 4);
    assert_int_equal(graph_node_at(g, xw)->len, 4);
    assert_int_equal(graph_node_at(g, total)->len, 1);
    graph_forward(g);
    static const double want_wx[] = { 3, 6, 9, 12 };
    for (int i = 0; i < 4; i++)
        assert_close(graph_node_at(g, wx)->value[i], want_wx[i], 0);
    assert_close(graph_node_at(g, total)->value[0], 30, 0);
    assert_close(graph_node_at(g, avg)->value[0], -0.5, 0);
    graph_backward(g, f);
    /* ∂f/∂w = Σx − 1 = 9, summed back to length 1; ∂f/∂x_i = w + 1/4 */
    assert_close(graph_node_at(g, w)->grad[0], 9, 0);
    for (int i = 0; i < 4; i++)
        assert_close(graph_node_at(g, x)->grad[i], 3.25, 0);
    graph_free(g);
}

static void mismatched_lengths_are_an_error_not_an_abort(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    const double three[] = { 1, 2, 3 };
    int a = graph_input(g, xs, 4), b = graph_input(g, three, 3);
    int out = -7, before = graph_count(g);
    assert_int_equal(graph_op(g, GRAPH_OP_ADD, a, b, &out), GRAPH_ELENGTH);
    assert_int_equal(out, -7);
    assert_int_equal(graph_count(g), before);
    assert_string_equal(graph_status_message(GRAPH_ELENGTH), "batch lengths do not match");
    assert_int_equal(graph_op(g, GRAPH_OP_ADD, a, -1, &out), GRAPH_EARITY);
    assert_int_equal(graph_op(g, GRAPH_OP_EXP, a, b, &out), GRAPH_EARITY);
    assert_int_equal(graph_op(g, GRAPH_OP_ADD, a, 99, &out), GRAPH_EARG);
    assert_int_equal(graph_param(g, xs, 0), -1);
    /* a non-scalar root is refused */
    assert_int_equal(graph_backward(g, a), GRAPH_EARG);
    graph_free(g);
}

/* ---------------------------------------------------------------- divergence --------------------- */

static void a_huge_learning_rate_diverges_quietly(void **state)
{
    (void)state;
    for (int p = GRAPH_FLOAT64; p <= GRAPH_MIXED; p++) {
        struct seed m = seed_example((enum graph_precision)p);
        double w = 0;
        for (int e = 0; e < 400; e++) {
            graph_zero_grad(m.g);
            graph_forward(m.g);
            graph_backward(m.g, m.L);
            graph_sgd_step(m.g, 10);
            w = graph_node_at(m.g, m.w)->data[0];
        }
        assert_true(isnan(w) || isinf(w));
        graph_free(m.g);
    }
}

/* ---------------------------------------------------------------- tables and names --------------- */

static void op_table_names_and_lookups(void **state)
{
    (void)state;
    assert_string_equal(graph_op_name(GRAPH_OP_SIGMOID), "sigmoid");
    assert_string_equal(graph_op_symbol(GRAPH_OP_SUB), "\u2212");
    assert_int_equal(graph_op_arity(GRAPH_OP_POW), 2);
    assert_int_equal(graph_op_lookup("tanh"), GRAPH_OP_TANH);
    assert_int_equal(graph_op_lookup("mean"), GRAPH_OP_MEAN);
    assert_int_equal(graph_op_lookup("add"), -1); /* infix ops are not functions */
    assert_int_equal(graph_op_lookup("nope"), -1);
    assert_int_equal(graph_precision_lookup("mixed"), GRAPH_MIXED);
    assert_int_equal(graph_precision_lookup("float16"), -1);
    assert_string_equal(graph_precision_name(GRAPH_FLOAT32), "float32");
    assert_true(graph_op_precedence(GRAPH_OP_POW) > graph_op_precedence(GRAPH_OP_NEG));
    assert_true(graph_op_precedence(GRAPH_OP_NEG) > graph_op_precedence(GRAPH_OP_MUL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_op_matches_the_central_difference),
        cmocka_unit_test(pow_with_a_constant_exponent_takes_a_negative_base),
        cmocka_unit_test(batched_ops_match_the_central_difference),
        cmocka_unit_test(a_node_used_twice_gets_both_gradients),
        cmocka_unit_test(a_reused_sum_passes_its_gradient_once_complete),
        cmocka_unit_test(a_diamond_adds_both_paths),
        cmocka_unit_test(subtraction_has_the_right_signs),
        cmocka_unit_test(the_seed_example_step_by_step),
        cmocka_unit_test(local_gradients_are_the_numbers_backward_multiplies),
        cmocka_unit_test(forgetting_zero_grad_accumulates),
        cmocka_unit_test(mixed_precision_reproduces_table1),
        cmocka_unit_test(mixed_precision_reproduces_table2),
        cmocka_unit_test(float32_and_float64_differ_from_the_tables),
        cmocka_unit_test(the_listed_data_diverges),
        cmocka_unit_test(autograd_on_the_mean_gives_minus_30),
        cmocka_unit_test(broadcasting_and_reductions),
        cmocka_unit_test(mismatched_lengths_are_an_error_not_an_abort),
        cmocka_unit_test(a_huge_learning_rate_diverges_quietly),
        cmocka_unit_test(op_table_names_and_lookups),
    };
    return cmocka_run_group_tests_name("graph", tests, NULL, NULL);
}
