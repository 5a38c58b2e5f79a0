/*
 * walk.c — the walkthrough engine (see walk.h).
 *
 * State: the epoch, the step within it, and one saved copy per epoch begun of what training changes (the
 * parameters' numbers and the leaves' accumulated gradients). Entering an epoch restores its copy and runs
 * the whole forward and backward pass through the core; the steps then only decide what is shown. So
 * stepping back is exact: it is the same computation from the same saved numbers.
 *
 * The text of a step is built here, from the core's numbers: the forward formula with values substituted,
 * each edge's local gradient (graph_local_grad: the very number backward multiplies by), the chain-rule
 * sum over the nodes a node feeds, and the update.
 */
#include "walk.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

struct walk {
    lesson *l;
    walk_step *steps;
    int n_steps;
    int epoch, index;
    int zero_grad;
    /* per graph node: the step that reveals it (−1: never, or revealed from the start) */
    int *forward_at, *chain_at, *update_at, *local_at; /* local_at: two entries per node */
    char *needs_grad, *criterion;
    /* parameters, in lesson declaration order */
    int *param;
    int n_param, n_param_values; /* ids; total elements of all parameters */
    /* inputs changed with walk_set_data, to be undone when the walk goes back past the epoch of the change */
    struct input_edit { int epoch, id, index; double old; } *edits;
    int n_edits, cap_edits;
    /* saved copies, one per epoch begun: parameter data then leaf grads */
    double *saved;
    int n_saved, cap_saved;
    /* history of finished epochs: loss, then param values, then grads */
    double *rows;
    int n_rows, cap_rows;
    walk_row row; /* scratch for walk_history_at */
    double *row_scratch;
    int phase_first[LESSON_PHASE_COUNT], phase_count[LESSON_PHASE_COUNT];
    char *narration; /* scratch: a phase's narration and a node's explanation together */
};

/* ---------------------------------------------------------------- small helpers --------------- */

static const graph_node *node(const walk *w, int id) { return graph_node_at(w->l->g, id); }

/* Append formatted text at *used within buf[n], never overflowing, always NUL-terminated; *used counts
 * what was needed, like snprintf. */
static void put(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = *used < n ? n - *used : 0;
    int k = vsnprintf(room ? buf + *used : NULL, room, fmt, ap);
    va_end(ap);
    if (k > 0)
        *used += (size_t)k;
}

/* A saved copy: every parameter's numbers, then their gradients (.grad, which zero_grad may leave alone). */
static int saved_stride(const walk *w) { return 2 * w->n_param_values; }
static int row_stride(const walk *w) { return 1 + 2 * w->n_param; }

static int grow(void **p, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 0;
    int cap2 = *cap ? *cap : 8;
    while (cap2 < need)
        cap2 *= 2;
    void *q = realloc(*p, (size_t)cap2 * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = cap2;
    return 0;
}

/* ---------------------------------------------------------------- saving and entering epochs -- */

static void save_into(const walk *w, double *s)
{
    graph *g = w->l->g;
    double *grads = s + w->n_param_values;
    for (int p = 0, k = 0; p < w->n_param; p++) {
        const graph_node *n = graph_node_at(g, w->param[p]);
        for (int i = 0; i < n->len; i++, k++) {
            s[k] = n->data[i];
            grads[k] = n->grad[i];
        }
    }
}

/* Put a saved copy back. The other leaves' gradients start from 0: no step shows them, and so a walk back
 * and forth finds the same numbers whatever zero_grad did to them. */
static void restore_from(walk *w, const double *s)
{
    graph *g = w->l->g;
    graph_zero_grad(g);
    const double *grads = s + w->n_param_values;
    for (int p = 0, k = 0; p < w->n_param; p++) {
        const graph_node *n = graph_node_at(g, w->param[p]);
        for (int i = 0; i < n->len; i++, k++) {
            graph_set_data(g, w->param[p], i, s[k]);
            n->grad[i] = grads[k]; /* the core's grad arrays are the leaves' .grad */
        }
    }
}

/* A parameter's .grad as this epoch began (what zero_grad would have cleared), or NULL for other nodes. */
static const double *kept_grad(const walk *w, int id)
{
    const double *grads = w->saved + (size_t)(w->epoch - 1) * saved_stride(w) + w->n_param_values;
    for (int p = 0, k = 0; p < w->n_param; k += graph_node_at(w->l->g, w->param[p])->len, p++)
        if (w->param[p] == id)
            return grads + k;
    return NULL;
}

static int push_saved(walk *w)
{
    if (grow((void **)&w->saved, &w->cap_saved, (w->n_saved + 1) * saved_stride(w) + 1, sizeof(double)))
        return -1;
    save_into(w, w->saved + (size_t)w->n_saved * saved_stride(w));
    w->n_saved++;
    return 0;
}

/* Run the epoch's passes from its saved copy: zero_grad (unless switched off), forward, backward. */
static void enter_epoch(walk *w)
{
    lesson *l = w->l;
    restore_from(w, w->saved + (size_t)(w->epoch - 1) * saved_stride(w));
    if (w->zero_grad)
        graph_zero_grad(l->g);
    graph_forward(l->g);
    if (l->loss >= 0)
        graph_backward(l->g, l->loss);
}

/* ---------------------------------------------------------------- building the steps ---------- */

static void add_step(walk *w, enum lesson_phase phase, int id, int input)
{
    w->steps[w->n_steps++] = (walk_step){ .phase = phase, .node = id, .input = input };
}

static void mark_needed(const walk *w, char *needed, int id)
{
    if (id < 0 || needed[id])
        return;
    needed[id] = 1;
    const graph_node *n = node(w, id);
    mark_needed(w, needed, n->src[0]);
    mark_needed(w, needed, n->src[1]);
}

/*
 * Which forward steps are PyTorch's `loss = criterion(output, target)` rather than `output = model(x)`:
 * the target is an input that meets a computed prediction (an operation that needs a gradient), as y
 * meets ŷ in s = ŷ − y; every node computed from a target belongs to the criterion.
 */
static void find_criterion(walk *w)
{
    int count = graph_count(w->l->g);
    for (int id = 0; id < count; id++) {
        const graph_node *n = node(w, id);
        if (n->op == GRAPH_OP_LEAF || n->src[1] < 0)
            continue;
        for (int k = 0; k < 2; k++) {
            const graph_node *mine = node(w, n->src[k]), *other = node(w, n->src[1 - k]);
            if (mine->role == GRAPH_INPUT && other->op != GRAPH_OP_LEAF && w->needs_grad[n->src[1 - k]])
                w->criterion[n->src[k]] = 1;
        }
    }
    for (int id = 0; id < count; id++) {
        const graph_node *n = node(w, id);
        if (n->op == GRAPH_OP_LEAF)
            continue;
        for (int k = 0; k < 2; k++)
            if (n->src[k] >= 0 && w->criterion[n->src[k]])
                w->criterion[id] = 1;
    }
}

static void free_tables(walk *w)
{
    free(w->steps);
    free(w->forward_at);
    free(w->chain_at);
    free(w->update_at);
    free(w->local_at);
    free(w->needs_grad);
    free(w->criterion);
    free(w->param);
    free(w->row_scratch);
    w->steps = NULL;
    w->forward_at = w->chain_at = w->update_at = w->local_at = w->param = NULL;
    w->needs_grad = w->criterion = NULL;
    w->row_scratch = NULL;
}

int walk_rebuild(walk *w)
{
    lesson *l = w->l;
    graph *g = l->g;
    int count = graph_count(g);
    free_tables(w);
    size_t c = (size_t)count + 1;
    w->forward_at = malloc(c * sizeof(int));
    w->chain_at = malloc(c * sizeof(int));
    w->update_at = malloc(c * sizeof(int));
    w->local_at = malloc(2 * c * sizeof(int));
    w->needs_grad = calloc(c, 1);
    w->criterion = calloc(c, 1);
    w->param = malloc(c * sizeof(int));
    /* at most: intro, a forward step per node, two local steps per node, a chain and an update step per
     * node, the epoch step */
    w->steps = malloc((6 * c + 2) * sizeof *w->steps);
    char *needed = calloc(c, 1);
    if (!w->forward_at || !w->chain_at || !w->update_at || !w->local_at || !w->needs_grad ||
        !w->criterion || !w->param || !w->steps || !needed) {
        free(needed);
        return -1;
    }
    for (int id = 0; id < count; id++) {
        w->forward_at[id] = w->chain_at[id] = w->update_at[id] = -1;
        w->local_at[2 * id] = w->local_at[2 * id + 1] = -1;
    }

    /* requires_grad, in creation order (inputs come first) */
    for (int id = 0; id < count; id++) {
        const graph_node *n = graph_node_at(g, id);
        if (n->role == GRAPH_PARAM)
            w->needs_grad[id] = 1;
        for (int k = 0; k < 2; k++)
            if (n->src[k] >= 0 && w->needs_grad[n->src[k]])
                w->needs_grad[id] = 1;
    }
    find_criterion(w);

    w->n_param = w->n_param_values = 0;
    w->n_edits = 0;
    for (int k = 0; k < l->n_names; k++)
        if (l->names[k].kind == LESSON_PARAM) {
            w->param[w->n_param++] = l->names[k].id;
            w->n_param_values += graph_node_at(g, l->names[k].id)->len;
        }
    w->row_scratch = malloc((size_t)(row_stride(w) + 1) * sizeof(double));
    if (!w->row_scratch) {
        free(needed);
        return -1;
    }

    /* the steps */
    w->n_steps = 0;
    add_step(w, LESSON_PHASE_INTRO, -1, -1);
    mark_needed(w, needed, l->loss);
    mark_needed(w, needed, l->metric);
    for (int id = 0; id < count; id++)
        if (needed[id] && graph_node_at(g, id)->op != GRAPH_OP_LEAF) {
            w->forward_at[id] = w->n_steps;
            add_step(w, LESSON_PHASE_FORWARD, id, -1);
        }
    int tape_len = 0;
    const int *tape = NULL;
    if (l->loss >= 0) {
        graph_forward(g);
        graph_zero_grad(g);
        graph_backward(g, l->loss);
        tape = graph_tape(g, &tape_len);
    }
    /* A node the loss's backward pass never reaches (a metric, and what only it uses) gets no gradient,
     * whatever it is computed from: nothing flows back through it. */
    char *on_tape = calloc(c, 1);
    if (!on_tape) {
        free(needed);
        return -1;
    }
    for (int t = 0; t < tape_len; t++)
        on_tape[tape[t]] = 1;
    for (int id = 0; id < count; id++)
        if (!on_tape[id])
            w->needs_grad[id] = 0;
    free(on_tape);
    for (int t = 0; t < tape_len; t++) {
        int id = tape[t];
        const graph_node *n = graph_node_at(g, id);
        if (n->op == GRAPH_OP_LEAF || !w->needs_grad[id])
            continue;
        for (int k = 0; k < 2; k++)
            if (n->src[k] >= 0 && w->needs_grad[n->src[k]]) {
                w->local_at[2 * id + k] = w->n_steps;
                add_step(w, LESSON_PHASE_LOCAL, id, k);
            }
    }
    for (int t = 0; t < tape_len; t++)
        if (w->needs_grad[tape[t]]) {
            w->chain_at[tape[t]] = w->n_steps;
            add_step(w, LESSON_PHASE_CHAIN, tape[t], -1);
        }
    for (int p = 0; p < w->n_param; p++) {
        w->update_at[w->param[p]] = w->n_steps;
        add_step(w, LESSON_PHASE_UPDATE, w->param[p], -1);
    }
    add_step(w, LESSON_PHASE_EPOCH, -1, -1);
    free(needed);

    for (int p = 0; p < LESSON_PHASE_COUNT; p++)
        w->phase_first[p] = -1, w->phase_count[p] = 0;
    for (int k = w->n_steps - 1; k >= 0; k--) {
        w->phase_first[w->steps[k].phase] = k;
        w->phase_count[w->steps[k].phase]++;
    }

    /* the starting point: the lesson's numbers, with no gradient yet */
    graph_zero_grad(g);
    w->n_saved = w->n_rows = 0;
    if (push_saved(w))
        return -1;
    w->epoch = 1;
    w->index = 0;
    enter_epoch(w);
    return 0;
}

walk *walk_new(lesson *l)
{
    walk *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->l = l;
    w->zero_grad = 1;
    if (walk_rebuild(w)) {
        walk_free(w);
        return NULL;
    }
    return w;
}

void walk_free(walk *w)
{
    if (!w)
        return;
    free_tables(w);
    free(w->saved);
    free(w->rows);
    free(w->edits);
    free(w->narration);
    free(w);
}

/* ---------------------------------------------------------------- where we are ---------------- */

int walk_epoch(const walk *w) { return w->epoch; }
int walk_index(const walk *w) { return w->index; }
int walk_count(const walk *w) { return w->n_steps; }
const walk_step *walk_step_at(const walk *w, int k) { return k >= 0 && k < w->n_steps ? &w->steps[k] : NULL; }
const walk_step *walk_current(const walk *w) { return &w->steps[w->index]; }

void walk_phase_position(const walk *w, int *k, int *n)
{
    enum lesson_phase p = w->steps[w->index].phase;
    *k = w->index - w->phase_first[p] + 1;
    *n = w->phase_count[p];
}

/* ---------------------------------------------------------------- moving ---------------------- */

static double printed_loss(const walk *w)
{
    int id = w->l->metric >= 0 ? w->l->metric : w->l->loss;
    return id >= 0 ? node(w, id)->value[0] : NAN;
}

/* The current epoch's history row, as it will be kept: the printed loss, each parameter after the
 * update, each gradient. */
static void fill_row(const walk *w, double *r)
{
    r[0] = printed_loss(w);
    for (int p = 0; p < w->n_param; p++) {
        r[1 + p] = graph_sgd_update(w->l->g, w->param[p], 0, w->l->lr);
        r[1 + w->n_param + p] = node(w, w->param[p])->grad[0];
    }
}

/* Leave the EPOCH step: keep the row, take the step, begin the next epoch. */
static int begin_next_epoch(walk *w)
{
    if (grow((void **)&w->rows, &w->cap_rows, (w->n_rows + 1) * row_stride(w), sizeof(double)))
        return 0;
    fill_row(w, w->rows + (size_t)w->n_rows * row_stride(w));
    w->n_rows++;
    graph_sgd_step(w->l->g, w->l->lr);
    if (push_saved(w)) {
        w->n_rows--;
        return 0;
    }
    w->epoch++;
    w->index = 0;
    enter_epoch(w);
    return 1;
}

/* Undo the input changes made in epoch `from` or later, newest first. */
static void undo_edits(walk *w, int from)
{
    for (; w->n_edits > 0 && w->edits[w->n_edits - 1].epoch >= from; w->n_edits--) {
        const struct input_edit *e = &w->edits[w->n_edits - 1];
        graph_set_data(w->l->g, e->id, e->index, e->old);
    }
}

/* Going back past an epoch's start undoes what was changed in it: parameters live in its saved copy, which
 * is dropped, and inputs in the edit log. */
static void back_to_previous_epoch(walk *w)
{
    undo_edits(w, w->epoch);
    w->n_saved--;
    w->n_rows--;
    w->epoch--;
    w->index = w->n_steps - 1;
    enter_epoch(w);
}

int walk_next(walk *w)
{
    if (w->index + 1 < w->n_steps) {
        w->index++;
        return 1;
    }
    return begin_next_epoch(w);
}

int walk_prev(walk *w)
{
    if (w->index > 0) {
        w->index--;
        return 1;
    }
    if (w->epoch == 1)
        return 0;
    back_to_previous_epoch(w);
    return 1;
}

int walk_next_phase(walk *w)
{
    enum lesson_phase p = w->steps[w->index].phase;
    for (int k = w->index + 1; k < w->n_steps; k++)
        if (w->steps[k].phase != p) {
            w->index = k;
            return 1;
        }
    w->index = w->n_steps - 1;
    return begin_next_epoch(w);
}

int walk_prev_phase(walk *w)
{
    int first = w->phase_first[w->steps[w->index].phase];
    if (w->index > first) {
        w->index = first;
        return 1;
    }
    if (w->index == 0) {
        if (w->epoch == 1)
            return 0;
        back_to_previous_epoch(w);
    } else {
        w->index--;
    }
    w->index = w->phase_first[w->steps[w->index].phase];
    return 1;
}

int walk_jump(walk *w, int k)
{
    if (k < 0 || k >= w->n_steps || k == w->index)
        return 0;
    w->index = k;
    return 1;
}

int walk_finish_epoch(walk *w) { return walk_jump(w, w->n_steps - 1); }

int walk_train(walk *w, int epochs)
{
    int done = 0;
    for (; done < epochs; done++) {
        w->index = w->n_steps - 1;
        if (!begin_next_epoch(w))
            break;
    }
    return done;
}

int walk_reset(walk *w)
{
    if (w->epoch == 1 && w->index == 0 && w->n_edits == 0)
        return 0;
    undo_edits(w, 1);
    w->n_saved = 1;
    w->n_rows = 0;
    w->epoch = 1;
    w->index = 0;
    enter_epoch(w);
    return 1;
}

/* ---------------------------------------------------------------- changing the model ---------- */

int walk_set_data(walk *w, int id, int index, double v)
{
    const graph_node *n = node(w, id);
    if (!n || !n->data || n->role == GRAPH_CONST || index < 0 || index >= n->len)
        return -1;
    if (n->role == GRAPH_PARAM) {
        /* change this epoch's starting copy, so the epoch is recomputed from it */
        double *s = w->saved + (size_t)(w->epoch - 1) * saved_stride(w);
        for (int p = 0, k = 0; p < w->n_param; k += node(w, w->param[p])->len, p++)
            if (w->param[p] == id)
                s[k + index] = v;
    } else {
        if (grow((void **)&w->edits, &w->cap_edits, w->n_edits + 1, sizeof *w->edits))
            return -1;
        w->edits[w->n_edits++] = (struct input_edit){ w->epoch, id, index, n->data[index] };
        graph_set_data(w->l->g, id, index, v);
    }
    enter_epoch(w);
    return 0;
}

void walk_set_lr(walk *w, double lr) { w->l->lr = lr; }

void walk_set_zero_grad(walk *w, int on)
{
    w->zero_grad = on != 0;
    enter_epoch(w);
}

int walk_zero_grad(const walk *w) { return w->zero_grad; }

/* ---------------------------------------------------------------- what is revealed ------------ */

static int done(const walk *w, int at) { return at >= 0 && at <= w->index; }

int walk_value_known(const walk *w, int id)
{
    const graph_node *n = node(w, id);
    if (!n)
        return 0;
    if (n->op == GRAPH_OP_LEAF)
        return 1;
    if (w->forward_at[id] >= 0)
        return done(w, w->forward_at[id]);
    return w->index >= w->phase_first[LESSON_PHASE_LOCAL]; /* a node no step computes */
}

int walk_grad_known(const walk *w, int id) { return node(w, id) && done(w, w->chain_at[id]); }

int walk_local_known(const walk *w, int id, int k)
{
    return node(w, id) && k >= 0 && k < 2 && done(w, w->local_at[2 * id + k]);
}

int walk_needs_grad(const walk *w, int id) { return node(w, id) && w->needs_grad[id]; }

int walk_is_active(const walk *w, int id) { return id >= 0 && w->steps[w->index].node == id; }

double walk_value(const walk *w, int id, int i)
{
    const graph_node *n = node(w, id);
    if (!n || i < 0 || i >= n->len)
        return NAN;
    if (n->role == GRAPH_PARAM)
        return done(w, w->update_at[id]) ? graph_sgd_update(w->l->g, id, i, w->l->lr) : n->data[i];
    return n->value[i];
}

/* ---------------------------------------------------------------- history --------------------- */

int walk_history_count(const walk *w) { return w->n_rows + (w->index == w->n_steps - 1); }

const walk_row *walk_history_at(const walk *w, int k)
{
    walk *mw = (walk *)w; /* the scratch row is a cache, not state */
    const double *r;
    if (k >= 0 && k < w->n_rows) {
        r = w->rows + (size_t)k * row_stride(w);
    } else if (k == w->n_rows && w->index == w->n_steps - 1) {
        fill_row(w, mw->row_scratch);
        r = w->row_scratch;
    } else {
        return NULL;
    }
    mw->row = (walk_row){ .epoch = k + 1, .loss = r[0], .param = r + 1, .grad = r + 1 + w->n_param };
    return &w->row;
}

int walk_param_count(const walk *w) { return w->n_param; }
int walk_param_id(const walk *w, int k) { return k >= 0 && k < w->n_param ? w->param[k] : -1; }

/* ---------------------------------------------------------------- numbers as text ------------- */

int walk_format_number(double v, char *buf, size_t n) { return walk_format_digits(v, 6, buf, n); }

int walk_format_digits(double v, int digits, char *buf, size_t n)
{
    char tmp[64];
    if (digits < 1 || digits > 17)
        digits = 6;
    if (isnan(v))
        return snprintf(buf, n, "nan");
    if (isinf(v))
        return snprintf(buf, n, "%sinf", v < 0 ? "\u2212" : "");
    if (v == 0)
        v = 0; /* no "−0" */
    snprintf(tmp, sizeof tmp, "%.*g", digits, v);
    /* "-1.5e-05" → "−1.5e−5": a true minus sign, no '+' and no leading zeros in the exponent */
    size_t used = 0;
    for (const char *p = tmp; *p; p++) {
        if (*p == '-') {
            put(buf, n, &used, "\u2212");
        } else if (*p == 'e') {
            put(buf, n, &used, "e");
            if (p[1] == '+')
                p++;
            else if (p[1] == '-')
                put(buf, n, &used, "\u2212"), p++;
            while (p[1] == '0' && p[2])
                p++;
        } else {
            put(buf, n, &used, "%c", *p);
        }
    }
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}

/* A list of len numbers, v(i), as "x" or "[a, b, c]"; long lists keep the first three and the last two. */
static void put_list(char *buf, size_t n, size_t *used, int len, double (*v)(const void *, int),
                     const void *ctx)
{
    char num[64];
    if (len == 1) {
        walk_format_number(v(ctx, 0), num, sizeof num);
        put(buf, n, used, "%s", num);
        return;
    }
    put(buf, n, used, "[");
    for (int i = 0; i < len; i++) {
        if (len > 6 && i == 3) {
            put(buf, n, used, ", \u2026");
            i = len - 2;
        }
        walk_format_number(v(ctx, i), num, sizeof num);
        put(buf, n, used, "%s%s", i ? ", " : "", num);
    }
    put(buf, n, used, "]");
}

struct node_ctx { const walk *w; int id; };
static double value_of(const void *ctx, int i)
{
    const struct node_ctx *c = ctx;
    return walk_value(c->w, c->id, i);
}
static double grad_of(const void *ctx, int i)
{
    const struct node_ctx *c = ctx;
    return node(c->w, c->id)->grad[i];
}

struct kept_ctx { const double *v; };
static double kept_of(const void *ctx, int i) { return ((const struct kept_ctx *)ctx)->v[i]; }

int walk_format_values(const walk *w, int id, char *buf, size_t n)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    if (!node(w, id))
        return 0;
    put_list(buf, n, &used, node(w, id)->len, value_of, &(struct node_ctx){ w, id });
    return (int)used;
}

static void put_values(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    put_list(buf, n, used, node(w, id)->len, value_of, &(struct node_ctx){ w, id });
}

static void put_grads(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    put_list(buf, n, used, node(w, id)->len, grad_of, &(struct node_ctx){ w, id });
}

/* ---------------------------------------------------------------- names and formulas ---------- */

int walk_node_name(const walk *w, int id, char *buf, size_t n)
{
    const lesson_name *nm = lesson_node_name(w->l, id);
    if (n)
        buf[0] = '\0';
    if (nm)
        return snprintf(buf, n, "%s", lesson_display(nm));
    const graph_node *gn = node(w, id);
    if (gn && gn->role == GRAPH_CONST)
        return walk_format_number(gn->value[0], buf, n);
    return gn ? lesson_formula(w->l, id, buf, n) : 0;
}

/* A name inside ∂…/∂…: a compound formula gets parentheses, "∂(s^2)/∂s". */
static void put_name(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    char name[256];
    walk_node_name(w, id, name, sizeof name);
    const graph_node *gn = node(w, id);
    int compound = !lesson_node_name(w->l, id) && gn->op != GRAPH_OP_LEAF &&
                   graph_op_form(gn->op) != GRAPH_FORM_CALL;
    put(buf, n, used, compound ? "(%s)" : "%s", name);
}

static void put_partial(const walk *w, int of, int by, char *buf, size_t n, size_t *used)
{
    put(buf, n, used, "\u2202");
    put_name(w, of, buf, n, used);
    put(buf, n, used, "/\u2202");
    put_name(w, by, buf, n, used);
}

/* An operand written with numbers: its values, in parentheses when a minus sign would read as an
 * operator (anywhere but the left of + and −). */
static void put_operand(const walk *w, int id, int bare, char *buf, size_t n, size_t *used)
{
    char v[512];
    walk_format_values(w, id, v, sizeof v);
    int negative = strncmp(v, "\u2212", strlen("\u2212")) == 0;
    put(buf, n, used, negative && !bare ? "(%s)" : "%s", v);
}

/* op(a, b) with numbers substituted: "0 − 4", "(−4)^2", "mean([4, 16])". */
static void put_numeric_op(const walk *w, const graph_node *gn, char *buf, size_t n, size_t *used)
{
    const char *sym = graph_op_symbol(gn->op);
    switch (graph_op_form(gn->op)) {
    case GRAPH_FORM_INFIX: {
        int left_bare = gn->op == GRAPH_OP_ADD || gn->op == GRAPH_OP_SUB;
        int tight = gn->op == GRAPH_OP_MUL || gn->op == GRAPH_OP_POW;
        put_operand(w, gn->src[0], left_bare, buf, n, used);
        put(buf, n, used, tight ? "%s" : " %s ", sym);
        put_operand(w, gn->src[1], 0, buf, n, used);
        break;
    }
    case GRAPH_FORM_PREFIX:
        put(buf, n, used, "%s", sym);
        put_operand(w, gn->src[0], 0, buf, n, used);
        break;
    case GRAPH_FORM_CALL:
        put(buf, n, used, "%s(", sym);
        put_operand(w, gn->src[0], 1, buf, n, used);
        put(buf, n, used, ")");
        break;
    case GRAPH_FORM_LEAF:
        break;
    }
}

/*
 * The local gradient of each operation, as the blackboard writes it, per input. %a and %b stand for the
 * inputs, %o for the node itself, %n for the number of elements a reduction reads. A constant exponent
 * is handled in local_text() (2·s rather than 2·s^(2−1)). ORDER OP.
 */
static const char *const local_forms[GRAPH_OP_COUNT][2] = {
    [GRAPH_OP_ADD] = { "1", "1" },
    [GRAPH_OP_SUB] = { "1", "\u22121" },
    [GRAPH_OP_MUL] = { "%b", "%a" },
    [GRAPH_OP_DIV] = { "1/%b", "\u2212%a/%b^2" },
    [GRAPH_OP_NEG] = { "\u22121", NULL },
    [GRAPH_OP_POW] = { "%b\u00b7%a^(%b\u22121)", "%o\u00b7log(%a)" },
    [GRAPH_OP_EXP] = { "%o", NULL },
    [GRAPH_OP_LOG] = { "1/%a", NULL },
    [GRAPH_OP_TANH] = { "1 \u2212 %o^2", NULL },
    [GRAPH_OP_SIGMOID] = { "%o\u00b7(1 \u2212 %o)", NULL },
    [GRAPH_OP_RELU] = { "(1 if %a > 0, else 0)", NULL },
    [GRAPH_OP_SUM] = { "1", NULL },
    [GRAPH_OP_MEAN] = { "1/%n", NULL },
};

/* Expand a local form with names (numbers = 0) or with values (numbers = 1). */
static void put_form(const walk *w, const graph_node *gn, int id, const char *form, int numbers, char *buf,
                     size_t n, size_t *used)
{
    for (const char *p = form; *p; p++) {
        if (*p != '%' || !p[1]) {
            put(buf, n, used, "%c", *p);
            continue;
        }
        p++;
        int target = *p == 'a' ? gn->src[0] : *p == 'b' ? gn->src[1] : *p == 'o' ? id : -1;
        if (*p == 'n') {
            put(buf, n, used, "%d", node(w, gn->src[0])->len);
        } else if (target >= 0 && numbers) {
            put_operand(w, target, p == form + 1, buf, n, used);
        } else if (target >= 0) {
            put_name(w, target, buf, n, used);
        }
    }
}

/* The local gradient ∂node/∂input k written out: "2·s = 2·(−4)", or just "1". */
static void local_text(const walk *w, int id, int k, char *buf, size_t n, size_t *used)
{
    const graph_node *gn = node(w, id);
    const char *form = local_forms[gn->op][k];
    char text[256];
    if (gn->op == GRAPH_OP_POW && k == 0 && node(w, gn->src[1])->role == GRAPH_CONST) {
        double c = node(w, gn->src[1])->value[0];
        char cs[64], c1[64];
        walk_format_number(c, cs, sizeof cs);
        walk_format_number(c - 1, c1, sizeof c1);
        snprintf(text, sizeof text, c == 1 ? "1" : c == 2 ? "%s\u00b7%%a" : "%s\u00b7%%a^%s", cs, c1);
        form = text;
    }
    if (!form)
        return;
    char names[512], numbers[512];
    size_t a = 0, b = 0;
    put_form(w, gn, id, form, 0, names, sizeof names, &a);
    put_form(w, gn, id, form, 1, numbers, sizeof numbers, &b);
    put(buf, n, used, "%s", names);
    if (strcmp(names, numbers) != 0)
        put(buf, n, used, " = %s", numbers);
}

/* The local gradient's numbers, one per element it has. */
static int local_len(const walk *w, int id)
{
    const graph_node *gn = node(w, id);
    return gn->op == GRAPH_OP_SUM || gn->op == GRAPH_OP_MEAN ? node(w, gn->src[0])->len : gn->len;
}

struct local_ctx { const walk *w; int id, k; };
static double local_of(const void *ctx, int i)
{
    const struct local_ctx *c = ctx;
    return graph_local_grad(c->w->l->g, c->id, c->k, i);
}

static void put_local_values(const walk *w, int id, int k, char *buf, size_t n, size_t *used)
{
    put_list(buf, n, used, local_len(w, id), local_of, &(struct local_ctx){ w, id, k });
}

static int loss_id(const walk *w) { return w->l->loss; }

/* ---------------------------------------------------------------- the text of a step ---------- */

static void forward_formula(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    const lesson_name *nm = lesson_node_name(w->l, id);
    char f[512], num[1024];
    lesson_formula(w->l, id, f, sizeof f);
    if (nm)
        put(buf, n, used, "%s = ", lesson_display(nm));
    put(buf, n, used, "%s = ", f);
    size_t k = 0;
    put_numeric_op(w, node(w, id), num, sizeof num, &k);
    char result[512];
    walk_format_values(w, id, result, sizeof result);
    if (strcmp(num, result) != 0)
        put(buf, n, used, "%s = ", num);
    put(buf, n, used, "%s", result);
}

struct term { int c, k; }; /* a consumer c of the node, through its input k */

/* One term of the chain rule, in symbols ("∂L/∂ŷ · ∂ŷ/∂w", "Σ …" over a broadcast) or in numbers. */
static void put_term(const walk *w, int id, struct term t, int numbers, char *buf, size_t n, size_t *used)
{
    int broadcast = node(w, id)->len == 1 && local_len(w, t.c) > 1;
    if (!numbers) {
        put(buf, n, used, broadcast ? "\u03a3 " : "");
        put_partial(w, loss_id(w), t.c, buf, n, used);
        put(buf, n, used, " \u00b7 ");
        put_partial(w, t.c, id, buf, n, used);
        return;
    }
    char up[512], loc[512];
    size_t a = 0, b = 0;
    put_grads(w, t.c, up, sizeof up, &a);
    put_local_values(w, t.c, t.k, loc, sizeof loc, &b);
    put(buf, n, used, broadcast ? "\u03a3(" : "");
    put(buf, n, used, strncmp(up, "\u2212", 3) == 0 ? "(%s)" : "%s", up);
    put(buf, n, used, "\u00b7");
    put(buf, n, used, strncmp(loc, "\u2212", 3) == 0 ? "(%s)" : "%s", loc);
    put(buf, n, used, broadcast ? ")" : "");
}

enum { TERMS_SHOWN = 6 }; /* more than this, and the middle ones are counted, not written */

/*
 * "∂L/∂ŷ = ∂L/∂s · ∂s/∂ŷ = (−8)·1 = −8": the sum over the nodes this one feeds, then the core's gradient.
 * A parameter whose .grad was not cleared (zerograd off) starts from what it held: "w.grad + …".
 */
static void chain_formula(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    int L = loss_id(w);
    put_partial(w, L, id, buf, n, used);
    if (id == L) {
        put(buf, n, used, " = 1");
        return;
    }
    int tape_len, nt = 0;
    const int *tape = graph_tape(w->l->g, &tape_len);
    struct term shown[TERMS_SHOWN];
    for (int t = 0; t < tape_len; t++) {
        const graph_node *c = node(w, tape[t]);
        if (c->op == GRAPH_OP_LEAF || !w->needs_grad[tape[t]])
            continue;
        for (int k = 0; k < 2; k++)
            if (c->src[k] == id) {
                /* keep the first TERMS_SHOWN − 1 and the last */
                shown[nt < TERMS_SHOWN ? nt : TERMS_SHOWN - 1] = (struct term){ tape[t], k };
                nt++;
            }
    }
    const graph_node *gn = node(w, id);
    const double *kept = !w->zero_grad ? kept_grad(w, id) : NULL;
    int any_kept = 0;
    for (int i = 0; kept && i < gn->len; i++)
        any_kept |= kept[i] != 0;
    char name[128];
    walk_node_name(w, id, name, sizeof name);
    for (int numbers = 0; numbers < 2; numbers++) {
        put(buf, n, used, " = ");
        if (any_kept && !numbers)
            put(buf, n, used, "%s.grad + ", name);
        if (any_kept && numbers) {
            char k[512];
            size_t ku = 0;
            put_list(k, sizeof k, &ku, gn->len, kept_of, &(struct kept_ctx){ kept });
            put(buf, n, used, "%s + ", k);
        }
        for (int t = 0; t < (nt < TERMS_SHOWN ? nt : TERMS_SHOWN); t++) {
            if (t == TERMS_SHOWN - 1 && nt > TERMS_SHOWN)
                put(buf, n, used, " + \u2026 (%d more)", nt - TERMS_SHOWN);
            put(buf, n, used, t ? " + " : "");
            put_term(w, id, shown[t], numbers, buf, n, used);
        }
    }
    put(buf, n, used, " = ");
    put_grads(w, id, buf, n, used);
}

static double data_of(const void *ctx, int i)
{
    const struct node_ctx *c = ctx;
    return node(c->w, c->id)->data[i];
}
static double updated_of(const void *ctx, int i)
{
    const struct node_ctx *c = ctx;
    return graph_sgd_update(c->w->l->g, c->id, i, c->w->l->lr);
}

/* "w ← w − η·∂L/∂w = 0 − 0.01·(−16) = 0.16" */
static void update_formula(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    const graph_node *gn = node(w, id);
    struct node_ctx ctx = { w, id };
    char name[128], part[1024], lr[64];
    walk_node_name(w, id, name, sizeof name);
    put(buf, n, used, "%s \u2190 %s \u2212 \u03b7\u00b7", name, name);
    put_partial(w, loss_id(w), id, buf, n, used);
    put(buf, n, used, " = ");
    put_list(buf, n, used, gn->len, data_of, &ctx);
    walk_format_number(w->l->lr, lr, sizeof lr);
    size_t k = 0;
    put_list(part, sizeof part, &k, gn->len, grad_of, &ctx);
    put(buf, n, used, " \u2212 %s\u00b7", lr);
    put(buf, n, used, strncmp(part, "\u2212", 3) == 0 ? "(%s)" : "%s", part);
    put(buf, n, used, " = ");
    put_list(buf, n, used, gn->len, updated_of, &ctx);
}

int walk_step_formula(const walk *w, char *buf, size_t n)
{
    const walk_step *s = walk_current(w);
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    char num[64];
    switch (s->phase) {
    case LESSON_PHASE_INTRO:
        put(buf, n, &used, "epoch %d", w->epoch);
        for (int p = 0; p < w->n_param; p++) {
            char name[128];
            walk_node_name(w, w->param[p], name, sizeof name);
            put(buf, n, &used, ", %s = ", name);
            put_values(w, w->param[p], buf, n, &used);
        }
        walk_format_number(w->l->lr, num, sizeof num);
        put(buf, n, &used, ", \u03b7 = %s", num);
        break;
    case LESSON_PHASE_FORWARD:
        forward_formula(w, s->node, buf, n, &used);
        break;
    case LESSON_PHASE_LOCAL: {
        const graph_node *gn = node(w, s->node);
        put_partial(w, s->node, gn->src[s->input], buf, n, &used);
        put(buf, n, &used, " = ");
        char loc[1024];
        size_t k = 0;
        local_text(w, s->node, s->input, loc, sizeof loc, &k);
        char val[512];
        k = 0;
        put_local_values(w, s->node, s->input, val, sizeof val, &k);
        if (strcmp(loc, val) == 0 || loc[0] == '\0') {
            put(buf, n, &used, "%s", val);
        } else {
            /* "2·s = 2·(−4)" then "= −8"; skip the last if it repeats */
            const char *last = strrchr(loc, '=');
            put(buf, n, &used, "%s", loc);
            if (!last || strcmp(last + 2, val) != 0)
                put(buf, n, &used, " = %s", val);
        }
        break;
    }
    case LESSON_PHASE_CHAIN:
        chain_formula(w, s->node, buf, n, &used);
        break;
    case LESSON_PHASE_UPDATE:
        update_formula(w, s->node, buf, n, &used);
        break;
    case LESSON_PHASE_EPOCH:
        used += (size_t)lesson_format_row(w->l, w->epoch, printed_loss(w), 1, buf, n);
        break;
    case LESSON_PHASE_COUNT:
        break;
    }
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}

int walk_step_question(const walk *w, char *buf, size_t n)
{
    enum lesson_phase p = walk_current(w)->phase;
    if (n)
        buf[0] = '\0';
    if (p == LESSON_PHASE_INTRO || p == LESSON_PHASE_EPOCH || n == 0)
        return 0;
    char *full = malloc(n + 8);
    if (!full)
        return 0;
    walk_step_formula(w, full, n + 8);
    /* the result is what follows the last " = " (a true minus or a bracket may start it, never " = ") */
    char *last = NULL;
    for (char *p2 = strstr(full, " = "); p2; p2 = strstr(p2 + 3, " = "))
        last = p2;
    int k = last ? snprintf(buf, n, "%.*s = ?", (int)(last - full), full) : snprintf(buf, n, "%s = ?", full);
    free(full);
    return k;
}

static const char *const phase_titles[LESSON_PHASE_COUNT] = {
    [LESSON_PHASE_INTRO] = "Epoch start",     [LESSON_PHASE_FORWARD] = "Forward pass",
    [LESSON_PHASE_LOCAL] = "Local gradients", [LESSON_PHASE_CHAIN] = "Chain rule",
    [LESSON_PHASE_UPDATE] = "Update",         [LESSON_PHASE_EPOCH] = "End of epoch",
};

const char *walk_phase_title(enum lesson_phase p)
{
    return (int)p >= 0 && p < LESSON_PHASE_COUNT ? phase_titles[p] : "";
}

const char *walk_step_narration(const walk *w)
{
    const walk_step *s = walk_current(w);
    /* A phase's narration names the first epoch's numbers, so it is told in the first epoch only. */
    const char *phase = w->epoch == 1 && w->index == w->phase_first[s->phase] ? w->l->say[s->phase] : NULL;
    const lesson_name *nm = s->phase == LESSON_PHASE_FORWARD ? lesson_node_name(w->l, s->node) : NULL;
    const char *node = nm ? nm->explain : NULL;
    if (!phase || !node)
        return phase ? phase : node ? node : "";
    walk *mw = (walk *)w; /* the scratch text is a cache, not state */
    size_t n = strlen(phase) + strlen(node) + 2;
    char *text = realloc(mw->narration, n);
    if (!text)
        return phase;
    snprintf(text, n, "%s\n%s", phase, node);
    mw->narration = text;
    return text;
}

const char *walk_step_pytorch(const walk *w)
{
    const walk_step *s = walk_current(w);
    switch (s->phase) {
    case LESSON_PHASE_INTRO:
        return w->zero_grad ? "optimizer.zero_grad()" : "# optimizer.zero_grad()   (skipped)";
    case LESSON_PHASE_FORWARD:
        return w->criterion[s->node] ? "loss = criterion(output, target)" : "output = model(x)";
    case LESSON_PHASE_LOCAL:
    case LESSON_PHASE_CHAIN:
        return "loss.backward()";
    case LESSON_PHASE_UPDATE:
        return "optimizer.step()";
    case LESSON_PHASE_EPOCH:
        return "print(f\"epoch: {epoch}, loss: {loss.item():.8f}\")";
    case LESSON_PHASE_COUNT:
        break;
    }
    return "";
}

/* The first node whose value (grads = 0) or gradient (grads = 1) holds something that is not a finite
 * number, or −1. A parameter's stored value counts as its value. */
static int first_not_finite(const walk *w, int grads)
{
    const graph *g = w->l->g;
    for (int id = 0; id < graph_count(g); id++) {
        const graph_node *n = graph_node_at(g, id);
        for (int i = 0; i < n->len; i++)
            if (grads ? !isfinite(n->grad[i]) : !isfinite(n->value[i]) || (n->data && !isfinite(n->data[i])))
                return id;
    }
    return -1;
}

int walk_step_note(const walk *w, char *buf, size_t n)
{
    const walk_step *s = walk_current(w);
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    /*
     * Past the first epoch, numbers that stop being finite come from the updates: training diverged. In the
     * first epoch they come from the model and its starting numbers (a log of 0, a division by 0, an
     * overflow), and are told once the step that computes them is reached.
     */
    int bad_value = first_not_finite(w, 0), bad_grad = first_not_finite(w, 1);
    int bad = bad_value >= 0 ? bad_value : bad_grad;
    char name[128], lr[64], v[64];
    if (bad >= 0)
        walk_node_name(w, bad, name, sizeof name);
    if (bad >= 0 && w->epoch > 1) {
        walk_format_number(w->l->lr, lr, sizeof lr);
        put(buf, n, &used, "Training diverged: %s is no longer a finite number. "
                           "With \u03b7 = %s each update overshoots the minimum by more than it gains.",
            name, lr);
    } else if (bad_value >= 0 && walk_value_known(w, bad_value)) {
        walk_format_number(walk_value(w, bad_value, 0), v, sizeof v);
        for (int i = 0; i < node(w, bad_value)->len && isfinite(walk_value(w, bad_value, 0)); i++)
            if (!isfinite(walk_value(w, bad_value, i)))
                walk_format_number(walk_value(w, bad_value, i), v, sizeof v);
        put(buf, n, &used, "%s is %s here: a log of 0 or less, a division by 0 or an overflow. Nothing "
                           "computed from it is a number either.", name, v);
    } else if (bad_value < 0 && bad_grad >= 0 && walk_grad_known(w, bad_grad)) {
        put(buf, n, &used, "∂L/∂%s is not a finite number: a slope of a log at 0, or of a square root of 0, "
                           "is infinite.", name);
    } else if (!w->zero_grad && w->epoch > 1 && s->node >= 0 && node(w, s->node)->role == GRAPH_PARAM &&
               (s->phase == LESSON_PHASE_CHAIN || s->phase == LESSON_PHASE_UPDATE)) {
        char before[64], name[128];
        walk_format_number(kept_grad(w, s->node)[0], before, sizeof before);
        walk_node_name(w, s->node, name, sizeof name);
        put(buf, n, &used, "zero_grad is off: %s.grad still held %s from the last epoch, and backward "
                           "adds this epoch's gradient to it.", name, before);
    }
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}

int walk_step_text(const walk *w, char *buf, size_t n)
{
    const walk_step *s = walk_current(w);
    size_t used = 0;
    int k, count;
    walk_phase_position(w, &k, &count);
    if (n)
        buf[0] = '\0';
    put(buf, n, &used, "Epoch %d \u00b7 %s", w->epoch, walk_phase_title(s->phase));
    if (count > 1)
        put(buf, n, &used, " %d/%d", k, count);
    put(buf, n, &used, " \u00b7 step %d of %d\n", w->index + 1, w->n_steps);
    char line[4096];
    walk_step_formula(w, line, sizeof line);
    put(buf, n, &used, "%s\n", line);
    const char *say = walk_step_narration(w);
    if (*say)
        put(buf, n, &used, "%s\n", say);
    if (walk_step_note(w, line, sizeof line))
        put(buf, n, &used, "Note: %s\n", line);
    put(buf, n, &used, "PyTorch: %s\n", walk_step_pytorch(w));
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}
