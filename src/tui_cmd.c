/*
 * tui_cmd.c — the commands typed at the ':' prompt (and given on a script's ':' lines), declared once in
 * TUI_COMMANDS (tui_int.h). The screen dump lives here too, because :save-display is what needs it.
 */
#include "tui_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static const struct {
    const char *name, *args, *help;
} commands[] = {
#define X(e, name, args, help) { name, args, help },
    TUI_COMMANDS(X)
#undef X
};
_Static_assert(sizeof commands / sizeof commands[0] == TUI_COMMAND_COUNT, "one row per command");

const char *tui_command_name(enum tui_command c) { return commands[c].name; }
const char *tui_command_args(enum tui_command c) { return commands[c].args; }
const char *tui_command_help(enum tui_command c) { return commands[c].help; }

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

static int save_display(tui *t, char *arg)
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

/* set lr 0.1 · set w 0.5 · set x[2] 3 (1-based element, as a teacher counts) */
static int set(tui *t, char *arg)
{
    char name[128], *value = arg;
    while (*value && *value != ' ')
        value++;
    if (!*value || (size_t)(value - arg) >= sizeof name)
        return say(t, "%s", "usage: set NAME VALUE");
    memcpy(name, arg, (size_t)(value - arg));
    name[value - arg] = '\0';
    while (*value == ' ')
        value++;
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end || errno)
        return say(t, "not a number: %.64s", value);
    if (!t->w)
        return say(t, "%s", "open a lesson first");
    if (strcmp(name, "lr") == 0) {
        if (!(v > 0))
            return say(t, "%s", "lr must be a positive number");
        walk_set_lr(t->w, v);
        return TUI_CHANGED;
    }
    int index = 0;
    char *br = strchr(name, '[');
    if (br) {
        index = atoi(br + 1) - 1;
        *br = '\0';
    }
    int i = lesson_find(t->l, name);
    if (i < 0)
        return say(t, "no such name: %.64s", name);
    const graph_node *gn = graph_node_at(t->l->g, t->l->names[i].id);
    if (index < 0 || index >= gn->len)
        return say(t, "%.64s has no such element", name);
    if (walk_set_data(t->w, t->l->names[i].id, index, v) < 0)
        return say(t, "%.64s is computed, not set: set a parameter or an input", name);
    return TUI_CHANGED;
}

int tui_command(tui *t, const char *line)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", line);
    char *s = buf;
    while (*s == ' ')
        s++;
    char *arg = s;
    while (*arg && *arg != ' ')
        arg++;
    if (*arg)
        *arg++ = '\0';
    while (*arg == ' ')
        arg++;
    size_t n = strlen(arg);
    while (n > 0 && arg[n - 1] == ' ')
        arg[--n] = '\0';
    if (!*s)
        return TUI_REDRAW;
    for (int c = 0; c < TUI_COMMAND_COUNT; c++) {
        if (strcmp(s, commands[c].name) != 0)
            continue;
        switch ((enum tui_command)c) {
        case TUI_CMD_SAVE_DISPLAY: return save_display(t, arg);
        case TUI_CMD_SET: return set(t, arg);
        case TUI_CMD_QUIT: return TUI_EXIT;
        case TUI_COMMAND_COUNT: break;
        }
    }
    return say(t, "unknown command: %.64s (press ? for the list)", s);
}
