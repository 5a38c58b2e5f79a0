/*
 * bench_core.c — the autograd core against a hand-written loop that trains the same model with its
 * closed-form gradient. Model: the seed's linear fit, ŷ = w·x, L = Σ(ŷ − y)², trained by SGD.
 *
 * Prints, per batch size, nanoseconds per training step (forward, backward, update) for both, their
 * ratio (the goal is ≤ 3×), and the heap growth during training (the goal is 0 bytes).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "graph.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static volatile double sink;

/* The hand-written step: dL/dw = Σ 2x(wx − y). */
static double hand_loop(const double *x, const double *y, int n, long steps, double lr)
{
    double w = 0;
    for (long k = 0; k < steps; k++) {
        double dw = 0, loss = 0;
        for (int i = 0; i < n; i++) {
            double s = w * x[i] - y[i];
            loss += s * s;
            dw += 2 * x[i] * s;
        }
        sink = loss;
        w -= lr * dw;
    }
    return w;
}

static double graph_loop(graph *g, int L, int wid, long steps, double lr, size_t *heap_growth)
{
    struct mallinfo2 before = mallinfo2();
    for (long k = 0; k < steps; k++) { /* one epoch, as --train and the walkthrough run it */
        graph_pass(g, L, 1);
        graph_sgd_step(g, lr);
    }
    struct mallinfo2 after = mallinfo2();
    *heap_growth = after.uordblks - before.uordblks;
    return graph_node_at(g, wid)->data[0];
}

int main(int argc, char **argv)
{
    /* bench_core [SECONDS [STEPS]]: seconds per measurement; a fixed number of steps instead, for
     * instruction counts under callgrind that compare across changes */
    double budget = argc > 1 ? atof(argv[1]) : 0.3;
    long fixed = argc > 2 ? atol(argv[2]) : 0;
    static const int sizes[] = { 1, 4, 64, 1024 };
    printf("%-6s %14s %14s %7s %12s\n", "batch", "hand ns/step", "graph ns/step", "ratio", "heap growth");
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = sizes[s];
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        for (int i = 0; i < n; i++) {
            x[i] = (i % 7 + 1) / 7.0;
            y[i] = 2 * x[i];
        }
        double lr = 0.1 / n, w0 = 0;
        graph *g = graph_new(GRAPH_FLOAT64);
        int w = graph_param(g, &w0, 1), xi = graph_input(g, x, n), yi = graph_input(g, y, n), yhat, d, sq, L,
            two = graph_const(g, 2);
        graph_op(g, GRAPH_OP_MUL, w, xi, &yhat);
        graph_op(g, GRAPH_OP_SUB, yhat, yi, &d);
        graph_op(g, GRAPH_OP_POW, d, two, &sq);
        graph_op(g, GRAPH_OP_SUM, sq, -1, &L);
        /* warm up and calibrate */
        long steps = fixed > 0 ? fixed : 1000;
        size_t growth;
        while (fixed <= 0) {
            double t0 = now();
            hand_loop(x, y, n, steps, lr);
            if (now() - t0 > budget / 4)
                break;
            steps *= 4;
        }
        graph_loop(g, L, w, 10, lr, &growth); /* builds the tape before measuring */
        double t0 = now();
        double wh = hand_loop(x, y, n, steps, lr);
        double t_hand = (now() - t0) / steps;
        t0 = now();
        double wg = graph_loop(g, L, w, steps, lr, &growth);
        double t_graph = (now() - t0) / steps;
        printf("%-6d %14.1f %14.1f %6.2fx %10zu B   (w: hand %.6f, graph %.6f)\n", n, t_hand * 1e9,
               t_graph * 1e9, t_graph / t_hand, growth, wh, wg);
        graph_free(g);
        free(x);
        free(y);
    }
    return 0;
}
