/*
 * lesson_expr.c — the lesson language's expressions (see lesson_int.h); the lexer is lesson_lex.c.
 *
 * An expression is parsed into a small syntax tree whose every node already knows its batch length, so
 * unknown names, wrong arities and mismatched lengths are all found before the first graph node is made.
 * Only then is the tree turned into graph nodes. That is how a failed line leaves the lesson unchanged
 * (the graph has no way to take a node back). The same tree is evaluated in float64 for quiz answers and the
 * text's placeholders, with the core's own arithmetic (graph_apply); what a tree reads from outside — a node's
 * value, a gradient, a setting — it asks a resolver for (lesson.h), so the walkthrough can answer with the
 * numbers of the step on screen and no second evaluator is needed.
 */
#include "lesson.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson_int.h"
#include "text.h"

static void function_list(char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int op = 0; op < GRAPH_OP_COUNT; op++) {
        if (graph_op_form((enum graph_op)op) != GRAPH_FORM_CALL)
            continue;
        int k = snprintf(buf + o, n - o, "%s%s", o ? ", " : "", graph_op_name((enum graph_op)op));
        if (k < 0 || (size_t)k >= n - o)
            break;
        o += (size_t)k;
    }
}


/* ---------------------------------------------------------------- expressions ------------------ */

typedef struct parser {
    lesson_cursor *c;
    const lesson *l;
    lesson_tree *t;
    int depth;
    enum lesson_mode mode;
    int open;       /* parentheses opened and not yet closed */
    size_t col_off; /* the furthest column worked out, at this offset (a token's, so a character's start): */
    int col;        /* one further on counts from it, not from the line's start (a long sum: quadratic) */
} parser;

static int new_ast(parser *p, struct lesson_ast a)
{
    lesson_tree *t = p->t;
    if (t->count == t->cap) {
        int cap = t->cap ? t->cap * 2 : 8;
        struct lesson_ast *n = realloc(t->n, (size_t)cap * sizeof *n);
        if (!n)
            return lesson_fail(p->c, p->c->pos, _("out of memory"));
        t->n = n, t->cap = cap;
    }
    if (a.off < p->col_off) { /* an operator's node starts where its left operand does: not far */
        a.col = text_column(p->c->s, a.off);
    } else {
        a.col = p->col + text_column(p->c->s + p->col_off, a.off - p->col_off) - 1;
        p->col_off = a.off, p->col = a.col;
    }
    t->n[t->count] = a;
    return t->count++;
}

static int deeper(parser *p, size_t off)
{
    if (++p->depth > LESSON_DEPTH_MAX)
        return lesson_fail(p->c, off, _("expression is nested too deeply (more than %d levels)"), LESSON_DEPTH_MAX);
    return 0;
}

static void quote_span(const parser *p, int i, char *buf, size_t n)
{
    const struct lesson_ast *a = &p->t->n[i];
    size_t len = a->end - a->off;
    if (len > 24)
        snprintf(buf, n, "%.20s...", p->c->s + a->off);
    else
        snprintf(buf, n, "%.*s", (int)len, p->c->s + a->off);
}

/* What only quiz answers and the text may use (grad(), new(), .grad, [k], …): an error in the model, and in a
 * learner's answer when it would read the result off the engine. 0 when the mode allows it. */
static int live_only(parser *p, size_t at, const char *what, int reads_engine)
{
    if (p->mode == LESSON_MODE_MODEL)
        return lesson_fail(p->c, at, _("%s is only for quiz answers and the lesson's text"), what);
    if (p->mode == LESSON_MODE_LEARNER && reads_engine)
        return lesson_fail(p->c, at, _("%s reads the answer off the engine: work it out from the numbers on screen"),
                           what);
    return 0;
}

/* An operation node; checks lengths the way the graph will broadcast them. */
static int make_op(parser *p, enum graph_op op, int a, int b, size_t at, size_t off, size_t end)
{
    int la = p->t->n[a].len, lb = b >= 0 ? p->t->n[b].len : 1, len;
    if (graph_op_reduces(op)) {
        len = 1;
    } else if (b < 0) {
        len = la;
    } else if (la == lb || la == 1 || lb == 1) {
        len = la > lb ? la : lb;
    } else {
        char qa[32], qb[32];
        quote_span(p, a, qa, sizeof qa);
        quote_span(p, b, qb, sizeof qb);
        return lesson_fail(p->c, at, _("batch lengths do not match: '%s' has %d values and '%s' has %d"), qa, la, qb,
                           lb);
    }
    return new_ast(p, (struct lesson_ast){ .kind = LESSON_AST_OP, .op = op, .a = a, .b = b, .name = -1,
                                           .name2 = -1, .len = len, .off = off, .end = end });
}

static int new_ref(parser *p, enum lesson_ref_kind ref, int name, int name2, int len, size_t off, size_t end)
{
    return new_ast(p, (struct lesson_ast){ .kind = LESSON_AST_REF, .op = GRAPH_OP_LEAF, .a = -1, .b = -1,
                                           .name = name, .name2 = name2, .ref = ref, .len = len, .off = off,
                                           .end = end });
}

static int parse_expr(parser *p);
static int parse_unary(parser *p);

/* The calls that name what the walkthrough computes: grad(NAME), new(NAME), local(OUT, IN). */
enum { CALL_OP, CALL_GRAD, CALL_NEW, CALL_LOCAL };

static int parse_call(parser *p, const char *fname, size_t start)
{
    lesson_cursor *c = p->c;
    size_t open = c->pos;
    c->pos++; /* '(' */
    p->open++;
    if (deeper(p, open) < 0)
        return -1;
    int call = strcmp(fname, "grad") == 0 ? CALL_GRAD : strcmp(fname, "new") == 0 ? CALL_NEW
             : strcmp(fname, "local") == 0 ? CALL_LOCAL : CALL_OP;
    int op = graph_op_lookup(fname);
    if (call != CALL_OP) {
        char what[LESSON_NAME_MAX + 3];
        snprintf(what, sizeof what, "%s()", fname);
        if (live_only(p, start, what, 1) < 0)
            return -1;
    }
    if (call == CALL_OP && (op < 0 || graph_op_form((enum graph_op)op) != GRAPH_FORM_CALL)) {
        char list[128];
        function_list(list, sizeof list);
        return lesson_fail(c, start, _("unknown function '%s' (functions: %s)"), fname, list);
    }
    int args[8], nargs = 0;
    size_t arg_off[8] = { c->pos };
    if (peek(c) != ')') {
        for (;;) {
            skip_space(c);
            if (nargs < 8)
                arg_off[nargs] = c->pos;
            int a = parse_expr(p);
            if (a < 0)
                return -1;
            if (nargs < 8)
                args[nargs] = a;
            nargs++;
            if (peek(c) != ',')
                break;
            c->pos++;
        }
    }
    int ch = peek(c);
    if (ch != ')') {
        if (ch == 0)
            return lesson_fail(c, open, _("unbalanced parentheses: this '(' is never closed"));
        char tok[32];
        return lesson_fail(c, c->pos, _("expected ',' or ')' in the call of %s, not '%s'"), fname,
                    lesson_token_at(c, c->pos, tok, sizeof tok));
    }
    c->pos++;
    p->open--;
    p->depth--;
    int want = call == CALL_LOCAL ? 2 : call == CALL_OP ? graph_op_arity((enum graph_op)op) : 1;
    if (nargs != want)
        return lesson_fail(c, start, ngettext("%s takes %d argument, not %d", "%s takes %d arguments, not %d",
                                              (unsigned long)want),
                           fname, want, nargs);
    const lesson *l = p->l;
    for (int k = 0; call != CALL_OP && k < nargs; k++)
        if (p->t->n[args[k]].kind != LESSON_AST_NAME)
            return lesson_fail(c, arg_off[k], call == CALL_GRAD ? _("grad() takes a name, as in grad(w)")
                                              : call == CALL_NEW ? _("new() takes a parameter, as in new(w)")
                                                                 : _("local() takes two names, as in local(s, yhat)"));
    if (call == CALL_GRAD)
        return new_ref(p, LESSON_REF_GRAD, p->t->n[args[0]].name, -1, p->t->n[args[0]].len, start, c->pos);
    if (call == CALL_NEW) {
        const lesson_name *nm = &l->names[p->t->n[args[0]].name];
        if (nm->kind != LESSON_PARAM)
            return lesson_fail(c, arg_off[0], _("new() takes a parameter, and '%s' is not one"), nm->name);
        return new_ref(p, LESSON_REF_NEW, p->t->n[args[0]].name, -1, p->t->n[args[0]].len, start, c->pos);
    }
    if (call == CALL_LOCAL) {
        const lesson_name *out = &l->names[p->t->n[args[0]].name];
        if (out->kind == LESSON_PARAM || out->kind == LESSON_INPUT)
            return lesson_fail(c, arg_off[0], _("local() takes an operation first, and '%s' is a %s"), out->name,
                               out->kind == LESSON_PARAM ? _("parameter") : _("input"));
        /* whether IN is an input of OUT is the walkthrough's to check: a model edit may change it */
        int len = graph_local_len(l->g, out->id);
        return new_ref(p, LESSON_REF_LOCAL, p->t->n[args[0]].name, p->t->n[args[1]].name, len > 0 ? len : 1, start,
                       c->pos);
    }
    return make_op(p, (enum graph_op)op, args[0], want == 2 ? args[1] : -1, start, start, c->pos);
}

/* The settings an expression may read: lr, epoch, epochs. */
static int setting_ref(const char *w)
{
    return strcmp(w, "lr") == 0 ? LESSON_REF_LR : strcmp(w, "epoch") == 0 ? LESSON_REF_EPOCH
         : strcmp(w, "epochs") == 0 ? LESSON_REF_EPOCHS : -1;
}

static int parse_name(parser *p, size_t start)
{
    lesson_cursor *c = p->c;
    char w[LESSON_NAME_MAX + 1];
    lesson_read_word(c, w);
    size_t end = c->pos;
    if (peek(c) == '(')
        return parse_call(p, w, start);
    if (lesson_is_function(w))
        return lesson_fail(c, start, _("'%s' is a function: write %s(...)"), w, w);
    int i = lesson_find(p->l, w);
    if (i < 0) {
        int ref = setting_ref(w);
        if (ref >= 0 && p->mode == LESSON_MODE_MODEL)
            return lesson_fail(c, start, _("'%s' is a setting, not a node of the model"), w);
        if (ref >= 0)
            return new_ref(p, (enum lesson_ref_kind)ref, -1, -1, 1, start, end);
        if (lesson_is_setting_word(w))
            return lesson_fail(c, start, _("'%s' is a setting, not a number"), w);
        return lesson_unknown_name(p->l, c, w, start);
    }
    const lesson_name *nm = &p->l->names[i];
    int len = graph_node_at(p->l->g, nm->id)->len;
    /* NAME.grad, glued: a parameter's accumulated gradient */
    if (c->pos + 5 <= c->len && memcmp(c->s + c->pos, ".grad", 5) == 0 &&
        !(c->pos + 5 < c->len && is_alnum(c->s[c->pos + 5]))) {
        char what[LESSON_NAME_MAX + 8];
        snprintf(what, sizeof what, "%s.grad", w);
        if (live_only(p, start, what, 1) < 0)
            return -1;
        if (nm->kind != LESSON_PARAM)
            return lesson_fail(c, start, _("only a parameter keeps a .grad for the update, and '%s' is not one"), w);
        c->pos += 5;
        return new_ref(p, LESSON_REF_DOTGRAD, i, -1, len, start, c->pos);
    }
    return new_ast(p, (struct lesson_ast){ .kind = LESSON_AST_NAME, .op = GRAPH_OP_LEAF, .a = -1, .b = -1,
                                           .name = i, .name2 = -1, .ref = LESSON_REF_VALUE, .len = len,
                                           .off = start, .end = end });
}

static int parse_primary(parser *p)
{
    lesson_cursor *c = p->c;
    int ch = peek(c);
    size_t start = c->pos;
    char tok[32];
    if (ch == 0)
        return lesson_fail(c, c->pos, _("expected a number, a name or '(' at the end of the line"));
    if (is_digit(ch) || ch == '.') {
        double v;
        if (lesson_read_unsigned(c, &v) < 0)
            return -1;
        return new_ast(p, (struct lesson_ast){ .kind = LESSON_AST_NUM, .op = GRAPH_OP_LEAF, .a = -1, .b = -1,
                                               .num = v, .name = -1, .name2 = -1, .len = 1, .off = start,
                                               .end = c->pos });
    }
    if (is_alpha(ch))
        return parse_name(p, start);
    if (ch == '(') {
        c->pos++;
        p->open++;
        if (deeper(p, start) < 0)
            return -1;
        int e = parse_expr(p);
        if (e < 0)
            return -1;
        int close = peek(c);
        if (close != ')') {
            if (close == 0)
                return lesson_fail(c, start, _("unbalanced parentheses: this '(' is never closed"));
            return lesson_fail(c, c->pos, _("expected ')', not '%s'"), lesson_token_at(c, c->pos, tok, sizeof tok));
        }
        c->pos++;
        p->open--;
        p->depth--;
        p->t->n[e].off = start;
        p->t->n[e].end = c->pos;
        return e;
    }
    if (ch == ')' && p->open > 0) /* "tanh(w * )": the ')' is fine, an operand is missing */
        return lesson_fail(c, start, _("expected a number, a name or '(' before ')'"));
    if (ch == ')')
        return lesson_fail(c, start, _("unbalanced parentheses: ')' without a matching '('"));
    return lesson_fail(c, start, _("expected a number, a name or '(', not '%s'"),
                       lesson_token_at(c, start, tok, sizeof tok));
}

/* postfix := primary ('[' DIGITS ']')*   — one element of a batch, counted from 1 as :set x[2] counts */
static int parse_postfix(parser *p)
{
    lesson_cursor *c = p->c;
    int e = parse_primary(p);
    while (e >= 0 && peek(c) == '[') {
        size_t at = c->pos++;
        if (live_only(p, at, "[k], one element of a batch,", 0) < 0)
            return -1;
        long k = 0;
        skip_space(c);
        size_t digits = c->pos;
        while (c->pos < c->len && is_digit(c->s[c->pos]) && k <= 100000000)
            k = k * 10 + (c->s[c->pos++] - '0');
        if (c->pos == digits || peek(c) != ']') {
            char tok[32];
            if (peek(c) == 0)
                return lesson_fail(c, at, _("expected an element number and ']' after '['"));
            return lesson_fail(c, c->pos, _("expected an element number and ']', not '%s'"),
                               lesson_token_at(c, c->pos, tok, sizeof tok));
        }
        c->pos++;
        int len = p->t->n[e].len;
        if (k < 1 || k > len) {
            char q[32];
            quote_span(p, e, q, sizeof q);
            if (len == 1)
                return lesson_fail(c, at, _("'%s' is one number: it has no element [%ld]"), q, k);
            return lesson_fail(c, at, _("'%s' has %d values: write [1] to [%d]"), q, len, len);
        }
        e = new_ast(p, (struct lesson_ast){ .kind = LESSON_AST_INDEX, .op = GRAPH_OP_LEAF, .a = e, .b = -1,
                                            .num = (double)k, .name = -1, .name2 = -1, .len = 1,
                                            .off = p->t->n[e].off, .end = c->pos });
    }
    return e;
}

/* power := postfix ['^' unary]   — right-associative, and tighter than a leading minus */
static int parse_power(parser *p)
{
    lesson_cursor *c = p->c;
    int base = parse_postfix(p);
    if (base < 0)
        return -1;
    if (peek(c) != '^')
        return base;
    size_t at = c->pos++;
    if (deeper(p, at) < 0)
        return -1;
    int ex = parse_unary(p);
    if (ex < 0)
        return -1;
    p->depth--;
    return make_op(p, GRAPH_OP_POW, base, ex, at, p->t->n[base].off, p->t->n[ex].end);
}

/* unary := '-' unary | power   — a minus before a literal number folds into the number */
static int parse_unary(parser *p)
{
    lesson_cursor *c = p->c;
    size_t m = minus_at(c);
    if (!m)
        return parse_power(p);
    size_t at = c->pos;
    c->pos += m;
    if (deeper(p, at) < 0)
        return -1;
    int a = parse_unary(p);
    if (a < 0)
        return -1;
    p->depth--;
    if (p->t->n[a].kind == LESSON_AST_NUM) {
        p->t->n[a].num = -p->t->n[a].num;
        p->t->n[a].off = at;
        return a;
    }
    return make_op(p, GRAPH_OP_NEG, a, -1, at, at, p->t->n[a].end);
}

static int parse_term(parser *p)
{
    lesson_cursor *c = p->c;
    int a = parse_unary(p);
    while (a >= 0) {
        int ch = peek(c);
        if (ch != '*' && ch != '/')
            break;
        size_t at = c->pos++;
        int b = parse_unary(p);
        if (b < 0)
            return -1;
        a = make_op(p, ch == '*' ? GRAPH_OP_MUL : GRAPH_OP_DIV, a, b, at, p->t->n[a].off, p->t->n[b].end);
    }
    return a;
}

static int parse_expr(parser *p)
{
    lesson_cursor *c = p->c;
    int a = parse_term(p);
    while (a >= 0) {
        int ch = peek(c);
        size_t m = minus_at(c);
        if (ch != '+' && !m)
            break;
        size_t at = c->pos;
        c->pos += m ? m : 1;
        int b = parse_term(p);
        if (b < 0)
            return -1;
        a = make_op(p, m ? GRAPH_OP_SUB : GRAPH_OP_ADD, a, b, at, p->t->n[a].off, p->t->n[b].end);
    }
    return a;
}

/* A whole expression up to the end of the line (or a comment). Returns the root, or -1. */
static int parse_full(parser *p)
{
    skip_space(p->c);
    int root = parse_expr(p);
    if (root < 0)
        return -1;
    int ch = peek(p->c);
    if (ch == ')')
        return lesson_fail(p->c, p->c->pos, _("unbalanced parentheses: ')' without a matching '('"));
    if (ch != 0) {
        char tok[32];
        return lesson_fail(p->c, p->c->pos, _("unexpected '%s' after the expression"),
                           lesson_token_at(p->c, p->c->pos, tok, sizeof tok));
    }
    return root;
}

int lesson_tree_read(lesson_cursor *c, const lesson *l, enum lesson_mode mode, lesson_tree *t)
{
    parser p = { c, l, t, 0, mode, 0, 0, 1 };
    t->n = NULL;
    t->count = t->cap = 0;
    int root = parse_full(&p);
    /* a lesson keeps every tree it reads (a placeholder's is a node or two): no room to spare in each, or
     * the first frame waits on the pages of a heap mostly empty (a page first touched costs a fault) */
    if (root >= 0 && t->count < t->cap) {
        struct lesson_ast *n = realloc(t->n, (size_t)t->count * sizeof *n);
        if (n)
            t->n = n, t->cap = t->count;
    }
    return root;
}

void lesson_tree_free(lesson_tree *t)
{
    free(t->n);
    t->n = NULL;
    t->count = t->cap = 0;
}

enum graph_status lesson_tree_build(lesson *l, const lesson_tree *t, int i, int *id, size_t *at)
{
    const struct lesson_ast *a = &t->n[i];
    enum graph_status st = GRAPH_EARG;
    *at = a->off;
    switch (a->kind) {
    case LESSON_AST_NUM:
        *id = graph_const(l->g, a->num);
        return *id < 0 ? graph_error(l->g) : GRAPH_OK;
    case LESSON_AST_NAME:
        *id = l->names[a->name].id;
        return GRAPH_OK;
    case LESSON_AST_OP: {
        int x, y = -1;
        if ((st = lesson_tree_build(l, t, a->a, &x, at)) != GRAPH_OK ||
            (a->b >= 0 && (st = lesson_tree_build(l, t, a->b, &y, at)) != GRAPH_OK))
            return st;
        *at = a->off;
        return graph_op(l->g, a->op, x, y, id);
    }
    case LESSON_AST_REF:   /* the model's mode never makes these */
    case LESSON_AST_INDEX:
        break;
    }
    return st;
}

/* ---------------------------------------------------------------- live expressions ------------- */

lesson_expr *lesson_expr_read(lesson_cursor *c, const lesson *l, enum lesson_mode mode)
{
    lesson_expr *e = calloc(1, sizeof *e);
    if (!e) {
        lesson_fail(c, c->pos, _("out of memory"));
        return NULL;
    }
    e->root = lesson_tree_read(c, l, mode, &e->t);
    if (e->root < 0) {
        lesson_expr_free(e);
        return NULL;
    }
    return e;
}

void lesson_expr_free(lesson_expr *e)
{
    if (!e)
        return;
    lesson_tree_free(&e->t);
    free(e);
}

int lesson_expr_len(const lesson_expr *e) { return e->t.n[e->root].len; }

static lesson_ref ref_of(const lesson *l, const struct lesson_ast *a)
{
    return (lesson_ref){ .kind = a->kind == LESSON_AST_NAME ? LESSON_REF_VALUE : a->ref,
                         .id = a->name >= 0 ? l->names[a->name].id : -1,
                         .from = a->name2 >= 0 ? l->names[a->name2].id : -1, .len = a->len, .col = a->col };
}

static int refs_of(const lesson *l, const lesson_tree *t, int i, int (*fn)(const lesson_ref *, void *), void *ctx)
{
    const struct lesson_ast *a = &t->n[i];
    if (a->kind == LESSON_AST_NAME || a->kind == LESSON_AST_REF) {
        lesson_ref r = ref_of(l, a);
        return fn(&r, ctx);
    }
    int rc = a->a >= 0 ? refs_of(l, t, a->a, fn, ctx) : 0;
    return rc ? rc : a->b >= 0 ? refs_of(l, t, a->b, fn, ctx) : 0;
}

int lesson_expr_refs(const lesson *l, const lesson_expr *e, int (*fn)(const lesson_ref *ref, void *ctx), void *ctx)
{
    return refs_of(l, &e->t, e->root, fn, ctx);
}

/* Evaluate tree node i into a fresh array of t->n[i].len doubles, with the core's own arithmetic in float64.
 * NULL when memory runs out or the resolver has no number. */
static double *eval_ast(const lesson *l, const lesson_tree *t, int i, const lesson_resolver *res)
{
    const struct lesson_ast *a = &t->n[i];
    double *r = malloc((size_t)a->len * sizeof *r);
    if (!r)
        return NULL;
    switch (a->kind) {
    case LESSON_AST_NUM:
        r[0] = a->num;
        return r;
    case LESSON_AST_NAME:
    case LESSON_AST_REF: {
        lesson_ref ref = ref_of(l, a);
        if (res->get(res->ctx, &ref, r) == 0)
            return r;
        free(r);
        return NULL;
    }
    case LESSON_AST_INDEX: {
        double *x = eval_ast(l, t, a->a, res);
        if (x)
            r[0] = x[(int)a->num - 1];
        else
            free(r), r = NULL;
        free(x);
        return r;
    }
    case LESSON_AST_OP:
        break;
    }
    double *x = eval_ast(l, t, a->a, res), *y = a->b >= 0 ? eval_ast(l, t, a->b, res) : NULL;
    if (x && (a->b < 0 || y))
        graph_apply(a->op, x, t->n[a->a].len, y, a->b >= 0 ? t->n[a->b].len : 0, r);
    else
        free(r), r = NULL;
    free(x);
    free(y);
    return r;
}

int lesson_ref_graph(const lesson *l, const lesson_ref *r, double lr, double *out)
{
    const graph *g = l->g;
    const graph_node *n = graph_node_at(g, r->id);
    if (!n || n->len < (r->kind == LESSON_REF_LOCAL ? 1 : r->len))
        return -1;
    int k = 0;
    if (r->kind == LESSON_REF_LOCAL) {
        k = n->op == GRAPH_OP_LEAF ? -1 : n->src[0] == r->from ? 0 : n->src[1] == r->from && r->from >= 0 ? 1 : -1;
        if (k < 0 || graph_local_len(g, r->id) != r->len)
            return -1;
    }
    for (int i = 0; i < r->len; i++) {
        switch (r->kind) {
        case LESSON_REF_VALUE: out[i] = n->role == GRAPH_PARAM ? n->data[i] : n->value[i]; break;
        case LESSON_REF_GRAD: out[i] = n->pass[i]; break;
        case LESSON_REF_DOTGRAD: out[i] = n->grad[i]; break;
        case LESSON_REF_NEW: out[i] = graph_sgd_update(g, r->id, i, lr); break;
        case LESSON_REF_LOCAL: out[i] = graph_local_grad(g, r->id, k, i); break;
        default: return -1;
        }
    }
    return 0;
}

/* lesson_eval's resolver: the graph as it is now, the lesson's settings, epoch 1 (see lesson.h). */
static int plain_get(void *ctx, const lesson_ref *ref, double *out)
{
    const lesson *l = ctx;
    if (ref->kind == LESSON_REF_LR || ref->kind == LESSON_REF_EPOCH || ref->kind == LESSON_REF_EPOCHS) {
        out[0] = ref->kind == LESSON_REF_LR ? l->lr : ref->kind == LESSON_REF_EPOCH ? 1 : l->epochs;
        return 0;
    }
    return lesson_ref_graph(l, ref, l->lr, out);
}

int lesson_expr_eval(const lesson *l, const lesson_expr *e, const lesson_resolver *r, double *out)
{
    lesson_resolver plain = { plain_get, (void *)l };
    double *v = eval_ast(l, &e->t, e->root, r ? r : &plain);
    if (!v)
        return -1;
    memcpy(out, v, (size_t)lesson_expr_len(e) * sizeof *out);
    free(v);
    return 0;
}

/* Read a whole line as one number's expression in mode; NULL with *err. too_many is the message (with %d,
 * the number of values) for a batch where one number was wanted. */
static lesson_expr *read_scalar(const lesson *l, const char *text, enum lesson_mode mode, const char *too_many,
                                lesson_error *err)
{
    size_t len = strlen(text);
    lesson_cursor c = { text, len, 0, 0, err };
    if (lesson_check_bytes(&c) < 0)
        return NULL;
    lesson_expr *e = lesson_expr_read(&c, l, mode);
    if (e && lesson_expr_len(e) != 1) {
        lesson_fail(&c, 0, too_many, lesson_expr_len(e));
        lesson_expr_free(e);
        return NULL;
    }
    return e;
}

lesson_expr *lesson_expr_read_answer(const lesson *l, const char *text, lesson_error *err)
{
    return read_scalar(l, text, LESSON_MODE_LEARNER,
                       _("the answer must be one number, but this has %d values: wrap it in mean() or sum()"), err);
}

int lesson_eval(const lesson *l, const char *expr, double *out, lesson_error *err)
{
    lesson_expr *e = read_scalar(l, expr, LESSON_MODE_LIVE,
                                 _("the result must be one number, but this has %d values: wrap it in mean() or sum()"),
                                 err);
    if (!e)
        return -1;
    int rc = lesson_expr_eval(l, e, NULL, out);
    if (rc < 0) {
        lesson_cursor c = { expr, strlen(expr), 0, 0, err };
        lesson_fail(&c, 0, _("no number for this here (a local gradient of an edge the model does not have?)"));
    }
    lesson_expr_free(e);
    return rc;
}
