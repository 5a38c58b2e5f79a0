/*
 * lesson_train.c — a lesson trained the way the source blog post trains it, and its table's rows (see
 * lesson.h): --train, --dump and --dot use these; the walkthrough takes the same steps one at a time.
 */
#include "lesson.h"

#include <math.h>
#include <stdio.h>

double lesson_train_epoch(lesson *l)
{
    if (l->loss < 0) {
        graph_forward(l->g);
        return NAN;
    }
    graph_zero_grad(l->g);
    graph_forward(l->g);
    graph_backward(l->g, l->loss);
    int shown = l->metric >= 0 ? l->metric : l->loss;
    double v = graph_node_at(l->g, shown)->value[0];
    graph_sgd_step(l->g, l->lr);
    return v;
}

int lesson_format_row(const lesson *l, int epoch, double loss, int preview_update, char *buf, size_t n)
{
    size_t used = 0;
#define PUT(...) \
    used += (size_t)snprintf(n > used ? buf + used : NULL, n > used ? n - used : 0, __VA_ARGS__)
    if (n)
        buf[0] = '\0';
    PUT("epoch: %d, loss: %.8f", epoch, loss);
    for (int k = 0; k < l->n_names; k++) {
        const lesson_name *p = &l->names[k];
        if (p->kind != LESSON_PARAM)
            continue;
        const graph_node *g = graph_node_at(l->g, p->id);
        PUT(", %s: ", p->name);
        for (int i = 0; i < g->len; i++)
            PUT("%s%.3f", i ? "," : "", preview_update ? graph_sgd_update(l->g, p->id, i, l->lr) : g->data[i]);
        PUT(", d%s: ", p->name);
        for (int i = 0; i < g->len; i++)
            PUT("%s%.3f", i ? "," : "", g->grad[i]);
    }
#undef PUT
    return (int)used;
}

void lesson_evaluate(lesson *l)
{
    graph_zero_grad(l->g);
    graph_forward(l->g);
    if (l->loss >= 0)
        graph_backward(l->g, l->loss);
}

