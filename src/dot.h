/* dot.h — a lesson's graph in Graphviz DOT, with each node's value and gradient (bptutor --dot, :export dot). */
#ifndef BPTUTOR_DOT_H
#define BPTUTOR_DOT_H

#include <stdio.h>

#include "lesson.h"

/* Write the graph with the values and gradients it holds now. Returns 0, or −1 when writing failed. */
int dot_write(FILE *out, const lesson *l);

#endif
