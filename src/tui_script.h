/*
 * tui_script.h — the key-script reader: a script's lines (tui.h describes them) turned into the key codes
 * the terminal would have sent, so that a headless replay runs the very code a learner's keys run.
 */
#ifndef BPTUTOR_TUI_SCRIPT_H
#define BPTUTOR_TUI_SCRIPT_H

#include <curses.h>

typedef struct tui_script tui_script;

/* <Dump>: write the screen as it is at that moment (the prompt open, say); <DumpAttr>: the same with how each
 * cell is drawn (tui_crt_dump_attrs). */
enum { TUI_KEY_DUMP = KEY_MAX + 1, TUI_KEY_DUMP_ATTRS = KEY_MAX + 2 };

/* A script's line holds at most this many bytes: a longer one (or `--script /dev/zero`, which has no end of
 * line) is a bad line, not a reason to take all memory. */
enum { TUI_SCRIPT_LINE_MAX = 1 << 20 };

/* NULL, with errno, when the file cannot be read (a directory: EISDIR). */
tui_script *tui_script_open(const char *path);
void tui_script_close(tui_script *s);
/* The next key. After <Resize WxH> the terminal has the new size and the key is KEY_RESIZE; TUI_KEY_DUMP
 * for <Dump>, TUI_KEY_DUMP_ATTRS for <DumpAttr>; TUI_KEY_EOF at the end; TUI_KEY_BAD for a line that is not a key (tui_script_error says
 * which). */
int tui_script_key(tui_script *s);
/* What was wrong, in the form FILE:LINE: error: WHAT: LINE. */
const char *tui_script_error(const tui_script *s);
/* Are keys of the current line still queued? */
int tui_script_waiting(const tui_script *s);
/* Is the script's next item an ordinary key (not a <Dump>, <DumpAttr>, <Resize>, <Frame>, the end or a bad line)? Reads
 * the next line when none is queued; the end or the error met so is what tui_script_key returns next. */
int tui_script_key_next(tui_script *s);

#endif
