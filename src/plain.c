/* plain.c — print the walkthrough as paragraphs (see plain.h). What a lesson wrote is printed through
 * text_printable: a control character cannot reach the reader's terminal, whatever the lesson holds. */
#include "plain.h"

#include <stdio.h>
#include <stdlib.h>

#include "text.h"
#include "walk.h"

int plain_print(FILE *out, lesson *l, int epochs)
{
    walk *w = walk_new(l);
    if (!w)
        return 1;
    if (epochs < 1)
        epochs = 1;
    size_t size = 1 << 16;
    char *text = malloc(size);
    if (!text) {
        walk_free(w);
        return 1;
    }
    if (l->title) {
        snprintf(text, size, "%s", l->title);
        fprintf(out, "%s\n\n", text_printable(text, 0));
    }
    for (;;) {
        walk_step_text(w, text, size);
        fputs(text_printable(text, 1), out);
        fputc('\n', out);
        if (walk_epoch(w) == epochs && walk_index(w) == walk_count(w) - 1)
            break;
        walk_next(w);
    }
    free(text);
    walk_free(w);
    return 0;
}
