/*
 * export.h — a lesson's model as a PyTorch script (bptutor --export python, :export python FILE).
 *
 * The script is the learner's next move after the tutor: the same model (each named node one line of its
 * forward function, with the lesson's names), the same data and starting parameters, the same learning rate,
 * precision, zero_grad and epochs, trained with torch.optim.SGD, printing one row per epoch in the format of
 * bptutor --train. Under float64 its table is --train's digit for digit (tests/cli/export.t runs it where
 * python3-torch is installed).
 */
#ifndef BPTUTOR_EXPORT_H
#define BPTUTOR_EXPORT_H

#include <stdio.h>

#include "graph.h"
#include "lesson.h"

/* What the script trains with: the lesson's settings, or the walk's after :set. */
typedef struct export_settings {
    double lr;
    int epochs;
    enum graph_precision precision;
    int zero_grad;
} export_settings;

/* The lesson's own settings: its lr, epochs and precision, zero_grad on. */
export_settings export_lesson_settings(const lesson *l);

/* Write the script for the model as the graph holds it now (its parameters' stored numbers are the starting
 * ones). 0, or −1 when writing failed. */
int export_python(FILE *out, const lesson *l, const export_settings *s);

#endif
