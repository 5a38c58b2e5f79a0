/*
 * walk_live.c — the lesson's own words at each step, with their placeholders filled in from the engine (see
 * walk.h): the resolver that gives a live expression the numbers of the step on screen, the narration and
 * the teacher's notes, the whole step as --plain prints it, and the spoiler rule that --check holds every
 * lesson to.
 *
 * One rule decides both what a placeholder may print and what --check accepts: what step k reveals. A leaf's
 * value and the settings are known from the start; an operation's value from its forward step; a local
 * gradient from its LOCAL step; ∂L/∂N (L the loss) and N.grad from N's CHAIN step; new(P) from P's UPDATE step. A step's
 * own result counts as revealed for narration (it is shown once the step's working is) and not for a quiz's
 * question and hints, which are shown while the result is held back.
 */
#include "walk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "text.h"
#include "walk_int.h"

enum { ALWAYS = -2, NEVER = -1 };

/* Which input of OUT the edge of a local() comes from, or −1 when there is no such edge. */
static int edge_input(const walk *w, const lesson_ref *r)
{
    const graph_node *n = walk_node(w, r->id);
    if (!n || n->op == GRAPH_OP_LEAF)
        return -1;
    return n->src[0] == r->from ? 0 : n->src[1] == r->from && r->from >= 0 ? 1 : -1;
}

/* The step that reveals what r reads: ALWAYS, NEVER, or a step index. */
static int reveal_step(const walk *w, const lesson_ref *r)
{
    const graph_node *n = walk_node(w, r->id);
    switch (r->kind) {
    case LESSON_REF_LR:
    case LESSON_REF_EPOCH:
    case LESSON_REF_EPOCHS:
        return ALWAYS;
    case LESSON_REF_VALUE:
        if (!n || !graph_live(w->l->g, r->id))
            return NEVER;
        return n->op == GRAPH_OP_LEAF ? ALWAYS : w->forward_at[r->id];
    case LESSON_REF_GRAD:
    case LESSON_REF_DOTGRAD:
        return n ? w->chain_at[r->id] : NEVER;
    case LESSON_REF_NEW:
        return n ? w->update_at[r->id] : NEVER;
    case LESSON_REF_LOCAL: {
        int k = edge_input(w, r);
        return k < 0 ? NEVER : w->local_at[2 * r->id + k];
    }
    }
    return NEVER;
}

static int revealed(int at, int step, int own)
{
    return at == ALWAYS || (at >= 0 && (at < step || (own && at == step)));
}

/* The numbers, whatever is on screen: the walk's settings and epoch, the graph's numbers of a node the model
 * still computes; −1 for what it does not have. */
static int numbers(const walk *w, const lesson_ref *r, double *out)
{
    switch (r->kind) {
    case LESSON_REF_LR: out[0] = w->set.lr; return 0;
    case LESSON_REF_EPOCH: out[0] = w->epoch; return 0;
    case LESSON_REF_EPOCHS: out[0] = w->set.epochs; return 0;
    default: break;
    }
    return graph_live(w->l->g, r->id) ? lesson_ref_graph(w->l, r, w->set.lr, out) : -1;
}

static int get_any(void *ctx, const lesson_ref *r, double *out) { return numbers(ctx, r, out); }

int walk_eval(const walk *w, const lesson_expr *e, double *out)
{
    lesson_resolver r = { get_any, (void *)w };
    return lesson_expr_eval(w->l, e, &r, out);
}

/* The numbers of what is on screen at the current step, and none of what is not. */
struct on_screen {
    const walk *w;
    int own;
};

static int get_shown(void *ctx, const lesson_ref *r, double *out)
{
    const struct on_screen *o = ctx;
    if (!revealed(reveal_step(o->w, r), o->w->index, o->own))
        return -1;
    return numbers(o->w, r, out);
}

/* k bytes of s at buf's *used, as walk_put would print them with "%.*s" (cut at n, *used counting on). */
static void put_bytes(char *buf, size_t n, size_t *used, const char *s, size_t k)
{
    if (*used < n) {
        size_t c = k < n - *used - 1 ? k : n - *used - 1;
        memcpy(buf + *used, s, c);
        buf[*used + c] = '\0';
    }
    *used += k;
}

struct array_ctx { const double *v; };
static double array_of(const void *ctx, int i) { return ((const struct array_ctx *)ctx)->v[i]; }

/* How a negative number filled in after the text before it is written, so that no "− −3" reaches the screen. */
enum sign_fix { AS_IS, FOLD, PARENS };

/* lit[0, len) is the text before a placeholder whose number is negative, after it the text that follows. After
 * a binary minus or plus, "2 − −3" reads "2 + 3" and "2 + −3" "2 − 3" (FOLD, *op_len the bytes of the sign,
 * *flip its opposite); after a product, a quotient or a minus of its own it is bracketed: "0.5·(−3)",
 * "−(−3)", as it is before a power: "1 − (−3)^2" (PARENS). */
static enum sign_fix sign_fix(const char *lit, size_t len, const char *after, size_t *op_len, const char **flip)
{
    static const struct { const char *op, *flip; } binary[] = { { "\u2212 ", "+ " }, { "- ", "+ " },
                                                                { "+ ", "\u2212 " } };
    static const char *const tight[] = { "\u00b7", "\u00d7", "*", "/", "^", "\u2212", "-" };
    if (after[0] == '^' || strncmp(after, "\u00b2", 2) == 0)
        return PARENS;
    for (size_t k = 0; k < sizeof binary / sizeof binary[0]; k++) {
        size_t m = strlen(binary[k].op);
        if (len > m && lit[len - m - 1] == ' ' && strncmp(lit + len - m, binary[k].op, m) == 0) {
            *op_len = m;
            *flip = binary[k].flip;
            return FOLD;
        }
    }
    while (len > 0 && lit[len - 1] == ' ')
        len--;
    for (size_t k = 0; k < sizeof tight / sizeof tight[0]; k++) {
        size_t m = strlen(tight[k]);
        if (len >= m && strncmp(lit + len - m, tight[k], m) == 0)
            return PARENS;
    }
    return AS_IS;
}

int walk_render(const walk *w, const lesson_text *t, int before_result, char *buf, size_t n)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    const char *s = t->text;
    size_t len = strlen(s), i = 0;
    struct on_screen o = { w, !before_result };
    lesson_resolver r = { get_shown, &o };
    for (int h = 0; h <= (t->n_hole > 0 ? t->n_hole : 0); h++) {
        size_t stop = h < t->n_hole ? t->hole[h].start : len, from = i;
        const lesson_hole *ho = h < t->n_hole ? &t->hole[h] : NULL;
        /* the placeholder's number first: a negative one may change how the text before it ends */
        char num[128] = "";
        int k = ho && ho->formula < 0 ? lesson_expr_len(ho->expr) : 0, got = -1;
        double *v = k > 0 ? malloc((size_t)k * sizeof *v) : NULL;
        if (v)
            got = lesson_expr_eval(w->l, ho->expr, &r, v);
        enum sign_fix fix = AS_IS;
        size_t op_len = 0;
        const char *flip = "";
        if (got == 0 && k == 1) {
            size_t nu = 0;
            walk_put_list(num, sizeof num, &nu, 1, array_of, &(struct array_ctx){ v }, ho->digits ? ho->digits : 6);
            if (strncmp(num, "\u2212", 3) == 0)
                fix = sign_fix(s + from, stop - from, s + ho->end, &op_len, &flip);
        }
        size_t lit_stop = fix == FOLD ? stop - op_len : stop;
        while (i < lit_stop) { /* the literal text, "{{" and "}}" as one brace: a run at a time, up to a brace */
            size_t run = i;
            while (run < lit_stop && s[run] != '{' && s[run] != '}')
                run++;
            if (run < lit_stop)
                run++; /* the brace itself */
            put_bytes(buf, n, &used, s + i, run - i);
            i = run;
            if (i < lit_stop && (s[i - 1] == '{' || s[i - 1] == '}') && s[i] == s[i - 1])
                i++;
        }
        i = stop;
        if (!ho || t->n_hole < 0) {
            free(v);
            break;
        }
        i = ho->end;
        if (ho->formula >= 0) {
            char f[512];
            lesson_formula(w->l, ho->formula, f, sizeof f);
            walk_put(buf, n, &used, "%s", f);
            continue;
        }
        if (fix == FOLD)
            walk_put(buf, n, &used, "%s%s", flip, num + 3);
        else if (fix == PARENS)
            walk_put(buf, n, &used, "(%s)", num);
        else if (got == 0)
            walk_put_list(buf, n, &used, k, array_of, &(struct array_ctx){ v }, ho->digits ? ho->digits : 6);
        else
            walk_put(buf, n, &used, "?");
        free(v);
    }
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}

/* ---------------------------------------------------------------- narration ------------------- */

/* A growing text: the walk's scratch buffers. before: rendered as before the step's result (walk_render). */
struct text_out {
    char **buf;
    size_t *cap, len;
    int lines, before;
    int handout; /* leave out the `try` lines: a handout has no keys to press */
};

static void out_line(const walk *w, struct text_out *o, const lesson_text *t)
{
    size_t need = (size_t)walk_render(w, t, o->before, NULL, 0) + 2;
    if (o->len + need > *o->cap) {
        size_t cap = (o->len + need) * 2;
        char *b = realloc(*o->buf, cap);
        if (!b)
            return;
        *o->buf = b;
        *o->cap = cap;
    }
    if (o->lines++)
        (*o->buf)[o->len++] = '\n';
    o->len += (size_t)walk_render(w, t, o->before, *o->buf + o->len, *o->cap - o->len);
}

/* The lines of ts that are not retired; *retired is set when one is. */
static void out_texts(const walk *w, struct text_out *o, const lesson_texts *ts, int *retired)
{
    for (int i = 0; i < ts->n; i++) {
        if (ts->v[i].retired)
            *retired = 1;
        else if (!(o->handout && ts->v[i].screen))
            out_line(w, o, &ts->v[i]);
    }
}

static const char retired_notice[] = N_("The lesson's text for this step is about the model as shipped; you changed it.");
static const char retired_notes_notice[] = N_("The lesson's notes for the teacher are about the model as shipped; you changed it (:reset brings them back).");

static const char *narration(const walk *w, int before, int handout)
{
    walk *mw = (walk *)w; /* the scratch text is a cache, not state */
    const walk_step *s = walk_current(w);
    struct text_out o = { &mw->narration, &mw->narration_cap, 0, 0, before, handout };
    int retired = 0;
    const lesson *l = w->l;
    /* a phase's narration introduces the phase: it is told the first time through */
    if (w->epoch == 1 && w->index == w->phase_first[s->phase])
        out_texts(w, &o, &l->say[s->phase], &retired);
    for (int k = w->explain_head[w->index]; k >= 0; k = w->explain_next[k])
        if (l->names[k].explain.n > 0)
            out_texts(w, &o, &l->names[k].explain, &retired);
    for (int k = 0; w->epoch == 1 && k < l->n_quiz; k++)
        retired |= l->quiz[k].retired && walk_quiz_step(w, &l->quiz[k]) == w->index;
    if (retired) {
        lesson_text notice = { .text = (char *)_(retired_notice), .n_hole = 0 };
        out_line(w, &o, &notice);
    }
    if (!mw->narration || o.lines == 0)
        return "";
    mw->narration[o.len] = '\0';
    return mw->narration;
}

const char *walk_step_narration(const walk *w) { return narration(w, 0, 0); }
const char *walk_step_narration_held(const walk *w) { return narration(w, 1, 0); }
const char *walk_handout_narration(const walk *w, int held) { return narration(w, held, 1); }

const char *walk_notes(const walk *w)
{
    walk *mw = (walk *)w;
    struct text_out o = { &mw->notes, &mw->notes_cap, 0, 0, 0, 0 };
    int retired = 0;
    out_texts(w, &o, &w->l->notes, &retired);
    if (retired) { /* the lesson has notes, about the model as shipped: say so, rather than that it has none */
        lesson_text notice = { .text = (char *)_(retired_notes_notice), .n_hole = 0 };
        out_line(w, &o, &notice);
    }
    if (!mw->notes || o.lines == 0)
        return "";
    mw->notes[o.len] = '\0';
    return mw->notes;
}

#define put walk_put

int walk_step_working(const walk *w, int held, char *buf, size_t n)
{
    if (!held || !walk_step_question(w, buf, n)) {
        enum lesson_phase p = walk_current(w)->phase;
        if (held && (p == LESSON_PHASE_EPOCH || w->epoch > 1)) { /* a result, or the last epoch's answers */
            if (n)
                buf[0] = '\0';
            return 0;
        }
        walk_step_formula(w, buf, n);
    }
    return n && buf[0];
}

/* A step as text; held: with its result held back, as a worksheet prints it (the working ending in "?", the
 * narration's results "?", no note, and no line that would print a result: the epoch's row, and after the
 * first epoch its starting numbers, which are the last epoch's answers). */
static int step_text(const walk *w, char *buf, size_t n, int held)
{
    const walk_step *s = walk_current(w);
    size_t used = 0;
    int k, count;
    walk_phase_position(w, &k, &count);
    if (n)
        buf[0] = '\0';
    /* TRANSLATORS: a step's heading in the handout: "Epoch 1 · Forward pass 1/3 · step 2 of 13" */
    put(buf, n, &used, _("Epoch %d · %s"), w->epoch, _(walk_phase_title(s->phase)));
    if (count > 1)
        put(buf, n, &used, " %d/%d", k, count);
    put(buf, n, &used, _(" · step %d of %d\n"), w->index + 1, w->n_steps);
    char line[4096];
    if (walk_step_working(w, held, line, sizeof line))
        put(buf, n, &used, "%s\n", line);
    const char *say = walk_handout_narration(w, held);
    if (*say)
        put(buf, n, &used, "%s\n", say);
    if (!held && walk_step_note(w, line, sizeof line))
        put(buf, n, &used, _("Note: %s\n"), line);
    put(buf, n, &used, _("PyTorch: %s\n"), walk_step_pytorch(w));
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}

int walk_step_text(const walk *w, char *buf, size_t n) { return step_text(w, buf, n, 0); }

int walk_step_text_held(const walk *w, char *buf, size_t n) { return step_text(w, buf, n, 1); }


#undef put

/* ---------------------------------------------------------------- the spoiler rule ------------ */

/* "the forward step of ŷ", "the chain step of w": how a message names step k. */
static void step_words(const walk *w, int k, char *buf, size_t n)
{
    const walk_step *s = walk_step_at(w, k);
    char a[128] = "", b[128] = "";
    if (s->node >= 0)
        walk_node_name(w, s->node, a, sizeof a);
    switch (s->phase) {
    case LESSON_PHASE_INTRO: snprintf(buf, n, "%s", _("the epoch's start")); break;
    case LESSON_PHASE_FORWARD: snprintf(buf, n, _("the forward step of %s"), a); break;
    case LESSON_PHASE_LOCAL:
        walk_local_name(w, s->node, s->input, b, sizeof b);
        snprintf(buf, n, _("the local gradient %s"), b);
        break;
    case LESSON_PHASE_CHAIN: snprintf(buf, n, _("the chain step of %s"), a); break;
    case LESSON_PHASE_UPDATE: snprintf(buf, n, _("the update of %s"), a); break;
    case LESSON_PHASE_EPOCH: snprintf(buf, n, "%s", _("the epoch's end")); break;
    case LESSON_PHASE_COUNT: buf[0] = '\0'; break;
    }
}

/* What r reads, as a message says it: "s", "∂loss/∂w", "the new w", "∂h/∂z" (walk_grad_name, walk_local_name). */
static void ref_words(const walk *w, const lesson_ref *r, char *buf, size_t n)
{
    char a[128] = "", d[256] = "";
    if (r->id >= 0)
        walk_node_name(w, r->id, a, sizeof a);
    switch (r->kind) {
    case LESSON_REF_VALUE: snprintf(buf, n, "%s", a); break;
    case LESSON_REF_GRAD: walk_grad_name(w, r->id, d, sizeof d), snprintf(buf, n, "%s", d); break;
    case LESSON_REF_DOTGRAD: snprintf(buf, n, "%s.grad", a); break;
    case LESSON_REF_NEW: snprintf(buf, n, _("the new %s"), a); break;
    case LESSON_REF_LOCAL: walk_local_name(w, r->id, edge_input(w, r), d, sizeof d), snprintf(buf, n, "%s", d); break;
    default: snprintf(buf, n, "%s", _("it")); break;
    }
}

/* Where a text is shown: its step, whether the step's own result is on screen, and how to say so. */
enum shown_as { SHOWN_SAY, SHOWN_EXPLAIN, SHOWN_NOTE, SHOWN_QUESTION, SHOWN_HINT };

/* Every text is checked; the error kept is the first in the file. */
struct check {
    const walk *w;
    const lesson_text *t;
    const lesson_hole *hole;
    enum shown_as as;
    int step, own;
    enum lesson_phase phase;
    lesson_error *err, found;
    int failed;
};

static void keep_first(struct check *c)
{
    if (!c->failed || c->found.line < c->err->line || (c->found.line == c->err->line && c->found.col < c->err->col))
        *c->err = c->found;
    c->failed = 1;
}

static int check_ref(const lesson_ref *r, void *ctx)
{
    struct check *c = ctx;
    const walk *w = c->w;
    char what[160], where[400], hole[256], why[200];
    const lesson_hole *h = c->hole;
    text_cut(hole, sizeof hole, snprintf(hole, sizeof hole, "%.*s", (int)(h->end - h->start), c->t->text + h->start));
    ref_words(w, r, what, sizeof what);
    if (r->kind == LESSON_REF_LOCAL && edge_input(w, r) < 0) {
        char out[128], in[128];
        walk_node_name(w, r->id, out, sizeof out);
        walk_node_name(w, r->from, in, sizeof in);
        lesson_error_at(&c->found, &c->t->where, r->col, _("%s names no edge: %s is not an input of %s"), hole, in, out);
        keep_first(c);
        return 0;
    }
    int at = reveal_step(w, r);
    if (revealed(at, c->step, c->own))
        return 0;
    if (at == NEVER) {
        if (r->kind == LESSON_REF_VALUE || r->kind == LESSON_REF_NEW)
            snprintf(why, sizeof why, _("%s does not reach the loss"), what);
        else
            snprintf(why, sizeof why, "%s", _("no gradient flows to it from the loss"));
        lesson_error_at(&c->found, &c->t->where, r->col, _("%s is never on screen: %s"), hole, why);
        keep_first(c);
        return 0;
    }
    char step[160];
    step_words(w, c->step, step, sizeof step);
    switch (c->as) {
    case SHOWN_SAY:
        snprintf(where, sizeof where, _("this line is shown where the %s phase begins (step %d)"),
                 lesson_phase_name(c->phase), c->step + 1);
        break;
    case SHOWN_EXPLAIN: snprintf(where, sizeof where, _("this line is shown at %s (step %d)"), step, c->step + 1); break;
    case SHOWN_NOTE: snprintf(where, sizeof where, "%s", _("a teacher's note may be shown from the first step")); break;
    case SHOWN_QUESTION:
    case SHOWN_HINT:
        snprintf(where, sizeof where,
                 c->as == SHOWN_QUESTION ? _("this question is shown at %s (step %d) before its result")
                                         : _("this hint is shown at %s (step %d) before its result"),
                 step, c->step + 1);
        break;
    }
    if (at == c->step)
        lesson_error_at(&c->found, &c->t->where, r->col, _("%s gives the answer away: %s, and %s is that result"), hole,
                        where, what);
    else
        lesson_error_at(&c->found, &c->t->where, r->col,
                        r->kind == LESSON_REF_VALUE ? _("%s is not on screen yet: %s, and %s is computed at step %d")
                        : r->kind == LESSON_REF_NEW ? _("%s is not on screen yet: %s, and %s comes at step %d")
                                                    : _("%s is not on screen yet: %s, and %s is worked out at step %d"),
                        hole, where, what, at + 1);
    keep_first(c);
    return 0;
}

static void check_text(struct check *c, const lesson_text *t)
{
    c->t = t;
    for (int h = 0; h < t->n_hole; h++) {
        c->hole = &t->hole[h];
        if (t->hole[h].expr)
            lesson_expr_refs(c->w->l, t->hole[h].expr, check_ref, c);
    }
}

static void check_texts(struct check *c, const lesson_texts *ts)
{
    for (int i = 0; i < ts->n; i++)
        check_text(c, &ts->v[i]);
}

/* An answer's local() must name an edge too: it is evaluated whether or not it is on screen. */
struct answer_check {
    struct check *c;
    const lesson_quiz *q;
};

static int check_answer_ref(const lesson_ref *r, void *ctx)
{
    struct answer_check *a = ctx;
    const walk *w = a->c->w;
    if (r->kind != LESSON_REF_LOCAL || edge_input(w, r) >= 0)
        return 0;
    char out[128], in[128];
    walk_node_name(w, r->id, out, sizeof out);
    walk_node_name(w, r->from, in, sizeof in);
    lesson_error_at(&a->c->found, &a->q->answer_at, r->col, _("local() names no edge: %s is not an input of %s"), in,
                    out);
    keep_first(a->c);
    return 0;
}

int walk_check(const walk *w, lesson_error *err)
{
    const lesson *l = w->l;
    struct check c = { .w = w, .err = err };
    for (int p = 0; p < LESSON_PHASE_COUNT; p++) {
        if (w->phase_first[p] < 0)
            continue; /* a phase the lesson has no step of is never shown */
        c.as = SHOWN_SAY, c.step = w->phase_first[p], c.own = 1, c.phase = (enum lesson_phase)p;
        check_texts(&c, &l->say[p]);
    }
    for (int k = 0; k < l->n_names; k++) {
        int at = w->explain_at[l->names[k].id];
        if (at < 0)
            continue; /* a node no step is about is never explained */
        c.as = SHOWN_EXPLAIN, c.step = at, c.own = 1;
        check_texts(&c, &l->names[k].explain);
    }
    c.as = SHOWN_NOTE, c.step = 0, c.own = 0;
    check_texts(&c, &l->notes);
    for (int k = 0; k < l->n_quiz; k++) {
        const lesson_quiz *q = &l->quiz[k];
        struct answer_check a = { &c, q };
        if (q->expr)
            lesson_expr_refs(l, q->expr, check_answer_ref, &a);
        int at = walk_quiz_step(w, q);
        if (at < 0)
            continue; /* a quiz the walk has no step for is never asked */
        c.as = SHOWN_QUESTION, c.step = at, c.own = 0;
        check_text(&c, &q->question);
        c.as = SHOWN_HINT;
        check_texts(&c, &q->hint);
    }
    return c.failed ? -1 : 0;
}
