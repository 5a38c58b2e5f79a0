/*
 * lesson_formula.c — a graph node printed back as a formula (see lesson_formula in lesson.h): names as
 * their labels, the tutor's symbols (·, −), and only the parentheses the precedence of the ops needs.
 */
#include "lesson.h"

#include <math.h>
#include <string.h>

#include "lesson_int.h"

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

/* The shortest decimal that reads back as v, written as the screen writes numbers (walk_format_number):
 * "10" and "0.001", not "1e+01" and "1e-03"; an exponent only below 1e−4 or from 1e15, as "1e−5" and "2e20",
 * with U+2212 for each minus sign. */
static void put_number(sbuf *b, double v)
{
    char tmp[48];
    for (int p = 1; p <= 17; p++) {
        lesson_format(tmp, sizeof tmp, "%.*g", p, v);
        if (lesson_strtod(tmp) == v)
            break;
    }
    if (strchr(tmp, 'e') && fabs(v) >= 1e-4 && fabs(v) < 1e15) {
        for (int p = 0; p <= 20; p++) {
            lesson_format(tmp, sizeof tmp, "%.*f", p, v);
            if (lesson_strtod(tmp) == v)
                break;
        }
    }
    for (const char *c = tmp; *c; c++) {
        char one[2] = { *c, 0 };
        if (*c == '-') {
            put(b, "\u2212");
        } else if (*c == 'e') {
            put(b, "e");
            if (c[1] == '+' || c[1] == '-')
                put(b, *++c == '-' ? "\u2212" : "");
            while (c[1] == '0' && c[2])
                c++;
        } else {
            put(b, one);
        }
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
        if (n->src[1] >= 0) { /* max(a, b) */
            put(b, ", ");
            put_node(l, n->src[1], 0, b);
        }
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
