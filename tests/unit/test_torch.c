/*
 * test_torch.c — the core against PyTorch. tests/torch/reference.txt holds PyTorch's float64 values and
 * gradients (made by tests/torch/reference.py); each case is rebuilt here and compared to 1e-12.
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

#define TOL 1e-12

static int op(graph *g, enum graph_op o, int a, int b)
{
    int id = -1;
    assert_int_equal(graph_op(g, o, a, b, &id), GRAPH_OK);
    return id;
}

static void expect(const char *what, int line, double got, double want)
{
    if (!(fabs(got - want) <= TOL * fmax(1, fabs(want)))) {
        print_error("reference.txt:%d %s: PyTorch %.17g, bptutor %.17g\n", line, what, want, got);
        fail();
    }
}

/* Read the numbers after the case name on one line. */
static int numbers(const char *line, double *out, int max)
{
    const char *p = strchr(line, ' ');
    int n = 0;
    while (p && n < max) {
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            break;
        out[n++] = v;
        p = end;
    }
    return n;
}

static void op_case(const char *name, const double *v, int n, int line)
{
    int o = GRAPH_OP_LEAF + 1;
    while (o < GRAPH_OP_COUNT && strcmp(graph_op_name(o), name) != 0)
        o++;
    assert_true(o < GRAPH_OP_COUNT);
    int binary = graph_op_arity(o) == 2;
    assert_int_equal(n, binary ? 5 : 4);
    graph *g = graph_new(GRAPH_FLOAT64);
    int a = graph_param(g, &v[0], 1), b = graph_param(g, &v[1], 1);
    int f = op(g, o, a, binary ? b : -1);
    graph_forward(g);
    graph_backward(g, f);
    expect(name, line, graph_node_at(g, f)->value[0], v[2]);
    expect(name, line, graph_node_at(g, a)->grad[0], v[3]);
    if (binary)
        expect(name, line, graph_node_at(g, b)->grad[0], v[4]);
    graph_free(g);
}

static void batch_case(const double *v, int n, int line)
{
    assert_int_equal(n, 8);
    const double ws[] = { 0.3, 0.9, -0.4 }, xs[] = { 0.5, -1.25, 2.0 }, cv = 0.7;
    graph *g = graph_new(GRAPH_FLOAT64);
    int w = graph_param(g, ws, 3), x = graph_param(g, xs, 3), c = graph_param(g, &cv, 1);
    int t = op(g, GRAPH_OP_TANH, op(g, GRAPH_OP_MUL, w, x), -1);
    int u = op(g, GRAPH_OP_DIV, op(g, GRAPH_OP_SIGMOID, op(g, GRAPH_OP_SUB, t, c), -1), c);
    int f = op(g, GRAPH_OP_MEAN, op(g, GRAPH_OP_MUL, u, op(g, GRAPH_OP_EXP, x, -1)), -1);
    graph_forward(g);
    graph_backward(g, f);
    expect("batch f", line, graph_node_at(g, f)->value[0], v[0]);
    for (int i = 0; i < 3; i++) {
        expect("batch dw", line, graph_node_at(g, w)->grad[i], v[1 + i]);
        expect("batch dx", line, graph_node_at(g, x)->grad[i], v[4 + i]);
    }
    expect("batch dc", line, graph_node_at(g, c)->grad[0], v[7]);
    graph_free(g);
}

static void seed_case(int which, const double *v, int n, int line)
{
    assert_int_equal(n, 2);
    const double x1[] = { 2 }, y1[] = { 4 }, x2[] = { 1, 2, 3, 4 }, y2[] = { 2, 4, 6, 8 }, zero = 0;
    int len = which == 1 ? 1 : 4;
    graph *g = graph_new(GRAPH_FLOAT64);
    int w = graph_param(g, &zero, 1);
    int x = graph_input(g, which == 1 ? x1 : x2, len), y = graph_input(g, which == 1 ? y1 : y2, len);
    int s = op(g, GRAPH_OP_SUB, op(g, GRAPH_OP_MUL, w, x), y);
    int L = op(g, GRAPH_OP_MEAN, op(g, GRAPH_OP_POW, s, graph_const(g, 2)), -1);
    graph_forward(g);
    graph_backward(g, L);
    expect("seed loss", line, graph_node_at(g, L)->value[0], v[0]);
    expect("seed dw", line, graph_node_at(g, w)->grad[0], v[1]);
    graph_free(g);
}

static void every_case_matches_pytorch(void **state)
{
    (void)state;
    const char *top = getenv("TOP");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/torch/reference.txt", top ? top : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024], name[32];
    int lineno = 0, cases = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        double v[16];
        if (sscanf(line, "%31s", name) != 1)
            continue;
        int n = numbers(line, v, 16);
        if (strcmp(name, "batch") == 0)
            batch_case(v, n, lineno);
        else if (strcmp(name, "seed1") == 0 || strcmp(name, "seed2") == 0)
            seed_case(name[4] - '0', v, n, lineno);
        else
            op_case(name, v, n, lineno);
        cases++;
    }
    fclose(f);
    assert_int_equal(cases, 14 * 4 + 1 + 3); /* every op at four points, max at a tie, the batch, both seeds */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_case_matches_pytorch),
    };
    return cmocka_run_group_tests_name("torch", tests, NULL, NULL);
}
