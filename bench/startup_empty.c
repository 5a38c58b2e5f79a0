/*
 * startup_empty.c — the limit bench_startup measures the tutor's start-up against: a program that does
 * nothing, linked with the libraries bptutor is linked with (ncursesw, tinfo, readline, libunistring, libm),
 * each of them used once so that no linker drops it. What it costs to start is what the dynamic loader
 * costs for those libraries, which the tutor cannot avoid.
 */
#include <curses.h>
#include <math.h>
#include <readline/readline.h>
#include <stdio.h>
#include <term.h>
#include <unistr.h>

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) /* never taken: the calls only keep the libraries */
        return doupdate() + rl_readline_version + (int)u8_strlen((const uint8_t *)"") + (int)floor(argc / 2.0) +
               tigetnum("cols");
    return 0;
}
