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
 * through it). A node that reaches neither the loss nor the metric (left behind by a model edit) has no step,
 * is not drawn and is not computed (graph_live).
 *
 * All numbers come from the core: the forward and backward pass of the current epoch are run in full when
 * the epoch is entered (graph_pass), and the SGD step when it is left; a step only decides what is shown as
 * known. Moving back restores exactly the earlier state, because each epoch starts from a core snapshot of
 * the parameters and the gradients, kept with the settings the epoch ran under.
 *
 * Settings — the learning rate η, the epochs to train, the precision and zero_grad — are the walk's, per
 * epoch: the lesson's at first, then what walk_set_*() says. A change belongs to the epoch it was made in,
 * like a changed parameter: going back past that epoch's start restores what the epoch before had. The
 * lesson keeps what its file says.
 *
 * What is kept is bounded, so that a million epochs of training take no more memory than ten: the history
 * keeps the newest WALK_HISTORY_ROWS rows, and going back reaches the newest walk_undo_epochs() epochs
 * (WALK_UNDO_EPOCHS, fewer when the lesson is so big that their saved copies would pass WALK_UNDO_BYTES).
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

enum {
    WALK_HISTORY_ROWS = 10000,    /* rows of history kept: the newest */
    WALK_UNDO_EPOCHS = 10000,     /* epochs going back can reach, at most */
    WALK_UNDO_BYTES = 16 << 20,   /* and the most their saved copies may take */
};

/* One row of the history, written once when its epoch ends, with the numbers that epoch used. loss is the
 * printed loss (the metric when there is one) of that epoch's forward pass; param[k] is parameter k's first
 * element after the update; grad[k] its ∂L/∂p from that epoch's backward pass and dotgrad[k] its .grad, what
 * the update used (they differ only when zero_grad was off: zero_grad says) (k in lesson declaration order of
 * the parameters). */
typedef struct walk_row {
    int epoch;
    double loss;
    const double *param, *grad, *dotgrad;
    int zero_grad;
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
/* Epoch 1, step 0, the lesson's starting numbers and settings, empty history. */
int walk_reset(walk *w);
/* The earliest epoch going back can reach (1 until more epochs have run than are kept), and how many
 * epochs back it reaches for this lesson. */
int walk_first_epoch(const walk *w);
int walk_undo_epochs(const walk *w);
/* Whether a change was typed in epoch e (walk_set_data, a setting) and is kept for it: going back past e's
 * start undoes it, coming forward into e brings it back. */
int walk_changed_in(const walk *w, int e);
/* The first epoch after the current one whose typed change the last change typed here has dropped (the epochs
 * after this one start anew), or 0; reading it clears it. */
int walk_take_dropped(walk *w);

/* ---- changing the model and the settings mid-epoch; what depends on it is recomputed, the step stays. A
 * change belongs to the epoch it was made in: going back past that epoch's start undoes it. */
int walk_set_data(walk *w, int id, int index, double v); /* a parameter or an input; 0, or −1 if not a leaf */
void walk_set_lr(walk *w, double lr);    /* the rate this epoch's updates use and every η on show */
double walk_lr(const walk *w);
void walk_set_epochs(walk *w, int epochs); /* what training "all epochs" runs */
int walk_epochs(const walk *w);
void walk_set_precision(walk *w, enum graph_precision p); /* recomputes this epoch from its start */
enum graph_precision walk_precision(const walk *w);
void walk_set_zero_grad(walk *w, int on); /* off: .grad piles up across epochs, as without zero_grad() */
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
/* Whether walk_value shows a parameter after this epoch's update (its UPDATE step is done), not as the epoch
 * started. */
int walk_value_updated(const walk *w, int id);
/* ∂L/∂node at element i from this epoch's backward pass: the derivative. NAN out of range. */
double walk_grad(const walk *w, int id, int i);
/* A parameter's .grad at element i after this epoch's backward pass: what the update uses. It is walk_grad
 * plus what .grad kept from earlier epochs when zero_grad is off. NAN out of range. */
double walk_dotgrad(const walk *w, int id, int i);
/* A parameter's .grad at element i as the step on screen has it: what it kept from earlier epochs until its
 * CHAIN step, walk_dotgrad from then on (the sum the update uses). NAN out of range. */
double walk_dotgrad_now(const walk *w, int id, int i);
/* The local gradient of operation node id with respect to its input k at element i (graph_local_grad). */
double walk_local_grad(const walk *w, int id, int k, int i);

/* The step of the first epoch at which a quiz is asked: with a node, that node's step in the quiz's phase (for
 * LOCAL, the edge that comes from the node, as in ∂(s^2)/∂s); without one, the phase's last step. −1 when the
 * walk has no such step. */
int walk_quiz_step(const walk *w, const lesson_quiz *q);

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
/* The same as the epoch started: a parameter before its update. */
int walk_format_start_values(const walk *w, int id, char *buf, size_t n);
/* How a node is called on screen: its label or name, else its formula ("s^2"). */
int walk_node_name(const walk *w, int id, char *buf, size_t n);
/*
 * The one notation for gradients, which the formulas, the messages, the history and the lessons' prose all
 * use (lessons/FORMAT.md). The total gradient of node id, the loss by its label: "∂loss/∂ŷ". The local
 * gradient of node id with respect to its input k, the edge's own node named: "∂s/∂ŷ"; for an edge into the
 * loss itself the loss is named by its formula, "∂(s^2)/∂s", since "∂loss/∂s" is s's total gradient.
 */
int walk_grad_name(const walk *w, int id, char *buf, size_t n);
int walk_local_name(const walk *w, int id, int k, char *buf, size_t n);
/* The step's headline: "Forward pass", "Local gradients", "Chain rule", "Update", "End of epoch", "Epoch 1". */
const char *walk_phase_title(enum lesson_phase p);
/* The step's working, one line: "s = ŷ − y = 0 − 4 = −4", "∂loss/∂w = ∂loss/∂ŷ · ∂ŷ/∂w = (−8)·2 = −16". */
int walk_step_formula(const walk *w, char *buf, size_t n);
/* The working with its result hidden, for classroom mode and quizzes: "s = ŷ − y = 0 − 4 = ?". Writes ""
 * and returns 0 for steps that have no result to work out (the epoch's start and end). */
int walk_step_question(const walk *w, char *buf, size_t n);
/* The lesson's words for this step, lines separated by '\n', or "", with every placeholder filled in from
 * this step's numbers: in the first epoch, the phase's narration on its first step; then, every epoch, the
 * explanation of each node this step is about (an operation's at its forward step, a parameter's at its
 * update, an input's at the forward step of the first node that reads it). Text retired after a model edit
 * (lesson_retire) is left out, and a line says so once. Valid until the next call. */
const char *walk_step_narration(const walk *w);
/* The same as it reads while the step's result is held back (classroom mode, a quiz waiting): a placeholder
 * that names the result prints "?", as the working does. Valid until the next call of either. */
const char *walk_step_narration_held(const walk *w);
/* The narration as a handout prints it (held: as walk_step_narration_held): without the lesson's `try` lines,
 * which say what to press or type on the screen. */
const char *walk_handout_narration(const walk *w, int held);
/* The teacher's notes, filled in, lines separated by '\n', or "" when the lesson has none. Valid until the
 * next call. */
const char *walk_notes(const walk *w);

/* ---- the lesson's live text */
/* Evaluate a live expression (a quiz's answer) with this step's numbers, whether shown yet or not: out has
 * lesson_expr_len(e) room. 0, or −1 when it reads what the model does not have (an edge it lost). */
int walk_eval(const walk *w, const lesson_expr *e, double *out);
/* A text line with its placeholders filled in from this step's numbers; one that names what is not on
 * screen (with before_result, as a quiz's question and hints are shown: the step's own result counts as not
 * on screen) prints "?". Returns what it needed, like snprintf. */
int walk_render(const walk *w, const lesson_text *t, int before_result, char *buf, size_t n);
/*
 * The spoiler rule: every placeholder names only what is on screen where its text is shown (walk_step_
 * narration says where; a quiz's question and hints at its step, before its result; a teacher's note at any
 * step, so only what is known from the start), and every local() names an edge the model has. 0, or −1 with
 * *err at the placeholder's line and column, saying where the text is shown and where the value first
 * appears. The walk's steps are all it reads: its position does not matter.
 */
int walk_check(const walk *w, lesson_error *err);
/* The PyTorch line that does this work: "output = model(x)", "loss.backward()", … */
const char *walk_step_pytorch(const walk *w);
/* A remark from the engine, or "": training diverged (inf/nan), gradients accumulating without zero_grad. */
int walk_step_note(const walk *w, char *buf, size_t n);
/* The whole step as --plain prints it: a heading line, then formula, narration, note and PyTorch line. */
int walk_step_text(const walk *w, char *buf, size_t n);
/* The same with the step's result held back, for a worksheet (--plain --no-answers): the working ends in "?",
 * the narration's results read "?", no engine note, and no line that prints a result (the epoch's row; after
 * the first epoch, its starting numbers). */
int walk_step_text_held(const walk *w, char *buf, size_t n);
/* The line of working walk_step_text (held: walk_step_text_held) prints for this step: the formula, or held,
 * the question ("s = ŷ − y = 0 − 4 = ?"), the epoch's start in the first epoch, and nothing for a line that
 * only prints results. Returns whether there is a line. */
int walk_step_working(const walk *w, int held, char *buf, size_t n);

#endif
