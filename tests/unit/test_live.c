/*
 * test_live.c — issue 10's property: whatever a learner changes, every number the screen writes around the
 * engine's numbers is one of the engine's numbers, and every quiz grades against the model on screen.
 *
 * For every shipped lesson in every language: 50 trials, each a fresh session in which one to three random
 * changes (a parameter, an input, η, the precision, zero_grad, or the model itself: a `let` redefined from an
 * earlier name, a new loss) are typed at random steps of the first epoch,
 * followed by a walk through that whole epoch. At every step, every number in the narration, the quiz's
 * question and hints, and the status (the step's working and the engine's note) must be one of the engine's
 * values at that step printed the same way: a node's value, a gradient (this pass's or .grad), a local
 * gradient, a new value, η, the epoch and step counters, the epochs setting, a constant of a formula (a
 * literal, a batch's length as in the mean's 1/n), or one
 * of 0, 1 and 2 (the digits of calculus a lesson may write: the 2 of 2s, the 1 of 1 − h²). A number written as a
 * command in backquotes (`:set x 2, 4, 6, 8`) is not a claim about the model and is skipped. And each quiz
 * must accept its step's result (the value computed, the local gradient, ∂L/∂node or the new value; for a
 * batch, one of its elements) and reject that value × 1.1: after a model edit, each quiz that is not retired
 * (lesson_retire) must still hold for the new graph.
 *
 * The lessons are read from $LIVE_LESSONS, else $BPTUTOR_PATH (tests/run: this tree's lessons/), so the same
 * test can be pointed at another tree's lessons: it fails on the lessons as they were before issue 10.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "graph.h"
#include "lesson.h"
#include "quiz.h"
#include "session.h"
#include "walk.h"

enum { TRIALS = 50, MAX_LESSONS = 32 };

/* ---------------------------------------------------------------- the engine's values ----------- */

typedef struct values {
    double *v;
    int n, cap;
} values;

static void add(values *vs, double v)
{
    if (vs->n == vs->cap) {
        vs->cap = vs->cap ? 2 * vs->cap : 256;
        vs->v = realloc(vs->v, (size_t)vs->cap * sizeof *vs->v);
        assert_non_null(vs->v);
    }
    vs->v[vs->n++] = v;
}

/* Everything the engine has at this step, revealed or not (the spoiler rule is --check's to hold). */
static void engine_values(const walk *w, const lesson *l, values *vs)
{
    vs->n = 0;
    const graph *g = l->g;
    for (int id = 0; id < graph_count(g); id++) {
        if (!graph_live(g, id))
            continue;
        const graph_node *n = graph_node_at(g, id);
        for (int i = 0; i < n->len; i++) {
            add(vs, n->value[i]);
            add(vs, walk_value(w, id, i));
            add(vs, n->pass[i]);
            add(vs, n->grad[i]);
            if (n->role == GRAPH_PARAM) {
                add(vs, n->data[i]);
                add(vs, graph_sgd_update(g, id, i, walk_lr(w)));
            }
        }
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < graph_local_len(g, id); i++)
                add(vs, graph_local_grad(g, id, k, i));
        add(vs, n->len); /* a reduction's n, as in the mean's 1/n */
    }
    int k, n;
    walk_phase_position(w, &k, &n);
    double counters[] = { walk_lr(w), walk_epoch(w), walk_epochs(w), walk_index(w) + 1, walk_count(w), k, n, 0, 1, 2 };
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++)
        add(vs, counters[i]);
}

/* ---------------------------------------------------------------- numbers in text --------------- */

/* The screen's minus sign as ASCII, so that what a text shows and what printf writes compare as strings. */
static void ascii_minus(const char *in, size_t len, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < n; i++) {
        if (i + 2 < len + 2 && strncmp(in + i, "\u2212", 3) == 0) {
            out[o++] = '-';
            i += 2;
        } else {
            out[o++] = in[i];
        }
    }
    out[o] = '\0';
}

/* Is the number p (ASCII minus) one of vs printed the same way: as the screen prints numbers, with some
 * number of significant digits, or with p's own number of decimals (the seed's table row)? */
static int printed_from(const char *p, const values *vs)
{
    const char *dot = strchr(p, '.');
    int decimals = dot && !strchr(p, 'e') ? (int)strlen(dot + 1) : -1;
    for (int i = 0; i < vs->n; i++) {
        char buf[128], a[128];
        for (int d = 1; d <= 17; d++) {
            walk_format_digits(vs->v[i], d, buf, sizeof buf);
            ascii_minus(buf, strlen(buf), a, sizeof a);
            if (strcmp(a, p) == 0)
                return 1;
        }
        if (decimals >= 0) {
            snprintf(buf, sizeof buf, "%.*f", decimals, vs->v[i] == 0 ? 0.0 : vs->v[i]);
            if (strcmp(buf, p) == 0)
                return 1;
        }
    }
    return 0;
}

static int is_word(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Call fail_msg for the first number in text that is not one of vs. */
static void check_numbers(const char *what, const char *text, const values *vs, const char *context)
{
    size_t len = strlen(text);
    int code = 0;
    for (size_t i = 0; i < len;) {
        if (text[i] == '`') {
            code = !code;
            i++;
            continue;
        }
        int minus = strncmp(text + i, "\u2212", 3) == 0 || text[i] == '-';
        size_t start = i, j = i + (minus ? (text[i] == '-' ? 1 : 3) : 0);
        if (code || !is_digit((unsigned char)text[j]) || (start > 0 && is_word((unsigned char)text[start - 1]))) {
            i += minus && !is_digit((unsigned char)text[j]) ? (text[i] == '-' ? 1 : 3) : 1;
            continue;
        }
        while (j < len && is_digit((unsigned char)text[j]))
            j++;
        if (j + 1 < len && text[j] == '.' && is_digit((unsigned char)text[j + 1]))
            for (j++; j < len && is_digit((unsigned char)text[j]); j++)
                ;
        if (j < len && text[j] == 'e') {
            size_t e = j + 1;
            if (e < len && text[e] == '-')
                e++;
            else if (e + 2 < len && strncmp(text + e, "\u2212", 3) == 0)
                e += 3;
            if (e < len && is_digit((unsigned char)text[e])) {
                for (j = e; j < len && is_digit((unsigned char)text[j]); j++)
                    ;
            }
        }
        char number[128], negated[130];
        ascii_minus(text + start, j - start, number, sizeof number);
        /* after a binary sign the text folds a negative number into it: "2 − −3" is written "2 + 3" */
        int after_sign = start >= 2 && text[start - 1] == ' ' &&
                         (text[start - 2] == '+' || (start >= 4 && strncmp(text + start - 4, "\u2212", 3) == 0));
        snprintf(negated, sizeof negated, "-%s", number);
        if (!printed_from(number, vs) && !(after_sign && number[0] != '-' && printed_from(negated, vs)))
            fail_msg("%s\n%s says %s, which is none of the engine's numbers at this step:\n%s", context, what,
                     number, text);
        i = j;
    }
}

/* ---------------------------------------------------------------- a step ------------------------ */

/* What the step computes, as the quiz at it asks for it. */
static int step_result(const walk *w, const lesson *l, double *out, int max)
{
    const walk_step *s = walk_current(w);
    const graph *g = l->g;
    int n = 0;
    switch (s->phase) {
    case LESSON_PHASE_FORWARD:
        for (int i = 0; i < graph_node_at(g, s->node)->len && n < max; i++)
            out[n++] = walk_value(w, s->node, i);
        break;
    case LESSON_PHASE_LOCAL:
        for (int i = 0; i < graph_local_len(g, s->node) && n < max; i++)
            out[n++] = walk_local_grad(w, s->node, s->input, i);
        break;
    case LESSON_PHASE_CHAIN:
        for (int i = 0; i < graph_node_at(g, s->node)->len && n < max; i++)
            out[n++] = walk_grad(w, s->node, i);
        break;
    case LESSON_PHASE_UPDATE:
        for (int i = 0; i < graph_node_at(g, s->node)->len && n < max; i++)
            out[n++] = graph_sgd_update(g, s->node, i, walk_lr(w));
        break;
    default:
        break;
    }
    return n;
}

static void check_step(session *s, values *vs, const char *context)
{
    walk *w = session_walk(s);
    lesson *l = session_lesson(s);
    const quiz *q = session_quiz(s);
    char buf[8192], ctx[4096];
    snprintf(ctx, sizeof ctx, "%s, at step %d of %d", context, walk_index(w) + 1, walk_count(w));
    engine_values(w, l, vs);
    check_numbers("the narration", walk_step_narration(w), vs, ctx);
    walk_step_formula(w, buf, sizeof buf);
    check_numbers("the step's working", buf, vs, ctx);
    walk_step_note(w, buf, sizeof buf);
    check_numbers("the engine's note", buf, vs, ctx);
    for (int k = 0; k < l->n_quiz; k++) {
        if (quiz_step(q, k) != walk_index(w))
            continue;
        quiz_question(q, k, buf, sizeof buf);
        check_numbers("the quiz's question", buf, vs, ctx);
        for (int h = 0; h < l->quiz[k].hint.n; h++) {
            walk_render(w, &l->quiz[k].hint.v[h], 1, buf, sizeof buf);
            check_numbers("a hint", buf, vs, ctx);
        }
        double result[64] = { 0 };
        int n = step_result(w, l, result, 64), accepted = 0;
        for (int i = 0; i < n; i++) {
            if (!quiz_accepts(q, k, result[i]))
                continue;
            accepted++;
            if (fabs(result[i]) > 1e-5 && quiz_accepts(q, k, result[i] * 1.1))
                fail_msg("%s\nquiz %d (%s) accepts %.17g and also 10%% more, %.17g", ctx, k + 1,
                         l->quiz[k].question.text, result[i], result[i] * 1.1);
        }
        if (accepted == 0) {
            char shown[64];
            walk_format_number(result[0], shown, sizeof shown);
            fail_msg("%s\nquiz %d (%s, answer %s) does not accept its step's result, %s%s", ctx, k + 1,
                     l->quiz[k].question.text, l->quiz[k].answer, shown, n > 1 ? " (nor any of its elements)" : "");
        }
    }
}

/* ---------------------------------------------------------------- a trial ------------------------ */

static void type(session *s, const char *line, char *log, size_t n)
{
    session_result r;
    session_exec(s, line, &r);
    if (r.error)
        fail_msg("%s: %s", line, r.message);
    size_t used = strlen(log);
    snprintf(log + used, n - used, "%s%s", used ? "; " : "", line);
}

/* One random change, typed at a random step of the first epoch. */
static void perturb(session *s, char *log, size_t n)
{
    static const char *const lrs[] = { "0.001", "0.003", "0.01", "0.02", "0.05", "0.1", "0.25", "0.5", "1" };
    static const char *const precisions[] = { "float64", "float32", "mixed" };
    lesson *l = session_lesson(s);
    walk *w = session_walk(s);
    char line[256];
    snprintf(line, sizeof line, ":step %d", 1 + rand() % walk_count(w));
    type(s, line, log, n);
    int leaves[64], nleaves = 0;
    for (int k = 0; k < l->n_names && nleaves < 64; k++)
        if ((l->names[k].kind == LESSON_PARAM || l->names[k].kind == LESSON_INPUT) && graph_live(l->g, l->names[k].id))
            leaves[nleaves++] = k;
    switch (rand() % 7) {
    case 5:
    case 6: { /* the model itself: a let redefined from an earlier name, or a new loss */
        int lets[64], nlets = 0, loss = -1;
        for (int k = 0; k < l->n_names; k++) {
            if (l->names[k].kind == LESSON_LOSS)
                loss = k;
            else if (l->names[k].kind == LESSON_LET && graph_live(l->g, l->names[k].id) && k > 0 && nlets < 64)
                lets[nlets++] = k;
        }
        static const char *const forms[] = { "2 * %s", "tanh(%s)", "%s * %s", "%s + 0.5" };
        char form[128];
        if (rand() % 2 && nlets > 0) {
            int k = lets[rand() % nlets], a = rand() % k;
            snprintf(form, sizeof form, forms[rand() % 4], l->names[a].name, l->names[a].name);
            snprintf(line, sizeof line, ":let %s = %s", l->names[k].name, form);
        } else if (loss > 0) {
            int a = rand() % loss;
            snprintf(line, sizeof line, ":loss %s = mean(%s^2)", l->names[loss].name, l->names[a].name);
        } else {
            return;
        }
        session_result r;
        session_exec(s, line, &r); /* one that does not fit (a batch's length) is refused: nothing changed */
        if (!r.error) {
            size_t used = strlen(log);
            snprintf(log + used, n - used, "%s%s", used ? "; " : "", line);
        }
        return;
    }
    case 0:
    case 1: { /* a parameter or an input, one element of a batch */
        const lesson_name *nm = &l->names[leaves[rand() % nleaves]];
        int len = graph_node_at(l->g, nm->id)->len;
        double v = (rand() % 49 - 24) / 8.0;
        if (len > 1)
            snprintf(line, sizeof line, ":set %s[%d] %g", nm->name, 1 + rand() % len, v);
        else
            snprintf(line, sizeof line, ":set %s %g", nm->name, v);
        break;
    }
    case 2: snprintf(line, sizeof line, ":set lr %s", lrs[rand() % 9]); break;
    case 3: snprintf(line, sizeof line, ":set precision %s", precisions[rand() % 3]); break;
    default: snprintf(line, sizeof line, ":zerograd %s", rand() % 2 ? "on" : "off"); break;
    }
    type(s, line, log, n);
}

static void a_lesson_stays_true(void **state)
{
    const char *path = *state;
    catalog_langs langs = catalog_pick_langs("en");
    unsigned seed = 10;
    for (const char *p = path; *p; p++)
        seed = seed * 31 + (unsigned char)*p;
    srand(seed);
    values vs = { 0 };
    for (int trial = 0; trial < TRIALS; trial++) {
        lesson_error err;
        session *s = session_open(path, &langs, &err);
        if (!s)
            fail_msg("%s:%d:%d: %s", path, err.line, err.col, err.message);
        char log[2048] = "", context[sizeof log + 1024];
        for (int k = 1 + rand() % 3; k > 0; k--)
            perturb(s, log, sizeof log);
        type(s, ":step 1", log, sizeof log);
        snprintf(context, sizeof context, "%s, trial %d, after %s", path, trial + 1, log);
        walk *w = session_walk(s);
        for (;;) {
            check_step(s, &vs, context);
            if (walk_index(w) == walk_count(w) - 1)
                break;
            walk_next(w);
        }
        session_free(s);
    }
    free(vs.v);
}

/* ---------------------------------------------------------------- the shipped lessons ------------ */

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    const char *root = getenv("LIVE_LESSONS");
    if (!root || !*root)
        root = getenv("BPTUTOR_PATH");
    if (!root || !*root)
        root = "lessons";
    static const char *const languages[] = { "en", "zh-TW" };
    static char *paths[MAX_LESSONS];
    int n = 0;
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", root, languages[i]);
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d)) != NULL && n < MAX_LESSONS;) {
            size_t len = strlen(e->d_name);
            if (len > 7 && strcmp(e->d_name + len - 7, ".lesson") == 0) {
                paths[n] = malloc(strlen(dir) + len + 2);
                sprintf(paths[n++], "%s/%s", dir, e->d_name);
            }
        }
        if (d)
            closedir(d);
    }
    qsort(paths, (size_t)n, sizeof *paths, by_name);
    static struct CMUnitTest tests[MAX_LESSONS];
    for (int i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){ paths[i] + strlen(root) + 1, a_lesson_stays_true, NULL, NULL, paths[i] };
    if (n < 6) {
        fprintf(stderr, "test_live: found %d lessons under %s, expected the six shipped ones\n", n, root);
        return 1;
    }
    return _cmocka_run_group_tests("live", tests, (size_t)n, NULL, NULL);
}
