/*
 * walk.c — the walkthrough's state machine (see walk.h): the steps of an epoch, moving among them, what each
 * has revealed, the snapshots that make moving back exact, and the history. The text of a step is in
 * walk_text.c; what the two share is in walk_int.h.
 *
 * State: the epoch, the step within it, and one snapshot per epoch begun of what training changes (the
 * core's graph_snapshot: parameters' numbers and the leaves' accumulated gradients). Entering an epoch
 * restores its snapshot and runs the core's pass (zero_grad, forward, backward); leaving it takes the SGD
 * step, the same two calls an epoch of --train makes. The steps then only decide what is shown, so stepping
 * back is exact: it is the same computation from the same saved numbers.
 */
#include "walk.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "graph.h"
#include "walk_int.h"

/* A history row: the printed loss, each parameter after the update, each gradient. */
static size_t row_stride(const walk *w) { return 1 + 2 * (size_t)w->n_param; }

static int grow(void **p, int *cap, size_t need, size_t elem)
{
    if (need <= (size_t)*cap)
        return 0;
    size_t cap2 = *cap ? (size_t)*cap : 8;
    while (cap2 < need)
        cap2 *= 2;
    if (cap2 > INT_MAX)
        return -1;
    void *q = realloc(*p, cap2 * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = (int)cap2;
    return 0;
}

/* ---------------------------------------------------------------- saving and entering epochs -- */

static double *saved_at(const walk *w, int epoch) { return w->saved + (size_t)(epoch - 1) * w->snapshot_size; }

const double *walk_kept_grad(const walk *w, int id)
{
    const graph_node *n = walk_node(w, id);
    return n && n->role == GRAPH_PARAM ? graph_snapshot_grad(w->l->g, saved_at(w, w->epoch), id) : NULL;
}

static int push_saved(walk *w)
{
    size_t need = (size_t)(w->n_saved + 1) * w->snapshot_size + 1;
    if (grow((void **)&w->saved, &w->cap_saved, need, sizeof(double)))
        return -1;
    w->n_saved++;
    graph_snapshot(w->l->g, saved_at(w, w->n_saved));
    return 0;
}

/* Run the epoch's passes from its snapshot: zero_grad (unless switched off), forward, backward. */
static void enter_epoch(walk *w)
{
    graph_restore(w->l->g, saved_at(w, w->epoch));
    if (w->training) /* only its history row and its snapshot are read: the loss, the metric, the leaves' gradients */
        graph_train_pass(w->l->g, w->l->loss, w->l->metric, w->zero_grad, 1);
    else
        graph_pass(w->l->g, w->l->loss, w->zero_grad);
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
    const graph_node *n = walk_node(w, id);
    mark_needed(w, needed, n->src[0]);
    mark_needed(w, needed, n->src[1]);
}

/*
 * Which forward steps are PyTorch's `loss = criterion(output, target)` rather than `output = model(x)`:
 * the target is an input that meets a computed prediction (an operation computed from a parameter), as y
 * meets ŷ in s = ŷ − y; every node computed from a target belongs to the criterion.
 */
static void find_criterion(walk *w)
{
    const graph *g = w->l->g;
    int count = graph_count(g);
    for (int id = 0; id < count; id++) {
        const graph_node *n = walk_node(w, id);
        if (n->op == GRAPH_OP_LEAF || n->src[1] < 0)
            continue;
        for (int k = 0; k < 2; k++) {
            const graph_node *mine = walk_node(w, n->src[k]), *other = walk_node(w, n->src[1 - k]);
            if (mine->role == GRAPH_INPUT && other->op != GRAPH_OP_LEAF && graph_from_param(g, n->src[1 - k]))
                w->criterion[n->src[k]] = 1;
        }
    }
    for (int id = 0; id < count; id++) {
        const graph_node *n = walk_node(w, id);
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
    free(w->criterion);
    free(w->param);
    free(w->row_scratch);
    w->steps = NULL;
    w->forward_at = w->chain_at = w->update_at = w->local_at = w->param = NULL;
    w->criterion = NULL;
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
    w->criterion = calloc(c, 1);
    w->param = malloc(c * sizeof(int));
    /* at most: intro, a forward step per node, two local steps per node, a chain and an update step per
     * node, the epoch step */
    w->steps = malloc((6 * c + 2) * sizeof *w->steps);
    char *needed = calloc(c, 1);
    if (!w->forward_at || !w->chain_at || !w->update_at || !w->local_at || !w->criterion || !w->param ||
        !w->steps || !needed) {
        free(needed);
        return -1;
    }
    for (int id = 0; id < count; id++) {
        w->forward_at[id] = w->chain_at[id] = w->update_at[id] = -1;
        w->local_at[2 * id] = w->local_at[2 * id + 1] = -1;
    }

    find_criterion(w);

    w->n_param = 0;
    w->n_edits = 0;
    for (int k = 0; k < l->n_names; k++)
        if (l->names[k].kind == LESSON_PARAM)
            w->param[w->n_param++] = l->names[k].id;
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
    /* the loss's backward pass: its tape orders the gradient steps, and says what requires a gradient */
    int tape_len = 0;
    const int *tape = NULL;
    if (l->loss >= 0) {
        graph_pass(g, l->loss, 1);
        tape = graph_tape(g, &tape_len);
    }
    for (int t = 0; t < tape_len; t++) {
        int id = tape[t];
        const graph_node *n = graph_node_at(g, id);
        if (n->op == GRAPH_OP_LEAF || !walk_needs_grad(w, id))
            continue;
        for (int k = 0; k < 2; k++)
            if (n->src[k] >= 0 && walk_needs_grad(w, n->src[k])) {
                w->local_at[2 * id + k] = w->n_steps;
                add_step(w, LESSON_PHASE_LOCAL, id, k);
            }
    }
    for (int t = 0; t < tape_len; t++)
        if (walk_needs_grad(w, tape[t])) {
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
    w->snapshot_size = graph_snapshot_size(g);
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
    w->lr = l->lr;
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

double walk_printed_loss(const walk *w)
{
    int id = w->l->metric >= 0 ? w->l->metric : w->l->loss;
    return id >= 0 ? walk_node(w, id)->value[0] : NAN;
}

/* The current epoch's history row, as it will be kept: the printed loss, each parameter after the
 * update, each gradient. */
static void fill_row(const walk *w, double *r)
{
    r[0] = walk_printed_loss(w);
    for (int p = 0; p < w->n_param; p++) {
        r[1 + p] = graph_sgd_update(w->l->g, w->param[p], 0, w->lr);
        r[1 + w->n_param + p] = walk_node(w, w->param[p])->grad[0];
    }
}

/* Leave the EPOCH step: keep the row, take the step, begin the next epoch. */
static int begin_next_epoch(walk *w)
{
    if (grow((void **)&w->rows, &w->cap_rows, (size_t)(w->n_rows + 1) * row_stride(w), sizeof(double)))
        return 0;
    fill_row(w, w->rows + (size_t)w->n_rows * row_stride(w));
    w->n_rows++;
    graph_sgd_step(w->l->g, w->lr);
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

/* Going back past an epoch's start undoes what was changed in it: parameters live in its snapshot, which
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
        w->training = done + 1 < epochs; /* the epoch it lands on is shown whole: the per-node pass */
        if (!begin_next_epoch(w))
            break;
    }
    if (w->training && done > 0) { /* out of memory on the way: land on the last epoch entered, whole */
        w->training = 0;
        enter_epoch(w);
    }
    w->training = 0;
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
    const graph_node *n = walk_node(w, id);
    if (!n || !n->data || n->role == GRAPH_CONST || index < 0 || index >= n->len)
        return -1;
    if (n->role == GRAPH_PARAM) {
        /* change this epoch's snapshot, so the epoch is recomputed from it */
        double *s = saved_at(w, w->epoch);
        graph_restore(w->l->g, s);
        graph_set_data(w->l->g, id, index, v);
        graph_snapshot(w->l->g, s);
    } else {
        if (grow((void **)&w->edits, &w->cap_edits, (size_t)w->n_edits + 1, sizeof *w->edits))
            return -1;
        w->edits[w->n_edits++] = (struct input_edit){ w->epoch, id, index, n->data[index] };
        graph_set_data(w->l->g, id, index, v);
    }
    enter_epoch(w);
    return 0;
}

void walk_set_lr(walk *w, double lr) { w->lr = lr; }
double walk_lr(const walk *w) { return w->lr; }

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
    const graph_node *n = walk_node(w, id);
    if (!n)
        return 0;
    if (n->op == GRAPH_OP_LEAF)
        return 1;
    if (w->forward_at[id] >= 0)
        return done(w, w->forward_at[id]);
    return w->index >= w->phase_first[LESSON_PHASE_LOCAL]; /* a node no step computes */
}

int walk_grad_known(const walk *w, int id) { return walk_node(w, id) && done(w, w->chain_at[id]); }

int walk_local_known(const walk *w, int id, int k)
{
    return walk_node(w, id) && k >= 0 && k < 2 && done(w, w->local_at[2 * id + k]);
}

/* The core's requires_grad, for the loss's backward pass: the walk runs no other. */
int walk_needs_grad(const walk *w, int id) { return w->l->loss >= 0 && graph_requires_grad(w->l->g, id); }

int walk_is_active(const walk *w, int id) { return id >= 0 && w->steps[w->index].node == id; }

double walk_value(const walk *w, int id, int i)
{
    const graph_node *n = walk_node(w, id);
    if (!n || i < 0 || i >= n->len)
        return NAN;
    if (n->role == GRAPH_PARAM)
        return done(w, w->update_at[id]) ? graph_sgd_update(w->l->g, id, i, w->lr) : n->data[i];
    return n->value[i];
}

double walk_grad(const walk *w, int id, int i)
{
    const graph_node *n = walk_node(w, id);
    return n && i >= 0 && i < n->len ? n->grad[i] : NAN;
}

double walk_local_grad(const walk *w, int id, int k, int i) { return graph_local_grad(w->l->g, id, k, i); }

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

