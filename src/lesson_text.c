/*
 * lesson_text.c — the lesson's text lines and their placeholders (see lesson.h), and retirement.
 *
 * A text line (say, explain, note, a quiz's question and hints) is kept as written, with the line it came
 * from, so that what is found wrong with it later — a placeholder here, the walkthrough's spoiler rule — is
 * reported at its own line and column. Its placeholders ({EXPR}, {EXPR:N}, {=NAME}) and the quizzes' answers
 * are read with the lesson's one parser once the whole file has been read: text is not the model, so it may
 * name a node defined further down, and a model edit that moves a definition to the end of the script never
 * breaks a line of text.
 *
 * Retirement compares the lesson with the lesson as shipped (its file) node by node and marks the text that
 * is about a node the learner changed; the walkthrough then shows a notice in its place.
 */
#include "lesson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"

/* ---------------------------------------------------------------- text lines ------------------ */

static int text_init(lesson_text *t, const lesson_cursor *c, size_t at, size_t n)
{
    memset(t, 0, sizeof *t);
    t->text = lesson_dup(c->s + at, n);
    t->where.source = lesson_dup(c->s, c->len);
    t->where.line = c->line;
    t->where.at = at;
    t->n_hole = -1;
    if (!t->text || !t->where.source) {
        lesson_text_free(t);
        return -1;
    }
    return 0;
}

int lesson_text_add(lesson_texts *ts, const lesson_cursor *c, size_t at, size_t n)
{
    if (ts->n == ts->cap) {
        int cap = ts->cap ? 2 * ts->cap : 4;
        lesson_text *v = realloc(ts->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        ts->v = v;
        ts->cap = cap;
    }
    if (text_init(&ts->v[ts->n], c, at, n) < 0)
        return -1;
    ts->n++;
    return 0;
}

int lesson_text_set(lesson_text *t, const lesson_cursor *c, size_t at, size_t n) { return text_init(t, c, at, n); }

void lesson_place_free(lesson_place *p)
{
    free(p->source);
    p->source = NULL;
}

void lesson_text_free(lesson_text *t)
{
    for (int i = 0; i < t->n_hole; i++)
        lesson_expr_free(t->hole[i].expr);
    free(t->hole);
    free(t->text);
    lesson_place_free(&t->where);
    memset(t, 0, sizeof *t);
    t->n_hole = -1;
}

void lesson_texts_free(lesson_texts *ts)
{
    for (int i = 0; i < ts->n; i++)
        lesson_text_free(&ts->v[i]);
    free(ts->v);
    memset(ts, 0, sizeof *ts);
}

/* ---------------------------------------------------------------- placeholders ---------------- */

static int is_blank(int ch) { return ch == ' ' || ch == '\t'; }

/* {=NAME}: the name after '=' in s[a, b) of the line's text. */
static int read_formula(lesson *l, lesson_cursor *c, size_t a, size_t b, lesson_hole *h)
{
    c->pos = a;
    c->len = b;
    skip_space(c);
    size_t at = c->pos;
    char w[LESSON_NAME_MAX + 1];
    if (lesson_read_word(c, w) == 0)
        return lesson_fail(c, at, _("expected a name after '=', as in {=yhat}"));
    skip_space(c);
    if (c->pos < b) {
        char tok[32];
        return lesson_fail(c, c->pos, _("{=NAME} prints one node's formula: unexpected '%s'"),
                           lesson_token_at(c, c->pos, tok, sizeof tok));
    }
    int i = lesson_find(l, w);
    if (i < 0)
        return lesson_fail(c, at, _(LESSON_UNKNOWN_NAME), w);
    h->formula = l->names[i].id;
    return 0;
}

/* {EXPR} or {EXPR:N}, inside s[a, b) of the line's text. */
static int read_expr(lesson *l, lesson_cursor *c, size_t a, size_t b, lesson_hole *h)
{
    const char *s = c->s;
    size_t colon = b;
    for (size_t k = a; k < b; k++)
        if (s[k] == ':')
            colon = k;
    if (colon < b) {
        size_t k = colon + 1;
        int digits = 0, any = 0;
        while (k < b && is_blank(s[k]))
            k++;
        while (k < b && s[k] >= '0' && s[k] <= '9' && digits <= 100)
            digits = digits * 10 + (s[k++] - '0'), any = 1;
        while (k < b && is_blank(s[k]))
            k++;
        if (!any || k < b || digits < 1 || digits > 17)
            return lesson_fail(c, colon + 1, _("after ':' comes how many significant digits to print, 1 to 17"));
        h->digits = digits;
        b = colon;
    }
    c->pos = a;
    c->len = b;
    skip_space(c);
    if (c->pos == b)
        return lesson_fail(c, a - 1, _("an empty placeholder: write {NAME} or {EXPR}, and {{ for a brace"));
    h->expr = lesson_expr_read(c, l, LESSON_MODE_LIVE);
    if (!h->expr) { /* the parser's "at the end of the line" is the placeholder's end here */
        static const char *const ends[][2] = {
            {N_("expected a number, a name or '(' at the end of the line"),
             N_("expected a number, a name or '(' before the '}'")},
            {N_("expected a number at the end of the line"), N_("expected a number before the '}'")},
        };
        for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++)
            if (strcmp(c->err->message, _(ends[k][0])) == 0)
                snprintf(c->err->message, sizeof c->err->message, "%s", _(ends[k][1]));
        return -1;
    }
    skip_space(c);
    if (c->pos < b) { /* the parser stops at '#', which is text here */
        char tok[32];
        return lesson_fail(c, c->pos, _("unexpected '%s' in the placeholder"),
                           lesson_token_at(c, c->pos, tok, sizeof tok));
    }
    return 0;
}

static int read_holes(lesson *l, lesson_text *t, lesson_error *err)
{
    const char *src = t->where.source;
    size_t base = t->where.at, n = strlen(t->text);
    lesson_cursor c = { src, strlen(src), 0, t->where.line, err };
    const char *s = src + base;
    int cap = 0;
    t->n_hole = 0;
    for (size_t i = 0; i < n; i++) {
        if ((s[i] == '{' || s[i] == '}') && i + 1 < n && s[i + 1] == s[i]) {
            i++;
            continue;
        }
        if (s[i] == '}')
            return lesson_fail(&c, base + i, _("a '}' without its '{': write }} for a brace"));
        if (s[i] != '{')
            continue;
        size_t close = i + 1;
        while (close < n && s[close] != '}' && s[close] != '{')
            close++;
        if (close >= n || s[close] == '{')
            return lesson_fail(&c, base + i, _("this '{' is never closed: a placeholder is {NAME} or {EXPR}, and {{ "
                                             "writes a brace"));
        if (t->n_hole == cap) {
            cap = cap ? 2 * cap : 4;
            lesson_hole *v = realloc(t->hole, (size_t)cap * sizeof *v);
            if (!v)
                return lesson_fail(&c, base + i, _("out of memory"));
            t->hole = v;
        }
        lesson_hole *h = &t->hole[t->n_hole];
        *h = (lesson_hole){ .start = i, .end = close + 1, .digits = 0, .formula = -1, .expr = NULL };
        size_t a = base + i + 1, b = base + close;
        while (a < b && is_blank(src[a]))
            a++;
        int rc = a < b && src[a] == '=' ? read_formula(l, &c, a + 1, b, h) : read_expr(l, &c, base + i + 1, b, h);
        c.len = strlen(src);
        if (rc < 0) {
            lesson_keep_source(err, src, c.len); /* the whole line, not the placeholder the cursor was cut to */
            lesson_expr_free(h->expr);
            return -1;
        }
        t->n_hole++;
        i = close;
    }
    return 0;
}

/* ---------------------------------------------------------------- reading them all ------------ */

/* Something still to read: a text line, or a quiz's answer. */
struct unread {
    int line;
    size_t at;
    lesson_text *text;
    lesson_quiz *answer;
};

static int by_place(const void *a, const void *b)
{
    const struct unread *x = a, *y = b;
    return x->line != y->line ? (x->line > y->line) - (x->line < y->line) : (x->at > y->at) - (x->at < y->at);
}

struct unread_list {
    struct unread *v;
    int n, cap;
};

static int note(struct unread_list *u, struct unread what);

static int note_text(struct unread_list *u, lesson_text *t)
{
    return t->n_hole >= 0 ? 0 : note(u, (struct unread){ t->where.line, t->where.at, t, NULL });
}

static int note(struct unread_list *u, struct unread what)
{
    if (u->n == u->cap) {
        int cap = u->cap ? 2 * u->cap : 32;
        struct unread *v = realloc(u->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        u->v = v, u->cap = cap;
    }
    u->v[u->n++] = what;
    return 0;
}

static int note_texts(struct unread_list *u, lesson_texts *ts)
{
    for (int i = 0; i < ts->n; i++)
        if (note_text(u, &ts->v[i]) < 0)
            return -1;
    return 0;
}

static int read_answer(lesson *l, lesson_quiz *q, lesson_error *err)
{
    lesson_place *p = &q->answer_at;
    lesson_cursor c = { p->source, strlen(p->source), p->at, p->line, err };
    q->expr = lesson_expr_read(&c, l, LESSON_MODE_LIVE);
    if (!q->expr)
        return -1;
    if (lesson_expr_len(q->expr) != 1) {
        lesson_fail(&c, p->at, _("the answer must be one number, but this has %d values: wrap it in mean() or sum()"),
                    lesson_expr_len(q->expr));
        lesson_expr_free(q->expr);
        q->expr = NULL;
        return -1;
    }
    return 0;
}

int lesson_text_finish(lesson *l, lesson_error *err)
{
    struct unread_list u = { NULL, 0, 0 };
    int bad = 0;
    for (int p = 0; p < LESSON_PHASE_COUNT; p++)
        bad |= note_texts(&u, &l->say[p]);
    bad |= note_texts(&u, &l->notes);
    for (int k = 0; k < l->n_names; k++)
        bad |= note_texts(&u, &l->names[k].explain);
    for (int k = 0; k < l->n_quiz; k++) {
        lesson_quiz *q = &l->quiz[k];
        bad |= note_text(&u, &q->question);
        bad |= note_texts(&u, &q->hint);
        if (q->answer && !q->expr)
            bad |= note(&u, (struct unread){ q->answer_at.line, q->answer_at.at, NULL, q });
    }
    if (bad) {
        free(u.v);
        memset(err, 0, sizeof *err);
        snprintf(err->message, sizeof err->message, _("out of memory"));
        return -1;
    }
    if (u.n > 1)
        qsort(u.v, (size_t)u.n, sizeof *u.v, by_place);
    int rc = 0;
    for (int i = 0; i < u.n && rc == 0; i++) {
        rc = u.v[i].text ? read_holes(l, u.v[i].text, err) : read_answer(l, u.v[i].answer, err);
        if (rc < 0) {
            err->line = u.v[i].line;
            if (u.v[i].text) { /* keep it unread, with nothing half made */
                lesson_text *t = u.v[i].text;
                for (int h = 0; h < t->n_hole; h++)
                    lesson_expr_free(t->hole[h].expr);
                free(t->hole);
                t->hole = NULL;
                t->n_hole = -1;
            }
        }
    }
    free(u.v);
    return rc;
}

/* ---------------------------------------------------------------- retirement ------------------ */

/* Is node a of l the same as node b of s? A name inside a formula is the same when it is the same name. */
static int same_node(const lesson *l, int a, const lesson *s, int b, int top)
{
    const graph_node *na = graph_node_at(l->g, a), *nb = graph_node_at(s->g, b);
    const lesson_name *ma = lesson_node_name(l, a), *mb = lesson_node_name(s, b);
    if (!na || !nb)
        return 0;
    if (!top && (ma || mb))
        return ma && mb && strcmp(ma->name, mb->name) == 0;
    if (na->op != nb->op)
        return 0;
    if (na->op == GRAPH_OP_LEAF) {
        if (na->role != nb->role || na->len != nb->len)
            return 0;
        return na->role != GRAPH_CONST || na->data[0] == nb->data[0]; /* a leaf's numbers are what set changes */
    }
    for (int k = 0; k < 2; k++) {
        if ((na->src[k] < 0) != (nb->src[k] < 0))
            return 0;
        if (na->src[k] >= 0 && !same_node(l, na->src[k], s, nb->src[k], 0))
            return 0;
    }
    return 1;
}

static int has_text(const lesson_texts *ts, const char *text)
{
    for (int i = 0; ts && i < ts->n; i++)
        if (strcmp(ts->v[i].text, text) == 0)
            return 1;
    return 0;
}

struct about {
    const char *bad; /* per node: changed, downstream of a change, or not live */
    int hit;
};

static int ref_is_bad(const lesson_ref *r, void *ctx)
{
    struct about *a = ctx;
    if ((r->id >= 0 && a->bad[r->id]) || (r->from >= 0 && a->bad[r->from]))
        a->hit = 1;
    return a->hit;
}

static int text_is_bad(const lesson *l, const lesson_text *t, const char *bad)
{
    struct about a = { bad, 0 };
    for (int h = 0; h < t->n_hole && !a.hit; h++) {
        if (t->hole[h].formula >= 0 && bad[t->hole[h].formula])
            a.hit = 1;
        else if (t->hole[h].expr)
            lesson_expr_refs(l, t->hole[h].expr, ref_is_bad, &a);
    }
    return a.hit;
}

static void retire_texts(const lesson *l, lesson_texts *ts, const lesson_texts *shipped, int node, const char *bad)
{
    for (int i = 0; i < ts->n; i++)
        ts->v[i].retired = has_text(shipped, ts->v[i].text) &&
                           ((node >= 0 && bad[node]) || text_is_bad(l, &ts->v[i], bad));
}

static const lesson_quiz *shipped_quiz(const lesson *l, const lesson_quiz *q, const lesson *s)
{
    const lesson_name *node = lesson_node_name(l, q->node);
    for (int k = 0; k < s->n_quiz; k++) {
        const lesson_quiz *o = &s->quiz[k];
        const lesson_name *onode = lesson_node_name(s, o->node);
        if (o->phase == q->phase && (node == NULL) == (onode == NULL) && (!node || strcmp(node->name, onode->name) == 0) &&
            strcmp(o->question.text, q->question.text) == 0 && o->answer && q->answer && strcmp(o->answer, q->answer) == 0)
            return o;
    }
    return NULL;
}

/*
 * What a line is about, and whether that part of the graph is still the file's.
 *
 * A sentence of prose cannot be checked: only its placeholders follow the engine. So after an edit that
 * changes the graph (a node redefined, or one that reached the loss or the metric no longer does; a :set of
 * numbers is not such an edit) a line the file has stays only while everything it could be about is as the
 * file has it — in the graph now and in the file's, so that a node that stopped reading another is seen (q no
 * longer reading w leaves q off w's ways to the loss now, but not in the file's). What that is follows from
 * where the line is shown:
 *
 * - say (every phase) and note: the phase, or the lesson, as a whole ("Local gradients: 2s, 1 and x.", "the
 *   mean divides by N"): retired once the graph changes at all; but a `try` line says what to press or type
 *   (lesson 12's guide to building a model is the edits themselves), so only the older rule below retires it;
 * - explain of an operation, the loss or the metric, shown at its forward step: the node and everything it
 *   is computed from (its cone);
 * - explain of an input, shown where it is first read: the cones of the nodes that read it;
 * - explain of a parameter, shown at its update step: its gradient, that is every node on its ways to the
 *   loss with the cone of each (their local gradients read their inputs' values);
 * - a quiz: the same part for its step (forward: the node's cone; local: the cones of the nodes it feeds;
 *   chain and update: the ways to the loss), except where its answer reads a live number: the answer is an
 *   expression the engine evaluates, so a node whose value it reads cuts the cone there (`answer yhat - y`
 *   is about s = ŷ − y, whatever ŷ is made of now), and one whose gradient it reads (grad(), .grad, new())
 *   cuts the way to the loss there (`w - lr * grad(w)` holds for any graph). A quiz without a node is about
 *   its phase: retired once the graph changes.
 *
 * An anonymous node (the s^2 inside `loss L = mean(s^2)`) counts as changed when the named node whose formula
 * holds it does. On top of this the older rule stands for text lines (a placeholder or the explained node that
 * changed, feeds a change, or no longer reaches the loss), and for every line a reference to a node that no
 * longer reaches the loss or to an edge the graph no longer has. With the lesson as shipped nothing differs,
 * so nothing is retired and every screen stays as it was.
 */
struct region {
    const graph *g;
    const char *changed; /* per node: redefined (an anonymous one: its owner is) */
    const char *cut;     /* per node: its value is read live: its cone is not looked into; or NULL */
    const char *gcut;    /* per node: its gradient is read live: the way on to the loss is not looked into */
    const int *use_at, *use; /* who reads each node: use[use_at[id] .. use_at[id + 1]) */
    char *seen, *dseen;
    int *stack, *dstack; /* n each */
    int hit;
    int leaves_same; /* no leaf changed (kind or batch length): every node has the file's length */
};

/* Whether op's local gradients read no values: +, −, negation, sum (always ±1). Where so, and every length is
 * the file's, a gradient through the node needs only its formula, not what its inputs are computed from. */
static int local_reads_nothing(const struct region *r, int id)
{
    enum graph_op op = graph_node_at(r->g, id)->op;
    return r->leaves_same && (op == GRAPH_OP_ADD || op == GRAPH_OP_SUB || op == GRAPH_OP_NEG || op == GRAPH_OP_SUM);
}

/* id and its cone, stopping at what the cut reads live. Iterative, on a stack of n: a graph may be a chain of
 * 500 000 nodes, and each node is pushed once (seen). */
static void region_up(struct region *r, int id)
{
    if (id < 0 || r->hit || r->seen[id])
        return;
    int top = 0;
    r->seen[id] = 1;
    r->stack[top++] = id;
    while (top > 0 && !r->hit) {
        int v = r->stack[--top];
        if (r->changed[v]) {
            r->hit = 1;
            break;
        }
        const graph_node *gn = graph_node_at(r->g, v);
        for (int k = 0; k < 2; k++) {
            int u = gn->src[k];
            if (u >= 0 && !r->seen[u] && !(r->cut && r->cut[u])) {
                r->seen[u] = 1;
                r->stack[top++] = u;
            }
        }
    }
}

/* id's own formula only (its owner's, for an anonymous node), or with its cone. */
static void region_local(struct region *r, int id)
{
    if (local_reads_nothing(r, id))
        r->hit |= r->changed[id];
    else
        region_up(r, id);
}

/* What id's gradient is made of: each live node that reads it, with its cone (its local gradient), and on
 * (iterative, as region_up). */
static void region_down(struct region *r, int id)
{
    int top = 0;
    r->dstack[top++] = id;
    while (top > 0 && !r->hit) {
        int v = r->dstack[--top];
        for (int u = r->use_at[v]; u < r->use_at[v + 1] && !r->hit; u++) {
            int d = r->use[u];
            if (r->dseen[d] || !graph_live(r->g, d))
                continue;
            r->dseen[d] = 1;
            region_local(r, d);
            if (!(r->gcut && r->gcut[d]))
                r->dstack[top++] = d;
        }
    }
}

enum about_step { ABOUT_FORWARD, ABOUT_READERS, ABOUT_GRADIENT };

static int region_changed(struct region *r, int id, enum about_step at)
{
    int n = graph_count(r->g);
    memset(r->seen, 0, (size_t)n);
    memset(r->dseen, 0, (size_t)n);
    r->hit = 0;
    if (at == ABOUT_FORWARD)
        region_up(r, id);
    else if (at == ABOUT_READERS)
        for (int u = r->use_at[id]; u < r->use_at[id + 1]; u++)
            region_local(r, r->use[u]);
    else if (!(r->gcut && r->gcut[id])) /* an answer that reads id's own gradient holds on any way to the loss */
        region_down(r, id);
    return r->hit;
}

struct cuts {
    const lesson *l;
    char *cut, *gcut;
    int dead; /* a reference to a node that is not computed, or to an edge the graph has not */
};

static int ref_cuts(const lesson_ref *ref, void *ctx)
{
    struct cuts *c = ctx;
    if (ref->id < 0)
        return 0;
    if (!graph_live(c->l->g, ref->id))
        c->dead = 1;
    if (ref->kind == LESSON_REF_VALUE)
        c->cut[ref->id] = 1;
    else if (ref->kind == LESSON_REF_GRAD || ref->kind == LESSON_REF_DOTGRAD || ref->kind == LESSON_REF_NEW)
        c->gcut[ref->id] = 1;
    else if (ref->kind == LESSON_REF_LOCAL) {
        const graph_node *gn = graph_node_at(c->l->g, ref->id);
        if (ref->from < 0 || !gn || (gn->src[0] != ref->from && gn->src[1] != ref->from))
            c->dead = 1;
    }
    return 0;
}

/* The dead references of a text line (its cuts are not used: prose is not an expression). */
static int text_refs(const lesson *l, const lesson_text *t, struct cuts *c)
{
    for (int h = 0; h < t->n_hole; h++) {
        if (t->hole[h].formula >= 0 && !graph_live(l->g, t->hole[h].formula))
            c->dead = 1;
        else if (t->hole[h].expr)
            lesson_expr_refs(l, t->hole[h].expr, ref_cuts, c);
    }
    return c->dead;
}

/* Has the graph changed from the file's in a way the text can see? Fills changed (per node). */
static int graph_changed(const lesson *l, const lesson *shipped, char *changed, int *leaves_same)
{
    int n = graph_count(l->g), any = 0;
    *leaves_same = 1;
    for (int k = 0; k < l->n_names; k++) {
        const lesson_name *nm = &l->names[k];
        int sk = lesson_find(shipped, nm->name);
        if (!graph_live(l->g, nm->id))
            continue;
        if (sk < 0 || shipped->names[sk].kind != nm->kind || !same_node(l, nm->id, shipped, shipped->names[sk].id, 1) ||
            !graph_live(shipped->g, shipped->names[sk].id))
            changed[nm->id] = any = 1;
        if (changed[nm->id] && graph_node_at(l->g, nm->id)->op == GRAPH_OP_LEAF)
            *leaves_same = 0;
    }
    for (int k = 0; k < shipped->n_names; k++) {
        int i = lesson_find(l, shipped->names[k].name);
        if (graph_live(shipped->g, shipped->names[k].id) && (i < 0 || !graph_live(l->g, l->names[i].id)))
            any = 1;
    }
    /* an anonymous node belongs to the first named node after it: its formula's owner */
    int owner = -1;
    for (int id = n - 1; id >= 0; id--) {
        if (lesson_node_name(l, id))
            owner = id;
        else if (owner >= 0)
            changed[id] = changed[owner];
    }
    return any;
}

/* One graph's side of the comparison: the lesson now, or as shipped (with its nodes' changes and cuts carried
 * over by name), each with who reads each node. */
struct side {
    const lesson *l;
    int n;
    char *changed, *cut, *gcut, *seen, *dseen;
    int *use_at, *use, *stack, *dstack;
};

static void side_free(struct side *d)
{
    free(d->changed);
    free(d->cut);
    free(d->gcut);
    free(d->seen);
    free(d->dseen);
    free(d->use_at);
    free(d->use);
    free(d->stack);
    free(d->dstack);
}

static int side_init(struct side *d, const lesson *l)
{
    int n = graph_count(l->g);
    size_t m = (size_t)n + 1;
    *d = (struct side){ .l = l, .n = n };
    d->changed = calloc(m, 1);
    d->cut = calloc(m, 1);
    d->gcut = calloc(m, 1);
    d->seen = calloc(m, 1);
    d->dseen = calloc(m, 1);
    d->use_at = calloc(m + 1, sizeof *d->use_at);
    d->use = calloc(2 * m, sizeof *d->use);
    d->stack = calloc(m, sizeof *d->stack);
    d->dstack = calloc(m, sizeof *d->dstack);
    int *fill = calloc(m, sizeof *fill);
    if (!d->changed || !d->cut || !d->gcut || !d->seen || !d->dseen || !d->use_at || !d->use || !d->stack ||
        !d->dstack || !fill) {
        free(fill);
        side_free(d);
        return -1;
    }
    for (int id = 0; id < n; id++) {
        const graph_node *gn = graph_node_at(l->g, id);
        for (int k = 0; k < 2; k++) /* a node read twice by one node (s * s) lists it once */
            if (gn->src[k] >= 0 && (k == 0 || gn->src[1] != gn->src[0]))
                d->use_at[gn->src[k] + 1]++;
    }
    for (int id = 0; id < n; id++)
        d->use_at[id + 1] += d->use_at[id];
    for (int id = 0; id < n; id++) {
        const graph_node *gn = graph_node_at(l->g, id);
        for (int k = 0; k < 2; k++)
            if (gn->src[k] >= 0 && (k == 0 || gn->src[1] != gn->src[0]))
                d->use[d->use_at[gn->src[k]] + fill[gn->src[k]]++] = id;
    }
    free(fill);
    return 0;
}

/* An anonymous node belongs to the first named node after it, its formula's owner, and changes with it. */
static void side_owners(struct side *d)
{
    int owner = -1;
    for (int id = d->n - 1; id >= 0; id--) {
        if (lesson_node_name(d->l, id))
            owner = id;
        else if (owner >= 0)
            d->changed[id] = d->changed[owner];
    }
}

/* The node of to called as node id of from is, or −1. */
static int same_name(const lesson *from, int id, const lesson *to)
{
    const lesson_name *nm = id >= 0 ? lesson_node_name(from, id) : NULL;
    int k = nm ? lesson_find(to, nm->name) : -1;
    return k >= 0 ? to->names[k].id : -1;
}

/* The file's side: a named node is changed when its namesake now is or is no longer computed; the cuts of
 * the lesson now are carried over by name. */
static void side_as_shipped(struct side *sd, const struct side *now)
{
    for (int id = 0; id < sd->n; id++) {
        int j = same_name(sd->l, id, now->l);
        if (!lesson_node_name(sd->l, id))
            continue;
        sd->changed[id] = j < 0 || now->changed[j] || !graph_live(now->l->g, j);
        sd->cut[id] = j >= 0 && now->cut[j];
        sd->gcut[id] = j >= 0 && now->gcut[j];
    }
    side_owners(sd);
}

static struct region side_region(const struct side *d, int leaves_same, int cuts)
{
    return (struct region){ d->l->g, d->changed, cuts ? d->cut : NULL, cuts ? d->gcut : NULL, d->use_at, d->use,
                            d->seen, d->dseen, d->stack, d->dstack, 0, leaves_same };
}

/* Is what is shown about node id at its step (at) unchanged, in the graph now and in the file's? A reader
 * dropped since (a node that no longer reads id) is seen on the file's side. */
static int about_changed(struct side *now, struct side *sd, int leaves_same, int cuts, int id, enum about_step at)
{
    struct region r = side_region(now, leaves_same, cuts), rs = side_region(sd, leaves_same, cuts);
    int sid = same_name(now->l, id, sd->l);
    if (cuts)
        side_as_shipped(sd, now);
    return region_changed(&r, id, at) || sid < 0 || !graph_live(sd->l->g, sid) || region_changed(&rs, sid, at);
}

void lesson_retire(lesson *l, const lesson *shipped)
{
    int n = graph_count(l->g);
    char *bad = calloc((size_t)n + 1, 1);
    struct side now = { 0 }, sd = { 0 };
    int ok_now = 0, ok_sd = 0;
    if (!bad || (ok_now = side_init(&now, l) == 0) == 0 || (ok_sd = side_init(&sd, shipped) == 0) == 0)
        goto out;
    for (int k = 0; k < l->n_names; k++) {
        const lesson_name *nm = &l->names[k];
        int sk = lesson_find(shipped, nm->name);
        int ch = sk < 0 || shipped->names[sk].kind != nm->kind ||
                 !same_node(l, nm->id, shipped, shipped->names[sk].id, 1);
        if (ch && graph_live(l->g, nm->id))
            bad[nm->id] = 1;
    }
    /* what feeds a redefined node on its way to the loss: an input always has a smaller id than its node */
    for (int id = n - 1; id >= 0; id--) {
        const graph_node *gn = graph_node_at(l->g, id);
        for (int k = 0; k < 2 && bad[id]; k++)
            if (gn->src[k] >= 0)
                bad[gn->src[k]] = 1;
    }
    for (int id = 0; id < n; id++)
        if (!graph_live(l->g, id))
            bad[id] = 1;

    int leaves_same;
    int edited = graph_changed(l, shipped, now.changed, &leaves_same);
    side_as_shipped(&sd, &now);
    /* the title is about the whole model, as a say line is; a title the learner typed is theirs */
    l->title_retired = edited && l->title && shipped->title && strcmp(l->title, shipped->title) == 0;

    for (int p = 0; p < LESSON_PHASE_COUNT; p++)
        retire_texts(l, &l->say[p], &shipped->say[p], -1, bad);
    retire_texts(l, &l->notes, &shipped->notes, -1, bad);
    for (int p = 0; p < LESSON_PHASE_COUNT && edited; p++)
        for (int i = 0; i < l->say[p].n; i++) /* a try line is what to type, not prose about the model */
            l->say[p].v[i].retired |= !l->say[p].v[i].screen && has_text(&shipped->say[p], l->say[p].v[i].text);
    for (int i = 0; i < l->notes.n && edited; i++)
        l->notes.v[i].retired |= has_text(&shipped->notes, l->notes.v[i].text);
    for (int k = 0; k < l->n_names; k++) {
        const lesson_name *nm = &l->names[k];
        int sk = lesson_find(shipped, nm->name);
        lesson_texts *ts = &l->names[k].explain;
        retire_texts(l, ts, sk >= 0 ? &shipped->names[sk].explain : NULL, nm->id, bad);
        if (!edited || ts->n == 0)
            continue;
        enum about_step at = nm->kind == LESSON_PARAM ? ABOUT_GRADIENT
                             : nm->kind == LESSON_INPUT ? ABOUT_READERS
                                                        : ABOUT_FORWARD;
        int hit = !graph_live(l->g, nm->id) || about_changed(&now, &sd, leaves_same, 0, nm->id, at);
        for (int i = 0; i < ts->n; i++)
            ts->v[i].retired |= hit && sk >= 0 && has_text(&shipped->names[sk].explain, ts->v[i].text);
    }
    for (int k = 0; k < l->n_quiz; k++) {
        lesson_quiz *q = &l->quiz[k];
        int hit = 0;
        if (shipped_quiz(l, q, shipped)) {
            memset(now.cut, 0, (size_t)n);
            memset(now.gcut, 0, (size_t)n);
            struct cuts c = { l, now.cut, now.gcut, 0 };
            if (q->expr)
                lesson_expr_refs(l, q->expr, ref_cuts, &c);
            struct cuts tc = { l, now.seen, now.dseen, 0 }; /* the text's references: only whether they are dead */
            hit = c.dead || text_refs(l, &q->question, &tc);
            for (int h = 0; h < q->hint.n && !hit; h++)
                hit = text_refs(l, &q->hint.v[h], &tc);
            if (!hit && q->node >= 0 && !graph_live(l->g, q->node))
                hit = 1;
            if (!hit && edited)
                hit = q->node < 0 || q->phase == LESSON_PHASE_INTRO || q->phase == LESSON_PHASE_EPOCH ||
                      about_changed(&now, &sd, leaves_same, 1, q->node,
                                    q->phase == LESSON_PHASE_FORWARD ? ABOUT_FORWARD
                                    : q->phase == LESSON_PHASE_LOCAL ? ABOUT_READERS
                                                                     : ABOUT_GRADIENT);
        }
        q->retired = hit;
    }
out:
    free(bad);
    if (ok_now)
        side_free(&now);
    if (ok_sd)
        side_free(&sd);
}
