/*
 * text.h — UTF-8 text as the terminal shows it: decoding, validation, columns, display width and line
 * breaking, in one place, on GNU libunistring. The parser, the layout, the screen, the prompt and the ':'
 * commands all read and measure text with these, so an error caret, a box on the diagram and the prompt's
 * cursor agree about where a character is.
 *
 * Decoding is always UTF-8, whatever the locale. A byte that does not begin a valid character (a stray
 * continuation byte, an overlong form, a surrogate, a value above U+10FFFF, a sequence cut short) is one
 * character of its own: it is one column, one cell, and reads as '?' — so broken input never stops a loop or
 * shifts the columns after it.
 *
 * Width. ncursesw places every character by the C library's wcwidth(), so that is the width that agrees with
 * the screen; text_cells() uses it wherever the locale's wcwidth knows the character. libunistring's
 * uc_width() is the Unicode width: over every code point (C.UTF-8, glibc 2.36, libunistring 1.0) the two
 * disagree on 91 that glibc calls printable — U+4DC0..U+4DFF (hexagram symbols) and U+3248..U+324F are 2 for
 * glibc and 1 for libunistring, U+00AD, U+0600..U+0605 and a dozen other format characters are 1 and 0, five
 * combining marks (U+0CBF, U+0CC6, …) 0 and 1 — and on 829,836 that glibc does not print (unassigned, private
 * use in the wide planes), where libunistring guesses 1 or 2. Taking uc_width() would let a box or a caret
 * drift one cell from what ncursesw draws after any of the 91, so uc_width() is only the fallback for a
 * single-byte locale (bptutor --check under LANG=C), whose wcwidth() knows nothing beyond ASCII. What the
 * locale cannot print counts one cell: the screen shows it as '?'.
 *
 * Line breaking follows Unicode's rules (UAX #14, libunistring's u8_possible_linebreaks): see text_wrap().
 * No curses here.
 */
#ifndef BPTUTOR_TEXT_H
#define BPTUTOR_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* What text_char() gives for a byte that does not begin a valid UTF-8 character (not a code point). */
#define TEXT_BAD ((uint32_t)0x110000)

/* Decode the character at s (len ≥ 1 bytes left) into *ch and return its length in bytes: 1 to 4, or 1 with
 * *ch = TEXT_BAD for a byte that does not begin a valid character. A NUL is a character here. */
size_t text_char(const char *s, size_t len, uint32_t *ch);
/* Decode the character at s (len bytes left) into *ch; returns the bytes it used, 0 at a NUL or the end.
 * An invalid byte reads as one '?'. st is unused (UTF-8 keeps no state); it stays for the callers' loops. */
size_t text_next(const char *s, size_t len, mbstate_t *st, wchar_t *ch);

/* The byte offset of the first byte in s[0..len) that is not valid UTF-8, or len when all of it is. */
size_t text_invalid(const char *s, size_t len);
/* The 1-based column of byte offset off in s: the characters before it, plus one (an invalid byte is one). */
int text_column(const char *s, size_t off);

/* After len = snprintf(buf, size, …) (or vsnprintf): when the text was cut (len ≥ size), move the cut back to
 * the start of a character, so that no UTF-8 sequence is left half (a screen would show its bytes as '?'),
 * and end the text with "…" when that fits. Does nothing when the text fitted. */
void text_cut(char *buf, size_t size, int len);

/* Cells a character takes: 2 for 中 or ，, 1 for η, ŷ or ─, 0 for a combining mark; 1 for what the locale
 * cannot print (see the top of this file for where the numbers come from). */
int text_cells(wchar_t ch);
/* Cells a whole string takes. */
int text_width(const char *utf8);

/* Is ch a control character: C0 (U+0000–U+001F), DEL, or C1 (U+0080–U+009F, which a terminal takes for
 * ESC-sequences: CSI, OSC, ST)? Text from a file that reaches a terminal must hold none. */
int text_is_control(uint32_t ch);
/* Make text from a file safe to write to a terminal, in place: each control character (but '\t' and '\n'
 * when keep is set) and each byte of invalid UTF-8 becomes one '?', so the columns after it stay where they
 * were. Returns s. */
char *text_printable(char *s, int keep);

/*
 * Break text into lines of at most width cells and call line(ctx, start, bytes) for each, in order (line may
 * be NULL to only count them); returns the number of lines. A '\n' ends a paragraph (an empty paragraph is
 * one empty line; a final '\n' adds none). A line ends at the last space that fits, the space's own cell
 * included (as the screen's wrapper always has), where Unicode allows a line to start after it; when no space
 * fits, at the last place Unicode allows a break (UAX #14: between two ideographs, after a hyphen or "/"),
 * so a line never starts with closing punctuation such as "，", "。" or "）"; when there is none either, the
 * line is cut at the width, a character earlier for each closing mark that would start the next line. The
 * spaces at a break belong to neither line. A character wider than the width is a line of its own.
 */
typedef void text_line_fn(void *ctx, const char *start, size_t bytes);
int text_wrap(const char *text, int width, text_line_fn *line, void *ctx);

#endif
