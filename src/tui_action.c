/*
 * tui_action.c — the action table's columns as arrays, and lookups by name (see tui_action.h).
 */
#include "tui_action.h"

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

const char *tui_action_name(enum tui_action a) { return names[a]; }
enum tui_group tui_action_group(enum tui_action a) { return groups[a]; }
const char *tui_action_hint(enum tui_action a) { return hints[a]; }
const char *tui_action_help(enum tui_action a) { return helps[a]; }
const char *tui_group_title(enum tui_group g) { return group_titles[g]; }
const char *tui_command_name(enum tui_command_id c) { return command_names[c]; }
const char *tui_command_args(enum tui_command_id c) { return command_args[c]; }
const char *tui_command_help(enum tui_command_id c) { return command_helps[c]; }

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

int tui_command_lookup(const char *name, size_t len)
{
    return lookup(command_names, TUI_COMMAND_COUNT, name, len);
}
