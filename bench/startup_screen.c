/*
 * startup_screen.c — the floor under bench_startup's first frame: startup_empty's libraries, and what any
 * ncurses program pays to show one screen the way bptutor's headless replay does: the two locale categories
 * bptutor reads, a headless newterm of 80x24 on /dev/null, colours, every cell written with wide characters
 * in eight colour pairs, one doupdate, endwin. No lesson, no layout, no text: what is left between this and
 * the tutor's first frame is bptutor's own.
 */
#include <curses.h>
#include <locale.h>
#include <math.h>
#include <readline/readline.h>
#include <stdio.h>
#include <term.h>
#include <unistr.h>
#include <wchar.h>

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) /* never taken: the calls only keep the libraries */
        return rl_readline_version + (int)u8_strlen((const uint8_t *)"") + (int)floor(argc / 2.0) + tigetnum("cols");
    setlocale(LC_CTYPE, "");
    setlocale(LC_MESSAGES, "");
    use_env(FALSE);
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *s = out && in ? newterm("xterm-256color", out, in) : NULL;
    if (!s)
        return 1;
    set_term(s);
    resize_term(24, 80);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    start_color();
    use_default_colors();
    for (short i = 1; i < 8; i++)
        init_pair(i, i, -1);
    for (int y = 0; y < 24; y++) {
        attrset(COLOR_PAIR(y % 8) | (y % 3 ? A_BOLD : A_NORMAL));
        for (int x = 0; x < 80; x += 10)
            mvaddwstr(y, x, y % 2 ? L"\u250c\u2500\u0177\u2500\u2510 w\u00b7x " : L"loss = s\u00b2 ");
    }
    refresh();
    endwin();
    delscreen(s);
    fclose(out);
    fclose(in);
    return 0;
}
