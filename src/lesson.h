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

/*
 * The statements, declared once: the dispatcher, the prompt's completion and the help screen are all
 * generated from this table.   X(ENUM, keyword, arguments, help)
 */
#define LESSON_STATEMENTS(X)                                                                           \
    X(TITLE,   "title",   "TEXT",                   "the lesson's title")                              \
    X(LANG,    "lang",    "TAG",                    "the language the narration is written in")        \
    X(PARAM,   "param",   "NAME = NUMBER[, ...]",   "a trainable number (the weights)")                \
    X(INPUT,   "input",   "NAME = NUMBER[, ...]",   "data or a constant; a list makes a batch")        \
    X(LET,     "let",     "NAME = EXPR",            "a named intermediate node")                       \
    X(LOSS,    "loss",    "NAME = EXPR",            "the objective that backward starts from")         \
    X(METRIC,  "metric",  "NAME = EXPR",            "a number printed as the loss column instead")     \
    X(LABEL,   "label",   "NAME TEXT",              "how NAME is printed in formulas (e.g. ŷ)")        \
    X(SET,     "set",     "SETTING VALUE",          "lr, epochs or precision")                         \
    X(SAY,     "say",     "PHASE TEXT",             "narration for a phase (one line each)")           \
    X(EXPLAIN, "explain", "NAME TEXT",              "narration for one node")                          \
    X(NOTE,    "note",    "TEXT",                   "a note for the teacher")                          \
    X(QUIZ,    "quiz",    "PHASE [NAME]: QUESTION", "a question asked at that phase")                  \
    X(ANSWER,  "answer",  "EXPR",                   "the expected answer of the last quiz")            \
    X(HINT,    "hint",    "TEXT",                   "a hint for the last quiz")

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
 * name is what a lesson writes (say forward …); title is the walkthrough's heading for the phase.
 */
#define LESSON_PHASES(X)                                                                             \
    X(INTRO,   "intro",   "Epoch start",     "before anything is computed")                          \
    X(FORWARD, "forward", "Forward pass",    "the forward pass: every node's value")                 \
    X(LOCAL,   "local",   "Local gradients", "local gradients: each node's slope w.r.t. its inputs")  \
    X(CHAIN,   "chain",   "Chain rule",      "the chain rule: ∂loss/∂node, back from the loss")      \
    X(UPDATE,  "update",  "Update",          "the update: p ← p − η·∂loss/∂p")                       \
    X(EPOCH,   "epoch",   "End of epoch",    "the end of an epoch")

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

/* A problem in a lesson. line is 1-based (0 when the statement was not read from a file); col is 1-based
 * and counts characters (code points), with every byte of invalid UTF-8 counted as one. */
typedef struct lesson_error {
    int line, col;
    char message[LESSON_MSG_MAX];
    char source[LESSON_SHOW_MAX]; /* the line, made printable: invalid bytes and NULs shown as '?' */
} lesson_error;

/* A name defined by param, input, let, loss or metric. */
typedef struct lesson_name {
    char *name;    /* as written: "yhat" */
    char *label;   /* how it prints: "ŷ"; NULL when it prints as its name */
    enum lesson_kind kind;
    int id;        /* its graph node */
    int line;      /* where it was defined; 0 when typed at a prompt */
    char *explain; /* narration for this node (explain lines joined by '\n'), or NULL */
} lesson_name;

/* A quiz question, asked at a phase, optionally about one node. */
typedef struct lesson_quiz {
    enum lesson_phase phase;
    int node;       /* graph id of the node it is about, or -1 */
    char *question;
    char *answer;   /* an expression; evaluate it with lesson_eval() after the phase's pass */
    char *hint;     /* or NULL */
    int line;
} lesson_quiz;

typedef struct lesson {
    char *title;                      /* or NULL */
    char lang[16];                    /* "en" unless the lesson says otherwise */
    graph *g;
    lesson_name *names;               /* declaration order */
    int n_names;
    int *node_name;                   /* graph id → index into names, or -1; graph_count(g) entries */
    double lr;                        /* default 0.01 */
    int epochs;                       /* default 10 */
    int loss;                         /* graph id of the objective, or -1 until a loss line */
    int metric;                       /* graph id of the printed metric, or -1 (then the loss is printed) */
    char *say[LESSON_PHASE_COUNT];    /* narration per phase (say lines joined by '\n'), or NULL */
    char *notes;                      /* teacher notes joined by '\n', or NULL */
    lesson_quiz *quiz;
    int n_quiz;
    /* private */
    int cap_names, cap_nodes, cap_quiz;
    const struct lesson_pending *pending; /* names defined later in the file being loaded */
    struct lesson_index { int *slot, cap, n; } index; /* lesson_find's hash of names (lesson_lex.c) */
} lesson;

lesson *lesson_new(void);
void lesson_free(lesson *l);

/*
 * Run one statement (no newline) against l. On an error returns -1, fills *err (line = 0) and leaves l
 * unchanged; otherwise returns 0. Blank lines and comments are statements that do nothing.
 */
int lesson_exec_line(lesson *l, const char *line, lesson_error *err);

/* What a finished lesson must have (one scalar loss, an answer for every quiz). 0 or -1 with *err. */
int lesson_validate(const lesson *l, lesson_error *err);

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
 * ", NAME: …, dNAME: …" for each parameter in declaration order (a batch as comma-separated numbers).
 * loss is printed with %.8f, the rest with %.3f. A parameter's value is its stored value, or, given
 * preview_lr, the value the SGD step at that learning rate will give it. Returns what snprintf would.
 */
int lesson_format_row(const lesson *l, int epoch, double loss, const double *preview_lr, char *buf, size_t n);
/* Forward and backward without a step: every value and ∂loss/∂node for the current parameters
 * (forward only while there is no loss). */
void lesson_evaluate(lesson *l);

/*
 * Evaluate an expression (a quiz answer, something typed at the prompt) in float64 against the current
 * values. Names stand for their values; grad(NAME) for ∂loss/∂NAME from the last backward pass.
 * The result must be one number. 0 and *out, or -1 and *err.
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
