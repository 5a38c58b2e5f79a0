/*
 * lesson_int.h — what the lesson module's files share and no one else sees.
 *
 *   lesson_lex.c      the lexer, numbers, errors and the names table: uses none of the others
 *   lesson_expr.c     expressions (parser, syntax tree, graph building, evaluation)
 *   lesson.c          the statements and loading a file
 *   lesson_text.c     the text's placeholders, read once the whole lesson is, and retirement
 *   lesson_formula.c  printing a node back as a formula
 *
 * A statement is read through a cursor over one line. The lexer below is the only one for the language:
 * the statements, the expression parser and the summaries lesson.h gives the ':' prompt all read with it.
 */
#ifndef BPTUTOR_LESSON_INT_H
#define BPTUTOR_LESSON_INT_H

#include <stddef.h>

#include "lesson.h"

/* Where a statement is read from: one line (not NUL-terminated), its number in the file, the error. */
typedef struct lesson_cursor {
    const char *s;
    size_t len, pos;
    int line;
    lesson_error *err;
} lesson_cursor;

static inline int is_space(int ch) { return ch == ' ' || ch == '\t'; }
static inline int is_alpha(int ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }
static inline int is_digit(int ch) { return ch >= '0' && ch <= '9'; }
static inline int is_alnum(int ch) { return is_alpha(ch) || is_digit(ch); }

static inline void skip_space(lesson_cursor *c)
{
    while (c->pos < c->len && is_space(c->s[c->pos]))
        c->pos++;
}

/* The current character after blanks; 0 at the end of the line or at a '#' comment. */
static inline int peek(lesson_cursor *c)
{
    skip_space(c);
    if (c->pos >= c->len || c->s[c->pos] == '#')
        return 0;
    return (unsigned char)c->s[c->pos];
}

/* The bytes of a minus sign at the cursor, after blanks: 1 for '-', 3 for U+2212 "−" (what the screen prints,
 * so what a learner copies from it), 0 for none. Wherever the language takes a minus it takes either. */
#define LESSON_MINUS "\xe2\x88\x92"
static inline size_t minus_at(lesson_cursor *c)
{
    int ch = peek(c);
    if (ch == '-')
        return 1;
    return ch == 0xe2 && c->len - c->pos >= 3 && c->s[c->pos + 1] == LESSON_MINUS[1] &&
                   c->s[c->pos + 2] == LESSON_MINUS[2]
               ? 3
               : 0;
}

/* ---------------------------------------------------------------- errors (lesson_lex.c) ------- */

/* Keep a printable copy of the line in err->source: invalid bytes and control characters become '?'. */
void lesson_keep_source(lesson_error *err, const char *s, size_t len);

/* Fill c->err for byte offset off of the line (its column counted by the text module); returns -1. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int lesson_fail(lesson_cursor *c, size_t off, const char *fmt, ...);

/* ---------------------------------------------------------------- the lexer (lesson_lex.c) ----- */

/* Check the bytes of a line: its length, NULs, control characters and UTF-8. 0, or -1 with the error. */
int lesson_check_bytes(lesson_cursor *c);
/* A short printable quote of the token at off: one character, or a word. */
const char *lesson_token_at(const lesson_cursor *c, size_t off, char *buf, size_t n);
/* The value of a setting as written: everything up to a blank or a comment. */
const char *lesson_value_at(const lesson_cursor *c, size_t off, char *buf, size_t n);
/* Read a name into buf (LESSON_NAME_MAX + 1 bytes, cut there). Returns its whole length, 0 when there is
 * none here. */
size_t lesson_read_word(lesson_cursor *c, char *buf);
/* After a statement: nothing but blanks and a comment may follow. 0, or -1 with the error. */
int lesson_expect_end(lesson_cursor *c, const char *after);
/* A number as an expression writes it: digits, a fraction, an exponent; no sign. */
int lesson_read_unsigned(lesson_cursor *c, double *out);
/* A number with an optional minus sign, for lists and settings. */
int lesson_read_signed(lesson_cursor *c, double *out);
/* A function's name (exp, tanh, …, grad, new, local), which cannot be a name. */
int lesson_is_function(const char *w);
/* A setting's name (lr, epochs, precision, and epoch, the counter), which cannot be a name either. */
int lesson_is_setting_word(const char *w);
/* "unknown name", or "used before it is defined" when a later line of the file being loaded defines it. */
int lesson_unknown_name(const lesson *l, lesson_cursor *c, const char *w, size_t at);

/* Names defined further down the file being loaded, to tell "used before it is defined" apart. */
struct lesson_pending {
    struct lesson_pending_name {
        const char *name;
        size_t len;
        int line;
    } *v;
    int n;
};

/* s[0 .. n) as a string of its own, or NULL when memory runs out. */
char *lesson_dup(const char *s, size_t n);

/* strtod in the C locale: numbers are written with '.' whatever LC_NUMERIC says. */
double lesson_strtod(const char *s);

/* ---------------------------------------------------------------- expressions (lesson_expr.c) -- */

/* NAME and the live additions of lesson.h are REF nodes (ref says which); GRAD is kept apart from the other
 * refs because the model's error for it is its own. */
enum lesson_ast_kind { LESSON_AST_NUM, LESSON_AST_NAME, LESSON_AST_OP, LESSON_AST_REF, LESSON_AST_INDEX };

/* A node of an expression's syntax tree. Every node knows its batch length, so a tree that was read is
 * known to build. */
struct lesson_ast {
    enum lesson_ast_kind kind;
    enum graph_op op;
    int a, b;        /* children (indexes into the tree), -1 when absent */
    double num;      /* LESSON_AST_NUM; LESSON_AST_INDEX: the 1-based element */
    int name;        /* LESSON_AST_NAME, LESSON_AST_REF: index into l->names (−1 for a setting) */
    int name2;       /* LESSON_AST_REF of LOCAL: IN's index into l->names */
    enum lesson_ref_kind ref; /* LESSON_AST_REF */
    int len;         /* batch length of the result */
    size_t off, end; /* the source text it came from */
    int col;         /* off as a 1-based column of its line */
};

typedef struct lesson_tree {
    struct lesson_ast *n;
    int count, cap;
} lesson_tree;

/* What an expression may use: the model's plain language; everything of lesson.h's live expressions (quiz
 * answers, placeholders); or a learner's answer, which may not read results off the engine. */
enum lesson_mode { LESSON_MODE_MODEL, LESSON_MODE_LIVE, LESSON_MODE_LEARNER };

/* Read and check an expression from the cursor to the end of the line (or a comment) against l. Returns the
 * root's index in t, or -1 with the error. Free t with lesson_tree_free() either way. */
int lesson_tree_read(lesson_cursor *c, const lesson *l, enum lesson_mode mode, lesson_tree *t);
void lesson_tree_free(lesson_tree *t);
/* Make graph nodes for tree node i of a tree that was read: only running out of memory is expected to
 * fail; *at receives the source offset of the node that failed. */
enum graph_status lesson_tree_build(lesson *l, const lesson_tree *t, int i, int *id, size_t *at);

/* A live expression: its tree and root. */
struct lesson_expr {
    lesson_tree t;
    int root;
};
/* Read a live expression from the cursor (to its end) in mode: the expression, or NULL with c->err. */
lesson_expr *lesson_expr_read(lesson_cursor *c, const lesson *l, enum lesson_mode mode);

/* ---------------------------------------------------------------- text (lesson_text.c) -------- */

/* Append a text line (its placeholders not read yet) to ts, copied from the cursor's line at [at, at+n);
 * lesson_text_set makes one in place. 0, or −1 when memory runs out. */
int lesson_text_add(lesson_texts *ts, const lesson_cursor *c, size_t at, size_t n);
int lesson_text_set(lesson_text *t, const lesson_cursor *c, size_t at, size_t n);
/* Read every placeholder and answer not read yet, in line order: 0, or −1 with err (line and column set). */
int lesson_text_finish(lesson *l, lesson_error *err);
void lesson_text_free(lesson_text *t);
void lesson_texts_free(lesson_texts *ts);
void lesson_place_free(lesson_place *p);

#endif
