/*
 * walk_int.h — what the walkthrough's two files share: the state (walk.c moves it) and the few questions
 * about it that the text of a step (walk_text.c) asks. Only walk*.c include this.
 */
#ifndef BPTUTOR_WALK_INT_H
#define BPTUTOR_WALK_INT_H

#include "graph.h"
#include "walk.h"

struct walk {
    lesson *l;
    walk_step *steps;
    int n_steps;
    int epoch, index;
    int zero_grad;
    int training; /* walk_train is passing through this epoch: the core's compiled pass is enough */
    double lr; /* the live learning rate: the lesson's until walk_set_lr; the lesson keeps the file's */
    /* per graph node: the step that reveals it (−1: never, or revealed from the start) */
    int *forward_at, *chain_at, *update_at, *local_at; /* local_at: two entries per node */
    char *criterion;
    /* parameters, in lesson declaration order */
    int *param;
    int n_param;
    /* inputs changed with walk_set_data, to be undone when the walk goes back past the epoch of the change */
    struct input_edit { int epoch, id, index; double old; } *edits;
    int n_edits, cap_edits;
    /* the core's snapshots (graph_snapshot), one per epoch begun, each snapshot_size doubles */
    double *saved;
    size_t snapshot_size;
    int n_saved, cap_saved;
    /* history of finished epochs: loss, then param values, then grads */
    double *rows;
    int n_rows, cap_rows;
    walk_row row; /* scratch for walk_history_at */
    double *row_scratch;
    int phase_first[LESSON_PHASE_COUNT], phase_count[LESSON_PHASE_COUNT];
    char *narration; /* scratch: a phase's narration and a node's explanation together */
};

static inline const graph_node *walk_node(const walk *w, int id) { return graph_node_at(w->l->g, id); }

/* The printed loss (the metric when there is one) of this epoch's forward pass, or NAN without a loss. */
double walk_printed_loss(const walk *w);
/* A parameter's .grad as this epoch began (what zero_grad would have cleared), or NULL for other nodes. */
const double *walk_kept_grad(const walk *w, int id);

#endif
