/*
 * bench_sizes.c — how the cost grows with the lesson (issue 14): n = 10³, 10⁴ and 10⁵ names in two shapes, a
 * chain (let n1 = n0 * 1, ..., each name computed from the one before) and products summed in a chain (s2 =
 * s1 + a2 * b2, ..., whose long edges made the layout quadratic). For each: loading the lesson in this
 * process (lesson_parse), and the bptutor program's --check, --plain and first frame (a headless 120×40
 * screen and an empty script), each as wall time and the process's peak resident memory (wait4's rusage).
 * Each column should grow about ten times from one row to the next, never a hundred.
 *
 * bench_sizes   — run from the top of the tree, after make.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lesson.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The lesson's text: shape 0 a chain, 1 products summed in a chain; malloc'd, its length in *len. */
static char *sized_lesson(int shape, int n, size_t *len)
{
    size_t size = (size_t)n * 128 + 128, u = 0; /* a products line is under 90 bytes */
    char *t = malloc(size);
    if (!t)
        return NULL;
#define PUT(...) (u += (size_t)snprintf(t + u, size - u, __VA_ARGS__))
    if (shape == 0) {
        PUT("title a chain of %d\nparam n0 = 1\n", n);
        for (int i = 1; i <= n; i++)
            PUT("let n%d = n%d * 1\n", i, i - 1);
        PUT("loss L = n%d^2\n", n);
    } else {
        PUT("title %d products summed\n", n);
        for (int i = 1; i <= n; i++)
            PUT("param a%d = 0.%d\ninput b%d = 1\n", i, i % 9 + 1, i);
        PUT("let s1 = a1 * b1\n");
        for (int i = 2; i <= n; i++)
            PUT("let s%d = s%d + a%d * b%d\n", i, i - 1, i, i);
        PUT("loss L = s%d^2\n", n);
    }
#undef PUT
    *len = u;
    return t;
}

/* ./bptutor with args, stdout to /dev/null: its wall time and peak RSS in MB; −1 when it failed. */
static double run(char *const args[], double *mb)
{
    fflush(stdout);
    double start = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv("./bptutor", args);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *mb = (double)ru.ru_maxrss / 1024;
    return now() - start;
}

/* lesson_parse's time, in a child: a child's peak memory counts what it was forked with, so this process
 * keeps none of a lesson's. −1 when it failed. */
static double load_time(const char *text, size_t len)
{
    int fd[2];
    double t = -1;
    if (pipe(fd) != 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        lesson_error err;
        double start = now();
        lesson *l = lesson_parse(text, len, &err);
        t = l ? now() - start : -1;
        _exit(write(fd[1], &t, sizeof t) == sizeof t ? 0 : 1);
    }
    close(fd[1]);
    if (pid < 0 || read(fd[0], &t, sizeof t) != sizeof t)
        t = -1;
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return t;
}

static void cell(double s, double mb)
{
    if (s < 0)
        printf("  %-16s", "failed");
    else
        printf("  %6.2f s %5.0f MB", s, mb);
}

int main(void)
{
    char path[] = "/tmp/bptutor-sizes-XXXXXX.lesson", script[] = "/tmp/bptutor-sizes-XXXXXX";
    int fd = mkstemp(script);
    if (fd < 0 || close(fd) != 0) {
        perror("bench_sizes");
        return 1;
    }
    static const char *const shapes[] = { "chain", "products" };
    printf("sizes: n names in two shapes; wall time and peak memory of each (bench/bench_sizes.c)\n");
    printf("%-9s %7s %9s  %-16s  %-16s  %-16s\n", "shape", "n", "load", "--check", "--plain", "first frame");
    int status = 0;
    for (int shape = 0; shape < 2; shape++)
        for (int n = 1000; n <= 100000; n *= 10) {
            size_t len = 0;
            char *text = sized_lesson(shape, n, &len);
            fd = mkstemps(path, 7);
            FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
            if (!text || !f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
                perror("bench_sizes");
                return 1;
            }
            double mb[3], s[3];
            char *check[] = { "bptutor", "--check", path, NULL };
            char *plain[] = { "bptutor", "--plain", path, NULL };
            char *frame[] = { "bptutor", "--script", script, "--size", "120x40", path, NULL };
            s[0] = run(check, &mb[0]);
            s[1] = run(plain, &mb[1]);
            s[2] = run(frame, &mb[2]);
            printf("%-9s %7d %7.3f s", shapes[shape], n, load_time(text, len));
            free(text);
            for (int k = 0; k < 3; k++) {
                cell(s[k], mb[k]);
                status |= s[k] < 0;
            }
            printf("\n");
            unlink(path);
            memcpy(path + strlen(path) - 13, "XXXXXX", 6); /* a fresh name for the next */
        }
    unlink(script);
    return status;
}
