/*
 * tui_keymap.h — which key runs which action (tig's keymap): the default bindings in one table, and the
 * keymap the tutor runs with, which `:bind` changes until the program ends. Keys are ncurses key codes and
 * bytes; they are written the way scripts write them (x, <Right>, <S-Left>, <C-l>, <Space>, <lt>) and shown
 * the way the screen labels them (→, S-←, C-l, Space).
 */
#ifndef BPTUTOR_TUI_KEYMAP_H
#define BPTUTOR_TUI_KEYMAP_H

#include <stddef.h>

#include "tui_action.h"

/* The key a script or `:bind` names: one printable ASCII character, or <Name> (<Right>, <C-x>, …). −1 for
 * none. */
int tui_key_parse(const char *name, size_t len);
/* How the screen shows a key: "→", "S-←", "C-l", "Space", "x"; NULL for a key that is another's second
 * code (the line feed and the keypad Enter are Enter). buf holds the label when it is made up. */
const char *tui_key_label(int key, char *buf, size_t n);

/* Back to the default bindings. */
void tui_keymap_reset(void);
/* A number that changes whenever the keymap does (reset, bind): what is laid out from it can be kept until then. */
unsigned tui_keymap_generation(void);
/* The action bound to key, or −1. */
int tui_keymap_action(int key);
/* The keys bound to a, the one bound last first (the default table's order otherwise); returns how many,
 * writing at most max of them. */
int tui_keymap_keys(enum tui_action a, int *keys, int max);
/* The label of the first key bound to a that has one, or NULL when a has no key. */
const char *tui_keymap_first_label(enum tui_action a, char *buf, size_t n);
/* How to run a: the label of its first key, or ":name" when it has none. */
const char *tui_keymap_how(enum tui_action a, char *buf, size_t n);
/* The labels of all a's keys, separated by spaces ("" when none). */
void tui_keymap_labels(enum tui_action a, char *buf, size_t n);
/* Bind key to a, in place of what it ran before. 0, or −1 when the keymap is full. */
int tui_keymap_bind(int key, enum tui_action a);

#endif
