/*
 * bench_core.c — the autograd core's training step against a hand-written loop of the same model (hand.h),
 * side by side in one run: lessons 01–03 as shipped, a 2-8-1 tanh net on 64 samples, and batches of 1000
 * samples (lesson 02's model and the 2-8-1 net), each in float64 (the goals: ≤ 3× the hand loop, ≤ 2× at
 * 1000 samples) and in the precision the lesson trains in.
 *
 * Three ways to run an epoch are timed in turn, round after round, so that a busy machine slows all three
 * alike: the hand loop; the per-node path (graph_pass, then graph_sgd_step: what --train ran before the
 * compiled step, and what the walkthrough still runs for the epoch it shows); the compiled step
 * (lesson_train_epoch, which is what --train runs). Each figure is nanoseconds per epoch, min/median/max
 * over the rounds; each ratio is taken per round, then min/median/max. The heap growth over the compiled
 * loop must be 0 bytes (a training step allocates nothing).
 *
 * PyTorch 1.13 (Debian's python3-torch), when it is installed: bench/torch_core.py trains the same models
 * op for op (and the net in its matmul form) and the factor against the compiled step is printed.
 *
 *   bench_core [ROUNDS [MODEL...]]           the table (run from the top of the tree)
 *   bench_core --count MODEL VARIANT STEPS   one model and variant (hand, node, step) for STEPS epochs
 *                                            and nothing else: for instruction counts under callgrind
 *   bench_core --list                        the models' names
 *   bench_core --before [ROUNDS]             hand and per-node only (builds without the compiled step)
 */
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"
#include "hand.h"
#include "lesson.h"
#include "stats.h"

#ifndef BENCH_BEFORE /* defined when built against a tree without the compiled step */
#define HAVE_STEP 1
#else
#define HAVE_STEP 0
#endif

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static volatile double sink;

typedef double hand_fn(double *p, const double *x, const double *y, int n, long steps, double lr);

enum kind { LESSON01, LESSON02, LESSON03, NET281, LINEAR };

struct model {
    const char *name;
    enum kind kind;
    const char *file;  /* a shipped lesson, or NULL: generated */
    int samples;       /* generated: the batch */
    const char *precision;
    hand_fn *hand;
    const char *torch; /* the model's name for torch_core.py, or NULL */
};

static const struct model models[] = {
    { "lesson01", LESSON01, "lessons/en/01-one-weight.lesson", 1, "float64", hand_lesson01_float64, "lesson01" },
    { "lesson01-mixed", LESSON01, "lessons/en/01-one-weight.lesson", 1, "mixed", hand_lesson01_mixed, NULL },
    { "lesson02", LESSON02, "lessons/en/02-four-samples.lesson", 4, "float64", hand_lesson02_float64, "lesson02" },
    { "lesson02-mixed", LESSON02, "lessons/en/02-four-samples.lesson", 4, "mixed", hand_lesson02_mixed, NULL },
    { "lesson03", LESSON03, "lessons/en/05-neuron.lesson", 4, "float64", hand_lesson03_float64, "lesson03" },
    { "net281-64", NET281, NULL, 64, "float64", hand_net281_float64, "net281-64" },
    { "net281-64-float32", NET281, NULL, 64, "float32", hand_net281_float32, "net281-64-float32" },
    { "linear-1000", LINEAR, NULL, 1000, "float64", hand_lesson02_float64, "linear-1000" },
    { "linear-1000-mixed", LINEAR, NULL, 1000, "mixed", hand_lesson02_mixed, NULL },
    { "net281-1000", NET281, NULL, 1000, "float64", hand_net281_float64, "net281-1000" },
};
enum { N_MODELS = sizeof models / sizeof models[0] };

/* ---------------------------------------------------------------- the models as lessons -------- */

/* Samples that no line fits exactly, so that training never runs into zeros or denormals. */
static double sample_x(int i, int k) { return ((i * 37 + k * 11) % 101) / 50.0 - 1; }

static double linear_y(int i) { return 2 * sample_x(i, 0) + 0.3 * sin(i); }
static double net_y(int i) { return 0.5 * sin(3 * sample_x(i, 1)) * sample_x(i, 2); }

/* The shipped lesson's text in the model's precision (malloc'd), or NULL. */
static char *model_text(const struct model *m)
{
    size_t n = 1 << 16, u;
    char *buf = malloc(n);
    FILE *f = buf ? fopen(m->file, "r") : NULL;
    if (!f) {
        free(buf);
        return NULL;
    }
    u = fread(buf, 1, n - 100, f);
    fclose(f);
    snprintf(buf + u, n - u, "\nset precision %s\n", m->precision);
    return buf;
}

/* A model trained the way --train trains a lesson: its graph, loss, metric and learning rate, and where the
 * hand loop finds the same numbers. A lesson line holds at most 4096 bytes, so the batches of 64 and 1000
 * samples are built with the core's calls, as the lesson's statements would build them. */
struct net {
    lesson *l; /* a shipped lesson, or NULL */
    graph *g;
    int loss, metric;
    double lr;
    int x, x2, y;   /* the inputs */
    int param[40];  /* in the hand loop's order */
    int n_param;
};

static int op(graph *g, enum graph_op o, int a, int b)
{
    int id = -1;
    return graph_op(g, o, a, b, &id) == GRAPH_OK ? id : -1;
}

static int samples(graph *g, int n, double (*f)(int, int), int k, double (*fy)(int))
{
    double *v = malloc((size_t)n * sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = fy ? fy(i) : f(i, k);
    int id = graph_input(g, v, n);
    free(v);
    return id;
}

static int build_net(struct net *net, const struct model *m)
{
    memset(net, 0, sizeof *net);
    net->metric = -1;
    if (m->file) {
        char *text = model_text(m);
        lesson_error err;
        net->l = text ? lesson_parse(text, strlen(text), &err) : NULL;
        free(text);
        if (!net->l)
            return -1;
        lesson *l = net->l;
        net->g = l->g, net->loss = l->loss, net->metric = l->metric, net->lr = l->lr;
        net->x = l->names[lesson_find(l, "x")].id, net->y = l->names[lesson_find(l, "y")].id;
        static const char *const p01[] = { "w" }, *const p03[] = { "w1", "b1", "w2", "b2" };
        net->n_param = m->kind == LESSON03 ? 4 : 1;
        for (int k = 0; k < net->n_param; k++)
            net->param[k] = l->names[lesson_find(l, (m->kind == LESSON03 ? p03 : p01)[k])].id;
        return 0;
    }
    graph *g = net->g = graph_new(graph_precision_lookup(m->precision));
    int n = m->samples;
    if (m->kind == LINEAR) { /* lesson 02's model: L = Σ(w·x − y)², the metric mean((w·x − y)²) */
        double w0 = 0;
        net->param[net->n_param++] = graph_param(g, &w0, 1);
        net->x = samples(g, n, sample_x, 0, NULL), net->y = samples(g, n, NULL, 0, linear_y);
        int s = op(g, GRAPH_OP_SUB, op(g, GRAPH_OP_MUL, net->param[0], net->x), net->y), two = graph_const(g, 2);
        net->loss = op(g, GRAPH_OP_SUM, op(g, GRAPH_OP_POW, s, two), -1);
        net->metric = op(g, GRAPH_OP_MEAN, op(g, GRAPH_OP_POW, s, graph_const(g, 2)), -1);
        net->lr = 1e-5;
    } else { /* NET281: h_j = tanh(a_j·x1 + c_j·x2 + b_j), ŷ = Σ v_j·h_j + e, L = mean((ŷ − y)²) */
        net->x = samples(g, n, sample_x, 1, NULL), net->x2 = samples(g, n, sample_x, 2, NULL);
        net->y = samples(g, n, NULL, 0, net_y);
        double v[33];
        for (int j = 0; j < 8; j++)
            v[j] = 0.1 * (j + 1) - 0.45, v[8 + j] = 0.3 - 0.07 * (j + 1), v[16 + j] = 0.05 * (j + 1) - 0.2,
            v[24 + j] = ((j + 1) % 2 ? 0.4 : -0.3) + 0.02 * (j + 1);
        v[32] = 0.1;
        for (int k = 0; k < 33; k++)
            net->param[net->n_param++] = graph_param(g, &v[k], 1);
        int out = -1;
        for (int j = 0; j < 8; j++) {
            int z = op(g, GRAPH_OP_ADD, op(g, GRAPH_OP_ADD, op(g, GRAPH_OP_MUL, net->param[j], net->x),
                                              op(g, GRAPH_OP_MUL, net->param[8 + j], net->x2)),
                       net->param[16 + j]);
            int t = op(g, GRAPH_OP_MUL, net->param[24 + j], op(g, GRAPH_OP_TANH, z, -1));
            out = out < 0 ? t : op(g, GRAPH_OP_ADD, out, t);
        }
        int s = op(g, GRAPH_OP_SUB, op(g, GRAPH_OP_ADD, out, net->param[32]), net->y);
        net->loss = op(g, GRAPH_OP_MEAN, op(g, GRAPH_OP_POW, s, graph_const(g, 2)), -1);
        net->lr = 0.05;
    }
    return net->loss >= 0 ? 0 : -1;
}

static void free_net(struct net *net)
{
    if (net->l)
        lesson_free(net->l);
    else
        graph_free(net->g);
}

/* ---------------------------------------------------------------- one model ------------------- */

struct bench {
    const struct model *m;
    struct net node, step; /* the same model twice: one for each engine path */
    double *snap_node, *snap_step;
    double p0[40], p[40], *x, *y;
    int n;
};

/* The hand loop's parameters and data, read from the graph so that both train the same numbers. */
static void hand_inputs(struct bench *b)
{
    const struct net *net = &b->node;
    const graph_node *y = graph_node_at(net->g, net->y);
    b->n = y->len;
    b->x = malloc(2 * (size_t)b->n * sizeof *b->x);
    b->y = malloc((size_t)b->n * sizeof *b->y);
    memcpy(b->y, y->data, (size_t)b->n * sizeof *b->y);
    memcpy(b->x, graph_node_at(net->g, net->x)->data, (size_t)b->n * sizeof *b->x);
    if (b->m->kind == NET281)
        memcpy(b->x + b->n, graph_node_at(net->g, net->x2)->data, (size_t)b->n * sizeof *b->x);
    for (int k = 0; k < net->n_param; k++)
        b->p0[k] = graph_node_at(net->g, net->param[k])->data[0];
}

static int bench_open(struct bench *b, const struct model *m)
{
    memset(b, 0, sizeof *b);
    b->m = m;
    if (build_net(&b->node, m) < 0 || build_net(&b->step, m) < 0) {
        fprintf(stderr, "bench_core: %s does not load\n", m->name);
        return -1;
    }
    b->snap_node = malloc(graph_snapshot_size(b->node.g) * sizeof(double) + 1);
    b->snap_step = malloc(graph_snapshot_size(b->step.g) * sizeof(double) + 1);
    graph_snapshot(b->node.g, b->snap_node);
    graph_snapshot(b->step.g, b->snap_step);
    hand_inputs(b);
    return 0;
}

static void bench_close(struct bench *b)
{
    free_net(&b->node);
    free_net(&b->step);
    free(b->snap_node);
    free(b->snap_step);
    free(b->x);
    free(b->y);
}

enum variant { HAND, NODE, STEP, N_VARIANTS };
static const char *const variant_names[] = { "hand", "node", "step" };

/* Run `steps` epochs of one variant from the model's starting numbers; returns seconds. */
static double run(struct bench *b, enum variant v, long steps, size_t *heap_growth)
{
    double t0 = 0, t = 0;
    switch (v) {
    case HAND:
        memcpy(b->p, b->p0, sizeof b->p);
        t0 = now();
        sink = b->m->hand(b->p, b->x, b->y, b->n, steps, b->node.lr);
        t = now() - t0;
        break;
    case NODE: { /* what lesson_train_epoch was before the compiled step */
        const struct net *n = &b->node;
        graph_restore(n->g, b->snap_node);
        int shown = n->metric >= 0 ? n->metric : n->loss;
        t0 = now();
        for (long k = 0; k < steps; k++) {
            graph_pass(n->g, n->loss, 1);
            sink = graph_node_at(n->g, shown)->value[0];
            graph_sgd_step(n->g, n->lr);
        }
        t = now() - t0;
        break;
    }
    case STEP: { /* lesson_train_epoch */
        (void)heap_growth;
#if HAVE_STEP
        const struct net *n = &b->step;
        graph_restore(n->g, b->snap_step);
        sink = graph_train_epoch(n->g, n->loss, n->metric, n->lr); /* builds the step, outside the measurement */
        graph_restore(n->g, b->snap_step);
        struct mallinfo2 before = mallinfo2();
        t0 = now();
        for (long k = 0; k < steps; k++)
            sink = graph_train_epoch(n->g, n->loss, n->metric, n->lr);
        t = now() - t0;
        struct mallinfo2 after = mallinfo2();
        if (heap_growth)
            *heap_growth = after.uordblks - before.uordblks;
#endif
        break;
    }
    case N_VARIANTS:
        break;
    }
    return t;
}

/* ---------------------------------------------------------------- statistics ------------------ */

static const char *fmt_stats(char *buf, size_t n, struct stats s, int digits)
{
    snprintf(buf, n, "%.*f/%.*f/%.*f", digits, s.min, digits, s.med, digits, s.max);
    return buf;
}

/* ---------------------------------------------------------------- PyTorch ---------------------- */

struct torch_row {
    char model[40], form[16];
    struct stats ns;
};

/* torch_core.py's lines: MODEL FORM MIN MEDIAN MAX (ns per epoch). Returns how many were read, or −1 when
 * PyTorch is not installed. */
static int torch_rows(struct torch_row *rows, int cap, int rounds)
{
    if (system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
        return -1;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 bench/torch_core.py %d", rounds);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    int n = 0;
    char line[256];
    while (n < cap && fgets(line, sizeof line, p))
        if (sscanf(line, "%39s %15s %lf %lf %lf", rows[n].model, rows[n].form, &rows[n].ns.min, &rows[n].ns.med,
                   &rows[n].ns.max) == 5)
            n++;
    pclose(p);
    return n;
}

/* ---------------------------------------------------------------- main ------------------------ */

static const struct model *find_model(const char *name)
{
    for (int k = 0; k < N_MODELS; k++)
        if (strcmp(models[k].name, name) == 0)
            return &models[k];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        for (int k = 0; k < N_MODELS; k++)
            puts(models[k].name);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "--count") == 0) {
        const struct model *m = find_model(argv[2]);
        int v = -1;
        for (int k = 0; k < N_VARIANTS; k++)
            if (strcmp(argv[3], variant_names[k]) == 0)
                v = k;
        struct bench b;
        if (!m || v < 0 || (v == STEP && !HAVE_STEP) || bench_open(&b, m) < 0) {
            fprintf(stderr, "bench_core: --count MODEL hand|node|step STEPS\n");
            return 2;
        }
        run(&b, (enum variant)v, atol(argv[4]), NULL);
        bench_close(&b);
        return 0;
    }
    int before = argc > 1 && strcmp(argv[1], "--before") == 0;
    int rounds = argc > 1 + before ? atoi(argv[1 + before]) : 11;
    if (rounds < 1)
        rounds = 1;
    int n_variants = HAVE_STEP && !before ? N_VARIANTS : STEP;

    printf("ns per epoch, min/median/max of %d rounds (the three interleaved); ratios per round, min/median/max\n",
           rounds);
    printf("%-18s %8s %22s %22s %22s %17s %17s %6s\n", "model", "samples", "hand", "per-node", "compiled",
           "per-node / hand", "compiled / hand", "heap");
    double step_median[N_MODELS];
    for (int k = 0; k < N_MODELS; k++) {
        int wanted = argc <= 2 + before;
        for (int a = 2 + before; a < argc; a++)
            wanted |= strcmp(argv[a], models[k].name) == 0;
        step_median[k] = NAN;
        if (!wanted)
            continue;
        struct bench b;
        if (bench_open(&b, &models[k]) < 0)
            return 1;
        /* calibrate on the slowest, the per-node path: a measurement of about 20 ms */
        long steps = 1;
        while (run(&b, NODE, steps, NULL) < 0.02 && steps < (1L << 30))
            steps *= 2;
        double t[N_VARIANTS][64], r_node[64], r_step[64];
        size_t growth = 0, g;
        if (rounds > 64)
            rounds = 64;
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < n_variants; v++) {
                t[v][r] = run(&b, (enum variant)v, steps, &g) / (double)steps * 1e9;
                if (v == STEP && g > growth)
                    growth = g;
            }
            r_node[r] = t[NODE][r] / t[HAND][r];
            if (n_variants > STEP)
                r_step[r] = t[STEP][r] / t[HAND][r];
        }
        char s1[64], s2[64], s3[64], s4[64], s5[64];
        struct stats sh = stats_of(t[HAND], rounds), sn = stats_of(t[NODE], rounds);
        struct stats rn = stats_of(r_node, rounds);
        if (n_variants > STEP) {
            struct stats ss = stats_of(t[STEP], rounds), rs = stats_of(r_step, rounds);
            step_median[k] = ss.med;
            printf("%-18s %8d %22s %22s %22s %17s %17s %4zu B\n", models[k].name, b.n, fmt_stats(s1, 64, sh, 1),
                   fmt_stats(s2, 64, sn, 1), fmt_stats(s3, 64, ss, 1), fmt_stats(s4, 64, rn, 2),
                   fmt_stats(s5, 64, rs, 2), growth);
        } else {
            printf("%-18s %8d %22s %22s %22s %17s %17s %6s\n", models[k].name, b.n, fmt_stats(s1, 64, sh, 1),
                   fmt_stats(s2, 64, sn, 1), "-", fmt_stats(s4, 64, rn, 2), "-", "-");
        }
        fflush(stdout);
        bench_close(&b);
    }
    if (n_variants <= STEP)
        return 0;

    struct torch_row tr[32];
    int nt = torch_rows(tr, 32, rounds);
    if (nt < 0) {
        puts("\nPyTorch: not installed (Debian's python3-torch), so no comparison.");
        return 0;
    }
    printf("\nPyTorch %s on the CPU, one thread, the same models: ns per epoch, min/median/max; factor = its median "
           "over the compiled step's\n", "1.13");
    for (int i = 0; i < nt; i++) {
        double ours = NAN;
        for (int k = 0; k < N_MODELS; k++)
            if (models[k].torch && strcmp(models[k].torch, tr[i].model) == 0)
                ours = step_median[k];
        if (isnan(ours)) /* a model this run did not measure (bench_core ROUNDS MODEL…) */
            continue;
        char s[64];
        printf("%-18s %-10s %28s   %7.1fx slower than the compiled step\n", tr[i].model, tr[i].form,
               fmt_stats(s, 64, tr[i].ns, 0), tr[i].ns.med / ours);
    }
    return 0;
}
