/* quiz.c — where quizzes stop the walkthrough, and checking answers (see quiz.h). */
#include "quiz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

struct quiz {
    const lesson *l;
    const walk *w;
    int n;
    int *step;     /* per quiz: the step it stops at, or −1 */
    int *tries;    /* wrong answers */
    char *settled; /* enum quiz_standing: 0 open, 1 right, 2 solved after the tries, 3 skipped */
};

quiz *quiz_new(const lesson *l, const walk *w)
{
    quiz *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->l = l;
    q->w = w;
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
        q->step[k] = walk_quiz_step(w, &l->quiz[k]);
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

int quiz_step(const quiz *q, int k) { return k >= 0 && k < q->n && !q->l->quiz[k].retired ? q->step[k] : -1; }
int quiz_tries(const quiz *q, int k) { return k >= 0 && k < q->n ? q->tries[k] : 0; }
int quiz_settled(const quiz *q, int k) { return k >= 0 && k < q->n && q->settled[k]; }

/* Asked at all: it has a step, and the learner has not changed what it is about. */
static int asked(const quiz *q, int k) { return quiz_step(q, k) >= 0; }

int quiz_pending(const quiz *q, const walk *w)
{
    if (walk_epoch(w) != 1)
        return -1;
    for (int k = 0; k < q->n; k++)
        if (!q->settled[k] && asked(q, k) && q->step[k] == walk_index(w))
            return k;
    return -1;
}

int quiz_question(const quiz *q, int k, char *buf, size_t n)
{
    if (k < 0 || k >= q->n)
        return snprintf(buf, n, "?");
    return walk_render(q->w, &q->l->quiz[k].question, 1, buf, n);
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

/* The lesson's answer to quiz k with this step's numbers: 0, or −1 when it no longer fits the model. */
static int want_of(const quiz *q, int k, double *want)
{
    const lesson_quiz *lq = &q->l->quiz[k];
    return lq->expr ? walk_eval(q->w, lq->expr, want) : -1;
}

int quiz_accepts(const quiz *q, int k, double v)
{
    double want;
    return k >= 0 && k < q->n && want_of(q, k, &want) == 0 && close_enough(v, want);
}

/* An answer as the screen writes a formula: names as their labels, lr as η, and the true minus sign and the
 * middle dot: "ŷ − y", "w − η · grad(w)". */
struct shown_names {
    const lesson *l;
    const char *text;
    char *buf;
    size_t n, used, from;
};

static void shown_copy(struct shown_names *sh, size_t to)
{
    for (; sh->from < to; sh->from++) {
        char c = sh->text[sh->from];
        const char *out = c == '-' ? "−" : c == '*' ? "·" : NULL;
        size_t k = out ? strlen(out) : 1;
        if (sh->used + k < sh->n) {
            memcpy(sh->buf + sh->used, out ? out : &c, k);
            sh->used += k;
        }
    }
}

static int shown_name(const lesson_use *u, void *ctx)
{
    struct shown_names *sh = ctx;
    shown_copy(sh, u->at);
    int i = u->call ? -1 : lesson_find(sh->l, u->name);
    const char *as = i >= 0 ? lesson_display(&sh->l->names[i]) : !u->call && strcmp(u->name, "lr") == 0 ? "η"
                                                                                                        : u->name;
    size_t k = strlen(as);
    if (sh->used + k < sh->n) {
        memcpy(sh->buf + sh->used, as, k);
        sh->used += k;
    }
    sh->from = u->at + strlen(u->name);
    return 0;
}

static void answer_shown(const lesson *l, const char *answer, char *buf, size_t n)
{
    struct shown_names sh = { l, answer, buf, n, 0, 0 };
    lesson_expr_names(answer, strlen(answer), shown_name, &sh);
    shown_copy(&sh, strlen(answer));
    buf[sh.used < n ? sh.used : n - 1] = '\0';
}

/* The hint lines, filled in and joined, as they are shown before the result. */
static void hint_text(const quiz *q, const lesson_quiz *lq, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < lq->hint.n && used + 1 < n; i++) {
        if (i)
            buf[used++] = ' ';
        used += (size_t)walk_render(q->w, &lq->hint.v[i], 1, buf + used, n - used);
    }
    if (used >= n)
        buf[n - 1] = '\0';
}

enum quiz_verdict quiz_answer(quiz *q, int k, const char *answer, char *msg, size_t n, int *col)
{
    if (n)
        msg[0] = '\0';
    if (k < 0 || k >= q->n) {
        snprintf(msg, n, "%s", _("There is no question waiting."));
        return QUIZ_MALFORMED;
    }
    const lesson_quiz *lq = &q->l->quiz[k];
    char text[LESSON_LINE_MAX];
    normalise(answer, text, sizeof text);
    lesson_error err;
    double got, want;
    lesson_expr *mine = lesson_expr_read_answer(q->l, text, &err);
    if (!mine || walk_eval(q->w, mine, &got) != 0) {
        if (col)
            *col = mine ? 0 : err.col;
        snprintf(msg, n, _("That is not an answer I can read: %s."),
                 mine ? _("it reads what the model does not have") : err.message);
        lesson_expr_free(mine);
        return QUIZ_MALFORMED;
    }
    lesson_expr_free(mine);
    char shown[64];
    if (want_of(q, k, &want) != 0) {
        snprintf(msg, n, "%s", _("This question's answer no longer fits the model."));
        q->settled[k] = 3;
        return QUIZ_SOLVED;
    }
    walk_format_number(want, shown, sizeof shown);
    if (close_enough(got, want)) {
        q->settled[k] = 1;
        snprintf(msg, n, _("Right: %s."), shown);
        return QUIZ_RIGHT;
    }
    q->tries[k]++;
    if (q->tries[k] >= QUIZ_TRIES) {
        q->settled[k] = 2;
        quiz_solution_sentence(q, k, msg, n);
        return QUIZ_SOLVED;
    }
    char mine_shown[64], hint[LESSON_LINE_MAX];
    walk_format_number(got, mine_shown, sizeof mine_shown);
    hint_text(q, lq, hint, sizeof hint);
    if (hint[0])
        snprintf(msg, n, _("Not %s. Hint: %s"), mine_shown, hint);
    else
        snprintf(msg, n, _("Not %s. Try again."), mine_shown);
    return QUIZ_WRONG;
}

int quiz_hint(const quiz *q, int k, char *buf, size_t n)
{
    if (n)
        buf[0] = '\0';
    if (k < 0 || k >= q->n || n == 0)
        return 0;
    hint_text(q, &q->l->quiz[k], buf, n);
    return (int)strlen(buf);
}

int quiz_solution(const quiz *q, int k, char *buf, size_t n)
{
    double want;
    if (k < 0 || k >= q->n || want_of(q, k, &want) != 0)
        return snprintf(buf, n, "?");
    const lesson_quiz *lq = &q->l->quiz[k];
    char shown[64], how[LESSON_LINE_MAX];
    walk_format_number(want, shown, sizeof shown);
    double plain;
    size_t used = 0;
    lesson_error err;
    if (lesson_read_number(lq->answer, &plain, &used, &err) == 0 && lq->answer[used] == '\0')
        return snprintf(buf, n, "%s", shown);
    answer_shown(q->l, lq->answer, how, sizeof how);
    return snprintf(buf, n, "%s (%s)", shown, how);
}

int quiz_solution_sentence(const quiz *q, int k, char *buf, size_t n)
{
    char shown[LESSON_LINE_MAX];
    quiz_solution(q, k, shown, sizeof shown);
    if (strcmp(shown, "?") == 0)
        return snprintf(buf, n, "%s", _("This question's answer no longer fits the model."));
    return snprintf(buf, n, _("The answer is %s."), shown);
}

void quiz_skip(quiz *q, int k)
{
    if (k >= 0 && k < q->n)
        q->settled[k] = 3;
}

enum quiz_standing quiz_standing(const quiz *q, int k)
{
    return k >= 0 && k < q->n ? (enum quiz_standing)q->settled[k] : QUIZ_OPEN;
}

void quiz_restore(quiz *q, int k, enum quiz_standing s, int tries)
{
    if (k >= 0 && k < q->n && s >= QUIZ_OPEN && s <= QUIZ_GOT_SKIPPED) {
        q->settled[k] = (char)s;
        /* a quiz not solved for the learner had fewer wrong answers than that takes */
        q->tries[k] = s == QUIZ_GOT_SOLUTION ? QUIZ_TRIES : tries < 0 ? 0 : tries < QUIZ_TRIES ? tries : QUIZ_TRIES - 1;
    }
}

void quiz_score(const quiz *q, int *right, int *total)
{
    *right = *total = 0;
    for (int k = 0; k < q->n; k++) {
        if (!asked(q, k))
            continue;
        ++*total;
        *right += q->settled[k] == QUIZ_GOT_RIGHT && q->tries[k] == 0;
    }
}

int quiz_later(const quiz *q)
{
    int later = 0;
    for (int k = 0; k < q->n; k++)
        later += asked(q, k) && q->settled[k] == QUIZ_GOT_RIGHT && q->tries[k] > 0;
    return later;
}

int quiz_number(const quiz *q, int k, int *total)
{
    int nth = 0;
    *total = 0;
    for (int i = 0; i < q->n; i++)
        if (asked(q, i)) {
            ++*total;
            nth += i <= k;
        }
    return k >= 0 && k < q->n && asked(q, k) ? nth : 0;
}

void quiz_restart(quiz *q)
{
    memset(q->tries, 0, (size_t)q->n * sizeof *q->tries);
    memset(q->settled, 0, (size_t)q->n);
}
