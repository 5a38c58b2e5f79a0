/*
 * plain.h — the walkthrough as text (`bptutor --plain`): for screen readers, handouts and logs.
 * The same words and numbers the tutor screen shows, one step per paragraph.
 */
#ifndef BPTUTOR_PLAIN_H
#define BPTUTOR_PLAIN_H

#include <stdio.h>

#include "lesson.h"

/* Print every step of `epochs` epochs of the lesson (at least one), then the history. 0, or 1 when memory
 * runs out. */
int plain_print(FILE *out, lesson *l, int epochs);

#endif
