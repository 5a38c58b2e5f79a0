/*
 * lesson_lex.c — the lesson language's lexer, its errors and its names (see lesson_int.h): the bottom of the
 * lesson module, which the statements (lesson.c), the expressions (lesson_expr.c) and the formula printer
 * all read with, and which uses none of them.
 *
 * Numbers are read and written in the C locale, made once: LC_NUMERIC (a decimal comma in de_DE) must not
 * change what "0.01" means in a lesson.
 *
 * Columns count code points, so an editor given FILE:LINE:COL lands on the right character even after
 * ŷ or η. The caret line under an error is indented by display width (CJK characters take two cells), both
 * measured by the text module, the same way the screen measures them.
 */
#define _GNU_SOURCE /* strtod_l, newlocale and uselocale */
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

/* ---------------------------------------------------------------- numbers and the C locale ----- */

/* The C locale, made on first use; (locale_t)0 only when even that ran out of memory. */
static locale_t c_locale(void)
{
    static locale_t c;
    if (!c)
        c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    return c;
}

double lesson_strtod(const char *s)
{
    locale_t c = c_locale();
    return c ? strtod_l(s, NULL, c) : strtod(s, NULL);
}

int lesson_vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
    locale_t c = c_locale(), old = c ? uselocale(c) : (locale_t)0;
    int k = vsnprintf(buf, n, fmt, ap);
    if (c)
        uselocale(old);
    return k;
}

int lesson_format(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = lesson_vformat(buf, n, fmt, ap);
    va_end(ap);
    return k;
}

char *lesson_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* ---------------------------------------------------------------- the lexer -------------------- */

/* A short printable quote of the token at off: one character, or a word. */
const char *lesson_token_at(const lesson_cursor *c, size_t off, char *buf, size_t n)
{
    size_t end = off;
    if (end < c->len && is_alnum(c->s[end])) {
        while (end < c->len && (is_alnum(c->s[end]) || c->s[end] == '.'))
            end++;
    } else if (end < c->len) {
        uint32_t ch;
        end += text_char(c->s + end, c->len - end, &ch);
    }
    size_t len = end - off < n - 1 ? end - off : n - 1;
    memcpy(buf, c->s + off, len);
    buf[len] = '\0';
    return buf;
}

/* The value of a setting as written: everything up to a blank or a comment. */
const char *lesson_value_at(const lesson_cursor *c, size_t off, char *buf, size_t n)
{
    size_t end = off;
    while (end < c->len && !is_space(c->s[end]) && c->s[end] != '#')
        end++;
    text_cut(buf, n, snprintf(buf, n, "%.*s", (int)(end - off), c->s + off));
    return buf;
}

size_t lesson_read_word(lesson_cursor *c, char *buf)
{
    size_t start = c->pos, n = 0;
    if (start >= c->len || !is_alpha(c->s[start]))
        return 0;
    while (c->pos < c->len && is_alnum(c->s[c->pos]))
        c->pos++;
    n = c->pos - start;
    size_t keep = n < LESSON_NAME_MAX ? n : LESSON_NAME_MAX;
    memcpy(buf, c->s + start, keep);
    buf[keep] = '\0';
    return n;
}

int lesson_expect_end(lesson_cursor *c, const char *after)
{
    if (peek(c) == 0)
        return 0;
    char tok[32];
    return lesson_fail(c, c->pos, _("unexpected '%s' after %s"), lesson_token_at(c, c->pos, tok, sizeof tok), after);
}

int lesson_check_bytes(lesson_cursor *c)
{
    if (c->len > LESSON_LINE_MAX)
        return lesson_fail(c, 0, _("line is too long (%zu bytes; the limit is %d)"), c->len, LESSON_LINE_MAX);
    size_t bad = text_invalid(c->s, c->len);
    for (size_t i = 0; i < bad; i++) { /* NULs and C0 controls are single bytes below 0x80 */
        if (c->s[i] == '\0')
            return lesson_fail(c, i, _("NUL byte in the line"));
        if ((c->s[i] > 0 && c->s[i] < 0x20 && c->s[i] != '\t') || c->s[i] == 0x7F)
            return lesson_fail(c, i, _("control character 0x%02X in the line"), (unsigned char)c->s[i]);
        /* C1 controls, U+0080..U+009F, are 0xC2 0x80..0x9F: a terminal takes them for CSI, OSC, ST */
        if ((unsigned char)c->s[i] == 0xC2 && i + 1 < bad && (unsigned char)c->s[i + 1] <= 0x9F)
            return lesson_fail(c, i, _("control character U+%04X in the line"), (unsigned char)c->s[i + 1]);
    }
    if (bad < c->len)
        return lesson_fail(c, bad, _("invalid UTF-8 (byte 0x%02X)"), (unsigned char)c->s[bad]);
    return 0;
}

/*
 * The end of the number that starts at byte start: digits with an optional fraction and exponent ("2", ".5",
 * "1e-3"). *ok is cleared when letters, digits or dots are glued to it, and then the whole run is the
 * (invalid) number ("1.2.3", "3x", "1e"), not a number and a name.
 */
static size_t number_end(const lesson_cursor *c, size_t start, int *ok)
{
    size_t p = start;
    int digits = 0;
    *ok = 1;
    while (p < c->len && is_digit(c->s[p]))
        p++, digits++;
    if (p < c->len && c->s[p] == '.') {
        p++;
        while (p < c->len && is_digit(c->s[p]))
            p++, digits++;
    }
    if (digits == 0)
        *ok = 0;
    if (*ok && p < c->len && (c->s[p] == 'e' || c->s[p] == 'E')) {
        size_t q = p + 1;
        if (q < c->len && (c->s[q] == '+' || c->s[q] == '-'))
            q++;
        else if (c->len - q >= 3 && memcmp(c->s + q, LESSON_MINUS, 3) == 0) /* 1.2e−5, as the screen writes it */
            q += 3;
        if (q < c->len && is_digit(c->s[q])) {
            while (q < c->len && is_digit(c->s[q]))
                q++;
            p = q;
        } else {
            *ok = 0;
        }
    }
    if (!*ok || (p < c->len && (is_alnum(c->s[p]) || c->s[p] == '.'))) {
        *ok = 0;
        while (p < c->len && (is_alnum(c->s[p]) || c->s[p] == '.' ||
                              ((c->s[p] == '-' || c->s[p] == '+') && (c->s[p - 1] == 'e' || c->s[p - 1] == 'E'))))
            p++;
    }
    return p;
}

int lesson_read_unsigned(lesson_cursor *c, double *out)
{
    size_t start = c->pos;
    int ok;
    size_t p = number_end(c, start, &ok);
    if (!ok) {
        int n = (int)(p - start > 40 ? 40 : p - start);
        return lesson_fail(c, start, _("invalid number '%.*s'"), n, c->s + start);
    }
    char buf[128];
    size_t n = p - start;
    if (n >= sizeof buf)
        return lesson_fail(c, start, _("number is too long (more than %d characters)"), (int)sizeof buf - 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) /* an exponent's "−" is strtod's '-' */
        if (n - i >= 3 && memcmp(c->s + start + i, LESSON_MINUS, 3) == 0)
            buf[k++] = '-', i += 2;
        else
            buf[k++] = c->s[start + i];
    buf[k] = '\0';
    errno = 0;
    double v = lesson_strtod(buf);
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return lesson_fail(c, start, _("number out of range '%.40s'"), buf);
    /* Underflow is an error too, when the number would become 0: "1e-400" is no more 0 than "1e309" is
     * infinite, and a silent 0 would make a lesson mean something else. A number that only loses digits
     * (a subnormal, down to about 4.9e-324) is kept. */
    if (v == 0 && buf[strcspn(buf, "123456789")] != '\0' && strcspn(buf, "123456789") < strcspn(buf, "eE"))
        return lesson_fail(c, start, _("number too small '%.40s': it would be 0 (the smallest is about 4.9e-324)"), buf);
    c->pos = p;
    *out = v;
    return 0;
}

/* A number with an optional minus sign, for lists and settings. */
int lesson_read_signed(lesson_cursor *c, double *out)
{
    int neg = 0;
    size_t m = minus_at(c);
    if (m) {
        neg = 1;
        c->pos += m;
    }
    int ch = peek(c);
    if (!is_digit(ch) && ch != '.') {
        if (ch == 0)
            return lesson_fail(c, c->pos, _("expected a number at the end of the line"));
        char tok[32];
        return lesson_fail(c, c->pos, _("expected a number, not '%s'"), lesson_token_at(c, c->pos, tok, sizeof tok));
    }
    if (lesson_read_unsigned(c, out) < 0)
        return -1;
    if (neg)
        *out = -*out;
    return 0;
}

/* The names in an expression, read token by token as the parser reads them but without checking the
 * grammar: a number run (valid or not) is skipped whole, any other character is one token. */
int lesson_expr_names(const char *expr, size_t len, int (*use)(const lesson_use *u, void *ctx), void *ctx)
{
    lesson_error scratch;
    lesson_cursor c = {expr, len, 0, 0, &scratch};
    for (int ch; (ch = peek(&c)) != 0;) {
        if (is_alpha(ch)) {
            lesson_use u;
            u.at = c.pos;
            lesson_read_word(&c, u.name);
            u.col = text_column(expr, u.at);
            u.call = peek(&c) == '(';
            int rc = use(&u, ctx);
            if (rc)
                return rc;
        } else if (is_digit(ch) || ch == '.') {
            int ok;
            c.pos = number_end(&c, c.pos, &ok);
        } else {
            uint32_t cp;
            c.pos += text_char(expr + c.pos, len - c.pos, &cp);
        }
    }
    return 0;
}

/* "unknown name", or "used before it is defined" when a later line of the file being loaded defines it. */
int lesson_unknown_name(const lesson *l, lesson_cursor *c, const char *w, size_t at)
{
    const struct lesson_pending *pd = l->pending;
    for (int k = 0; pd && k < pd->n; k++)
        if (pd->v[k].line > c->line && pd->v[k].len == strlen(w) && memcmp(pd->v[k].name, w, pd->v[k].len) == 0)
            return lesson_fail(c, at, _("'%s' is used before it is defined (on line %d)"), w, pd->v[k].line);
    return lesson_fail(c, at, _(LESSON_UNKNOWN_NAME), w);
}

int lesson_is_function(const char *w)
{
    int op = graph_op_lookup(w);
    return strcmp(w, "grad") == 0 || strcmp(w, "new") == 0 || strcmp(w, "local") == 0 ||
           (op >= 0 && graph_op_form((enum graph_op)op) == GRAPH_FORM_CALL);
}

int lesson_is_setting_word(const char *w)
{
    static const char *const words[] = {
#define X(e, name, value, help) name,
        LESSON_SETTINGS(X)
#undef X
        "epoch", /* not a setting of `set`, but what a placeholder reads as the epoch's number */
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i], w) == 0)
            return 1;
    return 0;
}

int lesson_read_number(const char *text, double *out, size_t *used, lesson_error *err)
{
    lesson_cursor c = {text, strlen(text), 0, 0, err};
    if (lesson_read_signed(&c, out) < 0)
        return -1;
    *used = c.pos;
    return 0;
}

/* ---------------------------------------------------------------- errors ----------------------- */

/* Keep a printable copy of the line: invalid bytes, NULs and control characters (C0 other than tab, DEL,
 * C1) become '?', one per column, so the caret still lines up with it. Long lines are cut with "…". */
void lesson_keep_source(lesson_error *err, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    const size_t room = sizeof err->source - 8;
    while (i < len && o < room) {
        uint32_t cp;
        size_t k = text_char(s + i, len - i, &cp);
        if (cp == TEXT_BAD || (text_is_control(cp) && cp != '\t')) {
            err->source[o++] = '?';
            i += cp == TEXT_BAD ? 1 : k; /* one '?' per column: an invalid byte, or a character */
        } else {
            if (o + k > room)
                break;
            memcpy(err->source + o, s + i, k);
            o += k, i += k;
        }
    }
    if (i < len) {
        memcpy(err->source + o, "\u2026", 3);
        o += 3;
    }
    err->source[o] = '\0';
}

int lesson_fail(lesson_cursor *c, size_t off, const char *fmt, ...)
{
    lesson_error *err = c->err;
    va_list ap;
    va_start(ap, fmt);
    err->line = 0;
    err->col = text_column(c->s, off);
    text_cut(err->message, sizeof err->message, vsnprintf(err->message, sizeof err->message, fmt, ap));
    lesson_keep_source(err, c->s, c->len);
    va_end(ap);
    return -1;
}

void lesson_error_at(lesson_error *err, const lesson_place *where, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    memset(err, 0, sizeof *err);
    err->line = where->line;
    err->col = col;
    text_cut(err->message, sizeof err->message, vsnprintf(err->message, sizeof err->message, fmt, ap));
    va_end(ap);
    if (where->source)
        lesson_keep_source(err, where->source, strlen(where->source));
}

int lesson_error_format(const lesson_error *err, const char *file, char *buf, size_t n)
{
    char prefix[64] = "";
    if (err->line > 0)
        snprintf(prefix, sizeof prefix, "%d:%d:", err->line, err->col);
    if (err->line == 0 && err->col == 0)
        return snprintf(buf, n, "%s%serror: %s\n", file ? file : "", file ? ": " : "", err->message);

    /* the caret: a tab stays a tab, any other character is as many spaces as it takes cells */
    char caret[LESSON_SHOW_MAX * 2 + 2];
    size_t o = 0, i = 0, slen = strlen(err->source);
    for (int c = 1; c < err->col && i < slen; c++) {
        uint32_t cp;
        i += text_char(err->source + i, slen - i, &cp);
        if (cp == '\t')
            caret[o++] = '\t';
        else
            for (int w = cp == TEXT_BAD ? 1 : text_cells((wchar_t)cp); w > 0; w--)
                caret[o++] = ' ';
    }
    caret[o++] = '^';
    caret[o] = '\0';
    return snprintf(buf, n, "%s%s%s%serror: %s\n%s\n%s\n", file ? file : "", file && *prefix ? ":" : "",
                    prefix, file || *prefix ? " " : "", err->message, err->source, caret);
}

/* ---------------------------------------------------------------- names ------------------------ */

/*
 * lesson_find is asked for every name a statement defines or uses, so it must not read every name: a lesson
 * of n names would load in n² steps (a 100 000-line chain took 40 s). The names are hashed into an open-
 * addressing table of indexes into l->names (slot k holds index + 1; 0 is empty; at most half full). Names
 * are only ever appended, so the table catches up with the new ones when asked; it is a cache, which is why
 * a const lesson may fill it. A failed allocation leaves the linear search.
 */
static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void index_put(struct lesson_index *ix, const lesson *l, int i)
{
    unsigned k = name_hash(l->names[i].name) & (unsigned)(ix->cap - 1);
    while (ix->slot[k])
        k = (k + 1) & (unsigned)(ix->cap - 1);
    ix->slot[k] = i + 1;
}

static int index_catch_up(const lesson *l)
{
    struct lesson_index *ix = &((lesson *)l)->index;
    if (ix->n > l->n_names)
        ix->n = 0, ix->cap = 0; /* cannot happen while names are only appended; rebuild if it does */
    if (ix->n == l->n_names && ix->slot)
        return 0;
    if (2 * l->n_names >= ix->cap) {
        int cap = 64;
        while (cap <= 2 * l->n_names)
            cap *= 2;
        int *slot = calloc((size_t)cap, sizeof *slot);
        if (!slot)
            return -1;
        free(ix->slot);
        ix->slot = slot, ix->cap = cap, ix->n = 0;
    }
    for (; ix->n < l->n_names; ix->n++)
        index_put(ix, l, ix->n);
    return 0;
}

int lesson_find(const lesson *l, const char *name)
{
    if (index_catch_up(l) < 0) {
        for (int i = 0; i < l->n_names; i++)
            if (strcmp(l->names[i].name, name) == 0)
                return i;
        return -1;
    }
    const struct lesson_index *ix = &l->index;
    for (unsigned k = name_hash(name) & (unsigned)(ix->cap - 1); ix->slot[k]; k = (k + 1) & (unsigned)(ix->cap - 1))
        if (strcmp(l->names[ix->slot[k] - 1].name, name) == 0)
            return ix->slot[k] - 1;
    return -1;
}

const lesson_name *lesson_node_name(const lesson *l, int id)
{
    if (id < 0 || id >= l->cap_nodes || id >= graph_count(l->g) || l->node_name[id] < 0)
        return NULL;
    return &l->names[l->node_name[id]];
}

const char *lesson_display(const lesson_name *n) { return n->label ? n->label : n->name; }
