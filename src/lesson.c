/*
 * lesson.c — the lesson language's statements, loading a lesson, and errors (see lesson.h and
 * lessons/FORMAT.md). The lexer, errors and names are in lesson_lex.c, expressions in lesson_expr.c, the
 * formula printer in lesson_formula.c; lesson_int.h is what they share.
 *
 * One line is one statement. A statement is checked completely before it touches the lesson (an
 * expression is read into a checked syntax tree before any graph node is made), so a line that fails
 * leaves the lesson as it was.
 */
#include "lesson.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson_int.h"
#include "text.h"

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
static const char *const setting_values[] = {
#define X(e, name, value, help) value,
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
const char *lesson_setting_value(enum lesson_setting s)
{
    return (int)s >= 0 && s < LESSON_SET_COUNT ? setting_values[s] : "";
}
const char *lesson_phase_name(enum lesson_phase p)
{
    return (int)p >= 0 && p < LESSON_PHASE_COUNT ? phase_names[p] : "?";
}
static int lookup(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}
int lesson_statement_lookup(const char *name) { return lookup(statement_names, LESSON_STMT_COUNT, name); }
int lesson_setting_lookup(const char *name) { return lookup(setting_names, LESSON_SET_COUNT, name); }
int lesson_phase_lookup(const char *name) { return lookup(phase_names, LESSON_PHASE_COUNT, name); }

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
    l->last_quiz = -1;
    return l;
}

static void quiz_free(lesson_quiz *q)
{
    lesson_text_free(&q->question);
    lesson_texts_free(&q->hint);
    free(q->answer);
    lesson_place_free(&q->answer_at);
    lesson_expr_free(q->expr);
}

void lesson_free(lesson *l)
{
    if (!l)
        return;
    graph_free(l->g);
    for (int i = 0; i < l->n_names; i++) {
        free(l->names[i].name);
        free(l->names[i].label);
        lesson_texts_free(&l->names[i].explain);
    }
    free(l->names);
    free(l->index.slot);
    free(l->node_name);
    for (int i = 0; i < LESSON_PHASE_COUNT; i++)
        lesson_texts_free(&l->say[i]);
    lesson_texts_free(&l->notes);
    for (int i = 0; i < l->n_quiz; i++)
        quiz_free(&l->quiz[i]);
    free(l->quiz);
    for (int i = 0; i < l->n_layers; i++) {
        free(l->layers[i].title);
        free(l->layers[i].unit);
    }
    free(l->layers);
    free(l->title);
    free(l);
}

/* The rest of the line as text: after the blanks, to the end, trailing blanks trimmed ('#' is text). */
static void rest_text(lesson_cursor *c, const char **s, size_t *n)
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
static int read_definition(lesson *l, lesson_cursor *c, const char *keyword, char *name)
{
    int ch = peek(c);
    size_t at = c->pos;
    if (!is_alpha(ch)) {
        if (ch == 0)
            return lesson_fail(c, c->pos, _("expected a name after '%s'"), keyword);
        char tok[32];
        if (ch >= 0x80)
            return lesson_fail(c, at, _("a name is ASCII letters, digits and '_': write %s yhat and then 'label yhat %s'"),
                               keyword, lesson_token_at(c, at, tok, sizeof tok));
        return lesson_fail(c, at, _("expected a name after '%s', not '%s'"), keyword,
                           lesson_token_at(c, at, tok, sizeof tok));
    }
    size_t n = lesson_read_word(c, name);
    if (n > LESSON_NAME_MAX)
        return lesson_fail(c, at, _("name is too long (more than %d characters)"), LESSON_NAME_MAX);
    if (lesson_is_function(name))
        return lesson_fail(c, at, _("'%s' is a function; choose another name"), name);
    if (lesson_is_setting_word(name))
        return lesson_fail(c, at, _("'%s' is a setting; choose another name"), name);
    int old = lesson_find(l, name);
    if (old >= 0) {
        if (l->names[old].line > 0)
            return lesson_fail(c, at, _("'%s' is already defined (on line %d)"), name, l->names[old].line);
        return lesson_fail(c, at, _("'%s' is already defined"), name);
    }
    ch = peek(c);
    if (ch != '=') {
        char tok[32];
        if (ch == 0)
            return lesson_fail(c, c->pos, _("expected '=' after '%s'"), name);
        return lesson_fail(c, c->pos, _("expected '=' after '%s', not '%s'"), name,
                           lesson_token_at(c, c->pos, tok, sizeof tok));
    }
    c->pos++;
    return 0;
}

/* Record a new name for graph node id. */
static int add_name(lesson *l, lesson_cursor *c, const char *name, enum lesson_kind kind, int id)
{
    char *dup = lesson_dup(name, strlen(name));
    if (!dup || sync_nodes(l) < 0 ||
        reserve((void **)&l->names, &l->cap_names, l->n_names + 1, sizeof *l->names) < 0) {
        free(dup);
        return lesson_fail(c, 0, _("out of memory"));
    }
    l->names[l->n_names] = (lesson_name){ dup, NULL, kind, id, c->line, { NULL, 0, 0 } };
    l->node_name[id] = l->n_names++;
    return 0;
}

/* param and input: NAME = NUMBER[, NUMBER…] */
static int define_leaf(lesson *l, lesson_cursor *c, enum lesson_kind kind)
{
    char name[LESSON_NAME_MAX + 1];
    if (read_definition(l, c, kind_names[kind], name) < 0)
        return -1;
    double *v = NULL;
    int n = 0, cap = 0;
    for (;;) {
        double x;
        if (lesson_read_signed(c, &x) < 0)
            goto fail;
        if (reserve((void **)&v, &cap, n + 1, sizeof *v) < 0) {
            lesson_fail(c, c->pos, _("out of memory"));
            goto fail;
        }
        v[n++] = x;
        if (peek(c) != ',')
            break;
        c->pos++;
    }
    /* TRANSLATORS: completes "unexpected '%s' after %s": what comes after the '=' of a param or an input */
    if (lesson_expect_end(c, _("the numbers")) < 0)
        goto fail;
    int id = kind == LESSON_PARAM ? graph_param(l->g, v, n) : graph_input(l->g, v, n);
    free(v);
    if (id < 0) /* out of memory, or too large */
        return lesson_fail(c, 0, _("cannot build the graph: %s"), _(graph_status_message(graph_error(l->g))));
    return add_name(l, c, name, kind, id);
fail:
    free(v);
    return -1;
}

static int stmt_PARAM(lesson *l, lesson_cursor *c) { return define_leaf(l, c, LESSON_PARAM); }
static int stmt_INPUT(lesson *l, lesson_cursor *c) { return define_leaf(l, c, LESSON_INPUT); }

/* let, loss and metric: NAME = EXPR */
static int define_node(lesson *l, lesson_cursor *c, enum lesson_kind kind)
{
    size_t kw = 0;
    while (kw < c->len && is_space(c->s[kw]))
        kw++;
    char name[LESSON_NAME_MAX + 1];
    if (read_definition(l, c, kind_names[kind], name) < 0)
        return -1;
    if (kind == LESSON_LOSS && l->loss >= 0) {
        const lesson_name *old = lesson_node_name(l, l->loss);
        return lesson_fail(c, kw, _("a lesson has exactly one loss, and it is already '%s'"), old ? old->name : "?");
    }
    if (kind == LESSON_METRIC && l->metric >= 0) {
        const lesson_name *old = lesson_node_name(l, l->metric);
        return lesson_fail(c, kw, _("a lesson has at most one metric, and it is already '%s'"), old ? old->name : "?");
    }
    lesson_tree t;
    skip_space(c);
    size_t expr_at = c->pos;
    int root = lesson_tree_read(c, l, LESSON_MODE_MODEL, &t);
    int rc = -1, id;
    if (root < 0)
        goto done;
    if (t.n[root].kind == LESSON_AST_NAME) {
        const char *old = l->names[t.n[root].name].name;
        lesson_fail(c, expr_at, _("'%s = %s' would only rename '%s': give it an operation, or use 'label %s TEXT'"), name,
                    old, old, old);
        goto done;
    }
    if ((kind == LESSON_LOSS || kind == LESSON_METRIC) && t.n[root].len != 1) {
        lesson_fail(c, expr_at, kind == LESSON_LOSS
                                    ? _("the loss must be one number, but this has %d values: wrap it in mean() or sum()")
                                    : _("the metric must be one number, but this has %d values: wrap it in mean() or sum()"),
                    t.n[root].len);
        goto done;
    }
    size_t at;
    enum graph_status st = lesson_tree_build(l, &t, root, &id, &at);
    if (st != GRAPH_OK) {
        lesson_fail(c, at, _("cannot build the graph: %s"), _(graph_status_message(st)));
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
    lesson_tree_free(&t);
    return rc;
}

static int stmt_LET(lesson *l, lesson_cursor *c) { return define_node(l, c, LESSON_LET); }
static int stmt_LOSS(lesson *l, lesson_cursor *c) { return define_node(l, c, LESSON_LOSS); }
static int stmt_METRIC(lesson *l, lesson_cursor *c) { return define_node(l, c, LESSON_METRIC); }

/* A name that must already exist; returns its index. */
static int existing_name(lesson *l, lesson_cursor *c, const char *keyword)
{
    char w[LESSON_NAME_MAX + 1];
    int ch = peek(c);
    size_t at = c->pos;
    if (!is_alpha(ch))
        return lesson_fail(c, at, _("expected a name after '%s'"), keyword);
    lesson_read_word(c, w);
    int i = lesson_find(l, w);
    if (i < 0)
        return lesson_unknown_name(l, c, w, at);
    return i;
}

static int stmt_LABEL(lesson *l, lesson_cursor *c)
{
    int i = existing_name(l, c, "label");
    if (i < 0)
        return -1;
    const char *s;
    size_t n;
    size_t at = c->pos;
    rest_text(c, &s, &n);
    if (n == 0)
        return lesson_fail(c, at, _("expected the label after the name, as in 'label yhat ŷ'"));
    if (n > 32)
        return lesson_fail(c, (size_t)(s - c->s), _("label is too long (more than 32 bytes)"));
    char *d = lesson_dup(s, n);
    if (!d)
        return lesson_fail(c, at, _("out of memory"));
    free(l->names[i].label);
    l->names[i].label = d;
    return 0;
}

static int stmt_SET(lesson *l, lesson_cursor *c)
{
    char w[LESSON_NAME_MAX + 1], tok[32], list[128];
    int ch = peek(c);
    size_t at = c->pos;
    if (!is_alpha(ch))
        return lesson_fail(c, at, _("expected a setting after 'set' (%s)"),
                           name_list(setting_names, LESSON_SET_COUNT, list, sizeof list));
    lesson_read_word(c, w);
    int s = lesson_setting_lookup(w);
    if (s < 0)
        return lesson_fail(c, at, _("unknown setting '%s' (settings: %s)"), w,
                           name_list(setting_names, LESSON_SET_COUNT, list, sizeof list));
    if (peek(c) == '=')
        c->pos++;
    ch = peek(c);
    size_t vat = c->pos;
    if (ch == 0)
        return lesson_fail(c, vat, _("expected a value for '%s'"), w);
    switch ((enum lesson_setting)s) {
    case LESSON_SET_LR: {
        double v;
        lesson_cursor probe = *c;
        lesson_error scratch;
        probe.err = &scratch;
        if (lesson_read_signed(&probe, &v) < 0 || v <= 0 || peek(&probe) != 0)
            return lesson_fail(c, vat, _("lr must be a positive number, not '%s'"),
                               lesson_value_at(c, vat, tok, sizeof tok));
        c->pos = probe.pos;
        l->lr = v;
        return 0;
    }
    case LESSON_SET_EPOCHS: {
        long v = 0;
        size_t p = vat;
        while (p < c->len && is_digit(c->s[p]) && v <= 1000000)
            v = v * 10 + (c->s[p++] - '0');
        lesson_cursor probe = *c;
        probe.pos = p;
        if (p == vat || v > 1000000 || (p < c->len && !is_space(c->s[p]) && c->s[p] != '#') || peek(&probe) != 0)
            return lesson_fail(c, vat, _("epochs must be a whole number from 0 to 1000000, not '%s'"),
                               lesson_value_at(c, vat, tok, sizeof tok));
        c->pos = p;
        l->epochs = (int)v;
        return 0;
    }
    case LESSON_SET_PRECISION: {
        char v[LESSON_NAME_MAX + 1] = "";
        lesson_read_word(c, v);
        int pr = graph_precision_lookup(v);
        if (pr < 0 || peek(c) != 0)
            return lesson_fail(c, vat, _("precision must be float64, float32 or mixed, not '%s'"),
                               lesson_value_at(c, vat, tok, sizeof tok));
        graph_set_precision(l->g, (enum graph_precision)pr);
        return 0;
    }
    case LESSON_SET_COUNT:
        break;
    }
    return -1;
}

static int stmt_TITLE(lesson *l, lesson_cursor *c)
{
    const char *s;
    size_t n, at;
    skip_space(c);
    at = c->pos;
    rest_text(c, &s, &n);
    if (n == 0)
        return lesson_fail(c, at, _("expected the title after 'title'"));
    char *d = lesson_dup(s, n);
    if (!d)
        return lesson_fail(c, at, _("out of memory"));
    free(l->title);
    l->title = d;
    l->title_retired = 0; /* the learner's own title names their model */
    return 0;
}

static int stmt_LANG(lesson *l, lesson_cursor *c)
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
    lesson_cursor probe = *c;
    probe.pos = p;
    if (ch == 0 || letters < 2 || letters > 3 || n >= sizeof l->lang || peek(&probe) != 0) {
        char tok[32];
        if (ch == 0)
            return lesson_fail(c, at, _("expected a language tag such as 'en' or 'zh-TW'"));
        return lesson_fail(c, at, _("'%s' is not a language tag such as 'en' or 'zh-TW'"),
                           lesson_value_at(c, at, tok, sizeof tok));
    }
    memcpy(l->lang, c->s + at, n);
    l->lang[n] = '\0';
    c->pos = c->len;
    return 0;
}

static int read_phase(lesson_cursor *c, const char *keyword)
{
    char w[LESSON_NAME_MAX + 1], list[128];
    int ch = peek(c);
    size_t at = c->pos;
    if (!is_alpha(ch))
        return lesson_fail(c, at, _("expected a phase after '%s' (%s)"), keyword,
                           name_list(phase_names, LESSON_PHASE_COUNT, list, sizeof list));
    lesson_read_word(c, w);
    int ph = lesson_phase_lookup(w);
    if (ph < 0)
        return lesson_fail(c, at, _("unknown phase '%s' (phases: %s)"), w,
                           name_list(phase_names, LESSON_PHASE_COUNT, list, sizeof list));
    return ph;
}

/* The rest of the line as one more text line of ts. */
static int add_text(lesson *l, lesson_cursor *c, lesson_texts *ts)
{
    const char *s;
    size_t n;
    rest_text(c, &s, &n);
    if (lesson_text_add(ts, c, (size_t)(s - c->s), n) < 0)
        return lesson_fail(c, 0, _("out of memory"));
    l->last_texts = ts;
    return 0;
}

static int stmt_SAY(lesson *l, lesson_cursor *c)
{
    int ph = read_phase(c, "say");
    return ph < 0 ? -1 : add_text(l, c, &l->say[ph]);
}

/* A say line that tells the learner what to press or type: shown on the screen, not printed in a handout. */
static int stmt_TRY(lesson *l, lesson_cursor *c)
{
    int ph = read_phase(c, "try");
    if (ph < 0 || add_text(l, c, &l->say[ph]) < 0)
        return -1;
    l->say[ph].v[l->say[ph].n - 1].screen = 1;
    return 0;
}

static int stmt_EXPLAIN(lesson *l, lesson_cursor *c)
{
    int i = existing_name(l, c, "explain");
    return i < 0 ? -1 : add_text(l, c, &l->names[i].explain);
}

static int stmt_NOTE(lesson *l, lesson_cursor *c) { return add_text(l, c, &l->notes); }

static int stmt_QUIZ(lesson *l, lesson_cursor *c)
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
            return lesson_fail(c, c->pos, _("expected ':' and the question, as in 'quiz forward s: What is s?'"));
        return lesson_fail(c, c->pos, _("expected ':' before the question, not '%s'"),
                           lesson_token_at(c, c->pos, tok, sizeof tok));
    }
    c->pos++;
    const char *s;
    size_t n, at;
    skip_space(c);
    at = c->pos;
    rest_text(c, &s, &n);
    if (n == 0)
        return lesson_fail(c, at, _("expected the question after ':'"));
    if (reserve((void **)&l->quiz, &l->cap_quiz, l->n_quiz + 1, sizeof *l->quiz) < 0)
        return lesson_fail(c, at, _("out of memory"));
    lesson_quiz *q = &l->quiz[l->n_quiz];
    *q = (lesson_quiz){ .phase = (enum lesson_phase)ph, .node = node, .line = c->line };
    if (lesson_text_set(&q->question, c, (size_t)(s - c->s), n) < 0)
        return lesson_fail(c, at, _("out of memory"));
    l->last_quiz = l->n_quiz++;
    return 0;
}

static int stmt_ANSWER(lesson *l, lesson_cursor *c)
{
    size_t kw = 0;
    while (kw < c->len && is_space(c->s[kw]))
        kw++;
    if (l->n_quiz == 0)
        return lesson_fail(c, kw, _("'answer' needs a 'quiz' line before it"));
    lesson_quiz *q = &l->quiz[l->n_quiz - 1];
    if (q->answer)
        return lesson_fail(c, kw, _("this quiz already has an answer"));
    /* read with the rest of the text once the whole lesson is (lesson_text_finish): it may name any node */
    skip_space(c);
    size_t at = c->pos, end = at;
    while (end < c->len && c->s[end] != '#')
        end++;
    while (end > at && is_space(c->s[end - 1]))
        end--;
    if (end == at)
        return lesson_fail(c, at, _("expected the answer after 'answer'"));
    q->answer = lesson_dup(c->s + at, end - at);
    q->answer_at = (lesson_place){ c->line, at, lesson_dup(c->s, c->len) };
    if (!q->answer || !q->answer_at.source) {
        free(q->answer);
        q->answer = NULL;
        lesson_place_free(&q->answer_at);
        return lesson_fail(c, at, _("out of memory"));
    }
    l->last_quiz = -1;
    l->last_answer = l->n_quiz - 1;
    c->pos = c->len;
    return 0;
}

static int stmt_HINT(lesson *l, lesson_cursor *c)
{
    size_t kw = 0;
    while (kw < c->len && is_space(c->s[kw]))
        kw++;
    if (l->n_quiz == 0)
        return lesson_fail(c, kw, _("'hint' needs a 'quiz' line before it"));
    lesson_quiz *q = &l->quiz[l->n_quiz - 1];
    skip_space(c);
    if (peek(c) == 0 && c->pos >= c->len)
        return lesson_fail(c, c->pos, _("expected the hint after 'hint'"));
    return add_text(l, c, &q->hint);
}

/* ---------------------------------------------------------------- layers of the network view --- */

/* Is node `from` one of the nodes `to` is computed from (or `to` itself)? Ids only decrease along inputs. */
static int computed_from(const graph *g, int to, int from, int *stack, unsigned char *seen)
{
    int top = 0;
    memset(seen, 0, (size_t)graph_count(g));
    stack[top++] = to;
    seen[to] = 1;
    while (top) {
        int id = stack[--top];
        if (id == from)
            return 1;
        const graph_node *gn = graph_node_at(g, id);
        for (int k = 0; k < 2; k++)
            if (gn->src[k] >= from && !seen[gn->src[k]]) {
                seen[gn->src[k]] = 1;
                stack[top++] = gn->src[k];
            }
    }
    return 0;
}

/* The layer a node is a unit of, or -1. */
static int layer_of(const lesson *l, int id)
{
    for (int i = 0; i < l->n_layers; i++)
        for (int k = 0; k < l->layers[i].n; k++)
            if (l->layers[i].unit[k] == id)
                return i;
    return -1;
}

/* Can unit id join a new layer after l's layers, beside the units in unit[0..n)? 0, or -1 with the error at
 * `at`: a unit comes after every unit it is computed from, in a later layer. */
static int layer_order(const lesson *l, lesson_cursor *c, const char *name, int id, const int *unit, int n,
                       size_t at)
{
    int count = graph_count(l->g), rc = 0;
    int *stack = malloc((size_t)count * sizeof *stack);
    unsigned char *seen = malloc((size_t)count);
    if (!stack || !seen) {
        rc = lesson_fail(c, at, _("out of memory"));
        goto done;
    }
    for (int k = 0; k < n && rc == 0; k++) {
        const lesson_name *other = lesson_node_name(l, unit[k]);
        const char *them = other ? other->name : "?";
        if (computed_from(l->g, id, unit[k], stack, seen))
            rc = lesson_fail(c, at, _("'%s' is computed from '%s', which is in this layer too: put '%s' in a later layer"),
                             name, them, name);
        else if (computed_from(l->g, unit[k], id, stack, seen))
            rc = lesson_fail(c, at, _("'%s' is computed from '%s', which is in this layer too: put '%s' in a later layer"),
                             them, name, them);
    }
    for (int i = 0; i < l->n_layers && rc == 0; i++)
        for (int k = 0; k < l->layers[i].n && rc == 0; k++)
            if (computed_from(l->g, l->layers[i].unit[k], id, stack, seen)) {
                const lesson_name *other = lesson_node_name(l, l->layers[i].unit[k]);
                rc = lesson_fail(c, at, _("'%s' feeds '%s' of the earlier layer '%s': layers go from the inputs to the loss"),
                                 name, other ? other->name : "?", l->layers[i].title);
            }
done:
    free(stack);
    free(seen);
    return rc;
}

/* layer TITLE: NAME NAME … (commas between the names are allowed) */
static int stmt_LAYER(lesson *l, lesson_cursor *c)
{
    skip_space(c);
    size_t at = c->pos, colon = at;
    while (colon < c->len && c->s[colon] != ':' && c->s[colon] != '#')
        colon++;
    if (colon == c->len || c->s[colon] != ':')
        return lesson_fail(c, colon, _("expected ':' after the layer's title, as in 'layer hidden: h1 h2'"));
    size_t end = colon;
    while (end > at && is_space(c->s[end - 1]))
        end--;
    if (end == at)
        return lesson_fail(c, at, _("expected the layer's title before ':', as in 'layer hidden: h1 h2'"));
    if (end - at > 32)
        return lesson_fail(c, at, _("a layer's title is at most 32 bytes"));
    for (int i = 0; i < l->n_layers; i++)
        if (strlen(l->layers[i].title) == end - at && memcmp(l->layers[i].title, c->s + at, end - at) == 0) {
            if (l->layers[i].line > 0)
                return lesson_fail(c, at, _("there is a layer '%s' already (on line %d)"), l->layers[i].title,
                                   l->layers[i].line);
            return lesson_fail(c, at, _("there is a layer '%s' already"), l->layers[i].title);
        }
    c->pos = colon + 1;
    int *unit = NULL, n = 0, cap = 0;
    for (;;) {
        int ch = peek(c);
        if (ch == 0)
            break;
        if (ch == ',' && n > 0) {
            c->pos++;
            ch = peek(c);
        }
        size_t name_at = c->pos;
        char w[LESSON_NAME_MAX + 1], tok[32];
        if (!is_alpha(ch)) {
            lesson_fail(c, name_at, _("expected a name, not '%s'"), lesson_token_at(c, name_at, tok, sizeof tok));
            goto fail;
        }
        lesson_read_word(c, w);
        int i = lesson_find(l, w);
        if (i < 0) {
            lesson_unknown_name(l, c, w, name_at);
            goto fail;
        }
        const lesson_name *nm = &l->names[i];
        int id = nm->id, was = layer_of(l, id);
        if (nm->kind == LESSON_PARAM) {
            lesson_fail(c, name_at, _("'%s' is a parameter: it is a weight on an edge or a bias inside a neuron, "
                                    "not a unit of a layer"), w);
            goto fail;
        }
        if (nm->kind == LESSON_LOSS || nm->kind == LESSON_METRIC) {
            lesson_fail(c, name_at, nm->kind == LESSON_LOSS
                                        ? _("'%s' is the loss: the network view draws it after the last layer")
                                        : _("'%s' is the metric: the network view draws it after the last layer"), w);
            goto fail;
        }
        if (was >= 0) {
            lesson_fail(c, name_at, _("'%s' is already in the layer '%s'"), w, l->layers[was].title);
            goto fail;
        }
        for (int k = 0; k < n; k++)
            if (unit[k] == id) {
                lesson_fail(c, name_at, _("'%s' is twice in this layer"), w);
                goto fail;
            }
        if (layer_order(l, c, w, id, unit, n, name_at) < 0)
            goto fail;
        if (reserve((void **)&unit, &cap, n + 1, sizeof *unit) < 0) {
            lesson_fail(c, name_at, _("out of memory"));
            goto fail;
        }
        unit[n++] = id;
    }
    if (n == 0)
        return lesson_fail(c, c->pos, _("expected the layer's units after ':', as in 'layer hidden: h1 h2'"));
    char *title = lesson_dup(c->s + at, end - at);
    if (!title || reserve((void **)&l->layers, &l->cap_layers, l->n_layers + 1, sizeof *l->layers) < 0) {
        free(title);
        lesson_fail(c, at, _("out of memory"));
        goto fail;
    }
    l->layers[l->n_layers++] = (lesson_layer){title, unit, n, c->line};
    return 0;
fail:
    free(unit);
    return -1;
}

typedef int (*statement_fn)(lesson *, lesson_cursor *);
static const statement_fn statement_run[] = {
#define X(e, kw, args, help) stmt_##e,
    LESSON_STATEMENTS(X)
#undef X
};
_Static_assert(sizeof statement_run / sizeof statement_run[0] == LESSON_STMT_COUNT, "statement table");

/* The statement whose keyword starts at the cursor (after blanks), leaving the cursor after the word; -1 when
 * the word there is none. w receives the word ("" when the line does not start with one). */
static int read_keyword(lesson_cursor *c, char *w)
{
    w[0] = '\0';
    if (!is_alpha(peek(c)))
        return -1;
    lesson_read_word(c, w);
    return lesson_statement_lookup(w);
}

void lesson_line_read(const char *text, size_t len, lesson_line *out)
{
    memset(out, 0, sizeof *out);
    out->statement = -1;
    lesson_error scratch;
    lesson_cursor c = {text, len, 0, 0, &scratch};
    char w[LESSON_NAME_MAX + 1];
    skip_space(&c);
    size_t keyword = c.pos;
    int st = read_keyword(&c, w);
    if (st < 0 || (c.pos < len && !is_space(text[c.pos]) && text[c.pos] != '#'))
        return;
    out->statement = st;
    out->keyword = keyword;
    skip_space(&c);
    out->args = c.pos;
    if (st == LESSON_STMT_QUIZ && is_alpha(peek(&c))) /* quiz PHASE NAME: the name after the phase */
        lesson_read_word(&c, w);
    int named = st == LESSON_STMT_PARAM || st == LESSON_STMT_INPUT || st == LESSON_STMT_LET ||
                st == LESSON_STMT_LOSS || st == LESSON_STMT_METRIC;
    if ((named || st == LESSON_STMT_LABEL || st == LESSON_STMT_EXPLAIN || st == LESSON_STMT_QUIZ ||
         st == LESSON_STMT_SET) && is_alpha(peek(&c))) {
        out->name_at = c.pos;
        lesson_read_word(&c, out->name);
        out->defines = named;
    }
    if (st == LESSON_STMT_ANSWER) {
        out->expr = out->args;
    } else if ((st == LESSON_STMT_LET || st == LESSON_STMT_LOSS || st == LESSON_STMT_METRIC) && out->defines &&
               peek(&c) == '=') {
        c.pos++;
        skip_space(&c);
        out->expr = c.pos;
    }
}

/* Run one line; *is_statement says whether it was more than a blank or a comment. */
static int exec(lesson *l, const char *s, size_t len, int line, lesson_error *err, int *is_statement)
{
    lesson_cursor c = {s, len, 0, line, err};
    *is_statement = 0;
    l->last_texts = NULL;
    l->last_quiz = l->last_answer = -1;
    if (lesson_check_bytes(&c) < 0)
        return -1;
    if (peek(&c) == 0)
        return 0;
    *is_statement = 1;
    size_t at = c.pos;
    char w[LESSON_NAME_MAX + 1], tok[32];
    if (!is_alpha(c.s[at]))
        return lesson_fail(&c, at, _("expected a statement, not '%s'"), lesson_token_at(&c, at, tok, sizeof tok));
    int st = read_keyword(&c, w);
    if (st >= 0) {
        if (c.pos < c.len && !is_space(c.s[c.pos]) && c.s[c.pos] != '#')
            return lesson_fail(&c, c.pos, _("expected a blank after '%s'"), w);
        return statement_run[st](l, &c);
    }
    if (peek(&c) == '=')
        return lesson_fail(&c, at, _("unknown statement '%s': to define a name write 'let %s = ...'"), w, w);
    char list[256];
    return lesson_fail(&c, at, _("unknown statement '%s' (statements: %s)"), lesson_token_at(&c, at, tok, sizeof tok),
                       name_list(statement_names, LESSON_STMT_COUNT, list, sizeof list));
}

int lesson_exec_line(lesson *l, const char *line, lesson_error *err)
{
    int is_statement;
    if (exec(l, line, strlen(line), 0, err, &is_statement) < 0)
        return -1;
    /* a line typed on its own has every name it can name: read its placeholders now, or take it back */
    if (lesson_text_finish(l, err) < 0) {
        err->line = 0;
        lesson_drop_last_text(l);
        return -1;
    }
    graph_set_roots(l->g, l->loss, l->metric);
    return 0;
}

void lesson_drop_last_text(lesson *l)
{
    if (l->last_texts && l->last_texts->n > 0) {
        lesson_text_free(&l->last_texts->v[--l->last_texts->n]);
    } else if (l->last_quiz >= 0 && l->last_quiz == l->n_quiz - 1) {
        quiz_free(&l->quiz[--l->n_quiz]);
    } else if (l->last_answer >= 0 && l->last_answer < l->n_quiz) {
        lesson_quiz *q = &l->quiz[l->last_answer];
        free(q->answer);
        q->answer = NULL;
        lesson_place_free(&q->answer_at);
        lesson_expr_free(q->expr);
        q->expr = NULL;
    }
    l->last_texts = NULL;
    l->last_quiz = l->last_answer = -1;
}

int lesson_validate(const lesson *l, lesson_error *err)
{
    memset(err, 0, sizeof *err);
    if (l->loss < 0) {
        err->col = 1;
        snprintf(err->message, sizeof err->message,
                 _("the lesson has no loss: add a line such as 'loss L = mean(s^2)'"));
        return -1;
    }
    for (int i = 0; i < l->n_quiz; i++)
        if (!l->quiz[i].answer) {
            err->line = l->quiz[i].line;
            err->col = 1;
            snprintf(err->message, sizeof err->message, _("this quiz has no answer: add an 'answer' line after it"));
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
        snprintf(err->message, sizeof err->message, _("out of memory"));
        return NULL;
    }

    /* First pass: where each name is defined, so that a use before it can be told from a typo. */
    struct lesson_pending pending = {NULL, 0};
    int cap = 0, line = 1;
    for (size_t i = 0; i < len; line++) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        lesson_line what;
        lesson_line_read(text + i, e - i, &what);
        if (what.defines && reserve((void **)&pending.v, &cap, pending.n + 1, sizeof *pending.v) == 0)
            pending.v[pending.n++] = (struct lesson_pending_name){text + i + what.name_at, strlen(what.name), line};
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
    if (statements > 0 && lesson_text_finish(l, err) < 0) {
        lesson_free(l);
        return NULL;
    }
    graph_set_roots(l->g, l->loss, l->metric);
    if (statements == 0) {
        memset(err, 0, sizeof *err);
        err->line = 1;
        err->col = 1;
        snprintf(err->message, sizeof err->message, _("the lesson is empty: it has no statements"));
        const char *s;
        size_t n;
        find_line(text, len, 1, &s, &n);
        lesson_keep_source(err, s, n);
        lesson_free(l);
        return NULL;
    }
    if (lesson_validate(l, err) < 0) {
        if (err->line == 0)
            err->line = last;
        const char *s;
        size_t n;
        find_line(text, len, err->line, &s, &n);
        lesson_keep_source(err, s, n);
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

enum { FILE_MAX = LESSON_FILE_MAX };

int lesson_read_file(const char *path, char **out, size_t *out_len, lesson_error *err)
{
    memset(err, 0, sizeof *err);
    /* Opened without blocking, so that a FIFO no one writes to is an empty file, not a wait for a writer
     * forever (a FIFO called x.lesson among the lessons, in --list or the picker); then read as usual, so that
     * a pipe that has a writer (bptutor <(generate)) is read to its end. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    FILE *f = fd >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        snprintf(err->message, sizeof err->message, _("cannot open: %s"), strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    while (text) {
        if (len == cap) {
            if (cap >= FILE_MAX) {
                snprintf(err->message, sizeof err->message, _("file is too large (more than %d MiB)"), FILE_MAX >> 20);
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
        snprintf(err->message, sizeof err->message, _("cannot read: %s"), text ? strerror(errno) : _("out of memory"));
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
        lesson_line what;
        lesson_line_read(text + i, k, &what);
        if (what.statement == LESSON_STMT_TITLE) {
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

