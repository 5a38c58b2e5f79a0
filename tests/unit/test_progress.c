/*
 * test_progress.c — a learner's progress per lesson (progress.h): it comes back as it was saved, a file that
 * does not read is set aside and reported once, the directory is made when missing, the state directory
 * follows XDG_STATE_HOME and a script keeps away from HOME's, and clearing forgets one lesson or all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

/* A fresh directory for one test, and its name; removed (with what is in it, one level deep) afterwards. */
static char root[256];

static int make_root(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "%s/bptutor-progress-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(root) ? 0 : -1;
}

static int remove_root(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static progress sample(void)
{
    progress p;
    memset(&p, 0, sizeof p);
    p.epoch = 1, p.step = 11, p.steps = 40;
    strcpy(p.quiz, "rsrk");
    strcpy(p.tries, "0310");
    p.finished = 1, p.right = 1, p.total = 4, p.answered = 4, p.later = 1;
    p.saved = 1795000000;
    return p;
}

static void a_saved_progress_comes_back_as_it_was(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/progress", root);
    progress p = sample(), q;
    char why[256] = "";
    assert_int_equal(progress_save(dir, "01-one-weight", &p), 0);
    assert_int_equal(progress_load(dir, "01-one-weight", &q, why, sizeof why), 1);
    assert_memory_equal(&p, &q, sizeof p);
    /* saved again with a new place: the new one, and no temporary file left beside it */
    p.step = 12;
    strcpy(p.quiz, "rrrr");
    assert_int_equal(progress_save(dir, "01-one-weight", &p), 0);
    assert_int_equal(progress_load(dir, "01-one-weight", &q, why, sizeof why), 1);
    assert_int_equal(q.step, 12);
    assert_string_equal(q.quiz, "rrrr");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = 01-one-weight.progress", dir);
    assert_int_equal(system(cmd), 0);
    /* another lesson is another file */
    assert_int_equal(progress_load(dir, "02-four-samples", &q, why, sizeof why), 0);
    assert_int_equal(q.epoch, 0);
    assert_false(progress_started(&q));
}

static void the_text_is_the_documented_one(void **state)
{
    (void)state;
    progress p = sample(), q;
    char buf[512], why[128];
    progress_format(&p, buf, sizeof buf);
    assert_string_equal(buf, "bptutor progress 1\nepoch 1\nstep 11\nsteps 40\nquiz rsrk\ntries 0310\nfinished 1\n"
                             "score 1 4 4\nlater 1\nsaved 1795000000\nend\n");
    /* a line of a later version is skipped; no quizzes is written as "-" */
    assert_int_equal(progress_parse("bptutor progress 1\nepoch 2\nstep 0\nsteps 9\ncolour blue\nquiz -\nend\n",
                                    strlen("bptutor progress 1\nepoch 2\nstep 0\nsteps 9\ncolour blue\nquiz -\nend\n"),
                                    &q, why, sizeof why),
                     0);
    assert_int_equal(q.epoch, 2);
    assert_string_equal(q.quiz, "");
}

/* Each of these is not progress: the reason names what is wrong. */
static void what_does_not_read_says_why(void **state)
{
    (void)state;
    static const struct { const char *text, *why; } bad[] = {
        { "", "empty" },
        { "bptutor progress 2\nend\n", "does not start" },
        { "bptutor progress 1\nepoch 1\nstep 3\nsteps 9\n", "no end" },
        { "bptutor progress 1\nepoch 1\nstep 3\nsteps 9\nend", "cut short" },
        { "bptutor progress 1\nepoch 1\nstep 3\nend\n", "place is missing" },
        { "bptutor progress 1\nepoch 1\nstep x\nsteps 9\nend\n", "line 3" },
        { "bptutor progress 1\nepoch 1\nstep -3\nsteps 9\nend\n", "line 3" },
        { "bptutor progress 1\nepoch 1\nstep 3 4\nsteps 9\nend\n", "line 3" },
        { "bptutor progress 1\nepoch 1\nstep 9\nsteps 9\nend\n", "no place" },
        { "bptutor progress 1\nepoch 1\nstep 3\nsteps 9\nquiz rx\nend\n", "line 5" },
        { "bptutor progress 1\nepoch 1\nstep 3\nsteps 9\nscore 5 4 4\nend\n", "line 5" },
        { "bptutor progress 1\nepoch 1\nstep 3\nsteps 9\ntries 04\nend\n", "line 5" },
        { "bptutor progress 1\nepoch 1\nstep 3\nsteps 9\nlater x\nend\n", "line 5" },
        { "bptutor progress 1\nepoch 1\nstep 3\nsteps 9\nend\nepoch 2\n", "after the end" },
        { "bptutor progress 1\nepoch 99999999999\nstep 3\nsteps 9\nend\n", "line 2" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        progress q;
        char why[256] = "";
        assert_int_equal(progress_parse(bad[i].text, strlen(bad[i].text), &q, why, sizeof why), -1);
        if (!strstr(why, bad[i].why))
            fail_msg("%zu: \"%s\" does not say \"%s\"", i, why, bad[i].why);
    }
}

static void a_corrupt_file_is_set_aside_and_reported_once(void **state)
{
    (void)state;
    char dir[300], file[400], aside[410], why[512] = "";
    snprintf(dir, sizeof dir, "%s/progress", root);
    snprintf(file, sizeof file, "%s/03-hidden-unit.progress", dir);
    snprintf(aside, sizeof aside, "%s.bad", file);
    assert_int_equal(mkdir(dir, 0700), 0);
    put(file, "bptutor progress 1\nepoch 1\nstep 3\nste");
    progress q;
    assert_int_equal(progress_load(dir, "03-hidden-unit", &q, why, sizeof why), -1);
    assert_string_equal(why, "03-hidden-unit's progress set aside as .progress.bad: line 4 is cut short");
    assert_null(strchr(why, '\n'));
    assert_int_equal(q.epoch, 0);
    assert_false(exists(file));
    assert_true(exists(aside));
    /* once: the next look finds nothing to report, and a save works */
    why[0] = '\0';
    assert_int_equal(progress_load(dir, "03-hidden-unit", &q, why, sizeof why), 0);
    assert_string_equal(why, "");
    progress p = sample();
    assert_int_equal(progress_save(dir, "03-hidden-unit", &p), 0);
    assert_int_equal(progress_load(dir, "03-hidden-unit", &q, why, sizeof why), 1);
    /* what is not a regular file (a FIFO would block a reader) is set aside too, not read */
    snprintf(file, sizeof file, "%s/04-fifo.progress", dir);
    assert_int_equal(mkfifo(file, 0600), 0);
    assert_int_equal(progress_load(dir, "04-fifo", &q, why, sizeof why), -1);
    assert_non_null(strstr(why, "a FIFO"));
    assert_false(exists(file));
}

static void a_missing_directory_is_made(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/state/bptutor/progress", root);
    assert_false(exists(dir));
    progress p = sample(), q;
    char why[128];
    assert_int_equal(progress_load(dir, "01-one-weight", &q, why, sizeof why), 0);
    assert_int_equal(progress_save(dir, "01-one-weight", &p), 0);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 077, 0); /* what a learner did is theirs */
    assert_int_equal(progress_load(dir, "01-one-weight", &q, why, sizeof why), 1);
    /* a directory that cannot be made: an error, nothing fatal */
    char file[400], under[500];
    snprintf(file, sizeof file, "%s/plain-file", root);
    put(file, "x");
    snprintf(under, sizeof under, "%s/progress", file);
    assert_int_equal(progress_save(under, "01-one-weight", &p), -1);
}

static void the_directory_follows_xdg_state_home_and_a_script_keeps_out_of_home(void **state)
{
    (void)state;
    char buf[512], want[512];
    setenv("HOME", "/home/ann", 1);
    unsetenv("XDG_STATE_HOME");
    assert_int_equal(progress_dir(0, buf, sizeof buf), 0);
    assert_string_equal(buf, "/home/ann/.local/state/bptutor/progress");
    assert_int_equal(progress_dir(1, buf, sizeof buf), -1);
    setenv("XDG_STATE_HOME", "relative/state", 1); /* ignored, as the XDG specification says */
    assert_int_equal(progress_dir(1, buf, sizeof buf), -1);
    setenv("XDG_STATE_HOME", root, 1);
    assert_int_equal(progress_dir(1, buf, sizeof buf), 0);
    snprintf(want, sizeof want, "%s/bptutor/progress", root);
    assert_string_equal(buf, want);
    unsetenv("XDG_STATE_HOME");
}

static void a_lesson_is_known_by_its_file_name(void **state)
{
    (void)state;
    char key[256];
    assert_int_equal(progress_key("/usr/share/bptutor/lessons/zh-TW/01-one-weight.lesson", key, sizeof key), 0);
    assert_string_equal(key, "01-one-weight");
    assert_int_equal(progress_key("mine.lesson", key, sizeof key), 0);
    assert_string_equal(key, "mine");
    assert_int_equal(progress_key("/dev/fd/63", key, sizeof key), -1);
    assert_int_equal(progress_key("lessons/.lesson", key, sizeof key), -1);
    assert_int_equal(progress_key("lessons/.hidden.lesson", key, sizeof key), -1);
    assert_int_equal(progress_key("lessons/a\tb.lesson", key, sizeof key), -1);
    assert_int_equal(progress_key("01-one-weight.lesson", key, 4), -1);
}

static void clearing_forgets_one_lesson_or_all(void **state)
{
    (void)state;
    char dir[300], other[400], tmp[400];
    snprintf(dir, sizeof dir, "%s/progress", root);
    progress p = sample(), q;
    char why[128];
    int n = -1;
    assert_int_equal(progress_clear(dir, NULL, &n), 0); /* nothing there yet */
    assert_int_equal(n, 0);
    assert_int_equal(progress_save(dir, "01-one-weight", &p), 0);
    assert_int_equal(progress_save(dir, "02-four-samples", &p), 0);
    assert_int_equal(progress_save(dir, "03-hidden-unit", &p), 0);
    snprintf(other, sizeof other, "%s/notes.txt", dir);
    put(other, "not ours\n");
    snprintf(tmp, sizeof tmp, "%s/.bptutor-123-0.tmp", dir); /* what a save killed halfway leaves */
    put(tmp, "bptutor progress 1\n");
    assert_int_equal(progress_clear(dir, "02-four-samples", &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(progress_load(dir, "02-four-samples", &q, why, sizeof why), 0);
    assert_int_equal(progress_load(dir, "01-one-weight", &q, why, sizeof why), 1);
    assert_int_equal(progress_clear(dir, "02-four-samples", &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(progress_clear(dir, NULL, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(progress_load(dir, "01-one-weight", &q, why, sizeof why), 0);
    assert_false(exists(tmp));
    assert_true(exists(other)); /* only our files go */
}

static void the_state_is_said_in_words(void **state)
{
    (void)state;
    progress p;
    char buf[64];
    memset(&p, 0, sizeof p);
    progress_describe(&p, buf, sizeof buf);
    assert_string_equal(buf, "new");
    p.epoch = 1, p.steps = 40;
    progress_describe(&p, buf, sizeof buf);
    assert_string_equal(buf, "new");
    assert_false(progress_resumable(&p));
    p.step = 11;
    progress_describe(&p, buf, sizeof buf);
    assert_string_equal(buf, "step 12 of 40");
    assert_true(progress_resumable(&p));
    p.step = 39; /* the epoch's end: the lesson was walked to its end, and starts again from the top */
    assert_false(progress_resumable(&p));
    p.step = 11;
    p.finished = 1;
    progress_describe(&p, buf, sizeof buf);
    assert_string_equal(buf, "done");
    p.right = 3, p.total = 4, p.answered = 4;
    progress_describe(&p, buf, sizeof buf);
    assert_string_equal(buf, "done, 3/4 first try");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_saved_progress_comes_back_as_it_was, make_root, remove_root),
        cmocka_unit_test(the_text_is_the_documented_one),
        cmocka_unit_test(what_does_not_read_says_why),
        cmocka_unit_test_setup_teardown(a_corrupt_file_is_set_aside_and_reported_once, make_root, remove_root),
        cmocka_unit_test_setup_teardown(a_missing_directory_is_made, make_root, remove_root),
        cmocka_unit_test_setup_teardown(the_directory_follows_xdg_state_home_and_a_script_keeps_out_of_home,
                                        make_root, remove_root),
        cmocka_unit_test(a_lesson_is_known_by_its_file_name),
        cmocka_unit_test_setup_teardown(clearing_forgets_one_lesson_or_all, make_root, remove_root),
        cmocka_unit_test(the_state_is_said_in_words),
    };
    return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
