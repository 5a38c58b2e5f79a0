/*
 * tui_keymap.c — the default bindings, the live keymap, and the names and labels of keys (see
 * tui_keymap.h). A binding is a row {key, action}; a key has at most one row, and the rows are kept with
 * the newest first, so that a key just bound is the one the bottom line and the help screen show.
 */
#include "tui_keymap.h"

#include "tui_crt.h"

#include <stdio.h>
#include <string.h>

/* The default bindings: each action's keys in the order the help screen lists them. Ctrl- and Alt-arrows
 * arrive as the shift-arrows (tui_crt_key). */
static const struct binding {
    int key;
    enum tui_action action;
} defaults[] = {
    { KEY_RIGHT, TUI_ACT_NEXT },          { 'l', TUI_ACT_NEXT },
    { ' ', TUI_ACT_NEXT },                { 'n', TUI_ACT_NEXT },
    { KEY_LEFT, TUI_ACT_PREVIOUS },       { 'h', TUI_ACT_PREVIOUS },
    { 'b', TUI_ACT_PREVIOUS },            { 'p', TUI_ACT_PREVIOUS },
    { ']', TUI_ACT_NEXT_PHASE },          { '[', TUI_ACT_PREVIOUS_PHASE },
    { 'g', TUI_ACT_FIRST_STEP },          { KEY_HOME, TUI_ACT_FIRST_STEP },
    { 'G', TUI_ACT_LAST_STEP },           { KEY_END, TUI_ACT_LAST_STEP },
    { 'e', TUI_ACT_FINISH_EPOCH },        { 't', TUI_ACT_TRAIN_ALL },
    { 'r', TUI_ACT_START_OVER },
    { '\t', TUI_ACT_NEXT_VIEW },          { '1', TUI_ACT_VIEW_GRAPH },
    { '2', TUI_ACT_VIEW_HISTORY },        { '3', TUI_ACT_VIEW_PLOT },
    { '4', TUI_ACT_VIEW_HELP },           { 'y', TUI_ACT_LOG_SCALE },
    { '?', TUI_ACT_TOGGLE_HELP },
    { 27, TUI_ACT_CLOSE_VIEW },
    { 'z', TUI_ACT_ZOOM },                { 's', TUI_ACT_NEXT_SAMPLE },
    { 'S', TUI_ACT_PREVIOUS_SAMPLE },
    { 'H', TUI_ACT_PAN_LEFT },            { KEY_SLEFT, TUI_ACT_PAN_LEFT },
    { 'J', TUI_ACT_PAN_DOWN },            { KEY_SF, TUI_ACT_PAN_DOWN },
    { 'K', TUI_ACT_PAN_UP },              { KEY_SR, TUI_ACT_PAN_UP },
    { 'L', TUI_ACT_PAN_RIGHT },           { KEY_SRIGHT, TUI_ACT_PAN_RIGHT },
    { KEY_UP, TUI_ACT_SCROLL_UP },        { 'k', TUI_ACT_SCROLL_UP },
    { KEY_DOWN, TUI_ACT_SCROLL_DOWN },    { 'j', TUI_ACT_SCROLL_DOWN },
    { KEY_PPAGE, TUI_ACT_PAGE_UP },       { KEY_NPAGE, TUI_ACT_PAGE_DOWN },
    { 'a', TUI_ACT_ANSWER_QUIZ },         { 'c', TUI_ACT_TOGGLE_CLASSROOM },
    { 'T', TUI_ACT_TOGGLE_NOTES },
    { '\r', TUI_ACT_OPEN_LESSON },        { '\n', TUI_ACT_OPEN_LESSON },
    { KEY_ENTER, TUI_ACT_OPEN_LESSON },
    { ':', TUI_ACT_PROMPT },              { TUI_KEY_CTRL('l'), TUI_ACT_REDRAW },
    { TUI_KEY_CTRL('z'), TUI_ACT_SUSPEND },
    { 'q', TUI_ACT_QUIT },                { TUI_KEY_CTRL('c'), TUI_ACT_QUIT },
};

enum { KEYMAP_MAX = 256 };
static struct binding keymap[KEYMAP_MAX];
static int n_keymap = -1; /* −1: not yet set up */
static unsigned generation;  /* bumped by every change of the keymap */

void tui_keymap_reset(void)
{
    n_keymap = (int)(sizeof defaults / sizeof defaults[0]);
    memcpy(keymap, defaults, sizeof defaults);
    generation++;
}

unsigned tui_keymap_generation(void)
{
    return generation;
}

static void ready(void)
{
    if (n_keymap < 0)
        tui_keymap_reset();
}

int tui_keymap_action(int key)
{
    ready();
    for (int i = 0; i < n_keymap; i++)
        if (keymap[i].key == key)
            return (int)keymap[i].action;
    return -1;
}

int tui_keymap_keys(enum tui_action a, int *keys, int max)
{
    ready();
    int n = 0;
    for (int i = 0; i < n_keymap; i++)
        if (keymap[i].action == a) {
            if (n < max)
                keys[n] = keymap[i].key;
            n++;
        }
    return n;
}

const char *tui_keymap_first_label(enum tui_action a, char *buf, size_t n)
{
    ready();
    for (int i = 0; i < n_keymap; i++) {
        const char *label = keymap[i].action == a ? tui_key_label(keymap[i].key, buf, n) : NULL;
        if (label)
            return label;
    }
    return NULL;
}

const char *tui_keymap_how(enum tui_action a, char *buf, size_t n)
{
    const char *label = tui_keymap_first_label(a, buf, n);
    if (label)
        return label;
    snprintf(buf, n, ":%s", tui_action_name(a));
    return buf;
}

void tui_keymap_labels(enum tui_action a, char *buf, size_t n)
{
    ready();
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n_keymap && used < n; i++) {
        char one[16];
        const char *label = keymap[i].action == a ? tui_key_label(keymap[i].key, one, sizeof one) : NULL;
        if (label)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? " " : "", label);
    }
}

int tui_keymap_bind(int key, enum tui_action a)
{
    ready();
    int at = 0;
    while (at < n_keymap && keymap[at].key != key)
        at++;
    if (at == n_keymap) {
        if (n_keymap == KEYMAP_MAX)
            return -1;
        n_keymap++;
    }
    memmove(keymap + 1, keymap, (size_t)at * sizeof keymap[0]); /* the row goes first */
    keymap[0] = (struct binding){ key, a };
    generation++;
    return 0;
}

/* ---------------------------------------------------------------- names and labels */

/* Several names may give one code (a terminal sends the same shift-arrow for Ctrl and Alt, once ncurses and
 * tui_crt_key are done with it). */
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

int tui_key_parse(const char *name, size_t len)
{
    if (len == 1)
        return name[0] > ' ' && name[0] < 0x7f ? (unsigned char)name[0] : -1;
    if (len < 3 || name[0] != '<' || name[len - 1] != '>')
        return -1;
    name++;
    len -= 2;
    if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && len == 3)
        return TUI_KEY_CTRL(name[2]);
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (strlen(key_names[i].name) == len && memcmp(key_names[i].name, name, len) == 0)
            return key_names[i].key;
    return -1;
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
    case KEY_BACKSPACE: return "Backspace";
    case KEY_DC: return "Del";
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
