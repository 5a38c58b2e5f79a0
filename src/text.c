/* text.c — decoding, measuring and breaking UTF-8 on libunistring (see text.h). */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <unilbrk.h>
#include <unistr.h>
#include <uniwidth.h>

size_t text_char(const char *s, size_t len, uint32_t *ch)
{
    ucs4_t c;
    /* u8_mbtoucr, not u8_mbtouc: it says "invalid" instead of swallowing a cut-off sequence whole, so each bad
     * byte stays one character */
    int k = u8_mbtoucr(&c, (const uint8_t *)s, len);
    if (k <= 0) {
        *ch = TEXT_BAD;
        return 1;
    }
    *ch = c;
    return (size_t)k;
}

size_t text_next(const char *s, size_t len, mbstate_t *st, wchar_t *ch)
{
    (void)st;
    if (len == 0 || *s == '\0')
        return 0;
    uint32_t c;
    size_t k = text_char(s, len, &c);
    *ch = c == TEXT_BAD ? L'?' : (wchar_t)c;
    return k;
}

size_t text_invalid(const char *s, size_t len)
{
    const uint8_t *bad = u8_check((const uint8_t *)s, len);
    return bad ? (size_t)(bad - (const uint8_t *)s) : len;
}

int text_is_control(uint32_t ch)
{
    return ch < 0x20 || (ch >= 0x7F && ch <= 0x9F);
}

char *text_printable(char *s, int keep)
{
    size_t len = strlen(s), o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t ch;
        size_t k = text_char(s + i, len - i, &ch);
        if (ch == TEXT_BAD || (text_is_control(ch) && !(keep && (ch == '\t' || ch == '\n')))) {
            s[o++] = '?';
        } else {
            memmove(s + o, s + i, k);
            o += k;
        }
        i += k;
    }
    s[o] = '\0';
    return s;
}

int text_column(const char *s, size_t off)
{
    int col = 1;
    uint32_t c;
    for (size_t i = 0; i < off; col++)
        i += text_char(s + i, off - i, &c);
    return col;
}

void text_cut(char *buf, size_t size, int len)
{
    static const char ellipsis[] = "\u2026";
    const size_t e = sizeof ellipsis - 1;
    if (size == 0 || len < 0 || (size_t)len < size)
        return;
    size_t have = strnlen(buf, size - 1), limit = have >= e ? have - e : have, at = 0;
    while (at < have) {
        ucs4_t c;
        int k = u8_mbtoucr(&c, (const uint8_t *)buf + at, have - at);
        if (k == -2) /* the character the cut went through */
            break;
        size_t next = at + (k > 0 ? (size_t)k : 1); /* an invalid byte is a character of its own */
        if (next > limit)
            break;
        at = next;
    }
    if (have >= e)
        memcpy(buf + at, ellipsis, e), at += e;
    buf[at] = '\0';
}

int text_cells(wchar_t ch)
{
    if (ch >= 0x20 && ch < 0x7f) /* printable ASCII: one cell in every locale, without asking */
        return 1;
    int w = wcwidth(ch);
    if (w < 0 && MB_CUR_MAX == 1 && ch >= 0) /* a single-byte locale knows no wide characters: ask Unicode */
        w = uc_width((ucs4_t)ch, "UTF-8");
    return w < 0 ? 1 : w;
}

int text_width(const char *utf8)
{
    int w = 0;
    wchar_t ch;
    for (size_t len = strlen(utf8), k; (k = text_next(utf8, len, NULL, &ch)) > 0; utf8 += k, len -= k)
        w += text_cells(ch);
    return w;
}

/* ---------------------------------------------------------------- line breaking --------------- */

/* May a line start at byte i of paragraph p? brk holds UAX #14's verdicts; without it (no memory for them),
 * only after a space. */
static int breakable(const char *p, const char *brk, size_t i)
{
    if (brk)
        return brk[i] == UC_BREAK_POSSIBLE;
    return i > 0 && p[i - 1] == ' ' && p[i] != ' ';
}

/* Is p[at..n) a minus or a plus standing alone between blanks, as in "1 − h²": a sign between two terms? */
static int lone_sign(const char *p, size_t n, size_t at)
{
    size_t k = at + 3 <= n && memcmp(p + at, "\u2212", 3) == 0 ? 3 : at < n && p[at] == '+' ? 1 : 0;
    return k && at > 0 && p[at - 1] == ' ' && at + k < n && p[at + k] == ' ';
}

/* Is byte i of paragraph p[0..n) a space a line may end at? Not the paragraph's first character, not when
 * the spaces are followed by something no line may start with ("，", "。", "!"), and not beside a lone minus
 * or plus: "1 − h²" is one term of a sentence, never "1 −" on one row and "h²" on the next. */
static int space_break(const char *p, size_t n, const char *brk, size_t i)
{
    if (i == 0 || p[i] != ' ')
        return 0;
    size_t start = i;
    while (i < n && p[i] == ' ')
        i++;
    if (i < n && lone_sign(p, n, i))
        return 0;
    if ((start >= 3 && memcmp(p + start - 3, "\u2212", 3) == 0 && lone_sign(p, n, start - 3)) ||
        (start >= 1 && p[start - 1] == '+' && lone_sign(p, n, start - 1)))
        return 0;
    return i == n || breakable(p, brk, i);
}

/* Is the character at s one that no line may start with — closing punctuation such as "，" "。" "）" "!"?
 * UAX #14 has no public class lookup in libunistring, so ask it whether a line may break between an
 * ideograph, which allows a break before nearly anything, and this character. */
static int closes(const char *s, size_t len)
{
    uint32_t c;
    size_t k = text_char(s, len, &c);
    char pair[8] = "\xe4\xb8\x80", brk[8]; /* 一 */
    if (c == TEXT_BAD)
        return 0;
    memcpy(pair + 3, s, k);
    u8_possible_linebreaks((const uint8_t *)pair, 3 + k, "UTF-8", brk);
    return brk[3] != UC_BREAK_POSSIBLE;
}

/* The start of the character before byte i (i > 0). */
static size_t previous(const char *p, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)p[i] & 0xC0) == 0x80);
    return i;
}

/* One paragraph (no '\n' in it) into lines. */
static int wrap_paragraph(const char *p, size_t n, const char *brk, int width, text_line_fn *line, void *ctx)
{
    int lines = 0;
    size_t at = 0;
    do {
        const char *s = p + at;
        size_t left = n - at;
        /* take characters while they fit, remembering the last space (its own cell fitting too), the last
         * break that fit, and the last one beside a wide character (between ideographs, "跟著" or "的float") */
        size_t take = 0, last_space = 0, last_break = 0, last_wide = 0;
        int w = 0, prev_cw = 0, cut_wide = 0;
        while (take < left) {
            uint32_t c;
            size_t k = text_char(s + take, left - take, &c);
            int cw = c == TEXT_BAD ? 1 : text_cells((wchar_t)c);
            int wide_break = take > 0 && breakable(p, brk, at + take) && (cw > 1 || prev_cw > 1) && s[take - 1] != ' ';
            if (w + cw > width) {
                cut_wide = wide_break;
                break;
            }
            if (take > 0 && breakable(p, brk, at + take))
                last_break = take;
            if (wide_break)
                last_wide = take;
            if (space_break(p, n, brk, at + take))
                last_space = take;
            w += cw;
            take += k;
            prev_cw = cw;
        }
        if (take == 0 && left > 0) {
            uint32_t c; /* wider than the whole line: a line of its own */
            take = text_char(s, left, &c);
        } else if (take < left && last_space > 0) {
            /* at a space, unless a break between wide characters after it fills more of the line: Chinese
             * text has a space only around a Latin word, and ending the line there could leave half of it empty */
            take = cut_wide ? take : last_wide > last_space ? last_wide : last_space;
        } else if (take < left && !space_break(p, n, brk, at + take) && !breakable(p, brk, at + take)) {
            if (last_break > 0)
                take = last_break;
            else /* a cut inside "epoch，" or "24）。": closing marks keep a character before them */
                for (size_t b = take; b < left && closes(s + b, left - b) && (b = previous(s, b)) > 0;)
                    take = b;
        }
        if (line)
            line(ctx, s, take);
        lines++;
        at += take;
        while (at < n && p[at] == ' ')
            at++;
    } while (at < n);
    return lines;
}

int text_wrap(const char *text, int width, text_line_fn *line, void *ctx)
{
    int lines = 0;
    char small[512];
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        char *brk = n <= sizeof small ? small : malloc(n);
        if (brk)
            u8_possible_linebreaks((const uint8_t *)text, n, "UTF-8", brk);
        lines += wrap_paragraph(text, n, brk, width, line, ctx);
        if (brk != small)
            free(brk);
        text = nl ? nl + 1 : text + n;
    }
    return lines;
}
