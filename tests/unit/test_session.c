/* test_session.c — the ':' commands: live model edits, numbers, moving, checking, completion. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"
#include "decimal_comma.h"

static session *open_lesson(const char *name)
{
    char path[4096];
    const char *top = getenv("TOP");
    snprintf(path, sizeof path, "%s/lessons/en/%s", top ? top : ".", name);
    catalog_langs langs = catalog_pick_langs("en");
    lesson_error err;
    session *s = session_open(path, &langs, &err);
    if (!s)
        fail_msg("%s: %d:%d: %s", path, err.line, err.col, err.message);
    return s;
}

static session_result run(session *s, const char *line)
{
    session_result r;
    session_exec(s, line, &r);
    return r;
}

static const char *formula(session *s)
{
    static char buf[4096];
    walk_step_formula(session_walk(s), buf, sizeof buf);
    return buf;
}

#define assert_ok(r) do { session_result r_ = (r); if (r_.error) fail_msg("%s", r_.message); } while (0)

static void settings_and_numbers(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    assert_ok(run(s, ":set lr 0.1"));
    assert_true(walk_lr(session_walk(s)) == 0.1); /* the live rate is the walk's */
    assert_true(session_lesson(s)->lr == 0.01);   /* the lesson keeps the file's */
    assert_ok(run(s, ":set w 0.5"));
    assert_ok(run(s, "phase forward"));
    assert_string_equal(formula(s), "ŷ = w · x = 0.5·2 = 1");
    session_result r = run(s, ":set w abc");
    assert_true(r.error);
    assert_int_equal(r.col, 8);
    assert_string_equal(r.message, "expected a number, not 'abc'");
    /* the numbers a lesson accepts, no others */
    assert_true(run(s, ":set w nan").error);
    assert_true(run(s, ":set w inf").error);
    assert_true(run(s, ":set x 0x10").error);
    r = run(s, ":set x[0] 3");
    assert_string_equal(r.message, "x is one number: set x VALUE");
    r = run(s, ":set q 1");
    assert_true(r.error);
    assert_int_equal(r.col, 6);
    assert_string_equal(r.message, "no parameter, input or setting called 'q'");
    r = run(s, ":set s 1");
    assert_string_equal(r.message, "s is computed from other nodes; set a parameter or an input");
    r = run(s, ":set lr -1");
    assert_true(r.error);
    assert_true(walk_lr(session_walk(s)) == 0.1); /* unchanged */
    /* a new precision recomputes this epoch from its start: the step stays */
    r = run(s, ":set precision float64");
    assert_false(r.error);
    assert_string_equal(r.message, "precision is now float64");
    assert_int_equal(walk_index(session_walk(s)), 1);
    assert_int_equal(walk_precision(session_walk(s)), GRAPH_FLOAT64);
    assert_int_equal(graph_precision(session_lesson(s)->g), GRAPH_FLOAT64);
    assert_string_equal(formula(s), "ŷ = w · x = 0.5·2 = 1");
    session_free(s);
}

static void a_typed_statement_rebuilds_the_graph(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    int steps = walk_count(session_walk(s));
    session_result r = run(s, ":let z = tanh(w * x)");
    assert_false(r.error);
    assert_true(r.flags & SESSION_REBUILT);
    assert_ok(run(s, ":loss L = (z - y)^2"));
    assert_int_not_equal(walk_count(session_walk(s)), steps);
    assert_ok(run(s, "phase forward"));
    /* ŷ and s no longer feed the loss, so the forward pass is w·x, z, z − y, L */
    assert_ok(run(s, "step 3"));
    assert_string_equal(formula(s), "z = tanh(w · x) = tanh(0) = 0");
    assert_ok(run(s, "step 5"));
    assert_string_equal(formula(s), "loss = (z − y)^2 = (−4)^2 = 16");
    /* a bad expression: the column points into the typed line, the model stays */
    lesson *before = session_lesson(s);
    int index = walk_index(session_walk(s));
    r = run(s, ":let q = w * nope");
    assert_true(r.error);
    assert_int_equal(r.col, 14);
    assert_string_equal(r.message, "unknown name 'nope'");
    assert_ptr_equal(session_lesson(s), before);
    assert_int_equal(walk_index(session_walk(s)), index);
    r = run(s, ":let q = (w * x");
    assert_true(r.error);
    assert_true(r.col > 0);
    r = run(s, ":let = 3");
    assert_true(r.error);
    session_free(s);
}

static void a_set_value_survives_a_rebuild(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    assert_ok(run(s, ":set w 0.5"));
    assert_ok(run(s, ":let z = tanh(w * x)"));
    assert_true(graph_node_at(session_lesson(s)->g, session_lesson(s)->names[lesson_find(session_lesson(s), "w")].id)
                    ->data[0] == 0.5);
    session_result r = run(s, ":let 中 = w");
    assert_true(r.error);
    assert_string_equal(r.message, "a name is ASCII (letters, digits, _); a label gives it any look");
    session_free(s);
}

static void an_edit_that_breaks_a_later_line_says_which(void **state)
{
    (void)state;
    session *s = open_lesson("10-float32.lesson");
    session_result r = run(s, ":input x = 1, 2, 3");
    assert_true(r.error);
    assert_int_equal(r.col, 0);
    assert_non_null(strstr(r.message, "that breaks line "));
    assert_non_null(strstr(r.message, "(let s = yhat - y)"));
    /* both data at once is fine, one at a time is not: but a new length for both works in two steps */
    assert_ok(run(s, ":input x = 2, 4, 6, 8"));
    assert_ok(run(s, ":input y = 4, 8, 12, 16"));
    assert_ok(run(s, "phase epoch"));
    assert_string_equal(formula(s), "epoch: 1, loss: 120.00000000, w: 4.800, dw: -480.000");
    session_free(s);
}

static void moving_and_switches(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    walk *w = session_walk(s);
    assert_ok(run(s, "step 5"));
    assert_int_equal(walk_index(w), 4);
    session_result r = run(s, "step 99");
    assert_true(r.error);
    assert_string_equal(r.message, "step needs a number from 1 to 13");
    assert_int_equal(run(s, "phase sideways").col, 7);
    assert_ok(run(s, "phase chain"));
    assert_int_equal(walk_current(w)->phase, LESSON_PHASE_CHAIN);
    assert_ok(run(s, "train 3"));
    assert_int_equal(walk_epoch(w), 4);
    session_result reset = run(s, "reset");
    assert_ok(reset);
    assert_true(reset.flags & SESSION_REBUILT); /* the lesson as its file has it: a new lesson and walk */
    w = session_walk(s);
    assert_int_equal(walk_epoch(w), 1);
    assert_ok(run(s, "zerograd off"));
    assert_false(walk_zero_grad(w));
    assert_true(run(s, "zerograd maybe").error);
    assert_true(run(s, "quit").flags & SESSION_QUIT);
    r = run(s, "save-display out.txt");
    assert_true(r.flags & SESSION_SAVE);
    assert_string_equal(r.arg, "out.txt");
    r = run(s, "frobnicate");
    assert_true(r.error);
    assert_int_equal(r.col, 1);
    assert_string_equal(r.message, "unknown command 'frobnicate' (:help lists them)");
    assert_false(run(s, "").error);
    assert_false(run(s, "# a comment").error);
    session_free(s);
}

static void check_export_help_and_load(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    session_result r = run(s, "check");
    assert_true(r.flags & SESSION_TEXT);
    assert_non_null(strstr(r.text, "∂loss/∂w")); /* lesson 01 labels L "loss" */
    assert_non_null(strstr(r.text, "−16"));
    assert_non_null(strstr(r.message, "the largest relative error is"));
    /* the message writes its number as the table above it does: 8.4e−12, not 8.4e-12 */
    const char *most = strstr(r.message, " is ") + 4;
    assert_null(strchr(most, '-'));
    assert_non_null(strstr(r.text, most));
    char file[] = "/tmp/bptutor-dot-XXXXXX";
    int fd = mkstemp(file);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "export dot %s", file); /* the file is there: only export! replaces it */
    r = run(s, cmd);
    assert_true(r.error);
    assert_non_null(strstr(r.message, "is already there: :export! dot"));
    snprintf(cmd, sizeof cmd, "export! dot %s", file);
    assert_ok(run(s, cmd));
    FILE *f = fopen(file, "r");
    char head[64] = "";
    assert_non_null(fgets(head, sizeof head, f));
    fclose(f);
    unlink(file);
    assert_string_equal(head, "digraph bptutor {\n");
    assert_true(run(s, "export svg x").error);
    assert_non_null(strstr(run(s, "export svg x").message, "dot FILE, or python FILE"));
    r = run(s, "help");
    assert_non_null(strstr(r.text, ":zerograd on|off"));
    assert_non_null(strstr(r.text, ":let NAME = EXPR"));
    r = run(s, "help train");
    assert_string_equal(r.message, "train N — train N whole epochs");
    assert_true(run(s, "help nothing").error);
    r = run(s, "load 02-four-samples");
    if (r.error) /* the test runs from the top of the tree, where ./lessons/en is */
        fail_msg("%s", r.message);
    assert_true(r.flags & SESSION_REBUILT);
    assert_string_equal(session_lesson(s)->title, "Four samples: a batch and its mean");
    assert_true(run(s, "load no-such-lesson").error);
    session_free(s);
}

struct seen { char items[64][64]; int n; };
static void collect(const char *c, void *ctx)
{
    struct seen *s = ctx;
    if (s->n < 64)
        snprintf(s->items[s->n++], 64, "%s", c);
}
static int has(const struct seen *s, const char *c)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->items[i], c) == 0)
            return 1;
    return 0;
}
static struct seen complete(session *s, const char *line)
{
    struct seen out = { .n = 0 };
    int end = (int)strlen(line), start = end;
    while (start > 0 && line[start - 1] != ' ' && line[start - 1] != ':' && line[start - 1] != '(')
        start--;
    session_complete(s, line, start, end, collect, &out);
    return out;
}

static void completion(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    struct seen c = complete(s, "");
    assert_true(has(&c, "set") && has(&c, "step") && has(&c, "let") && has(&c, "zerograd"));
    c = complete(s, "st");
    assert_int_equal(c.n, 1);
    assert_string_equal(c.items[0], "step");
    c = complete(s, "set ");
    assert_true(has(&c, "lr") && has(&c, "precision") && has(&c, "w") && has(&c, "x") && !has(&c, "s"));
    c = complete(s, "set precision m");
    assert_int_equal(c.n, 1);
    assert_string_equal(c.items[0], "mixed");
    c = complete(s, ":phase l");
    assert_int_equal(c.n, 1);
    assert_string_equal(c.items[0], "local");
    c = complete(s, "let z = ta");
    assert_int_equal(c.n, 1);
    assert_string_equal(c.items[0], "tanh");
    c = complete(s, "let z = y");
    assert_true(has(&c, "y") && has(&c, "yhat"));
    c = complete(s, "load 0");
    assert_true(has(&c, "01-one-weight") && has(&c, "02-four-samples"));
    c = complete(s, "zerograd o");
    assert_int_equal(c.n, 2);
    session_free(s);
}

/* Each command's argument column says what completes after it; a statement's row says the same. */
static void completion_follows_the_tables(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    struct seen c = complete(s, "help ");
    assert_true(has(&c, "train") && has(&c, "save-display") && has(&c, "explain") && has(&c, "set"));
    c = complete(s, "export ");
    assert_int_equal(c.n, 2);
    assert_true(has(&c, "dot") && has(&c, "python"));
    c = complete(s, "zerograd ");
    assert_true(c.n == 2 && has(&c, "on") && has(&c, "off"));
    c = complete(s, "set precision ");
    assert_true(c.n == 3 && has(&c, "float64") && has(&c, "float32") && has(&c, "mixed"));
    c = complete(s, "say ");
    assert_int_equal(c.n, LESSON_PHASE_COUNT);
    assert_true(has(&c, "intro") && has(&c, "epoch"));
    c = complete(s, "quiz ch");
    assert_int_equal(c.n, 1);
    assert_string_equal(c.items[0], "chain");
    c = complete(s, "explain y");
    assert_true(c.n == 2 && has(&c, "y") && has(&c, "yhat"));
    /* nothing where a number, a file or nothing at all goes */
    assert_int_equal(complete(s, "step ").n, 0);
    assert_int_equal(complete(s, "train ").n, 0);
    assert_int_equal(complete(s, "save-display ").n, 0);
    assert_int_equal(complete(s, "quit ").n, 0);
    assert_int_equal(complete(s, "set lr ").n, 0);
    session_free(s);
}

static void a_typed_line_may_start_with_blanks(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    assert_ok(run(s, "  :set lr 0.2"));
    assert_true(walk_lr(session_walk(s)) == 0.2);
    session_result r = run(s, "  :let q = w * nope");
    assert_int_equal(r.col, 16);
    session_free(s);
}

static void a_set_value_survives_a_rebuild_under_a_decimal_comma(void **state)
{
    (void)state;
    if (decimal_comma_locale() < 0)
        return;
    /* the script line the session writes for w must read back as one number, not as the list "0,5" */
    session *s = open_lesson("01-one-weight.lesson");
    session_result a = run(s, ":set w 0.5"), b = run(s, ":let z = tanh(w * x)");
    const lesson *l = session_lesson(s);
    const graph_node *w = graph_node_at(l->g, l->names[lesson_find(l, "w")].id);
    int len = w->len;
    double v = w->data[0];
    session_result c = run(s, "check"); /* "the largest relative error is 1.2e-10", not "1,2e-10" */
    session_free(s);
    assert_false(a.error);
    assert_false(b.error);
    assert_int_equal(len, 1);
    assert_true(v == 0.5);
    assert_non_null(strstr(c.message, "error is "));
    assert_null(strchr(c.message, ','));
}

static void zero_epochs_are_refused_at_the_prompt(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    session_result r = run(s, "set epochs 0");
    assert_true(r.error);
    assert_int_equal(r.col, 12); /* under the 0 */
    assert_non_null(strstr(r.message, "from 1 to 1000000"));
    assert_int_equal(walk_epochs(session_walk(s)), 10);
    r = run(s, "set epochs 3");
    assert_false(r.error);
    assert_int_equal(walk_epochs(session_walk(s)), 3);
    session_free(s);
}

static void quiz_answers(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    walk *w = session_walk(s);
    quiz *q = session_quiz(s);
    walk_jump(w, quiz_step(q, 0));
    assert_int_equal(quiz_pending(q, w), 0);
    session_result r;
    assert_int_equal(session_answer(s, "4", &r), QUIZ_WRONG);
    assert_int_equal(session_answer(s, "(", &r), QUIZ_MALFORMED);
    assert_true(r.error);
    /* the unknown itself, a value still to come, or the engine's gradient: not answers */
    assert_int_equal(session_answer(s, "s", &r), QUIZ_MALFORMED);
    assert_string_equal(r.message, "s is what the question asks: work it out from the numbers on screen");
    assert_int_equal(r.col, 1);
    assert_int_equal(session_answer(s, "2 * L", &r), QUIZ_MALFORMED);
    assert_string_equal(r.message, "loss has no value on screen yet"); /* as the screen calls it */
    assert_int_equal(r.col, 5);
    assert_int_equal(session_answer(s, "grad(w)", &r), QUIZ_MALFORMED);
    /* the answer is read by the lesson's own lexer: "s-0" is s, minus 0, not a word "s-0" nobody checks */
    assert_int_equal(session_answer(s, "s-0", &r), QUIZ_MALFORMED);
    assert_string_equal(r.message, "s is what the question asks: work it out from the numbers on screen");
    assert_int_equal(session_answer(s, "0-L", &r), QUIZ_MALFORMED);
    assert_int_equal(r.col, 3);
    /* columns are characters, as the screen shows them: after the screen's minus sign s is the second */
    assert_int_equal(session_answer(s, "\u2212s", &r), QUIZ_MALFORMED);
    assert_int_equal(r.col, 2);
    /* a number with an exponent is a number, not the name e */
    assert_int_equal(session_answer(s, "1e0 * 4", &r), QUIZ_WRONG);
    assert_int_equal(quiz_tries(q, 0), 2); /* none of the malformed ones used a try */
    /* what the screen shows is fair: ŷ and y are known at s's step */
    assert_int_equal(session_answer(s, "yhat - y", &r), QUIZ_RIGHT);
    assert_int_equal(quiz_pending(q, w), -1);
    session_free(s);
}

/* What the screen shows may be typed: a label stands for its name wherever a name goes, and the column of an
 * error is the typed line's. */
static void labels_are_names_at_the_prompt(void **state)
{
    (void)state;
    session *s = open_lesson("05-neuron.lesson");
    lesson *l = session_lesson(s);
    session_result r = run(s, ":set w₁ 1");
    assert_false(r.error);
    assert_string_equal(r.message, "w₁ = 1");
    assert_true(graph_node_at(l->g, l->names[lesson_find(l, "w1")].id)->data[0] == 1);
    assert_ok(run(s, ":set b₂[1] 0.5")); /* b₂ is one number: the error is about the element, not the name */
    r = run(s, ":set ŷ 1");
    assert_string_equal(r.message, "ŷ is computed from other nodes; set a parameter or an input");
    /* in a formula: ŷ is yhat, and the column after it is counted in what was typed */
    r = run(s, ":let s = ŷ - q");
    assert_true(r.error);
    assert_int_equal(r.col, 14);
    assert_string_equal(r.message, "unknown name 'q'");
    assert_ok(run(s, ":let s = (ŷ - y) * 2"));
    assert_ok(run(s, ":explain w₁ The first weight, {w₁}."));
    assert_ok(run(s, "phase update"));
    assert_non_null(strstr(walk_step_narration(session_walk(s)), "The first weight, 1."));
    /* text is prose outside its placeholders: "w₁" stays as typed there */
    assert_ok(run(s, ":say epoch w₁ is {w₁} now"));
    assert_ok(run(s, "phase epoch"));
    assert_non_null(strstr(walk_step_narration(session_walk(s)), "w₁ is 1 now"));
    session_free(s);
}

/* A name typed nearly right is told the right one, by its label and its name. */
static void a_near_miss_suggests_the_name(void **state)
{
    (void)state;
    session *s = open_lesson("05-neuron.lesson");
    session_result r = run(s, ":set w3 1");
    assert_true(r.error);
    assert_int_equal(r.col, 6);
    assert_string_equal(r.message, "no parameter, input or setting called 'w3'; did you mean w₁ (w1) or w₂ (w2)?");
    r = run(s, ":set w 1");
    assert_string_equal(r.message, "no parameter, input or setting called 'w'; did you mean w₁ (w1) or w₂ (w2)?");
    r = run(s, ":set epoch 3");
    assert_string_equal(r.message, "no parameter, input or setting called 'epoch'; did you mean epochs?");
    r = run(s, ":let q = tanh(zz)");
    assert_string_equal(r.message, "unknown name 'zz'; did you mean z?");
    assert_int_equal(r.col, 15);
    r = run(s, ":set nothing_like_it 1");
    assert_string_equal(r.message, "no parameter, input or setting called 'nothing_like_it'");
    session_free(s);
    s = open_lesson("01-one-weight.lesson");
    r = run(s, ":set q 1"); /* one letter is near only what it begins */
    assert_string_equal(r.message, "no parameter, input or setting called 'q'");
    session_free(s);
}

/* A quiz's answer is a formula of what the screen shows, labels and all. */
static void a_quiz_answer_may_use_labels(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    walk *w = session_walk(s);
    quiz *q = session_quiz(s);
    walk_jump(w, quiz_step(q, 0));
    session_result r;
    assert_int_equal(session_answer(s, "yht - y", &r), QUIZ_MALFORMED);
    assert_string_equal(r.message, "That is not an answer I can read: unknown name 'yht'; did you mean ŷ (yhat)?");
    assert_int_equal(session_answer(s, "ŷ − loss", &r), QUIZ_MALFORMED);
    assert_string_equal(r.message, "loss has no value on screen yet");
    assert_int_equal(r.col, 5); /* loss, in what was typed */
    assert_int_equal(session_answer(s, "ŷ − y", &r), QUIZ_RIGHT);
    session_free(s);
}

/* Text typed at the prompt is held to the same spoiler rule as the lesson's: refused with the column. */
static void typed_text_is_held_to_the_spoiler_rule(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    int n = session_lesson(s)->say[LESSON_PHASE_FORWARD].n;
    session_result r = run(s, ":say forward the loss will be {L}");
    assert_true(r.error);
    assert_int_equal(r.col, 32); /* the name inside the placeholder */
    assert_string_equal(r.message, "{L} is not on screen yet: this line is shown where the forward phase begins "
                                   "(step 2), and loss is computed at step 4");
    assert_int_equal(session_lesson(s)->say[LESSON_PHASE_FORWARD].n, n);
    assert_ok(run(s, ":say epoch the next w is {new(w)}, after {lr}"));
    assert_ok(run(s, "phase epoch"));
    assert_non_null(strstr(walk_step_narration(session_walk(s)), "the next w is 0.16, after 0.01"));
    session_free(s);
}

/* :reset is the lesson as its file has it: the model (after :let and :loss), the settings, the quizzes. */
static void reset_brings_back_the_file(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    session_result r;
    walk_jump(session_walk(s), quiz_step(session_quiz(s), 0));
    assert_int_equal(session_answer(s, "yhat - y", &r), QUIZ_RIGHT);
    assert_ok(run(s, ":set lr 0.05"));
    assert_ok(run(s, ":set w 3"));
    assert_ok(run(s, ":zerograd off"));
    assert_ok(run(s, ":let z = tanh(w * x)"));
    assert_ok(run(s, ":loss L = (z - y)^2"));
    assert_true(walk_lr(session_walk(s)) == 0.05); /* a model edit keeps the settings */
    assert_false(walk_zero_grad(session_walk(s)));
    assert_string_equal(formula(s), "epoch 1, w = 3, η = 0.05");
    assert_ok(run(s, "reset"));
    walk *w = session_walk(s);
    assert_string_equal(formula(s), "epoch 1, w = 0, η = 0.01");
    assert_true(walk_zero_grad(w));
    assert_int_equal(walk_count(w), 13);
    int right, total;
    quiz_score(session_quiz(s), &right, &total);
    assert_int_equal(right, 0);
    assert_int_equal(total, 4);
    session_free(s);
}

/* After a model edit the quizzes about the old model are not asked and not counted; the rest are. */
static void a_retired_quiz_is_not_asked(void **state)
{
    (void)state;
    session *s = open_lesson("01-one-weight.lesson");
    assert_ok(run(s, ":let z = tanh(w * x)"));
    assert_ok(run(s, ":loss L = (z - y)^2"));
    const quiz *q = session_quiz(s);
    int right, total;
    quiz_score(q, &right, &total);
    assert_int_equal(total, 0); /* all four were about the model as shipped */
    for (int k = 0; k < session_lesson(s)->n_quiz; k++)
        assert_int_equal(quiz_step(q, k), -1);
    assert_ok(run(s, "phase update"));
    /* the phase's words that name only η still hold; the rest gives way to one notice */
    assert_string_equal(walk_step_narration(session_walk(s)),
                        "Update: every parameter takes a step against its gradient; the learning rate η = 0.01 sets "
                        "its size.\n"
                        "The lesson's text for this step is about the model as shipped; you changed it.");
    session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(settings_and_numbers),
        cmocka_unit_test(typed_text_is_held_to_the_spoiler_rule),
        cmocka_unit_test(reset_brings_back_the_file),
        cmocka_unit_test(a_retired_quiz_is_not_asked),
        cmocka_unit_test(a_typed_statement_rebuilds_the_graph),
        cmocka_unit_test(a_set_value_survives_a_rebuild),
        cmocka_unit_test(an_edit_that_breaks_a_later_line_says_which),
        cmocka_unit_test(moving_and_switches),
        cmocka_unit_test(check_export_help_and_load),
        cmocka_unit_test(zero_epochs_are_refused_at_the_prompt),
        cmocka_unit_test(completion),
        cmocka_unit_test(completion_follows_the_tables),
        cmocka_unit_test(a_typed_line_may_start_with_blanks),
        cmocka_unit_test_teardown(a_set_value_survives_a_rebuild_under_a_decimal_comma, remove_locale),
        cmocka_unit_test(quiz_answers),
        cmocka_unit_test(labels_are_names_at_the_prompt),
        cmocka_unit_test(a_near_miss_suggests_the_name),
        cmocka_unit_test(a_quiz_answer_may_use_labels),
    };
    return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
