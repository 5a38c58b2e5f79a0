/*
 * fuzz_lesson.c — libFuzzer target for the lesson language: an input is a lesson file.
 *
 * What a teacher's file reaches: the parser and its errors (with the caret line), then, for a lesson that
 * loads, everything the command line prints from it — the formula of every node, --dot, two epochs of the
 * --plain walkthrough, --train's rows — and the diagram laid out and drawn for the first three steps (up to
 * DRAW_NODES nodes: placing a thousand, a blink in the tutor, takes seconds under the fuzzer's
 * instrumentation, and a fuzzer busy with big graphs finds little else). Output goes to /dev/null: a crash,
 * a sanitizer report or a leak is what is looked for.
 *
 * `make fuzz` builds it with clang -fsanitize=fuzzer,address,undefined and seeds it with every lesson of
 * the tree and every malformed lesson of the tests (fuzz/run).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dot.h"
#include "layout.h"
#include "lesson.h"
#include "plain.h"
#include "walk.h"

static FILE *devnull;

enum { DRAW_NODES = 300 };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    devnull = fopen("/dev/null", "w");
    return devnull ? 0 : -1;
}

static void draw(lesson *l)
{
    walk *w = walk_new(l);
    layout_view *v = w ? layout_view_new() : NULL;
    for (int k = 0; v && k < 3 && k < walk_count(w); k++) {
        if (layout_view_update(v, w, l, k == 1) == 0)
            layout_canvas_free(layout_view_draw(v, -2, -2, 84, 28));
        walk_next(w);
    }
    layout_view_free(v);
    walk_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lesson_error err;
    char buf[4096];
    lesson *l = lesson_parse((const char *)data, size, &err);
    if (!l) {
        lesson_error_format(&err, "fuzz.lesson", buf, sizeof buf);
        fputs(buf, devnull);
        return 0;
    }
    lesson_peek_title((const char *)data, size, buf, sizeof buf);
    for (int id = 0; id < graph_count(l->g); id++)
        lesson_formula(l, id, buf, sizeof buf);
    dot_write(devnull, l);
    plain_print(devnull, l, 2);
    if (graph_count(l->g) <= DRAW_NODES)
        draw(l);
    for (int e = 1; e <= 3; e++) {
        double shown = lesson_train_epoch(l);
        lesson_format_row(l, e, shown, NULL, buf, sizeof buf);
        fputs(buf, devnull);
    }
    lesson_free(l);
    return 0;
}
