/*
 * lesson_expr.c — the lesson language's expressions (see lesson_int.h); the lexer is lesson_lex.c.
 *
 * An expression is parsed into a small syntax tree whose every node already knows its batch length, so
 * unknown names, wrong arities and mismatched lengths are all found before the first graph node is made.
 * Only then is the tree turned into graph nodes. That is how a failed line leaves the lesson unchanged
 * (the graph has no way to take a node back). The same tree is evaluated in float64 for quiz answers, with
 * the core's own arithmetic (graph_apply).
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
    int allow_grad; /* grad(NAME) is allowed in answers, not in the model */
    int open;       /* parentheses opened and not yet closed */
} parser;

static int new_ast(parser *p, struct lesson_ast a)
{
    lesson_tree *t = p->t;
    if (t->count == t->cap) {
        int cap = t->cap ? t->cap * 2 : 32;
        struct lesson_ast *n = realloc(t->n, (size_t)cap * sizeof *n);
        if (!n)
            return lesson_fail(p->c, p->c->pos, "out of memory");
        t->n = n, t->cap = cap;
    }
    t->n[t->count] = a;
    return t->count++;
}

static int deeper(parser *p, size_t off)
{
    if (++p->depth > LESSON_DEPTH_MAX)
        return lesson_fail(p->c, off, "expression is nested too deeply (more than %d levels)", LESSON_DEPTH_MAX);
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
        return lesson_fail(p->c, at, "batch lengths do not match: '%s' has %d values and '%s' has %d", qa, la, qb,
                           lb);
    }
    return new_ast(p, (struct lesson_ast){LESSON_AST_OP, op, a, b, 0, -1, len, off, end});
}

static int parse_expr(parser *p);
static int parse_unary(parser *p);

static int parse_call(parser *p, const char *fname, size_t start)
{
    lesson_cursor *c = p->c;
    size_t open = c->pos;
    c->pos++; /* '(' */
    p->open++;
    if (deeper(p, open) < 0)
        return -1;
    int is_grad = strcmp(fname, "grad") == 0;
    int op = graph_op_lookup(fname);
    if (is_grad && !p->allow_grad)
        return lesson_fail(c, start, "grad() is only for quiz answers");
    if (!is_grad && (op < 0 || graph_op_form((enum graph_op)op) != GRAPH_FORM_CALL)) {
        char list[128];
        function_list(list, sizeof list);
        return lesson_fail(c, start, "unknown function '%s' (functions: %s)", fname, list);
    }
    int args[8], nargs = 0;
    size_t arg_off = c->pos;
    if (peek(c) != ')') {
        for (;;) {
            skip_space(c);
            arg_off = c->pos;
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
            return lesson_fail(c, open, "unbalanced parentheses: this '(' is never closed");
        char tok[32];
        return lesson_fail(c, c->pos, "expected ',' or ')' in the call of %s, not '%s'", fname,
                    lesson_token_at(c, c->pos, tok, sizeof tok));
    }
    c->pos++;
    p->open--;
    p->depth--;
    if (nargs != 1)
        return lesson_fail(c, start, "%s takes 1 argument, not %d", fname, nargs);
    if (is_grad) {
        struct lesson_ast *a = &p->t->n[args[0]];
        if (a->kind != LESSON_AST_NAME)
            return lesson_fail(c, arg_off, "grad() takes a name, as in grad(w)");
        struct lesson_ast g = {LESSON_AST_GRAD, GRAPH_OP_LEAF, -1, -1, 0, a->name, a->len, start, c->pos};
        return new_ast(p, g);
    }
    return make_op(p, (enum graph_op)op, args[0], -1, start, start, c->pos);
}

static int parse_primary(parser *p)
{
    lesson_cursor *c = p->c;
    int ch = peek(c);
    size_t start = c->pos;
    char tok[32];
    if (ch == 0)
        return lesson_fail(c, c->pos, "expected a number, a name or '(' at the end of the line");
    if (is_digit(ch) || ch == '.') {
        double v;
        if (lesson_read_unsigned(c, &v) < 0)
            return -1;
        return new_ast(p, (struct lesson_ast){LESSON_AST_NUM, GRAPH_OP_LEAF, -1, -1, v, -1, 1, start, c->pos});
    }
    if (is_alpha(ch)) {
        char w[LESSON_NAME_MAX + 1];
        lesson_read_word(c, w);
        size_t end = c->pos;
        if (peek(c) == '(')
            return parse_call(p, w, start);
        if (lesson_is_function(w))
            return lesson_fail(c, start, "'%s' is a function: write %s(...)", w, w);
        int i = lesson_find(p->l, w);
        if (i < 0)
            return lesson_unknown_name(p->l, c, w, start);
        int len = graph_node_at(p->l->g, p->l->names[i].id)->len;
        return new_ast(p, (struct lesson_ast){LESSON_AST_NAME, GRAPH_OP_LEAF, -1, -1, 0, i, len, start, end});
    }
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
                return lesson_fail(c, start, "unbalanced parentheses: this '(' is never closed");
            return lesson_fail(c, c->pos, "expected ')', not '%s'", lesson_token_at(c, c->pos, tok, sizeof tok));
        }
        c->pos++;
        p->open--;
        p->depth--;
        p->t->n[e].off = start;
        p->t->n[e].end = c->pos;
        return e;
    }
    if (ch == ')' && p->open > 0) /* "tanh(w * )": the ')' is fine, an operand is missing */
        return lesson_fail(c, start, "expected a number, a name or '(' before ')'");
    if (ch == ')')
        return lesson_fail(c, start, "unbalanced parentheses: ')' without a matching '('");
    return lesson_fail(c, start, "expected a number, a name or '(', not '%s'",
                       lesson_token_at(c, start, tok, sizeof tok));
}

/* power := primary ['^' unary]   — right-associative, and tighter than a leading minus */
static int parse_power(parser *p)
{
    lesson_cursor *c = p->c;
    int base = parse_primary(p);
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
    if (peek(c) != '-')
        return parse_power(p);
    size_t at = c->pos++;
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
        if (ch != '+' && ch != '-')
            break;
        size_t at = c->pos++;
        int b = parse_term(p);
        if (b < 0)
            return -1;
        a = make_op(p, ch == '+' ? GRAPH_OP_ADD : GRAPH_OP_SUB, a, b, at, p->t->n[a].off, p->t->n[b].end);
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
        return lesson_fail(p->c, p->c->pos, "unbalanced parentheses: ')' without a matching '('");
    if (ch != 0) {
        char tok[32];
        return lesson_fail(p->c, p->c->pos, "unexpected '%s' after the expression",
                           lesson_token_at(p->c, p->c->pos, tok, sizeof tok));
    }
    return root;
}

int lesson_tree_read(lesson_cursor *c, const lesson *l, int allow_grad, lesson_tree *t)
{
    parser p = {c, l, t, 0, allow_grad, 0};
    t->n = NULL;
    t->count = t->cap = 0;
    return parse_full(&p);
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
    case LESSON_AST_GRAD:
        break;
    }
    return st;
}

/* ---------------------------------------------------------------- evaluation ------------------- */

/* Evaluate tree node i into a fresh array of t->n[i].len doubles, with the core's own arithmetic in float64. */
static double *eval_ast(const lesson *l, const lesson_tree *t, int i)
{
    const struct lesson_ast *a = &t->n[i];
    double *r = malloc((size_t)a->len * sizeof *r);
    if (!r)
        return NULL;
    if (a->kind == LESSON_AST_NUM) {
        r[0] = a->num;
        return r;
    }
    if (a->kind == LESSON_AST_NAME || a->kind == LESSON_AST_GRAD) {
        const graph_node *n = graph_node_at(l->g, l->names[a->name].id);
        memcpy(r, a->kind == LESSON_AST_NAME ? n->value : n->grad, (size_t)a->len * sizeof *r);
        return r;
    }
    double *x = eval_ast(l, t, a->a), *y = a->b >= 0 ? eval_ast(l, t, a->b) : NULL;
    if (x && (a->b < 0 || y))
        graph_apply(a->op, x, t->n[a->a].len, y, a->b >= 0 ? t->n[a->b].len : 0, r);
    else
        free(r), r = NULL;
    free(x);
    free(y);
    return r;
}

int lesson_eval(const lesson *l, const char *expr, double *out, lesson_error *err)
{
    size_t len = strlen(expr);
    lesson_cursor c = {expr, len, 0, 0, err};
    if (lesson_check_bytes(&c) < 0)
        return -1;
    lesson_tree t;
    int root = lesson_tree_read(&c, l, 1, &t), rc = -1;
    if (root >= 0 && t.n[root].len != 1) {
        lesson_fail(&c, 0, "the result must be one number, but this has %d values: wrap it in mean() or sum()",
                    t.n[root].len);
    } else if (root >= 0) {
        double *r = eval_ast(l, &t, root);
        if (!r) {
            lesson_fail(&c, 0, "out of memory");
        } else {
            *out = r[0];
            free(r);
            rc = 0;
        }
    }
    lesson_tree_free(&t);
    return rc;
}
