/*
 * tui_crt.c — the terminal layer (see tui_crt.h): curses started and stopped in one place, the colour
 * table, the primitives the views draw with, the keyboard and the signals that must leave the terminal as
 * it was found.
 *
 * ../shared/TERMINAL.md has the reasons behind each call: raw() so that Ctrl-C and Ctrl-Z arrive as keys,
 * handlers of our own for the signals that would otherwise skip endwin(), use_env(FALSE) and a fixed
 * terminal type for the headless screen, and no colour (only the monochrome attributes) when NO_COLOR is
 * set, the terminal has none, or the screen is headless.
 */
#include "tui_crt.h"

#include "text.h"
#include "tui.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

/* ---------------------------------------------------------------- colours */

static const struct {
    short fg, bg;
    attr_t colour, mono;
} colours[] = {
#define X(role, fg, bg, attr, mono) { fg, bg, attr, mono },
    TUI_COLORS(X)
#undef X
};
_Static_assert(sizeof colours / sizeof colours[0] == TUI_ROLE_COUNT, "one colour per role");

static int colour; /* colour pairs are in use */

static void start_colours(int headless)
{
    const char *no = getenv("NO_COLOR");
    colour = !headless && has_colors() && !(no && *no);
    if (!colour)
        return;
    start_color();
    use_default_colors();
    for (int r = 1; r < TUI_ROLE_COUNT; r++)
        init_pair((short)r, colours[r].fg, colours[r].bg);
}

/* ---------------------------------------------------------------- the terminal's life */

static SCREEN *screen;
static FILE *screen_out, *screen_in;
static volatile sig_atomic_t resumed;

static void restore_terminal(void)
{
    if (screen && !isendwin())
        endwin();
}

static void on_fatal_signal(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_stop(int sig)
{
    (void)sig;
    restore_terminal();
    signal(SIGTSTP, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGTSTP);
    /* continued */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGTSTP, &sa, NULL);
    resumed = 1;
}

static void install_signals(void)
{
    static const int fatal[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    static int at_exit;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_fatal_signal;
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
    sa.sa_handler = on_stop;
    sigaction(SIGTSTP, &sa, NULL); /* no SA_RESTART: wgetch returns and the screen is redrawn */
    if (!at_exit)
        at_exit = atexit(restore_terminal) == 0;
}

static int utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

void tui_crt_locale(int headless)
{
    if (headless) {
        if (!setlocale(LC_ALL, "C.UTF-8"))
            setlocale(LC_ALL, "");
    } else {
        setlocale(LC_ALL, "");
        if (!utf8_locale())
            setlocale(LC_ALL, "C.UTF-8");
    }
    setlocale(LC_NUMERIC, "C");
}

int tui_usable(const char **why)
{
    const char *term = getenv("TERM");
    if (!term || !*term || strcmp(term, "dumb") == 0) {
        *why = term && *term ? "TERM is dumb" : "TERM is not set";
        return -1;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        *why = "not a terminal";
        return -1;
    }
    return 0;
}

/* Arrows with Ctrl or Alt have no fixed key codes: ncurses makes them up from terminfo (kLFT5, kRIT3, …).
 * They pan like the shift-arrows, so they are translated to those. */
static const struct {
    const char *cap;
    int as;
} modified_arrows[] = {
    { "kLFT5", KEY_SLEFT }, { "kRIT5", KEY_SRIGHT }, { "kUP5", KEY_SR }, { "kDN5", KEY_SF },
    { "kLFT3", KEY_SLEFT }, { "kRIT3", KEY_SRIGHT }, { "kUP3", KEY_SR }, { "kDN3", KEY_SF },
};
static int modified_code[sizeof modified_arrows / sizeof modified_arrows[0]];

static void find_modified_arrows(void)
{
    for (size_t i = 0; i < sizeof modified_arrows / sizeof modified_arrows[0]; i++) {
        char cap[8];
        snprintf(cap, sizeof cap, "%s", modified_arrows[i].cap);
        const char *seq = tigetstr(cap);
        modified_code[i] = seq && seq != (char *)-1 ? key_defined(seq) : 0;
    }
}

static int plain_arrow(int key)
{
    for (size_t i = 0; key > KEY_MAX && i < sizeof modified_arrows / sizeof modified_arrows[0]; i++)
        if (modified_code[i] == key)
            return modified_arrows[i].as;
    return key;
}

int tui_crt_start(int headless, int cols, int rows)
{
    install_signals();
    if (headless) {
        /* a screen of the asked size on /dev/null, the same terminal type everywhere */
        use_env(FALSE);
        screen_out = fopen("/dev/null", "w");
        screen_in = fopen("/dev/null", "r");
        if (!screen_out || !screen_in)
            return -1;
        screen = newterm("xterm-256color", screen_out, screen_in);
        if (!screen)
            return -1;
        set_term(screen);
        resize_term(rows > 0 ? rows : 24, cols > 0 ? cols : 80);
    } else {
        screen = newterm(NULL, stdout, stdin);
        if (!screen)
            return -1;
        set_term(screen);
    }
    raw(); /* Ctrl-C and Ctrl-Z come as keys; the tutor restores the terminal itself */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    start_colours(headless);
    if (!headless)
        meta(stdscr, TRUE);
    find_modified_arrows();
    return 0;
}

void tui_crt_stop(void)
{
    if (screen) {
        if (!isendwin())
            endwin();
        delscreen(screen);
        screen = NULL;
    }
    if (screen_out)
        fclose(screen_out);
    if (screen_in)
        fclose(screen_in);
    screen_out = screen_in = NULL;
}

void tui_crt_size(int *rows, int *cols)
{
    getmaxyx(stdscr, *rows, *cols);
}

void tui_crt_resize(int cols, int rows)
{
    resize_term(rows, cols);
}

int tui_crt_key(void)
{
    errno = 0;
    int k = wgetch(stdscr);
    if (k == ERR)
        return resumed || errno == EINTR ? TUI_KEY_AGAIN : TUI_KEY_EOF;
    return plain_arrow(k);
}

int tui_crt_resumed(void)
{
    int r = resumed;
    resumed = 0;
    return r;
}

void tui_crt_suspend(void)
{
    raise(SIGTSTP);
}

void tui_crt_repaint(void)
{
    clearok(curscr, TRUE);
}

void tui_crt_update(int cursor)
{
    curs_set(cursor ? 1 : 0);
    wnoutrefresh(stdscr);
    doupdate();
}

/* ---------------------------------------------------------------- the screen as text */

static void put_utf8(FILE *out, wchar_t ch)
{
    char mb[MB_LEN_MAX + 1];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t k = wcrtomb(mb, ch, &st);
    if (k == (size_t)-1)
        fputc('?', out);
    else
        fwrite(mb, 1, k, out);
}

int tui_crt_dump(FILE *out)
{
    int rows, cols;
    getmaxyx(curscr, rows, cols);
    wchar_t *line = malloc(((size_t)cols + 1) * sizeof *line);
    if (!line)
        return -1;
    for (int y = 0; y < rows; y++) {
        int n = 0;
        for (int x = 0; x < cols; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1] = { 0 };
            attr_t attrs;
            short pair;
            if (mvwin_wch(curscr, y, x, &cc) == ERR || getcchar(&cc, wch, &attrs, &pair, NULL) == ERR || !wch[0])
                wch[0] = L' ';
            line[n++] = wch[0];
            if (wcwidth(wch[0]) == 2)
                x++; /* the second cell of a wide character */
        }
        while (n > 0 && line[n - 1] == L' ')
            n--;
        for (int i = 0; i < n; i++)
            put_utf8(out, line[i]);
        fputc('\n', out);
    }
    free(line);
    return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------- drawing primitives */

attr_t tui_attr(enum tui_role r)
{
    return colour ? colours[r].colour : colours[r].mono;
}

short tui_pair(enum tui_role r)
{
    return colour ? (short)r : 0;
}

void tui_cell(cchar_t *cc, wchar_t ch, enum tui_role r)
{
    wchar_t s[2] = { ch, 0 };
    setcchar(cc, s, tui_attr(r), tui_pair(r), NULL);
}

int tui_put(int y, int x, const char *utf8, int max, enum tui_role r)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    int used = 0;
    wchar_t ch;
    for (size_t len = strlen(utf8), k; used < max && (k = text_next(utf8, len, &st, &ch)) > 0;) {
        utf8 += k;
        len -= k;
        if (ch == L'\t')
            ch = L' ';
        if (wcwidth(ch) < 0)
            ch = L'?';
        int cw = text_cells(ch);
        if (cw == 0)
            continue; /* a combining mark: not drawn on its own cell */
        if (used + cw > max)
            break;
        cchar_t cc;
        tui_cell(&cc, ch, r);
        mvadd_wch(y, x + used, &cc);
        used += cw;
    }
    return used;
}

int tui_put_clipped(int y, int x, const char *utf8, int max, enum tui_role r)
{
    if (text_width(utf8) <= max)
        return tui_put(y, x, utf8, max, r);
    int used = tui_put(y, x, utf8, max - 1, r);
    return used + tui_put(y, x + used, "\u2026", 1, r);
}

void tui_fill(int y, int x, int n, enum tui_role r)
{
    cchar_t cc;
    tui_cell(&cc, L' ', r);
    for (int i = 0; i < n; i++)
        mvadd_wch(y, x + i, &cc);
}

void tui_clear_row(int y)
{
    move(y, 0);
    clrtoeol();
}
