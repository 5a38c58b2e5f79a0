/*
 * test_text.c — the text module: decoding (every invalid byte one character), columns, display widths as the
 * screen draws them, and line breaking that never starts a line with "，".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static int utf8_locale(void **state)
{
    (void)state;
    return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

/* text_char over a whole string: the lengths it steps by and the characters it reads. */
static void decodes_as(const char *s, size_t len, const size_t *steps, const uint32_t *chars, int n)
{
    size_t i = 0;
    int k = 0;
    for (; i < len && k < n; k++) {
        uint32_t c;
        size_t step = text_char(s + i, len - i, &c);
        if (step != steps[k] || c != chars[k])
            fail_msg("character %d at byte %zu: %zu bytes, U+%04X; expected %zu bytes, U+%04X", k, i, step,
                     (unsigned)c, steps[k], (unsigned)chars[k]);
        i += step;
    }
    assert_int_equal(k, n);
    assert_int_equal(i, len);
}

static void valid_characters_decode_whole(void **state)
{
    (void)state;
    static const char s[] = "a\xce\xb7\xe4\xb8\xad\xf0\x9f\x9a\x80"; /* a η 中 🚀 */
    static const size_t steps[] = {1, 2, 3, 4};
    static const uint32_t chars[] = {'a', 0x3B7, 0x4E2D, 0x1F680};
    decodes_as(s, sizeof s - 1, steps, chars, 4);
    uint32_t c;
    assert_int_equal(text_char("\0x", 2, &c), 1); /* a NUL is a character */
    assert_int_equal(c, 0);
}

static void every_invalid_byte_is_one_character(void **state)
{
    (void)state;
    const uint32_t B = TEXT_BAD;
    /* a stray byte; an overlong '/' (two bad bytes); a surrogate; a sequence cut short before 'a' and at the end */
    static const size_t one[14] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    const char s[] = "\xff" "\xc0\xaf" "\xed\xa0\x80" "\xe4\xb8" "a" "\xf4\x90\x80\x80" "\xe4";
    const uint32_t chars[] = {B, B, B, B, B, B, B, B, 'a', B, B, B, B, B};
    decodes_as(s, sizeof s - 1, one, chars, 14);
}

static void text_next_reads_bad_bytes_as_question_marks(void **state)
{
    (void)state;
    const char s[] = "\xce\xb7\xff!";
    wchar_t ch;
    size_t len = sizeof s - 1;
    assert_int_equal(text_next(s, len, NULL, &ch), 2);
    assert_int_equal(ch, 0x3B7);
    assert_int_equal(text_next(s + 2, len - 2, NULL, &ch), 1);
    assert_int_equal(ch, L'?');
    assert_int_equal(text_next(s + 3, len - 3, NULL, &ch), 1);
    assert_int_equal(ch, L'!');
    assert_int_equal(text_next(s + 4, 0, NULL, &ch), 0);
    assert_int_equal(text_next("\0a", 2, NULL, &ch), 0); /* a NUL ends the string */
}

static void the_first_invalid_byte_and_columns(void **state)
{
    (void)state;
    const char ok[] = "say intro \xe6\xbc\xa2\xe5\xad\x97 \xce\xb7"; /* 漢字 η */
    assert_int_equal(text_invalid(ok, sizeof ok - 1), sizeof ok - 1);
    const char bad[] = "title Caf\xe9!";
    assert_int_equal(text_invalid(bad, sizeof bad - 1), 9);
    assert_int_equal(text_invalid("\xe4\xb8", 2), 0); /* cut short at the end */

    /* columns count characters, an invalid byte as one */
    assert_int_equal(text_column(ok, 0), 1);
    assert_int_equal(text_column(ok, 10), 11);
    assert_int_equal(text_column(ok, 16), 13); /* after 漢字 */
    assert_int_equal(text_column(ok, sizeof ok - 1), 15);
    const char overlong[] = "x\xc0\xaf=";
    assert_int_equal(text_column(overlong, 3), 4); /* x, and each byte of the overlong form */
}

static void widths_as_the_screen_draws_them(void **state)
{
    (void)state;
    assert_int_equal(text_cells(L'a'), 1);
    assert_int_equal(text_cells(0x3B7), 1);  /* η */
    assert_int_equal(text_cells(0x177), 1);  /* ŷ */
    assert_int_equal(text_cells(0x2500), 1); /* ─ */
    assert_int_equal(text_cells(0x4E2D), 2); /* 中 */
    assert_int_equal(text_cells(0xFF0C), 2); /* ， */
    assert_int_equal(text_cells(0x3002), 2); /* 。 */
    assert_int_equal(text_cells(0x1F680), 2);
    assert_int_equal(text_cells(0x301), 0);  /* a combining acute accent */
    assert_int_equal(text_cells(0x01), 1);   /* what cannot be printed shows as one '?' */
    /* where glibc and libunistring disagree, the screen follows glibc's wcwidth, as ncursesw does */
    assert_int_equal(text_cells(0x4DC0), 2); /* ䷀: uc_width says 1 */
    assert_int_equal(text_cells(0xAD), 1);   /* a soft hyphen: uc_width says 0 */

    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width("w \xc2\xb7 x"), 5);                  /* w · x */
    assert_int_equal(text_width("\xe6\xbc\xa2\xe5\xad\x97!"), 5);     /* 漢字! */
    assert_int_equal(text_width("e\xcc\x81t\xc3\xa9"), 3);            /* é as e + accent, t, é */
    assert_int_equal(text_width("\xff\xfe"), 2);                      /* two '?' */
}

static void a_single_byte_locale_still_measures_unicode(void **state)
{
    (void)state;
    /* bptutor --check under LANG=C: wcwidth knows only ASCII there, and the caret must still line up */
    assert_non_null(setlocale(LC_ALL, "C"));
    assert_int_equal(text_cells(0x4E2D), 2);
    assert_int_equal(text_cells(0x3B7), 1);
    assert_int_equal(text_cells(0x301), 0);
    assert_int_equal(text_cells(0x01), 1);
    assert_int_equal(text_width("\xe6\xbc\xa2\xe5\xad\x97!"), 5);
    assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
}

/* ---------------------------------------------------------------- wrapping */

struct lines { char text[64][256]; int n; };

static void keep(void *ctx, const char *start, size_t bytes)
{
    struct lines *l = ctx;
    if (l->n < 64)
        snprintf(l->text[l->n++], sizeof l->text[0], "%.*s", (int)bytes, start);
}

static struct lines wrapped(const char *text, int width)
{
    struct lines l = { .n = 0 };
    int n = text_wrap(text, width, keep, &l);
    assert_int_equal(n, l.n);
    assert_int_equal(text_wrap(text, width, NULL, NULL), n); /* counting alone gives the same number */
    return l;
}

static void wraps_at_spaces(void **state)
{
    (void)state;
    struct lines l = wrapped("Forward pass: compute every node from left to right.", 20);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.text[0], "Forward pass:");
    assert_string_equal(l.text[1], "compute every node");
    assert_string_equal(l.text[2], "from left to right.");
    l = wrapped("short", 20);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.text[0], "short");
    /* paragraphs: an empty one is an empty line, a final newline adds nothing, nothing is no line */
    l = wrapped("one\n\ntwo\n", 20);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.text[1], "");
    assert_string_equal(l.text[2], "two");
    assert_int_equal(wrapped("", 20).n, 0);
    /* a word longer than the line breaks where Unicode allows (after '/'), else at the width */
    l = wrapped("see tests/cli/golden/train-03.out", 20);
    assert_string_equal(l.text[0], "see");
    assert_string_equal(l.text[1], "tests/cli/golden/");
    assert_string_equal(l.text[2], "train-03.out");
    l = wrapped("abcdefghij", 4);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.text[0], "abcd");
    assert_string_equal(l.text[2], "ij");
    /* a character wider than the line is a line of its own, never half of one */
    l = wrapped("\xe4\xb8\xad\xe6\x96\x87", 1); /* 中文 */
    assert_int_equal(l.n, 2);
    assert_string_equal(l.text[0], "\xe4\xb8\xad");
}

static void no_line_starts_with_a_closing_comma(void **state)
{
    (void)state;
    /* 我們希望損失變小，所以更新權重。: at 16 cells a cut at the width would start the second line with "，" */
    const char text[] = "我們希望損失變小，所以更新權重。";
    struct lines l = wrapped(text, 16);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.text[0], "我們希望損失變");
    assert_string_equal(l.text[1], "小，所以更新權");
    assert_string_equal(l.text[2], "重。");
    /* a cut inside a word that runs into closing marks leaves them a character to lean on */
    l = wrapped("4.79999924）。", 6);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.text[1], "992");
    assert_string_equal(l.text[2], "4）。");
    /* nor after a space */
    l = wrapped("w 是 0 ，所以 ŷ 也是 0。", 7);
    for (int i = 0; i < l.n; i++)
        if (strncmp(l.text[i], "，", 3) == 0 || strncmp(l.text[i], "。", 3) == 0)
            fail_msg("line %d starts with closing punctuation: '%s'", i + 1, l.text[i]);
}

/* A lone minus or plus between two terms keeps them on one row: lesson 05 said "its own 1 −" on one row and
 * "h²." on the next (and at 120 columns "1" and "− h²"). Other spaces, " = " among them, still break: a
 * working line breaks after "=", with "0.15 − 0.05" whole on the next row. */
static void a_sign_between_terms_is_not_a_break(void **state)
{
    (void)state;
    for (int width = 25; width <= 27; width++) {
        struct lines l = wrapped("multiplied by its own 1 − h².", width);
        assert_int_equal(l.n, 2);
        assert_string_equal(l.text[0], "multiplied by its own");
        assert_string_equal(l.text[1], "1 − h².");
    }
    struct lines l = wrapped("so a + b is c", 6);
    assert_string_equal(l.text[0], "so");
    assert_string_equal(l.text[1], "a + b");
    l = wrapped("w ← w − η·g = 0.15 − 0.05 = 0.1", 20);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.text[0], "w ← w − η·g =");
    assert_string_equal(l.text[1], "0.15 − 0.05 = 0.1");
}

/* Chinese text has spaces only around Latin words: a line ends between two ideographs when that fills more of
 * it than the last space would (lesson 03's try line ended at 36 of 78 cells, after "現在 w"). */
static void chinese_fills_the_line_past_its_last_space(void **state)
{
    (void)state;
    struct lines l = wrapped("現在 w 先乘以二再進加法", 12);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.text[0], "現在 w 先乘");
    assert_string_equal(l.text[1], "以二再進加法");
    /* a break right at the width, between ideographs, is taken too */
    l = wrapped("現在 w 先乘以二再進加法", 13);
    assert_string_equal(l.text[0], "現在 w 先乘以");
    /* the closing marks still keep to their character */
    l = wrapped("所以 w 乘以二，再加", 13);
    assert_string_equal(l.text[0], "所以 w 乘以");
    assert_string_equal(l.text[1], "二，再加");
    /* Latin text still ends at its spaces, never inside "∂L/∂w" */
    l = wrapped("the gradient ∂L/∂w of it", 16);
    assert_string_equal(l.text[0], "the gradient");
    assert_string_equal(l.text[1], "∂L/∂w of it");
}

/* Every line of the Chinese lessons at every width from 6 cells (the longest run that may not break, 「:」, is
 * 5): no line is wider than the width (unless it is one character), none starts with closing punctuation, and
 * the lines put back together are the text. */
static void the_chinese_lessons_wrap_cleanly(void **state)
{
    (void)state;
    static const char *const closing[] = {"，", "。", "、", "：", "；", "！", "？", "）", "」", "』"};
    const char *top = getenv("TOP");
    const char *names[] = {"01-one-weight", "02-four-samples", "03-fan-out",     "04-gates",
                           "05-neuron",     "06-relu",         "07-network",     "08-learning-rate",
                           "09-zero-grad",  "10-float32",      "11-xor",         "12-your-own"};
    int checked = 0;
    for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
        char path[4096], line[4096];
        snprintf(path, sizeof path, "%s/lessons/zh-TW/%s.lesson", top ? top : ".", names[f]);
        FILE *in = fopen(path, "r");
        if (!in)
            fail_msg("cannot open %s", path);
        while (fgets(line, sizeof line, in)) {
            line[strcspn(line, "\n")] = '\0';
            for (int width = 6; width <= 60; width++) {
                struct lines l = wrapped(line, width);
                char joined[4096] = "", squeezed[4096] = "";
                for (int i = 0; i < l.n; i++) {
                    int w = text_width(l.text[i]);
                    uint32_t c;
                    if (w > width && text_char(l.text[i], strlen(l.text[i]), &c) != strlen(l.text[i]))
                        fail_msg("%s at %d: line '%s' is %d cells", names[f], width, l.text[i], w);
                    for (size_t k = 0; i > 0 && k < sizeof closing / sizeof closing[0]; k++)
                        if (strncmp(l.text[i], closing[k], strlen(closing[k])) == 0)
                            fail_msg("%s at %d: a line starts with %s: '%s'", names[f], width, closing[k], l.text[i]);
                    strcat(joined, l.text[i]);
                }
                /* only spaces go missing at a break */
                size_t o = 0;
                for (const char *p = line; *p; p++)
                    if (*p != ' ')
                        squeezed[o++] = *p;
                squeezed[o] = '\0';
                o = 0;
                for (const char *p = joined; *p; p++)
                    if (*p != ' ')
                        joined[o++] = *p;
                joined[o] = '\0';
                assert_string_equal(joined, squeezed);
                checked++;
            }
        }
        fclose(in);
    }
    assert_true(checked > 1000);
}

/* cut_as(SIZE, TEXT, EXPECT): snprintf of TEXT into SIZE bytes, then text_cut, gives EXPECT. */
static void cut_as(size_t size, const char *text, const char *expect, int line)
{
    char buf[64];
    assert_true(size <= sizeof buf);
    int len = snprintf(buf, size, "%s", text);
    text_cut(buf, size, len);
    if (strcmp(buf, expect) != 0)
        fail_msg("line %d: cut into %zu bytes: \"%s\"; expected \"%s\"", line, size, buf, expect);
    if (text_invalid(text, strlen(text)) == strlen(text)) /* valid text stays valid */
        assert_int_equal(text_invalid(buf, strlen(buf)), strlen(buf));
}
#define CUT_AS(size, text, expect) cut_as(size, text, expect, __LINE__)

static void a_cut_message_ends_between_characters_with_an_ellipsis(void **state)
{
    (void)state;
    CUT_AS(16, "fits", "fits");                           /* nothing cut: left alone */
    CUT_AS(5, "four", "four");
    CUT_AS(5, "fives", "f\u2026");                         /* 4 bytes of room: one letter and … */
    CUT_AS(11, "\u4e2d\u6587\u4e2d\u6587", "\u4e2d\u6587\u2026"); /* 10 bytes of room: 中文 and … (9) */
    CUT_AS(12, "\u4e2d\u6587\u4e2d\u6587", "\u4e2d\u6587\u2026");
    CUT_AS(13, "\u4e2d\u6587\u4e2d\u6587\u4e2d", "\u4e2d\u6587\u4e2d\u2026"); /* 12: 中文中 and … */
    CUT_AS(13, "\u4e2d\u6587\u4e2d\u6587", "\u4e2d\u6587\u4e2d\u6587");
    CUT_AS(9, "a\u4e2d\U0001F680\u6587", "a\u4e2d\u2026");  /* never inside the 4-byte 🚀 */
    CUT_AS(10, "ab\u4e2d\U0001F680x", "ab\u4e2d\u2026");
    CUT_AS(3, "\u4e2d", "");                              /* no room for a character nor for … */
    CUT_AS(3, "ab\u4e2d", "ab");
    CUT_AS(1, "abc", "");
    CUT_AS(8, "a\xff\xfe\xfd" "bcdef", "a\xff\xfe\xfd\u2026"); /* invalid bytes are characters of their own */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_characters_decode_whole),
        cmocka_unit_test(every_invalid_byte_is_one_character),
        cmocka_unit_test(text_next_reads_bad_bytes_as_question_marks),
        cmocka_unit_test(the_first_invalid_byte_and_columns),
        cmocka_unit_test(widths_as_the_screen_draws_them),
        cmocka_unit_test(a_single_byte_locale_still_measures_unicode),
        cmocka_unit_test(wraps_at_spaces),
        cmocka_unit_test(no_line_starts_with_a_closing_comma),
        cmocka_unit_test(chinese_fills_the_line_past_its_last_space),
        cmocka_unit_test(a_sign_between_terms_is_not_a_break),
        cmocka_unit_test(the_chinese_lessons_wrap_cleanly),
        cmocka_unit_test(a_cut_message_ends_between_characters_with_an_ellipsis),
    };
    return cmocka_run_group_tests_name("text", tests, utf8_locale, NULL);
}
