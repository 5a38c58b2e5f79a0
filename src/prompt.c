/*
 * prompt.c — GNU readline inside the curses screen, through the callback interface (see prompt.h).
 *
 * What readline must not do, and how it is kept from it (../shared/TERMINAL.md has the reasons):
 *   - touch the terminal: no prep/deprep functions, no signal handlers, output to /dev/null, input
 *     from a byte queue through rl_getc_function and rl_input_available_hook;
 *   - export LINES and COLUMNS (rl_change_environment = 0), or ncurses stops seeing resizes;
 *   - switch the locale: readline calls setlocale(LC_CTYPE, $LC_ALL…) itself, so the environment is
 *     made to name the locale the program runs in;
 *   - draw: rl_redisplay_function hands the drawing back to the tui, which calls prompt_draw.
 * All of it is set before rl_callback_handler_install, which draws the prompt at once.
 *
 * ncurses delivers keys as KEY_* codes and single bytes; readline wants the bytes a terminal would send.
 * The bytes of one UTF-8 character are collected first and handed over together, so that readline always
 * has the whole character queued when it reads one (Ctrl-R search reads characters, not bytes).
 */
#include "prompt.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "file.h"
#include "text.h"

/* ---------------------------------------------------------------- state */

static prompt_hooks hooks;
static int initialised, installed;
static int history_pending; /* prompt_init named a history that ready() has not read yet */
static char *history_file;
static FILE *null_in, *null_out;

static unsigned char queue[256];
static int q_head, q_len;
static unsigned char partial[8]; /* an unfinished UTF-8 character */
static int partial_len, partial_need;

static void ready(void);

static char *accepted;     /* the last line accepted */
static int finished;       /* the line handler ran: 1 with a line, −1 at end of input */
static int hscroll;        /* the first cell shown when the line is wider than its row */
static int full;           /* keys were dropped: the line had PROMPT_LINE_MAX bytes */

/* ---------------------------------------------------------------- the byte queue */

static void push(const char *bytes, size_t n)
{
    for (size_t i = 0; i < n && q_len < (int)sizeof queue; i++)
        queue[(q_head + q_len++) % (int)sizeof queue] = (unsigned char)bytes[i];
}

static int pop(void)
{
    int c = queue[q_head];
    q_head = (q_head + 1) % (int)sizeof queue;
    q_len--;
    return c;
}

/* The bytes readline binds for a key; NULL for keys it has no use for. */
static const char *key_bytes(int key, char *one)
{
    switch (key) {
    case KEY_LEFT: return "\033[D";
    case KEY_RIGHT: return "\033[C";
    case KEY_UP: return "\033[A";
    case KEY_DOWN: return "\033[B";
    case KEY_HOME: return "\001";   /* C-a: beginning-of-line */
    case KEY_END: return "\005";    /* C-e: end-of-line */
    case KEY_DC: return "\033[3~";  /* delete-char */
    case KEY_BACKSPACE: return "\177";
    case KEY_ENTER: return "\r";
    case KEY_SLEFT: return "\033b"; /* a word left, a word right */
    case KEY_SRIGHT: return "\033f";
    default: break;
    }
    if (key < 0 || key > 255)
        return NULL;
    one[0] = (char)key;
    one[1] = '\0';
    return one;
}

/* Queue a key's bytes; a UTF-8 character waits until it is whole. */
static void queue_key(int key)
{
    char one[2];
    if (key >= 0x80 && key <= 0xff) {
        if ((key & 0xC0) == 0x80 && partial_len > 0) {
            partial[partial_len++] = (unsigned char)key;
            if (partial_len == partial_need) {
                push((const char *)partial, (size_t)partial_len);
                partial_len = 0;
            }
            return;
        }
        if (partial_len > 0) { /* an unfinished character: hand over what came */
            push((const char *)partial, (size_t)partial_len);
            partial_len = 0;
        }
        int need = (key & 0xE0) == 0xC0 ? 2 : (key & 0xF0) == 0xE0 ? 3 : (key & 0xF8) == 0xF0 ? 4 : 1;
        if (need > 1) {
            partial[0] = (unsigned char)key;
            partial_len = 1;
            partial_need = need;
            return;
        }
    } else if (partial_len > 0) {
        push((const char *)partial, (size_t)partial_len);
        partial_len = 0;
    }
    const char *b = key_bytes(key, one);
    if (b)
        push(b, strlen(b));
}

/* readline's input: the queue, and when it runs dry in the middle of a key, the tui's next key. */
static int getc_hook(FILE *f)
{
    (void)f;
    while (q_len == 0) {
        int key = hooks.next_key ? hooks.next_key(hooks.ctx) : -1;
        if (key < 0)
            return EOF;
        queue_key(key);
    }
    return pop();
}

static int input_available_hook(void)
{
    return q_len > 0;
}

/* ---------------------------------------------------------------- readline's callbacks */

static void redisplay_hook(void)
{
    if (hooks.redisplay)
        hooks.redisplay(hooks.ctx);
}

static void on_line(char *line)
{
    rl_callback_handler_remove();
    installed = 0;
    free(accepted);
    accepted = line; /* readline's malloc'd copy; NULL at the end of input */
    finished = line ? 1 : -1;
}

/* Completion: the candidates come from the tui (the session's tables); readline picks the common part. */
static struct {
    char **v;
    int n, cap;
} cands;

static void add_candidate(const char *c, void *ctx)
{
    (void)ctx;
    if (cands.n == cands.cap) {
        int cap = cands.cap ? 2 * cands.cap : 32;
        char **v = realloc(cands.v, (size_t)cap * sizeof *v);
        if (!v)
            return;
        cands.v = v;
        cands.cap = cap;
    }
    char *copy = strdup(c);
    if (copy)
        cands.v[cands.n++] = copy;
}

static void clear_candidates(void)
{
    for (int i = 0; i < cands.n; i++)
        free(cands.v[i]);
    cands.n = 0;
}

static char *generator(const char *text, int state)
{
    static int next;
    (void)text;
    if (!state)
        next = 0;
    return next < cands.n ? strdup(cands.v[next++]) : NULL;
}

static char **attempt_completion(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1; /* never fall back to file names */
    clear_candidates();
    if (hooks.complete)
        hooks.complete(hooks.ctx, rl_line_buffer, start, end, add_candidate, NULL);
    if (cands.n == 0)
        return NULL;
    return rl_completion_matches(text, generator);
}

static void display_matches(char **matches, int n, int max)
{
    (void)max;
    size_t size = 1;
    for (int i = 1; i <= n; i++)
        size += strlen(matches[i]) + 2;
    char *list = malloc(size), *p = list;
    if (!list)
        return;
    for (int i = 1; i <= n; i++)
        p += sprintf(p, "%s%s", i > 1 ? "  " : "", matches[i]);
    *p = '\0';
    if (hooks.matches)
        hooks.matches(hooks.ctx, list);
    free(list);
    redisplay_hook();
}

/* ---------------------------------------------------------------- history */

int prompt_history_path(int scripted, char *buf, size_t n)
{
    return file_state_path(scripted, "history", buf, n);
}

/* The history file is read and written only when it is a regular file or not there yet (file.h). */
static int history_usable(void)
{
    const char *why;
    return history_file && (file_regular(history_file, &why) || errno == ENOENT);
}

/* The history file's lines into readline's history (the newest PROMPT_HISTORY_MAX of them: it is stifled).
 * Read without blocking (file_read), so that a FIFO put there after history_usable() asked cannot hold the
 * program; write_history writes it back the way read_history would read it, one entry a line. */
static void load_history(void)
{
    char *text;
    size_t len;
    const char *why;
    if (!history_file || file_read(history_file, 1 << 20, &text, &len, &why) < 0)
        return;
    for (char *line = text, *nl; line < text + len; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(text + len - line));
        if (!nl)
            nl = text + len;
        *nl = '\0';
        if (*line)
            add_history(line);
    }
    free(text);
}

static void save_history(void)
{
    if (!history_usable())
        return;
    file_make_parents(history_file);
    /* an unwritable history is not worth stopping for */
    if (write_history(history_file) == 0)
        history_truncate_file(history_file, PROMPT_HISTORY_MAX);
}

void prompt_remember(const char *line)
{
    if (!line || !*line)
        return;
    ready();
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0)
        return;
    add_history(line);
    save_history();
}

/* ---------------------------------------------------------------- set up and tear down */

/* readline sets LC_CTYPE from the environment when it starts: make the environment say what we run in. */
static void pin_locale(void)
{
    const char *now = setlocale(LC_CTYPE, NULL);
    const char *env = getenv("LC_ALL");
    if (!env || !*env)
        env = getenv("LC_CTYPE");
    if (!env || !*env)
        env = getenv("LANG");
    if (now && (!env || strcmp(env, now) != 0))
        setenv("LC_ALL", now, 1);
}

int prompt_init(const prompt_hooks *h, const char *history_path)
{
    hooks = *h;
    free(history_file);
    history_file = history_path ? strdup(history_path) : NULL;
    int refused = history_file && !history_usable();
    if (refused) {
        free(history_file);
        history_file = NULL;
    }
    history_pending = 1;
    return refused ? -1 : 0;
}

/* Readline is set up, and the history read, when the first line opens: the first frame needs neither, and
 * rl_initialize alone (its keymaps, /etc/inputrc) costs a start-up ~45 pages of memory first touched. */
static void ready(void)
{
    if (!initialised) {
        pin_locale();
        null_in = fopen("/dev/null", "r");
        null_out = fopen("/dev/null", "w");
        rl_readline_name = "bptutor";
        rl_instream = null_in;
        rl_outstream = null_out;
        rl_change_environment = 0;
        rl_catch_signals = 0;
        rl_catch_sigwinch = 0;
        rl_prep_term_function = NULL;
        rl_deprep_term_function = NULL;
        rl_getc_function = getc_hook;
        rl_input_available_hook = input_available_hook;
        rl_redisplay_function = redisplay_hook;
        rl_attempted_completion_function = attempt_completion;
        rl_completion_display_matches_hook = display_matches;
        /* a formula's operators end a word, so `tanh(w*x` completes x; '-' stays in words (save-display) */
        rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{}()[],*+/^:";
        rl_completer_word_break_characters = rl_basic_word_break_characters;
        rl_initialize();
        rl_bind_keyseq("\033[3~", rl_delete); /* not bound by default without a terminal to ask */
        rl_variable_bind("show-all-if-ambiguous", "on");
        rl_variable_bind("bell-style", "none");
        rl_variable_bind("horizontal-scroll-mode", "on");
        using_history();
        stifle_history(PROMPT_HISTORY_MAX);
        initialised = 1;
    }
    if (history_pending) {
        clear_history();
        load_history();
        using_history();
        history_pending = 0;
    }
}

void prompt_done(void)
{
    /* a line still open may be inside a Ctrl-R search, which holds pointers into the history: end it, or the
     * next prompt_init's clear_history() leaves readline reading freed lines */
    prompt_cancel();
    clear_candidates();
    free(cands.v);
    cands.v = NULL;
    cands.cap = 0;
    free(history_file);
    history_file = NULL;
    free(accepted);
    accepted = NULL;
}

/* ---------------------------------------------------------------- the line */

void prompt_open(const char *text)
{
    ready();
    if (installed)
        rl_callback_handler_remove();
    q_len = q_head = 0;
    partial_len = 0;
    finished = 0;
    hscroll = 0;
    full = 0;
    free(accepted);
    accepted = NULL;
    installed = 1;
    rl_callback_handler_install(text, on_line);
}

void prompt_cancel(void)
{
    if (!installed)
        return;
    rl_callback_sigcleanup(); /* leaves a Ctrl-R search, a half-typed key sequence */
    rl_free_line_state();
    rl_replace_line("", 1);
    rl_callback_handler_remove();
    installed = 0;
    using_history();
    q_len = q_head = 0;
    partial_len = 0;
}

enum prompt_status prompt_feed(int key)
{
    if (!installed)
        return PROMPT_CANCELLED;
    int searching = RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH) != 0;
    /* Ctrl-C cancels the line, not the program; Esc cancels it too, except that it ends a search */
    if (key == 3 || (key == 27 && !searching)) {
        prompt_cancel();
        return PROMPT_CANCELLED;
    }
    /* a full line takes no more characters (yanks, completions and a character's last bytes are cut below) */
    if (!searching && rl_end >= PROMPT_LINE_MAX && ((key >= 0x20 && key < 0x7f) || (key >= 0x80 && key <= 0xff))) {
        full = 1;
        return PROMPT_EDITING;
    }
    queue_key(key);
    while (q_len > 0 && installed)
        rl_callback_read_char();
    if (installed && rl_end > PROMPT_LINE_MAX) {
        int cut = PROMPT_LINE_MAX;
        while (cut > 0 && ((unsigned char)rl_line_buffer[cut] & 0xC0) == 0x80)
            cut--; /* not inside a character */
        rl_delete_text(cut, rl_end);
        if (rl_point > rl_end)
            rl_point = rl_end;
        full = 1;
        rl_redisplay();
    }
    if (installed)
        return PROMPT_EDITING;
    using_history();
    return finished > 0 ? PROMPT_ACCEPTED : PROMPT_CANCELLED;
}

int prompt_full(void)
{
    int was = full;
    full = 0;
    return was;
}

const char *prompt_line(void)
{
    return accepted ? accepted : "";
}

/* ---------------------------------------------------------------- drawing */

/* Walk the UTF-8 text s[0..len): fn(ch, cell, width) for each character; returns the cells used. */
typedef void each_fn(wchar_t ch, int at, int w, void *ctx);
static int each_char(const char *s, size_t len, int at, each_fn *fn, void *ctx)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    while (len > 0) {
        wchar_t ch;
        size_t k;
        if ((unsigned char)*s < 0x80) { /* most of a line: no need to ask the locale */
            ch = *s >= 0x20 && *s < 0x7f ? (wchar_t)*s : L'?';
            if (fn)
                fn(ch, at, 1, ctx);
            at++;
            s++;
            len--;
            continue;
        }
        k = text_next(s, len, &st, &ch);
        if (k == 0) { /* a NUL inside the line */
            k = 1;
            ch = L'?';
        }
        int w = text_cells(ch);
        if (wcwidth(ch) < 0)
            ch = L'?';
        if (fn)
            fn(ch, at, w, ctx);
        at += w;
        s += k;
        len -= k;
    }
    return at;
}

struct draw_ctx {
    int y, x, first, width;
    attr_t attr;
    short pair;
};

static void put_char(wchar_t ch, int at, int w, void *ctx)
{
    const struct draw_ctx *d = ctx;
    if (w == 0 || at < d->first || at + w > d->first + d->width)
        return;
    wchar_t s[2] = { ch, 0 };
    cchar_t cc;
    setcchar(&cc, s, d->attr, d->pair, NULL);
    mvadd_wch(d->y, d->x + at - d->first, &cc);
}

int prompt_draw(int y, int x, int width, attr_t attr, short pair)
{
    const char *pr = rl_display_prompt ? rl_display_prompt : "";
    const char *line = rl_line_buffer ? rl_line_buffer : "";
    size_t len = rl_line_buffer ? (size_t)rl_end : 0;
    int point = rl_point < 0 ? 0 : (size_t)rl_point > len ? (int)len : rl_point;
    int pw = each_char(pr, strlen(pr), 0, NULL, NULL);
    int cursor = each_char(line, (size_t)point, pw, NULL, NULL);
    int total = each_char(line, len, pw, NULL, NULL);
    if (width < 1)
        return x;
    /* the window [first, first + width): the whole line when it fits with the cursor after it; else
     * keep the cursor inside, off the columns where a … marks a cut */
    int first = hscroll;
    if (total + 1 <= width) {
        first = 0;
    } else {
        if (cursor < first + 1)
            first = cursor - width / 2;
        if (cursor > first + width - 2)
            first = cursor == total ? cursor - width + 1 : cursor - width + 2;
        if (first > total + 1 - width)
            first = total + 1 - width;
        if (first < 0)
            first = 0;
    }
    hscroll = first;
    cchar_t blank;
    setcchar(&blank, L" ", attr, pair, NULL);
    for (int i = 0; i < width; i++)
        mvadd_wch(y, x + i, &blank);
    struct draw_ctx d = { y, x, first, width, attr, pair };
    int at = each_char(pr, strlen(pr), 0, put_char, &d);
    each_char(line, len, at, put_char, &d);
    cchar_t more;
    setcchar(&more, L"\u2026", attr, pair, NULL);
    if (first > 0)
        mvadd_wch(y, x, &more);
    if (first + width < total + 1 && width > 1)
        mvadd_wch(y, x + width - 1, &more);
    int cx = x + cursor - first;
    move(y, cx);
    return cx;
}

