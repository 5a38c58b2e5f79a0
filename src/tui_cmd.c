/*
 * tui_cmd.c — what a line typed at the ':' prompt does (see tui_cmd.h): a command or a lesson statement,
 * run by the session (its table, SESSION_COMMANDS, is the only list of those), the screen's own `bind`,
 * or the answer to a quiz. The screen shows what came back: a message, an error with its column, a longer
 * text, a new graph.
 */
#include "tui_cmd.h"

#include "file.h"
#include "text.h"
#include "tui_action.h"
#include "tui_crt.h"
#include "tui_diagram.h"
#include "tui_keymap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tui_say(tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_cut(t->message, sizeof t->message, vsnprintf(t->message, sizeof t->message, fmt, ap));
    va_end(ap);
    return TUI_REDRAW;
}

static int write_screen(FILE *f, void *ctx)
{
    (void)ctx;
    return tui_crt_dump(f);
}

/* :save-display FILE writes a new file (file.h: never half-written, and an existing one only with `!`). */
static int save_display(tui *t, const char *arg, int replace)
{
    if (!*arg) {
        if (!t->script)
            return tui_say(t, "%s", _("save-display needs a FILE here (stdout is the screen)"));
        tui_crt_dump(stdout);
        fflush(stdout);
        return TUI_NOTHING;
    }
    if (file_write(arg, replace, write_screen, NULL) != 0)
        return errno == EEXIST ? tui_say(t, _("%.200s is already there: :save-display! %.200s replaces it"), arg, arg)
                               : tui_say(t, _("cannot write %.200s: %s"), arg, strerror(errno));
    if (!t->script)
        return tui_say(t, _("screen saved to %.200s"), arg);
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

/* A failed command, shown as typed after the ':' with col (1-based in line, 0 for none) marked. */
static int failed(tui *t, const char *line, int col, const char *message)
{
    char *shown = malloc(strlen(line) + 2);
    if (shown) {
        shown[0] = ':';
        strcpy(shown + 1, line);
        tui_set_error(t, shown, col > 0 ? col + 1 : 0, message);
        free(shown);
    }
    return TUI_REDRAW;
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
    size_t wn = strlen(word);
    int replace = wn > 1 && word[wn - 1] == '!';
    if (replace)
        word[wn - 1] = '\0';
    if (strcmp(word, session_command_name(SESSION_CMD_SAVE_DISPLAY)) == 0)
        return save_display(t, arg, replace);
    return tui_say(t, "%s", _("choose a lesson first: \u2191 \u2193 and Enter"));
}

/* Grow *buf (of *size, *used taken) by printf's output. */
static void append(char **buf, size_t *size, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char **buf, size_t *size, size_t *used, const char *fmt, ...)
{
    va_list ap;
    for (int tries = 0; *buf && tries < 2; tries++) {
        va_start(ap, fmt);
        int k = vsnprintf(*buf + *used, *size - *used, fmt, ap);
        va_end(ap);
        if (k < 0)
            return;
        if ((size_t)k < *size - *used) {
            *used += (size_t)k;
            return;
        }
        char *more = realloc(*buf, *size + (size_t)k + 4096);
        if (!more) {
            free(*buf);
            *buf = NULL;
            return;
        }
        *buf = more;
        *size += (size_t)k + 4096;
    }
}

/* ":name" padded to width cells. */
static void append_padded(char **buf, size_t *size, size_t *used, const char *text, int width)
{
    append(buf, size, used, "%s%*s", text, width - text_width(text), "");
}

/* :help lists the session's commands; the actions follow, grouped as on the help screen, with the keys
 * they have now. */
static char *help_with_actions(const char *session_text)
{
    size_t size = strlen(session_text) + 8192, used = 0;
    char *text = malloc(size);
    if (!text)
        return NULL;
    text[0] = '\0';
    int namew = 0, keysw = 0;
    char keys[TUI_ACTION_COUNT][128], name[64];
    for (int a = 0; a < TUI_ACTION_COUNT; a++) {
        tui_keymap_labels((enum tui_action)a, keys[a], sizeof keys[a]);
        int w = text_width(tui_action_name((enum tui_action)a)) + 1;
        namew = w > namew ? w : namew;
        keysw = text_width(keys[a]) > keysw ? text_width(keys[a]) : keysw;
    }
    append(&text, &size, &used, _("%s\nActions: type :NAME to run one; :%s %s gives it a key\n"), session_text,
           tui_command_name(TUI_CMD_BIND), tui_command_args(TUI_CMD_BIND));
    for (int g = 0; g < TUI_GROUP_COUNT; g++) {
        append(&text, &size, &used, "  %s\n", tui_group_title((enum tui_group)g));
        for (int a = 0; a < TUI_ACTION_COUNT; a++) {
            if (tui_action_group((enum tui_action)a) != (enum tui_group)g)
                continue;
            snprintf(name, sizeof name, ":%s", tui_action_name((enum tui_action)a));
            append(&text, &size, &used, "    ");
            append_padded(&text, &size, &used, name, namew + 2);
            append_padded(&text, &size, &used, keys[a], keysw + 2);
            append(&text, &size, &used, "%s\n", tui_action_help((enum tui_action)a));
        }
        if (g != TUI_GROUP_QUIZ)
            continue;
        for (int k = 0; k < TUI_ANSWER_KEY_COUNT; k++) {
            char label[16];
            const char *key = tui_key_label(tui_answer_key((enum tui_answer_key)k), label, sizeof label);
            append(&text, &size, &used, "    %*s", namew + 2, "");
            append_padded(&text, &size, &used, key ? key : "", keysw + 2);
            append(&text, &size, &used, "%s\n", tui_answer_help((enum tui_answer_key)k));
        }
    }
    append(&text, &size, &used, _("\nThe screen's settings: :%s NAME VALUE\n"), session_command_name(SESSION_CMD_SET));
    for (int c = 0; c < TUI_SETTING_COUNT; c++) {
        append(&text, &size, &used, "    ");
        append_padded(&text, &size, &used, tui_setting_name((enum tui_setting)c), namew + 2);
        /* TRANSLATORS: a setting's help and its choices in the :help page: "the screen's colours: dark, light" */
        append(&text, &size, &used, _("%s: %s\n"), tui_setting_help((enum tui_setting)c),
               tui_setting_args((enum tui_setting)c));
    }
    return text;
}

int tui_command(tui *t, const char *line)
{
    if (!t->s)
        return picker_command(t, line);
    session_result r;
    int layers = t->l->n_layers;
    session_exec(t->s, line, &r);
    if (r.error)
        return failed(t, line, r.col, r.message);
    int todo = TUI_REDRAW;
    int dropped = walk_take_dropped(session_walk(t->s));
    if (dropped)
        snprintf(t->message, sizeof t->message, _("%s; epoch %d's change is gone"), r.message, dropped);
    else
        snprintf(t->message, sizeof t->message, "%s", r.message);
    if (r.flags & SESSION_REBUILT) {
        t->l = session_lesson(t->s);
        t->w = session_walk(t->s);
        const char *path = session_path(t->s), *slash = strrchr(path, '/');
        snprintf(t->name, sizeof t->name, "%s", slash ? slash + 1 : path);
        t->pan_x = t->pan_y = 0;
        t->follow = 1;
        /* a lesson loaded starts as one opened does; an edited one keeps its picture, and is fitted again */
        const char *word = line + strspn(line, " :");
        const char *load = session_command_name(SESSION_CMD_LOAD);
        if (strncmp(word, load, strlen(load)) == 0 && strchr(" \t", word[strlen(load)]))
            tui_diagram_start(t);
        else
            tui_diagram_fit(t);
        todo |= TUI_CHANGED;
    } else if (t->l->n_layers > layers) {
        tui_diagram_picture(t, LAYOUT_NETWORK); /* a layer typed at the prompt: show the network it makes */
        char key[32];
        snprintf(t->message, sizeof t->message, _("layer %d of the network view (%s on the graph: the computation graph)"),
                 t->l->n_layers, tui_keymap_how(TUI_ACT_VIEW_GRAPH, key, sizeof key));
        todo |= TUI_CHANGED;
    }
    if (r.flags & SESSION_MOVED)
        todo |= TUI_CHANGED;
    if ((r.flags & SESSION_TEXT) && r.text) {
        const char *word = line + strspn(line, " :");
        size_t n = strcspn(word, " ");
        const char *help = session_command_name(SESSION_CMD_HELP);
        free(t->text);
        t->text = n == strlen(help) && strncmp(word, help, n) == 0 ? help_with_actions(r.text) : strdup(r.text);
        snprintf(t->text_title, sizeof t->text_title, ":%.*s", (int)(n < 32 ? n : 32), word);
        if (t->view != TUI_VIEW_TEXT)
            t->before_help = t->view;
        t->view = TUI_VIEW_TEXT;
        t->scroll = 0;
    }
    if (r.flags & SESSION_SAVE)
        todo |= save_display(t, r.arg, (r.flags & SESSION_REPLACE) != 0);
    if (r.flags & SESSION_QUIT)
        todo |= TUI_EXIT;
    return todo;
}

/* The next word of a line, from p: its start and length, past blanks. */
static const char *next_word(const char *p, size_t *len)
{
    p += strspn(p, " \t");
    *len = strcspn(p, " \t");
    return p;
}

int tui_bind(tui *t, const char *line)
{
    size_t n;
    const char *word = next_word(line + strspn(line, " :"), &n);
    size_t kn, an, extra;
    const char *key = next_word(word + n, &kn);
    const char *name = next_word(key + kn, &an);
    const char *more = next_word(name + an, &extra);
    int col_key = (int)(key - line) + 1, col_name = (int)(name - line) + 1;
    if (!kn)
        return failed(t, line, col_key, _("bind needs a key and an action, as in :bind x next-phase"));
    int k = tui_key_parse(key, kn);
    if (k < 0)
        return failed(t, line, col_key, _("not a key: write one character, or a name such as <Right> or <C-x>"));
    if (!an)
        return failed(t, line, col_name, _("bind needs an action after the key, as in :bind x next-phase"));
    int a = tui_action_lookup(name, an);
    if (a < 0) {
        char msg[160];
        snprintf(msg, sizeof msg, _("no action called '%.*s' (Tab lists them)"), (int)(an < 64 ? an : 64), name);
        return failed(t, line, col_name, msg);
    }
    if (extra)
        return failed(t, line, (int)(more - line) + 1, _("bind takes a key and an action, nothing more"));
    int was = tui_keymap_action(k), keys[2];
    if (was == TUI_ACT_PROMPT && a != TUI_ACT_PROMPT && tui_keymap_keys(TUI_ACT_PROMPT, keys, 2) == 1)
        return failed(t, line, col_key, _("the only key for prompt: bind another key to prompt first"));
    if (tui_keymap_bind(k, (enum tui_action)a) < 0)
        return tui_say(t, "%s", _("no room for more bindings"));
    char buf[16];
    const char *label = tui_key_label(k, buf, sizeof buf);
    if (was >= 0 && was != a)
        return tui_say(t, _("%s now runs %s (it ran %s)"), label ? label : _("that key"), tui_action_name((enum tui_action)a),
                       tui_action_name((enum tui_action)was));
    return tui_say(t, _("%s now runs %s"), label ? label : _("that key"), tui_action_name((enum tui_action)a));
}

/* sample N|all */
static int sample(tui *t, const char *line)
{
    size_t n, an, extra;
    const char *word = next_word(line + strspn(line, " :"), &n);
    const char *arg = next_word(word + n, &an);
    const char *more = next_word(arg + an, &extra);
    int col = (int)(arg - line) + 1, samples = t->l ? layout_samples(t->l) : 1;
    char msg[sizeof t->message];
    if (!t->s)
        return tui_say(t, "%s", _("choose a lesson first: \u2191 \u2193 and Enter"));
    if (extra)
        return failed(t, line, (int)(more - line) + 1, _("sample takes a number or all, nothing more"));
    if (an == 3 && strncmp(arg, "all", 3) == 0) {
        if (tui_diagram_sample(t, LAYOUT_ALL_SAMPLES) == 0)
            return TUI_CHANGED;
        snprintf(msg, sizeof msg, "%s", t->message);
        return failed(t, line, col, msg);
    }
    long k = 0;
    size_t i = 0;
    while (i < an && arg[i] >= '0' && arg[i] <= '9' && k <= 1000000)
        k = 10 * k + (arg[i++] - '0');
    if (an == 0 || i < an || k < 1 || k > samples) {
        if (samples == 1)
            snprintf(msg, sizeof msg, "%s", _("every node holds one number here: there are no samples to choose"));
        else
            snprintf(msg, sizeof msg, _("sample needs a number from 1 to %d, or all"), samples);
        return failed(t, line, col, msg);
    }
    tui_diagram_sample(t, (int)k - 1);
    return TUI_CHANGED;
}

int tui_setting_line(const tui *t, const char *line)
{
    size_t n, sn;
    const char *word = next_word(line + strspn(line, " :"), &n);
    const char *set = session_command_name(SESSION_CMD_SET);
    if (n != strlen(set) || strncmp(word, set, n) != 0)
        return -1;
    const char *name = next_word(word + n, &sn);
    int c = tui_setting_lookup(name, sn);
    if (c < 0 || (t->l && lesson_find(t->l, tui_setting_name((enum tui_setting)c)) >= 0))
        return -1;
    return c;
}

int tui_set(tui *t, enum tui_setting c, const char *line)
{
    size_t n, sn, vn, extra;
    const char *word = next_word(line + strspn(line, " :"), &n);
    const char *name = next_word(word + n, &sn);
    const char *value = next_word(name + sn, &vn);
    const char *more = next_word(value + vn, &extra);
    int col = (int)(value - line) + 1;
    char msg[256];
    switch (c) {
    case TUI_SET_THEME: {
        int th = tui_theme_lookup(value, vn);
        if (th < 0) {
            snprintf(msg, sizeof msg, _("theme needs %s"), tui_theme_list());
            return failed(t, line, col, msg);
        }
        if (extra)
            return failed(t, line, (int)(more - line) + 1, _("theme takes one name, nothing more"));
        tui_crt_theme((enum tui_theme)th);
        return tui_say(t, _("theme %s: %s"), tui_theme_name((enum tui_theme)th), tui_theme_help((enum tui_theme)th));
    }
    case TUI_SETTING_COUNT: break;
    }
    return TUI_NOTHING;
}

int tui_screen_command(tui *t, enum tui_command_id c, const char *line)
{
    switch (c) {
    case TUI_CMD_BIND: return tui_bind(t, line);
    case TUI_CMD_SAMPLE: return sample(t, line);
    case TUI_COMMAND_COUNT: break;
    }
    return TUI_NOTHING;
}

/* set's second word: the screen's settings beside the session's (0: the session adds its own); its third
 * after a screen setting: the setting's values (1). */
static int complete_setting(const tui *t, const char *line, int start, int end,
                            void (*add)(const char *candidate, void *add_ctx), void *add_ctx)
{
    size_t n, sn;
    const char *word = next_word(line + strspn(line, " :"), &n);
    const char *set = session_command_name(SESSION_CMD_SET);
    if (n != strlen(set) || strncmp(word, set, n) != 0 || start < (int)(word + n - line))
        return 0;
    const char *name = next_word(word + n, &sn);
    size_t len = (size_t)(end - start);
    if (start == (int)(name - line)) {
        for (int c = 0; c < TUI_SETTING_COUNT; c++)
            if (strncmp(tui_setting_name((enum tui_setting)c), line + start, len) == 0 &&
                !(t->l && lesson_find(t->l, tui_setting_name((enum tui_setting)c)) >= 0))
                add(tui_setting_name((enum tui_setting)c), add_ctx);
        return 0;
    }
    int c = tui_setting_line(t, line);
    if (c < 0)
        return 0;
    size_t vn;
    const char *value = next_word(name + sn, &vn);
    if (start != (int)(value - line))
        return 1;
    switch ((enum tui_setting)c) {
    case TUI_SET_THEME:
        for (int i = 0; i < TUI_THEME_COUNT; i++)
            if (strncmp(tui_theme_name((enum tui_theme)i), line + start, len) == 0)
                add(tui_theme_name((enum tui_theme)i), add_ctx);
        break;
    case TUI_SETTING_COUNT: break;
    }
    return 1;
}

int tui_command_complete(const tui *t, const char *line, int start, int end,
                         void (*add)(const char *candidate, void *add_ctx), void *add_ctx)
{
    if (complete_setting(t, line, start, end, add, add_ctx))
        return 1;
    size_t n, an;
    const char *word = next_word(line + strspn(line, " :"), &n);
    if (tui_command_lookup(word, n) != TUI_CMD_SAMPLE || start < (int)(word + n - line))
        return 0;
    const char *arg = next_word(word + n, &an);
    if (start != (int)(arg - line))
        return 1; /* past the argument: nothing */
    size_t len = (size_t)(end - start);
    int samples = t->l ? layout_samples(t->l) : 1;
    if (strncmp("all", line + start, len) == 0 && samples > 1)
        add("all", add_ctx);
    for (int k = 1; k <= samples && k <= 99; k++) {
        char num[16];
        snprintf(num, sizeof num, "%d", k);
        if (strncmp(num, line + start, len) == 0)
            add(num, add_ctx);
    }
    return 1;
}

int tui_help_action(tui *t, const char *name)
{
    size_t n = strcspn(name, " \t");
    int set = tui_setting_lookup(name, n);
    if (set >= 0)
        return tui_say(t, _("set %s %s \u2014 %s"), tui_setting_name((enum tui_setting)set),
                       tui_setting_args((enum tui_setting)set), tui_setting_help((enum tui_setting)set));
    int c = tui_command_lookup(name, n);
    if (c >= 0)
        return tui_say(t, "%s %s \u2014 %s", tui_command_name((enum tui_command_id)c),
                       tui_command_args((enum tui_command_id)c), tui_command_help((enum tui_command_id)c));
    int a = tui_action_lookup(name, n);
    if (a < 0)
        return TUI_NOTHING;
    char keys[128];
    tui_keymap_labels((enum tui_action)a, keys, sizeof keys);
    return tui_say(t, "%s \u2014 %s (%s%s)", tui_action_name((enum tui_action)a), tui_action_help((enum tui_action)a),
                   !*keys ? _("no key; :bind gives it one") : strchr(keys, ' ') ? _("keys: ") : _("key: "), keys);
}

int tui_answer(tui *t, const char *line)
{
    if (!t->s)
        return TUI_REDRAW;
    size_t lead = strspn(line, " \t");
    if (line[lead] == ':') { /* a command typed at the answer line: say where commands are typed */
        char leave[16], open[32], msg[256];
        const char *esc = tui_key_label(tui_answer_key(TUI_ANSWER_LEAVE), leave, sizeof leave);
        snprintf(msg, sizeof msg, _("This line takes the quiz's answer: %s leaves it, and then %s opens the command line."),
                 esc ? esc : "Esc", tui_keymap_how(TUI_ACT_PROMPT, open, sizeof open));
        tui_set_error(t, line, (int)lead + 1, msg);
        return TUI_REDRAW;
    }
    session_result r;
    enum quiz_verdict v = session_answer(t->s, line, &r);
    if (v == QUIZ_MALFORMED) {
        tui_set_error(t, line, r.col, r.message);
        return TUI_REDRAW;
    }
    snprintf(t->message, sizeof t->message, "%s", r.message);
    return TUI_CHANGED;
}
