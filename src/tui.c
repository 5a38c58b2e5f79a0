/*
 * tui.c — the tutor's screen: start and stop curses, one input path, the key table's dispatcher, the
 * handlers, resize, signals and the frame (status line, views, bottom line).
 *
 * One input path: next_key() returns the next key from wgetch on a terminal, or from the script's lines
 * translated to the same codes, so the headless replay runs exactly the code a learner's keys run.
 * Handlers change the state and say what needs doing; tui_draw() and the view files only read it.
 * Idle means idle: wgetch blocks, with no timeout, until a key, a resize or a signal.
 *
 * While the ':' line is open every key goes to readline (prompt.c), still through next_key(). The same
 * prompt answers quizzes: when the walk arrives at a step whose quiz is still to be asked, the result is
 * held back (tui_hiding: the panel shows the working with "?", the diagram shows the node as unknown) and
 * the question is asked; classroom mode holds back every result until →.
 */
#include "text.h"
#include "tui_int.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

/* ---------------------------------------------------------------- tables */

#define X(a, hint, help, ...) static const int keys_##a[] = { __VA_ARGS__, 0 };
TUI_KEYS(X)
#undef X

const int *const tui_action_keys[TUI_ACTION_COUNT] = {
#define X(a, hint, help, ...) keys_##a,
    TUI_KEYS(X)
#undef X
};

const char *const tui_action_help[TUI_ACTION_COUNT] = {
#define X(a, hint, help, ...) help,
    TUI_KEYS(X)
#undef X
};

static const char *const action_hint[] = {
#define X(a, hint, help, ...) hint,
    TUI_KEYS(X)
#undef X
};
_Static_assert(sizeof action_hint / sizeof action_hint[0] == TUI_ACTION_COUNT, "one hint per action");

static const struct {
    short fg, bg;
    attr_t colour, mono;
} colours[] = {
#define X(role, fg, bg, attr, mono) { fg, bg, attr, mono },
    TUI_COLORS(X)
#undef X
};
_Static_assert(sizeof colours / sizeof colours[0] == TUI_ROLE_COUNT, "one colour per role");

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
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_fatal_signal;
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
    sa.sa_handler = on_stop;
    sigaction(SIGTSTP, &sa, NULL); /* no SA_RESTART: wgetch returns and the screen is redrawn */
}

static int utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
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

static void start_colours(tui *t)
{
    const char *no = getenv("NO_COLOR");
    t->colour = !t->opt->script && has_colors() && !(no && *no);
    if (!t->colour)
        return;
    start_color();
    use_default_colors();
    for (int r = 1; r < TUI_ROLE_COUNT; r++)
        init_pair((short)r, colours[r].fg, colours[r].bg);
}

static int start_screen(tui *t)
{
    if (t->opt->script) {
        /* headless: a screen of the asked size on /dev/null, the same terminal type everywhere */
        use_env(FALSE);
        screen_out = fopen("/dev/null", "w");
        screen_in = fopen("/dev/null", "r");
        if (!screen_out || !screen_in)
            return -1;
        screen = newterm("xterm-256color", screen_out, screen_in);
        if (!screen)
            return -1;
        set_term(screen);
        resize_term(t->opt->rows > 0 ? t->opt->rows : 24, t->opt->cols > 0 ? t->opt->cols : 80);
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
    start_colours(t);
    getmaxyx(stdscr, t->rows, t->cols);
    return 0;
}

static void stop_screen(void)
{
    if (!screen)
        return;
    if (!isendwin())
        endwin();
    delscreen(screen);
    screen = NULL;
    if (screen_out)
        fclose(screen_out);
    if (screen_in)
        fclose(screen_in);
    screen_out = screen_in = NULL;
}

/* ---------------------------------------------------------------- drawing helpers */

attr_t tui_attr(const tui *t, enum tui_role r)
{
    return t->colour ? colours[r].colour : colours[r].mono;
}

/* A cell of role r. The wide-character API takes the colour pair apart from the attributes. */
void tui_cell(const tui *t, cchar_t *cc, wchar_t ch, enum tui_role r)
{
    wchar_t s[2] = { ch, 0 };
    setcchar(cc, s, tui_attr(t, r), t->colour ? (short)r : 0, NULL);
}

int tui_put(const tui *t, int y, int x, const char *utf8, int max, enum tui_role r)
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
        tui_cell(t, &cc, ch, r);
        mvadd_wch(y, x + used, &cc);
        used += cw;
    }
    return used;
}

int tui_put_clipped(const tui *t, int y, int x, const char *utf8, int max, enum tui_role r)
{
    if (text_width(utf8) <= max)
        return tui_put(t, y, x, utf8, max, r);
    int used = tui_put(t, y, x, utf8, max - 1, r);
    return used + tui_put(t, y, x + used, "\u2026", 1, r);
}

void tui_fill(const tui *t, int y, int x, int n, enum tui_role r)
{
    cchar_t cc;
    tui_cell(t, &cc, L' ', r);
    for (int i = 0; i < n; i++)
        mvadd_wch(y, x + i, &cc);
}

const char *tui_key_label(int key, char *buf, size_t n)
{
    switch (key) {
    case KEY_RIGHT: return "\u2192";
    case KEY_LEFT: return "\u2190";
    case KEY_UP: return "\u2191";
    case KEY_DOWN: return "\u2193";
    case KEY_SRIGHT: return "S-\u2192";
    case KEY_SLEFT: return "S-\u2190";
    case KEY_SR: return "S-\u2191";
    case KEY_SF: return "S-\u2193";
    case KEY_HOME: return "Home";
    case KEY_END: return "End";
    case KEY_PPAGE: return "PgUp";
    case KEY_NPAGE: return "PgDn";
    case KEY_ENTER: return NULL;
    case '\r': return "Enter";
    case '\n': return NULL; /* the same key as Enter on most terminals */
    case '\t': return "Tab";
    case ' ': return "Space";
    case 27: return "Esc";
    default: break;
    }
    if (key > 0 && key < 32)
        snprintf(buf, n, "C-%c", key + 'a' - 1);
    else
        snprintf(buf, n, "%c", key);
    return buf;
}

/* ---------------------------------------------------------------- the frame */

int tui_graph_height(const tui *t)
{
    int avail = t->rows - 2; /* status line and bottom line */
    int panel = tui_panel_lines(t);
    int max_panel = avail - 8;
    if (panel > max_panel)
        panel = max_panel;
    return avail - panel;
}

static void draw_status(const tui *t)
{
    char left[512], right[256];
    tui_fill(t, 0, 0, t->cols, TUI_STATUS);
    if (t->view == TUI_VIEW_PICKER) {
        tui_put(t, 0, 1, "bptutor \u2014 choose a lesson", t->cols - 2, TUI_STATUS);
        return;
    }
    int k, n;
    walk_phase_position(t->w, &k, &n);
    const walk_step *st = walk_current(t->w);
    snprintf(left, sizeof left, "%s", t->l->title ? t->l->title : t->name);
    snprintf(right, sizeof right, "epoch %d \u00b7 %s %d/%d \u00b7 step %d of %d", walk_epoch(t->w),
             lesson_phase_name(st->phase), k, n, walk_index(t->w) + 1, walk_count(t->w));
    int rw = text_width(right);
    int room = t->cols - rw - 4;
    if (room >= 8) {
        tui_put_clipped(t, 0, 1, left, room, TUI_STATUS);
        tui_put(t, 0, t->cols - rw - 1, right, rw, TUI_STATUS);
    } else {
        tui_put(t, 0, 1, right, t->cols - 2, TUI_STATUS);
    }
}

/* A failed line with the column of the problem marked, gcc's way: the line in row y (a window around the
 * column when it is long), and a caret under the column in row y + 1 followed by the message. */
static void draw_error(const tui *t, int y)
{
    const char *line = t->err_line;
    int col = t->err_col > 0 ? t->err_col : 1;
    /* the cell where the column's character starts, and the byte where the window starts */
    int cell = 0, room = t->cols - 2;
    const char *p = line, *start = line;
    int start_cell = 0;
    for (int c = 1; *p && c < col; c++) {
        const char *q = p + 1;
        while (((unsigned char)*q & 0xC0) == 0x80)
            q++;
        char ch[8];
        snprintf(ch, sizeof ch, "%.*s", (int)(q - p), p);
        cell += text_width(ch);
        p = q;
    }
    /* keep the column in the right half of the window when the line is longer than the row */
    while (cell - start_cell > room / 2 && text_width(start) > room) {
        const char *q = start + 1;
        while (((unsigned char)*q & 0xC0) == 0x80)
            q++;
        char ch[8];
        snprintf(ch, sizeof ch, "%.*s", (int)(q - start), start);
        start_cell += text_width(ch);
        start = q;
    }
    move(y, 0);
    clrtoeol();
    move(y + 1, 0);
    clrtoeol();
    int x = 1;
    if (start != line)
        x += tui_put(t, y, x, "\u2026", 1, TUI_HINT);
    tui_put_clipped(t, y, x, start, t->cols - 1 - x, TUI_NORMAL);
    if (t->err_col <= 0) {
        tui_put_clipped(t, y + 1, 1, t->message, t->cols - 2, TUI_NOTE);
        return;
    }
    int caret = x + cell - start_cell;
    if (caret > t->cols - 2)
        caret = t->cols - 2;
    tui_put(t, y + 1, caret, "^", 1, TUI_NOTE);
    int mw = text_width(t->message);
    if (caret + 2 + mw <= t->cols - 1 || caret - 1 - mw < 1)
        tui_put_clipped(t, y + 1, caret + 2, t->message, t->cols - 3 - caret, TUI_NOTE);
    else
        tui_put(t, y + 1, caret - 1 - mw, t->message, mw, TUI_NOTE);
}

/* The bottom row: the ':' line while it is open (readline's, drawn by prompt_draw, with a message or an
 * error on the rows above it), else a message, else the keys. */
static void draw_bottom(const tui *t)
{
    int y = t->rows - 1, x = 1;
    if (t->prompting) {
        if (t->err_line)
            draw_error(t, y - 2);
        else if (t->message[0]) {
            move(y - 1, 0);
            clrtoeol();
            tui_put_clipped(t, y - 1, 1, t->message, t->cols - 2, TUI_NOTE);
        }
        move(y, 0);
        clrtoeol();
        prompt_draw(y, 0, t->cols, tui_attr(t, TUI_NORMAL), t->colour ? (short)TUI_NORMAL : 0);
        return;
    }
    if (t->err_line) {
        draw_error(t, y - 1);
        return;
    }
    move(y, 0);
    clrtoeol();
    if (t->message[0]) {
        tui_put_clipped(t, y, 1, t->message, t->cols - 2, TUI_NOTE);
        return;
    }
    if (tui_hiding(t)) {
        const char *what = t->quizzes && t->s && quiz_pending(session_quiz(t->s), t->w) >= 0
                               ? "a answers the quiz \u00b7 \u2192 shows the answer"
                               : "\u2192 shows the result";
        tui_put_clipped(t, y, 1, what, t->cols - 2, TUI_HINT_KEY);
        return;
    }
    if (t->view == TUI_VIEW_PICKER) {
        tui_put(t, y, 1, "\u2191\u2193 choose \u00b7 Enter open \u00b7 q quit", t->cols - 2, TUI_HINT);
        return;
    }
    /* hints in table order; those that do not fit give way, but help and quit always stay */
    int keep = 0;
    char buf[16];
    for (int a = 0; a < TUI_ACTION_COUNT; a++)
        if (a == TUI_ACT_HELP || a == TUI_ACT_QUIT)
            keep += text_width(tui_key_label(tui_action_keys[a][0], buf, sizeof buf)) + 1 +
                    text_width(action_hint[a]) + 2;
    for (int a = 0; a < TUI_ACTION_COUNT; a++) {
        if (!action_hint[a])
            continue;
        const char *key = tui_key_label(tui_action_keys[a][0], buf, sizeof buf);
        int need = text_width(key) + 1 + text_width(action_hint[a]) + 2;
        int essential = a == TUI_ACT_HELP || a == TUI_ACT_QUIT;
        if (x + need + (essential ? 0 : keep) > t->cols) {
            if (!essential)
                continue;
            break;
        }
        if (essential)
            keep -= need;
        x += tui_put(t, y, x, key, t->cols - x, TUI_HINT_KEY);
        x += tui_put(t, y, x, " ", 1, TUI_HINT);
        x += tui_put(t, y, x, action_hint[a], t->cols - x, TUI_HINT);
        x += tui_put(t, y, x, "  ", 2, TUI_HINT);
    }
}

static void draw_too_small(const tui *t)
{
    char need[64], now[64];
    snprintf(need, sizeof need, "(need %d\u00d7%d)", TUI_MIN_COLS, TUI_MIN_ROWS);
    snprintf(now, sizeof now, "now %d\u00d7%d", t->cols, t->rows);
    const char *lines[3] = { "terminal too small", need, now };
    char one[128];
    snprintf(one, sizeof one, "terminal too small %s", need);
    if (text_width(one) <= t->cols) {
        lines[0] = one;
        lines[1] = now;
        lines[2] = NULL;
    }
    int n = lines[2] ? 3 : 2;
    int y = (t->rows - n) / 2;
    for (int i = 0; i < n && y + i < t->rows; i++) {
        int w = text_width(lines[i]);
        int x = (t->cols - w) / 2;
        tui_put(t, y + i, x > 0 ? x : 0, lines[i], t->cols, i == 0 ? TUI_NOTE : TUI_NORMAL);
    }
}

void tui_draw(const tui *t)
{
    erase();
    if (t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS) {
        draw_too_small(t);
        curs_set(0);
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    draw_status(t);
    int top = 1, height = t->rows - 2;
    switch (t->view) {
    case TUI_VIEW_GRAPH: {
        int gh = tui_graph_height(t);
        tui_draw_graph(t, top, gh);
        tui_draw_panel(t, top + gh, height - gh);
        break;
    }
    case TUI_VIEW_HISTORY: tui_draw_history(t, top, height); break;
    case TUI_VIEW_PLOT: tui_draw_plot(t, top, height); break;
    case TUI_VIEW_HELP: tui_draw_help(t, top, height); break;
    case TUI_VIEW_PICKER: tui_draw_picker(t, top, height); break;
    case TUI_VIEW_TEXT: tui_draw_text(t, top, height); break;
    case TUI_VIEW_COUNT: break;
    }
    draw_bottom(t); /* last: the cursor stays where the prompt left it */
    curs_set(t->prompting ? 1 : 0);
    wnoutrefresh(stdscr);
    doupdate();
}

/* ---------------------------------------------------------------- state that follows the walk */

/* Bring the diagram up to the walk, keep the current step's node in view (unless the learner panned away),
 * and draw the part of it around the pan window: a big graph's whole drawing would take a step's time. */
static void refresh_canvas(tui *t)
{
    if (!t->w)
        return;
    layout_canvas_free(t->canvas);
    t->canvas = NULL;
    if (!t->diagram)
        t->diagram = layout_view_new();
    if (!t->diagram || layout_view_update(t->diagram, t->w, t->l, tui_hiding(t)) < 0)
        return;
    int vw = t->cols, vh = tui_graph_height(t);
    layout_rect all = layout_view_bounds(t->diagram), f = layout_view_focus(t->diagram);
    /* when the current node leaves the window, bring it to the middle: fewer jumps, and its neighbours
     * come into view with it */
    if (t->follow && f.w > 0) {
        if (f.x < t->pan_x || f.x + f.w > t->pan_x + vw)
            t->pan_x = f.x + f.w / 2 - vw / 2;
        if (f.y < t->pan_y || f.y + f.h > t->pan_y + vh)
            t->pan_y = f.y + f.h / 2 - vh / 2;
    }
    if (t->pan_x > all.w - vw)
        t->pan_x = all.w - vw;
    if (t->pan_y > all.h - vh)
        t->pan_y = all.h - vh;
    if (t->pan_x < 0)
        t->pan_x = 0;
    if (t->pan_y < 0)
        t->pan_y = 0;
    /* a margin, so that a wide character cut by the window's edge is drawn as before */
    t->canvas = layout_view_draw(t->diagram, t->pan_x - 2, t->pan_y - 2, t->cols + 4, t->rows + 4);
}

/* ---------------------------------------------------------------- quizzes and classroom mode */

static int pending_quiz(const tui *t)
{
    return t->quizzes && t->s ? quiz_pending(session_quiz(t->s), t->w) : -1;
}

int tui_hiding(const tui *t)
{
    if (!t->w || t->view == TUI_VIEW_PICKER)
        return 0;
    if (pending_quiz(t) >= 0)
        return 1;
    char q[8];
    return t->classroom && !t->revealed && walk_step_question(t->w, q, sizeof q) > 0;
}

/* Open the prompt on quiz k's question. */
static int ask_quiz(tui *t, int k)
{
    const lesson *l = t->l;
    char text[LESSON_LINE_MAX + 16];
    snprintf(text, sizeof text, "Quiz %d of %d: %s ", k + 1, l->n_quiz, k < l->n_quiz ? l->quiz[k].question : "?");
    t->prompting = TUI_ASK_QUIZ;
    prompt_open(text);
    return TUI_REDRAW;
}

/* The walk has come to a step (or to a new graph): hide what must wait, ask what is asked here. */
static int arrive(tui *t)
{
    t->revealed = 0;
    if (!t->s)
        return TUI_NOTHING;
    int k = pending_quiz(t);
    if (k >= 0 && !t->prompting)
        return ask_quiz(t, k);
    const walk_step *st = walk_current(t->w);
    int right, total;
    quiz_score(session_quiz(t->s), &right, &total);
    if (t->quizzes && total > 0 && walk_epoch(t->w) == 1 && st->phase == LESSON_PHASE_EPOCH && !t->message[0])
        snprintf(t->message, sizeof t->message, "Quiz score: %d of %d", right, total);
    return TUI_NOTHING;
}

/* The one place that handles a new terminal size. */
static void on_resize(tui *t)
{
    getmaxyx(stdscr, t->rows, t->cols);
    clearok(curscr, TRUE);
    refresh_canvas(t);
}

/* ---------------------------------------------------------------- the handlers */

static int say(tui *t, const char *msg)
{
    size_t n = strlen(msg);
    if (n >= sizeof t->message)
        n = sizeof t->message - 1;
    memcpy(t->message, msg, n);
    t->message[n] = '\0';
    return TUI_REDRAW;
}

static int open_command(tui *t)
{
    tui_clear_error(t);
    t->prompting = TUI_ASK_COMMAND;
    prompt_open(":");
    return TUI_REDRAW;
}

/* A jump forward from step i of epoch e does not pass a quiz still to be asked: it stops at the first one.
 * Returns 1 when it moved the walk back to that step. */
static int stop_at_quiz(tui *t, int e, int i)
{
    if (!t->quizzes || !t->s || e != 1)
        return 0;
    const quiz *q = session_quiz(t->s);
    int to = walk_epoch(t->w) == e ? walk_index(t->w) : walk_count(t->w);
    int stop = -1;
    for (int k = 0; k < t->l->n_quiz; k++) {
        int at = quiz_step(q, k);
        if (at > i && at < to && !quiz_settled(q, k) && (stop < 0 || at < stop))
            stop = at;
    }
    if (stop < 0)
        return 0;
    if (walk_epoch(t->w) != e)
        walk_prev(t->w); /* back into the epoch: from its next one's first step to its last */
    walk_jump(t->w, stop);
    return 1;
}

static int moved(tui *t, int changed, const char *limit)
{
    t->follow = 1;
    return changed ? TUI_CHANGED : say(t, limit);
}

static int open_choice(tui *t)
{
    if (t->n_choices <= 0)
        return TUI_NOTHING;
    lesson_error err;
    session *s = session_open(t->choices[t->chosen].path, &t->opt->langs, &err);
    if (!s) {
        char buf[2048];
        lesson_error_format(&err, t->choices[t->chosen].path, buf, sizeof buf);
        char *nl = strchr(buf, '\n');
        if (nl)
            *nl = '\0';
        return say(t, buf);
    }
    t->s = s;
    t->l = session_lesson(s);
    t->w = session_walk(s);
    snprintf(t->name, sizeof t->name, "%s", t->choices[t->chosen].name);
    t->view = TUI_VIEW_GRAPH;
    t->follow = 1;
    return TUI_CHANGED;
}

static int act(tui *t, enum tui_action a, int key)
{
    int picker = t->view == TUI_VIEW_PICKER;
    if (picker) {
        switch (a) {
        case TUI_ACT_UP: if (t->chosen > 0) t->chosen--; return TUI_REDRAW;
        case TUI_ACT_DOWN: if (t->chosen + 1 < t->n_choices) t->chosen++; return TUI_REDRAW;
        case TUI_ACT_NEXT:
        case TUI_ACT_OPEN: return open_choice(t);
        case TUI_ACT_QUIT: return TUI_EXIT;
        case TUI_ACT_REDRAW: clearok(curscr, TRUE); return TUI_REDRAW;
        case TUI_ACT_COMMAND: return open_command(t);
        default: return TUI_NOTHING;
        }
    }
    walk *w = t->w;
    switch (a) {
    case TUI_ACT_NEXT: {
        /* a held-back result comes first: a waiting quiz is skipped (not counted right), a class sees it */
        int k = pending_quiz(t);
        if (k >= 0) {
            quiz_skip(session_quiz(t->s), k);
                    t->revealed = 1;
            return say(t, "quiz skipped: here is the result") | TUI_CHANGED;
        }
        if (tui_hiding(t)) {
            t->revealed = 1;
            return TUI_CHANGED;
        }
        return moved(t, walk_next(w), "");
    }
    case TUI_ACT_PREV: return moved(t, walk_prev(w), "this is the very first step");
    case TUI_ACT_NEXT_PHASE: {
        int e = walk_epoch(w), i = walk_index(w);
        int changed = walk_next_phase(w);
        return moved(t, stop_at_quiz(t, e, i) || changed, "");
    }
    case TUI_ACT_PREV_PHASE: return moved(t, walk_prev_phase(w), "this is the very first step");
    case TUI_ACT_FINISH: {
        int e = walk_epoch(w), i = walk_index(w);
        int changed = walk_finish_epoch(w);
        return moved(t, stop_at_quiz(t, e, i) || changed, "already at the end of the epoch");
    }
    case TUI_ACT_TRAIN: return moved(t, walk_train(w, t->l->epochs > 0 ? t->l->epochs : 1), "");
    case TUI_ACT_RESET:
        t->pan_x = t->pan_y = 0;
        return moved(t, walk_reset(w) || 1, "");
    case TUI_ACT_FIRST: return moved(t, walk_jump(w, 0), "already at the first step");
    case TUI_ACT_LAST: {
        int e = walk_epoch(w), i = walk_index(w);
        int changed = walk_jump(w, walk_count(w) - 1);
        return moved(t, stop_at_quiz(t, e, i) || changed, "already at the last step");
    }
    case TUI_ACT_VIEW_CYCLE:
        t->view = t->view >= TUI_VIEW_COUNT ? TUI_VIEW_GRAPH : (enum tui_view)((t->view + 1) % TUI_VIEW_COUNT);
        t->scroll = 0;
        return TUI_REDRAW;
    case TUI_ACT_VIEW:
        t->view = (enum tui_view)(key - '1');
        t->scroll = 0;
        return TUI_REDRAW;
    case TUI_ACT_HELP:
        if (t->view == TUI_VIEW_HELP) {
            t->view = t->before_help;
        } else {
            t->before_help = t->view;
            t->view = TUI_VIEW_HELP;
        }
        t->scroll = 0;
        return TUI_REDRAW;
    case TUI_ACT_BACK:
        t->view = TUI_VIEW_GRAPH;
        return TUI_REDRAW;
    case TUI_ACT_PAN: {
        if (t->view != TUI_VIEW_GRAPH)
            return TUI_NOTHING;
        int dx = 0, dy = 0;
        switch (key) {
        case KEY_SLEFT: case 'H': dx = -8; break;
        case KEY_SRIGHT: case 'L': dx = 8; break;
        case KEY_SR: case 'K': dy = -3; break;
        default: dy = 3; break;
        }
        t->pan_x += dx;
        t->pan_y += dy;
        t->follow = 0;
        refresh_canvas(t);
        return TUI_REDRAW;
    }
    case TUI_ACT_UP:
    case TUI_ACT_DOWN: {
        /* the history counts back from its newest row, the help down from its top */
        int by = key == KEY_PPAGE || key == KEY_NPAGE ? 10 : 1;
        int down = a == TUI_ACT_DOWN;
        t->scroll += (t->view == TUI_VIEW_HISTORY) == down ? -by : by;
        int max = tui_scroll_max(t);
        t->scroll = t->scroll < 0 ? 0 : t->scroll > max ? max : t->scroll;
        return TUI_REDRAW;
    }
    case TUI_ACT_OPEN: return TUI_NOTHING;
    case TUI_ACT_COMMAND: return open_command(t);
    case TUI_ACT_ANSWER: {
        int k = pending_quiz(t);
        if (k < 0)
            return say(t, t->quizzes ? "no quiz waits at this step" : "quizzes are off (--no-quiz)");
        return ask_quiz(t, k);
    }
    case TUI_ACT_CLASSROOM:
        t->classroom = !t->classroom;
        t->revealed = 0;
        return say(t, t->classroom ? "classroom mode: each step shows its working first; \u2192 shows the result"
                                   : "classroom mode off") | TUI_CHANGED;
    case TUI_ACT_NOTES:
        if (!t->l->notes)
            return say(t, "this lesson has no teacher notes");
        t->notes = !t->notes;
        return TUI_REDRAW;
    case TUI_ACT_REDRAW: clearok(curscr, TRUE); return TUI_REDRAW;
    case TUI_ACT_SUSPEND:
        if (!t->opt->script)
            raise(SIGTSTP);
        return TUI_REDRAW;
    case TUI_ACT_QUIT: return TUI_EXIT;
    case TUI_ACTION_COUNT: break;
    }
    return TUI_NOTHING;
}

/* The dispatcher, generated from the key table. */
static int dispatch(tui *t, int key)
{
    for (int a = 0; a < TUI_ACTION_COUNT; a++)
        for (const int *k = tui_action_keys[a]; *k; k++)
            if (*k == key)
                return act(t, (enum tui_action)a, key);
    return TUI_NOTHING;
}

/* A key for the open ':' line. Readline edits; Enter runs the line as a command or checks it as the
 * quiz's answer; Esc or Ctrl-C drops it (a quiz then waits: a asks it again, → skips it). */
static int prompt_key(tui *t, int key)
{
    enum tui_ask ask = t->prompting;
    enum prompt_status st = prompt_feed(key);
    if (st == PROMPT_EDITING) { /* readline's redisplay has drawn the line (hook_redisplay) */
        int todo = t->dirty ? TUI_REDRAW : TUI_NOTHING;
        t->dirty = 0;
        return todo;
    }
    t->prompting = TUI_ASK_NONE;
    if (st == PROMPT_CANCELLED) {
        tui_clear_error(t);
        t->message[0] = '\0';
        if (ask == TUI_ASK_QUIZ && pending_quiz(t) >= 0)
            say(t, "the quiz waits: a answers it, \u2192 shows the answer");
        return TUI_REDRAW;
    }
    char *line = strdup(prompt_line());
    if (!line)
        return say(t, "out of memory");
    if (ask == TUI_ASK_COMMAND)
        prompt_remember(line);
    tui_clear_error(t);
    t->message[0] = '\0';
    tui_draw(t); /* the screen as it is without the prompt: what save-display writes */
    int todo;
    if (ask == TUI_ASK_QUIZ) {
        todo = tui_answer(t, line);
        int k = pending_quiz(t);
        if (k >= 0) /* wrong, or not an answer: the hint or the error shows above the question, asked again */
            todo |= ask_quiz(t, k);
        else
            t->revealed = 1; /* settled: in classroom mode too, the result is what comes next */
    } else {
        todo = tui_command(t, line);
    }
    free(line);
    return todo;
}

/* ---------------------------------------------------------------- the one input path */

enum { KEY_EOF = -2, KEY_AGAIN = -3, KEY_BAD = -4 };
/* A script's <Resize WxH> is queued as this code followed by cols and rows; <Dump> writes the screen as it
 * is at that moment (the prompt open, say) to stdout, as :save-display does between keys. */
enum { KEY_SCRIPT_RESIZE = KEY_MAX + 1, KEY_SCRIPT_DUMP };

static const struct {
    const char *name;
    int key;
} key_names[] = {
    { "Right", KEY_RIGHT }, { "Left", KEY_LEFT }, { "Up", KEY_UP }, { "Down", KEY_DOWN },
    { "S-Right", KEY_SRIGHT }, { "S-Left", KEY_SLEFT }, { "S-Up", KEY_SR }, { "S-Down", KEY_SF },
    { "C-Right", KEY_SRIGHT }, { "C-Left", KEY_SLEFT }, { "C-Up", KEY_SR }, { "C-Down", KEY_SF },
    { "M-Right", KEY_SRIGHT }, { "M-Left", KEY_SLEFT }, { "M-Up", KEY_SR }, { "M-Down", KEY_SF },
    { "Enter", '\r' }, { "Return", '\r' }, { "Esc", 27 }, { "Tab", '\t' }, { "Space", ' ' },
    { "Backspace", KEY_BACKSPACE }, { "BS", KEY_BACKSPACE }, { "Del", KEY_DC }, { "Home", KEY_HOME },
    { "End", KEY_END }, { "PageUp", KEY_PPAGE }, { "PageDown", KEY_NPAGE }, { "lt", '<' }, { "gt", '>' },
};

/* The queue grows to hold a whole script line, however long. */
static void enqueue(tui *t, int key)
{
    if (t->q_len == t->q_cap) {
        int cap = t->q_cap ? 2 * t->q_cap : 256;
        int *q = malloc((size_t)cap * sizeof *q);
        if (!q)
            return;
        for (int i = 0; i < t->q_len; i++)
            q[i] = t->queue[(t->q_head + i) % t->q_cap];
        free(t->queue);
        t->queue = q;
        t->q_cap = cap;
        t->q_head = 0;
    }
    t->queue[(t->q_head + t->q_len++) % t->q_cap] = key;
}

static int script_error(tui *t, const char *what, const char *line)
{
    stop_screen();
    fprintf(stderr, "%s:%d: error: %s: %s\n", t->opt->script, t->script_line, what, line);
    t->status = 2;
    return KEY_BAD;
}

/* Read script lines until one gives keys; KEY_EOF at the end. */
static int fill_from_script(tui *t)
{
    static char *buf;
    static size_t size;
    while (t->q_len == 0) {
        if (getline(&buf, &size, t->script) < 0) {
            free(buf);
            buf = NULL;
            size = 0;
            return KEY_EOF;
        }
        t->script_line++;
        size_t n = strlen(buf);
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = '\0';
        char *s = buf;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        if (*s == ':') {
            for (char *p = s + 1; *p; p++)
                if (*p == '#' && (p[-1] == ' ' || p[-1] == '\t')) {
                    *p = '\0';
                    break;
                }
            n = strlen(s);
            while (n > 1 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                s[--n] = '\0';
            for (char *p = s; *p; p++)
                enqueue(t, (unsigned char)*p);
            enqueue(t, '\r');
            continue;
        }
        /* <Type TEXT>: the text typed as it stands, without Enter (for the prompt's editing keys) */
        if (strncmp(s, "<Type ", 6) == 0) {
            char *close = strrchr(s, '>');
            if (!close || close[1])
                return script_error(t, "<Type TEXT> must end the line with '>'", s);
            for (char *p = s + 6; p < close; p++)
                enqueue(t, (unsigned char)*p);
            continue;
        }
        /* a key or a key name, then perhaps a comment */
        char *end = s;
        if (*s == '<' && s[1] && s[1] != ' ' && s[1] != '\t') { /* "<" alone is the key < */
            end = strchr(s, '>');
            if (!end)
                return script_error(t, "unterminated key name", s);
            end++;
        } else {
            end++;
            while (((unsigned char)*end & 0xC0) == 0x80)
                end++;
        }
        char *rest = end;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest && *rest != '#')
            return script_error(t, "one key per line (or a :command)", s);
        *end = '\0';
        if (*s != '<' || strlen(s) == 1) { /* a single character, "<" alone included */
            for (char *p = s; *p; p++)
                enqueue(t, (unsigned char)*p);
            continue;
        }
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(strlen(s) - 2), s + 1);
        int cols, rows;
        char x;
        if (strcmp(name, "Dump") == 0) {
            enqueue(t, KEY_SCRIPT_DUMP);
            continue;
        }
        if (sscanf(name, "Resize %d%c%d", &cols, &x, &rows) == 3 && (x == 'x' || x == 'X') && cols > 0 &&
            rows > 0 && cols <= 1000 && rows <= 1000) {
            enqueue(t, KEY_SCRIPT_RESIZE);
            enqueue(t, cols);
            enqueue(t, rows);
            continue;
        }
        if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] && !name[3]) {
            enqueue(t, TUI_KEY_CTRL(name[2]));
            continue;
        }
        int found = 0;
        for (size_t i = 0; i < sizeof key_names / sizeof key_names[0] && !found; i++)
            if (strcmp(key_names[i].name, name) == 0)
                enqueue(t, key_names[i].key), found = 1;
        if (!found)
            return script_error(t, "unknown key name", s);
    }
    return 0;
}

static int dequeue(tui *t)
{
    int k = t->queue[t->q_head];
    t->q_head = (t->q_head + 1) % t->q_cap;
    t->q_len--;
    return k;
}

/* Arrows with Ctrl or Alt have no fixed key codes: ncurses makes them up from terminfo (kLFT5, kRIT3, …).
 * They pan like the shift-arrows of the key table, so they are translated to those. */
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

static int next_key(tui *t)
{
    if (t->script) {
        if (t->q_len == 0) {
            int r = fill_from_script(t);
            if (r < 0)
                return r;
        }
        int k = dequeue(t);
        if (k == KEY_SCRIPT_RESIZE) {
            int cols = dequeue(t), rows = dequeue(t);
            resize_term(rows, cols);
            return KEY_RESIZE;
        }
        return k;
    }
    errno = 0;
    int k = wgetch(stdscr);
    if (k == ERR)
        return resumed || errno == EINTR ? KEY_AGAIN : KEY_EOF;
    return plain_arrow(k);
}

/* ---------------------------------------------------------------- readline's hooks (prompt.h) */

static void dump_screen(void)
{
    tui_save_display(stdout);
    fflush(stdout);
}

/* Readline wants one more byte within a key: the next key from the same input path. */
static int hook_next_key(void *ctx)
{
    tui *t = ctx;
    for (;;) {
        int k = next_key(t);
        if (k == KEY_RESIZE) {
            on_resize(t);
            tui_draw(t);
        } else if (k == KEY_SCRIPT_DUMP) {
            dump_screen();
        } else if (k != KEY_AGAIN) {
            return k < 0 ? -1 : k;
        }
    }
}

static void hook_redisplay(void *ctx)
{
    const tui *t = ctx;
    if (!t->prompting || t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS)
        return;
    draw_bottom(t);
    curs_set(1);
    wnoutrefresh(stdscr);
    doupdate();
}

static void hook_complete(void *ctx, const char *line, int start, int end,
                          void (*add)(const char *candidate, void *add_ctx), void *add_ctx)
{
    tui *t = ctx;
    if (t->prompting == TUI_ASK_QUIZ && t->s) {
        /* an answer is an expression: complete it as the right-hand side of a statement would be */
        static const char lead[] = "let _ = ";
        size_t n = strlen(line);
        char *as = malloc(sizeof lead + n);
        if (!as)
            return;
        memcpy(as, lead, sizeof lead - 1);
        memcpy(as + sizeof lead - 1, line, n + 1);
        int shift = (int)sizeof lead - 1;
        session_complete(t->s, as, start + shift, end + shift, add, add_ctx);
        free(as);
        return;
    }
    if (t->prompting != TUI_ASK_COMMAND)
        return;
    if (t->message[0] && !t->err_line) { /* an earlier list of candidates goes */
        t->message[0] = '\0';
        t->dirty = 1;
    }
    if (t->s) {
        session_complete(t->s, line, start, end, add, add_ctx);
        return;
    }
    for (int c = 0; start == 0 && c < SESSION_COMMAND_COUNT; c++) {
        const char *name = session_command_name((enum session_command)c);
        if (strncmp(name, line, (size_t)end) == 0)
            add(name, add_ctx);
    }
}

static void hook_matches(void *ctx, const char *list)
{
    tui *t = ctx;
    tui_clear_error(t);
    snprintf(t->message, sizeof t->message, "%s", list);
    t->dirty = 1;
}

/* ---------------------------------------------------------------- the loop */

static void print_score(const tui *t)
{
    if (!t->s || !t->quizzes)
        return;
    const quiz *q = session_quiz(t->s);
    int right, total, settled = 0;
    quiz_score(q, &right, &total);
    for (int k = 0; k < t->l->n_quiz; k++)
        settled += quiz_settled(q, k);
    if (total > 0 && settled > 0)
        printf("%s: quiz score %d of %d\n", t->l->title ? t->l->title : t->name, right, total);
}

int tui_run(const tui_options *opt, const char *path, const char *name, const tui_choice *choices, int n)
{
    tui t;
    memset(&t, 0, sizeof t);
    t.opt = opt;
    t.choices = choices;
    t.n_choices = n;
    t.follow = 1;
    t.quizzes = !opt->no_quiz;
    t.classroom = opt->classroom;
    t.view = path ? TUI_VIEW_GRAPH : TUI_VIEW_PICKER;
    if (opt->script) {
        t.script = fopen(opt->script, "r");
        if (!t.script) {
            fprintf(stderr, "bptutor: cannot open the script %s: %s\n", opt->script, strerror(errno));
            return 2;
        }
        /* the same screen whatever the environment: UTF-8 and widths from C.UTF-8 */
        if (!setlocale(LC_ALL, "C.UTF-8"))
            setlocale(LC_ALL, "");
    } else {
        setlocale(LC_ALL, "");
        if (!utf8_locale())
            setlocale(LC_ALL, "C.UTF-8");
    }
    setlocale(LC_NUMERIC, "C"); /* lessons write 0.01 in every locale */
    if (path) {
        lesson_error err;
        t.s = session_open(path, &opt->langs, &err);
        if (!t.s) {
            char buf[2048];
            lesson_error_format(&err, path, buf, sizeof buf);
            fputs(buf, stderr);
            if (t.script)
                fclose(t.script);
            return 2; /* a bad lesson, as everywhere else */
        }
        t.l = session_lesson(t.s);
        t.w = session_walk(t.s);
        snprintf(t.name, sizeof t.name, "%s", name ? name : path);
    }
    install_signals();
    atexit(restore_terminal);
    if (start_screen(&t) < 0) {
        stop_screen();
        fprintf(stderr, "bptutor: cannot start the screen\n");
        session_free(t.s);
        if (t.script)
            fclose(t.script);
        return 1;
    }
    if (!opt->script)
        meta(stdscr, TRUE);
    find_modified_arrows();
    char history[4096];
    prompt_hooks hooks = { hook_next_key, hook_redisplay, hook_complete, hook_matches, &t };
    prompt_init(&hooks, prompt_history_path(opt->script != NULL, history, sizeof history) == 0 ? history : NULL);
    int todo = arrive(&t);
    (void)todo;
    refresh_canvas(&t);
    tui_draw(&t);
    for (;;) {
        int key = next_key(&t);
        if (key == KEY_BAD)
            break;
        if (key == KEY_EOF) {
            if (t.prompting) { /* an unfinished ':' line is dropped, as Esc would */
                prompt_cancel();
                t.prompting = TUI_ASK_NONE;
            }
            break;
        }
        const walk *w0 = t.w;
        int e0 = t.w ? walk_epoch(t.w) : 0, i0 = t.w ? walk_index(t.w) : 0;
        todo = TUI_NOTHING;
        if (key == KEY_AGAIN) {
            if (!resumed)
                continue;
            resumed = 0;
            clearok(curscr, TRUE);
            todo = TUI_REDRAW;
        } else if (key == KEY_SCRIPT_DUMP) {
            dump_screen();
        } else if (key == KEY_RESIZE) {
            on_resize(&t);
            todo = TUI_REDRAW;
        } else if (t.prompting) {
            todo = prompt_key(&t, key);
        } else {
            t.message[0] = '\0';
            tui_clear_error(&t);
            todo = dispatch(&t, key) | TUI_REDRAW;
        }
        if (todo & TUI_EXIT)
            break;
        if (t.w && (t.w != w0 || walk_epoch(t.w) != e0 || walk_index(t.w) != i0))
            todo |= arrive(&t) | TUI_CHANGED;
        if (todo & TUI_CHANGED)
            refresh_canvas(&t);
        if (todo & (TUI_REDRAW | TUI_CHANGED))
            tui_draw(&t);
        if (t.status)
            break;
    }
    prompt_done();
    stop_screen();
    if (!opt->script && t.status == 0)
        print_score(&t);
    layout_canvas_free(t.canvas);
    layout_view_free(t.diagram);
    session_free(t.s);
    tui_clear_error(&t);
    free(t.text);
    free(t.queue);
    if (t.script)
        fclose(t.script);
    return t.status;
}
