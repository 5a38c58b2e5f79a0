/*
 * tui_action.c — the action table's columns as arrays, and lookups by name (see tui_action.h).
 */
#include "tui_action.h"

#include "tui_crt.h"

#include <stdio.h>
#include <string.h>

static const char *const names[] = {
#define X(a, name, group, hint, help) name,
    TUI_ACTIONS(X)
#undef X
};
static const enum tui_group groups[] = {
#define X(a, name, group, hint, help) TUI_GROUP_##group,
    TUI_ACTIONS(X)
#undef X
};
static const char *const hints[] = {
#define X(a, name, group, hint, help) hint,
    TUI_ACTIONS(X)
#undef X
};
static const char *const helps[] = {
#define X(a, name, group, hint, help) help,
    TUI_ACTIONS(X)
#undef X
};
static const char *const group_titles[] = {
#define X(g, title) title,
    TUI_GROUPS(X)
#undef X
};
static const char *const command_names[] = {
#define X(e, name, args, help) name,
    TUI_COMMANDS(X)
#undef X
};
static const char *const command_args[] = {
#define X(e, name, args, help) args,
    TUI_COMMANDS(X)
#undef X
};
static const char *const command_helps[] = {
#define X(e, name, args, help) help,
    TUI_COMMANDS(X)
#undef X
};

static const int answer_keys[] = {
#define X(e, key, bar, help) key,
    TUI_ANSWER_KEYS(X)
#undef X
};
static const char *const answer_bars[] = {
#define X(e, key, bar, help) bar,
    TUI_ANSWER_KEYS(X)
#undef X
};
static const char *const answer_helps[] = {
#define X(e, key, bar, help) help,
    TUI_ANSWER_KEYS(X)
#undef X
};
static const char *const setting_names[] = {
#define X(e, name, help) name,
    TUI_SETTINGS(X)
#undef X
};
static const char *const setting_helps[] = {
#define X(e, name, help) help,
    TUI_SETTINGS(X)
#undef X
};


const char *tui_setting_args(enum tui_setting c)
{
    static char args[TUI_SETTING_COUNT][128];
    char *buf = args[c];
    if (buf[0])
        return buf;
    switch (c) {
    case TUI_SET_THEME:
        for (int i = 0; i < TUI_THEME_COUNT; i++)
            snprintf(buf + strlen(buf), sizeof args[c] - strlen(buf), "%s%s", i ? "|" : "",
                     tui_theme_name((enum tui_theme)i));
        break;
    case TUI_SETTING_COUNT: break;
    }
    return buf;
}

int tui_answer_key(enum tui_answer_key k) { return answer_keys[k]; }
const char *tui_answer_bar(enum tui_answer_key k) { return _(answer_bars[k]); }
const char *tui_answer_help(enum tui_answer_key k) { return _(answer_helps[k]); }
const char *tui_setting_name(enum tui_setting c) { return setting_names[c]; }
const char *tui_setting_help(enum tui_setting c) { return _(setting_helps[c]); }

int tui_answer_lookup(int key)
{
    for (int k = 0; k < TUI_ANSWER_KEY_COUNT; k++)
        if (answer_keys[k] == key)
            return k;
    return -1;
}

const char *tui_action_name(enum tui_action a) { return names[a]; }
enum tui_group tui_action_group(enum tui_action a) { return groups[a]; }
const char *tui_action_hint(enum tui_action a) { return hints[a] ? C_("key bar", hints[a]) : NULL; }
const char *tui_action_help(enum tui_action a) { return _(helps[a]); }
const char *tui_group_title(enum tui_group g) { return _(group_titles[g]); }
const char *tui_command_name(enum tui_command_id c) { return command_names[c]; }
const char *tui_command_args(enum tui_command_id c) { return command_args[c]; }
const char *tui_command_help(enum tui_command_id c) { return _(command_helps[c]); }

static int lookup(const char *const *table, int n, const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(table[i]) == len && memcmp(table[i], name, len) == 0)
            return i;
    return -1;
}

int tui_action_lookup(const char *name, size_t len)
{
    return lookup(names, TUI_ACTION_COUNT, name, len);
}

int tui_setting_lookup(const char *name, size_t len)
{
    return lookup(setting_names, TUI_SETTING_COUNT, name, len);
}

int tui_command_lookup(const char *name, size_t len)
{
    return lookup(command_names, TUI_COMMAND_COUNT, name, len);
}
