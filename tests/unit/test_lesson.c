/*
 * test_lesson.c — the lesson language: precedence, formula printing, one-line statements that fail
 * without a trace, evaluation of answers, and the two shipped lessons read through the API.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson.h"
#include "decimal_comma.h"

/* A lesson built from lines, failing the test (with the diagnostic) if any line is refused. */
static lesson *build(const char *text)
{
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    if (!l) {
        char buf[1024];
        lesson_error_format(&err, "<test>", buf, sizeof buf);
        print_error("%s", buf);
        fail();
    }
    return l;
}

static lesson *load_shipped(const char *name)
{
    char path[1024];
    const char *top = getenv("TOP");
    snprintf(path, sizeof path, "%s/lessons/en/%s", top ? top : ".", name);
    lesson_error err;
    lesson *l = lesson_load(path, &err);
    if (!l) {
        char buf[1024];
        lesson_error_format(&err, path, buf, sizeof buf);
        print_error("%s", buf);
        fail();
    }
    return l;
}

static const graph_node *named(const lesson *l, const char *name)
{
    int i = lesson_find(l, name);
    assert_true(i >= 0);
    return graph_node_at(l->g, l->names[i].id);
}

static int named_id(const lesson *l, const char *name) { return l->names[lesson_find(l, name)].id; }

static void formula_is(const lesson *l, const char *name, const char *expected)
{
    char buf[256];
    int i = lesson_find(l, name);
    assert_true(i >= 0);
    lesson_formula(l, l->names[i].id, buf, sizeof buf);
    assert_string_equal(buf, expected);
}

/* A formula writes its numbers as the screen does: "10", not "1e+01"; "1e−5" and "2e20", not "1e-05". */
static void formula_numbers_are_written_as_the_screen_writes_numbers(void **state)
{
    (void)state;
    lesson *l = build("input x = 3\n"
                      "let a = x / 10 + 100\n"
                      "let b = 0.00001 * x - 0.001\n"
                      "let c = 2e20 * x + 1.5e-7\n"
                      "loss L = a + b + c\n");
    formula_is(l, "a", "x / 10 + 100");
    formula_is(l, "b", "1e\u22125 \u00b7 x \u2212 0.001");
    formula_is(l, "c", "2e20 \u00b7 x + 1.5e\u22127");
    lesson_free(l);
}

static void minus_binds_looser_than_power(void **state)
{
    (void)state;
    lesson *l = build("input x = 3\n"
                      "let a = -x^2\n"
                      "let b = (-x)^2\n"
                      "let c = -2^2\n"
                      "let d = (-2)^2\n"
                      "loss L = a + b + c + d\n");
    lesson_evaluate(l);
    assert_true(named(l, "a")->value[0] == -9);
    assert_true(named(l, "b")->value[0] == 9);
    assert_true(named(l, "c")->value[0] == -4);
    assert_true(named(l, "d")->value[0] == 4);
    formula_is(l, "a", "\u2212x^2");
    formula_is(l, "b", "(\u2212x)^2");
    formula_is(l, "c", "\u22122^2");
    formula_is(l, "d", "(\u22122)^2");
    lesson_free(l);
}

static void power_is_right_associative(void **state)
{
    (void)state;
    lesson *l = build("let a = 2^3^2\nlet b = (2^3)^2\nlet c = 2^-1\nloss L = a + b + c\n");
    lesson_evaluate(l);
    assert_true(named(l, "a")->value[0] == 512);
    assert_true(named(l, "b")->value[0] == 64);
    assert_true(named(l, "c")->value[0] == 0.5);
    formula_is(l, "a", "2^3^2");
    formula_is(l, "b", "(2^3)^2");
    formula_is(l, "c", "2^(\u22121)");
    lesson_free(l);
}

static void products_bind_tighter_than_sums(void **state)
{
    (void)state;
    lesson *l = build("input a = 2\ninput b = 3\ninput c = 4\n"
                      "let p = a + b * c\n"
                      "let q = (a + b) * c\n"
                      "let r = a - b - c\n"
                      "let s = a - (b - c)\n"
                      "let t = a / b / c\n"
                      "let u = a / (b * c)\n"
                      "let v = -(a + b)\n"
                      "let w = 1e-3 * a + .5\n"
                      "loss L = p + q + r + s + t + u + v + w\n");
    lesson_evaluate(l);
    assert_true(named(l, "p")->value[0] == 14);
    assert_true(named(l, "q")->value[0] == 20);
    assert_true(named(l, "r")->value[0] == -5);
    assert_true(named(l, "s")->value[0] == 3);
    assert_true(named(l, "t")->value[0] == 2.0 / 3 / 4);
    assert_true(named(l, "u")->value[0] == 2.0 / 12);
    assert_true(named(l, "v")->value[0] == -5);
    assert_true(named(l, "w")->value[0] == 1e-3 * 2 + 0.5);
    formula_is(l, "p", "a + b \u00b7 c");
    formula_is(l, "q", "(a + b) \u00b7 c");
    formula_is(l, "r", "a \u2212 b \u2212 c");
    formula_is(l, "s", "a \u2212 (b \u2212 c)");
    formula_is(l, "t", "a / b / c");
    formula_is(l, "u", "a / (b \u00b7 c)");
    formula_is(l, "v", "\u2212(a + b)");
    formula_is(l, "w", "0.001 \u00b7 a + 0.5");
    formula_is(l, "L", "p + q + r + s + t + u + v + w");
    lesson_free(l);
}

static void functions_print_as_calls_and_names_as_labels(void **state)
{
    (void)state;
    lesson *l = build("param w = 0.5\ninput x = 1, 2\nlet z = w * x\nlabel z \u1e91\n"
                      "let h = sigmoid(z) + tanh(relu(z)) - log(exp(z))\n"
                      "loss L = mean(h^2) + sum(z) / 2\n");
    formula_is(l, "h", "sigmoid(\u1e91) + tanh(relu(\u1e91)) \u2212 log(exp(\u1e91))");
    formula_is(l, "L", "mean(h^2) + sum(\u1e91) / 2");
    formula_is(l, "z", "w \u00b7 x");
    /* a leaf prints as its name, an unnamed operation node in full */
    formula_is(l, "w", "w");
    const graph_node *hn = named(l, "h");
    char buf[64];
    lesson_formula(l, hn->src[0], buf, sizeof buf);
    assert_string_equal(buf, "sigmoid(\u1e91) + tanh(relu(\u1e91))");
    /* truncation keeps the string terminated and reports the length it needed */
    int need = lesson_formula(l, hn->src[0], buf, 8);
    assert_int_equal(need, (int)strlen("sigmoid(\u1e91) + tanh(relu(\u1e91))"));
    assert_int_equal(strlen(buf), 7);
    lesson_free(l);
}

/* max is a call of two arguments: it prints as one, it reads both, and at a tie each side gets half */
static void max_takes_two_arguments(void **state)
{
    (void)state;
    lesson *l = build("param a = 2\nparam b = 2\ninput x = 1, 3\n"
                      "let m = max(a, b)\nlet n = max(0, x - a) * 2\n"
                      "loss L = m + sum(n)\n");
    formula_is(l, "m", "max(a, b)");
    formula_is(l, "n", "max(0, x \u2212 a) \u00b7 2");
    lesson_evaluate(l);
    assert_true(named(l, "m")->value[0] == 2);
    assert_true(named(l, "n")->value[0] == 0 && named(l, "n")->value[1] == 2);
    assert_true(named(l, "a")->grad[0] == 0.5 - 2); /* half of the tie, and −2 through the second n */
    assert_true(named(l, "b")->grad[0] == 0.5);
    double v;
    lesson_error err;
    assert_int_equal(lesson_eval(l, "max(a, 3) + max(x[2], a)", &v, &err), 0);
    assert_true(v == 6);
    lesson_free(l);
}

static void shipped_lesson_01_reads_like_the_seed(void **state)
{
    (void)state;
    lesson *l = load_shipped("01-one-weight.lesson");
    assert_string_equal(l->title, "One weight, one sample");
    assert_string_equal(l->lang, "en");
    assert_int_equal(graph_precision(l->g), GRAPH_MIXED);
    assert_true(l->lr == 0.01);
    assert_int_equal(l->epochs, 10);
    assert_int_equal(l->metric, -1);
    assert_int_equal(l->n_names, 6);
    const char *order[] = {"w", "x", "y", "yhat", "s", "L"};
    const enum lesson_kind kinds[] = {LESSON_PARAM, LESSON_INPUT, LESSON_INPUT, LESSON_LET, LESSON_LET, LESSON_LOSS};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(l->names[i].name, order[i]);
        assert_int_equal(l->names[i].kind, kinds[i]);
        assert_ptr_equal(lesson_node_name(l, l->names[i].id), &l->names[i]);
    }
    assert_string_equal(lesson_display(&l->names[3]), "\u0177");
    assert_int_equal(l->loss, l->names[5].id);
    formula_is(l, "yhat", "w \u00b7 x");
    formula_is(l, "s", "\u0177 \u2212 y");
    formula_is(l, "L", "s^2");
    for (int p = 0; p < LESSON_PHASE_COUNT; p++)
        assert_true(l->say[p].n > 0);
    assert_true(l->notes.n > 0);
    assert_true(l->names[3].explain.n > 0);
    for (int id = 0; id < graph_count(l->g); id++) {
        char buf[128];
        assert_true(lesson_formula(l, id, buf, sizeof buf) > 0);
        assert_null(strchr(buf, '?'));
    }
    assert_int_equal(l->n_quiz, 4);
    assert_int_equal(l->quiz[2].phase, LESSON_PHASE_CHAIN);
    assert_int_equal(l->quiz[2].node, l->names[0].id);

    /* the quiz answers, evaluated after the pass they belong to */
    lesson_evaluate(l);
    double v;
    lesson_error err;
    for (int i = 0; i < 3; i++)
        assert_int_equal(lesson_eval(l, l->quiz[i].answer, &v, &err), 0);
    assert_int_equal(lesson_eval(l, l->quiz[0].answer, &v, &err), 0);
    assert_true(v == -4);
    assert_int_equal(lesson_eval(l, l->quiz[1].answer, &v, &err), 0);
    assert_true(v == -8);
    assert_int_equal(lesson_eval(l, l->quiz[2].answer, &v, &err), 0);
    assert_true(v == -16);
    assert_int_equal(lesson_eval(l, "grad(w)", &v, &err), 0);
    assert_true(v == -16);

    /* one epoch: the loss of this pass, the gradient of this pass, w after the step */
    double shown = lesson_train_epoch(l);
    assert_true(shown == 16);
    assert_true(named(l, "w")->grad[0] == -16);
    assert_true(fabs(named(l, "w")->data[0] - 0.16) < 1e-15);
    lesson_free(l);
}

static void shipped_lesson_10_prints_its_metric(void **state)
{
    (void)state;
    lesson *l = load_shipped("10-float32.lesson");
    int m = lesson_find(l, "M");
    assert_true(m >= 0);
    assert_int_equal(l->metric, l->names[m].id);
    assert_int_equal(l->names[m].kind, LESSON_METRIC);
    assert_string_equal(lesson_display(&l->names[m]), "mean s²");
    formula_is(l, "L", "sum(s^2)");
    formula_is(l, "M", "mean(s^2)");
    lesson_evaluate(l);
    double v;
    lesson_error err;
    assert_int_equal(lesson_eval(l, "grad(w)", &v, &err), 0);
    assert_true(v == -120);
    assert_int_equal(lesson_eval(l, "mean(2 * s * x)", &v, &err), 0);
    assert_true(v == -30);
    assert_true(lesson_train_epoch(l) == 30);
    lesson_free(l);
}

/* Everything a caller can see of a lesson, to compare before and after a refused line. */
struct snapshot {
    int nodes, names, quiz, epochs, loss, metric;
    double lr;
    enum graph_precision precision;
    char title[64], intro[256];
};

/* A phase's text lines as written, joined with '\n'. */
static const char *joined(const lesson_texts *ts, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < ts->n && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? "\n" : "", ts->v[i].text);
    return buf;
}

static void snap(const lesson *l, struct snapshot *s)
{
    memset(s, 0, sizeof *s); /* padding too, so that snapshots compare as memory */
    s->nodes = graph_count(l->g), s->names = l->n_names, s->quiz = l->n_quiz, s->epochs = l->epochs;
    s->loss = l->loss, s->metric = l->metric, s->lr = l->lr, s->precision = graph_precision(l->g);
    snprintf(s->title, sizeof s->title, "%s", l->title ? l->title : "");
    joined(&l->say[LESSON_PHASE_INTRO], s->intro, sizeof s->intro);
}

static void a_refused_line_leaves_the_lesson_unchanged(void **state)
{
    (void)state;
    lesson *l = build("title T\nparam w = 0\ninput x = 1, 2\ninput z = 1, 2, 3\nlet a = w * x\n"
                      "loss L = sum(a^2)\nsay intro Hello.\n");
    const char *bad[] = {
        "let b = w * x + z",          /* lengths differ after nodes for w * x could have been made */
        "let b = exp(w) * nope",      /* unknown name after a call */
        "let b = mean(x, z)",         /* arity */
        "let b = (w + 1",             /* unbalanced */
        "let a = w + 1",              /* redefinition */
        "loss K = w^2",               /* a second loss */
        "metric M = x^2",             /* a metric with two values */
        "param q = 1, 2, x",          /* a list that goes bad at its end */
        "set lr -1",
        "set epochs many",
        "set precision quad",
        "title",
        "say nowhere Hello.",
        "answer 1",
        "frobnicate",
        "let b = 1e999 * w",
    };
    struct snapshot before, after;
    snap(l, &before);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lesson_error err;
        assert_int_equal(lesson_exec_line(l, bad[i], &err), -1);
        assert_int_equal(err.line, 0);
        assert_true(err.col >= 1);
        snap(l, &after);
        assert_memory_equal(&before, &after, sizeof before);
    }
    lesson_free(l);
}

static void a_line_typed_at_the_prompt_changes_the_lesson(void **state)
{
    (void)state;
    lesson *l = build("param w = 0\ninput x = 2\nloss L = (w * x - 4)^2\n");
    lesson_error err;
    assert_int_equal(lesson_exec_line(l, "set lr 0.1", &err), 0);
    assert_true(l->lr == 0.1);
    assert_int_equal(lesson_exec_line(l, "set epochs 3   # fewer", &err), 0);
    assert_int_equal(l->epochs, 3);
    assert_int_equal(lesson_exec_line(l, "set precision float32", &err), 0);
    assert_int_equal(graph_precision(l->g), GRAPH_FLOAT32);
    assert_int_equal(lesson_exec_line(l, "let z = w * 3", &err), 0);
    assert_int_equal(l->names[l->n_names - 1].line, 0);
    assert_int_equal(lesson_exec_line(l, "   # a comment", &err), 0);
    assert_int_equal(lesson_exec_line(l, "", &err), 0);
    assert_int_equal(lesson_exec_line(l, "label z \u03b6", &err), 0);
    formula_is(l, "z", "w \u00b7 3");
    assert_string_equal(lesson_display(&l->names[lesson_find(l, "z")]), "\u03b6");
    assert_int_equal(lesson_exec_line(l, "say forward One.", &err), 0);
    assert_int_equal(lesson_exec_line(l, "say forward", &err), 0);
    assert_int_equal(lesson_exec_line(l, "say forward Two # not a comment here.", &err), 0);
    char text[256];
    assert_string_equal(joined(&l->say[LESSON_PHASE_FORWARD], text, sizeof text), "One.\n\nTwo # not a comment here.");
    lesson_free(l);
}

/* layer TITLE: NAME …: the layers in order, their units as graph ids top to bottom; a refused layer line leaves
 * the layers as they were. */
static void layers_group_units_in_order(void **state)
{
    (void)state;
    lesson *l = build("input i1 = 0.05\ninput i2 = 0.1\nparam w1 = 0.15\nparam w2 = 0.2\nparam b = 0.35\n"
                      "let h = sigmoid(w1*i1 + w2*i2 + b)\nlet o = 2 * h\nloss E = (o - 1)^2\n"
                      "layer input: i1, i2   # commas or blanks\nlayer 隱藏層: h\n");
    assert_int_equal(l->n_layers, 2);
    assert_string_equal(l->layers[0].title, "input");
    assert_int_equal(l->layers[0].n, 2);
    assert_int_equal(l->layers[0].unit[0], l->names[lesson_find(l, "i1")].id);
    assert_int_equal(l->layers[0].unit[1], l->names[lesson_find(l, "i2")].id);
    assert_string_equal(l->layers[1].title, "\u96b1\u85cf\u5c64");
    assert_int_equal(l->layers[1].line, 10);
    lesson_error err;
    assert_int_equal(lesson_exec_line(l, "layer output: o i1", &err), -1); /* i1 is in a layer already */
    assert_int_equal(err.col, 17);
    assert_int_equal(l->n_layers, 2);
    assert_int_equal(lesson_exec_line(l, "layer output: o", &err), 0);
    assert_int_equal(l->n_layers, 3);
    assert_int_equal(l->layers[2].line, 0);
    lesson_free(l);
}

static void every_statement_in_the_table_is_dispatched(void **state)
{
    (void)state;
    lesson *l = lesson_new();
    for (int s = 0; s < LESSON_STMT_COUNT; s++) {
        lesson_error err;
        const char *kw = lesson_statement_name((enum lesson_statement)s);
        assert_true(strlen(kw) > 0);
        assert_true(strlen(lesson_statement_help((enum lesson_statement)s)) > 0);
        if (lesson_exec_line(l, kw, &err) < 0)
            assert_null(strstr(err.message, "unknown statement"));
    }
    assert_string_equal(lesson_statement_name(LESSON_STMT_LET), "let");
    assert_string_equal(lesson_setting_name(LESSON_SET_PRECISION), "precision");
    assert_int_equal(lesson_phase_lookup("chain"), LESSON_PHASE_CHAIN);
    assert_int_equal(lesson_phase_lookup("backward"), -1);
    lesson_free(l);
}

static void columns_count_characters_and_carets_count_cells(void **state)
{
    (void)state;
    lesson *l = lesson_new();
    lesson_error err;
    assert_int_equal(lesson_exec_line(l, "say intro \u03b7\u03b7 \xff", &err), -1);
    assert_int_equal(err.col, 14); /* "say intro " is 10, η η and a space are 3 more */
    assert_string_equal(err.message, "invalid UTF-8 (byte 0xFF)");
    assert_string_equal(err.source, "say intro \u03b7\u03b7 ?");
    char buf[512];
    lesson_error_format(&err, NULL, buf, sizeof buf);
    assert_string_equal(buf, "error: invalid UTF-8 (byte 0xFF)\nsay intro \u03b7\u03b7 ?\n             ^\n");
    err.line = 7;
    lesson_error_format(&err, "x.lesson", buf, sizeof buf);
    assert_string_equal(buf, "x.lesson:7:14: error: invalid UTF-8 (byte 0xFF)\nsay intro \u03b7\u03b7 ?\n"
                             "             ^\n");

    assert_int_equal(lesson_exec_line(l, "say intro \u6f22\u5b57\xc3", &err), -1);
    assert_int_equal(err.col, 13);
    lesson_error_format(&err, "x", buf, sizeof buf);
    assert_non_null(strstr(buf, "\n              ^\n")); /* 10 + 2 + 2 cells */
    lesson_free(l);
}

static void the_parser_survives_hostile_input(void **state)
{
    (void)state;
    lesson_error err;
    /* a long line, NULs, every byte value, deep nesting: refused with a message, never a crash */
    size_t n = 100000;
    char *text = malloc(n);
    assert_non_null(text);
    memset(text, '(', n);
    assert_null(lesson_parse(text, n, &err));
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "line is too long"));
    assert_true(strlen(err.source) < LESSON_SHOW_MAX);

    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 200);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            const char alphabet[] = "param input let loss = w x ( ) + - * / ^ , 1 2.5e3 # mean sum \n";
            text[i] = round % 3 ? alphabet[(seed >> 16) % (sizeof alphabet - 1)] : (char)(seed >> 16);
        }
        lesson *l = lesson_parse(text, len, &err);
        if (l) {
            lesson_evaluate(l);
            lesson_free(l);
        } else {
            assert_true(err.message[0] != '\0');
        }
    }
    free(text);

    char deep[400];
    memset(deep, 0, sizeof deep);
    strcpy(deep, "let a = ");
    memset(deep + 8, '-', 300);
    deep[308] = '1';
    lesson *l = lesson_new();
    assert_int_equal(lesson_exec_line(l, deep, &err), -1);
    assert_non_null(strstr(err.message, "nested too deeply"));
    lesson_free(l);
}

static void a_line_says_what_it_defines(void **state)
{
    (void)state;
    lesson_line w;
    lesson_line_read("  let yhat = w * x   # the guess", 32, &w);
    assert_int_equal(w.statement, LESSON_STMT_LET);
    assert_int_equal(w.keyword, 2);
    assert_int_equal(w.args, 6);
    assert_string_equal(w.name, "yhat");
    assert_int_equal(w.name_at, 6);
    assert_true(w.defines);
    assert_int_equal(w.expr, 13);

    const struct { const char *line; int statement; const char *name; int defines; } lines[] = {
        {"param w = 0", LESSON_STMT_PARAM, "w", 1},
        {"input x = 1, 2", LESSON_STMT_INPUT, "x", 1},
        {"loss L = s^2", LESSON_STMT_LOSS, "L", 1},
        {"metric M = mean(s^2)", LESSON_STMT_METRIC, "M", 1},
        {"label yhat \u0177", LESSON_STMT_LABEL, "yhat", 0},
        {"explain s How far off.", LESSON_STMT_EXPLAIN, "s", 0},
        {"quiz chain w: What is dL/dw?", LESSON_STMT_QUIZ, "w", 0},
        {"quiz chain: What does the table print?", LESSON_STMT_QUIZ, "", 0},
        {"quiz forward forward: a node named like a phase", LESSON_STMT_QUIZ, "forward", 0},
        {"set lr 0.1", LESSON_STMT_SET, "lr", 0},
        {"say intro Hello.", LESSON_STMT_SAY, "", 0},
        {"let = 3", LESSON_STMT_LET, "", 0},
        {"let \u4e2d = w", LESSON_STMT_LET, "", 0},
        {"# a comment", -1, "", 0},
        {"", -1, "", 0},
        {"frobnicate w", -1, "", 0},
        {"let(w) = 3", -1, "", 0},       /* a keyword needs a blank after it */
        {"save-display f", -1, "", 0},   /* a command of the prompt, not a statement */
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        lesson_line_read(lines[i].line, strlen(lines[i].line), &w);
        if (w.statement != lines[i].statement || strcmp(w.name, lines[i].name) != 0 || w.defines != lines[i].defines)
            fail_msg("'%s': statement %d, name '%s', defines %d", lines[i].line, w.statement, w.name, w.defines);
    }
    lesson_line_read("answer 2 * s", 12, &w);
    assert_int_equal(w.statement, LESSON_STMT_ANSWER);
    assert_int_equal(w.expr, 7);
    lesson_line_read("param w = 0", 11, &w);
    assert_int_equal(w.expr, 0); /* numbers, not a formula */
    /* only len bytes are read: the name stops where the line does */
    lesson_line_read("let abc = 1", 6, &w);
    assert_string_equal(w.name, "ab");
}

struct uses { lesson_use u[16]; int n; int stop_at; };
static int collect_use(const lesson_use *u, void *ctx)
{
    struct uses *us = ctx;
    if (us->n < 16)
        us->u[us->n] = *u;
    return ++us->n == us->stop_at ? 7 : 0;
}

static void an_expression_names_what_it_uses(void **state)
{
    (void)state;
    /* the parser's lexer: 1e-3 and 3x are numbers, grad( and tanh ( are calls, a comment ends it all */
    const char *e = "2*s + grad(w) - tanh (yhat) * 1e-3 + 3x + x_2 # not y";
    struct uses us = { .n = 0, .stop_at = -1 };
    assert_int_equal(lesson_expr_names(e, strlen(e), collect_use, &us), 0);
    const struct { const char *name; int col, call; } want[] = {
        {"s", 3, 0}, {"grad", 7, 1}, {"w", 12, 0}, {"tanh", 17, 1}, {"yhat", 23, 0}, {"x_2", 43, 0},
    };
    assert_int_equal(us.n, 6);
    for (int i = 0; i < 6; i++) {
        assert_string_equal(us.u[i].name, want[i].name);
        assert_int_equal(us.u[i].col, want[i].col);
        assert_int_equal(us.u[i].call, want[i].call);
    }
    /* columns count characters: after the screen's minus sign, s is the second */
    us.n = 0;
    assert_int_equal(lesson_expr_names("\u2212s", 4, collect_use, &us), 0);
    assert_int_equal(us.n, 1);
    assert_int_equal(us.u[0].col, 2);
    assert_int_equal(us.u[0].at, 3);
    /* a nonzero answer stops the walk and comes back */
    us.n = 0;
    us.stop_at = 2;
    assert_int_equal(lesson_expr_names("a + b + c", 9, collect_use, &us), 7);
    assert_int_equal(us.n, 2);
}

static void every_precision_is_a_choice_of_its_setting(void **state)
{
    (void)state;
    /* completion offers the choices the settings table lists: they must be the precisions the parser takes */
    const char *choices = lesson_setting_value(LESSON_SET_PRECISION);
    for (int p = 0; p <= GRAPH_MIXED; p++)
        assert_non_null(strstr(choices, graph_precision_name((enum graph_precision)p)));
    assert_int_equal(lesson_statement_lookup("quiz"), LESSON_STMT_QUIZ);
    assert_int_equal(lesson_setting_lookup("epochs"), LESSON_SET_EPOCHS);
    assert_int_equal(lesson_setting_lookup("momentum"), -1);
}

static void numbers_ignore_a_decimal_comma(void **state)
{
    (void)state;
    if (decimal_comma_locale() < 0)
        return;
    /* with LANG=de_DE.UTF-8 every lesson was refused: "lr must be a positive number, not '0.01'" */
    lesson *l = lesson_new();
    lesson_error err;
    int rc = lesson_exec_line(l, "set lr 0.01", &err);
    double lr = l->lr;
    int a = lesson_exec_line(l, "input x = 0.5, 2.5e-1", &err), b = lesson_exec_line(l, "let h = 0.5 * x", &err);
    char formula[64] = "", written[64];
    if (b == 0)
        lesson_formula(l, l->names[lesson_find(l, "h")].id, formula, sizeof formula);
    double v = 0;
    int e = lesson_eval(l, "1.5 * 2", &v, &err);
    lesson_format(written, sizeof written, "%.17g", 0.25);
    lesson_free(l);
    assert_int_equal(rc, 0);
    assert_true(lr == 0.01);
    assert_int_equal(a, 0);
    assert_int_equal(b, 0);
    assert_string_equal(formula, "0.5 \u00b7 x");
    assert_int_equal(e, 0);
    assert_true(v == 3);
    assert_string_equal(written, "0.25");
}

/* ---------------------------------------------------------------- live text -------------------- */

static const char seed_text[] =
    "param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x\nlabel yhat \u0177\nlet s = yhat - y\nloss L = s^2\n";

/* A placeholder may name a node defined further down: text is read once the whole lesson is. */
static void placeholders_are_read_once_the_lesson_is(void **state)
{
    (void)state;
    lesson *l = build("say intro {{w}} starts at {w}, and s = {=s} comes to {s:3}.\n"
                      "param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x\nlet s = yhat - y\nloss L = s^2\n"
                      "note }} and {{ are braces\n");
    const lesson_text *t = &l->say[LESSON_PHASE_INTRO].v[0];
    assert_int_equal(t->where.line, 1);
    assert_int_equal(t->n_hole, 3);
    assert_string_equal(t->text + t->hole[0].start, "{w}, and s = {=s} comes to {s:3}.");
    assert_int_equal((int)(t->hole[0].end - t->hole[0].start), 3);
    assert_int_equal(t->hole[0].digits, 0);
    assert_int_equal(t->hole[1].formula, named_id(l, "s"));
    assert_null(t->hole[1].expr);
    assert_int_equal(t->hole[2].digits, 3);
    assert_int_equal(l->notes.v[0].n_hole, 0);
    lesson_free(l);

    /* one typed line has all the names it can have: it is read at once, and a bad one leaves nothing */
    l = build(seed_text);
    lesson_error err;
    assert_int_equal(lesson_exec_line(l, "say forward {w} and {q}", &err), -1);
    assert_string_equal(err.message, "unknown name 'q'");
    assert_int_equal(err.col, 22);
    assert_int_equal(l->say[LESSON_PHASE_FORWARD].n, 0);
    assert_int_equal(lesson_exec_line(l, "say forward {w} and {s}", &err), 0);
    assert_int_equal(l->say[LESSON_PHASE_FORWARD].v[0].n_hole, 2);
    lesson_drop_last_text(l);
    assert_int_equal(l->say[LESSON_PHASE_FORWARD].n, 0);
    lesson_free(l);
}

/* grad() is this pass's derivative, .grad what the update uses, new() the update, local() an edge. */
static void live_expressions_read_the_engine(void **state)
{
    (void)state;
    lesson *l = build("param w = 0.5\ninput x = 1, 2\ninput y = 2, 4\nlet yhat = w * x\nlet s = yhat - y\n"
                      "loss L = sum(s^2)\nset lr 0.1\nset epochs 7\n");
    lesson_evaluate(l);
    graph_pass(l->g, l->loss, 0); /* without zero_grad: .grad holds two passes */
    double v;
    lesson_error err;
#define EVAL(expr, want)                                                                                      \
    do {                                                                                                       \
        if (lesson_eval(l, expr, &v, &err) != 0)                                                               \
            fail_msg("%s: %s", expr, err.message);                                                             \
        if (fabs(v - (want)) > 1e-12)                                                                          \
            fail_msg("%s = %.17g, not %.17g", expr, v, (double)(want));                                         \
    } while (0)
    EVAL("grad(w)", 2 * (-1.5 * 1) + 2 * (-3 * 2)); /* Σ 2s·x with s = −1.5, −3 */
    EVAL("w.grad", 2 * (-15.0));
    EVAL("new(w)", 0.5 - 0.1 * -30);
    EVAL("local(s, yhat)[2]", 1);
    EVAL("local(yhat, w)[2]", 2);
    EVAL("s[2] + x[1]", -2);
    EVAL("lr * epochs + epoch", 0.1 * 7 + 1);
#undef EVAL
    assert_int_equal(lesson_eval(l, "x[3]", &v, &err), -1);
    assert_string_equal(err.message, "'x' has 2 values: write [1] to [2]");
    assert_int_equal(lesson_eval(l, "x.grad", &v, &err), -1);
    assert_string_equal(err.message, "only a parameter keeps a .grad for the update, and 'x' is not one");
    assert_int_equal(lesson_eval(l, "local(w, x)", &v, &err), -1);
    assert_string_equal(err.message, "local() takes an operation first, and 'w' is a parameter");
    /* a learner's answer may use what is on screen, not read the result off the engine */
    const char *reading[] = { "grad(w)", "w.grad", "new(w)", "local(s, yhat)[1]" };
    for (size_t i = 0; i < sizeof reading / sizeof reading[0]; i++) {
        lesson_expr *e = lesson_expr_read_answer(l, reading[i], &err);
        assert_null(e);
        assert_non_null(strstr(err.message, "reads the answer off the engine"));
    }
    lesson_expr *e = lesson_expr_read_answer(l, "w - lr * 2", &err);
    assert_non_null(e);
    lesson_expr_free(e);
    /* and the model none of it */
    assert_int_equal(lesson_exec_line(l, "let q = w * lr", &err), -1);
    assert_string_equal(err.message, "'lr' is a setting, not a node of the model");
    assert_int_equal(lesson_exec_line(l, "let q = x[1] * w", &err), -1);
    assert_string_equal(err.message, "[k], one element of a batch, is only for quiz answers and the lesson's text");
    lesson_free(l);
}

/* The settings' names, and the epoch's, are not names a lesson can define (issue 14). */
static void settings_are_not_names(void **state)
{
    (void)state;
    const char *words[] = { "lr", "epochs", "precision", "epoch" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        lesson *l = lesson_new();
        lesson_error err;
        char line[64], want[96];
        snprintf(line, sizeof line, "param %s = 1", words[i]);
        snprintf(want, sizeof want, "'%s' is a setting; choose another name", words[i]);
        assert_int_equal(lesson_exec_line(l, line, &err), -1);
        assert_string_equal(err.message, want);
        assert_int_equal(err.col, 7);
        snprintf(line, sizeof line, "input %s = 1", words[i]);
        assert_int_equal(lesson_exec_line(l, line, &err), -1);
        assert_int_equal(l->n_names, 0);
        lesson_free(l);
    }
}

/* Which text a model edit retires: see lesson_retire in lesson.h. */
static const char retire_text[] =
    "param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x\nlet s = yhat - y\nloss L = s^2\n"
    "say intro plain words\n"           /* names nothing: stays */
    "say intro x is {x}\n"              /* x feeds yhat */
    "say intro y is {y}\n"              /* y feeds s only */
    "say epoch the loss was {L}\n"
    "explain s s is {s}\n"
    "quiz chain w: what is dL/dw?\nanswer 2 * s * x\n";

static int retired_say(const lesson *l, enum lesson_phase p, int k) { return l->say[p].v[k].retired; }

static void a_model_edit_retires_what_it_makes_untrue(void **state)
{
    (void)state;
    lesson *shipped = build(retire_text);
    /* new numbers are what set changes, not a new model; a new node nothing uses changes nothing */
    char text[2048];
    snprintf(text, sizeof text, "%s", retire_text);
    char *p = strstr(text, "param w = 0");
    p[10] = '3';
    lesson *l = build(text);
    lesson_exec_line(l, "let unused = w * 7", &(lesson_error){ 0 });
    lesson_retire(l, shipped);
    for (int k = 0; k < 3; k++)
        assert_false(retired_say(l, LESSON_PHASE_INTRO, k));
    assert_false(l->quiz[0].retired);
    lesson_free(l);

    /* ŷ redefined: the graph changed, so prose about the whole model (say, whatever it names) goes; an
     * explanation goes when its step's part of the graph changed (s's cone holds ŷ); a quiz stays when its
     * answer, read live, still states its step's result: s = ŷ − y and ∂(s^2)/∂s = 2s whatever ŷ is, and
     * w − η·grad(w) on any graph, but not ∂L/∂w = 2·s·x, which assumed ŷ = w·x */
    l = build("param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x + 1\nlet s = yhat - y\nloss L = s^2\n"
              "say intro plain words\nsay intro x is {x}\nsay intro y is {y}\nsay epoch the loss was {L}\n"
              "explain s s is {s}\nquiz chain w: what is dL/dw?\nanswer 2 * s * x\nsay intro mine: {x}\n");
    lesson_retire(l, shipped);
    assert_true(retired_say(l, LESSON_PHASE_INTRO, 0));
    assert_true(retired_say(l, LESSON_PHASE_INTRO, 1));
    assert_true(retired_say(l, LESSON_PHASE_INTRO, 2));
    assert_true(retired_say(l, LESSON_PHASE_EPOCH, 0));
    assert_true(l->names[lesson_find(l, "s")].explain.v[0].retired);
    assert_true(l->quiz[0].retired);                   /* about w, and x: its answer assumed ŷ = w·x */
    assert_false(retired_say(l, LESSON_PHASE_INTRO, 3)); /* the learner's own line never is */
    lesson_free(l);

    static const char quizzes[] = "explain L L is {L}\nexplain yhat yhat is {yhat}\n"
                                  "quiz forward s: s?\nanswer yhat - y\nquiz local s: ds^2/ds?\nanswer 2 * s\n"
                                  "quiz update w: new w?\nanswer w - lr * grad(w)\nquiz forward L: L?\nanswer s^2\n"
                                  "quiz forward yhat: yhat?\nanswer w * x\nquiz chain s: dL/ds?\nanswer 2 * s\n"
                                  "quiz chain yhat: dL/dyhat?\nanswer grad(s)\n";
    char ship[2048], edit[2048];
    snprintf(ship, sizeof ship, "%s%s", retire_text, quizzes);
    snprintf(edit, sizeof edit, "param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x + 1\nlet s = yhat - y\n"
             "loss L = s^2\n%s", quizzes);
    lesson *ship2 = build(ship);
    l = build(edit);
    lesson_retire(l, ship2);
    assert_false(l->quiz[0].retired); /* s = ŷ − y */
    assert_false(l->quiz[1].retired); /* ∂(s^2)/∂s = 2s */
    assert_false(l->quiz[2].retired); /* w − η·grad(w) */
    assert_false(l->quiz[3].retired); /* L = s^2 */
    assert_true(l->quiz[4].retired);  /* ŷ = w·x no longer */
    assert_false(l->quiz[5].retired); /* ∂L/∂s = 2s: the way from s to L is the file's */
    assert_false(l->quiz[6].retired); /* ∂L/∂ŷ = ∂L/∂s, read live */
    assert_true(l->names[lesson_find(l, "L")].explain.v[0].retired);    /* L's cone holds ŷ */
    assert_true(l->names[lesson_find(l, "yhat")].explain.v[0].retired); /* ŷ itself changed */
    lesson_free(l);
    /* the loss changed: the way from s to the loss is no longer the file's */
    snprintf(edit, sizeof edit, "param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x\nlet s = yhat - y\n"
             "loss L = 2 * s^2\n%s", quizzes);
    l = build(edit);
    lesson_retire(l, ship2);
    assert_false(l->quiz[0].retired); /* s = ŷ − y */
    assert_true(l->quiz[1].retired);  /* the square is now inside another formula: conservatively gone */
    assert_false(l->quiz[2].retired);
    assert_true(l->quiz[3].retired);  /* L changed */
    assert_false(l->quiz[4].retired); /* ŷ = w·x still */
    assert_true(l->quiz[5].retired);  /* ∂L/∂s is 4s now */
    assert_false(l->quiz[6].retired); /* ∂L/∂ŷ = ∂L/∂s still: the way past s is read live (grad(s)) */
    lesson_free(l);
    lesson_free(ship2);

    /* a new loss: the old nodes no longer reach it, and everything feeding it is on a changed path */
    l = build("param w = 0\ninput x = 2\ninput y = 4\nlet yhat = w * x\nlet s = yhat - y\nlet z = tanh(w * x)\n"
              "loss L = (z - y)^2\nsay intro plain words\nsay intro x is {x}\nsay intro y is {y}\n"
              "say epoch the loss was {L}\nexplain s s is {s}\nquiz chain w: what is dL/dw?\nanswer 2 * s * x\n");
    lesson_retire(l, shipped);
    assert_false(graph_live(l->g, named_id(l, "s")));
    assert_true(retired_say(l, LESSON_PHASE_INTRO, 0));
    assert_true(retired_say(l, LESSON_PHASE_INTRO, 1));
    assert_true(retired_say(l, LESSON_PHASE_INTRO, 2));
    assert_true(retired_say(l, LESSON_PHASE_EPOCH, 0));
    assert_true(l->names[lesson_find(l, "s")].explain.v[0].retired);
    assert_true(l->quiz[0].retired);
    lesson_free(l);
    lesson_free(shipped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formula_numbers_are_written_as_the_screen_writes_numbers),
        cmocka_unit_test(minus_binds_looser_than_power),
        cmocka_unit_test(layers_group_units_in_order),
        cmocka_unit_test(power_is_right_associative),
        cmocka_unit_test(products_bind_tighter_than_sums),
        cmocka_unit_test(functions_print_as_calls_and_names_as_labels),
        cmocka_unit_test(max_takes_two_arguments),
        cmocka_unit_test(shipped_lesson_01_reads_like_the_seed),
        cmocka_unit_test(shipped_lesson_10_prints_its_metric),
        cmocka_unit_test(a_refused_line_leaves_the_lesson_unchanged),
        cmocka_unit_test(a_line_typed_at_the_prompt_changes_the_lesson),
        cmocka_unit_test(every_statement_in_the_table_is_dispatched),
        cmocka_unit_test(columns_count_characters_and_carets_count_cells),
        cmocka_unit_test(the_parser_survives_hostile_input),
        cmocka_unit_test(a_line_says_what_it_defines),
        cmocka_unit_test(an_expression_names_what_it_uses),
        cmocka_unit_test(every_precision_is_a_choice_of_its_setting),
        cmocka_unit_test(placeholders_are_read_once_the_lesson_is),
        cmocka_unit_test(live_expressions_read_the_engine),
        cmocka_unit_test(settings_are_not_names),
        cmocka_unit_test(a_model_edit_retires_what_it_makes_untrue),
        cmocka_unit_test_teardown(numbers_ignore_a_decimal_comma, remove_locale),
    };
    return cmocka_run_group_tests_name("lesson", tests, NULL, NULL);
}
