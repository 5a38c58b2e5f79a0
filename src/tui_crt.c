/*
 * tui_crt.c — the terminal layer (see tui_crt.h): curses started and stopped in one place, the colour
 * table, the primitives the views draw with, the keyboard and the signals that must leave the terminal as
 * it was found.
 *
 * ../shared/TERMINAL.md has the reasons behind each call: raw() so that Ctrl-C and Ctrl-Z arrive as keys,
 * handlers of our own for the signals that would otherwise skip endwin(), use_env(FALSE) and a fixed
 * terminal type for the headless screen, and no colour (only the monochrome attributes) when NO_COLOR is
 * set or the terminal has none.
 */
#include "tui_crt.h"

#include "text.h"
#include "tui.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

/* ---------------------------------------------------------------- colours */

static const char *const theme_names[] = {
#define X(theme, name, help) name,
    TUI_THEMES(X)
#undef X
};
static const char *const theme_helps[] = {
#define X(theme, name, help) help,
    TUI_THEMES(X)
#undef X
};

int tui_theme_lookup(const char *name, size_t len)
{
    for (int i = 0; i < TUI_THEME_COUNT; i++)
        if (strlen(theme_names[i]) == len && memcmp(theme_names[i], name, len) == 0)
            return i;
    return -1;
}

int tui_theme_parse(const char *name)
{
    return tui_theme_lookup(name, strlen(name));
}

const char *tui_theme_list(void)
{
    static char list[128];
    if (!list[0])
        for (int i = 0; i < TUI_THEME_COUNT; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     i == 0 ? "" : i + 1 < TUI_THEME_COUNT ? ", " : " or ", theme_names[i]);
    return list;
}

const char *tui_theme_name(enum tui_theme th) { return theme_names[th]; }
const char *tui_theme_help(enum tui_theme th) { return _(theme_helps[th]); }

struct style {
    short fg, bg;
    attr_t attr;
};

static const struct {
    attr_t mono;
    struct style theme[TUI_THEME_COUNT];
} colours[] = {
#define STYLE(fg, bg, attr) { fg, bg, attr }
#define X(role, mono, dark, light, contrast) { mono, { STYLE dark, STYLE light, STYLE contrast } },
    TUI_COLORS(X)
#undef X
#undef STYLE
};
_Static_assert(sizeof colours / sizeof colours[0] == TUI_ROLE_COUNT, "one colour per role");
_Static_assert(TUI_THEME_COUNT == 3, "TUI_COLORS has a column for each theme (ORDER THEMES)");

static int colour;            /* colour pairs are in use */
static enum tui_theme theme;  /* the scheme they are set from */

enum tui_theme tui_crt_theme_now(void) { return theme; }

/* The pairs of the theme. Pair 0 is NORMAL's and every blank cell's: the terminal's own colours (−1), or the
 * contrast theme's white on a black it paints itself. */
static void set_pairs(void)
{
    assume_default_colors(colours[TUI_NORMAL].theme[theme].fg, colours[TUI_NORMAL].theme[theme].bg);
    for (int r = 1; r < TUI_ROLE_COUNT; r++)
        init_pair((short)r, colours[r].theme[theme].fg, colours[r].theme[theme].bg);
}

/* The headless screen has colours too (its terminal type has them), so that <DumpAttr> shows what a terminal
 * would; the text is the same either way. */
static void start_colours(void)
{
    const char *no = getenv("NO_COLOR");
    colour = has_colors() && !(no && *no);
    if (!colour)
        return;
    start_color();
    set_pairs();
}

void tui_crt_theme(enum tui_theme th)
{
    theme = th;
    if (colour && stdscr) {
        set_pairs();
        clearok(curscr, TRUE);
    }
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

/*
 * A signal that ends the program must give the terminal back first, or the shell is left raw, in the
 * alternate screen, with no cursor. endwin() may not be called from a handler (it is not async-signal-safe:
 * the signal may have come in the middle of curses' own output), so what it would do is prepared at the start
 * and done with the two calls a handler may make: write(2) of the reset sequences the terminal's terminfo
 * gives (sgr0: attributes off, cnorm: the cursor shown, rmkx: the keypad as it was, rmcup: the alternate
 * screen left), and tcsetattr(3) of the modes the terminal had before curses changed them. Then the signal
 * does what it would have done: the handler that was there before (a sanitizer's, say), or the default.
 * A signal that was ignored when the program started stays ignored (nohup, a shell's trap '' SIG).
 */
static struct termios shell_modes;
static int shell_modes_saved;
static char reset_seq[256];
static size_t reset_len;
static volatile sig_atomic_t screen_live; /* the terminal is in curses' modes now */
static int live; /* the screen is the terminal, not a headless one */

/* The signals whose default ends the program: every one of them must restore the terminal. */
static const int fatal_signals[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE,
    SIGALRM, SIGTERM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGSYS,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
};
enum { FATAL_COUNT = sizeof fatal_signals / sizeof fatal_signals[0] };
static struct sigaction fatal_before[FATAL_COUNT];

/* Append a terminfo string to the reset sequence, without its padding ("$<5>"), which only tputs reads. */
static void add_reset(const char *cap)
{
    char name[8];
    snprintf(name, sizeof name, "%s", cap);
    const char *seq = tigetstr(name);
    if (!seq || seq == (char *)-1)
        return;
    for (; *seq && reset_len + 1 < sizeof reset_seq; seq++) {
        if (seq[0] == '$' && seq[1] == '<' && strchr(seq, '>')) {
            seq = strchr(seq, '>');
            continue;
        }
        reset_seq[reset_len++] = *seq;
    }
}

/* The terminal as it was, with what may be called from a signal handler only. */
static void give_back_terminal(void)
{
    if (!screen_live)
        return;
    screen_live = 0;
    for (size_t done = 0; done < reset_len;) {
        ssize_t k = write(STDOUT_FILENO, reset_seq + done, reset_len - done);
        if (k <= 0 && errno != EINTR)
            break;
        done += k > 0 ? (size_t)k : 0;
    }
    if (shell_modes_saved)
        tcsetattr(STDOUT_FILENO, TCSANOW, &shell_modes);
}

static void on_fatal_signal(int sig, siginfo_t *info, void *context)
{
    (void)context;
    int e = errno;
    give_back_terminal();
    for (int i = 0; i < FATAL_COUNT; i++)
        if (fatal_signals[i] == sig)
            sigaction(sig, &fatal_before[i], NULL);
    errno = e;
    /* a fault (a bad address, a division by zero) happens again when the handler returns, now to the handler
     * before or the default; a signal someone sent is sent again */
    if (!info || info->si_code <= 0 || (sig != SIGSEGV && sig != SIGBUS && sig != SIGFPE && sig != SIGILL))
        raise(sig);
}

static void on_stop(int sig)
{
    (void)sig;
    screen_live = 0;
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
    screen_live = live && screen;
}

static void install_signals(void)
{
    static int installed, at_exit;
    /* a stack of its own for the handler: a stack overflow is a SIGSEGV too */
    static char alt_stack[1 << 16];
    if (!installed) {
        stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0 };
        sigaltstack(&ss, NULL);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sigemptyset(&sa.sa_mask);
        sa.sa_sigaction = on_fatal_signal;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        /* One call each sets the handler and gives back the one before, which an ignored signal gets back at
         * once (a nohup'd SIGHUP stays ignored): 24 system calls fewer at start-up than asking first. The
         * signals wait meanwhile, so that none meets the handler it should not have had; one that came for
         * an ignored signal is dropped when it is ignored again, as it would have been. */
        sigset_t fatal, was;
        sigemptyset(&fatal);
        for (int i = 0; i < FATAL_COUNT; i++)
            sigaddset(&fatal, fatal_signals[i]);
        sigprocmask(SIG_BLOCK, &fatal, &was);
        for (int i = 0; i < FATAL_COUNT; i++)
            if (sigaction(fatal_signals[i], &sa, &fatal_before[i]) == 0 && fatal_before[i].sa_handler == SIG_IGN)
                sigaction(fatal_signals[i], &fatal_before[i], NULL);
        sigprocmask(SIG_SETMASK, &was, NULL);
        struct sigaction tstp;
        if (sigaction(SIGTSTP, NULL, &tstp) == 0 && tstp.sa_handler != SIG_IGN) {
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_stop;
            sigaction(SIGTSTP, &sa, NULL); /* no SA_RESTART: wgetch returns and the screen is redrawn */
        }
        installed = 1;
    }
    if (!at_exit)
        at_exit = atexit(restore_terminal) == 0;
}

static int utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/*
 * The program reads two of the locale's categories and leaves the others "C": LC_CTYPE (the character set,
 * wcwidth, what ncurses and readline take for a character) and LC_MESSAGES (gettext, strerror). LC_NUMERIC
 * must stay "C" (a lesson writes 0.01 in every locale), and nothing here collates or formats a date, a sum
 * of money, a paper size or an address. setlocale(LC_ALL, ...) would open all twelve categories' files one
 * by one where no locale archive is installed (Debian's C.UTF-8 has none): 24 openat and 12 pages first
 * touched before the first frame, for nothing.
 */
static const int locale_categories[] = { LC_CTYPE, LC_MESSAGES };

/* Both categories to name ("" is the environment's), each falling back to fallback (NULL: to nothing) when
 * name does not load. */
static void set_locale(const char *name, const char *fallback)
{
    for (size_t i = 0; i < sizeof locale_categories / sizeof locale_categories[0]; i++)
        if (!setlocale(locale_categories[i], name) && fallback)
            setlocale(locale_categories[i], fallback);
}

void tui_crt_locale(int headless)
{
    if (headless) {
        set_locale("C.UTF-8", "");
    } else {
        set_locale("", NULL);
        if (!utf8_locale())
            set_locale("C.UTF-8", NULL);
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

/* Home and End as terminals other than the one TERM names send them: tmux sends ESC [ 1 ~ and ESC [ 4 ~
 * whatever TERM says, which xterm-256color's terminfo lacks, so without these ncurses split them into Esc,
 * '[', '1', '~'. Each is taught only where the terminfo gives the string no meaning of its own. */
static const struct {
    const char *seq;
    int key;
} other_keys[] = {
    { "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME }, { "\033[H", KEY_HOME }, { "\033OH", KEY_HOME },
    { "\033[4~", KEY_END },  { "\033[8~", KEY_END },  { "\033[F", KEY_END },  { "\033OF", KEY_END },
};

static void define_other_keys(void)
{
    for (size_t i = 0; i < sizeof other_keys / sizeof other_keys[0]; i++)
        if (key_defined(other_keys[i].seq) == 0)
            define_key(other_keys[i].seq, other_keys[i].key);
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
        shell_modes_saved = tcgetattr(STDOUT_FILENO, &shell_modes) == 0;
        screen = newterm(NULL, stdout, stdin);
        if (!screen)
            return -1;
        set_term(screen);
        reset_len = 0;
        add_reset("sgr0");
        add_reset("cnorm");
        add_reset("rmkx");
        add_reset("rmcup");
    }
    raw(); /* Ctrl-C and Ctrl-Z come as keys; the tutor restores the terminal itself */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    start_colours();
    if (!headless)
        meta(stdscr, TRUE);
    find_modified_arrows();
    define_other_keys();
    screen_live = live = !headless;
    return 0;
}

void tui_crt_stop(void)
{
    screen_live = 0;
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

/*
 * An escape sequence ncurses does not know (a key the terminfo lacks) comes as Esc and then its bytes, each
 * of which would run as a key of its own. An Esc followed at once (ncurses has already waited ESCDELAY for
 * it) by '[' or 'O' is such a sequence: the rest of it is read and dropped — a CSI's parameter and
 * intermediate bytes up to its final byte, one byte after an SS3 — each byte waited for at most ESCDELAY, so
 * a cut sequence costs no more than that. Any other byte after Esc (Alt and a key) is put back. Live only:
 * a script's keys are named, never bytes.
 */
static int unknown_sequence(void)
{
    nodelay(stdscr, TRUE); /* a read that finds nothing leaves no ERR queued (see tui_crt_key) */
    int k = wgetch(stdscr);
    nodelay(stdscr, FALSE);
    if (k == ERR)
        return 0;
    if (k != '[' && k != 'O') {
        ungetch(k);
        return 0;
    }
    wtimeout(stdscr, ESCDELAY);
    for (int n = 0, c; n < 32 && (c = wgetch(stdscr)) != ERR; n++)
        if (k == 'O' || c < 0x20 || c > 0x3f) /* SS3's one byte; a CSI's final byte (or not a CSI byte) */
            break;
    wtimeout(stdscr, -1);
    return 1;
}

static int live_key(int k)
{
    if (k == 27 && live && unknown_sequence())
        return TUI_KEY_UNKNOWN;
    return plain_arrow(k);
}

/*
 * wgetch says ERR when a signal interrupts its read (SIGTSTP, then SIGCONT after fg), and leaves one more
 * ERR in its queue: the next call returns it without reading. Both mean "nothing was typed" — taken for the
 * end of input, the second one made the tutor quit after fg. Only an ERR after those is the end.
 */
int tui_crt_key(void)
{
    static int stale; /* an interrupted read's ERR is still queued */
    errno = 0;
    int k = wgetch(stdscr);
    if (k != ERR)
        return live_key(k);
    if (errno == EINTR || resumed) {
        stale = 1;
        return TUI_KEY_AGAIN;
    }
    if (stale) {
        stale = 0;
        return TUI_KEY_AGAIN;
    }
    return TUI_KEY_EOF;
}

int tui_crt_poll(void)
{
    nodelay(stdscr, TRUE); /* a read that finds nothing leaves no ERR queued (see tui_crt_key) */
    int k = wgetch(stdscr);
    nodelay(stdscr, FALSE);
    return k == ERR ? TUI_KEY_AGAIN : live_key(k);
}

int tui_crt_waiting(void)
{
    struct pollfd in = { .fd = STDIN_FILENO, .events = POLLIN };
    return poll(&in, 1, 0) > 0 && (in.revents & POLLIN);
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

/* How a cell is drawn, as far as the eye can tell: its colours and its attributes. */
struct look {
    short fg, bg;
    attr_t attr;
};
enum { LOOK_MAX = 62 }; /* a–z, A–Z, 0–9 */
static const char look_letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
static const attr_t seen_attrs = A_BOLD | A_DIM | A_UNDERLINE | A_REVERSE | A_STANDOUT | A_ITALIC | A_BLINK;

static void colour_name(short c, char *buf, size_t n)
{
    static const char *const names[] = { "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white" };
    if (c < 0)
        snprintf(buf, n, "default");
    else if (c < 8)
        snprintf(buf, n, "%s", names[c]);
    else
        snprintf(buf, n, "colour %d", c);
}

/* "yellow, bold", "black on cyan", "bold, underline", "default on black": a look in words. */
static void look_words(const struct look *k, FILE *out)
{
    static const struct {
        attr_t a;
        const char *name;
    } attrs[] = { { A_BOLD, "bold" },       { A_DIM, "dim" },       { A_UNDERLINE, "underline" },
                  { A_REVERSE, "reverse" }, { A_STANDOUT, "standout" }, { A_ITALIC, "italic" },
                  { A_BLINK, "blink" } };
    char fg[32], bg[32];
    colour_name(k->fg, fg, sizeof fg);
    colour_name(k->bg, bg, sizeof bg);
    int words = 0;
    if (k->fg >= 0 || k->bg >= 0) {
        fputs(fg, out);
        if (k->bg >= 0)
            fprintf(out, " on %s", bg);
        words++;
    }
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (k->attr & attrs[i].a)
            fprintf(out, "%s%s", words++ ? ", " : "", attrs[i].name);
    if (!words)
        fputs("plain", out);
}

int tui_crt_dump_attrs(FILE *out)
{
    if (tui_crt_dump(out) < 0)
        return -1;
    int rows, cols;
    getmaxyx(curscr, rows, cols);
    char *line = malloc((size_t)cols + 1);
    if (!line)
        return -1;
    struct look looks[LOOK_MAX];
    int n_looks = 0;
    fputs("-- attributes --\n", out);
    for (int y = 0; y < rows; y++) {
        int end = 0;
        for (int x = 0; x < cols; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1] = { 0 };
            attr_t attrs = 0;
            short pair = 0;
            struct look k = { -1, -1, 0 };
            if (mvwin_wch(curscr, y, x, &cc) != ERR && getcchar(&cc, wch, &attrs, &pair, NULL) != ERR) {
                if (colour && pair_content(pair, &k.fg, &k.bg) == ERR) /* pair 0 too: a theme may set it */
                    k.fg = k.bg = -1;
                k.attr = attrs & seen_attrs;
            }
            char letter = ' ';
            if (k.fg >= 0 || k.bg >= 0 || k.attr) {
                int i = 0;
                while (i < n_looks && (looks[i].fg != k.fg || looks[i].bg != k.bg || looks[i].attr != k.attr))
                    i++;
                if (i == n_looks && n_looks < LOOK_MAX)
                    looks[n_looks++] = k;
                letter = i < LOOK_MAX ? look_letters[i] : '?';
                end = x + 1;
            }
            line[x] = letter;
        }
        fprintf(out, "%.*s\n", end, line);
    }
    for (int i = 0; i < n_looks; i++) {
        fprintf(out, "%c  ", look_letters[i]);
        look_words(&looks[i], out);
        fputc('\n', out);
    }
    free(line);
    return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------------- drawing primitives */

attr_t tui_attr(enum tui_role r)
{
    if (colour)
        return colours[r].theme[theme].attr;
    /* without colour, contrast is thickness: nothing dim, everything bold */
    return theme == TUI_THEME_CONTRAST ? (colours[r].mono & ~A_DIM) | A_BOLD : colours[r].mono;
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
        if ((ch < 0x20 || ch > 0x7e) && wcwidth(ch) < 0) /* printable ASCII is printable */
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

struct wrap_draw {
    int y, x, width, max, lines, skip;
    enum tui_role role;
};

static void wrap_draw_line(void *ctx, const char *start, size_t bytes)
{
    struct wrap_draw *w = ctx;
    int at = w->lines++ - w->skip;
    if (at < 0 || at >= w->max)
        return;
    char *line = malloc(bytes + 1);
    if (!line)
        return;
    memcpy(line, start, bytes);
    line[bytes] = '\0';
    tui_put(w->y + at, w->x, line, w->width, w->role);
    free(line);
}

int tui_wrap(int y, int x, const char *utf8, int width, int max, enum tui_role r)
{
    if (width < 1)
        return 0;
    struct wrap_draw w = { y, x, width, max, 0, 0, r };
    int need = text_wrap(utf8, width, max > 0 ? wrap_draw_line : NULL, &w);
    if (max > 0 && need > max) {
        /* more than the rows: the last one says so at its end */
        int last = y + max - 1, cx = x + width - 1;
        tui_fill(last, cx, 1, r);
        tui_put(last, cx, "\u2026", 1, TUI_HINT_KEY);
    }
    return need;
}

int tui_wrap_from(int y, int x, const char *utf8, int width, int skip, int max, enum tui_role r)
{
    if (width < 1)
        return 0;
    struct wrap_draw w = { y, x, width, max, 0, skip, r };
    return text_wrap(utf8, width, wrap_draw_line, &w);
}

void tui_fill(int y, int x, int n, enum tui_role r)
{
    cchar_t cc;
    tui_cell(&cc, L' ', r);
    if (n > 1) /* a row's span (the status line, the picker's selection): in one call, up to the right edge */
        mvhline_set(y, x, &cc, n);
    else if (n == 1) /* one cell, perhaps half of a wide character: wadd_wch mends the other half */
        mvadd_wch(y, x, &cc);
}

void tui_clear_row(int y)
{
    move(y, 0);
    clrtoeol();
}
