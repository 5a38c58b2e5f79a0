/*
 * bench_tutor.c — the whole tutor on a headless screen (--script, so the keys and the frames are the real
 * ones, written to /dev/null), in three parts:
 *
 *   1. A long session on each lesson at 120×40: step through two epochs a key at a time, train the rest,
 *      open every view, resize, step back; ms per run and the peak resident memory of the process. With the
 *      shipped lessons go a chain of 200 tanh levels that one weight feeds (~800 nodes) and a loss summing
 *      200 parameters.
 *   2. Keys per second at 80×24 with --no-quiz on lessons 01, 02 and 05 (the goal: ≥ 20,000): a run of 2,000
 *      → keys against a run of none, so that start-up cancels. Replayed keys follow one another at once, so
 *      only the last key's frame is drawn (as on a terminal with keys typed ahead: tui.c); the second figure
 *      is a drawn frame per key, each → followed by <Frame>, which is no key and so has the frame drawn.
 *   3. The graph's size: a chain of 1,000 nodes and a sum of 1,000 terms (one expression, so 999 unnamed
 *      nodes), at 80×24: the first frame (a whole run that draws it and quits: start-up included; the goal
 *      is ≤ 50 ms) and the cost of a key (the goal: ≤ 0.5 ms), again as a run of keys against a run of none,
 *      replayed and with a frame drawn per key.
 *
 * The runs of each part are interleaved, one of each in turn; figures are min/median/max. The machine may be
 * shared: wall-clock times are noisy, and bench/callgrind counts instructions for the same runs.
 *
 * bench_tutor [RUNS]   — run from the top of the tree, after make; $BPTUTOR names another bptutor to measure
 *                        (another build, for a before and after). bench_tutor --lessons DIR writes the
 *                        generated lessons into DIR (for bench/callgrind) and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "stats.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* One replay; returns its seconds and the peak RSS in KiB, or −1. */
static double replay(const char *script, const char *size, const char *lesson, long *max_rss_kib)
{
    fflush(stdout); /* or the child would write our buffered lines again */
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        const char *bptutor = getenv("BPTUTOR") ? getenv("BPTUTOR") : "./bptutor";
        execl(bptutor, "bptutor", "--no-quiz", "--script", script, "--size", size, lesson, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *max_rss_kib = ru.ru_maxrss;
    return now() - t0;
}

/* The generated lessons: kind 0 a chain of 200 tanh levels one weight feeds, 1 a loss summing 200
 * parameters, 2 a chain of 1,000 nodes, 3 a sum of 1,000 terms in one expression. */
static void write_lesson(FILE *f, int kind)
{
    switch (kind) {
    case 0:
        fputs("param w = 0.9\ninput x = 1\nlet n0 = tanh(w * x + 0.01)\n", f);
        for (int k = 1; k < 200; k++)
            fprintf(f, "let n%d = tanh(w * n%d + 0.01)\n", k, k - 1);
        fputs("loss L = (n199 - 0.5)^2\n", f);
        break;
    case 1:
        for (int k = 0; k < 200; k++)
            fprintf(f, "param p%d = 0.%d\n", k, k % 9 + 1);
        fputs("loss L = (p0", f);
        for (int k = 1; k < 200; k++)
            fprintf(f, " + p%d", k);
        fputs(")^2\n", f);
        break;
    case 2: /* x, w, w·x, 996 tanh, the square: 1,000 nodes */
        fputs("param w = 0.9\ninput x = 0.5\nlet n0 = w * x\n", f);
        for (int k = 1; k < 997; k++)
            fprintf(f, "let n%d = tanh(n%d)\n", k, k - 1);
        fputs("loss L = n996^2\n", f);
        break;
    case 3: /* w + w + … (1,000 terms), less the target, squared: 1,000 unnamed sums */
        fputs("param w = 0.001\nloss L = (w", f);
        for (int k = 1; k < 1000; k++)
            fputs("+w", f);
        fputs(" - 3)^2\n", f);
        break;
    }
}

static int temp_file(char *path, int suffix, void (*fill)(FILE *, int), int arg)
{
    int fd = suffix ? mkstemps(path, suffix) : mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return -1;
    fill(f, arg);
    return fclose(f);
}

/* Scripts: 0 the long session, 1 no key but q, 2 2,000 → and q, 3 100 → and q, 4 and 5 the same with a
 * <Frame> after each →. */
static void write_script(FILE *f, int kind)
{
    switch (kind) {
    case 0:
        for (int i = 0; i < 120; i++) /* two epochs of lesson 03 and more of the others, a key at a time */
            fputs("<Right>\n", f);
        fputs("t\n2\n3\n4\n1\n<Resize 80x24>\n<Resize 200x60>\n:save-display /dev/null\n", f);
        for (int i = 0; i < 40; i++)
            fputs("<Left>\n", f);
        break;
    case 2:
    case 3:
    case 4:
    case 5:
        for (int i = 0; i < (kind == 2 || kind == 4 ? 2000 : 100); i++)
            fputs(kind >= 4 ? "<Right>\n<Frame>\n" : "<Right>\n", f);
        /* fall through */
    case 1:
        fputs("q\n", f);
        break;
    }
}

enum { MAX_RUNS = 64 };

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--lessons") == 0) { /* for bench/callgrind */
        static const char *const names[] = { "chain200", "sum200", "chain1000", "sum1000" };
        for (int k = 0; k < 4; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.lesson", argv[2], names[k]);
            FILE *f = fopen(path, "w");
            if (!f)
                return 1;
            write_lesson(f, k);
            fclose(f);
        }
        return 0;
    }
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    if (runs < 1)
        runs = 1;
    if (runs > MAX_RUNS)
        runs = MAX_RUNS;
    char script[6][40], lesson[4][48];
    for (int k = 0; k < 6; k++) {
        snprintf(script[k], sizeof script[k], "/tmp/bptutor-bench-XXXXXX");
        if (k < 4)
            snprintf(lesson[k], sizeof lesson[k], "/tmp/bptutor-bench-lesson-XXXXXX.lesson");
        if (temp_file(script[k], 0, write_script, k) < 0 ||
            (k < 4 && temp_file(lesson[k], 7, write_lesson, k) < 0)) {
            perror("bench_tutor");
            return 1;
        }
    }
    int status = 0, shared = 0;
    long rss = 0;
    /* a bptutor from before <Frame> (an older build, for a before and after) drew every key's frame: its plain
     * keys are its drawn keys */
    {
        char probe[40] = "/tmp/bptutor-bench-XXXXXX";
        int fd = mkstemp(probe);
        if (fd < 0 || write(fd, "<Frame>\nq\n", 10) != 10 || close(fd) < 0) {
            perror("bench_tutor");
            return 1;
        }
        if (replay(probe, "80x24", "lessons/en/01-one-weight.lesson", &rss) < 0) {
            printf("(this bptutor knows no <Frame>: it draws every key, so a drawn key is a replayed key)\n");
            unlink(script[4]);
            unlink(script[5]);
            memcpy(script[4], script[2], sizeof script[4]);
            memcpy(script[5], script[3], sizeof script[5]);
            shared = 1; /* unlinked once, as script[2] and script[3] */
        }
        unlink(probe);
    }
#define FAIL(what)                                                    \
    do {                                                              \
        fprintf(stderr, "bench_tutor: the replay of %s failed\n", what); \
        status = 1;                                                   \
        goto done;                                                    \
    } while (0)

    /* 1. long sessions */
    {
        const char *const lessons[] = { "lessons/en/01-one-weight.lesson", "lessons/en/02-four-samples.lesson",
                                        "lessons/en/05-neuron.lesson", lesson[0], lesson[1] };
        const char *const names[] = { lessons[0], lessons[1], lessons[2], "chain of 200 levels (generated)",
                                      "sum of 200 parameters (generated)" };
        enum { N = sizeof lessons / sizeof lessons[0] };
        double t[N][MAX_RUNS];
        long worst[N] = { 0 };
        for (int r = 0; r < runs; r++)
            for (int k = 0; k < N; k++) {
                if ((t[k][r] = replay(script[0], "120x40", lessons[k], &rss)) < 0)
                    FAIL(names[k]);
                if (rss > worst[k])
                    worst[k] = rss;
            }
        printf("1. a long session (170 keys, 120x40): ms per run, min/median/max of %d; peak RSS\n", runs);
        for (int k = 0; k < N; k++) {
            struct stats s = stats_of(t[k], runs);
            printf("   %-36s %8.1f/%8.1f/%8.1f %8ld KiB\n", names[k], s.min * 1e3, s.med * 1e3, s.max * 1e3,
                   worst[k]);
        }
    }

    /* 2. keys per second at 80x24 */
    {
        const char *const lessons[] = { "lessons/en/01-one-weight.lesson", "lessons/en/02-four-samples.lesson",
                                        "lessons/en/05-neuron.lesson" };
        double per_key[3][MAX_RUNS], per_frame[3][MAX_RUNS];
        for (int r = 0; r < runs; r++)
            for (int k = 0; k < 3; k++) {
                double none = replay(script[1], "80x24", lessons[k], &rss);
                double keys = replay(script[2], "80x24", lessons[k], &rss);
                double frames = replay(script[4], "80x24", lessons[k], &rss);
                if (none < 0 || keys < 0 || frames < 0)
                    FAIL(lessons[k]);
                per_key[k][r] = (keys - none) / 2000;
                per_frame[k][r] = (frames - none) / 2000;
            }
        printf("2. keys per second, 80x24, --no-quiz (2,000 keys against none): min/median/max of %d; replayed\n"
               "   (the last key's frame drawn), then with a frame drawn for every key\n", runs);
        for (int k = 0; k < 3; k++) {
            struct stats s = stats_of(per_key[k], runs), f = stats_of(per_frame[k], runs);
            printf("   %-36s %8.0f/%8.0f/%8.0f keys/s (%.1f µs per key at the median)\n", lessons[k], 1 / s.max,
                   1 / s.med, 1 / s.min, s.med * 1e6);
            printf("   %-36s %8.0f/%8.0f/%8.0f keys/s (%.1f µs per key at the median)\n", "  a frame per key", 1 / f.max,
                   1 / f.med, 1 / f.min, f.med * 1e6);
        }
    }

    /* 3. big graphs */
    {
        const char *const names[] = { "chain of 1,000 nodes", "sum of 1,000 terms" };
        double first[2][MAX_RUNS], per_key[2][MAX_RUNS], per_frame[2][MAX_RUNS];
        long worst[2] = { 0 };
        for (int r = 0; r < runs; r++)
            for (int k = 0; k < 2; k++) {
                double none = replay(script[1], "80x24", lesson[2 + k], &rss);
                if (rss > worst[k])
                    worst[k] = rss;
                double keys = replay(script[3], "80x24", lesson[2 + k], &rss);
                double frames = replay(script[5], "80x24", lesson[2 + k], &rss);
                if (none < 0 || keys < 0 || frames < 0)
                    FAIL(names[k]);
                first[k][r] = none;
                per_key[k][r] = (keys - none) / 100;
                per_frame[k][r] = (frames - none) / 100;
            }
        printf("3. big graphs at 80x24: start-up to the first frame and quit; ms per key (100 keys against "
               "none), replayed and with a frame drawn per key; min/median/max of %d\n", runs);
        for (int k = 0; k < 2; k++) {
            struct stats f = stats_of(first[k], runs), p = stats_of(per_key[k], runs), d = stats_of(per_frame[k], runs);
            printf("   %-22s first frame %7.1f/%7.1f/%7.1f ms   a key %5.2f/%5.2f/%5.2f ms   a drawn key "
                   "%5.2f/%5.2f/%5.2f ms   %6ld KiB\n", names[k], f.min * 1e3, f.med * 1e3, f.max * 1e3, p.min * 1e3,
                   p.med * 1e3, p.max * 1e3, d.min * 1e3, d.med * 1e3, d.max * 1e3, worst[k]);
        }
    }
done:
    for (int k = 0; k < (shared ? 4 : 6); k++)
        unlink(script[k]);
    for (int k = 0; k < 4; k++)
        unlink(lesson[k]);
    return status;
}
