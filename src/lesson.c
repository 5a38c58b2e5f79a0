/*
 * lesson.c — the lesson language (see lesson.h and lessons/FORMAT.md).
 *
 * One line is one statement. A statement is checked completely before it touches the lesson: an
 * expression is parsed into a small syntax tree whose every node already knows its batch length, so
 * unknown names, wrong arities and mismatched lengths are all found before the first graph node is made.
 * Only then is the tree turned into graph nodes. That is how a failed line leaves the lesson unchanged
 * (the graph has no way to take a node back).
 *
 * Columns count code points, so an editor given FILE:LINE:COL lands on the right character even after
 * ŷ or η. The caret line under an error is indented by display width (CJK characters take two cells).
 *
 * Numbers are read with strtod, which follows LC_NUMERIC: the program keeps LC_NUMERIC at "C".
 */
#include "lesson.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- tables ----------------------- */

static const char *const statement_names[] = {
#define X(e, kw, args, help) kw,
    LESSON_STATEMENTS(X)
#undef X
};
static const char *const statement_args[] = {
#define X(e, kw, args, help) args,
    LESSON_STATEMENTS(X)
#undef X
};
static const char *const statement_helps[] = {
#define X(e, kw, args, help) help,
    LESSON_STATEMENTS(X)
#undef X
};
static const char *const setting_names[] = {
#define X(e, name, value, help) name,
    LESSON_SETTINGS(X)
#undef X
};
static const char *const phase_names[] = {
#define X(e, name, title, help) name,
    LESSON_PHASES(X)
#undef X
};
static const char *const kind_names[] = {"param", "input", "let", "loss", "metric"};

_Static_assert(sizeof statement_names / sizeof statement_names[0] == LESSON_STMT_COUNT, "statements");
_Static_assert(sizeof setting_names / sizeof setting_names[0] == LESSON_SET_COUNT, "settings");
_Static_assert(sizeof phase_names / sizeof phase_names[0] == LESSON_PHASE_COUNT, "phases");
_Static_assert(sizeof kind_names / sizeof kind_names[0] == LESSON_METRIC + 1, "kinds");

const char *lesson_statement_name(enum lesson_statement s)
{
    return (int)s >= 0 && s < LESSON_STMT_COUNT ? statement_names[s] : "?";
}
const char *lesson_statement_args(enum lesson_statement s)
{
    return (int)s >= 0 && s < LESSON_STMT_COUNT ? statement_args[s] : "";
}
const char *lesson_statement_help(enum lesson_statement s)
{
    return (int)s >= 0 && s < LESSON_STMT_COUNT ? statement_helps[s] : "";
}
const char *lesson_setting_name(enum lesson_setting s)
{
    return (int)s >= 0 && s < LESSON_SET_COUNT ? setting_names[s] : "?";
}
const char *lesson_phase_name(enum lesson_phase p)
{
    return (int)p >= 0 && p < LESSON_PHASE_COUNT ? phase_names[p] : "?";
}
int lesson_phase_lookup(const char *name)
{
    for (int i = 0; i < LESSON_PHASE_COUNT; i++)
        if (strcmp(phase_names[i], name) == 0)
            return i;
    return -1;
}

/* "a, b, c": the names of a table, for messages that list what is allowed. */
static const char *name_list(const char *const *names, int n, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        int k = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
        if (k < 0 || (size_t)k >= size - o)
            break;
        o += (size_t)k;
    }
    return buf;
}

/* ---------------------------------------------------------------- UTF-8 ------------------------ */

/* Decode one code point; returns its byte length, or 0 when the bytes are not valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF included). */
static int utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    int len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* The 1-based column of byte offset off: code points before it, an invalid byte counting as one. */
static int column_of(const char *s, size_t off)
{
    int col = 1;
    size_t i = 0;
    while (i < off) {
        unsigned cp;
        int k = utf8_decode((const unsigned char *)s + i, off - i, &cp);
        i += k > 0 ? (size_t)k : 1;
        col++;
    }
    return col;
}

/* Terminal cells a code point takes: 0 for combining marks, 2 for East Asian wide and full-width. */
static int cell_width(unsigned c)
{
    if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || (c >= 0xFE00 && c <= 0xFE0F))
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
        (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

/* ---------------------------------------------------------------- errors ----------------------- */

/* Keep a printable copy of the line: invalid bytes, NULs and control characters other than tab become
 * '?', one per byte, so the caret still lines up with the column. Long lines are cut with "…". */
static void keep_source(lesson_error *err, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    const size_t room = sizeof err->source - 8;
    while (i < len && o < room) {
        unsigned cp;
        int k = utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (k <= 0 || (cp < 0x20 && cp != '\t') || cp == 0x7F) {
            err->source[o++] = '?';
            i++;
        } else {
            if (o + (size_t)k > room)
                break;
            memcpy(err->source + o, s + i, (size_t)k);
            o += (size_t)k, i += (size_t)k;
        }
    }
    if (i < len) {
        memcpy(err->source + o, "\u2026", 3);
        o += 3;
    }
    err->source[o] = '\0';
}

static void set_error(lesson_error *err, const char *s, size_t len, size_t off, const char *fmt, va_list ap)
{
    err->line = 0;
    err->col = column_of(s, off);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    keep_source(err, s, len);
}

int lesson_error_format(const lesson_error *err, const char *file, char *buf, size_t n)
{
    char prefix[64] = "";
    if (err->line > 0)
        snprintf(prefix, sizeof prefix, "%d:%d:", err->line, err->col);
    if (err->line == 0 && err->col == 0)
        return snprintf(buf, n, "%s%serror: %s\n", file ? file : "", file ? ": " : "", err->message);

    char caret[LESSON_SHOW_MAX * 2 + 2];
    size_t o = 0, i = 0, slen = strlen(err->source);
    for (int c = 1; c < err->col && i < slen; c++) {
        unsigned cp;
        int k = utf8_decode((const unsigned char *)err->source + i, slen - i, &cp);
        if (k <= 0)
            k = 1, cp = '?';
        i += (size_t)k;
        if (cp == '\t') {
            caret[o++] = '\t';
        } else {
            for (int w = cell_width(cp); w > 0; w--)
                caret[o++] = ' ';
        }
    }
    caret[o++] = '^';
    caret[o] = '\0';
    return snprintf(buf, n, "%s%s%s%serror: %s\n%s\n%s\n", file ? file : "", file && *prefix ? ":" : "",
                    prefix, file || *prefix ? " " : "", err->message, err->source, caret);
}

/* ---------------------------------------------------------------- the cursor ------------------- */

/* Where a statement is read from: one line (not NUL-terminated), its number in the file, the error. */
typedef struct cursor {
    const char *s;
    size_t len, pos;
    int line;
    lesson_error *err;
} cursor;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(cursor *c, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(c->err, c->s, c->len, off, fmt, ap);
    va_end(ap);
    return -1;
}

static int is_space(int ch) { return ch == ' ' || ch == '\t'; }
static int is_alpha(int ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }
static int is_digit(int ch) { return ch >= '0' && ch <= '9'; }
static int is_alnum(int ch) { return is_alpha(ch) || is_digit(ch); }

static void skip_space(cursor *c)
{
    while (c->pos < c->len && is_space(c->s[c->pos]))
        c->pos++;
}
/* The current character after blanks; 0 at the end of the line or at a '#' comment. */
static int peek(cursor *c)
{
    skip_space(c);
    if (c->pos >= c->len || c->s[c->pos] == '#')
        return 0;
    return (unsigned char)c->s[c->pos];
}

/* A short printable quote of the token at off: one character, or a word. */
static const char *token_at(const cursor *c, size_t off, char *buf, size_t n)
{
    size_t end = off;
    if (end < c->len && is_alnum(c->s[end])) {
        while (end < c->len && (is_alnum(c->s[end]) || c->s[end] == '.'))
            end++;
    } else if (end < c->len) {
        unsigned cp;
        int k = utf8_decode((const unsigned char *)c->s + end, c->len - end, &cp);
        end += k > 0 ? (size_t)k : 1;
    }
    size_t len = end - off < n - 1 ? end - off : n - 1;
    memcpy(buf, c->s + off, len);
    buf[len] = '\0';
    return buf;
}

/* The value of a setting as written: everything up to a blank or a comment. */
static const char *value_at(const cursor *c, size_t off, char *buf, size_t n)
{
    size_t end = off;
    while (end < c->len && !is_space(c->s[end]) && c->s[end] != '#')
        end++;
    size_t len = end - off < n - 1 ? end - off : n - 1;
    memcpy(buf, c->s + off, len);
    buf[len] = '\0';
    return buf;
}

enum { NAME_MAX_LEN = 63 };

/* Read an identifier into buf. Returns its length, 0 when there is none here. */
static size_t read_word(cursor *c, char *buf)
{
    size_t start = c->pos, n = 0;
    if (start >= c->len || !is_alpha(c->s[start]))
        return 0;
    while (c->pos < c->len && is_alnum(c->s[c->pos]))
        c->pos++;
    n = c->pos - start;
    size_t keep = n < NAME_MAX_LEN ? n : NAME_MAX_LEN;
    memcpy(buf, c->s + start, keep);
    buf[keep] = '\0';
    return n;
}

/* After a statement: nothing but blanks and a comment may follow. */
static int expect_end(cursor *c, const char *after)
{
    if (peek(c) == 0)
        return 0;
    char tok[32];
    return fail(c, c->pos, "unexpected '%s' after %s", token_at(c, c->pos, tok, sizeof tok), after);
}

/* ---------------------------------------------------------------- numbers ---------------------- */

/*
 * A number: digits with an optional fraction and exponent ("2", ".5", "1e-3"). Letters, digits or dots
 * glued to it make the whole run an invalid number ("1.2.3", "3x", "1e"), not a number and a name.
 */
static int read_number(cursor *c, double *out)
{
    size_t start = c->pos, p = c->pos;
    int digits = 0, ok = 1;
    while (p < c->len && is_digit(c->s[p]))
        p++, digits++;
    if (p < c->len && c->s[p] == '.') {
        p++;
        while (p < c->len && is_digit(c->s[p]))
            p++, digits++;
    }
    if (digits == 0)
        ok = 0;
    if (ok && p < c->len && (c->s[p] == 'e' || c->s[p] == 'E')) {
        size_t q = p + 1;
        if (q < c->len && (c->s[q] == '+' || c->s[q] == '-'))
            q++;
        if (q < c->len && is_digit(c->s[q])) {
            while (q < c->len && is_digit(c->s[q]))
                q++;
            p = q;
        } else {
            ok = 0;
        }
    }
    if (!ok || (p < c->len && (is_alnum(c->s[p]) || c->s[p] == '.'))) {
        while (p < c->len && (is_alnum(c->s[p]) || c->s[p] == '.' ||
                              ((c->s[p] == '-' || c->s[p] == '+') && (c->s[p - 1] == 'e' || c->s[p - 1] == 'E'))))
            p++;
        int n = (int)(p - start > 40 ? 40 : p - start);
        return fail(c, start, "invalid number '%.*s'", n, c->s + start);
    }
    char buf[128];
    size_t n = p - start;
    if (n >= sizeof buf)
        return fail(c, start, "number is too long (more than %d characters)", (int)sizeof buf - 1);
    memcpy(buf, c->s + start, n);
    buf[n] = '\0';
    errno = 0;
    double v = strtod(buf, NULL);
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return fail(c, start, "number out of range '%.40s'", buf);
    c->pos = p;
    *out = v;
    return 0;
}

/* A number with an optional minus sign, for lists and settings. */
static int read_signed(cursor *c, double *out)
{
    int neg = 0;
    if (peek(c) == '-') {
        neg = 1;
        c->pos++;
    }
    int ch = peek(c);
    if (!is_digit(ch) && ch != '.') {
        if (ch == 0)
            return fail(c, c->pos, "expected a number at the end of the line");
        char tok[32];
        return fail(c, c->pos, "expected a number, not '%s'", token_at(c, c->pos, tok, sizeof tok));
    }
    if (read_number(c, out) < 0)
        return -1;
    if (neg)
        *out = -*out;
    return 0;
}

/* ---------------------------------------------------------------- names ------------------------ */

/* Names defined further down the file being loaded, to tell "used before it is defined" apart. */
struct pending_name {
    const char *name;
    size_t len;
    int line;
};
struct lesson_pending {
    struct pending_name *v;
    int n;
};

int lesson_find(const lesson *l, const char *name)
{
    for (int i = 0; i < l->n_names; i++)
        if (strcmp(l->names[i].name, name) == 0)
            return i;
    return -1;
}

const lesson_name *lesson_node_name(const lesson *l, int id)
{
    if (id < 0 || id >= l->cap_nodes || id >= graph_count(l->g) || l->node_name[id] < 0)
        return NULL;
    return &l->names[l->node_name[id]];
}

const char *lesson_display(const lesson_name *n) { return n->label ? n->label : n->name; }

/* "unknown name", or "used before it is defined" when a later line of the file being loaded defines it. */
static int unknown_name(const lesson *l, cursor *c, const char *w, size_t at)
{
    const struct lesson_pending *pd = l->pending;
    for (int k = 0; pd && k < pd->n; k++)
        if (pd->v[k].line > c->line && pd->v[k].len == strlen(w) && memcmp(pd->v[k].name, w, pd->v[k].len) == 0)
            return fail(c, at, "'%s' is used before it is defined (on line %d)", w, pd->v[k].line);
    return fail(c, at, "unknown name '%s'", w);
}

static int is_function_name(const char *w)
{
    int op = graph_op_lookup(w);
    return strcmp(w, "grad") == 0 || (op >= 0 && graph_op_form((enum graph_op)op) == GRAPH_FORM_CALL);
}

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

enum ast_kind { AST_NUM, AST_NAME, AST_OP, AST_GRAD };

struct ast {
    enum ast_kind kind;
    enum graph_op op;
    int a, b;      /* children (indexes into the pool), -1 when absent */
    double num;    /* AST_NUM */
    int name;      /* AST_NAME, AST_GRAD: index into l->names */
    int len;       /* batch length of the result */
    size_t off, end; /* the source text it came from */
};

typedef struct parser {
    cursor *c;
    const lesson *l;
    struct ast *n;
    int count, cap;
    int depth;
    int allow_grad; /* grad(NAME) is allowed in answers, not in the model */
    int open;       /* parentheses opened and not yet closed */
} parser;

static int new_ast(parser *p, struct ast a)
{
    if (p->count == p->cap) {
        int cap = p->cap ? p->cap * 2 : 32;
        struct ast *n = realloc(p->n, (size_t)cap * sizeof *n);
        if (!n)
            return fail(p->c, p->c->pos, "out of memory");
        p->n = n, p->cap = cap;
    }
    p->n[p->count] = a;
    return p->count++;
}

static int deeper(parser *p, size_t off)
{
    if (++p->depth > LESSON_DEPTH_MAX)
        return fail(p->c, off, "expression is nested too deeply (more than %d levels)", LESSON_DEPTH_MAX);
    return 0;
}

static void quote_span(const parser *p, int i, char *buf, size_t n)
{
    const struct ast *a = &p->n[i];
    size_t len = a->end - a->off;
    if (len > 24)
        snprintf(buf, n, "%.20s...", p->c->s + a->off);
    else
        snprintf(buf, n, "%.*s", (int)len, p->c->s + a->off);
}

/* An operation node; checks lengths the way the graph will broadcast them. */
static int make_op(parser *p, enum graph_op op, int a, int b, size_t at, size_t off, size_t end)
{
    int la = p->n[a].len, lb = b >= 0 ? p->n[b].len : 1, len;
    if (op == GRAPH_OP_SUM || op == GRAPH_OP_MEAN) {
        len = 1;
    } else if (b < 0) {
        len = la;
    } else if (la == lb || la == 1 || lb == 1) {
        len = la > lb ? la : lb;
    } else {
        char qa[32], qb[32];
        quote_span(p, a, qa, sizeof qa);
        quote_span(p, b, qb, sizeof qb);
        return fail(p->c, at, "batch lengths do not match: '%s' has %d values and '%s' has %d", qa, la, qb,
                    lb);
    }
    return new_ast(p, (struct ast){AST_OP, op, a, b, 0, -1, len, off, end});
}

static int parse_expr(parser *p);
static int parse_unary(parser *p);

static int parse_call(parser *p, const char *fname, size_t start)
{
    cursor *c = p->c;
    size_t open = c->pos;
    c->pos++; /* '(' */
    p->open++;
    if (deeper(p, open) < 0)
        return -1;
    int is_grad = strcmp(fname, "grad") == 0;
    int op = graph_op_lookup(fname);
    if (is_grad && !p->allow_grad)
        return fail(c, start, "grad() is only for quiz answers");
    if (!is_grad && (op < 0 || graph_op_form((enum graph_op)op) != GRAPH_FORM_CALL)) {
        char list[128];
        function_list(list, sizeof list);
        return fail(c, start, "unknown function '%s' (functions: %s)", fname, list);
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
            return fail(c, open, "unbalanced parentheses: this '(' is never closed");
        char tok[32];
        return fail(c, c->pos, "expected ',' or ')' in the call of %s, not '%s'", fname,
                    token_at(c, c->pos, tok, sizeof tok));
    }
    c->pos++;
    p->open--;
    p->depth--;
    if (nargs != 1)
        return fail(c, start, "%s takes 1 argument, not %d", fname, nargs);
    if (is_grad) {
        struct ast *a = &p->n[args[0]];
        if (a->kind != AST_NAME)
            return fail(c, arg_off, "grad() takes a name, as in grad(w)");
        return new_ast(p, (struct ast){AST_GRAD, GRAPH_OP_LEAF, -1, -1, 0, a->name, a->len, start, c->pos});
    }
    return make_op(p, (enum graph_op)op, args[0], -1, start, start, c->pos);
}

static int parse_primary(parser *p)
{
    cursor *c = p->c;
    int ch = peek(c);
    size_t start = c->pos;
    char tok[32];
    if (ch == 0)
        return fail(c, c->pos, "expected a number, a name or '(' at the end of the line");
    if (is_digit(ch) || ch == '.') {
        double v;
        if (read_number(c, &v) < 0)
            return -1;
        return new_ast(p, (struct ast){AST_NUM, GRAPH_OP_LEAF, -1, -1, v, -1, 1, start, c->pos});
    }
    if (is_alpha(ch)) {
        char w[NAME_MAX_LEN + 1];
        read_word(c, w);
        size_t end = c->pos;
        if (peek(c) == '(')
            return parse_call(p, w, start);
        if (is_function_name(w))
            return fail(c, start, "'%s' is a function: write %s(...)", w, w);
        int i = lesson_find(p->l, w);
        if (i < 0)
            return unknown_name(p->l, c, w, start);
        int len = graph_node_at(p->l->g, p->l->names[i].id)->len;
        return new_ast(p, (struct ast){AST_NAME, GRAPH_OP_LEAF, -1, -1, 0, i, len, start, end});
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
                return fail(c, start, "unbalanced parentheses: this '(' is never closed");
            return fail(c, c->pos, "expected ')', not '%s'", token_at(c, c->pos, tok, sizeof tok));
        }
        c->pos++;
        p->open--;
        p->depth--;
        p->n[e].off = start;
        p->n[e].end = c->pos;
        return e;
    }
    if (ch == ')' && p->open > 0) /* "tanh(w * )": the ')' is fine, an operand is missing */
        return fail(c, start, "expected a number, a name or '(' before ')'");
    if (ch == ')')
        return fail(c, start, "unbalanced parentheses: ')' without a matching '('");
    return fail(c, start, "expected a number, a name or '(', not '%s'", token_at(c, start, tok, sizeof tok));
}

/* power := primary ['^' unary]   — right-associative, and tighter than a leading minus */
static int parse_power(parser *p)
{
    cursor *c = p->c;
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
    return make_op(p, GRAPH_OP_POW, base, ex, at, p->n[base].off, p->n[ex].end);
}

/* unary := '-' unary | power   — a minus before a literal number folds into the number */
static int parse_unary(parser *p)
{
    cursor *c = p->c;
    if (peek(c) != '-')
        return parse_power(p);
    size_t at = c->pos++;
    if (deeper(p, at) < 0)
        return -1;
    int a = parse_unary(p);
    if (a < 0)
        return -1;
    p->depth--;
    if (p->n[a].kind == AST_NUM) {
        p->n[a].num = -p->n[a].num;
        p->n[a].off = at;
        return a;
    }
    return make_op(p, GRAPH_OP_NEG, a, -1, at, at, p->n[a].end);
}

static int parse_term(parser *p)
{
    cursor *c = p->c;
    int a = parse_unary(p);
    while (a >= 0) {
        int ch = peek(c);
        if (ch != '*' && ch != '/')
            break;
        size_t at = c->pos++;
        int b = parse_unary(p);
        if (b < 0)
            return -1;
        a = make_op(p, ch == '*' ? GRAPH_OP_MUL : GRAPH_OP_DIV, a, b, at, p->n[a].off, p->n[b].end);
    }
    return a;
}

static int parse_expr(parser *p)
{
    cursor *c = p->c;
    int a = parse_term(p);
    while (a >= 0) {
        int ch = peek(c);
        if (ch != '+' && ch != '-')
            break;
        size_t at = c->pos++;
        int b = parse_term(p);
        if (b < 0)
            return -1;
        a = make_op(p, ch == '+' ? GRAPH_OP_ADD : GRAPH_OP_SUB, a, b, at, p->n[a].off, p->n[b].end);
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
        return fail(p->c, p->c->pos, "unbalanced parentheses: ')' without a matching '('");
    if (ch != 0) {
        char tok[32];
        return fail(p->c, p->c->pos, "unexpected '%s' after the expression",
                    token_at(p->c, p->c->pos, tok, sizeof tok));
    }
    return root;
}

/* Make graph nodes for a checked tree. Since the tree was checked, only running out of memory is
 * expected to fail here; *at receives the source offset of the node that failed. */
static enum graph_status build(lesson *l, const parser *p, int i, int *id, size_t *at)
{
    const struct ast *a = &p->n[i];
    enum graph_status st = GRAPH_EARG;
    *at = a->off;
    switch (a->kind) {
    case AST_NUM:
        *id = graph_const(l->g, a->num);
        return *id < 0 ? GRAPH_ENOMEM : GRAPH_OK;
    case AST_NAME:
        *id = l->names[a->name].id;
        return GRAPH_OK;
    case AST_OP: {
        int x, y = -1;
        if ((st = build(l, p, a->a, &x, at)) != GRAPH_OK || (a->b >= 0 && (st = build(l, p, a->b, &y, at)) != GRAPH_OK))
            return st;
        *at = a->off;
        return graph_op(l->g, a->op, x, y, id);
    }
    case AST_GRAD:
        break;
    }
    return st;
}

/* ---------------------------------------------------------------- the lesson ------------------- */

lesson *lesson_new(void)
{
    lesson *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->g = graph_new(GRAPH_FLOAT64);
    if (!l->g) {
        free(l);
        return NULL;
    }
    strcpy(l->lang, "en");
    l->lr = 0.01;
    l->epochs = 10;
    l->loss = -1;
    l->metric = -1;
    return l;
}

void lesson_free(lesson *l)
{
    if (!l)
        return;
    graph_free(l->g);
    for (int i = 0; i < l->n_names; i++) {
        free(l->names[i].name);
        free(l->names[i].label);
        free(l->names[i].explain);
    }
    free(l->names);
    free(l->node_name);
    for (int i = 0; i < LESSON_PHASE_COUNT; i++)
        free(l->say[i]);
    free(l->notes);
    for (int i = 0; i < l->n_quiz; i++) {
        free(l->quiz[i].question);
        free(l->quiz[i].answer);
        free(l->quiz[i].hint);
    }
    free(l->quiz);
    free(l->title);
    free(l);
}

static char *dup_span(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* old + "\n" + text, or text when old is NULL; NULL when memory runs out. */
static char *join_line(const char *old, const char *s, size_t n)
{
    size_t o = old ? strlen(old) + 1 : 0;
    char *d = malloc(o + n + 1);
    if (!d)
        return NULL;
    if (old) {
        memcpy(d, old, o - 1);
        d[o - 1] = '\n';
    }
    memcpy(d + o, s, n);
    d[o + n] = '\0';
    return d;
}

/* The rest of the line as text: after the blanks, to the end, trailing blanks trimmed ('#' is text). */
static void rest_text(cursor *c, const char **s, size_t *n)
{
    skip_space(c);
    size_t end = c->len;
    while (end > c->pos && is_space(c->s[end - 1]))
        end--;
    *s = c->s + c->pos;
    *n = end - c->pos;
    c->pos = c->len;
}

static int reserve(void **v, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return 0;
    int n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    void *p = realloc(*v, (size_t)n * size);
    if (!p)
        return -1;
    *v = p;
    *cap = n;
    return 0;
}

/* Make room in node_name for every graph node, new entries -1. */
static int sync_nodes(lesson *l)
{
    int old = l->cap_nodes, count = graph_count(l->g);
    if (reserve((void **)&l->node_name, &l->cap_nodes, count, sizeof *l->node_name) < 0)
        return -1;
    for (int i = old; i < l->cap_nodes; i++)
        l->node_name[i] = -1;
    return 0;
}

/* Read "NAME =" of a defining statement: a fresh name that is not a function. */
static int read_definition(lesson *l, cursor *c, const char *keyword, char *name)
{
    int ch = peek(c);
    size_t at = c->pos;
    if (!is_alpha(ch)) {
        if (ch == 0)
            return fail(c, c->pos, "expected a name after '%s'", keyword);
        char tok[32];
        if (ch >= 0x80)
            return fail(c, at, "a name is ASCII letters, digits and '_': write %s yhat and then 'label yhat %s'",
                        keyword, token_at(c, at, tok, sizeof tok));
        return fail(c, at, "expected a name after '%s', not '%s'", keyword, token_at(c, at, tok, sizeof tok));
    }
    size_t n = read_word(c, name);
    if (n > NAME_MAX_LEN)
        return fail(c, at, "name is too long (more than %d characters)", NAME_MAX_LEN);
    if (is_function_name(name))
        return fail(c, at, "'%s' is a function; choose another name", name);
    int old = lesson_find(l, name);
    if (old >= 0) {
        if (l->names[old].line > 0)
            return fail(c, at, "'%s' is already defined (on line %d)", name, l->names[old].line);
        return fail(c, at, "'%s' is already defined", name);
    }
    ch = peek(c);
    if (ch != '=') {
        char tok[32];
        if (ch == 0)
            return fail(c, c->pos, "expected '=' after '%s'", name);
        return fail(c, c->pos, "expected '=' after '%s', not '%s'", name, token_at(c, c->pos, tok, sizeof tok));
    }
    c->pos++;
    return 0;
}

/* Record a new name for graph node id. */
static int add_name(lesson *l, cursor *c, const char *name, enum lesson_kind kind, int id)
{
    char *dup = dup_span(name, strlen(name));
    if (!dup || sync_nodes(l) < 0 ||
        reserve((void **)&l->names, &l->cap_names, l->n_names + 1, sizeof *l->names) < 0) {
        free(dup);
        return fail(c, 0, "out of memory");
    }
    l->names[l->n_names] = (lesson_name){dup, NULL, kind, id, c->line, NULL};
    l->node_name[id] = l->n_names++;
    return 0;
}

/* param and input: NAME = NUMBER[, NUMBER…] */
static int define_leaf(lesson *l, cursor *c, enum lesson_kind kind)
{
    char name[NAME_MAX_LEN + 1];
    if (read_definition(l, c, kind_names[kind], name) < 0)
        return -1;
    double *v = NULL;
    int n = 0, cap = 0;
    for (;;) {
        double x;
        if (read_signed(c, &x) < 0)
            goto fail;
        if (reserve((void **)&v, &cap, n + 1, sizeof *v) < 0) {
            fail(c, c->pos, "out of memory");
            goto fail;
        }
        v[n++] = x;
        if (peek(c) != ',')
            break;
        c->pos++;
    }
    if (expect_end(c, "the numbers") < 0)
        goto fail;
    int id = kind == LESSON_PARAM ? graph_param(l->g, v, n) : graph_input(l->g, v, n);
    free(v);
    if (id < 0)
        return fail(c, 0, "out of memory");
    return add_name(l, c, name, kind, id);
fail:
    free(v);
    return -1;
}

static int stmt_PARAM(lesson *l, cursor *c) { return define_leaf(l, c, LESSON_PARAM); }
static int stmt_INPUT(lesson *l, cursor *c) { return define_leaf(l, c, LESSON_INPUT); }

/* let, loss and metric: NAME = EXPR */
static int define_node(lesson *l, cursor *c, enum lesson_kind kind)
{
    size_t kw = 0;
    while (kw < c->len && is_space(c->s[kw]))
        kw++;
    char name[NAME_MAX_LEN + 1];
    if (read_definition(l, c, kind_names[kind], name) < 0)
        return -1;
    if (kind == LESSON_LOSS && l->loss >= 0) {
        const lesson_name *old = lesson_node_name(l, l->loss);
        return fail(c, kw, "a lesson has exactly one loss, and it is already '%s'", old ? old->name : "?");
    }
    if (kind == LESSON_METRIC && l->metric >= 0) {
        const lesson_name *old = lesson_node_name(l, l->metric);
        return fail(c, kw, "a lesson has at most one metric, and it is already '%s'", old ? old->name : "?");
    }
    parser p = {c, l, NULL, 0, 0, 0, 0, 0};
    skip_space(c);
    size_t expr_at = c->pos;
    int root = parse_full(&p);
    int rc = -1, id;
    if (root < 0)
        goto done;
    if (p.n[root].kind == AST_NAME) {
        const char *old = l->names[p.n[root].name].name;
        fail(c, expr_at, "'%s = %s' would only rename '%s': give it an operation, or use 'label %s TEXT'", name,
             old, old, old);
        goto done;
    }
    if ((kind == LESSON_LOSS || kind == LESSON_METRIC) && p.n[root].len != 1) {
        fail(c, expr_at, "the %s must be one number, but this has %d values: wrap it in mean() or sum()",
             kind_names[kind], p.n[root].len);
        goto done;
    }
    size_t at;
    enum graph_status st = build(l, &p, root, &id, &at);
    if (st != GRAPH_OK) {
        fail(c, at, "cannot build the graph: %s", graph_status_message(st));
        goto done;
    }
    if (add_name(l, c, name, kind, id) < 0)
        goto done;
    if (kind == LESSON_LOSS)
        l->loss = id;
    if (kind == LESSON_METRIC)
        l->metric = id;
    rc = 0;
done:
    free(p.n);
    return rc;
}

static int stmt_LET(lesson *l, cursor *c) { return define_node(l, c, LESSON_LET); }
static int stmt_LOSS(lesson *l, cursor *c) { return define_node(l, c, LESSON_LOSS); }
static int stmt_METRIC(lesson *l, cursor *c) { return define_node(l, c, LESSON_METRIC); }

/* A name that must already exist; returns its index. */
static int existing_name(lesson *l, cursor *c, const char *keyword)
{
    char w[NAME_MAX_LEN + 1];
    int ch = peek(c);
    size_t at = c->pos;
    if (!is_alpha(ch))
        return fail(c, at, "expected a name after '%s'", keyword);
    read_word(c, w);
    int i = lesson_find(l, w);
    if (i < 0)
        return unknown_name(l, c, w, at);
    return i;
}

static int stmt_LABEL(lesson *l, cursor *c)
{
    int i = existing_name(l, c, "label");
    if (i < 0)
        return -1;
    const char *s;
    size_t n;
    size_t at = c->pos;
    rest_text(c, &s, &n);
    if (n == 0)
        return fail(c, at, "expected the label after the name, as in 'label yhat ŷ'");
    if (n > 32)
        return fail(c, (size_t)(s - c->s), "label is too long (more than 32 bytes)");
    char *d = dup_span(s, n);
    if (!d)
        return fail(c, at, "out of memory");
    free(l->names[i].label);
    l->names[i].label = d;
    return 0;
}

static int stmt_SET(lesson *l, cursor *c)
{
    char w[NAME_MAX_LEN + 1], tok[32], list[128];
    int ch = peek(c);
    size_t at = c->pos;
    if (!is_alpha(ch))
        return fail(c, at, "expected a setting after 'set' (%s)",
                    name_list(setting_names, LESSON_SET_COUNT, list, sizeof list));
    read_word(c, w);
    int s = -1;
    for (int i = 0; i < LESSON_SET_COUNT; i++)
        if (strcmp(w, setting_names[i]) == 0)
            s = i;
    if (s < 0)
        return fail(c, at, "unknown setting '%s' (settings: %s)", w,
                    name_list(setting_names, LESSON_SET_COUNT, list, sizeof list));
    if (peek(c) == '=')
        c->pos++;
    ch = peek(c);
    size_t vat = c->pos;
    if (ch == 0)
        return fail(c, vat, "expected a value for '%s'", w);
    switch ((enum lesson_setting)s) {
    case LESSON_SET_LR: {
        double v;
        cursor probe = *c;
        lesson_error scratch;
        probe.err = &scratch;
        if (read_signed(&probe, &v) < 0 || v <= 0 || peek(&probe) != 0)
            return fail(c, vat, "lr must be a positive number, not '%s'", value_at(c, vat, tok, sizeof tok));
        c->pos = probe.pos;
        l->lr = v;
        return 0;
    }
    case LESSON_SET_EPOCHS: {
        long v = 0;
        size_t p = vat;
        while (p < c->len && is_digit(c->s[p]) && v <= 1000000)
            v = v * 10 + (c->s[p++] - '0');
        cursor probe = *c;
        probe.pos = p;
        if (p == vat || v > 1000000 || (p < c->len && !is_space(c->s[p]) && c->s[p] != '#') || peek(&probe) != 0)
            return fail(c, vat, "epochs must be a whole number from 0 to 1000000, not '%s'",
                        value_at(c, vat, tok, sizeof tok));
        c->pos = p;
        l->epochs = (int)v;
        return 0;
    }
    case LESSON_SET_PRECISION: {
        char v[NAME_MAX_LEN + 1] = "";
        read_word(c, v);
        int pr = graph_precision_lookup(v);
        if (pr < 0 || peek(c) != 0)
            return fail(c, vat, "precision must be float64, float32 or mixed, not '%s'",
                        value_at(c, vat, tok, sizeof tok));
        graph_set_precision(l->g, (enum graph_precision)pr);
        return 0;
    }
    case LESSON_SET_COUNT:
        break;
    }
    return -1;
}

static int stmt_TITLE(lesson *l, cursor *c)
{
    const char *s;
    size_t n, at;
    skip_space(c);
    at = c->pos;
    rest_text(c, &s, &n);
    if (n == 0)
        return fail(c, at, "expected the title after 'title'");
    char *d = dup_span(s, n);
    if (!d)
        return fail(c, at, "out of memory");
    free(l->title);
    l->title = d;
    return 0;
}

static int stmt_LANG(lesson *l, cursor *c)
{
    int ch = peek(c);
    size_t at = c->pos, p = c->pos;
    int letters = 0;
    while (p < c->len && ((c->s[p] >= 'a' && c->s[p] <= 'z') || (c->s[p] >= 'A' && c->s[p] <= 'Z')))
        p++, letters++;
    while (letters >= 2 && p < c->len && c->s[p] == '-' && p + 1 < c->len && is_alnum(c->s[p + 1])) {
        p++;
        while (p < c->len && is_alnum(c->s[p]))
            p++;
    }
    size_t n = p - at;
    cursor probe = *c;
    probe.pos = p;
    if (ch == 0 || letters < 2 || letters > 3 || n >= sizeof l->lang || peek(&probe) != 0) {
        char tok[32];
        if (ch == 0)
            return fail(c, at, "expected a language tag such as 'en' or 'zh-TW'");
        return fail(c, at, "'%s' is not a language tag such as 'en' or 'zh-TW'", value_at(c, at, tok, sizeof tok));
    }
    memcpy(l->lang, c->s + at, n);
    l->lang[n] = '\0';
    c->pos = c->len;
    return 0;
}

static int read_phase(cursor *c, const char *keyword)
{
    char w[NAME_MAX_LEN + 1], list[128];
    int ch = peek(c);
    size_t at = c->pos;
    if (!is_alpha(ch))
        return fail(c, at, "expected a phase after '%s' (%s)", keyword,
                    name_list(phase_names, LESSON_PHASE_COUNT, list, sizeof list));
    read_word(c, w);
    int ph = lesson_phase_lookup(w);
    if (ph < 0)
        return fail(c, at, "unknown phase '%s' (phases: %s)", w,
                    name_list(phase_names, LESSON_PHASE_COUNT, list, sizeof list));
    return ph;
}

static int stmt_SAY(lesson *l, cursor *c)
{
    int ph = read_phase(c, "say");
    if (ph < 0)
        return -1;
    const char *s;
    size_t n;
    rest_text(c, &s, &n);
    char *d = join_line(l->say[ph], s, n);
    if (!d)
        return fail(c, 0, "out of memory");
    free(l->say[ph]);
    l->say[ph] = d;
    return 0;
}

static int stmt_EXPLAIN(lesson *l, cursor *c)
{
    int i = existing_name(l, c, "explain");
    if (i < 0)
        return -1;
    const char *s;
    size_t n;
    rest_text(c, &s, &n);
    char *d = join_line(l->names[i].explain, s, n);
    if (!d)
        return fail(c, 0, "out of memory");
    free(l->names[i].explain);
    l->names[i].explain = d;
    return 0;
}

static int stmt_NOTE(lesson *l, cursor *c)
{
    const char *s;
    size_t n;
    rest_text(c, &s, &n);
    char *d = join_line(l->notes, s, n);
    if (!d)
        return fail(c, 0, "out of memory");
    free(l->notes);
    l->notes = d;
    return 0;
}

static int stmt_QUIZ(lesson *l, cursor *c)
{
    int ph = read_phase(c, "quiz");
    if (ph < 0)
        return -1;
    int node = -1;
    if (is_alpha(peek(c))) {
        int i = existing_name(l, c, "the phase");
        if (i < 0)
            return -1;
        node = l->names[i].id;
    }
    int ch = peek(c);
    if (ch != ':') {
        char tok[32];
        if (ch == 0)
            return fail(c, c->pos, "expected ':' and the question, as in 'quiz forward s: What is s?'");
        return fail(c, c->pos, "expected ':' before the question, not '%s'", token_at(c, c->pos, tok, sizeof tok));
    }
    c->pos++;
    const char *s;
    size_t n, at;
    skip_space(c);
    at = c->pos;
    rest_text(c, &s, &n);
    if (n == 0)
        return fail(c, at, "expected the question after ':'");
    char *q = dup_span(s, n);
    if (!q || reserve((void **)&l->quiz, &l->cap_quiz, l->n_quiz + 1, sizeof *l->quiz) < 0) {
        free(q);
        return fail(c, at, "out of memory");
    }
    l->quiz[l->n_quiz++] = (lesson_quiz){(enum lesson_phase)ph, node, q, NULL, NULL, c->line};
    return 0;
}

static int stmt_ANSWER(lesson *l, cursor *c)
{
    size_t kw = 0;
    while (kw < c->len && is_space(c->s[kw]))
        kw++;
    if (l->n_quiz == 0)
        return fail(c, kw, "'answer' needs a 'quiz' line before it");
    lesson_quiz *q = &l->quiz[l->n_quiz - 1];
    if (q->answer)
        return fail(c, kw, "this quiz already has an answer");
    parser p = {c, l, NULL, 0, 0, 0, 1, 0};
    skip_space(c);
    size_t at = c->pos;
    int root = parse_full(&p), rc = -1;
    if (root >= 0 && p.n[root].len != 1) {
        fail(c, at, "the answer must be one number, but this has %d values: wrap it in mean() or sum()",
             p.n[root].len);
    } else if (root >= 0) {
        size_t end = p.n[root].end;
        char *d = dup_span(c->s + at, end - at);
        if (!d) {
            fail(c, at, "out of memory");
        } else {
            q->answer = d;
            rc = 0;
        }
    }
    free(p.n);
    return rc;
}

static int stmt_HINT(lesson *l, cursor *c)
{
    size_t kw = 0;
    while (kw < c->len && is_space(c->s[kw]))
        kw++;
    if (l->n_quiz == 0)
        return fail(c, kw, "'hint' needs a 'quiz' line before it");
    lesson_quiz *q = &l->quiz[l->n_quiz - 1];
    const char *s;
    size_t n, at;
    skip_space(c);
    at = c->pos;
    rest_text(c, &s, &n);
    if (n == 0)
        return fail(c, at, "expected the hint after 'hint'");
    char *d = join_line(q->hint, s, n);
    if (!d)
        return fail(c, at, "out of memory");
    free(q->hint);
    q->hint = d;
    return 0;
}

typedef int (*statement_fn)(lesson *, cursor *);
static const statement_fn statement_run[] = {
#define X(e, kw, args, help) stmt_##e,
    LESSON_STATEMENTS(X)
#undef X
};
_Static_assert(sizeof statement_run / sizeof statement_run[0] == LESSON_STMT_COUNT, "statement table");

/* Check the bytes of a line: its length, NULs and UTF-8. */
static int check_bytes(cursor *c)
{
    if (c->len > LESSON_LINE_MAX)
        return fail(c, 0, "line is too long (%zu bytes; the limit is %d)", c->len, LESSON_LINE_MAX);
    size_t i = 0;
    while (i < c->len) {
        unsigned cp;
        if (c->s[i] == '\0')
            return fail(c, i, "NUL byte in the line");
        if ((c->s[i] > 0 && c->s[i] < 0x20 && c->s[i] != '\t') || c->s[i] == 0x7F)
            return fail(c, i, "control character 0x%02X in the line", (unsigned char)c->s[i]);
        int k = utf8_decode((const unsigned char *)c->s + i, c->len - i, &cp);
        if (k <= 0)
            return fail(c, i, "invalid UTF-8 (byte 0x%02X)", (unsigned char)c->s[i]);
        i += (size_t)k;
    }
    return 0;
}

/* Run one line; *is_statement says whether it was more than a blank or a comment. */
static int exec(lesson *l, const char *s, size_t len, int line, lesson_error *err, int *is_statement)
{
    cursor c = {s, len, 0, line, err};
    *is_statement = 0;
    if (check_bytes(&c) < 0)
        return -1;
    if (peek(&c) == 0)
        return 0;
    *is_statement = 1;
    size_t at = c.pos;
    char w[NAME_MAX_LEN + 1], tok[32];
    if (!is_alpha(c.s[at]))
        return fail(&c, at, "expected a statement, not '%s'", token_at(&c, at, tok, sizeof tok));
    read_word(&c, w);
    for (int i = 0; i < LESSON_STMT_COUNT; i++)
        if (strcmp(w, statement_names[i]) == 0) {
            if (c.pos < c.len && !is_space(c.s[c.pos]) && c.s[c.pos] != '#')
                return fail(&c, c.pos, "expected a blank after '%s'", w);
            return statement_run[i](l, &c);
        }
    if (peek(&c) == '=')
        return fail(&c, at, "unknown statement '%s': to define a name write 'let %s = ...'", w, w);
    char list[256];
    return fail(&c, at, "unknown statement '%s' (statements: %s)", token_at(&c, at, tok, sizeof tok),
                name_list(statement_names, LESSON_STMT_COUNT, list, sizeof list));
}

int lesson_exec_line(lesson *l, const char *line, lesson_error *err)
{
    int is_statement;
    return exec(l, line, strlen(line), 0, err, &is_statement);
}

int lesson_validate(const lesson *l, lesson_error *err)
{
    memset(err, 0, sizeof *err);
    if (l->loss < 0) {
        err->col = 1;
        snprintf(err->message, sizeof err->message,
                 "the lesson has no loss: add a line such as 'loss L = mean(s^2)'");
        return -1;
    }
    for (int i = 0; i < l->n_quiz; i++)
        if (!l->quiz[i].answer) {
            err->line = l->quiz[i].line;
            err->col = 1;
            snprintf(err->message, sizeof err->message, "this quiz has no answer: add an 'answer' line after it");
            return -1;
        }
    return 0;
}

/* The start and length of line number k (1-based) in text, for error displays after the fact. */
static void find_line(const char *text, size_t len, int k, const char **s, size_t *n)
{
    size_t i = 0;
    for (int line = 1; line < k && i < len; i++)
        if (text[i] == '\n')
            line++;
    size_t e = i;
    while (e < len && text[e] != '\n')
        e++;
    if (e > i && text[e - 1] == '\r')
        e--;
    *s = text + i;
    *n = e - i;
}

lesson *lesson_parse(const char *text, size_t len, lesson_error *err)
{
    memset(err, 0, sizeof *err);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    lesson *l = lesson_new();
    if (!l) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }

    /* First pass: where each name is defined, so that a use before it can be told from a typo. */
    struct lesson_pending pending = {NULL, 0};
    int cap = 0, line = 1;
    for (size_t i = 0; i < len; line++) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        cursor c = {text, e, i, line, err};
        char w[NAME_MAX_LEN + 1];
        if (peek(&c) && read_word(&c, w)) {
            int defines = !strcmp(w, "param") || !strcmp(w, "input") || !strcmp(w, "let") || !strcmp(w, "loss") ||
                          !strcmp(w, "metric");
            size_t at;
            if (defines && (skip_space(&c), at = c.pos, read_word(&c, w)) &&
                reserve((void **)&pending.v, &cap, pending.n + 1, sizeof *pending.v) == 0)
                pending.v[pending.n++] = (struct pending_name){text + at, c.pos - at, line};
        }
        i = e + 1;
    }
    l->pending = &pending;

    int statements = 0, last = 1;
    line = 1;
    for (size_t i = 0; i <= len; line++) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t n = e - i;
        if (n > 0 && text[e - 1] == '\r')
            n--;
        if (e == len && n == 0 && line > 1)
            break; /* the newline at the end of the last line */
        int is_statement;
        last = line;
        if (exec(l, text + i, n, line, err, &is_statement) < 0) {
            err->line = line;
            goto fail;
        }
        statements += is_statement;
        i = e + 1;
    }
    l->pending = NULL;
    free(pending.v);
    if (statements == 0) {
        memset(err, 0, sizeof *err);
        err->line = 1;
        err->col = 1;
        snprintf(err->message, sizeof err->message, "the lesson is empty: it has no statements");
        const char *s;
        size_t n;
        find_line(text, len, 1, &s, &n);
        keep_source(err, s, n);
        lesson_free(l);
        return NULL;
    }
    if (lesson_validate(l, err) < 0) {
        if (err->line == 0)
            err->line = last;
        const char *s;
        size_t n;
        find_line(text, len, err->line, &s, &n);
        keep_source(err, s, n);
        lesson_free(l);
        return NULL;
    }
    return l;
fail:
    l->pending = NULL;
    free(pending.v);
    lesson_free(l);
    return NULL;
}

enum { FILE_MAX = 16 << 20 };

int lesson_read_file(const char *path, char **out, size_t *out_len, lesson_error *err)
{
    memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err->message, sizeof err->message, "cannot open: %s", strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    while (text) {
        if (len == cap) {
            if (cap >= FILE_MAX) {
                snprintf(err->message, sizeof err->message, "file is too large (more than %d MiB)", FILE_MAX >> 20);
                free(text);
                fclose(f);
                return -1;
            }
            char *t = realloc(text, cap * 2);
            if (!t) {
                free(text);
                text = NULL;
                break;
            }
            text = t, cap *= 2;
        }
        size_t k = fread(text + len, 1, cap - len, f);
        len += k;
        if (k == 0)
            break;
    }
    if (!text || ferror(f)) {
        snprintf(err->message, sizeof err->message, "cannot read: %s", text ? strerror(errno) : "out of memory");
        free(text);
        fclose(f);
        return -1;
    }
    fclose(f);
    *out = text;
    *out_len = len;
    return 0;
}

lesson *lesson_load(const char *path, lesson_error *err)
{
    char *text;
    size_t len;
    if (lesson_read_file(path, &text, &len, err) < 0)
        return NULL;
    lesson *l = lesson_parse(text, len, err);
    free(text);
    return l;
}

int lesson_peek_title(const char *text, size_t len, char *buf, size_t n)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    lesson *l = lesson_new();
    if (!l)
        return -1;
    int rc = -1;
    for (size_t i = 0; i < len && rc < 0;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t k = e - i;
        if (k > 0 && text[e - 1] == '\r')
            k--;
        lesson_error err;
        int is_statement;
        cursor c = {text + i, k, 0, 0, &err};
        char w[NAME_MAX_LEN + 1];
        if (peek(&c) && read_word(&c, w) && strcmp(w, "title") == 0) {
            if (exec(l, text + i, k, 0, &err, &is_statement) < 0)
                break;
            snprintf(buf, n, "%s", l->title);
            rc = 0;
        }
        i = e + 1;
    }
    lesson_free(l);
    return rc;
}

/* ---------------------------------------------------------------- formulas --------------------- */

typedef struct sbuf {
    char *buf;
    size_t n, len;
} sbuf;

static void put(sbuf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n > 0 && b->len < b->n - 1) {
        size_t room = b->n - 1 - b->len, c = k < room ? k : room;
        memcpy(b->buf + b->len, s, c);
        b->buf[b->len + c] = '\0';
    }
    b->len += k;
}

/* The shortest decimal that reads back as v, with U+2212 for the minus sign. */
static void put_number(sbuf *b, double v)
{
    char tmp[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*g", p, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    if (tmp[0] == '-') {
        put(b, "\u2212");
        put(b, tmp + 1);
    } else {
        put(b, tmp);
    }
}

/* How tightly node id binds when printed as an operand. */
static int binding(const lesson *l, int id)
{
    const graph_node *n = graph_node_at(l->g, id);
    if (lesson_node_name(l, id))
        return 9;
    if (n->op == GRAPH_OP_LEAF)
        return n->role == GRAPH_CONST && n->data[0] < 0 ? graph_op_precedence(GRAPH_OP_NEG) : 9;
    return graph_op_precedence(n->op);
}

static void put_node(const lesson *l, int id, int top, sbuf *b);

static void put_operand(const lesson *l, int id, int paren, sbuf *b)
{
    if (paren)
        put(b, "(");
    put_node(l, id, 0, b);
    if (paren)
        put(b, ")");
}

static void put_node(const lesson *l, int id, int top, sbuf *b)
{
    const graph_node *n = graph_node_at(l->g, id);
    const lesson_name *nm = lesson_node_name(l, id);
    if (!n) {
        put(b, "?");
        return;
    }
    if (nm && (!top || n->op == GRAPH_OP_LEAF)) {
        put(b, lesson_display(nm));
        return;
    }
    if (n->op == GRAPH_OP_LEAF) {
        put_number(b, n->data[0]);
        return;
    }
    int prec = graph_op_precedence(n->op);
    const char *sym = graph_op_symbol(n->op);
    switch (graph_op_form(n->op)) {
    case GRAPH_FORM_INFIX: {
        int right_assoc = n->op == GRAPH_OP_POW;
        int lp = binding(l, n->src[0]), rp = binding(l, n->src[1]);
        put_operand(l, n->src[0], right_assoc ? lp <= prec : lp < prec, b);
        if (right_assoc) {
            put(b, sym);
        } else {
            put(b, " ");
            put(b, sym);
            put(b, " ");
        }
        put_operand(l, n->src[1], right_assoc ? rp < prec : rp <= prec, b);
        break;
    }
    case GRAPH_FORM_PREFIX:
        put(b, sym);
        put_operand(l, n->src[0], binding(l, n->src[0]) <= prec, b);
        break;
    case GRAPH_FORM_CALL:
        put(b, sym);
        put(b, "(");
        put_node(l, n->src[0], 0, b);
        put(b, ")");
        break;
    case GRAPH_FORM_LEAF:
        break;
    }
}

int lesson_formula(const lesson *l, int id, char *buf, size_t n)
{
    sbuf b = {buf, n, 0};
    if (n > 0)
        buf[0] = '\0';
    if (id < 0 || id >= graph_count(l->g)) {
        put(&b, "?");
        return (int)b.len;
    }
    put_node(l, id, 1, &b);
    return (int)b.len;
}

/* ---------------------------------------------------------------- evaluation ------------------- */

/* Evaluate tree node i into a fresh array of p->n[i].len doubles, with the core's own arithmetic in float64. */
static double *eval_ast(const lesson *l, const parser *p, int i)
{
    const struct ast *a = &p->n[i];
    double *r = malloc((size_t)a->len * sizeof *r);
    if (!r)
        return NULL;
    if (a->kind == AST_NUM) {
        r[0] = a->num;
        return r;
    }
    if (a->kind == AST_NAME || a->kind == AST_GRAD) {
        const graph_node *n = graph_node_at(l->g, l->names[a->name].id);
        memcpy(r, a->kind == AST_NAME ? n->value : n->grad, (size_t)a->len * sizeof *r);
        return r;
    }
    double *x = eval_ast(l, p, a->a), *y = a->b >= 0 ? eval_ast(l, p, a->b) : NULL;
    if (x && (a->b < 0 || y))
        graph_apply(a->op, x, p->n[a->a].len, y, a->b >= 0 ? p->n[a->b].len : 0, r);
    else
        free(r), r = NULL;
    free(x);
    free(y);
    return r;
}

int lesson_read_number(const char *text, double *out, size_t *used, lesson_error *err)
{
    cursor c = {text, strlen(text), 0, 0, err};
    if (read_signed(&c, out) < 0)
        return -1;
    *used = c.pos;
    return 0;
}

int lesson_eval(const lesson *l, const char *expr, double *out, lesson_error *err)
{
    size_t len = strlen(expr);
    cursor c = {expr, len, 0, 0, err};
    if (check_bytes(&c) < 0)
        return -1;
    parser p = {&c, l, NULL, 0, 0, 0, 1, 0};
    int root = parse_full(&p), rc = -1;
    if (root >= 0 && p.n[root].len != 1) {
        fail(&c, 0, "the result must be one number, but this has %d values: wrap it in mean() or sum()",
             p.n[root].len);
    } else if (root >= 0) {
        double *r = eval_ast(l, &p, root);
        if (!r) {
            fail(&c, 0, "out of memory");
        } else {
            *out = r[0];
            free(r);
            rc = 0;
        }
    }
    free(p.n);
    return rc;
}
