/*
 * test_hostile.c — what hostile input and a hostile file system found (issue 14), kept from coming back:
 * names found by hashing as by reading them all, the graph's size limits, files written in one step and
 * never through a symlink, what is read only when it is a regular file, text made printable, sizes that do
 * not wrap, training that stops when asked, and a readline search left open by one tutor run that the next
 * one must not trip over (found by fuzz/fuzz_script; it takes make check-sanitize to see it fail).
 * The command-line side of the same issues is tests/cli/hostile.t, the terminal's tests/tmux/signals.t.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "graph.h"
#include "lesson.h"
#include "session.h"
#include "text.h"
#include "tui.h"
#include "walk.h"

/* A fresh directory for this test's files; removed with rm_dir. */
static void make_dir(char *dir, size_t n)
{
    snprintf(dir, n, "%s/bptutor-hostile-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(dir));
}

static void rm_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void read_text(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t k = fread(buf, 1, n - 1, f);
    buf[k] = '\0';
    fclose(f);
}

/* ---------------------------------------------------------------- names */

static void names_are_found_by_their_hash_as_by_reading_them_all(void **state)
{
    (void)state;
    enum { N = 3000 };
    size_t size = N * 40 + 64, used = 0;
    char *text = malloc(size);
    assert_non_null(text);
    used += (size_t)snprintf(text + used, size - used, "param n0 = 1\n");
    for (int i = 1; i < N; i++)
        used += (size_t)snprintf(text + used, size - used, "let n%d = n%d * 1\n", i, i - 1);
    snprintf(text + used, size - used, "loss L = n%d^2\n", N - 1);
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    free(text);
    if (!l)
        fail_msg("%d:%d: %s", err.line, err.col, err.message);
    char name[32];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "n%d", i);
        int k = lesson_find(l, name);
        assert_true(k >= 0);
        assert_string_equal(l->names[k].name, name);
    }
    assert_int_equal(lesson_find(l, "L"), N);
    assert_int_equal(lesson_find(l, "n3000"), -1);
    assert_int_equal(lesson_find(l, ""), -1);
    assert_int_equal(lesson_exec_line(l, "let late = L * 2", &err), 0); /* a name added later is found too */
    assert_int_equal(lesson_find(l, "late"), N + 1);
    lesson_free(l);
}

/* ---------------------------------------------------------------- the graph's limits */

static void the_graph_stops_at_its_limits_and_says_why(void **state)
{
    (void)state;
    graph *g = graph_new(GRAPH_FLOAT64);
    double *big = calloc(GRAPH_NUMBERS_MAX / 2 + 1, sizeof *big);
    assert_non_null(big);
    int a = graph_input(g, big, GRAPH_NUMBERS_MAX / 2 + 1);
    assert_true(a >= 0);
    int b;
    assert_int_equal(graph_op(g, GRAPH_OP_TANH, a, -1, &b), GRAPH_ETOOBIG); /* half plus half: one too many */
    assert_int_equal(graph_error(g), GRAPH_ETOOBIG);
    assert_int_equal(graph_count(g), 1);
    assert_non_null(strstr(graph_status_message(GRAPH_ETOOBIG), "500000 nodes"));
    assert_true(graph_const(g, 1) >= 0); /* a small node still fits */
    free(big);
    graph_free(g);
    g = graph_new(GRAPH_FLOAT64);
    double one = 1;
    for (int i = 0; i < GRAPH_NODES_MAX; i++)
        assert_true(graph_param(g, &one, 1) >= 0);
    assert_int_equal(graph_const(g, 2), -1);
    assert_int_equal(graph_error(g), GRAPH_ETOOBIG);
    graph_free(g);
}

static void a_lesson_past_the_limits_is_an_error_that_says_so(void **state)
{
    (void)state;
    size_t size = 1 << 20, used = 0;
    char *text = malloc(size);
    assert_non_null(text);
    used += (size_t)snprintf(text, size, "param w = 1\ninput x = 1");
    for (int i = 1; i < 1000; i++)
        used += (size_t)snprintf(text + used, size - used, ",%d", i % 7);
    used += (size_t)snprintf(text + used, size - used, "\nlet a0 = x * w\n");
    for (int i = 1; i < 5000; i++) /* 5000 nodes of 1000 samples: 5 million numbers */
        used += (size_t)snprintf(text + used, size - used, "let a%d = a%d * w\n", i, i - 1);
    snprintf(text + used, size - used, "loss L = mean(a4999)\n");
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    free(text);
    assert_null(l);
    assert_non_null(strstr(err.message, "cannot build the graph: too large: a lesson holds at most"));
    assert_true(err.line > 3000 && err.line < 5003);
}

/* ---------------------------------------------------------------- files */

static int write_hello(FILE *f, void *ctx)
{
    return fputs(ctx, f) < 0 ? -1 : 0;
}

static int write_half_then_fail(FILE *f, void *ctx)
{
    (void)ctx;
    fputs("half", f);
    errno = ENOSPC;
    return -1;
}

static void a_file_is_written_in_one_step_and_replaced_only_when_asked(void **state)
{
    (void)state;
    char dir[256], path[512], link_path[512], other[512], text[64];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.txt", dir);
    assert_int_equal(file_write(path, 0, write_hello, "one\n"), 0);
    read_text(path, text, sizeof text);
    assert_string_equal(text, "one\n");
    errno = 0;
    assert_int_equal(file_write(path, 0, write_hello, "two\n"), -1); /* there already */
    assert_int_equal(errno, EEXIST);
    read_text(path, text, sizeof text);
    assert_string_equal(text, "one\n");
    assert_int_equal(file_write(path, 1, write_half_then_fail, NULL), -1); /* a failed write leaves it */
    assert_int_equal(errno, ENOSPC);
    read_text(path, text, sizeof text);
    assert_string_equal(text, "one\n");
    assert_int_equal(file_write(path, 1, write_hello, "three\n"), 0);
    read_text(path, text, sizeof text);
    assert_string_equal(text, "three\n");
    /* a symlink is a file that is there: not written through, and with replace the link itself is replaced */
    snprintf(other, sizeof other, "%s/precious", dir);
    snprintf(link_path, sizeof link_path, "%s/link", dir);
    write_text(other, "precious\n");
    assert_int_equal(symlink(other, link_path), 0);
    assert_int_equal(file_write(link_path, 0, write_hello, "x\n"), -1);
    assert_int_equal(errno, EEXIST);
    assert_int_equal(file_write(link_path, 1, write_hello, "x\n"), 0);
    read_text(other, text, sizeof text);
    assert_string_equal(text, "precious\n");
    struct stat st;
    assert_int_equal(lstat(link_path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    /* nothing of the temporary files is left: out.txt, precious, link */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s' | wc -l)\" = 3", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(file_write(dir, 1, write_hello, "x\n"), -1); /* a directory is not replaced */
    rm_dir(dir);
}

static void only_regular_files_are_read_on_request(void **state)
{
    (void)state;
    char dir[256], fifo[512], path[512];
    const char *why;
    make_dir(dir, sizeof dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(path, sizeof path, "%s/lesson", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    write_text(path, "param w = 1\n");
    assert_int_equal(file_regular(path, &why), 1);
    assert_int_equal(file_regular(fifo, &why), 0);
    assert_string_equal(why, "a FIFO");
    assert_int_equal(file_regular(dir, &why), 0);
    assert_string_equal(why, "a directory");
    assert_int_equal(file_regular("/dev/null", &why), 0);
    assert_string_equal(why, "a device");
    assert_int_equal(file_regular("/no/such/file", &why), 0);
    assert_int_equal(errno, ENOENT);
    /* file_read opens without blocking: a FIFO with no writer is refused at once, not waited on */
    char *text;
    size_t len;
    assert_int_equal(file_read(fifo, 1000, &text, &len, &why), -1);
    assert_string_equal(why, "a FIFO");
    assert_int_equal(file_read(dir, 1000, &text, &len, &why), -1);
    assert_string_equal(why, "a directory");
    assert_int_equal(file_read(path, 5, &text, &len, &why), -1);
    assert_string_equal(why, "larger than the limit");
    assert_int_equal(file_read(path, 1000, &text, &len, &why), 0);
    assert_int_equal(len, 12);
    assert_string_equal(text, "param w = 1\n");
    free(text);
    rm_dir(dir);
}

/* ---------------------------------------------------------------- text and numbers */

static void text_from_a_file_is_made_printable(void **state)
{
    (void)state;
    char s[64];
    snprintf(s, sizeof s, "a\x1b[31mb\xc2\x9b" "31mc\xc2\xa0\xe4\xb8\xad\xff\td\n");
    assert_string_equal(text_printable(s, 0), "a?[31mb?31mc\xc2\xa0\xe4\xb8\xad??d?");
    snprintf(s, sizeof s, "tab\tand\nline\x7f");
    assert_string_equal(text_printable(s, 1), "tab\tand\nline?");
    assert_true(text_is_control(0x9b) && text_is_control(0x7f) && text_is_control(0x1b));
    assert_false(text_is_control(0xa0) || text_is_control('a'));
}

static void sizes_are_read_whole_and_never_wrapped(void **state)
{
    (void)state;
    int c = 0, r = 0;
    assert_int_equal(tui_parse_size("80x24", &c, &r), 0);
    assert_int_equal(c, 80);
    assert_int_equal(r, 24);
    assert_int_equal(tui_parse_size("1000X1000", &c, &r), 0);
    static const char *const bad[] = { "4294967376x24", "80x4294967320", "99999999999999999999x1", "0x24",
                                       "80x0",          "1001x24",       "80x24x",                 " 80x24",
                                       "+80x24",        "80x-24",        "80",                     "x24",
                                       "80x",           "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (tui_parse_size(bad[i], &c, &r) == 0)
            fail_msg("'%s' was read as %dx%d", bad[i], c, r);
}

static void a_number_that_underflows_to_zero_is_an_error(void **state)
{
    (void)state;
    double v;
    size_t used;
    lesson_error err;
    assert_int_equal(lesson_read_number("1e-400", &v, &used, &err), -1);
    assert_non_null(strstr(err.message, "too small"));
    assert_int_equal(lesson_read_number("1e309", &v, &used, &err), -1);
    assert_int_equal(lesson_read_number("1e-310", &v, &used, &err), 0); /* subnormal: kept */
    assert_true(v > 0);
    assert_int_equal(lesson_read_number("0e-400", &v, &used, &err), 0); /* 0 written as 0 */
    assert_int_equal(lesson_read_number("0.000e-999", &v, &used, &err), 0);
    assert_true(v == 0);
}

static void a_c1_control_in_a_lesson_is_refused_like_c0(void **state)
{
    (void)state;
    lesson_error err;
    static const char text[] = "title a\xc2\x9b" "31mred\nparam w = 1\nloss L = w^2\n";
    lesson *l = lesson_parse(text, sizeof text - 1, &err);
    assert_null(l);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 8);
    assert_string_equal(err.message, "control character U+009B in the line");
    assert_string_equal(err.source, "title a?31mred");
    static const char ok[] = "title a\xc2\xa0" "b\nparam w = 1\nloss L = w^2\n"; /* U+00A0 is no control */
    l = lesson_parse(ok, sizeof ok - 1, &err);
    assert_non_null(l);
    lesson_free(l);
}

/* ---------------------------------------------------------------- training */

static int stop_at_once(void *ctx, int done, int total, double seconds)
{
    (void)total, (void)seconds;
    *(int *)ctx = done;
    return 1;
}

static void training_stops_when_asked_and_keeps_the_epochs_done(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/lessons/en/05-neuron.lesson", getenv("TOP") ? getenv("TOP") : ".");
    catalog_langs langs = catalog_pick_langs("en");
    lesson_error err;
    session *s = session_open(path, &langs, &err);
    assert_non_null(s);
    int seen = -1, stopped;
    session_on_progress(s, stop_at_once, &seen);
    int done = session_train(s, 1000000, &stopped);
    assert_true(stopped);
    assert_int_equal(done, seen);
    assert_true(done > 0 && done < 1000000);
    assert_int_equal(walk_epoch(session_walk(s)), done + 1);
    session_result r;
    session_exec(s, "train 1000000", &r);
    assert_false(r.error);
    assert_non_null(strstr(r.message, "training stopped after"));
    session_on_progress(s, NULL, NULL);
    session_exec(s, "train 5", &r);
    assert_string_equal(r.message, "trained 5 epochs");
    session_free(s);
}

/* ---------------------------------------------------------------- two tutors in one process */

/* The tutor on lesson 01 with keys as its script; quiet: its stderr (a bad line's error) goes to a file. */
static int run_script(const char *dir, const char *keys, int quiet)
{
    char script[512], lesson_path[4096];
    snprintf(script, sizeof script, "%s/keys", dir);
    snprintf(lesson_path, sizeof lesson_path, "%s/lessons/en/01-one-weight.lesson",
             getenv("TOP") ? getenv("TOP") : ".");
    write_text(script, keys);
    tui_options opt = { .script = script, .cols = 80, .rows = 24, .no_quiz = 1 };
    opt.langs = catalog_pick_langs("en");
    char err[512];
    snprintf(err, sizeof err, "%s/err", dir);
    fflush(stderr);
    int saved = dup(2);
    assert_true(!quiet || freopen(err, "w", stderr) != NULL);
    int status = tui_run(&opt, lesson_path, "01", NULL, 0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    clearerr(stderr);
    return status;
}

static void a_search_left_open_by_one_run_is_ended_before_the_next(void **state)
{
    (void)state;
    char dir[256];
    make_dir(dir, sizeof dir);
    /* the first run ends on a bad line while a Ctrl-R search holds the history's lines */
    assert_int_equal(run_script(dir, ":set w 1\n:step 3\n<Type :>\n<C-r>\n<Type s>\n<Frobnicate>\n", 1), 2);
    /* the second clears the history: readline must not be searching in it still (AddressSanitizer's report
     * of a use after free, when it is, goes to stderr) */
    assert_int_equal(run_script(dir, "<Type :>\n<Type s>\n<Type e>\n<Enter>\n", 0), 0);
    rm_dir(dir);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_found_by_their_hash_as_by_reading_them_all),
        cmocka_unit_test(the_graph_stops_at_its_limits_and_says_why),
        cmocka_unit_test(a_lesson_past_the_limits_is_an_error_that_says_so),
        cmocka_unit_test(a_file_is_written_in_one_step_and_replaced_only_when_asked),
        cmocka_unit_test(only_regular_files_are_read_on_request),
        cmocka_unit_test(text_from_a_file_is_made_printable),
        cmocka_unit_test(sizes_are_read_whole_and_never_wrapped),
        cmocka_unit_test(a_number_that_underflows_to_zero_is_an_error),
        cmocka_unit_test(a_c1_control_in_a_lesson_is_refused_like_c0),
        cmocka_unit_test(training_stops_when_asked_and_keeps_the_epochs_done),
        cmocka_unit_test(a_search_left_open_by_one_run_is_ended_before_the_next),
    };
    return cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
}
