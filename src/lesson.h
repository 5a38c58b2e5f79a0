/*
 * lesson.h — bptutor's lesson language: parse a lesson into a graph plus its narration.
 *
 * A lesson is a script of one-line statements (see lessons/FORMAT.md). The same statements are what a
 * learner types at the tutor's `:` prompt, so the unit of work is one line: lesson_exec_line() runs a
 * single statement against a lesson, and lesson_load() only splits a file into lines and calls it.
 * A line that fails leaves the lesson exactly as it was.
 *
 * The struct lesson is open for reading: the walkthrough and the screen read the graph, the named nodes,
 * the settings and the narration straight from it. Change it only through the functions below.
 *
 * No I/O except reading the lesson file: errors come back as a lesson_error, and lesson_error_format()
 * turns one into gcc's `FILE:LINE:COL: error: MESSAGE` form with the line and a caret under it.
 */
#ifndef BPTUTOR_LESSON_H
#define BPTUTOR_LESSON_H

#include <stdarg.h>
#include <stddef.h>

#include "graph.h"
#include "i18n.h"

/*
 * The statements, declared once: the dispatcher, the prompt's completion and the help screen are all
 * generated from this table.   X(ENUM, keyword, arguments, help)
 */
#define LESSON_STATEMENTS(X)                                                                               \
    X(TITLE,   "title",   "TEXT",                   N_("the lesson's title"))                              \
    X(LANG,    "lang",    "TAG",                    N_("the language the narration is written in"))        \
    X(PARAM,   "param",   "NAME = NUMBER[, ...]",   N_("a trainable number (the weights)"))                \
    X(INPUT,   "input",   "NAME = NUMBER[, ...]",   N_("data or a constant; a list makes a batch"))        \
    X(LET,     "let",     "NAME = EXPR",            N_("a named intermediate node"))                       \
    X(LOSS,    "loss",    "NAME = EXPR",            N_("the objective that backward starts from"))         \
    X(METRIC,  "metric",  "NAME = EXPR",            N_("a number printed as the loss column instead"))     \
    X(LABEL,   "label",   "NAME TEXT",              N_("how NAME is printed in formulas (e.g. ŷ)"))        \
    X(SET,     "set",     "SETTING VALUE",          N_("lr, epochs or precision"))                         \
    X(SAY,     "say",     "PHASE TEXT",             N_("narration for a phase (one line each)"))           \
    X(TRY,     "try",     "PHASE TEXT",             N_("narration for the screen only, not handouts"))   \
    X(EXPLAIN, "explain", "NAME TEXT",              N_("narration for one node"))                          \
    X(NOTE,    "note",    "TEXT",                   N_("a note for the teacher"))                          \
    X(QUIZ,    "quiz",    "PHASE [NAME]: QUESTION", N_("a question asked at that phase"))                  \
    X(ANSWER,  "answer",  "EXPR",                   N_("the expected answer of the last quiz"))            \
    X(HINT,    "hint",    "TEXT",                   N_("a hint for the last quiz"))                        \
    X(LAYER,   "layer",   "TITLE: NAME ...",        N_("a layer of the network view: its units, top to bottom"))

enum lesson_statement {
#define X(e, kw, args, help) LESSON_STMT_##e,
    LESSON_STATEMENTS(X)
#undef X
    LESSON_STMT_COUNT
};

/* The settings of `set`.   X(ENUM, name, value, help); a value of lower-case words joined by '|' lists the
 * choices (the prompt completes them), an upper-case one names what is written there. */
#define LESSON_SETTINGS(X)                                                                             \
    X(LR,        "lr",        "NUMBER",                "learning rate η, a positive number")          \
    X(EPOCHS,    "epochs",    "N",                     "epochs to train, 0 to 1000000")               \
    X(PRECISION, "precision", "float64|float32|mixed", "how arithmetic is rounded")

enum lesson_setting {
#define X(e, name, value, help) LESSON_SET_##e,
    LESSON_SETTINGS(X)
#undef X
    LESSON_SET_COUNT
};

/*
 * The phases of one training step, in the order the walkthrough shows them.   X(ENUM, name, title, help)
 * name is what a lesson writes (say forward …) and :phase takes; title is how the screen names the phase, in the
 * status line and on the step panel's rule alike, so the two never call one phase by two names. The title is
 * marked for the catalogue (N_) and shown in the learner's language; a lesson still writes the name.
 */
#define LESSON_PHASES(X)                                                                                               \
    X(INTRO,   "intro",   N_("Epoch start"),     "before anything is computed")              \
    X(FORWARD, "forward", N_("Forward pass"),    "the forward pass: every node's value")     \
    X(LOCAL,   "local",   N_("Local gradients"), "local gradients: each node's slope w.r.t. its inputs") \
    X(CHAIN,   "chain",   N_("Chain rule"),      "the chain rule: ∂loss/∂node, back from the loss") \
    X(UPDATE,  "update",  N_("Update"),          "the update: p ← p − η·∂loss/∂p")           \
    X(EPOCH,   "epoch",   N_("End of epoch"),    "the end of an epoch")

enum lesson_phase {
#define X(e, name, title, help) LESSON_PHASE_##e,
    LESSON_PHASES(X)
#undef X
    LESSON_PHASE_COUNT
};

/* What a named node is. */
enum lesson_kind { LESSON_PARAM, LESSON_INPUT, LESSON_LET, LESSON_LOSS, LESSON_METRIC };

enum {
    LESSON_FILE_MAX = 16 << 20, /* bytes in a lesson file */
    LESSON_LINE_MAX = 4096, /* bytes in one line; longer lines are an error */
    LESSON_NAME_MAX = 63,   /* characters in a name */
    LESSON_DEPTH_MAX = 64,  /* nesting of parentheses and unary minus in one expression */
    LESSON_MSG_MAX = 256,
    LESSON_SHOW_MAX = 512,  /* bytes of the offending line kept for the caret display */
};

/* The message for a name the lesson does not define, translated where it is used: _(LESSON_UNKNOWN_NAME). The
 * prompt (session.c) finds the name in it, in the learner's language, to suggest the names near it. */
#define LESSON_UNKNOWN_NAME N_("unknown name '%s'")

/* A problem in a lesson. line is 1-based (0 when the statement was not read from a file); col is 1-based
 * and counts characters (code points), with every byte of invalid UTF-8 counted as one. */
typedef struct lesson_error {
    int line, col;
    char message[LESSON_MSG_MAX];
    char source[LESSON_SHOW_MAX]; /* the line, made printable: invalid bytes and NULs shown as '?' */
} lesson_error;

/* ---------------------------------------------------------------- live expressions --------- */

/*
 * Quiz answers and the placeholders of the lesson's text are expressions of the lesson's language with a few
 * additions that name what the walkthrough computes (never allowed in the model):
 *   grad(NAME)      ∂loss/∂NAME of this epoch's backward pass (the derivative, not the accumulated .grad)
 *   NAME.grad       a parameter's accumulated .grad: what the update uses (differs only with zerograd off)
 *   new(NAME)       a parameter after this epoch's update
 *   local(OUT, IN)  the local gradient ∂OUT/∂IN of one edge: the number backward multiplies by
 *   E[k]            element k (1-based) of a batch
 *   lr, epoch, epochs   the live learning rate η, the epoch (1-based), the epochs setting
 * A name stands for the numbers of the current epoch's forward pass (a parameter: its value as the epoch
 * began). The expression is read once, when the lesson is; it is evaluated whenever it is needed, in
 * float64, with a resolver that supplies those numbers: the walkthrough's, which knows the epoch, the
 * settings and what has been revealed, or lesson_eval()'s plain one.
 */
typedef struct lesson_expr lesson_expr;
typedef struct lesson lesson;

/* What an expression reads from outside itself.   X(ENUM, what it is) */
enum lesson_ref_kind {
    LESSON_REF_VALUE,   /* NAME */
    LESSON_REF_GRAD,    /* grad(NAME) */
    LESSON_REF_DOTGRAD, /* NAME.grad */
    LESSON_REF_NEW,     /* new(NAME) */
    LESSON_REF_LOCAL,   /* local(OUT, IN) */
    LESSON_REF_LR,      /* lr */
    LESSON_REF_EPOCH,   /* epoch */
    LESSON_REF_EPOCHS,  /* epochs */
};

typedef struct lesson_ref {
    enum lesson_ref_kind kind;
    int id;   /* the node: NAME's, or OUT's for LOCAL; −1 for a setting */
    int from; /* LOCAL: IN's node; −1 otherwise */
    int len;  /* how many numbers it stands for */
    int col;  /* where it is written: the 1-based column in its line */
} lesson_ref;

/* Supplies the numbers: get() fills out[0 .. ref->len) and returns 0, or −1 when it has none to give. */
typedef struct lesson_resolver {
    int (*get)(void *ctx, const lesson_ref *ref, double *out);
    void *ctx;
} lesson_resolver;

/* What a reference reads from the graph as it is now — a value (a parameter's stored one), this pass's
 * gradient, .grad, new() at learning rate lr, an edge's local gradient — into out[0 .. r->len): the part every
 * resolver shares. 0, or −1 for a setting (the caller's to give) or an edge the graph does not have. */
int lesson_ref_graph(const lesson *l, const lesson_ref *r, double lr, double *out);
/* How many numbers an expression gives (1, or a batch's length). */
int lesson_expr_len(const lesson_expr *e);
/* Evaluate e into out[0 .. lesson_expr_len(e)); r NULL is lesson_eval's resolver (below). 0, or −1 when the
 * resolver has no number for something e reads. */
int lesson_expr_eval(const lesson *l, const lesson_expr *e, const lesson_resolver *r, double *out);
/* Call fn for each thing e reads, in the order written; a nonzero return stops the walk and is returned. */
int lesson_expr_refs(const lesson *l, const lesson_expr *e, int (*fn)(const lesson_ref *ref, void *ctx), void *ctx);
/* Read an answer a learner typed: numbers, names, operations, functions and lr, epoch, epochs; not what would
 * read the result off the engine (grad(), .grad, new(), local()). NULL with *err. Free with lesson_expr_free. */
lesson_expr *lesson_expr_read_answer(const lesson *l, const char *text, lesson_error *err);
void lesson_expr_free(lesson_expr *e);

/* ---------------------------------------------------------------- the lesson's text ---------- */

/* Where something was written, for what is found wrong with it after its line was read. */
typedef struct lesson_place {
    int line;     /* 1-based in the file, 0 when typed */
    size_t at;    /* the byte offset where it starts in its line */
    char *source; /* the whole line as written */
} lesson_place;

/* A placeholder: {EXPR}, {EXPR:N} or {=NAME}. */
typedef struct lesson_hole {
    size_t start, end; /* the bytes of "{…}" in the text */
    int digits;        /* significant digits; 0: as the screen prints every number */
    int formula;       /* {=NAME}: NAME's node, printed as its formula; −1 otherwise */
    lesson_expr *expr; /* {EXPR}; NULL for a formula */
} lesson_hole;

/*
 * One line of text a lesson shows (say, explain, note, a quiz's question or hint), with its placeholders.
 * "{{" and "}}" are literal braces. The placeholders are read once the whole lesson is (they may name a node
 * defined further down): n_hole is −1 until then.
 */
typedef struct lesson_text {
    char *text;         /* as written, braces and all */
    lesson_place where;
    lesson_hole *hole;
    int n_hole;
    int retired;        /* about the model as shipped, which the learner has changed (lesson_retire) */
    int screen;         /* a `try` line: keys and commands for the tutor's screen, left out of a handout */
} lesson_text;

typedef struct lesson_texts {
    lesson_text *v;
    int n, cap;
} lesson_texts;

/* A name defined by param, input, let, loss or metric. */
typedef struct lesson_name {
    char *name;    /* as written: "yhat" */
    char *label;   /* how it prints: "ŷ"; NULL when it prints as its name */
    enum lesson_kind kind;
    int id;        /* its graph node */
    int line;      /* where it was defined; 0 when typed at a prompt */
    lesson_texts explain; /* narration for this node, one line each */
} lesson_name;

/* A quiz question, asked at a phase, optionally about one node. */
typedef struct lesson_quiz {
    enum lesson_phase phase;
    int node;              /* graph id of the node it is about, or -1 */
    lesson_text question;
    char *answer;          /* the answer's expression as written, or NULL until the answer line */
    lesson_place answer_at;
    lesson_expr *expr;     /* the answer, read with the live additions; NULL until the lesson is read */
    lesson_texts hint;
    int line;
    int retired;           /* about the model as shipped, which the learner has changed: not asked */
} lesson_quiz;

/* A layer of the network view, as `layer hidden: h1 h2` wrote it: its units, top to bottom. Layers are drawn
 * in the order the lesson gives them, from the inputs to the loss; a unit is an input or a computed node,
 * and what lies between it and the units of earlier layers (a weighted sum, a bias, a nonlinearity) is its
 * inside: the network view draws a neuron where the computation graph draws those nodes. */
typedef struct lesson_layer {
    char *title;
    int *unit; /* graph ids */
    int n;
    int line;
} lesson_layer;

struct lesson {
    char *title;                      /* or NULL */
    int title_retired;                /* the title names the model as shipped, which the learner has changed */
    char lang[16];                    /* "en" unless the lesson says otherwise */
    graph *g;
    lesson_name *names;               /* declaration order */
    int n_names;
    int *node_name;                   /* graph id → index into names, or -1; graph_count(g) entries */
    double lr;                        /* default 0.01 */
    int epochs;                       /* default 10 */
    int loss;                         /* graph id of the objective, or -1 until a loss line */
    int metric;                       /* graph id of the printed metric, or -1 (then the loss is printed) */
    lesson_texts say[LESSON_PHASE_COUNT]; /* narration per phase, one line each */
    lesson_texts notes;               /* teacher notes, one line each */
    lesson_quiz *quiz;
    int n_quiz;
    lesson_layer *layers;             /* the network view's layers (layer lines), or none */
    int n_layers;
    /* private */
    int cap_names, cap_nodes, cap_quiz, cap_layers;
    const struct lesson_pending *pending; /* names defined later in the file being loaded */
    lesson_texts *last_texts;         /* where the last statement added a text line (lesson_drop_last_text) */
    int last_quiz;                    /* or the quiz it added, or −1 */
    int last_answer;                  /* or the quiz whose answer it gave, or −1 */
    struct lesson_index { int *slot, cap, n; } index; /* lesson_find's hash of names (lesson_lex.c) */
};

lesson *lesson_new(void);
void lesson_free(lesson *l);

/*
 * Run one statement (no newline) against l. On an error returns -1, fills *err (line = 0) and leaves l
 * unchanged; otherwise returns 0. Blank lines and comments are statements that do nothing.
 */
int lesson_exec_line(lesson *l, const char *line, lesson_error *err);

/* What a finished lesson must have (one scalar loss, an answer for every quiz). 0 or -1 with *err. */
int lesson_validate(const lesson *l, lesson_error *err);
/* Take back the text line the last statement added (a say, explain, note or hint line): a caller that checks
 * more than the lesson can (the walkthrough's spoiler rule) refuses a typed line this way. */
void lesson_drop_last_text(lesson *l);

/*
 * Retirement: what the lesson's text says about the model as shipped may stop being true once a learner
 * changes the model's graph (compared with shipped, the lesson as its file has it: a node new, of another kind
 * or batch length, an operation with another formula, or one that no longer reaches the loss or the metric; a
 * `set` of numbers is no such change). Prose cannot be checked, so after such an edit a text line or a quiz the
 * file has stays only while the part of the graph it is about is unchanged, in both graphs: say and note lines
 * are about the whole model; an explain about its step (an operation's cone, an input's readers, a parameter's
 * ways to the loss); a quiz the same, cut where its answer reads a value or a gradient live. A line that names a
 * node no longer computed is retired too, and a text line that names a redefined node or one feeding it. Text
 * the learner typed is never retired. See lesson_text.c and FORMAT.md.
 */
void lesson_retire(lesson *l, const lesson *shipped);

/*
 * Parse a whole lesson from memory (text need not be NUL-terminated) or from a file. Returns the lesson,
 * or NULL with *err filled (err->line set). A file that cannot be read gives line 0 and errno's message.
 */
lesson *lesson_parse(const char *text, size_t len, lesson_error *err);
lesson *lesson_load(const char *path, lesson_error *err);
/* Read a lesson file whole, once (a pipe or a FIFO too): 0 with a malloc'd *text of *len bytes (not
 * NUL-terminated), or −1 with *err (line 0 and errno's message). */
int lesson_read_file(const char *path, char **text, size_t *len, lesson_error *err);
/* The text of the first `title` statement in a lesson's text, without running the other statements (the
 * picker and --list show titles): 0 with it in buf, −1 when there is no title statement that reads. */
int lesson_peek_title(const char *text, size_t len, char *buf, size_t n);

/* Fill *err for column col (1-based) of the line a text was written on: what is found wrong with it after its
 * line was read (the walkthrough's spoiler rule). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void lesson_error_at(lesson_error *err, const lesson_place *where, int col, const char *fmt, ...);

/* Three lines, each ending in '\n': "FILE:LINE:COL: error: MESSAGE", the source line, the caret.
 * Returns what snprintf would return. */
int lesson_error_format(const lesson_error *err, const char *file, char *buf, size_t n);

/* The index in l->names of name, or -1. */
int lesson_find(const lesson *l, const char *name);
/* The named node a graph id belongs to, or NULL. */
const lesson_name *lesson_node_name(const lesson *l, int id);
/* How a named node prints: its label, else its name. */
const char *lesson_display(const lesson_name *n);

/*
 * The formula of graph node id, in names, labels and literals, with the fewest parentheses:
 * "ŷ − y", "mean(s^2)", "w · x". A named leaf prints as its label or name, a constant as its number,
 * and an operation's inputs that have names print as those names. Truncates to n bytes.
 * Returns the length it needed (like snprintf).
 */
int lesson_formula(const lesson *l, int id, char *buf, size_t n);

/*
 * One epoch the seed's way: zero the gradients, forward, backward from the loss, then the SGD step.
 * Returns the printed loss (the metric when there is one) of that forward pass. Afterwards each
 * parameter's grad is this epoch's gradient and its data is the value after the step.
 * Without a loss (a lesson still being typed) it only runs the forward pass and returns NaN.
 */
double lesson_train_epoch(lesson *l);
/*
 * One row of the seed's training table for the current state: "epoch: E, loss: L, w: W, dw: G", with
 * ", NAME: …, dNAME: …" for each parameter that reaches the loss, in declaration order (a batch as
 * comma-separated numbers); dNAME is the parameter's .grad, what the update uses.
 * loss is printed with %.8f, the rest with %.3f. A parameter's value is its stored value, or, given
 * preview_lr, the value the SGD step at that learning rate will give it. Returns what snprintf would.
 */
int lesson_format_row(const lesson *l, int epoch, double loss, const double *preview_lr, char *buf, size_t n);
/* The PyTorch line that prints that row: print(f"epoch: {epoch}, loss: {loss.item():.8f}, w: {w.item():.3f},
 * dw: {w.grad.item():.3f}") — the same fields in the same order and formats (the metric's name for the loss
 * when there is one; a batch's numbers joined by ','), run after optimizer.step(). With parameters too many
 * for the line to stay short, their fields come from a loop over params.items() (as --export python names them). Returns what
 * snprintf would. */
int lesson_format_row_pytorch(const lesson *l, char *buf, size_t n);
/* Forward and backward without a step: every value and ∂loss/∂node for the current parameters
 * (forward only while there is no loss). */
void lesson_evaluate(lesson *l);

/*
 * Evaluate an expression with the live additions above in float64 against the graph as it is now: a name
 * stands for its value (a parameter: its stored value), grad(NAME) for this backward pass's gradient, NAME.grad
 * for the accumulated one, new(P) for the update at the lesson's lr, epoch for 1. The result must be one
 * number. 0 and *out, or -1 and *err.
 */
int lesson_eval(const lesson *l, const char *expr, double *out, lesson_error *err);

/* Read one number the way a lesson writes it ("-0.5", "1e-3"; not "nan", "inf" or "0x10") from the start of
 * text. 0 with *out and the bytes used, or −1 with *err (col is 1-based in text). Like every number of the
 * language it is read in the C locale: '.' is the decimal point whatever LC_NUMERIC says. */
int lesson_read_number(const char *text, double *out, size_t *used, lesson_error *err);
/* snprintf with numbers written the way a lesson writes them ('.' for the decimal point), whatever
 * LC_NUMERIC says: for text that is read back as a lesson, or shown beside one. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int lesson_format(char *buf, size_t n, const char *fmt, ...);
int lesson_vformat(char *buf, size_t n, const char *fmt, va_list ap);

/*
 * What a line of the language says, told by the parser's own lexer without running it: the ':' prompt
 * keeps a lesson as the script of its lines and moves them around by these. Offsets are bytes into the line.
 */
typedef struct lesson_line {
    int statement;  /* an enum lesson_statement, or -1: a blank line, a comment, or no statement */
    size_t keyword; /* where the statement's keyword starts */
    size_t args;    /* where its arguments start (after the blanks) */
    /* The name the line is about: the one param, input, let, loss and metric define, the one label and
     * explain describe, the node a quiz asks about, the setting of set. "" when there is none (the name is cut
     * at LESSON_NAME_MAX characters). */
    char name[LESSON_NAME_MAX + 1];
    size_t name_at;
    int defines;    /* name is defined by this line (param, input, let, loss, metric) */
    size_t expr;    /* let, loss, metric: where the expression after '=' starts; answer: its arguments; 0 */
} lesson_line;
/* Read what text[0..len) says into *out. */
void lesson_line_read(const char *text, size_t len, lesson_line *out);

/* A name an expression uses. */
typedef struct lesson_use {
    char name[LESSON_NAME_MAX + 1]; /* cut at LESSON_NAME_MAX characters */
    size_t at;                      /* its byte offset in the expression */
    int col;                        /* its 1-based column: characters, an invalid byte counting one */
    int call;                       /* it is called, as in grad(w) or tanh(x): a function, not a node */
} lesson_use;
/*
 * Call use(u, ctx) for each name in the expression expr[0..len), in order, as the parser's lexer reads them
 * (up to a '#' comment; "1e-3" and "3x" are numbers, not names). A nonzero return from use stops the walk and
 * is returned; otherwise 0. No lesson is needed: whether a name is known is the caller's question.
 */
int lesson_expr_names(const char *expr, size_t len, int (*use)(const lesson_use *u, void *ctx), void *ctx);

const char *lesson_statement_name(enum lesson_statement s);
const char *lesson_statement_args(enum lesson_statement s);
const char *lesson_statement_help(enum lesson_statement s);
const char *lesson_setting_name(enum lesson_setting s);
/* What a setting takes, as its row says: "NUMBER", "N", or the choices "float64|float32|mixed". */
const char *lesson_setting_value(enum lesson_setting s);
const char *lesson_phase_name(enum lesson_phase p);
/* The statement, setting or phase called name, or -1. */
int lesson_statement_lookup(const char *name);
int lesson_setting_lookup(const char *name);
int lesson_phase_lookup(const char *name);

#endif
