/*
 * plain.h — the walkthrough as text (`bptutor --plain`): for screen readers, handouts and logs.
 * The same words and numbers the tutor screen shows, one step per paragraph, after the graph written out
 * node by node; the first epoch ends with the lesson's quizzes (their answers, or a blank to fill in), and a
 * teacher's copy has the lesson's notes. As plain text, or as Markdown with every formula a code span (which
 * every Markdown viewer shows as written: no LaTeX renderer needed, and no `*` or `_` read as emphasis).
 */
#ifndef BPTUTOR_PLAIN_H
#define BPTUTOR_PLAIN_H

#include <stdio.h>

#include "lesson.h"

enum plain_format { PLAIN_TEXT, PLAIN_MARKDOWN };

typedef struct plain_options {
    int epochs;               /* epochs walked through, at least 1 */
    int no_answers;           /* the quizzes' answers left blank (a worksheet) */
    int notes;                /* the teacher's notes (a teacher's copy) */
    enum plain_format format;
} plain_options;

/* Print the graph, then every step of o->epochs epochs of the lesson. 0, or 1 when memory runs out. */
int plain_handout(FILE *out, lesson *l, const plain_options *o);
/* The same as plain text with the answers and without notes. */
int plain_print(FILE *out, lesson *l, int epochs);

#endif
