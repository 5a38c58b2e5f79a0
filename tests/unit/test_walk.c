/*
 * test_walk.c — the walkthrough: the steps of the seed's example, numbers for people, moving both ways
 * (random walks always come back to identical states), chain-rule products against the core, and the
 * sum over paths where a node feeds two others.
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
#include "lesson.h"
#include "walk.h"

static const char seed_lesson[] =
    "title seed\n"
    "param w = 0\n"
    "input x = 2\n"
    "input y = 4\n"
    "let yhat = w * x\n"
    "label yhat ŷ\n"
    "let s = yhat - y\n"
    "loss L = s^2\n"
    "set lr 0.01\n";

static const char batch_lesson[] =
    "param w = 0\n"
    "input x = 1, 2, 3, 4\n"
    "input y = 2, 4, 6, 8\n"
    "let s = w * x - y\n"
    "loss L = sum(s^2)\n"
    "metric M = mean(s^2)\n"
    "set precision mixed\n";

/* a feeds two nodes: ∂L/∂a is the sum of both paths */
static const char fork_lesson[] =
    "param w = 0.5\n"
    "param b = -0.25\n"
    "input x = 1.5, -2\n"
    "let a = w * x + b\n"
    "let u = tanh(a)\n"
    "let v = sigmoid(a)\n"
    "loss L = mean(u * v + a^2)\n"
    "set lr 0.1\n";

static lesson *parse(const char *text)
{
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    if (!l) {
        print_error("lesson does not parse: %d:%d: %s\n", err.line, err.col, err.message);
        fail();
    }
    return l;
}

static const char *formula(const walk *w)
{
    static char buf[4096];
    walk_step_formula(w, buf, sizeof buf);
    return buf;
}

/* Move to the first step of the given phase (and node, when ≥ 0) in the current epoch. */
static void go(walk *w, enum lesson_phase phase, int k)
{
    for (int i = 0; i < walk_count(w); i++) {
        const walk_step *s = walk_step_at(w, i);
        if (s->phase == phase && k-- == 0) {
            walk_jump(w, i);
            return;
        }
    }
    fail_msg("no such step");
}

#define assert_formula(w, want) assert_string_equal(formula(w), want)

static const char *note(const walk *w)
{
    static char buf[1024];
    walk_step_note(w, buf, sizeof buf);
    return buf;
}

/* Epoch 2's row prints 13.54240036 where the steps say 13.5424: the end of that epoch says why, once. */
static void the_row_s_float32_digits_are_explained_once(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    walk_set_precision(w, GRAPH_MIXED);
    walk_finish_epoch(w);
    assert_string_equal(note(w), ""); /* 16.00000000: nothing to explain */
    walk_next(w);
    walk_finish_epoch(w);
    assert_non_null(strstr(formula(w), "loss: 13.54240036"));
    assert_string_equal(note(w), "13.54240036 in the row and 13.5424 in the steps are one float32 number: a float32 "
                                 "holds about seven significant digits, and the row prints eight decimals of it "
                                 "where the steps round to six.");
    walk_next(w);
    walk_finish_epoch(w);
    assert_non_null(strstr(formula(w), "loss: 11.46228790"));
    assert_string_equal(note(w), ""); /* said at epoch 2 */
    walk_free(w);
    lesson_free(l);
    l = parse(seed_lesson); /* float64 rounds to 13.5424 exactly: no note */
    w = walk_new(l);
    walk_finish_epoch(w), walk_next(w), walk_finish_epoch(w);
    assert_non_null(strstr(formula(w), "loss: 13.54240000"));
    assert_string_equal(note(w), "");
    walk_free(w);
    lesson_free(l);
}

static void the_seed_example_step_by_step(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    assert_non_null(w);
    /* intro, 3 forward, 3 local edges, 4 chain (L, s, ŷ, w), 1 update, end of epoch */
    assert_int_equal(walk_count(w), 13);
    assert_formula(w, "epoch 1, w = 0, η = 0.01");
    go(w, LESSON_PHASE_FORWARD, 0);
    assert_formula(w, "ŷ = w · x = 0·2 = 0");
    walk_next(w);
    assert_formula(w, "s = ŷ − y = 0 − 4 = −4");
    /* s and L are both inside one criterion(output, target): the line says which part each is */
    assert_string_equal(walk_step_pytorch(w), "loss = criterion(output, target)  # part 1 of 2: s = ŷ − y");
    walk_next(w);
    assert_formula(w, "L = s^2 = (−4)^2 = 16");
    assert_string_equal(walk_step_pytorch(w), "loss = criterion(output, target)  # part 2 of 2: L = s^2");
    walk_next(w);
    assert_int_equal(walk_current(w)->phase, LESSON_PHASE_LOCAL);
    assert_formula(w, "∂(s^2)/∂s = 2·s = 2·(−4) = −8"); /* the local gradient of the loss's edge: its formula */
    walk_next(w);
    assert_formula(w, "∂s/∂ŷ = 1");
    walk_next(w);
    assert_formula(w, "∂ŷ/∂w = x = 2");
    char q[256];
    walk_step_question(w, q, sizeof q);
    assert_string_equal(q, "∂ŷ/∂w = x = ?");
    walk_prev(w);
    walk_step_question(w, q, sizeof q);
    assert_string_equal(q, "∂s/∂ŷ = ?");
    walk_next(w);
    walk_next(w);
    assert_formula(w, "∂L/∂L = 1");
    walk_next(w);
    assert_formula(w, "∂L/∂s = ∂L/∂L · ∂(s^2)/∂s = 1·(−8) = −8");
    walk_next(w);
    assert_formula(w, "∂L/∂ŷ = ∂L/∂s · ∂s/∂ŷ = (−8)·1 = −8");
    walk_next(w);
    assert_formula(w, "∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w = (−8)·2 = −16");
    assert_string_equal(walk_step_pytorch(w), "loss.backward()");
    walk_next(w);
    assert_formula(w, "w ← w − η·∂L/∂w = 0 − 0.01·(−16) = 0.16");
    assert_string_equal(walk_step_pytorch(w), "optimizer.step()");
    assert_int_equal(walk_history_count(w), 0);
    walk_step_question(w, q, sizeof q);
    assert_string_equal(q, "w ← w − η·∂L/∂w = 0 − 0.01·(−16) = ?");
    walk_next(w);
    assert_formula(w, "epoch: 1, loss: 16.00000000, w: 0.160, dw: -16.000");
    assert_int_equal(walk_step_question(w, q, sizeof q), 0);
    assert_int_equal(walk_history_count(w), 1);
    walk_next(w);
    assert_int_equal(walk_epoch(w), 2);
    assert_formula(w, "epoch 2, w = 0.16, η = 0.01");
    walk_free(w);
    lesson_free(l);
}

static void values_and_gradients_appear_as_the_passes_reach_them(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    int s = l->names[lesson_find(l, "s")].id, wid = l->names[lesson_find(l, "w")].id;
    assert_true(walk_value_known(w, wid));
    assert_false(walk_value_known(w, s));
    go(w, LESSON_PHASE_FORWARD, 1);
    assert_true(walk_value_known(w, s));
    assert_true(walk_is_active(w, s));
    assert_false(walk_grad_known(w, s));
    go(w, LESSON_PHASE_CHAIN, 1);
    assert_true(walk_grad_known(w, s));
    assert_false(walk_grad_known(w, wid));
    assert_true(walk_local_known(w, s, 0));
    assert_false(walk_needs_grad(w, l->names[lesson_find(l, "x")].id));
    /* the parameter shows its new value once its update step is done */
    assert_true(walk_value(w, wid, 0) == 0);
    go(w, LESSON_PHASE_UPDATE, 0);
    assert_true(walk_value(w, wid, 0) == 0.16);
    walk_free(w);
    lesson_free(l);
}

static void numbers_for_people(void **state)
{
    (void)state;
    char b[64];
    static const struct { double v; const char *want; } cases[] = {
        { 0.16000000000000003, "0.16" }, { -4, "−4" },        { 16, "16" },
        { -0.0, "0" },                   { 13.54240036, "13.5424" }, { 1.5e-5, "1.5e−5" },
        { 1234567, "1.23457e6" },        { -2.5e10, "−2.5e10" }, { 0.0001, "0.0001" },
        { INFINITY, "inf" },             { -INFINITY, "−inf" },  { NAN, "nan" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        walk_format_number(cases[i].v, b, sizeof b);
        assert_string_equal(b, cases[i].want);
    }
    /* truncation is safe */
    char small[4];
    assert_int_equal(walk_format_number(-123.5, small, sizeof small), (int)strlen("−123.5"));
    assert_true(strlen(small) < sizeof small);
}

static void batches_show_the_values_and_the_reduction(void **state)
{
    (void)state;
    lesson *l = parse(batch_lesson);
    walk *w = walk_new(l);
    int wid = l->names[lesson_find(l, "w")].id;
    go(w, LESSON_PHASE_CHAIN, 0);
    while (walk_current(w)->node != wid)
        walk_next(w);
    assert_formula(w, "∂L/∂w = Σ ∂L/∂(w · x) · ∂(w · x)/∂w = Σ([−4, −8, −12, −16]·[1, 2, 3, 4]) = −120");
    /* the metric is computed from w, but the loss's backward pass never reaches it */
    assert_false(walk_needs_grad(w, l->metric));
    assert_true(walk_needs_grad(w, l->loss));
    walk_finish_epoch(w);
    assert_formula(w, "epoch: 1, loss: 30.00000000, w: 1.200, dw: -120.000");
    /* the seed's second table, through the walkthrough */
    walk_train(w, 1);
    walk_finish_epoch(w);
    assert_formula(w, "epoch: 2, loss: 4.79999924, w: 1.680, dw: -48.000");
    walk_free(w);
    lesson_free(l);
}

/* One notation (lessons/FORMAT.md): the total gradient names the loss by its label; a local gradient names the
 * node its edge goes into, and the loss's own edges name the loss by its formula, so that ∂loss/∂s (total) and
 * ∂(s^2)/∂s (local) cannot be taken for each other. */
static void total_and_local_gradients_are_written_apart(void **state)
{
    (void)state;
    lesson *l = parse("param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x\nlabel yhat ŷ\n"
                      "let s = yhat - y\nloss L = mean(s^2)\nlabel L loss\n");
    walk *w = walk_new(l);
    int s = l->names[lesson_find(l, "s")].id, yhat = l->names[lesson_find(l, "yhat")].id;
    int sq = graph_node_at(l->g, l->loss)->src[0];
    char buf[128];
    walk_grad_name(w, s, buf, sizeof buf);
    assert_string_equal(buf, "∂loss/∂s");
    walk_grad_name(w, sq, buf, sizeof buf);
    assert_string_equal(buf, "∂loss/∂(s^2)");
    walk_local_name(w, s, 0, buf, sizeof buf);
    assert_string_equal(buf, "∂s/∂ŷ");
    walk_local_name(w, l->loss, 0, buf, sizeof buf);
    assert_string_equal(buf, "∂mean(s^2)/∂(s^2)");
    walk_local_name(w, sq, 0, buf, sizeof buf);
    assert_string_equal(buf, "∂(s^2)/∂s");
    walk_local_name(w, yhat, 1, buf, sizeof buf);
    assert_string_equal(buf, "∂ŷ/∂x");
    /* the chain rule at the loss's edge: total = total · local, never ∂loss/∂(s^2) · ∂loss/∂(s^2) */
    go(w, LESSON_PHASE_CHAIN, 1);
    assert_formula(w, "∂loss/∂(s^2) = ∂loss/∂loss · ∂mean(s^2)/∂(s^2) = 1·1 = 1");
    walk_free(w);
    lesson_free(l);
}

static void a_node_feeding_two_others_sums_both_paths(void **state)
{
    (void)state;
    lesson *l = parse(fork_lesson);
    walk *w = walk_new(l);
    int a = l->names[lesson_find(l, "a")].id;
    go(w, LESSON_PHASE_CHAIN, 0);
    while (walk_current(w)->node != a)
        assert_true(walk_next(w));
    const char *f = formula(w);
    /* three consumers: u, v and a^2 */
    const char *want = "∂L/∂a = ∂L/∂(a^2) · ∂(a^2)/∂a + ∂L/∂v · ∂v/∂a + ∂L/∂u · ∂u/∂a = "
                       "[0.5, 0.5]·[1, −2.5] + [0.231059, −0.424142]·[0.235004, 0.173105] + "
                       "[0.31123, 0.11135]·[0.786448, 0.280415] = [0.799065, −1.2922]";
    assert_string_equal(f, want);
    /* the sum by hand: 0.5·1 + 0.231059·0.235004 + 0.31123·0.786448 = 0.799065 */
    assert_true(fabs(0.5 * 1 + 0.231059 * 0.235004 + 0.31123 * 0.786448 - 0.799065) < 1e-5);
    assert_int_equal(walk_grad_known(w, a), 1);
    walk_free(w);
    lesson_free(l);
}

/* At every chain step, Σ upstream·local over the consumers equals the core's gradient, and the formula
 * ends with that gradient. */
static void a_node_used_ten_times_shows_some_terms_and_counts_the_rest(void **state)
{
    (void)state;
    lesson *l = parse("param w = 1\nlet a = w + w + w + w + w + w + w + w + w + w\nloss L = a^2\n");
    walk *w = walk_new(l);
    int wid = l->names[lesson_find(l, "w")].id;
    go(w, LESSON_PHASE_CHAIN, 0);
    while (walk_current(w)->node != wid)
        assert_true(walk_next(w));
    const char *f = formula(w);
    const char *tail = "= 20·1 + 20·1 + 20·1 + 20·1 + 20·1 + … (4 more) + 20·1 = 200";
    assert_true(strlen(f) > strlen(tail));
    assert_string_equal(f + strlen(f) - strlen(tail), tail);
    walk_free(w);
    lesson_free(l);
}

static void chain_products_equal_the_core(void **state)
{
    (void)state;
    const char *lessons[] = { seed_lesson, batch_lesson, fork_lesson };
    for (size_t t = 0; t < 3; t++) {
        lesson *l = parse(lessons[t]);
        walk *w = walk_new(l);
        graph *g = l->g;
        int tape_len;
        const int *tape = graph_tape(g, &tape_len);
        int checked = 0;
        for (int k = 0; k < walk_count(w); k++) {
            walk_jump(w, k);
            const walk_step *s = walk_current(w);
            if (s->phase != LESSON_PHASE_CHAIN || s->node == l->loss)
                continue;
            const graph_node *n = graph_node_at(g, s->node);
            for (int i = 0; i < n->len; i++) {
                double sum = 0;
                for (int c = 0; c < tape_len; c++) {
                    const graph_node *cn = graph_node_at(g, tape[c]);
                    if (cn->op == GRAPH_OP_LEAF)
                        continue;
                    for (int in = 0; in < 2; in++) {
                        if (cn->src[in] != s->node)
                            continue;
                        int red = cn->op == GRAPH_OP_SUM || cn->op == GRAPH_OP_MEAN;
                        int m = red ? n->len : cn->len;
                        for (int e = 0; e < m; e++)
                            if (n->len == 1 || e == i)
                                sum += cn->grad[cn->len > 1 ? e : 0] * graph_local_grad(g, tape[c], in, e);
                    }
                }
                double tol = graph_precision(g) == GRAPH_FLOAT64 ? 1e-12 : 1e-6;
                assert_true(fabs(sum - n->grad[i]) <= tol * fmax(1, fabs(n->grad[i])));
            }
            char want[1024];
            walk_format_values(w, s->node, want, sizeof want);
            (void)want;
            const char *f = formula(w);
            const char *last = strrchr(f, '=');
            char grads[1024];
            size_t used = 0;
            for (int i = 0; i < n->len; i++) {
                char num[64];
                walk_format_number(n->grad[i], num, sizeof num);
                used += (size_t)snprintf(grads + used, sizeof grads - used, "%s%s",
                                         n->len > 1 ? (i ? ", " : "[") : "", num);
            }
            if (n->len > 1)
                snprintf(grads + used, sizeof grads - used, "]");
            assert_string_equal(last + 2, grads);
            checked++;
        }
        assert_true(checked >= 3);
        walk_free(w);
        lesson_free(l);
    }
}

/* The state a screen can see, as one string. */
static char *fingerprint(const walk *w, const lesson *l)
{
    size_t size = 1 << 16, used = 0;
    char *b = malloc(size);
    used += (size_t)walk_step_text(w, b, size);
    for (int id = 0; id < graph_count(l->g) && used < size; id++) {
        const graph_node *n = graph_node_at(l->g, id);
        for (int i = 0; i < n->len && used < size; i++)
            used += (size_t)snprintf(b + used, size - used, "%d:%a,%a,%a,%d%d%d|", id, walk_value(w, id, i),
                                     n->value[i], n->grad[i], walk_value_known(w, id), walk_grad_known(w, id),
                                     walk_local_known(w, id, 0));
    }
    for (int k = 0; k < walk_history_count(w) && used < size; k++) {
        const walk_row *r = walk_history_at(w, k);
        used += (size_t)snprintf(b + used, size - used, "row %d %a %a %a %a %d;", r->epoch, r->loss, r->param[0],
                                 r->grad[0], r->dotgrad[0], r->zero_grad);
    }
    return b;
}

enum { MAX_EPOCH = 5, MAX_STEPS = 64 };

/*
 * The reference: every state of MAX_EPOCH epochs, reached by walking straight forward with a fresh walk.
 * Then a long random walk (next, previous, phases, jumps, finishing and training epochs, resets) must find
 * exactly the reference state wherever it lands.
 */
static void random_walks_return_to_identical_states(void **state)
{
    (void)state;
    const char *lessons[] = { seed_lesson, batch_lesson, fork_lesson };
    srand(20261129);
    /* with zero_grad off as well: then every epoch's snapshot holds gradients that pile up */
    for (size_t t = 0; t < 6; t++) {
        int zero_grad = t < 3;
        static char *ref[MAX_EPOCH + 1][MAX_STEPS];
        memset(ref, 0, sizeof ref);
        lesson *lr = parse(lessons[t % 3]);
        walk *straight = walk_new(lr);
        walk_set_zero_grad(straight, zero_grad);
        assert_true(walk_count(straight) <= MAX_STEPS);
        do
            ref[walk_epoch(straight)][walk_index(straight)] = fingerprint(straight, lr);
        while (walk_next(straight) && walk_epoch(straight) <= MAX_EPOCH);
        walk_free(straight);
        lesson_free(lr);

        lesson *l = parse(lessons[t % 3]);
        walk *w = walk_new(l);
        walk_set_zero_grad(w, zero_grad);
        int crossings = 0;
        for (int move = 0; move < 3000; move++) {
            int before = walk_epoch(w);
            switch (rand() % 9) {
            case 0: case 1: case 2: walk_next(w); break;
            case 3: case 4: walk_prev(w); break;
            case 5: if (rand() % 2) walk_next_phase(w); else walk_prev_phase(w); break;
            case 6: walk_jump(w, rand() % walk_count(w)); break;
            case 7: if (rand() % 4 == 0) walk_train(w, 1); else walk_finish_epoch(w); break;
            case 8: /* a reset brings back the lesson's settings too: zero_grad is set again as the walk began */
                if (rand() % 20 == 0)
                    walk_reset(w), walk_set_zero_grad(w, zero_grad);
                else
                    walk_prev(w);
                break;
            }
            while (walk_epoch(w) > MAX_EPOCH)
                walk_prev(w);
            crossings += walk_epoch(w) < before;
            char *fp = fingerprint(w, l);
            const char *want = ref[walk_epoch(w)][walk_index(w)];
            if (strcmp(want, fp) != 0) {
                print_error("move %d: epoch %d step %d is not the state a straight walk reaches\n"
                            "expected:\n%s\nactual:\n%s\n", move, walk_epoch(w), walk_index(w), want, fp);
                fail();
            }
            free(fp);
        }
        assert_true(crossings > 20);
        for (int e = 0; e <= MAX_EPOCH; e++)
            for (int k = 0; k < MAX_STEPS; k++)
                free(ref[e][k]);
        walk_free(w);
        lesson_free(l);
    }
}

static void moving_by_phase_and_the_limits(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    assert_int_equal(walk_prev(w), 0);
    assert_int_equal(walk_prev_phase(w), 0);
    assert_int_equal(walk_next_phase(w), 1);
    assert_int_equal(walk_current(w)->phase, LESSON_PHASE_FORWARD);
    assert_int_equal(walk_next_phase(w), 1);
    assert_int_equal(walk_current(w)->phase, LESSON_PHASE_LOCAL);
    int k, n;
    walk_phase_position(w, &k, &n);
    assert_int_equal(k, 1);
    assert_int_equal(n, 3);
    walk_next(w);
    assert_int_equal(walk_prev_phase(w), 1); /* to the start of this phase */
    assert_int_equal(walk_current(w)->phase, LESSON_PHASE_LOCAL);
    walk_prev_phase(w); /* and then to the previous one */
    assert_int_equal(walk_current(w)->phase, LESSON_PHASE_FORWARD);
    assert_int_equal(walk_index(w), 1);
    assert_int_equal(walk_finish_epoch(w), 1);
    assert_int_equal(walk_next_phase(w), 1); /* into the next epoch */
    assert_int_equal(walk_epoch(w), 2);
    assert_int_equal(walk_index(w), 0);
    assert_int_equal(walk_prev_phase(w), 1); /* back to the previous epoch's last phase */
    assert_int_equal(walk_epoch(w), 1);
    assert_int_equal(walk_current(w)->phase, LESSON_PHASE_EPOCH);
    assert_int_equal(walk_train(w, 9), 9); /* the epochs it ran */
    assert_int_equal(walk_epoch(w), 10);
    assert_int_equal(walk_history_count(w), 9);
    /* w_k = 2(1 − 0.92^k) in exact arithmetic; float64 agrees to rounding */
    assert_true(fabs(walk_history_at(w, 8)->param[0] - 2 * (1 - pow(0.92, 9))) < 1e-12);
    assert_int_equal(walk_reset(w), 1);
    assert_int_equal(walk_epoch(w), 1);
    assert_int_equal(walk_history_count(w), 0);
    assert_true(walk_value(w, l->names[lesson_find(l, "w")].id, 0) == 0);
    walk_free(w);
    lesson_free(l);
}

static void changing_a_number_mid_epoch_recomputes(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    int wid = l->names[lesson_find(l, "w")].id, x = l->names[lesson_find(l, "x")].id;
    go(w, LESSON_PHASE_CHAIN, 3);
    assert_int_equal(walk_set_data(w, wid, 0, 1), 0);
    assert_int_equal(walk_current(w)->phase, LESSON_PHASE_CHAIN); /* the step stays */
    assert_formula(w, "∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w = (−4)·2 = −8");
    assert_int_equal(walk_set_data(w, x, 0, 3), 0);
    assert_formula(w, "∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w = (−2)·3 = −6");
    assert_int_equal(walk_set_data(w, 99, 0, 1), -1);
    walk_set_lr(w, 0.5);
    walk_next(w);
    assert_formula(w, "w ← w − η·∂L/∂w = 1 − 0.5·(−6) = 4");
    walk_free(w);
    lesson_free(l);
}

/* A change belongs to the epoch it was made in: going back past that epoch's start undoes it, and the
 * history of earlier epochs is never rewritten. */
static void changes_are_undone_by_going_back_past_them(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    int wid = l->names[lesson_find(l, "w")].id, x = l->names[lesson_find(l, "x")].id;
    walk_train(w, 1); /* epoch 2, step 0 */
    double row1 = walk_history_at(w, 0)->loss;
    assert_int_equal(walk_set_data(w, x, 0, 3), 0);
    assert_int_equal(walk_set_data(w, wid, 0, 0.9), 0);
    assert_true(walk_value(w, x, 0) == 3 && walk_value(w, wid, 0) == 0.9);
    assert_true(walk_history_at(w, 0)->loss == row1); /* epoch 1 is history */
    walk_prev(w); /* into epoch 1: as it was */
    assert_int_equal(walk_epoch(w), 1);
    assert_true(walk_value(w, x, 0) == 2);
    assert_true(graph_node_at(l->g, l->loss)->value[0] == 16);
    walk_next(w); /* epoch 2 again: as it was left, changes and all */
    assert_true(walk_value(w, x, 0) == 3 && walk_value(w, wid, 0) == 0.9);
    walk_prev(w);
    walk_jump(w, 3); /* a change in epoch 1 makes epoch 2 new: from epoch 1's update, without epoch 2's changes */
    assert_int_equal(walk_set_data(w, wid, 0, 0), 0);
    walk_finish_epoch(w);
    walk_next(w);
    assert_true(walk_value(w, x, 0) == 2 && walk_value(w, wid, 0) == 0.16);
    /* reset undoes changes made in epoch 1 as well */
    walk_reset(w);
    walk_set_data(w, x, 0, 5);
    assert_int_equal(walk_reset(w), 1);
    assert_true(walk_value(w, x, 0) == 2);
    walk_free(w);
    lesson_free(l);
}

static void without_zero_grad_gradients_pile_up(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    int wid = l->names[lesson_find(l, "w")].id;
    walk_set_zero_grad(w, 0);
    walk_set_lr(w, 0); /* no update: the same gradient every epoch, added up */
    assert_string_equal(walk_step_pytorch(w), "# optimizer.zero_grad()   (skipped)");
    walk_train(w, 1);
    walk_finish_epoch(w);
    assert_true(graph_node_at(l->g, wid)->grad[0] == -32);
    go(w, LESSON_PHASE_CHAIN, 3);
    /* the equations on screen hold, named apart: this pass's derivative, then what .grad adds it to */
    assert_formula(w, "∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w = (−8)·2 = −16\nw.grad = −16 + (−16) = −32");
    assert_true(walk_grad(w, wid, 0) == -16 && walk_dotgrad(w, wid, 0) == -32);
    char note[512], question[512];
    walk_step_question(w, question, sizeof question);
    assert_string_equal(question, "∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w = (−8)·2 = ?\nw.grad = −16 + ∂L/∂w = ?");
    walk_step_note(w, note, sizeof note);
    assert_string_equal(note, "zero_grad is off: w.grad still held −16 from the last epoch, and backward adds "
                              "this epoch's ∂L/∂w to it; the update uses w.grad.");
    go(w, LESSON_PHASE_UPDATE, 0);
    assert_formula(w, "w ← w − η·w.grad = 0 − 0·(−32) = 0");
    walk_train(w, 1);
    walk_finish_epoch(w);
    assert_true(graph_node_at(l->g, wid)->grad[0] == -48);
    /* back two epochs: exactly −16 again */
    walk_prev_phase(w);
    walk_jump(w, 0);
    walk_prev(w);
    walk_jump(w, 0);
    walk_prev(w);
    assert_int_equal(walk_epoch(w), 1);
    assert_true(graph_node_at(l->g, wid)->grad[0] == -16);
    walk_free(w);
    lesson_free(l);
}

/* log(0) in the first epoch is the model's doing, not the learning rate's, and is told when it is computed. */
static void a_log_of_zero_is_not_blamed_on_the_learning_rate(void **state)
{
    (void)state;
    lesson *l = parse("param w = 0.5\ninput x = 0, 1, 2\nlet z = log(w * x)\nloss L = mean(z)\n");
    walk *w = walk_new(l);
    char note[512];
    assert_int_equal(walk_step_note(w, note, sizeof note), 0); /* the start: nothing computed yet */
    go(w, LESSON_PHASE_FORWARD, 0);
    assert_int_equal(walk_step_note(w, note, sizeof note), 0); /* w·x is fine */
    walk_next(w);
    walk_step_note(w, note, sizeof note);
    assert_string_equal(note, "z is −inf here: a log of 0 or less, a division by 0 or an overflow. Nothing "
                              "computed from it is a number either.");
    walk_free(w);
    lesson_free(l);
}

static void a_huge_learning_rate_says_training_diverged(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    walk_set_lr(w, 10);
    walk_train(w, 400);
    char note[512], text[8192];
    assert_true(walk_step_note(w, note, sizeof note) > 0);
    assert_non_null(strstr(note, "Training diverged"));
    assert_non_null(strstr(note, "With η = 10 "));
    walk_finish_epoch(w);
    walk_step_text(w, text, sizeof text);
    assert_non_null(strstr(text, "Note: Training diverged"));
    walk_free(w);
    lesson_free(l);
}

/* The learning rate is the walk's: every η on show, the update, the history and the epoch's row use it, and
 * the lesson keeps the rate its file gave. */
static void the_walk_holds_the_live_learning_rate(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    assert_true(walk_lr(w) == 0.01);
    walk_set_lr(w, 0.5);
    assert_true(l->lr == 0.01);
    assert_formula(w, "epoch 1, w = 0, η = 0.5");
    go(w, LESSON_PHASE_UPDATE, 0);
    assert_formula(w, "w ← w − η·∂L/∂w = 0 − 0.5·(−16) = 8");
    assert_true(walk_value(w, l->names[lesson_find(l, "w")].id, 0) == 8);
    walk_finish_epoch(w);
    assert_formula(w, "epoch: 1, loss: 16.00000000, w: 8.000, dw: -16.000");
    walk_next(w);
    assert_true(walk_history_at(w, 0)->param[0] == 8);
    assert_formula(w, "epoch 2, w = 8, η = 0.5");
    /* a rebuild starts the walk again with the rate it had */
    walk_rebuild(w);
    assert_true(walk_lr(w) == 0.5);
    assert_formula(w, "epoch 1, w = 8, η = 0.5");
    walk_free(w);
    lesson_free(l);
}

/* The screen reads every number through the walk: gradients and local gradients are the core's. */
static void the_walk_reads_gradients_as_the_core_has_them(void **state)
{
    (void)state;
    lesson *l = parse(fork_lesson);
    walk *w = walk_new(l);
    walk_train(w, 2);
    int checked = 0;
    for (int id = 0; id < graph_count(l->g); id++) {
        const graph_node *n = graph_node_at(l->g, id);
        for (int i = 0; i < n->len; i++, checked++) {
            double g = walk_grad(w, id, i), d = walk_dotgrad(w, id, i);
            assert_memory_equal(&g, &n->pass[i], sizeof g);
            assert_memory_equal(&d, &n->grad[i], sizeof d);
        }
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < graph_local_len(l->g, id); i++) {
                double a = walk_local_grad(w, id, k, i), b = graph_local_grad(l->g, id, k, i);
                assert_true(memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b)));
            }
        assert_true(isnan(walk_grad(w, id, n->len)));
    }
    assert_true(checked > 10);
    assert_true(isnan(walk_grad(w, -1, 0)) && isnan(walk_grad(w, graph_count(l->g), 0)));
    walk_free(w);
    lesson_free(l);
}

/* The seed's first table, digit for digit, from the walk's epochs and from --train's: one epoch, two users. */
static void the_walk_and_train_print_the_seed_table(void **state)
{
    (void)state;
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
    char text[sizeof seed_lesson + 32];
    snprintf(text, sizeof text, "%sset precision mixed\n", seed_lesson);
    lesson *l = parse(text), *t = parse(text);
    walk *w = walk_new(l);
    char walked[2048], trained[2048], row[256];
    size_t a = 0, b = 0;
    for (int e = 1; e <= 10; e++) {
        walk_finish_epoch(w);
        a += (size_t)snprintf(walked + a, sizeof walked - a, "%s\n", formula(w));
        walk_next(w);
        double shown = lesson_train_epoch(t);
        lesson_format_row(t, e, shown, NULL, row, sizeof row);
        b += (size_t)snprintf(trained + b, sizeof trained - b, "%s\n", row);
    }
    assert_string_equal(walked, table1);
    assert_string_equal(trained, table1);
    walk_free(w);
    lesson_free(l);
    lesson_free(t);
}

/* ---------------------------------------------------------------- settings and history ---------- */

/* Every setting belongs to the epoch it was typed in: going back past that epoch's start restores what the
 * epoch before had, and the rows already written stay as they were. */
static void settings_belong_to_the_epoch_they_were_set_in(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    walk_finish_epoch(w);
    walk_next(w); /* epoch 2, step 1 */
    walk_set_lr(w, 0.1);
    walk_set_epochs(w, 3);
    walk_set_precision(w, GRAPH_FLOAT32);
    walk_set_zero_grad(w, 0);
    assert_int_equal(walk_index(w), 0); /* a change keeps the step */
    assert_int_equal(graph_precision(l->g), GRAPH_FLOAT32);
    assert_formula(w, "epoch 2, w = 0.16, η = 0.1");
    walk_prev(w); /* back into epoch 1: all four as epoch 1 had them */
    assert_int_equal(walk_epoch(w), 1);
    assert_true(walk_lr(w) == 0.01);
    assert_int_equal(walk_epochs(w), 10);
    assert_int_equal(walk_precision(w), GRAPH_FLOAT64);
    assert_int_equal(graph_precision(l->g), GRAPH_FLOAT64);
    assert_true(walk_zero_grad(w));
    assert_formula(w, "epoch: 1, loss: 16.00000000, w: 0.160, dw: -16.000");
    walk_next(w); /* and forward again: epoch 2 as it was left, with its changes */
    assert_formula(w, "epoch 2, w = 0.16, η = 0.1");
    assert_false(walk_zero_grad(w));
    assert_int_equal(walk_precision(w), GRAPH_FLOAT32);
    walk_prev(w); /* a change typed in epoch 1 makes epoch 2 new, with epoch 1's settings */
    walk_set_epochs(w, 10);
    walk_next(w);
    assert_formula(w, "epoch 2, w = 0.16, η = 0.01");
    assert_true(walk_zero_grad(w));
    /* a change in epoch 2 does not touch epoch 1's row */
    walk_set_lr(w, 0.5);
    walk_finish_epoch(w);
    walk_next(w);
    const walk_row *r = walk_history_at(w, 0);
    assert_true(r->epoch == 1 && r->param[0] == 0.16 && r->grad[0] == -16 && r->dotgrad[0] == -16 && r->zero_grad);
    assert_true(walk_history_at(w, 1)->param[0] == 0.16 + 0.5 * 14.72);
    assert_true(walk_lr(w) == 0.5); /* epoch 3 starts with what epoch 2 ended with */
    walk_free(w);
    lesson_free(l);
}

/* What going back undoes and what a change in an earlier epoch drops can be told: the epoch a change was typed
 * in is known, and a change that makes later epochs new names the first of them that had a change of its own. */
static void the_epoch_of_a_change_is_known_and_a_dropped_one_told(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    walk_finish_epoch(w);
    walk_next(w);
    walk_finish_epoch(w);
    walk_next(w); /* epoch 3 */
    assert_false(walk_changed_in(w, 2));
    walk_prev(w);
    walk_prev_phase(w);
    walk_prev(w); /* epoch 2, nothing typed anywhere */
    walk_set_lr(w, 0.1);
    assert_int_equal(walk_take_dropped(w), 0); /* epoch 3 had nothing of its own */
    assert_true(walk_changed_in(w, 2));
    assert_false(walk_changed_in(w, 1));
    walk_finish_epoch(w);
    walk_next(w);
    assert_false(walk_changed_in(w, 3));
    walk_set_data(w, l->names[lesson_find(l, "w")].id, 0, 1);
    assert_true(walk_changed_in(w, 3));
    walk_prev(w);
    assert_int_equal(walk_epoch(w), 2);
    assert_true(walk_changed_in(w, 3)); /* kept for coming forward */
    walk_set_epochs(w, 5);              /* a change in epoch 2 makes epoch 3 new: its w = 1 is gone */
    assert_int_equal(walk_take_dropped(w), 3);
    assert_int_equal(walk_take_dropped(w), 0);
    assert_false(walk_changed_in(w, 3));
    walk_reset(w);
    assert_false(walk_changed_in(w, 1));
    assert_false(walk_changed_in(w, 2));
    walk_free(w);
    lesson_free(l);
}

/* A precision typed mid-epoch recomputes the epoch from its start, as if it had been set when it began. */
static void a_precision_recomputes_the_epoch_from_its_start(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *a = walk_new(l);
    walk_train(a, 3);
    go(a, LESSON_PHASE_CHAIN, 3);
    walk_set_precision(a, GRAPH_MIXED);
    char got[256], want[256];
    walk_step_formula(a, got, sizeof got);
    walk_free(a);
    lesson *m = parse(seed_lesson);
    walk *b = walk_new(m);
    walk_train(b, 3);
    walk_set_precision(b, GRAPH_MIXED);
    go(b, LESSON_PHASE_CHAIN, 3);
    walk_step_formula(b, want, sizeof want);
    assert_string_equal(got, want);
    walk_free(b);
    lesson_free(m);
    lesson_free(l);
}

/* A long run keeps the newest rows and the newest starting points, and going back stops at the oldest one,
 * where it finds the row that epoch wrote. */
static void a_long_run_keeps_the_newest_epochs(void **state)
{
    (void)state;
    lesson *l = parse(seed_lesson);
    walk *w = walk_new(l);
    walk_set_lr(w, 0.001);
    int runs = WALK_HISTORY_ROWS + 5000;
    assert_int_equal(walk_train(w, runs), runs);
    assert_int_equal(walk_epoch(w), runs + 1);
    assert_int_equal(walk_history_count(w), WALK_HISTORY_ROWS);
    assert_int_equal(walk_history_at(w, 0)->epoch, runs - WALK_HISTORY_ROWS + 1);
    assert_int_equal(walk_history_at(w, WALK_HISTORY_ROWS - 1)->epoch, runs);
    assert_null(walk_history_at(w, WALK_HISTORY_ROWS));
    int first = walk_first_epoch(w);
    assert_int_equal(first, runs + 2 - walk_undo_epochs(w));
    /* back to the oldest kept epoch's end: the row it shows is the row it wrote */
    double param = walk_history_at(w, first - (runs - WALK_HISTORY_ROWS + 1))->param[0];
    while (walk_epoch(w) > first || walk_index(w) > 0)
        assert_int_equal(walk_prev(w), 1);
    assert_int_equal(walk_prev(w), 0);
    walk_finish_epoch(w);
    assert_true(walk_history_at(w, walk_history_count(w) - 1)->param[0] == param);
    walk_free(w);
    lesson_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_seed_example_step_by_step),
        cmocka_unit_test(the_epoch_of_a_change_is_known_and_a_dropped_one_told),
        cmocka_unit_test(the_row_s_float32_digits_are_explained_once),
        cmocka_unit_test(values_and_gradients_appear_as_the_passes_reach_them),
        cmocka_unit_test(numbers_for_people),
        cmocka_unit_test(batches_show_the_values_and_the_reduction),
        cmocka_unit_test(total_and_local_gradients_are_written_apart),
        cmocka_unit_test(a_node_feeding_two_others_sums_both_paths),
        cmocka_unit_test(a_node_used_ten_times_shows_some_terms_and_counts_the_rest),
        cmocka_unit_test(chain_products_equal_the_core),
        cmocka_unit_test(random_walks_return_to_identical_states),
        cmocka_unit_test(moving_by_phase_and_the_limits),
        cmocka_unit_test(changing_a_number_mid_epoch_recomputes),
        cmocka_unit_test(changes_are_undone_by_going_back_past_them),
        cmocka_unit_test(without_zero_grad_gradients_pile_up),
        cmocka_unit_test(a_log_of_zero_is_not_blamed_on_the_learning_rate),
        cmocka_unit_test(a_huge_learning_rate_says_training_diverged),
        cmocka_unit_test(the_walk_holds_the_live_learning_rate),
        cmocka_unit_test(the_walk_reads_gradients_as_the_core_has_them),
        cmocka_unit_test(the_walk_and_train_print_the_seed_table),
        cmocka_unit_test(settings_belong_to_the_epoch_they_were_set_in),
        cmocka_unit_test(a_precision_recomputes_the_epoch_from_its_start),
        cmocka_unit_test(a_long_run_keeps_the_newest_epochs),
    };
    return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
