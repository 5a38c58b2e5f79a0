/*
 * walk.c — the walkthrough's state machine (see walk.h): the steps of an epoch, moving among them, what each
 * has revealed, the saved starting points that make moving back exact, and the history. The text of a step
 * is in walk_text.c, the lesson's live text in walk_live.c; what they share is in walk_int.h.
 *
 * State: the epoch, the step within it, and for each of the newest epochs its starting point: the settings
 * it runs under and the core's snapshot (graph_snapshot: the parameters' numbers and the leaves' accumulated
 * gradients). Entering an epoch restores its starting point and runs the core's pass (zero_grad, forward,
 * backward); leaving it takes the SGD step, the same two calls an epoch of --train makes. The steps then only
 * decide what is shown, so stepping back is exact: it is the same computation from the same saved numbers,
 * under the same settings. A setting or a parameter changed mid-epoch changes that epoch's starting point;
 * an input changed mid-epoch goes in an edit log that going back undoes. Going back keeps the later epochs'
 * starting points, and coming forward again enters them as they were left (a change belongs to its epoch),
 * until a change typed in an earlier epoch makes every later epoch new.
 *
 * Bounded: the starting points and the history rows are rings (walk.h says how many), and training many
 * epochs at once saves no starting point that the ring would drop before training ends.
 */
#include "walk.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "walk_int.h"

/* A history row: the printed loss, zero_grad, then each parameter's value after the update, ∂L/∂p, .grad. */
static size_t row_stride(const walk *w) { return 2 + 3 * (size_t)w->n_param; }

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

/* ---------------------------------------------------------------- starting points ------------- */

static int slot(const walk *w, int epoch) { return (epoch - 1) % w->undo_cap; }
static double *saved_at(const walk *w, int epoch) { return w->saved + (size_t)slot(w, epoch) * w->snapshot_size; }

const double *walk_kept_grad(const walk *w, int id)
{
    const graph_node *n = walk_node(w, id);
    return n && n->role == GRAPH_PARAM ? graph_snapshot_grad(w->l->g, saved_at(w, w->epoch), id) : NULL;
}

/* Save the graph's present numbers and the current settings as epoch e's starting point. */
static int save_start(walk *w, int e)
{
    int need = slot(w, e) + 1;
    if (need > w->saved_slots) {
        int slots = w->saved_slots ? 2 * w->saved_slots : 16;
        slots = slots < need ? need : slots > w->undo_cap ? w->undo_cap : slots;
        double *saved = realloc(w->saved, ((size_t)slots * w->snapshot_size + 1) * sizeof *saved);
        if (!saved)
            return -1;
        w->saved = saved;
        struct walk_settings *set = realloc(w->saved_set, (size_t)slots * sizeof *set);
        if (!set)
            return -1;
        w->saved_set = set;
        char *typed = realloc(w->typed, (size_t)slots);
        if (!typed)
            return -1;
        w->typed = typed;
        w->saved_slots = slots;
    }
    graph_snapshot(w->l->g, saved_at(w, e));
    w->saved_set[slot(w, e)] = w->set;
    w->typed[slot(w, e)] = 0;
    if (e - w->first + 1 > w->undo_cap || e < w->first)
        w->first = e - w->undo_cap + 1 > 1 ? e - w->undo_cap + 1 : 1;
    w->last = e;
    return 0;
}

/* The epoch's passes: zero_grad (unless switched off), forward, backward. An epoch that walk_train passes
 * through is read only for its history row and its starting point (the printed loss, the leaves' numbers,
 * passes and .grads), which the core's compiled pass computes to the bit; every other epoch is computed
 * node by node, to be shown. */
static void run_pass(walk *w)
{
    if (w->passing)
        graph_train_pass(w->l->g, w->l->loss, w->l->metric, w->set.zero_grad, 1);
    else
        graph_pass(w->l->g, w->l->loss, w->set.zero_grad);
    w->compiled = w->passing;
}

/* Run the epoch's passes from its starting point. */
static void enter_epoch(walk *w)
{
    w->set = w->saved_set[slot(w, w->epoch)];
    graph_set_precision(w->l->g, w->set.precision);
    graph_restore(w->l->g, saved_at(w, w->epoch));
    run_pass(w);
    w->passes++;
}

/* A change typed in this epoch: the epochs after it are new, whatever going back kept of them (the first of
 * them that had a change of its own typed is told, walk_take_dropped). */
static void later_epochs_are_new(walk *w)
{
    for (int e = w->epoch + 1; e <= w->last && !w->dropped; e++)
        if (w->typed[slot(w, e)])
            w->dropped = e;
    w->last = w->epoch;
    w->n_edits = w->applied;
    w->typed[slot(w, w->epoch)] = 1;
}

int walk_changed_in(const walk *w, int e)
{
    return e >= w->first && e <= w->last && w->typed[slot(w, e)];
}

int walk_take_dropped(walk *w)
{
    int e = w->dropped;
    w->dropped = 0;
    return e;
}

/* A setting changed mid-epoch: it is this epoch's from its start on. */
static void keep_settings(walk *w)
{
    later_epochs_are_new(w);
    w->saved_set[slot(w, w->epoch)] = w->set;
}

/* ---------------------------------------------------------------- building the steps ---------- */

static void add_step(walk *w, enum lesson_phase phase, int id, int input)
{
    w->steps[w->n_steps++] = (walk_step){ .phase = phase, .node = id, .input = input };
}

/*
 * Which forward steps are PyTorch's `loss = criterion(output, target)` rather than `output = model(x)`:
 * the target is an input that meets a computed prediction (an operation computed from a parameter), as y
 * meets ŷ in s = ŷ − y; every node computed from a target belongs to the criterion. An input added to a
 * prediction is a bias the lesson keeps fixed (Mazur's b₁ in n₁ = w₁·i₁ + w₂·i₂ + b₁), part of the model:
 * a target is compared with the prediction (subtracted, multiplied), never added to it.
 */
static void find_criterion(walk *w)
{
    const graph *g = w->l->g;
    int count = graph_count(g);
    for (int id = 0; id < count; id++) {
        const graph_node *n = walk_node(w, id);
        if (n->op == GRAPH_OP_LEAF || n->op == GRAPH_OP_ADD || n->src[1] < 0 || !graph_live(g, id))
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

/* Where each named node's `explain` is told: an operation's at its forward step, a parameter's at its
 * update, an input's at the forward step of the first node that reads it. */
static int find_explain_steps(walk *w)
{
    int count = graph_count(w->l->g);
    for (int id = 0; id < count; id++) {
        const graph_node *n = walk_node(w, id);
        w->explain_at[id] = n->op != GRAPH_OP_LEAF ? w->forward_at[id] : n->role == GRAPH_PARAM ? w->update_at[id] : -1;
    }
    for (int k = 0; k < w->n_steps; k++) {
        const walk_step *s = &w->steps[k];
        if (s->phase != LESSON_PHASE_FORWARD)
            continue;
        for (int i = 0; i < 2; i++) {
            int in = walk_node(w, s->node)->src[i];
            if (in >= 0 && walk_node(w, in)->role == GRAPH_INPUT && w->explain_at[in] < 0)
                w->explain_at[in] = k;
        }
    }
    /* the names told at each step, in declaration order, so that a step finds its own without reading every
     * name (a 100 000-name chain's --plain read them all at each of its steps) */
    const lesson *l = w->l;
    w->explain_head = malloc(((size_t)w->n_steps + 1) * sizeof(int));
    w->explain_next = malloc(((size_t)l->n_names + 1) * sizeof(int));
    if (!w->explain_head || !w->explain_next)
        return -1;
    for (int k = 0; k < w->n_steps; k++)
        w->explain_head[k] = -1;
    for (int k = l->n_names - 1; k >= 0; k--) {
        int at = w->explain_at[l->names[k].id];
        w->explain_next[k] = at >= 0 ? w->explain_head[at] : -1;
        if (at >= 0)
            w->explain_head[at] = k;
    }
    return 0;
}

static void free_tables(walk *w)
{
    free(w->steps);
    free(w->forward_at);
    free(w->chain_at);
    free(w->update_at);
    free(w->local_at);
    free(w->explain_at);
    free(w->explain_head);
    free(w->explain_next);
    free(w->criterion);
    free(w->param);
    free(w->row_scratch);
    free(w->saved);
    free(w->saved_set);
    free(w->typed);
    free(w->origin_saved);
    free(w->rows);
    w->steps = NULL;
    w->forward_at = w->chain_at = w->update_at = w->local_at = w->explain_at = w->param = NULL;
    w->explain_head = w->explain_next = NULL;
    w->criterion = NULL;
    w->row_scratch = w->saved = w->origin_saved = w->rows = NULL;
    w->saved_set = NULL;
    w->typed = NULL;
    w->saved_slots = w->row_slots = 0;
}

static int by_id(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/*
 * The order a teacher goes back from the loss in: by how far a node is from the loss (the longest way, so that
 * every node it feeds comes before it and its gradient is complete when its step shows it), and at the same
 * distance in the order the lesson made them. The backward tape (a depth-first search) is also a valid order,
 * but it runs down one branch to its parameter before it starts the next: lesson 03 reached ∂L/∂w₂, next to
 * the loss, last, after w₁. Returns the tape's nodes in that order (malloc'd), or NULL.
 */
static int *from_the_loss_back(const graph *g, const int *tape, int n)
{
    int count = graph_count(g);
    int *depth = calloc((size_t)count, sizeof *depth), *start = calloc((size_t)n + 2, sizeof *start);
    int *order = malloc((size_t)n * sizeof *order), *ids = malloc((size_t)n * sizeof *ids);
    if (!depth || !start || !order || !ids) {
        free(depth), free(start), free(order), free(ids);
        return NULL;
    }
    /* the tape puts every node before its inputs: one sweep gives each its longest way to the loss */
    for (int t = 0; t < n; t++) {
        const graph_node *nd = graph_node_at(g, tape[t]);
        for (int k = 0; k < 2; k++)
            if (nd->src[k] >= 0 && depth[nd->src[k]] < depth[tape[t]] + 1)
                depth[nd->src[k]] = depth[tape[t]] + 1;
    }
    /* counting sort by distance, then by id: the tape's ids sorted first */
    for (int t = 0; t < n; t++)
        ids[t] = tape[t];
    qsort(ids, (size_t)n, sizeof *ids, by_id);
    for (int t = 0; t < n; t++)
        start[depth[ids[t]] + 1]++;
    for (int d = 0; d <= n; d++)
        start[d + 1] += start[d];
    for (int t = 0; t < n; t++)
        order[start[depth[ids[t]]]++] = ids[t];
    free(depth), free(start), free(ids);
    return order;
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
    w->explain_at = malloc(c * sizeof(int));
    w->criterion = calloc(c, 1);
    w->param = malloc(c * sizeof(int));
    /* at most: intro, a forward step per node, two local steps per node, a chain and an update step per
     * node, the epoch step */
    w->steps = malloc((6 * c + 2) * sizeof *w->steps);
    if (!w->forward_at || !w->chain_at || !w->update_at || !w->local_at || !w->explain_at || !w->criterion ||
        !w->param || !w->steps)
        return -1;
    for (int id = 0; id < count; id++) {
        w->forward_at[id] = w->chain_at[id] = w->update_at[id] = -1;
        w->local_at[2 * id] = w->local_at[2 * id + 1] = -1;
    }

    find_criterion(w);

    w->n_param = 0;
    w->n_edits = w->applied = 0;
    for (int k = 0; k < l->n_names; k++)
        if (l->names[k].kind == LESSON_PARAM && graph_live(g, l->names[k].id))
            w->param[w->n_param++] = l->names[k].id;
    w->row_scratch = malloc((row_stride(w) + 1) * sizeof(double));
    if (!w->row_scratch)
        return -1;

    /* the steps: a forward step per operation the loss or the metric needs */
    w->n_steps = 0;
    add_step(w, LESSON_PHASE_INTRO, -1, -1);
    for (int id = 0; id < count; id++)
        if (graph_live(g, id) && graph_node_at(g, id)->op != GRAPH_OP_LEAF) {
            w->forward_at[id] = w->n_steps;
            add_step(w, LESSON_PHASE_FORWARD, id, -1);
        }
    /* the loss's backward pass: its tape orders the gradient steps, and says what requires a gradient */
    int tape_len = 0;
    const int *tape = NULL;
    graph_set_precision(g, w->set.precision);
    if (l->loss >= 0) {
        graph_pass(g, l->loss, 1);
        tape = graph_tape(g, &tape_len);
    }
    int *order = tape_len ? from_the_loss_back(g, tape, tape_len) : NULL;
    if (tape_len && !order)
        return -1;
    for (int t = 0; t < tape_len; t++) {
        int id = order[t];
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
        if (walk_needs_grad(w, order[t])) {
            w->chain_at[order[t]] = w->n_steps;
            add_step(w, LESSON_PHASE_CHAIN, order[t], -1);
        }
    free(order);
    for (int p = 0; p < w->n_param; p++) {
        w->update_at[w->param[p]] = w->n_steps;
        add_step(w, LESSON_PHASE_UPDATE, w->param[p], -1);
    }
    add_step(w, LESSON_PHASE_EPOCH, -1, -1);
    if (find_explain_steps(w) < 0)
        return -1;

    for (int p = 0; p < LESSON_PHASE_COUNT; p++)
        w->phase_first[p] = -1, w->phase_count[p] = 0;
    for (int k = w->n_steps - 1; k >= 0; k--) {
        w->phase_first[w->steps[k].phase] = k;
        w->phase_count[w->steps[k].phase]++;
    }

    /* the starting point: the lesson's numbers, with no gradient yet */
    graph_zero_grad(g);
    w->snapshot_size = graph_snapshot_size(g);
    size_t each = (w->snapshot_size + 1) * sizeof(double) + sizeof(struct walk_settings);
    w->undo_cap = WALK_UNDO_BYTES / each < WALK_UNDO_EPOCHS ? (int)(WALK_UNDO_BYTES / each) : WALK_UNDO_EPOCHS;
    if (w->undo_cap < 2)
        w->undo_cap = 2;
    w->origin_saved = malloc((w->snapshot_size + 1) * sizeof(double));
    if (!w->origin_saved)
        return -1;
    graph_snapshot(g, w->origin_saved);
    w->first = w->last = 1;
    w->row_first = 1;
    w->epoch = 1;
    w->index = 0;
    if (save_start(w, 1))
        return -1;
    enter_epoch(w);
    return 0;
}

walk *walk_new(lesson *l)
{
    walk *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->l = l;
    w->origin = (struct walk_settings){ l->lr, l->epochs, graph_precision(l->g), 1 };
    w->set = w->origin;
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
    free(w->edits);
    free(w->narration);
    free(w->notes);
    free(w->consumers.at);
    free(w);
}

/* ---------------------------------------------------------------- where we are ---------------- */

int walk_epoch(const walk *w) { return w->epoch; }
int walk_index(const walk *w) { return w->index; }
int walk_count(const walk *w) { return w->n_steps; }
const walk_step *walk_step_at(const walk *w, int k) { return k >= 0 && k < w->n_steps ? &w->steps[k] : NULL; }
const walk_step *walk_current(const walk *w) { return &w->steps[w->index]; }
int walk_first_epoch(const walk *w) { return w->first; }
int walk_undo_epochs(const walk *w) { return w->undo_cap; }

void walk_phase_position(const walk *w, int *k, int *n)
{
    enum lesson_phase p = w->steps[w->index].phase;
    *k = w->index - w->phase_first[p] + 1;
    *n = w->phase_count[p];
}

int walk_quiz_step(const walk *w, const lesson_quiz *q)
{
    int last = -1;
    for (int k = 0; k < w->n_steps; k++) {
        const walk_step *s = &w->steps[k];
        if (s->phase != q->phase)
            continue;
        last = k;
        if (q->node < 0)
            continue;
        if (s->phase == LESSON_PHASE_LOCAL ? walk_node(w, s->node)->src[s->input] == q->node : s->node == q->node)
            return k;
    }
    return q->node < 0 ? last : -1;
}

/* ---------------------------------------------------------------- moving ---------------------- */

double walk_printed_loss(const walk *w)
{
    int id = w->l->metric >= 0 ? w->l->metric : w->l->loss;
    return id >= 0 ? walk_node(w, id)->value[0] : NAN;
}

/* The current epoch's history row, as it will be kept. */
static void fill_row(const walk *w, double *r)
{
    r[0] = walk_printed_loss(w);
    r[1] = w->set.zero_grad;
    for (int p = 0; p < w->n_param; p++) {
        const graph_node *n = walk_node(w, w->param[p]);
        r[2 + p] = graph_sgd_update(w->l->g, w->param[p], 0, w->set.lr);
        r[2 + w->n_param + p] = n->pass[0];
        r[2 + 2 * w->n_param + p] = n->grad[0];
    }
}

static double *row_at(const walk *w, int epoch)
{
    return w->rows + (size_t)((epoch - 1) % WALK_HISTORY_ROWS) * row_stride(w);
}

/* Write the current epoch's row, once, as it ends. */
static int write_row(walk *w)
{
    int need = (w->epoch - 1) % WALK_HISTORY_ROWS + 1;
    if (need > w->row_slots) {
        int slots = w->row_slots ? 2 * w->row_slots : 64;
        slots = slots < need ? need : slots > WALK_HISTORY_ROWS ? WALK_HISTORY_ROWS : slots;
        double *rows = realloc(w->rows, (size_t)slots * row_stride(w) * sizeof *rows);
        if (!rows)
            return -1;
        w->rows = rows;
        w->row_slots = slots;
    }
    fill_row(w, row_at(w, w->epoch));
    if (w->epoch - w->row_first + 1 > WALK_HISTORY_ROWS)
        w->row_first = w->epoch - WALK_HISTORY_ROWS + 1;
    return 0;
}

/* Put back the input edits of the epochs up to the current one that going back took out. */
static void redo_edits(walk *w)
{
    for (; w->applied < w->n_edits && w->edits[w->applied].epoch <= w->epoch; w->applied++) {
        const struct input_edit *e = &w->edits[w->applied];
        graph_set_data(w->l->g, e->id, e->index, e->now);
    }
}

/* Leave the EPOCH step: keep the row, take the step, begin the next epoch — as it was left, when going back
 * came from it. keep is 0 for a new epoch that training runs through without stopping and that the ring
 * would drop before it ends: its starting point is not saved (the graph already holds it) and it is not
 * entered from one. */
static int next_epoch(walk *w, int keep)
{
    if (write_row(w))
        return 0;
    w->epoch++;
    w->index = 0;
    if (w->epoch <= w->last) {
        redo_edits(w);
        enter_epoch(w);
        return 1;
    }
    graph_sgd_step(w->l->g, w->set.lr);
    if (!keep) {
        w->first = w->epoch + 1; /* nothing before the next saved epoch can be gone back to */
        run_pass(w);
        return 1;
    }
    if (save_start(w, w->epoch)) {
        w->epoch--;
        return 0;
    }
    enter_epoch(w);
    return 1;
}

static int begin_next_epoch(walk *w) { return next_epoch(w, 1); }

/* Take out the input changes made in epoch `from` or later, newest first; redo_edits puts them back. */
static void undo_edits(walk *w, int from)
{
    for (; w->applied > 0 && w->edits[w->applied - 1].epoch >= from; w->applied--) {
        const struct input_edit *e = &w->edits[w->applied - 1];
        graph_set_data(w->l->g, e->id, e->index, e->old);
    }
}

/* Going back past an epoch's start undoes what was changed in it: parameters and settings live in its
 * starting point, and inputs in the edit log; both stay, for coming forward again. */
static int back_to_previous_epoch(walk *w)
{
    if (w->epoch <= w->first)
        return 0;
    undo_edits(w, w->epoch);
    w->epoch--;
    w->index = w->n_steps - 1;
    enter_epoch(w);
    return 1;
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
    return back_to_previous_epoch(w);
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
        if (!back_to_previous_epoch(w))
            return 0;
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
    int done = 0, last = w->epoch + epochs;
    for (; done < epochs; done++) {
        w->index = w->n_steps - 1;
        w->passing = done + 1 < epochs; /* the epoch it lands on is shown */
        if (!next_epoch(w, w->epoch + 1 > last - w->undo_cap))
            break;
    }
    w->passing = 0;
    if (w->first > w->epoch && save_start(w, w->epoch) == 0) /* stopped early, in an epoch not saved */
        enter_epoch(w);
    else if (w->compiled && w->first <= w->epoch) /* stopped early, in an epoch passed through */
        enter_epoch(w);
    return done;
}

static int same_settings(const struct walk_settings *a, const struct walk_settings *b)
{
    return a->lr == b->lr && a->epochs == b->epochs && a->precision == b->precision && a->zero_grad == b->zero_grad;
}

int walk_reset(walk *w)
{
    if (w->epoch == 1 && w->index == 0 && w->n_edits == 0 && w->first == 1 && same_settings(&w->set, &w->origin) &&
        !memcmp(saved_at(w, 1), w->origin_saved, w->snapshot_size * sizeof(double)))
        return 0;
    undo_edits(w, 1);
    w->n_edits = 0;
    w->set = w->origin;
    graph_restore(w->l->g, w->origin_saved);
    w->first = w->row_first = 1;
    w->epoch = 1;
    w->index = 0;
    if (save_start(w, 1) == 0)
        enter_epoch(w);
    return 1;
}

/* ---------------------------------------------------------------- changing the model ---------- */

int walk_set_data(walk *w, int id, int index, double v)
{
    const graph_node *n = walk_node(w, id);
    if (!n || !n->data || n->role == GRAPH_CONST || index < 0 || index >= n->len)
        return -1;
    later_epochs_are_new(w);
    if (n->role == GRAPH_PARAM) {
        /* change this epoch's starting point, so the epoch is recomputed from it */
        double *s = saved_at(w, w->epoch);
        graph_restore(w->l->g, s);
        graph_set_data(w->l->g, id, index, v);
        graph_snapshot(w->l->g, s);
    } else {
        if (grow((void **)&w->edits, &w->cap_edits, (size_t)w->n_edits + 1, sizeof *w->edits))
            return -1;
        w->edits[w->n_edits++] = (struct input_edit){ w->epoch, id, index, n->data[index], v };
        w->applied = w->n_edits;
        graph_set_data(w->l->g, id, index, v);
    }
    enter_epoch(w);
    return 0;
}

void walk_set_lr(walk *w, double lr)
{
    w->set.lr = lr;
    keep_settings(w);
}

double walk_lr(const walk *w) { return w->set.lr; }

void walk_set_epochs(walk *w, int epochs)
{
    w->set.epochs = epochs;
    keep_settings(w);
}

int walk_epochs(const walk *w) { return w->set.epochs; }

void walk_set_precision(walk *w, enum graph_precision p)
{
    w->set.precision = p;
    keep_settings(w);
    enter_epoch(w);
}

enum graph_precision walk_precision(const walk *w) { return w->set.precision; }

void walk_set_zero_grad(walk *w, int on)
{
    w->set.zero_grad = on != 0;
    keep_settings(w);
    enter_epoch(w);
}

int walk_zero_grad(const walk *w) { return w->set.zero_grad; }

/* ---------------------------------------------------------------- what is revealed ------------ */

static int done(const walk *w, int at) { return at >= 0 && at <= w->index; }

int walk_value_known(const walk *w, int id)
{
    const graph_node *n = walk_node(w, id);
    if (!n)
        return 0;
    if (n->op == GRAPH_OP_LEAF)
        return 1;
    return done(w, w->forward_at[id]);
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
        return done(w, w->update_at[id]) ? graph_sgd_update(w->l->g, id, i, w->set.lr) : n->data[i];
    return n->value[i];
}

int walk_value_updated(const walk *w, int id)
{
    const graph_node *n = walk_node(w, id);
    return n && n->role == GRAPH_PARAM && done(w, w->update_at[id]);
}

double walk_grad(const walk *w, int id, int i)
{
    const graph_node *n = walk_node(w, id);
    return n && i >= 0 && i < n->len ? n->pass[i] : NAN;
}

double walk_dotgrad(const walk *w, int id, int i)
{
    const graph_node *n = walk_node(w, id);
    return n && i >= 0 && i < n->len ? n->grad[i] : NAN;
}

double walk_dotgrad_now(const walk *w, int id, int i)
{
    const graph_node *n = walk_node(w, id);
    if (!n || i < 0 || i >= n->len)
        return NAN;
    const double *kept = walk_kept_grad(w, id);
    return walk_grad_known(w, id) || !kept ? n->grad[i] : kept[i];
}

double walk_local_grad(const walk *w, int id, int k, int i) { return graph_local_grad(w->l->g, id, k, i); }

/* ---------------------------------------------------------------- history --------------------- */

int walk_history_count(const walk *w)
{
    return w->epoch - w->row_first + (w->index == w->n_steps - 1);
}

const walk_row *walk_history_at(const walk *w, int k)
{
    walk *mw = (walk *)w; /* the scratch row is a cache, not state */
    int epoch = w->row_first + k;
    const double *r;
    if (k < 0)
        return NULL;
    if (epoch < w->epoch) {
        r = row_at(w, epoch);
    } else if (epoch == w->epoch && w->index == w->n_steps - 1) {
        fill_row(w, mw->row_scratch);
        r = w->row_scratch;
    } else {
        return NULL;
    }
    size_t np = (size_t)w->n_param;
    mw->row = (walk_row){ .epoch = epoch, .loss = r[0], .param = r + 2, .grad = r + 2 + np,
                          .dotgrad = r + 2 + 2 * np, .zero_grad = r[1] != 0 };
    return &w->row;
}

int walk_param_count(const walk *w) { return w->n_param; }
int walk_param_id(const walk *w, int k) { return k >= 0 && k < w->n_param ? w->param[k] : -1; }
