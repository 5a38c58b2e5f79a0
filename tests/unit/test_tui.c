/*
 * test_tui.c — the screen's tables and what no screen shows: action names that never shadow a command or
 * a statement, a default keymap with one action per key, :bind's keymap, key names read as scripts write
 * them, the manual page's KEYS section equal to the one the tables make, and the exit status for a lesson
 * that does not load.
 *
 * `test_tui --man-keys` prints the KEYS section the tables make, to paste into man/bptutor.1.
 */
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

#include "lesson.h"
#include "session.h"
#include "tui.h"
#include "tui_action.h"
#include "tui_crt.h"
#include "tui_keymap.h"

/* ---------------------------------------------------------------- the manual page's KEYS section */

/* A key's label as troff writes it: arrows by name, '-' as \-. */
static void troff_label(FILE *out, const char *label)
{
    static const struct {
        const char *utf8, *troff;
    } glyphs[] = { { "\u2192", "\\(->" }, { "\u2190", "\\(<-" }, { "\u2191", "\\(ua" }, { "\u2193", "\\(da" },
                   { "-", "\\-" },        { "\\", "\\e" } };
    while (*label) {
        size_t i = 0;
        while (i < sizeof glyphs / sizeof glyphs[0] && strncmp(label, glyphs[i].utf8, strlen(glyphs[i].utf8)) != 0)
            i++;
        if (i < sizeof glyphs / sizeof glyphs[0]) {
            fputs(glyphs[i].troff, out);
            label += strlen(glyphs[i].utf8);
        } else {
            fputc(*label++, out);
        }
    }
}

static void troff_text(FILE *out, const char *text)
{
    troff_label(out, text);
}

/* The section, from .SH KEYS up to the next .SH, made from the action table and the default keymap. */
static void man_keys(FILE *out)
{
    tui_keymap_reset();
    char help[16], prompt[16];
    fputs(".SH KEYS\n"
          "Each key runs a named action.\n"
          "The help screen\n.RB ( ",
          out);
    troff_label(out, tui_keymap_how(TUI_ACT_TOGGLE_HELP, help, sizeof help));
    fputs(" )\nlists them in the groups below.\nAt the\n.B ", out);
    troff_label(out, tui_keymap_how(TUI_ACT_PROMPT, prompt, sizeof prompt));
    fputs("\nprompt an action's name runs it\n.RB ( :next\\-phase ),\nand\n.BI :bind \" KEY ACTION\"\n"
          "gives a key to an action until the tutor quits; a key is written as in a script\n"
          ".RB ( x \", \" <Right> \", \" <S\\-Left> \", \" <C\\-x> ).\n",
          out);
    for (int g = 0; g < TUI_GROUP_COUNT; g++) {
        fprintf(out, ".SS %s\n", tui_group_title((enum tui_group)g));
        int first = 1;
        for (int a = 0; a < TUI_ACTION_COUNT; a++) {
            if (tui_action_group((enum tui_action)a) != (enum tui_group)g)
                continue;
            char keys[128];
            tui_keymap_labels((enum tui_action)a, keys, sizeof keys);
            fputs(first ? ".TP 14\n.B " : ".TQ\n.B ", out);
            troff_label(out, keys);
            fputs("\n.BR ", out);
            troff_text(out, tui_action_name((enum tui_action)a));
            fputs(" :\n", out);
            troff_text(out, tui_action_help((enum tui_action)a));
            fputc('\n', out);
            first = 0;
        }
        if (g != TUI_GROUP_QUIZ)
            continue;
        for (int k = 0; k < TUI_ANSWER_KEY_COUNT; k++) { /* the answer line's own keys (TUI_ANSWER_KEYS) */
            char label[16];
            fputs(".TQ\n.B ", out);
            troff_label(out, tui_key_label(tui_answer_key((enum tui_answer_key)k), label, sizeof label));
            fputs("\n", out);
            troff_text(out, tui_answer_help((enum tui_answer_key)k));
            fputc('\n', out);
        }
    }
    char answer[16], next[16];
    fputs(".PP\n"
          "Going back restores exactly the earlier state: values, gradients and history.\n"
          "When a quiz waits, its question shows above an answer line that takes a number or an expression;\n"
          "every other key there types or edits the answer (Space, \\(-> and ] move nothing else).\n"
          "Enter checks it, and on an empty line asks again (and shows the next page of a hint too long for the\n"
          "rows under the view, which its last row says); Tab shows the answer worked out (a skip: the quiz\n"
          "is settled, not counted right); Esc leaves the quiz waiting. Then\n.B ",
          out);
    troff_label(out, tui_keymap_how(TUI_ACT_ANSWER_QUIZ, answer, sizeof answer));
    fputs("\nopens the line again and\n.B ", out);
    const char *next_key = tui_keymap_how(TUI_ACT_NEXT, next, sizeof next);
    troff_label(out, next_key);
    fputs("\nshows the answer the same way.\n"
          "At the end of the first epoch the quiz score counts the quizzes answered right at the first try, and\n"
          "says apart how many came right after a wrong try (\\(lqQuiz score: 3 of 4 right at the first try, 1 later\\(rq);\n"
          "the picker and the progress file keep the same count.\n"
          "In classroom mode a quiz is asked aloud: no answer line opens, and\n.B ", out);
    troff_label(out, next_key);
    fputs("\nshows the answer and the step's result.\n"
          "At the : prompt, Esc or Ctrl\\-C drops the line.\n"
          "Ctrl\\-Z suspends at the : prompt and at an answer line too; after fg the line is back as it was.\n",
          out);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t size = 1 << 16, n = 0;
    char *buf = malloc(size);
    for (size_t k; buf && (k = fread(buf + n, 1, size - n - 1, f)) > 0;) {
        n += k;
        if (n + 1 == size) {
            char *more = realloc(buf, size *= 2);
            if (!more)
                free(buf);
            buf = more;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static void the_manual_page_lists_the_actions_and_default_keys(void **state)
{
    (void)state;
    const char *top = getenv("TOP");
    char path[4096];
    snprintf(path, sizeof path, "%s/man/bptutor.1", top && *top ? top : ".");
    char *page = slurp(path);
    assert_non_null(page);
    char *start = strstr(page, "\n.SH KEYS\n");
    assert_non_null(start);
    start++;
    char *end = strstr(start + 1, "\n.SH ");
    assert_non_null(end);
    end[1] = '\0';
    char *made = NULL;
    size_t made_len = 0;
    FILE *out = open_memstream(&made, &made_len);
    assert_non_null(out);
    man_keys(out);
    fclose(out);
    if (strcmp(start, made) != 0)
        fprintf(stderr, "man/bptutor.1's KEYS section is not the one the tables make; it should be (from "
                        "`build/tests/test_tui --man-keys`):\n%s",
                made);
    assert_string_equal(start, made);
    free(made);
    free(page);
}

/* ---------------------------------------------------------------- the tables */

static int is_command_or_statement(const char *name)
{
    for (int c = 0; c < SESSION_COMMAND_COUNT; c++)
        if (strcmp(name, session_command_name((enum session_command)c)) == 0)
            return 1;
    for (int s = 0; s < LESSON_STMT_COUNT; s++)
        if (strcmp(name, lesson_statement_name((enum lesson_statement)s)) == 0)
            return 1;
    return 0;
}

static void action_names_are_unique_and_shadow_no_command(void **state)
{
    (void)state;
    for (int a = 0; a < TUI_ACTION_COUNT; a++) {
        const char *name = tui_action_name((enum tui_action)a);
        assert_int_equal(tui_action_lookup(name, strlen(name)), a);
        /* quit is the one name an action shares with the session, and both quit */
        if (a != TUI_ACT_QUIT && is_command_or_statement(name))
            fail_msg("the action %s has the name of a command or a statement", name);
        assert_int_equal(tui_command_lookup(name, strlen(name)), -1);
        assert_non_null(tui_action_help((enum tui_action)a));
    }
    for (int c = 0; c < TUI_COMMAND_COUNT; c++)
        if (is_command_or_statement(tui_command_name((enum tui_command_id)c)))
            fail_msg("the screen's command %s is also the session's", tui_command_name((enum tui_command_id)c));
    assert_int_equal(tui_action_lookup("next-phase", 4), TUI_ACT_NEXT);
    assert_int_equal(tui_action_lookup("nope", 4), -1);
}

static void the_rows_are_in_their_groups_order(void **state)
{
    (void)state;
    for (int a = 1; a < TUI_ACTION_COUNT; a++)
        assert_true(tui_action_group((enum tui_action)a) >= tui_action_group((enum tui_action)(a - 1)));
}

static void every_action_has_a_default_key_and_a_key_one_action(void **state)
{
    (void)state;
    tui_keymap_reset();
    int seen[KEY_MAX + 1] = { 0 };
    for (int a = 0; a < TUI_ACTION_COUNT; a++) {
        int keys[16];
        int n = tui_keymap_keys((enum tui_action)a, keys, 16);
        if (n == 0)
            fail_msg("%s has no key", tui_action_name((enum tui_action)a));
        for (int i = 0; i < n && i < 16; i++) {
            assert_in_range(keys[i], 1, KEY_MAX);
            if (seen[keys[i]]++)
                fail_msg("key %d is bound twice", keys[i]);
            assert_int_equal(tui_keymap_action(keys[i]), a);
        }
    }
}

static void keys_are_named_as_scripts_write_them(void **state)
{
    (void)state;
    assert_int_equal(tui_key_parse("x", 1), 'x');
    assert_int_equal(tui_key_parse("<", 1), '<');
    assert_int_equal(tui_key_parse("<lt>", 4), '<');
    assert_int_equal(tui_key_parse("<Right>", 7), KEY_RIGHT);
    assert_int_equal(tui_key_parse("<S-Left>", 8), KEY_SLEFT);
    assert_int_equal(tui_key_parse("<C-Left>", 8), KEY_SLEFT);
    assert_int_equal(tui_key_parse("<C-x>", 5), TUI_KEY_CTRL('x'));
    assert_int_equal(tui_key_parse("<Space>", 7), ' ');
    assert_int_equal(tui_key_parse("<Esc>", 5), 27);
    assert_int_equal(tui_key_parse(" ", 1), -1);
    assert_int_equal(tui_key_parse("<Frob>", 6), -1);
    assert_int_equal(tui_key_parse("<>", 2), -1);
    assert_int_equal(tui_key_parse("xy", 2), -1);
    assert_int_equal(tui_key_parse("\xc3\xa9", 2), -1); /* é: keys are bytes, a character is not one */
    char buf[16];
    assert_string_equal(tui_key_label(KEY_SLEFT, buf, sizeof buf), "S-\u2190");
    assert_string_equal(tui_key_label(TUI_KEY_CTRL('l'), buf, sizeof buf), "C-l");
    assert_null(tui_key_label('\n', buf, sizeof buf));
}

static void a_bound_key_runs_its_new_action_and_is_shown_first(void **state)
{
    (void)state;
    tui_keymap_reset();
    char buf[16], all[128];
    assert_int_equal(tui_keymap_bind('x', TUI_ACT_NEXT_PHASE), 0);
    assert_int_equal(tui_keymap_action('x'), TUI_ACT_NEXT_PHASE);
    assert_string_equal(tui_keymap_first_label(TUI_ACT_NEXT_PHASE, buf, sizeof buf), "x");
    tui_keymap_labels(TUI_ACT_NEXT_PHASE, all, sizeof all);
    assert_string_equal(all, "x ]");
    /* a key already bound leaves its old action */
    assert_int_equal(tui_keymap_bind('q', TUI_ACT_NEXT), 0);
    assert_int_equal(tui_keymap_action('q'), TUI_ACT_NEXT);
    assert_string_equal(tui_keymap_first_label(TUI_ACT_QUIT, buf, sizeof buf), "C-c");
    assert_int_equal(tui_keymap_bind(TUI_KEY_CTRL('c'), TUI_ACT_NEXT), 0);
    assert_null(tui_keymap_first_label(TUI_ACT_QUIT, buf, sizeof buf));
    assert_string_equal(tui_keymap_how(TUI_ACT_QUIT, buf, sizeof buf), ":quit");
    tui_keymap_reset();
    assert_int_equal(tui_keymap_action('q'), TUI_ACT_QUIT);
    assert_int_equal(tui_keymap_action('x'), -1);
}

/* ---------------------------------------------------------------- the exit status */

/* Run the tutor headlessly on a lesson; returns its status, with what it wrote on stderr in err. */
static int run_tutor(const char *lesson_text, char *err, size_t n, char *lesson_path, size_t pn)
{
    char dir[] = "/tmp/test_tui.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char script[256], errfile[256];
    snprintf(lesson_path, pn, "%s/bad.lesson", dir);
    snprintf(script, sizeof script, "%s/s.script", dir);
    snprintf(errfile, sizeof errfile, "%s/err", dir);
    FILE *f = fopen(lesson_path, "w");
    assert_non_null(f);
    fputs(lesson_text, f);
    fclose(f);
    f = fopen(script, "w");
    assert_non_null(f);
    fputs("]\n", f);
    fclose(f);
    fflush(stderr);
    int saved = dup(2);
    assert_true(freopen(errfile, "w", stderr) != NULL);
    tui_options opt = { .script = script, .cols = 80, .rows = 24 };
    int status = tui_run(&opt, lesson_path, "bad.lesson", NULL, 0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    clearerr(stderr);
    f = fopen(errfile, "r");
    assert_non_null(f);
    size_t k = fread(err, 1, n - 1, f);
    err[k] = '\0';
    fclose(f);
    unlink(errfile);
    unlink(script);
    return status;
}

static void a_lesson_that_does_not_load_is_status_2_with_the_error_in_gcc_form(void **state)
{
    (void)state;
    char err[4096], path[512], want[600];
    int status = run_tutor("param w = 0\nset lr fast\n", err, sizeof err, path, sizeof path);
    snprintf(want, sizeof want, "%s:2:8: error: lr must be a positive number, not 'fast'\n", path);
    assert_int_equal(status, 2);
    assert_true(strncmp(err, want, strlen(want)) == 0);
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    if (argc > 1 && strcmp(argv[1], "--man-keys") == 0) {
        man_keys(stdout);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(action_names_are_unique_and_shadow_no_command),
        cmocka_unit_test(the_rows_are_in_their_groups_order),
        cmocka_unit_test(every_action_has_a_default_key_and_a_key_one_action),
        cmocka_unit_test(keys_are_named_as_scripts_write_them),
        cmocka_unit_test(a_bound_key_runs_its_new_action_and_is_shown_first),
        cmocka_unit_test(the_manual_page_lists_the_actions_and_default_keys),
        cmocka_unit_test(a_lesson_that_does_not_load_is_status_2_with_the_error_in_gcc_form),
    };
    return cmocka_run_group_tests_name("tui", tests, NULL, NULL);
}
