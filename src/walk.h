/*
 * walk.h — the walkthrough: one training epoch as the small steps a teacher writes on the board.
 *
 * An epoch is a fixed list of steps, built from the lesson's graph:
 *   INTRO    one step: the epoch begins (optimizer.zero_grad(); the lesson's intro in epoch 1)
 *   FORWARD  one step per operation node the loss (or the printed metric) needs, in creation order
 *   LOCAL    one step per edge into a node that needs a gradient: ∂node/∂input
 *   CHAIN    one step per node that needs a gradient, from the loss back to the parameters:
 *            ∂L/∂node = Σ over the nodes it feeds of ∂L/∂consumer · ∂consumer/∂node
 *   UPDATE   one step per parameter: p ← p − η·∂L/∂p
 *   EPOCH    one step: the epoch's row joins the history
 * "Needs a gradient" is the core's graph_requires_grad: parameters and every node computed from one, as far
 * as the loss's backward pass reaches (a metric is computed from the parameters but nothing flows back
 * through it).
 *
 * All numbers come from the core: the forward and backward pass of the current epoch are run in full when
 * the epoch is entered (graph_pass), and the SGD step when it is left; a step only decides what is shown as
 * known. Moving back restores exactly the earlier state, because each epoch starts from a core snapshot of
 * the parameters and the gradients.
 *
 * The learning rate the walk uses (and shows as η) is its own: the lesson's at first, then what
 * walk_set_lr() says. The lesson's lr stays what the lesson file says.
 *
 * The walk borrows the lesson (and its graph); the caller frees the lesson after the walk.
 * No I/O and no curses: the --plain printer and the screen both read the text from here.
 */
#ifndef BPTUTOR_WALK_H
#define BPTUTOR_WALK_H

#include <stddef.h>

#include "lesson.h"

typedef struct walk_step {
    enum lesson_phase phase;
    int node;  /* the node computed, differentiated or updated; −1 for INTRO and EPOCH */
    int input; /* LOCAL: which input of node (0 or 1) the edge comes from; −1 otherwise */
} walk_step;

/* One row of the history: the seed's columns. loss is the printed loss (the metric when there is one)
 * of that epoch's forward pass; param[k] is parameter k's first element after the update, grad[k] its
 * gradient from that epoch's backward pass (k in lesson declaration order of the parameters). */
typedef struct walk_row {
    int epoch;
    double loss;
    const double *param, *grad;
} walk_row;

typedef struct walk walk;

walk *walk_new(lesson *l);
void walk_free(walk *w);

/* Start over from the lesson's graph as it is now (after the lesson changed): epoch 1, step 0. */
int walk_rebuild(walk *w);

/* ---- where we are */
int walk_epoch(const walk *w);       /* 1-based */
int walk_index(const walk *w);       /* 0-based step within the epoch */
int walk_count(const walk *w);       /* steps in one epoch */
const walk_step *walk_step_at(const walk *w, int k);
const walk_step *walk_current(const walk *w);
/* The step number within its phase (1-based) and the phase's number of steps. */
void walk_phase_position(const walk *w, int *k, int *n);

/* ---- moving; each returns 1 when the state changed, 0 when already at the limit */
int walk_next(walk *w);              /* from the EPOCH step: apply the update, begin the next epoch */
int walk_prev(walk *w);              /* from step 0: back to the EPOCH step of the previous epoch */
int walk_next_phase(walk *w);        /* to the first step of the next phase (or the next epoch's INTRO) */
int walk_prev_phase(walk *w);        /* to the first step of this phase, or of the previous one if there */
int walk_jump(walk *w, int k);       /* to step k of this epoch */
int walk_finish_epoch(walk *w);      /* to this epoch's EPOCH step */
/* Run whole epochs: lands on step 0 of epoch + epochs. Returns the epochs run, fewer when memory ran out. */
int walk_train(walk *w, int epochs);
int walk_reset(walk *w);             /* epoch 1, step 0, the lesson's starting numbers, empty history */

/* ---- changing the model mid-epoch; what depends on it is recomputed, the step stays. A change belongs to
 * the epoch it was made in: going back past that epoch's start undoes it, and reset undoes them all. */
int walk_set_data(walk *w, int id, int index, double v); /* a parameter or an input; 0, or −1 if not a leaf */
void walk_set_lr(walk *w, double lr);    /* the rate the next updates use and every η on show */
double walk_lr(const walk *w);
void walk_set_zero_grad(walk *w, int on); /* off: gradients pile up across epochs, as without zero_grad() */
int walk_zero_grad(const walk *w);

/* ---- what the current step has revealed */
int walk_value_known(const walk *w, int id);        /* leaves always; an operation once computed */
int walk_grad_known(const walk *w, int id);         /* once its CHAIN step is done */
int walk_local_known(const walk *w, int id, int k); /* once the LOCAL step of that edge is done */
int walk_needs_grad(const walk *w, int id);         /* graph_requires_grad for the loss (see above) */
int walk_is_active(const walk *w, int id);          /* the node of the current step */
/* The number to show for element i of node id: a parameter shows its value after the update once its
 * UPDATE step is done, every other node its value from this epoch's forward pass. NAN out of range. */
double walk_value(const walk *w, int id, int i);
/* ∂L/∂node at element i from this epoch's backward pass (a parameter's includes what .grad kept when
 * zero_grad is off). NAN out of range. */
double walk_grad(const walk *w, int id, int i);
/* The local gradient of operation node id with respect to its input k at element i (graph_local_grad). */
double walk_local_grad(const walk *w, int id, int k, int i);

/* ---- history */
int walk_history_count(const walk *w);
const walk_row *walk_history_at(const walk *w, int k);
int walk_param_count(const walk *w);
int walk_param_id(const walk *w, int k); /* graph id of parameter k */

/* ---- text. Every function writes at most n bytes, always NUL-terminated, and returns what it needed. */
/* A number for people: 6 significant digits, no trailing zeros, a true minus sign (U+2212), scientific
 * form (1.2e−5) below 1e−4 or from 1e6, "inf", "−inf" and "nan" as such. */
int walk_format_number(double v, char *buf, size_t n);
/* The same with another number of significant digits (the diagram writes batches with 3). */
int walk_format_digits(double v, int digits, char *buf, size_t n);
/* A node's values: one number, or "[1, 2, 3, 4]" for a batch (long batches elided in the middle). */
int walk_format_values(const walk *w, int id, char *buf, size_t n);
/* How a node is called on screen: its label or name, else its formula ("s^2"). */
int walk_node_name(const walk *w, int id, char *buf, size_t n);
/* The step's headline: "Forward pass", "Local gradients", "Chain rule", "Update", "End of epoch", "Epoch 1". */
const char *walk_phase_title(enum lesson_phase p);
/* The step's working, one line: "s = ŷ − y = 0 − 4 = −4", "∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w = (−8)·2 = −16". */
int walk_step_formula(const walk *w, char *buf, size_t n);
/* The working with its result hidden, for classroom mode and quizzes: "s = ŷ − y = 0 − 4 = ?". Writes ""
 * and returns 0 for steps that have no result to work out (the epoch's start and end). */
int walk_step_question(const walk *w, char *buf, size_t n);
/* The lesson's words for this step, lines separated by '\n', or "": in the first epoch, the phase's
 * narration on its first step; then the node's explanation on its forward step. Valid until the next call. */
const char *walk_step_narration(const walk *w);
/* The PyTorch line that does this work: "output = model(x)", "loss.backward()", … */
const char *walk_step_pytorch(const walk *w);
/* A remark from the engine, or "": training diverged (inf/nan), gradients accumulating without zero_grad. */
int walk_step_note(const walk *w, char *buf, size_t n);
/* The whole step as --plain prints it: a heading line, then formula, narration, note and PyTorch line. */
int walk_step_text(const walk *w, char *buf, size_t n);

#endif
