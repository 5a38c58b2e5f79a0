/*
 * lesson_train.c — a lesson trained the way the source blog post trains it, and its table's rows (see
 * lesson.h): --train, --dump and --dot use these. An epoch is the core's compiled step (graph_train_epoch),
 * which computes what graph_pass() and graph_sgd_step() would for the loss, the metric and the parameters,
 * the two calls the walkthrough makes when it enters and leaves an epoch; --dump and --dot evaluate the
 * lesson with graph_pass(), which computes every node.
 */
#include "lesson.h"

#include <math.h>
#include <stdio.h>

double lesson_train_epoch(lesson *l)
{
    if (l->loss < 0) {
        graph_pass(l->g, l->loss, 1);
        return NAN;
    }
    return graph_train_epoch(l->g, l->loss, l->metric, l->lr);
}

/* A NaN's sign bit means nothing (x86 makes the default NaN negative), and printf would write "-nan" for
 * one: the table writes every NaN as "nan". */
static double unsigned_nan(double v) { return isnan(v) ? fabs(v) : v; }

int lesson_format_row(const lesson *l, int epoch, double loss, const double *preview_lr, char *buf, size_t n)
{
    size_t used = 0;
#define PUT(...) \
    used += (size_t)snprintf(n > used ? buf + used : NULL, n > used ? n - used : 0, __VA_ARGS__)
    if (n)
        buf[0] = '\0';
    PUT("epoch: %d, loss: %.8f", epoch, unsigned_nan(loss));
    for (int k = 0; k < l->n_names; k++) {
        const lesson_name *p = &l->names[k];
        if (p->kind != LESSON_PARAM || !graph_live(l->g, p->id))
            continue;
        const graph_node *g = graph_node_at(l->g, p->id);
        PUT(", %s: ", p->name);
        for (int i = 0; i < g->len; i++)
            PUT("%s%.3f", i ? "," : "",
                unsigned_nan(preview_lr ? graph_sgd_update(l->g, p->id, i, *preview_lr) : g->data[i]));
        PUT(", d%s: ", p->name);
        for (int i = 0; i < g->len; i++)
            PUT("%s%.3f", i ? "," : "", unsigned_nan(g->grad[i]));
    }
#undef PUT
    return (int)used;
}

/* Longer than this, the line would not fit the panel's two rows at 80 columns: the parameters' fields come from
 * a loop over them by name instead, params.items() (--export python's dict of the lesson's parameter tensors,
 * keyed by the names the row prints; there is no model object), in the same fields and formats whatever their
 * number (each is a one-number tensor, as is its .grad, and formats as that number: {p:.3f}). */
enum { PYTORCH_ROW_LONGEST = 130 };

int lesson_format_row_pytorch(const lesson *l, char *buf, size_t n)
{
    size_t used = 0;
#define PUT(...) \
    used += (size_t)snprintf(n > used ? buf + used : NULL, n > used ? n - used : 0, __VA_ARGS__)
    if (n)
        buf[0] = '\0';
    const lesson_name *shown = l->metric >= 0 ? lesson_node_name(l, l->metric) : NULL;
    PUT("print(f\"epoch: {epoch}, loss: {%s.item():.8f}", shown ? shown->name : "loss");
    size_t head = used;
    int batch = 0;
    for (int k = 0; k < l->n_names; k++) {
        const lesson_name *p = &l->names[k];
        if (p->kind != LESSON_PARAM || !graph_live(l->g, p->id))
            continue;
        if (graph_node_at(l->g, p->id)->len > 1) { /* a batch: its numbers joined by ',', as the row has them */
            batch = 1;
            PUT(", %s: {','.join(f'{v:.3f}' for v in %s.tolist())}, d%s: {','.join(f'{v:.3f}' for v in "
                "%s.grad.tolist())}", p->name, p->name, p->name, p->name);
        } else {
            PUT(", %s: {%s.item():.3f}, d%s: {%s.grad.item():.3f}", p->name, p->name, p->name, p->name);
        }
    }
    PUT("\")");
    if (used > PYTORCH_ROW_LONGEST && !batch) {
        used = head < n ? head : n;
        if (n > used)
            buf[used] = '\0';
        PUT("\" + \"\".join(f\", {n}: {p:.3f}, d{n}: {p.grad:.3f}\" for n, p in params.items()))");
    }
#undef PUT
    return (int)used;
}

void lesson_evaluate(lesson *l) { graph_pass(l->g, l->loss, 1); }

