/* quiz.c — where quizzes stop the walkthrough, and checking answers (see quiz.h). */
#include "quiz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct quiz {
    const lesson *l;
    int n;
    int *step;     /* per quiz: the step it stops at, or −1 */
    int *tries;    /* wrong answers */
    char *settled; /* 0 open, 1 right, 2 solved after the tries, 3 skipped */
};

/* The step a quiz stops at: see quiz.h. */
static int find_step(const lesson *l, const walk *w, const lesson_quiz *lq)
{
    int last = -1;
    for (int k = 0; k < walk_count(w); k++) {
        const walk_step *s = walk_step_at(w, k);
        if (s->phase != lq->phase)
            continue;
        last = k;
        if (lq->node < 0)
            continue;
        if (s->phase == LESSON_PHASE_LOCAL) {
            const graph_node *n = graph_node_at(l->g, s->node);
            if (n && n->src[s->input] == lq->node)
                return k;
        } else if (s->node == lq->node) {
            return k;
        }
    }
    return lq->node < 0 ? last : -1;
}

quiz *quiz_new(const lesson *l, const walk *w)
{
    quiz *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->l = l;
    q->n = l->n_quiz;
    size_t n = (size_t)q->n + 1;
    q->step = malloc(n * sizeof *q->step);
    q->tries = calloc(n, sizeof *q->tries);
    q->settled = calloc(n, 1);
    if (!q->step || !q->tries || !q->settled) {
        quiz_free(q);
        return NULL;
    }
    for (int k = 0; k < q->n; k++)
        q->step[k] = find_step(l, w, &l->quiz[k]);
    return q;
}

void quiz_free(quiz *q)
{
    if (!q)
        return;
    free(q->step);
    free(q->tries);
    free(q->settled);
    free(q);
}

int quiz_step(const quiz *q, int k) { return k >= 0 && k < q->n ? q->step[k] : -1; }
int quiz_tries(const quiz *q, int k) { return k >= 0 && k < q->n ? q->tries[k] : 0; }
int quiz_settled(const quiz *q, int k) { return k >= 0 && k < q->n && q->settled[k]; }

int quiz_pending(const quiz *q, const walk *w)
{
    if (walk_epoch(w) != 1)
        return -1;
    for (int k = 0; k < q->n; k++)
        if (!q->settled[k] && q->step[k] == walk_index(w))
            return k;
    return -1;
}

/* Learners paste what the screen shows: a true minus sign (U+2212) and a middle dot (U+00B7) for ×. */
static void normalise(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 1 < n; p++) {
        if (strncmp(p, "\u2212", 3) == 0) {
            out[o++] = '-';
            p += 2;
        } else if (strncmp(p, "\u00b7", 2) == 0 || strncmp(p, "\u00d7", 2) == 0) {
            out[o++] = '*';
            p += 1;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static int close_enough(double got, double want)
{
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    double tol = fmax(1e-3 * fabs(want), 1e-6);
    return fabs(got - want) <= tol;
}

enum quiz_verdict quiz_answer(quiz *q, int k, const char *answer, char *msg, size_t n, int *col)
{
    if (n)
        msg[0] = '\0';
    if (k < 0 || k >= q->n) {
        snprintf(msg, n, "There is no question waiting.");
        return QUIZ_MALFORMED;
    }
    const lesson_quiz *lq = &q->l->quiz[k];
    char text[LESSON_LINE_MAX];
    normalise(answer, text, sizeof text);
    lesson_error err;
    double got, want;
    if (lesson_eval(q->l, text, &got, &err) != 0) {
        if (col)
            *col = err.col;
        snprintf(msg, n, "That is not an answer I can read: %s.", err.message);
        return QUIZ_MALFORMED;
    }
    char shown[64];
    if (lesson_eval(q->l, lq->answer, &want, &err) != 0) { /* validated at load; the model may have changed */
        snprintf(msg, n, "This question's answer no longer fits the model: %s.", err.message);
        q->settled[k] = 3;
        return QUIZ_SOLVED;
    }
    walk_format_number(want, shown, sizeof shown);
    if (close_enough(got, want)) {
        q->settled[k] = 1;
        snprintf(msg, n, "Right: %s.", shown);
        return QUIZ_RIGHT;
    }
    q->tries[k]++;
    if (q->tries[k] >= QUIZ_TRIES) {
        q->settled[k] = 2;
        double plain;
        size_t used = 0;
        if (lesson_read_number(lq->answer, &plain, &used, &err) == 0 && lq->answer[used] == '\0')
            snprintf(msg, n, "The answer is %s.", shown);
        else /* an expression: show how it is worked out */
            snprintf(msg, n, "The answer is %s (%s).", shown, lq->answer);
        return QUIZ_SOLVED;
    }
    char mine[64];
    walk_format_number(got, mine, sizeof mine);
    if (lq->hint)
        snprintf(msg, n, "Not %s. Hint: %s", mine, lq->hint);
    else
        snprintf(msg, n, "Not %s. Try again.", mine);
    return QUIZ_WRONG;
}

void quiz_skip(quiz *q, int k)
{
    if (k >= 0 && k < q->n)
        q->settled[k] = 3;
}

void quiz_score(const quiz *q, int *right, int *total)
{
    *right = *total = 0;
    for (int k = 0; k < q->n; k++) {
        if (q->step[k] < 0)
            continue;
        ++*total;
        *right += q->settled[k] == 1;
    }
}

void quiz_restart(quiz *q)
{
    memset(q->tries, 0, (size_t)q->n * sizeof *q->tries);
    memset(q->settled, 0, (size_t)q->n);
}
