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
#include <stdlib.h>
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

/* Points away from kinks (relu at 0). An op undefined at a point (log of a negative number, a negative base
 * to a variable power) is taken at |a| + 0.5 instead, so a new op's row is checked without a case here. */
static const double points[][2] = { { 0.7, 1.3 }, { -1.5, 0.4 }, { 2.25, -0.8 }, { 0.05, 3.0 } };
enum { N_POINTS = sizeof points / sizeof points[0] };

static double defined_a(enum graph_op op, double a, double b)
{
    double out;
    graph_apply(op, &a, 1, &b, graph_op_arity(op) == 2 ? 1 : 0, &out);
    return isfinite(out) ? a : fabs(a) + 0.5;
}

static void every_op_matches_the_central_difference(void **state)
{
    (void)state;
    for (int op = GRAPH_OP_LEAF + 1; op < GRAPH_OP_COUNT; op++)
        for (int p = 0; p < N_POINTS; p++)
            check_op_at(op, defined_a(op, points[p][0], points[p][1]), points[p][1], 1e-7);
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

/* ---------------------------------------------------------------- one row per op --------------------- */

/*
 * Each op's row says three things that must agree: forward, the local gradient, and its blackboard text.
 * The tests below take every op (a new row included, with no change here) at the points above, on a
 * scalar, on a batch with a broadcast input, and through a reduction.
 */

/* A graph of one op on two parameters a (la elements) and b (lb, or none): its node id through *f. */
static graph *one_op(enum graph_op op, const double *a, int la, const double *b, int lb, int *f)
{
    graph *g = graph_new(GRAPH_FLOAT64);
    int pa = graph_param(g, a, la);
    int pb = graph_param(g, b, lb);
    *f = graph_op_arity(op) == 2 ? op2(g, op, pa, pb) : op1(g, op, pa);
    graph_forward(g);
    return g;
}

/* The inputs of a test case: a scalar pair, or a batch of 3 against a broadcast b, or a batch of 4 into a
 * reduction. */
struct op_case { double a[4], b; int la; };

static struct op_case op_case_at(enum graph_op op, int p, int batch)
{
    struct op_case c = { .b = points[p][1], .la = 1 };
    double a = defined_a(op, points[p][0], c.b);
    c.a[0] = a;
    if (batch || graph_op_reduces(op)) {
        /* nearby points on the same side of 0, so a defined op stays defined */
        c.la = graph_op_reduces(op) ? 4 : 3;
        for (int i = 1; i < c.la; i++)
            c.a[i] = a * (1 + 0.25 * i);
    }
    return c;
}

static void every_op_applies_as_forward_computes(void **state)
{
    (void)state;
    for (int op = GRAPH_OP_LEAF + 1; op < GRAPH_OP_COUNT; op++)
        for (int p = 0; p < N_POINTS; p++)
            for (int batch = 0; batch < 2; batch++) {
                struct op_case c = op_case_at(op, p, batch);
                int lb = graph_op_arity(op) == 2 ? 1 : 0, f;
                graph *g = one_op(op, c.a, c.la, &c.b, 1, &f);
                const graph_node *n = graph_node_at(g, f);
                double out[4];
                graph_apply(op, c.a, c.la, lb ? &c.b : NULL, lb, out);
                assert_int_equal(n->len, graph_op_reduces(op) ? 1 : c.la);
                if (memcmp(out, n->value, (size_t)n->len * sizeof *out) != 0) {
                    print_error("%s: graph_apply gives %.17g, forward %.17g\n", graph_op_name(op), out[0],
                                n->value[0]);
                    fail();
                }
                graph_free(g);
            }
}

/* ∂out_i/∂(input k at element i, or its only element when broadcast) by a five-point central difference
 * of graph_apply. */
static double numeric_local(enum graph_op op, struct op_case c, int k, int i)
{
    int lb = graph_op_arity(op) == 2 ? 1 : 0, red = graph_op_reduces(op);
    double *x = k == 0 ? &c.a[i] : &c.b, x0 = *x, h = 1e-4 * fmax(fabs(x0), 1e-2), f[4];
    static const double steps[4] = { -2, -1, 1, 2 };
    for (int s = 0; s < 4; s++) {
        double out[4];
        *x = x0 + steps[s] * h;
        graph_apply(op, c.a, c.la, lb ? &c.b : NULL, lb, out);
        f[s] = out[red ? 0 : i];
    }
    *x = x0;
    return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h);
}

static void every_local_gradient_matches_the_central_difference(void **state)
{
    (void)state;
    for (int op = GRAPH_OP_LEAF + 1; op < GRAPH_OP_COUNT; op++)
        for (int p = 0; p < N_POINTS; p++)
            for (int batch = 0; batch < 2; batch++) {
                struct op_case c = op_case_at(op, p, batch);
                int f;
                graph *g = one_op(op, c.a, c.la, &c.b, 1, &f);
                assert_int_equal(graph_local_len(g, f), c.la);
                for (int k = 0; k < graph_op_arity(op); k++)
                    for (int i = 0; i < c.la; i++) {
                        double local = graph_local_grad(g, f, k, i), numeric = numeric_local(op, c, k, i);
                        if (!(fabs(local - numeric) <= 1e-7 * fmax(1, fabs(numeric)))) {
                            print_error("%s at a=%g b=%g: ∂out/∂%s[%d] is %.17g by its row, %.17g numerically\n",
                                        graph_op_name(op), c.a[i], c.b, k ? "b" : "a", i, local, numeric);
                            fail();
                        }
                    }
                assert_true(isnan(graph_local_grad(g, f, graph_op_arity(op), 0)));
                assert_true(isnan(graph_local_grad(g, f, 0, c.la)));
                graph_free(g);
            }
}

/*
 * The blackboard text, worked out. A small evaluator for what the texts use: numbers, + − · / ^, unary −,
 * parentheses, log(…), relu's "(1 if X > 0, else 0)" and max's "(1 if X > Y, ½ if equal, else 0)". %a, %b, %o and %n are put in as numbers first,
 * the way the walkthrough's second line of a local gradient does.
 */
struct board { const char *p; int bad; };

static void board_space(struct board *s)
{
    while (*s->p == ' ')
        s->p++;
}

static int board_eat(struct board *s, const char *tok)
{
    board_space(s);
    size_t n = strlen(tok);
    if (strncmp(s->p, tok, n) != 0)
        return 0;
    s->p += n;
    return 1;
}

static double board_expr(struct board *s);

static double board_primary(struct board *s)
{
    if (board_eat(s, "log(")) {
        double v = log(board_expr(s));
        s->bad |= !board_eat(s, ")");
        return v;
    }
    if (board_eat(s, "(")) {
        double v = board_expr(s);
        if (board_eat(s, "if")) { /* (1 if X > 0, else 0), and max's (1 if X > Y, ½ if equal, else 0) */
            double x = board_expr(s);
            s->bad |= !board_eat(s, ">");
            double y = board_expr(s);
            s->bad |= !board_eat(s, ",");
            double tie = NAN;
            if (board_eat(s, "\u00bd")) {
                tie = 0.5;
                s->bad |= !board_eat(s, "if") || !board_eat(s, "equal") || !board_eat(s, ",");
            }
            s->bad |= !board_eat(s, "else");
            double other = board_expr(s);
            v = x > y ? v : x == y && !isnan(tie) ? tie : other;
        }
        s->bad |= !board_eat(s, ")");
        return v;
    }
    board_space(s);
    char *end;
    double v = strtod(s->p, &end);
    s->bad |= end == s->p;
    s->p = end;
    return v;
}

static double board_unary(struct board *s)
{
    return board_eat(s, "\u2212") ? -board_unary(s) : board_primary(s);
}

static double board_power(struct board *s)
{
    double v = board_unary(s);
    return board_eat(s, "^") ? pow(v, board_power(s)) : v;
}

static double board_term(struct board *s)
{
    double v = board_power(s);
    for (;;) {
        if (board_eat(s, "\u00b7"))
            v *= board_power(s);
        else if (board_eat(s, "/"))
            v /= board_power(s);
        else
            return v;
    }
}

static double board_expr(struct board *s)
{
    double v = board_term(s);
    for (;;) {
        if (board_eat(s, "+"))
            v += board_term(s);
        else if (board_eat(s, "\u2212"))
            v -= board_term(s);
        else
            return v;
    }
}

/* The text of op's local gradient k with a, b, the result and N put in; NAN when it does not read. */
static double board_value(const char *form, double a, double b, double o, int n)
{
    char text[512];
    size_t used = 0;
    for (const char *p = form; *p && used < sizeof text - 32; p++) {
        if (*p != '%' || !p[1]) {
            text[used++] = *p;
            continue;
        }
        p++;
        if (*p == 'n')
            used += (size_t)snprintf(text + used, sizeof text - used, "%d", n);
        else
            used += (size_t)snprintf(text + used, sizeof text - used, "(%.17g)", *p == 'a' ? a : *p == 'b' ? b : o);
    }
    text[used] = '\0';
    struct board s = { text, 0 };
    double v = board_expr(&s);
    board_space(&s);
    return s.bad || *s.p ? NAN : v;
}

static void every_blackboard_text_works_out_to_the_local_gradient(void **state)
{
    (void)state;
    for (int op = GRAPH_OP_LEAF + 1; op < GRAPH_OP_COUNT; op++) {
        for (int k = 0; k < 2; k++)
            assert_true((graph_op_local_form(op, k) != NULL) == (k < graph_op_arity(op)));
        for (int p = 0; p < N_POINTS; p++) {
            struct op_case c = op_case_at(op, p, 0);
            int f;
            graph *g = one_op(op, c.a, c.la, &c.b, 1, &f);
            for (int k = 0; k < graph_op_arity(op); k++) {
                const char *form = graph_op_local_form(op, k);
                double text = board_value(form, c.a[0], c.b, graph_node_at(g, f)->value[0], c.la);
                double local = graph_local_grad(g, f, k, 0);
                if (!(fabs(text - local) <= 1e-12 * fmax(1, fabs(local)))) {
                    print_error("%s at a=%g b=%g: the board's \"%s\" is %.17g, the row's gradient %.17g\n",
                                graph_op_name(op), c.a[0], c.b, form, text, local);
                    fail();
                }
            }
            graph_free(g);
        }
    }
    assert_null(graph_op_local_form(GRAPH_OP_LEAF, 0));
    assert_null(graph_op_local_form(GRAPH_OP_COUNT, 0));
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

/* Backward keeps this pass's derivative (pass) apart from the .grad it adds it to, as PyTorch does. */
static void the_pass_gradient_and_the_accumulated_grad_are_kept_apart(void **state)
{
    (void)state;
    struct seed m = seed_example(GRAPH_FLOAT64);
    graph_forward(m.g);
    graph_backward(m.g, m.L);
    graph_backward(m.g, m.L);
    const graph_node *w = graph_node_at(m.g, m.w), *s = graph_node_at(m.g, m.s);
    assert_close(w->pass[0], -16, 0);
    assert_close(w->grad[0], -32, 0);
    assert_ptr_equal(s->pass, s->grad); /* an operation's gradient is this pass's only */
    graph_zero_grad(m.g);
    graph_backward(m.g, m.L);
    assert_close(w->pass[0], -16, 0);
    assert_close(w->grad[0], -16, 0);
    graph_free(m.g);
}

/*
 * A broadcast leaf's .grad takes this pass's gradient in one addition, rounded once, as PyTorch's
 * .grad += grad does: with .grad at 2^24 in float32, adding the two contributions of 1 one at a time would
 * round each away (2^24 + 1 is not a float), while their sum, 2, lands exactly.
 */
static void a_broadcast_leaf_adds_its_pass_to_grad_in_one_rounding(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT32);
    double ones[2] = { 1, 1 };
    int w = scalar_param(g, 0.5), x = graph_input(g, ones, 2);
    int L = op1(g, GRAPH_OP_SUM, op2(g, GRAPH_OP_MUL, w, x));
    double *snap = malloc(graph_snapshot_size(g) * sizeof *snap);
    graph_snapshot(g, snap);
    *(double *)graph_snapshot_grad(g, snap, w) = 16777216.0;
    graph_restore(g, snap);
    assert_int_equal(graph_pass(g, L, 0), GRAPH_OK);
    assert_close(graph_node_at(g, w)->pass[0], 2, 0);
    assert_close(graph_node_at(g, w)->grad[0], 16777218.0, 0);
    free(snap);
    graph_free(g);
}

/* Forward computes only what the roots need; a node nothing needs keeps what it had (here, nothing). */
static void only_the_live_nodes_are_computed(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    int w = scalar_param(g, 2), x = scalar_input(g, 3);
    int a = op2(g, GRAPH_OP_MUL, w, x), unused = op2(g, GRAPH_OP_ADD, w, x);
    int L = op2(g, GRAPH_OP_MUL, a, a);
    graph_forward(g);
    assert_true(graph_live(g, unused) && graph_node_at(g, unused)->value[0] == 5); /* no roots yet: all live */
    graph_set_roots(g, L, -1);
    assert_true(graph_live(g, w) && graph_live(g, x) && graph_live(g, a) && graph_live(g, L));
    assert_false(graph_live(g, unused));
    graph_set_data(g, w, 0, 4);
    graph_forward(g);
    assert_close(graph_node_at(g, L)->value[0], 144, 0);
    assert_close(graph_node_at(g, unused)->value[0], 5, 0); /* not recomputed */
    graph_set_roots(g, L, unused);                         /* a second root: the metric's place */
    graph_forward(g);
    assert_close(graph_node_at(g, unused)->value[0], 7, 0);
    graph_set_roots(g, -1, -1);
    assert_true(graph_live(g, unused));
    graph_free(g);
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

/* The seed's loop through the core's one epoch (graph_pass, then graph_sgd_step), as --train and the
 * walkthrough run it: print the loss and dw of this pass, w after the step. */
static void train_table(graph *g, int objective, int printed, int w, int epochs, double lr, char *out,
                        size_t size)
{
    size_t used = 0;
    for (int e = 1; e <= epochs; e++) {
        assert_int_equal(graph_pass(g, objective, 1), GRAPH_OK);
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

/* graph_pass is the seed's zero_grad, forward, backward, to the bit; without zero_grad .grad adds up. */
static void the_pass_is_zero_grad_forward_backward(void **state)
{
    (void)state;
    for (int p = 0; p < GRAPH_PRECISION_COUNT; p++) {
        struct seed a = seed_example((enum graph_precision)p), b = seed_example((enum graph_precision)p);
        for (int e = 0; e < 5; e++) {
            graph_zero_grad(a.g);
            graph_forward(a.g);
            graph_backward(a.g, a.L);
            graph_sgd_step(a.g, 0.01);
            graph_pass(b.g, b.L, 1);
            graph_sgd_step(b.g, 0.01);
        }
        for (int id = 0; id < graph_count(a.g); id++) {
            const graph_node *na = graph_node_at(a.g, id), *nb = graph_node_at(b.g, id);
            assert_memory_equal(na->value, nb->value, sizeof(double));
            assert_memory_equal(na->grad, nb->grad, sizeof(double));
        }
        graph_free(a.g);
        graph_free(b.g);
    }
    struct seed m = seed_example(GRAPH_FLOAT64);
    graph_pass(m.g, m.L, 0);
    graph_pass(m.g, m.L, 0);
    assert_close(graph_node_at(m.g, m.w)->grad[0], -32, 0);
    graph_pass(m.g, m.L, 1);
    assert_close(graph_node_at(m.g, m.w)->grad[0], -16, 0);
    /* no root: forward only */
    graph_zero_grad(m.g);
    assert_int_equal(graph_pass(m.g, -1, 1), GRAPH_OK);
    assert_close(graph_node_at(m.g, m.L)->value[0], 16, 0);
    assert_close(graph_node_at(m.g, m.w)->grad[0], 0, 0);
    graph_free(m.g);
}

/* ---------------------------------------------------------------- snapshots ---------------------- */

/* Every parameter's data, every leaf's grad and every node's value, as bytes: what a snapshot and a forward
 * pass must bring back. */
static size_t state_bytes(const graph *g, unsigned char *buf)
{
    size_t used = 0;
    for (int id = 0; id < graph_count(g); id++) {
        const graph_node *n = graph_node_at(g, id);
        size_t bytes = (size_t)n->len * sizeof(double);
        if (n->role == GRAPH_PARAM)
            memcpy(buf + used, n->data, bytes), used += bytes;
        if (n->op == GRAPH_OP_LEAF)
            memcpy(buf + used, n->grad, bytes), used += bytes;
        memcpy(buf + used, n->value, bytes), used += bytes;
    }
    return used;
}

static void a_snapshot_brings_back_what_training_changed(void **state)
{
    (void)state;
    for (int p = 0; p < GRAPH_PRECISION_COUNT; p++) {
        graph *g = graph_new((enum graph_precision)p);
        const double w0[] = { 0.3, -0.7, 1.1 };
        int w = graph_param(g, w0, 3), c = scalar_param(g, 0.25);
        int x = graph_input(g, xs, 4), y = graph_input(g, ys, 4);
        int z = op2(g, GRAPH_OP_ADD, op2(g, GRAPH_OP_MUL, c, x), y);
        int L = op1(g, GRAPH_OP_MEAN, op1(g, GRAPH_OP_TANH, op2(g, GRAPH_OP_SUB, z, op1(g, GRAPH_OP_SUM, w))));
        /* a state worth saving: .grad left to pile up over two passes and a step */
        graph_pass(g, L, 0);
        graph_sgd_step(g, 0.1);
        graph_pass(g, L, 0);
        size_t size = graph_snapshot_size(g);
        assert_int_equal(size, 3 + 1 + (3 + 1 + 4 + 4)); /* data of w and c; grads of w, c, x and y */
        double *snap = malloc(size * sizeof *snap), *again = malloc(size * sizeof *again);
        unsigned char before[4096], after[4096];
        graph_snapshot(g, snap);
        size_t n = state_bytes(g, before);
        const double *gw = graph_snapshot_grad(g, snap, w), *gx = graph_snapshot_grad(g, snap, x);
        assert_memory_equal(gw, graph_node_at(g, w)->grad, 3 * sizeof(double));
        assert_memory_equal(gx, graph_node_at(g, x)->grad, 4 * sizeof(double));
        assert_null(graph_snapshot_grad(g, snap, z)); /* an operation's grad is backward's to rewrite */
        assert_null(graph_snapshot_grad(g, snap, L + 1));
        /* train on, then put it back: parameters and leaves' grads to the bit */
        for (int e = 0; e < 3; e++) {
            graph_pass(g, L, 1);
            graph_sgd_step(g, 0.1);
        }
        graph_restore(g, snap);
        graph_forward(g);
        assert_int_equal(state_bytes(g, after), n);
        assert_memory_equal(before, after, n);
        graph_snapshot(g, again);
        assert_memory_equal(snap, again, size * sizeof *snap);
        free(snap);
        free(again);
        graph_free(g);
    }
}

/* ---------------------------------------------------------------- requires_grad ------------------ */

static void requires_grad_is_what_the_loss_reaches_from_a_parameter(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    int w = scalar_param(g, 0.5), x = graph_input(g, xs, 4), y = graph_input(g, ys, 4);
    int two = graph_const(g, 2);
    int s = op2(g, GRAPH_OP_SUB, op2(g, GRAPH_OP_MUL, w, x), y);
    int L = op1(g, GRAPH_OP_SUM, op2(g, GRAPH_OP_POW, s, two));
    int data_only = op1(g, GRAPH_OP_EXP, x);                   /* computed from no parameter */
    int off = op2(g, GRAPH_OP_POW, op1(g, GRAPH_OP_NEG, s), two); /* only the metric uses it */
    int M = op1(g, GRAPH_OP_MEAN, off);
    /* before any backward pass, nothing */
    for (int id = 0; id < graph_count(g); id++)
        assert_false(graph_requires_grad(g, id));
    assert_true(graph_from_param(g, w) && graph_from_param(g, s) && graph_from_param(g, M));
    assert_false(graph_from_param(g, x) || graph_from_param(g, two) || graph_from_param(g, data_only));
    graph_pass(g, L, 1);
    assert_true(graph_requires_grad(g, w) && graph_requires_grad(g, s) && graph_requires_grad(g, L));
    assert_false(graph_requires_grad(g, x) || graph_requires_grad(g, y) || graph_requires_grad(g, two));
    assert_false(graph_requires_grad(g, data_only));
    /* a metric is computed from w, but the loss's backward pass never reaches it */
    assert_false(graph_requires_grad(g, M) || graph_requires_grad(g, off));
    /* backward from the metric instead: now it does */
    graph_pass(g, M, 1);
    assert_true(graph_requires_grad(g, M) && graph_requires_grad(g, off) && graph_requires_grad(g, s));
    assert_false(graph_requires_grad(g, L));
    /* a new node: the tape is gone until the next backward pass */
    int later = op1(g, GRAPH_OP_TANH, L);
    assert_false(graph_requires_grad(g, s));
    graph_pass(g, later, 1);
    assert_true(graph_requires_grad(g, later) && graph_requires_grad(g, w));
    assert_false(graph_requires_grad(g, -1) || graph_requires_grad(g, later + 1));
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
        cmocka_unit_test(every_op_applies_as_forward_computes),
        cmocka_unit_test(every_local_gradient_matches_the_central_difference),
        cmocka_unit_test(every_blackboard_text_works_out_to_the_local_gradient),
        cmocka_unit_test(a_node_used_twice_gets_both_gradients),
        cmocka_unit_test(a_reused_sum_passes_its_gradient_once_complete),
        cmocka_unit_test(a_diamond_adds_both_paths),
        cmocka_unit_test(subtraction_has_the_right_signs),
        cmocka_unit_test(the_seed_example_step_by_step),
        cmocka_unit_test(local_gradients_are_the_numbers_backward_multiplies),
        cmocka_unit_test(forgetting_zero_grad_accumulates),
        cmocka_unit_test(the_pass_gradient_and_the_accumulated_grad_are_kept_apart),
        cmocka_unit_test(a_broadcast_leaf_adds_its_pass_to_grad_in_one_rounding),
        cmocka_unit_test(only_the_live_nodes_are_computed),
        cmocka_unit_test(mixed_precision_reproduces_table1),
        cmocka_unit_test(mixed_precision_reproduces_table2),
        cmocka_unit_test(float32_and_float64_differ_from_the_tables),
        cmocka_unit_test(the_listed_data_diverges),
        cmocka_unit_test(autograd_on_the_mean_gives_minus_30),
        cmocka_unit_test(the_pass_is_zero_grad_forward_backward),
        cmocka_unit_test(a_snapshot_brings_back_what_training_changed),
        cmocka_unit_test(requires_grad_is_what_the_loss_reaches_from_a_parameter),
        cmocka_unit_test(broadcasting_and_reductions),
        cmocka_unit_test(mismatched_lengths_are_an_error_not_an_abort),
        cmocka_unit_test(a_huge_learning_rate_diverges_quietly),
        cmocka_unit_test(op_table_names_and_lookups),
    };
    return cmocka_run_group_tests_name("graph", tests, NULL, NULL);
}
