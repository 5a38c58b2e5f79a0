/*
 * walk_int.h — what the walkthrough's files share: the state (walk.c moves it) and the few questions about it
 * that the text of a step (walk_text.c) and the lesson's live text (walk_live.c) ask. Only walk*.c include
 * this.
 */
#ifndef BPTUTOR_WALK_INT_H
#define BPTUTOR_WALK_INT_H

#include "graph.h"
#include "walk.h"

/* The settings an epoch runs under; kept with each epoch's starting point, so going back restores them. */
struct walk_settings {
    double lr;
    int epochs;
    enum graph_precision precision;
    int zero_grad;
};

struct walk {
    lesson *l;
    walk_step *steps;
    int n_steps;
    int epoch, index;
    struct walk_settings set;    /* the current epoch's */
    struct walk_settings origin; /* the lesson's, for walk_reset */
    int passing;  /* walk_train is passing through the epoch it enters: the core's compiled pass will do */
    int compiled; /* the current epoch's numbers are the compiled pass's (only what its row reads) */
    /* per graph node: the step that reveals it (−1: never, or revealed from the start) */
    int *forward_at, *chain_at, *update_at, *local_at; /* local_at: two entries per node */
    int *explain_at;  /* the step at which its `explain` lines are told, or −1 */
    int *explain_head, *explain_next; /* per step its first name told there, per name the next (−1 ends) */
    char *criterion;
    /* parameters that reach the loss or the metric, in lesson declaration order */
    int *param;
    int n_param;
    /* inputs changed with walk_set_data, in the order typed: the first `applied` are in the graph (those of
     * epochs up to the current one); going back past an epoch's start takes its edits out, coming forward into
     * it again puts them back */
    struct input_edit { int epoch, id, index; double old, now; } *edits;
    int n_edits, cap_edits, applied;
    /* The epochs' starting points, in a ring: epoch e's settings and core snapshot (graph_snapshot,
     * snapshot_size doubles) at slot (e − 1) % undo_cap, for epochs first … last. Those after the current
     * epoch are where going back came from: coming forward enters them as they were left, until a change
     * typed in an earlier epoch makes them new (last = epoch). */
    double *saved;
    struct walk_settings *saved_set;
    char *typed;  /* per slot: a change was typed in that epoch (what going back past its start undoes) */
    int dropped;  /* the first later epoch whose typed change the last change typed made new, or 0 */
    size_t snapshot_size;
    int undo_cap, saved_slots, first, last;
    double *origin_saved; /* epoch 1's, for walk_reset */
    /* The newest finished epochs' rows, in a ring: epoch r's at slot (r − 1) % WALK_HISTORY_ROWS, for
     * r = row_first … epoch − 1. A row: loss, zero_grad, then per parameter its value, ∂L/∂p and .grad. */
    double *rows;
    int row_slots, row_first;
    walk_row row; /* scratch for walk_history_at */
    double *row_scratch;
    int phase_first[LESSON_PHASE_COUNT], phase_count[LESSON_PHASE_COUNT];
    char *narration, *notes; /* scratch: what walk_step_narration and walk_notes return */
    char pytorch[1024];      /* scratch: what walk_step_pytorch returns for a step inside the criterion */
    size_t narration_cap, notes_cap;
    /* every number changes only when an epoch is entered (enter_epoch runs the pass): passes counts them, and
     * the step note's scan for a number that is not finite is made once per pass (walk_text.c) */
    unsigned passes;
    struct { unsigned passes; int value, grad; } not_finite;
    /* the chain rule's terms: each node's consumers in tape order, made once per pass for the same reason
     * (walk_text.c); NULL until asked */
    struct { unsigned passes; int *at, *use; } consumers;
};

static inline const graph_node *walk_node(const walk *w, int id) { return graph_node_at(w->l->g, id); }

/* The printed loss (the metric when there is one) of this epoch's forward pass, or NAN without a loss. */
double walk_printed_loss(const walk *w);
/* A parameter's .grad as this epoch began (what zero_grad would have cleared), or NULL for other nodes. */
const double *walk_kept_grad(const walk *w, int id);

/* Append formatted text at *used within buf[n], never overflowing, always NUL-terminated; *used counts
 * what was needed, like snprintf. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void walk_put(char *buf, size_t n, size_t *used, const char *fmt, ...);
/* A list of len numbers, v(ctx, i), as "x" or "[a, b, c]" with digits significant digits; long lists keep
 * the first three and the last two. */
void walk_put_list(char *buf, size_t n, size_t *used, int len, double (*v)(const void *, int), const void *ctx,
                   int digits);

#endif
