/*
 * bench_startup.c — how long the tutor takes from exec to its first frame, against two limits: /bin/true
 * (a process at all) and startup_empty (a process that loads the libraries bptutor loads: what the dynamic
 * loader costs and the tutor cannot avoid). The goal: the first frame within 1.5× the second.
 * A third program, startup_screen, is the floor those libraries set for a first frame: it shows one 80x24
 * ncurses screen as the headless replay does (newterm, colours, wide characters, one doupdate) and nothing
 * else; its ratio to the limit is printed too.
 *
 * "To the first frame" is measured as a whole headless run that draws the first frame and quits:
 * `bptutor --no-quiz --script S --size 80x24 LESSON`, where the script S is "q". The runs of all programs
 * are interleaved, one of each in turn, so that a busy machine slows them alike; each figure is
 * milliseconds, min/median/max. Then the peak resident memory of those runs, and the tutor's CPU time while
 * it waits for a key on a real terminal (a pseudo-terminal): it must be 0.
 *
 *   bench_startup [RUNS]   from the top of the tree, after make bench; $BPTUTOR names another bptutor to
 *                          measure (another build, for a before and after)
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "stats.h"

extern char **environ;

static const char *bptutor = "./bptutor";

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* One run with stdout and stderr on /dev/null: seconds, and the peak RSS in KiB; −1 when it failed. */
static double run(char *const argv[], long *rss_kib)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now();
    int err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err)
        return -1;
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    double t = now() - t0;
    *rss_kib = ru.ru_maxrss;
    return t;
}

/* CPU time (ms) the tutor uses in `seconds` of waiting for a key on a pseudo-terminal, or −1. */
static double idle_cpu_ms(const char *lesson, double seconds)
{
    int master;
    struct winsize ws = { .ws_row = 24, .ws_col = 80 };
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        execl(bptutor, "bptutor", "--no-quiz", lesson, (char *)NULL);
        _exit(127);
    }
    /* read what it draws until it has been quiet for a while: then it waits for a key */
    char buf[4096];
    int flags = fcntl(master, F_GETFL);
    fcntl(master, F_SETFL, flags | O_NONBLOCK);
    double quiet_since = now(), start = now();
    while (now() - quiet_since < 0.5 && now() - start < 10) {
        if (read(master, buf, sizeof buf) > 0)
            quiet_since = now();
        usleep(10000);
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    double ticks[2];
    for (int k = 0; k < 2; k++) {
        if (k)
            usleep((useconds_t)(seconds * 1e6));
        FILE *f = fopen(path, "r");
        unsigned long ut = 0, st = 0;
        if (!f || fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2) {
            if (f)
                fclose(f);
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            close(master);
            return -1;
        }
        fclose(f);
        ticks[k] = (double)(ut + st);
        while (read(master, buf, sizeof buf) > 0) /* keep the terminal drained */
            ;
    }
    if (write(master, "q", 1) != 1)
        kill(pid, SIGTERM);
    int status;
    for (int k = 0; k < 100 && waitpid(pid, &status, WNOHANG) == 0; k++) {
        while (read(master, buf, sizeof buf) > 0)
            ;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(master);
    return (ticks[1] - ticks[0]) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 101;
    if (getenv("BPTUTOR"))
        bptutor = getenv("BPTUTOR");
    if (runs < 1)
        runs = 1;
    char script[] = "/tmp/bptutor-startup-XXXXXX";
    int fd = mkstemp(script);
    if (fd < 0 || write(fd, "q\n", 2) != 2) {
        perror("bench_startup");
        return 1;
    }
    close(fd);
    static char *true_argv[] = { "/bin/true", NULL };
    static char *empty_argv[] = { "build/bench/startup_empty", NULL };
    static char *screen_argv[] = { "build/bench/startup_screen", NULL };
    char *version_argv[] = { (char *)bptutor, "--version", NULL };
    char *frame_argv[3][9];
    static const char *const lessons[] = { "lessons/en/01-one-weight.lesson", "lessons/en/02-four-samples.lesson",
                                            "lessons/en/05-neuron.lesson" };
    for (int k = 0; k < 3; k++) {
        char *const a[] = { (char *)bptutor, "--no-quiz", "--script", script, "--size", "80x24", (char *)lessons[k], NULL };
        memcpy(frame_argv[k], a, sizeof a);
    }
    struct {
        const char *name;
        char **argv;
        double *t;
        long rss;
    } prog[] = {
        { "/bin/true", true_argv, NULL, 0 },
        { "empty program with bptutor's libraries", empty_argv, NULL, 0 },
        { "the same, drawing one ncurses screen", screen_argv, NULL, 0 },
        { "bptutor --version", version_argv, NULL, 0 },
        { "first frame, lesson 01 (80x24)", frame_argv[0], NULL, 0 },
        { "first frame, lesson 02 (80x24)", frame_argv[1], NULL, 0 },
        { "first frame, lesson 03 (80x24)", frame_argv[2], NULL, 0 },
    };
    enum { N_PROG = sizeof prog / sizeof prog[0] };
    for (int p = 0; p < N_PROG; p++)
        prog[p].t = calloc((size_t)runs, sizeof(double));
    for (int r = 0; r < runs; r++)
        for (int p = 0; p < N_PROG; p++) {
            long rss = 0;
            prog[p].t[r] = run(prog[p].argv, &rss);
            if (prog[p].t[r] < 0) {
                fprintf(stderr, "bench_startup: %s failed\n", prog[p].name);
                unlink(script);
                return 1;
            }
            if (rss > prog[p].rss)
                prog[p].rss = rss;
        }
    unlink(script);
    printf("ms from exec to exit, min/median/max of %d runs (interleaved)%32s peak RSS\n", runs, "");
    double limit = 0;
    for (int p = 0; p < N_PROG; p++) {
        qsort(prog[p].t, (size_t)runs, sizeof(double), cmp_double);
        double med = prog[p].t[runs / 2];
        if (p == 1)
            limit = med;
        char ratio[32] = "";
        if (p >= 2)
            snprintf(ratio, sizeof ratio, "%.2fx the limit", med / limit);
        printf("%-40s %7.3f/%7.3f/%7.3f  %-16s %6ld KiB\n", prog[p].name, prog[p].t[0] * 1e3, med * 1e3,
               prog[p].t[runs - 1] * 1e3, ratio, prog[p].rss);
    }
    double idle = idle_cpu_ms(lessons[0], 2.0);
    if (idle < 0)
        puts("idle CPU: could not be measured here (no pseudo-terminal)");
    else
        printf("idle CPU: %.0f ms in 2 s of waiting for a key on a terminal (lesson 01, 80x24)\n", idle);
    return 0;
}
