/*
 * bench_tutor.c — the whole tutor on a headless screen: for each lesson, replay a long session (step
 * through two epochs one key at a time, train the rest, open every view, resize) and report the time per
 * run and the peak resident memory of the bptutor process (from wait4's rusage). Two big generated lessons
 * go with them: a chain of 200 tanh levels that one weight feeds (~800 nodes) and a loss summing 200
 * parameters, whose long edges made the layout quadratic.
 *
 * bench_tutor [RUNS]   — run from the top of the tree, after make.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* One replay; returns 0 and the peak RSS in KiB, or −1. */
static int replay(const char *script, const char *lesson, long *max_rss_kib)
{
    fflush(stdout); /* or the child would write our buffered lines again */
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        execl("./bptutor", "bptutor", "--no-quiz", "--script", script, "--size", "120x40", lesson, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *max_rss_kib = ru.ru_maxrss;
    return 0;
}

/* A generated lesson in a temporary file (its name into path); 0 or −1. */
static int big_lesson(char *path, int chain)
{
    int fd = mkstemps(path, 7);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return -1;
    if (chain) {
        fputs("param w = 0.9\ninput x = 1\nlet n0 = tanh(w * x + 0.01)\n", f);
        for (int k = 1; k < 200; k++)
            fprintf(f, "let n%d = tanh(w * n%d + 0.01)\n", k, k - 1);
        fputs("loss L = (n199 - 0.5)^2\n", f);
    } else {
        for (int k = 0; k < 200; k++)
            fprintf(f, "param p%d = 0.%d\n", k, k % 9 + 1);
        fputs("loss L = (p0", f);
        for (int k = 1; k < 200; k++)
            fprintf(f, " + p%d", k);
        fputs(")^2\n", f);
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    char script[] = "/tmp/bptutor-bench-XXXXXX";
    int fd = mkstemp(script);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        perror("bench_tutor");
        return 1;
    }
    for (int i = 0; i < 120; i++) /* two epochs of lesson 03 and more of the others, a key at a time */
        fputs("<Right>\n", f);
    fputs("t\n2\n3\n4\n1\n<Resize 80x24>\n<Resize 200x60>\n:save-display /dev/null\n", f);
    for (int i = 0; i < 40; i++)
        fputs("<Left>\n", f);
    fclose(f);
    char chain[] = "/tmp/bptutor-bench-chain200-XXXXXX.lesson", sum[] = "/tmp/bptutor-bench-sum200-XXXXXX.lesson";
    if (big_lesson(chain, 1) < 0 || big_lesson(sum, 0) < 0) {
        perror("bench_tutor");
        return 1;
    }
    const char *const lessons[] = { "lessons/en/01-one-weight.lesson", "lessons/en/02-four-samples.lesson",
                                     "lessons/en/05-neuron.lesson", chain, sum };
    printf("%-36s %12s %14s\n", "lesson (170 keys, 120x40)", "ms per run", "peak RSS KiB");
    for (size_t k = 0; k < sizeof lessons / sizeof lessons[0]; k++) {
        long rss = 0, worst = 0;
        double t0 = now();
        for (int r = 0; r < runs; r++) {
            if (replay(script, lessons[k], &rss) != 0) {
                fprintf(stderr, "bench_tutor: the replay of %s failed\n", lessons[k]);
                unlink(script);
                unlink(chain);
                unlink(sum);
                return 1;
            }
            if (rss > worst)
                worst = rss;
        }
        printf("%-36s %12.1f %14ld\n", lessons[k] == chain ? "chain of 200 levels (generated)"
                                        : lessons[k] == sum ? "sum of 200 parameters (generated)" : lessons[k],
               (now() - t0) * 1000 / runs, worst);
    }
    unlink(script);
    unlink(chain);
    unlink(sum);
    return 0;
}
