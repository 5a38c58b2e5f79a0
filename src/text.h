/*
 * text.h — UTF-8 text as the terminal shows it: one character at a time, and how many cells it takes.
 * A byte that is not valid UTF-8 (in the locale's terms) reads as one '?' of one cell, so broken input never
 * stops a loop or shifts the columns after it. No curses here; the screen, the prompt, the layout and the
 * ':' commands all measure text with these.
 */
#ifndef BPTUTOR_TEXT_H
#define BPTUTOR_TEXT_H

#include <stddef.h>
#include <wchar.h>

/* Decode the character at s (len bytes left) into *ch; returns the bytes it used, 0 at a NUL or the end. */
size_t text_next(const char *s, size_t len, mbstate_t *st, wchar_t *ch);
/* Cells a character takes: 2 for 中, 1 for η, ŷ or ─, 0 for a combining mark; 1 for what has no width. */
int text_cells(wchar_t ch);
/* Cells a whole string takes. */
int text_width(const char *utf8);

#endif
