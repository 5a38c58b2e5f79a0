/* plain.c — print the walkthrough as a handout (see plain.h). What a lesson wrote is printed through
 * text_printable: a control character cannot reach the reader's terminal, whatever the lesson holds.
 *
 * Nothing here draws: no box-drawing characters, no columns aligned with spaces, no colour — a screen reader
 * reads it top to bottom as sentences. Plain text is the tutor's own step text (walk_step_text); Markdown
 * puts the same pieces under headings, each formula a code span and the prose escaped, so that a `*` or an
 * `_` a lesson writes stays a character; a pair of backticks in the lesson's prose stays a code span. */
#include "plain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "i18n.h"
#include "quiz.h"
#include "text.h"
#include "walk.h"

enum { LINE = 1 << 14 };

/* One output line built from pieces: prose, or a formula (a code span in Markdown). */
struct line {
    char buf[LINE];
    size_t used;
    int md;
};

static void add_raw(struct line *ln, const char *s)
{
    size_t k = strlen(s);
    if (ln->used + k >= sizeof ln->buf)
        k = sizeof ln->buf - 1 - ln->used;
    memcpy(ln->buf + ln->used, s, k);
    ln->used += k;
    ln->buf[ln->used] = '\0';
}

/* Prose: in Markdown, every character that could start emphasis, a link, a code span, an HTML tag or a table
 * cell is escaped, and so is what would make the line a heading, a list item or a quote. */
static void add_text(struct line *ln, const char *s)
{
    if (!ln->md) {
        add_raw(ln, s);
        return;
    }
    const char *p = s;
    if (ln->used == 0) { /* a line's start: "# ", "> ", "- ", "+ ", "= " and "1. " mean something there */
        size_t digits = strspn(p, "0123456789");
        if (digits > 0 && digits < 40 && (p[digits] == '.' || p[digits] == ')')) {
            char num[64];
            snprintf(num, sizeof num, "%.*s\\", (int)digits, p);
            add_raw(ln, num);
            p += digits;
        } else if (*p && strchr("#>-+=", *p)) {
            add_raw(ln, "\\");
        }
    }
    for (; *p; p++) {
        char c[3] = { '\\', *p, 0 };
        add_raw(ln, strchr("\\`*_[]<>|~", *p) ? c : c + 1);
    }
}

/*
 * What a lesson wrote (its title, narration, notes, questions and hints): prose, except that in Markdown a
 * run of backticks closed by a run of as many on the same line is a code span, copied as it is (a lesson
 * writes `:set epochs 5` to mean the command). A backtick without its pair is escaped, as add_text does.
 */
static void add_prose(struct line *ln, const char *s)
{
    if (!ln->md) {
        add_raw(ln, s);
        return;
    }
    char piece[LINE];
    const char *p = s;
    while (*p) {
        const char *open = strchr(p, '`');
        if (!open) {
            add_text(ln, p);
            return;
        }
        size_t n = strspn(open, "`"), m = 0;
        const char *close = open + n;
        while ((close = strchr(close, '`')) != NULL && (m = strspn(close, "`")) != n)
            close += m;
        snprintf(piece, sizeof piece, "%.*s", (int)(open - p), p);
        add_text(ln, piece);
        if (close) {
            snprintf(piece, sizeof piece, "%.*s", (int)(close + n - open), open);
            add_raw(ln, piece);
            p = close + n;
        } else {
            for (size_t k = 0; k < n; k++)
                add_raw(ln, "\\`");
            p = open + n;
        }
    }
}

/* A formula: as it is in plain text; in Markdown a code span, fenced with more backticks than it holds. */
static void add_formula(struct line *ln, const char *s)
{
    if (!ln->md) {
        add_raw(ln, s);
        return;
    }
    int ticks = 0, run = 0;
    for (const char *p = s; *p; p++)
        run = *p == '`' ? run + 1 : 0, ticks = run > ticks ? run : ticks;
    char fence[8] = "";
    for (int i = 0; i <= ticks && i < 7; i++)
        fence[i] = '`';
    int pad = ticks > 0 || *s == ' ';
    add_raw(ln, fence);
    add_raw(ln, pad ? " " : "");
    add_raw(ln, s);
    add_raw(ln, pad ? " " : "");
    add_raw(ln, fence);
}

static void emit(FILE *out, struct line *ln)
{
    fputs(text_printable(ln->buf, 1), out);
    fputc('\n', out);
    ln->used = 0;
    ln->buf[0] = '\0';
}

/* Each line of text, each its own line of prose (a paragraph's lines in Markdown, joined by the viewer). */
static void emit_lines(FILE *out, struct line *ln, const char *prefix, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t k = nl ? (size_t)(nl - text) : strlen(text);
        char one[LINE];
        snprintf(one, sizeof one, "%.*s", (int)k, text);
        add_raw(ln, prefix);
        add_prose(ln, one);
        emit(out, ln);
        text += k + (nl != NULL);
    }
}

/* ---------------------------------------------------------------- the graph as text ------------ */

/* "w: a parameter, starting at 0." "ŷ = w · x, from w and x." "s^2, from s and the constant 2." — each node
 * the forward pass computes, in its order, with its inputs in order; unnamed constants are told as inputs. */
static void print_graph(FILE *out, const walk *w, const lesson *l, struct line *ln)
{
    if (ln->md)
        fprintf(out, "## %s\n\n", _("The graph"));
    add_text(ln, _("The graph, node by node in the order the forward pass computes them, each with its inputs in "
                   "order:"));
    emit(out, ln);
    if (ln->md)
        fputc('\n', out);
    char name[512], formula[1024], values[1024], in[512];
    for (int id = 0; id < graph_count(l->g); id++) {
        const graph_node *n = graph_node_at(l->g, id);
        const lesson_name *nm = lesson_node_name(l, id);
        if (!graph_live(l->g, id) || (n->op == GRAPH_OP_LEAF && !nm))
            continue;
        walk_node_name(w, id, name, sizeof name);
        add_raw(ln, ln->md ? "- " : "");
        if (n->op == GRAPH_OP_LEAF) {
            walk_format_values(w, id, values, sizeof values);
            add_formula(ln, name);
            /* TRANSLATORS: "w: a parameter, starting at 0." and "x: an input, 2." in the handout's list of nodes */
            add_text(ln, n->role == GRAPH_PARAM ? _(": a parameter, starting at ") : _(": an input, "));
            add_formula(ln, values);
        } else {
            lesson_formula(l, id, formula, sizeof formula);
            if (nm) {
                char both[2048];
                snprintf(both, sizeof both, "%s = %s", name, formula);
                add_formula(ln, both);
            } else {
                add_formula(ln, formula);
            }
            for (int k = 0; k < 2 && n->src[k] >= 0; k++) {
                const graph_node *src = graph_node_at(l->g, n->src[k]);
                /* TRANSLATORS: "ŷ = w · x, from w and x." and "s^2, from s and the constant 2." */
                add_text(ln, k == 0 ? _(", from ") : _(" and "));
                if (src->op == GRAPH_OP_LEAF && src->role == GRAPH_CONST && !lesson_node_name(l, n->src[k]))
                    add_text(ln, _("the constant "));
                walk_node_name(w, n->src[k], in, sizeof in);
                add_formula(ln, in);
            }
        }
        if (id == l->loss)
            add_text(ln, l->metric >= 0 ? _("; the loss that backward starts from") : _("; the loss"));
        else if (id == l->metric)
            add_text(ln, _("; the loss the table prints"));
        /* TRANSLATORS: the full stop that ends a node's line in the handout */
        add_text(ln, _("."));
        emit(out, ln);
    }
    fputc('\n', out);
}

/* ---------------------------------------------------------------- quizzes ---------------------- */

/* A quiz as it is asked, captured at its step of the first epoch and printed when the epoch ends. */
struct asked {
    char *question, *hint, *solution, *where;
    int printed; /* a worksheet's question, printed at its step */
};

static char *copy(const char *s) { return strdup(s ? s : ""); }

/* The quizzes in the order of their steps (those with none left out): each step looks only at the next. */
struct quiz_order {
    int *k, n, next;
    const quiz *q;
};

struct at { int step, k; };
static int by_step(const void *a, const void *b)
{
    const struct at *x = a, *y = b;
    return x->step != y->step ? (x->step > y->step) - (x->step < y->step) : (x->k > y->k) - (x->k < y->k);
}

static int order_quizzes(const quiz *q, int n, struct quiz_order *o)
{
    o->q = q;
    o->n = o->next = 0;
    o->k = malloc(((size_t)n + 1) * sizeof *o->k);
    struct at *at = malloc(((size_t)n + 1) * sizeof *at);
    if (!o->k || !at) {
        free(at);
        return -1;
    }
    for (int k = 0; k < n; k++)
        if (quiz_step(q, k) >= 0)
            at[o->n++] = (struct at){ quiz_step(q, k), k };
    qsort(at, (size_t)o->n, sizeof *at, by_step);
    for (int i = 0; i < o->n; i++)
        o->k[i] = at[i].k;
    free(at);
    return 0;
}

static void capture_quizzes(const walk *w, struct quiz_order *o, struct asked *a)
{
    char buf[LESSON_LINE_MAX * 2];
    const quiz *q = o->q;
    for (; walk_epoch(w) == 1 && o->next < o->n && quiz_step(q, o->k[o->next]) <= walk_index(w); o->next++) {
        int k = o->k[o->next];
        if (quiz_step(q, k) != walk_index(w))
            continue;
        quiz_question(q, k, buf, sizeof buf);
        a[k].question = copy(buf);
        quiz_hint(q, k, buf, sizeof buf);
        a[k].hint = copy(buf);
        quiz_solution(q, k, buf, sizeof buf);
        a[k].solution = copy(buf);
        int at, count;
        walk_phase_position(w, &at, &count);
        if (count > 1)
            /* TRANSLATORS: where a question of the handout is asked: "step 2, Forward pass 1/3" */
            snprintf(buf, sizeof buf, _("step %d, %s %d/%d"), walk_index(w) + 1,
                     _(walk_phase_title(walk_current(w)->phase)), at, count);
        else
            snprintf(buf, sizeof buf, _("step %d, %s"), walk_index(w) + 1,
                     _(walk_phase_title(walk_current(w)->phase)));
        a[k].where = copy(buf);
    }
}

/* One question, numbered, with its hint and its answer (or a blank); where: say at which step it is asked. */
static void print_question(FILE *out, const plain_options *o, const struct asked *q, int number, int where,
                           struct line *ln)
{
    const char *indent = "   ";
    char num[16];
    snprintf(num, sizeof num, "%d. ", number);
    add_raw(ln, num);
    add_prose(ln, q->question);
    if (where) {
        /* TRANSLATORS: the brackets around where a question is asked, "(step 3, Forward pass 2/3)" */
        add_text(ln, _(" ("));
        add_text(ln, q->where);
        add_text(ln, _(")"));
    }
    add_raw(ln, ln->md ? "  " : "");
    emit(out, ln);
    if (*q->hint) {
        add_raw(ln, indent);
        add_text(ln, _("Hint: "));
        add_prose(ln, q->hint);
        add_raw(ln, ln->md ? "  " : "");
        emit(out, ln);
    }
    add_raw(ln, indent);
    add_text(ln, _("Answer: "));
    if (o->no_answers)
        add_text(ln, "________________");
    else
        add_formula(ln, q->solution);
    emit(out, ln);
    if (ln->md)
        fputc('\n', out);
}

static void print_quizzes(FILE *out, const plain_options *o, int epoch, const struct quiz_order *order,
                          struct asked *a, struct line *ln)
{
    int any = 0;
    for (int i = 0; i < order->n; i++)
        any |= a[order->k[i]].question != NULL && a[order->k[i]].solution != NULL;
    if (!any)
        return;
    char head[64];
    snprintf(head, sizeof head, _("Questions on epoch %d"), epoch);
    fprintf(out, ln->md ? "### %s\n\n" : "%s\n", head);
    int number = 0;
    for (int i = 0; i < order->n; i++) {
        int k = order->k[i];
        if (a[k].question && a[k].solution)
            print_question(out, o, &a[k], ++number, 1, ln);
    }
    if (!ln->md)
        fputc('\n', out);
}

/* ---------------------------------------------------------------- the steps -------------------- */

/* One step in Markdown: a heading, the working as a code span, the narration, the engine's note, PyTorch;
 * held (a worksheet): as walk_step_text_held holds the result back. */
static void print_step_md(FILE *out, const walk *w, struct line *ln, int held)
{
    int at, count;
    walk_phase_position(w, &at, &count);
    if (walk_index(w) == 0) {
        fputs("## ", out);
        fprintf(out, _("Epoch %d"), walk_epoch(w));
        fputs("\n\n", out);
    }
    fprintf(out, "### %s", _(walk_phase_title(walk_current(w)->phase)));
    if (count > 1)
        fprintf(out, " %d/%d", at, count);
    fprintf(out, _(" · step %d of %d\n"), walk_index(w) + 1, walk_count(w));
    fputc('\n', out);
    char buf[LINE];
    if (walk_step_working(w, held, buf, sizeof buf)) {
        add_formula(ln, buf);
        emit(out, ln);
        fputc('\n', out);
    }
    const char *say = walk_handout_narration(w, held);
    if (*say) {
        emit_lines(out, ln, "", say);
        fputc('\n', out);
    }
    if (!held && walk_step_note(w, buf, sizeof buf)) {
        add_text(ln, _("Note: "));
        add_text(ln, buf);
        emit(out, ln);
        fputc('\n', out);
    }
    add_text(ln, _("PyTorch: "));
    add_formula(ln, walk_step_pytorch(w));
    emit(out, ln);
    fputc('\n', out);
}

static void print_notes(FILE *out, const walk *w, struct line *ln)
{
    const char *notes = walk_notes(w);
    if (!*notes)
        return;
    if (ln->md) {
        fprintf(out, "> **%s**\n>\n", _("For the teacher"));
        emit_lines(out, ln, "> ", notes);
    } else {
        fprintf(out, "%s\n", _("For the teacher:"));
        emit_lines(out, ln, "", notes);
    }
    fputc('\n', out);
}

int plain_handout(FILE *out, lesson *l, const plain_options *o)
{
    walk *w = walk_new(l);
    quiz *q = w ? quiz_new(l, w) : NULL;
    struct line *ln = malloc(sizeof *ln);
    char *text = malloc(1 << 16);
    struct asked *a = calloc((size_t)l->n_quiz + 1, sizeof *a);
    struct quiz_order order = { NULL, 0, 0, NULL };
    int status = 1;
    if (!w || !q || !ln || !text || !a || order_quizzes(q, l->n_quiz, &order) < 0)
        goto done;
    ln->used = 0;
    ln->buf[0] = '\0';
    ln->md = o->format == PLAIN_MARKDOWN;
    int epochs = o->epochs < 1 ? 1 : o->epochs, asked = 0;
    if (l->title) {
        if (ln->md)
            add_raw(ln, "# ");
        add_prose(ln, l->title);
        emit(out, ln);
        fputc('\n', out);
    }
    print_graph(out, w, l, ln);
    for (;;) {
        capture_quizzes(w, &order, a);
        if (ln->md) {
            print_step_md(out, w, ln, o->no_answers);
        } else {
            (o->no_answers ? walk_step_text_held : walk_step_text)(w, text, 1 << 16);
            fputs(text_printable(text, 1), out);
            fputc('\n', out);
        }
        if (o->notes && walk_epoch(w) == 1 && walk_index(w) == 0)
            print_notes(out, w, ln);
        if (o->no_answers) { /* a worksheet asks each question where it is asked, before a later step shows it */
            int here = 0;
            for (int i = 0; walk_epoch(w) == 1 && i < order.n; i++) {
                int k = order.k[i];
                if (a[k].question && a[k].solution && !a[k].printed && quiz_step(q, k) == walk_index(w)) {
                    print_question(out, o, &a[k], ++asked, 0, ln);
                    a[k].printed = here = 1;
                }
            }
            if (here && !ln->md)
                fputc('\n', out);
        } else if (walk_epoch(w) == 1 && walk_index(w) == walk_count(w) - 1) {
            print_quizzes(out, o, walk_epoch(w), &order, a, ln);
        }
        if (walk_epoch(w) == epochs && walk_index(w) == walk_count(w) - 1)
            break;
        walk_next(w);
    }
    status = 0;
done:
    for (int k = 0; a && k < l->n_quiz; k++)
        free(a[k].question), free(a[k].hint), free(a[k].solution), free(a[k].where);
    free(a);
    free(order.k);
    free(text);
    free(ln);
    quiz_free(q);
    walk_free(w);
    return status;
}

int plain_print(FILE *out, lesson *l, int epochs)
{
    plain_options o = { .epochs = epochs, .format = PLAIN_TEXT };
    return plain_handout(out, l, &o);
}
