/*
 * tui_cmd.c — what a line typed at the ':' prompt does: a command or a lesson statement, run by the session
 * (its table, SESSION_COMMANDS, is the only list of commands), or the answer to a quiz. The screen shows
 * what came back: a message, an error with its column, a longer text, a new graph. The screen dump lives
 * here too, because :save-display is what needs it.
 */
#include "tui_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

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

int tui_save_display(FILE *out)
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

static int say(tui *t, const char *fmt, const char *arg)
{
    snprintf(t->message, sizeof t->message, fmt, arg);
    return TUI_REDRAW;
}

static int save_display(tui *t, const char *arg)
{
    if (!*arg) {
        if (!t->opt->script)
            return say(t, "%s", "save-display needs a FILE here (stdout is the screen)");
        tui_save_display(stdout);
        fflush(stdout);
        return TUI_NOTHING;
    }
    FILE *f = fopen(arg, "w");
    if (!f)
        return say(t, "cannot write %.200s", arg);
    int bad = tui_save_display(f) < 0;
    bad |= fclose(f) != 0;
    if (bad)
        return say(t, "cannot write %.200s", arg);
    if (!t->opt->script)
        return say(t, "screen saved to %.200s", arg);
    return TUI_NOTHING;
}

void tui_clear_error(tui *t)
{
    free(t->err_line);
    t->err_line = NULL;
    t->err_col = 0;
}

void tui_set_error(tui *t, const char *line, int col, const char *message)
{
    tui_clear_error(t);
    t->err_line = strdup(line);
    t->err_col = t->err_line ? col : 0;
    snprintf(t->message, sizeof t->message, "%s", message);
}

/* The picker has no lesson yet: only the commands that need none. */
static int picker_command(tui *t, const char *line)
{
    char word[32] = "";
    const char *p = line;
    while (*p == ' ' || *p == ':')
        p++;
    size_t n = strcspn(p, " ");
    snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
    const char *arg = p + n;
    while (*arg == ' ')
        arg++;
    if (!*word)
        return TUI_REDRAW;
    if (strcmp(word, session_command_name(SESSION_CMD_QUIT)) == 0)
        return TUI_EXIT;
    if (strcmp(word, session_command_name(SESSION_CMD_SAVE_DISPLAY)) == 0)
        return save_display(t, arg);
    return say(t, "%s", "choose a lesson first: \u2191 \u2193 and Enter");
}

int tui_command(tui *t, const char *line)
{
    if (!t->s)
        return picker_command(t, line);
    session_result r;
    session_exec(t->s, line, &r);
    if (r.error) {
        /* shown as typed, after the ':' */
        char *shown = malloc(strlen(line) + 2);
        if (shown) {
            shown[0] = ':';
            strcpy(shown + 1, line);
            tui_set_error(t, shown, r.col > 0 ? r.col + 1 : 0, r.message);
            free(shown);
        }
        return TUI_REDRAW;
    }
    int todo = TUI_REDRAW;
    snprintf(t->message, sizeof t->message, "%s", r.message);
    if (r.flags & SESSION_REBUILT) {
        t->l = session_lesson(t->s);
        t->w = session_walk(t->s);
        const char *path = session_path(t->s), *slash = strrchr(path, '/');
        snprintf(t->name, sizeof t->name, "%s", slash ? slash + 1 : path);
        t->pan_x = t->pan_y = 0;
        t->follow = 1;
        todo |= TUI_CHANGED;
    }
    if (r.flags & SESSION_MOVED)
        todo |= TUI_CHANGED;
    if ((r.flags & SESSION_TEXT) && r.text) {
        free(t->text);
        t->text = strdup(r.text);
        size_t n = strcspn(line + strspn(line, " :"), " ");
        snprintf(t->text_title, sizeof t->text_title, ":%.*s", (int)(n < 32 ? n : 32), line + strspn(line, " :"));
        if (t->view != TUI_VIEW_TEXT)
            t->before_help = t->view;
        t->view = TUI_VIEW_TEXT;
        t->scroll = 0;
    }
    if (r.flags & SESSION_SAVE)
        todo |= save_display(t, r.arg);
    if (r.flags & SESSION_QUIT)
        todo |= TUI_EXIT;
    return todo;
}

int tui_answer(tui *t, const char *line)
{
    if (!t->s)
        return TUI_REDRAW;
    session_result r;
    enum quiz_verdict v = session_answer(t->s, line, &r);
    if (v == QUIZ_MALFORMED) {
        tui_set_error(t, line, r.col, r.message);
        return TUI_REDRAW;
    }
    snprintf(t->message, sizeof t->message, "%s", r.message);
    return TUI_CHANGED;
}
