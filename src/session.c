/*
 * session.c — the lesson's script, live edits, and the ':' commands (see session.h).
 *
 * A command line is words separated by blanks. What a statement says — the name it defines, the names a
 * formula uses — is the lesson's to tell (lesson_line_read, lesson_expr_names): there is one lexer for the
 * language, the parser's.
 *
 * The session keeps the lesson as its file has it, twice over: the file's lines, which :reset builds again,
 * and the lesson built from them, which every edited lesson is compared with (lesson_retire) so that text about
 * the model as shipped is retired once the learner changes that model. Settings are the walk's (per epoch,
 * undone by going back); a model edit builds a new walk and carries the settings over to it.
 */
#include "session.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dot.h"
#include "export.h"
#include "file.h"
#include "graph.h"
#include "text.h"

struct session {
    char *path;
    catalog_langs langs;
    char **line; /* the script: the lesson's statements, one per line */
    int n_lines, cap_lines;
    char **file_line; /* the script as the file has it, for :reset */
    int n_file_lines;
    lesson *shipped;  /* the lesson as the file has it, for retirement (as_shipped: parsed when first needed) */
    lesson *l;
    walk *w;
    quiz *q;
    char *text; /* a long answer (help, check) */
    session_progress *progress; /* session_on_progress */
    void *progress_ctx;
};

static const char *const command_names[] = {
#define X(e, name, args, arg, help) name,
    SESSION_COMMANDS(X)
#undef X
};
static const char *const command_args[] = {
#define X(e, name, args, arg, help) args,
    SESSION_COMMANDS(X)
#undef X
};
static const enum session_arg command_arg[] = {
#define X(e, name, args, arg, help) SESSION_ARG_##arg,
    SESSION_COMMANDS(X)
#undef X
};
static const char *const command_help[] = {
#define X(e, name, args, arg, help) help,
    SESSION_COMMANDS(X)
#undef X
};
_Static_assert(sizeof command_names / sizeof command_names[0] == SESSION_COMMAND_COUNT, "command table");

const char *session_command_name(enum session_command c) { return c < SESSION_COMMAND_COUNT ? command_names[c] : ""; }
const char *session_command_args(enum session_command c) { return c < SESSION_COMMAND_COUNT ? command_args[c] : ""; }
const char *session_command_help(enum session_command c) { return c < SESSION_COMMAND_COUNT ? command_help[c] : ""; }

lesson *session_lesson(const session *s) { return s->l; }
walk *session_walk(const session *s) { return s->w; }
quiz *session_quiz(const session *s) { return s->q; }
const char *session_path(const session *s) { return s->path; }

/* ---------------------------------------------------------------- text for columns ------------ */

/* Append text to buf at used, padded with spaces to width columns, on its left when right is set. */
static size_t put_col(char *buf, size_t size, size_t used, const char *text, int width, int right)
{
    int pad = width - text_width(text);
    for (int i = 0; right && i < pad && used + 1 < size; i++)
        buf[used++] = ' ';
    used += (size_t)snprintf(used < size ? buf + used : NULL, used < size ? size - used : 0, "%s", text);
    for (int i = 0; !right && i < pad && used + 1 < size; i++)
        buf[used++] = ' ';
    if (used < size)
        buf[used] = '\0';
    return used;
}

/* ---------------------------------------------------------------- results --------------------- */

/* Messages write numbers as the lesson does ("1.2e-09"), whatever LC_NUMERIC says. */
static void say(session_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_cut(r->message, sizeof r->message, lesson_vformat(r->message, sizeof r->message, fmt, ap));
    va_end(ap);
}

static void fail(session_result *r, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_cut(r->message, sizeof r->message, lesson_vformat(r->message, sizeof r->message, fmt, ap));
    va_end(ap);
    r->error = 1;
    r->col = col;
}

static void set_text(session *s, session_result *r, char *text)
{
    free(s->text);
    s->text = text;
    r->text = text;
    r->flags |= SESSION_TEXT;
}

/* ---------------------------------------------------------------- the script ------------------ */

static void free_lines(char **line, int n)
{
    for (int i = 0; i < n; i++)
        free(line[i]);
    free(line);
}

static int push_line(char ***line, int *n, int *cap, const char *text, size_t len)
{
    if (*n == *cap) {
        int c = *cap ? 2 * *cap : 64;
        char **p = realloc(*line, (size_t)c * sizeof *p);
        if (!p)
            return -1;
        *line = p;
        *cap = c;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    (*line)[(*n)++] = copy;
    return 0;
}

/* The script as one text, for lesson_parse. */
static char *join(char *const *line, int n, size_t *len)
{
    size_t total = 1;
    for (int i = 0; i < n; i++)
        total += strlen(line[i]) + 1;
    char *text = malloc(total), *p = text;
    if (!text)
        return NULL;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(line[i]);
        memcpy(p, line[i], k);
        p += k;
        *p++ = '\n';
    }
    *p = '\0';
    *len = (size_t)(p - text);
    return text;
}

static lesson *build(char *const *line, int n, lesson_error *err)
{
    size_t len;
    char *text = join(line, n, &len);
    if (!text) {
        memset(err, 0, sizeof *err);
        snprintf(err->message, sizeof err->message, _("out of memory"));
        return NULL;
    }
    lesson *l = lesson_parse(text, len, err);
    free(text);
    return l;
}

/* The lesson as its file has it, for retirement: parsed from the file's lines the first time a lesson is
 * installed over the one the session opened with (which is the file's own: opening does not parse it twice). */
static const lesson *as_shipped(session *s)
{
    if (!s->shipped && s->file_line) {
        lesson_error err;
        s->shipped = build(s->file_line, s->n_file_lines, &err);
    }
    return s->shipped;
}

/* Quiz j of old that quiz k of l is: the same phase, node (by name), question and answer as written; or −1. */
static int same_quiz(const lesson *l, int k, const lesson *old)
{
    const lesson_quiz *q = &l->quiz[k];
    const lesson_name *node = lesson_node_name(l, q->node);
    for (int j = 0; j < old->n_quiz; j++) {
        const lesson_quiz *o = &old->quiz[j];
        const lesson_name *onode = lesson_node_name(old, o->node);
        if (o->phase == q->phase && (node == NULL) == (onode == NULL) && (!node || strcmp(node->name, onode->name) == 0) &&
            strcmp(o->question.text, q->question.text) == 0 && o->answer && q->answer && strcmp(o->answer, q->answer) == 0)
            return j;
    }
    return -1;
}

/* Put a new lesson in place, with a new walk and quizzes on it; with carry, the walk goes on under the
 * settings the old one had (a model edit) and the quizzes that still hold keep their answers, else under the
 * lesson's (opening, :reset). The text the edited model makes untrue is retired. */
static int install(session *s, lesson *l, int carry)
{
    walk *w = walk_new(l);
    quiz *q = w ? quiz_new(l, w) : NULL;
    /* opening, the lesson is the file's: it is the lesson as shipped */
    const lesson *shipped = q ? (s->l ? as_shipped(s) : l) : NULL;
    if (!shipped) {
        quiz_free(q);
        walk_free(w);
        lesson_free(l);
        return -1;
    }
    if (carry && s->w) {
        walk_set_lr(w, walk_lr(s->w));
        walk_set_epochs(w, walk_epochs(s->w));
        walk_set_precision(w, walk_precision(s->w));
        walk_set_zero_grad(w, walk_zero_grad(s->w));
    }
    lesson_retire(l, shipped);
    /* an edit starts the walk again, not the learner's answers: a quiz that still holds (not retired) and was
     * settled stays settled, so it is not asked twice and the score keeps it (lesson 12's guide is five edits) */
    for (int k = 0; carry && s->q && k < l->n_quiz; k++) {
        int j = l->quiz[k].retired ? -1 : same_quiz(l, k, s->l);
        if (j >= 0)
            quiz_restore(q, k, quiz_standing(s->q, j), quiz_tries(s->q, j));
    }
    quiz_free(s->q);
    walk_free(s->w);
    lesson_free(s->l);
    s->l = l;
    s->w = w;
    s->q = q;
    return 0;
}

static char **copy_lines(char *const *line, int n)
{
    char **c = calloc((size_t)n + 1, sizeof *c);
    for (int i = 0; c && i < n; i++)
        if (!(c[i] = strdup(line[i]))) {
            free_lines(c, i);
            return NULL;
        }
    return c;
}

/* A session on the lesson text (len bytes, freed here) read from path. */
static session *open_text(const char *path, char *text, size_t len, const catalog_langs *langs, lesson_error *err)
{
    lesson *l = lesson_parse(text, len, err);
    session *s = l ? calloc(1, sizeof *s) : NULL;
    if (!s || !(s->path = strdup(path))) {
        free(s);
        free(text);
        if (l) {
            lesson_free(l);
            memset(err, 0, sizeof *err);
            snprintf(err->message, sizeof err->message, _("out of memory"));
        }
        return NULL;
    }
    s->langs = *langs;
    /* the script: the same text's lines, as the parser split them */
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    int ok = 1;
    while (ok && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
        ok = push_line(&s->line, &s->n_lines, &s->cap_lines, p, k > 0 && p[k - 1] == '\r' ? k - 1 : k) == 0;
        p += k + 1;
    }
    free(text);
    s->file_line = ok ? copy_lines(s->line, s->n_lines) : NULL;
    s->n_file_lines = s->n_lines;
    if (!s->file_line || install(s, l, 0)) {
        memset(err, 0, sizeof *err);
        snprintf(err->message, sizeof err->message, _("out of memory"));
        if (s->file_line)
            l = NULL; /* install freed it */
        lesson_free(l);
        session_free(s);
        return NULL;
    }
    /* a lesson whose text tells what is still to come does not open, as --check refuses it */
    if (walk_check(s->w, err) < 0) {
        session_free(s);
        return NULL;
    }
    return s;
}

session *session_open(const char *path, const catalog_langs *langs, lesson_error *err)
{
    char *text;
    size_t len;
    if (lesson_read_file(path, &text, &len, err) < 0)
        return NULL;
    return open_text(path, text, len, langs, err);
}

void session_free(session *s)
{
    if (!s)
        return;
    quiz_free(s->q);
    walk_free(s->w);
    lesson_free(s->l);
    lesson_free(s->shipped);
    free_lines(s->line, s->n_lines);
    free_lines(s->file_line, s->n_file_lines);
    free(s->path);
    free(s->text);
    free(s);
}

/* ---------------------------------------------------------------- the ':' line ---------------- */

static const char *skip_blanks(const char *p) { return p + strspn(p, " \t"); }

/* Copy the word at p — up to the next blank — into w (cut to n − 1 bytes); returns its end. */
static const char *next_word(const char *p, char *w, size_t n)
{
    size_t k = strcspn(p, " \t");
    snprintf(w, n, "%.*s", (int)(k < n ? k : n - 1), p);
    return p + k;
}

/* The 1-based column of at in typed: characters, as the screen counts them. */
static int column(const char *typed, const char *at) { return text_column(typed, (size_t)(at - typed)); }

static int command_lookup(const char *w)
{
    for (int k = 0; k < SESSION_COMMAND_COUNT; k++)
        if (strcmp(command_names[k], w) == 0)
            return k;
    return -1;
}

static int is_defining(int st)
{
    return st == LESSON_STMT_PARAM || st == LESSON_STMT_INPUT || st == LESSON_STMT_LET || st == LESSON_STMT_LOSS ||
           st == LESSON_STMT_METRIC;
}

static void read_line(const char *text, lesson_line *what) { lesson_line_read(text, strlen(text), what); }

/* ---------------------------------------------------------------- what the screen shows -------- */

/*
 * The screen writes a node by its label (w₁, ŷ, loss) and a learner types what the screen shows: wherever a
 * name goes in a typed line — a statement's name, its formula, `set NAME`, a quiz's answer, the inside of a
 * placeholder — a label stands for its name, and the line is rewritten to names before the lesson's own parser
 * reads it (the script keeps what a lesson file would say). Text stays as typed outside its placeholders: a
 * `say` about "the loss" is prose. A real name wins over a label spelled the same, and so do the settings'
 * words (lr, epoch, epochs) and a function called as one. Errors point into the rewritten line, and their
 * column is carried back to the typed one (struct rewrite).
 */
enum { LABEL_MAX = 32 }; /* bytes in a label (lesson.c refuses longer) */

struct rewrite {
    char *out;
    size_t len, cap;
    struct swap { size_t in, in_len, out, out_len; } *swap; /* each label replaced, in order */
    int n_swap, cap_swap;
    int *slot; /* the labels: a hash of their text, to each name's index + 1 */
    unsigned mask;
};

static int is_word_byte(unsigned char c) { return c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'); }

static unsigned hash_bytes(const char *p, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static int labels_index(const lesson *l, struct rewrite *rw)
{
    int labelled = 0;
    for (int i = 0; i < l->n_names; i++)
        labelled += l->names[i].label != NULL;
    if (!labelled)
        return 0;
    unsigned cap = 8;
    while (cap < 2u * (unsigned)labelled)
        cap *= 2;
    rw->slot = calloc(cap, sizeof *rw->slot);
    if (!rw->slot)
        return -1;
    rw->mask = cap - 1;
    for (int i = 0; i < l->n_names; i++) {
        const char *lb = l->names[i].label;
        if (!lb || !*lb || strlen(lb) > LABEL_MAX)
            continue;
        unsigned k = hash_bytes(lb, strlen(lb)) & rw->mask;
        while (rw->slot[k] && strcmp(l->names[rw->slot[k] - 1].label, lb) != 0)
            k = (k + 1) & rw->mask;
        if (!rw->slot[k]) /* two nodes with one label: the first declared */
            rw->slot[k] = i + 1;
    }
    return 0;
}

/* The name whose label is p[0..n), or −1. */
static int label_at(const lesson *l, const struct rewrite *rw, const char *p, size_t n)
{
    if (!rw->slot)
        return -1;
    for (unsigned k = hash_bytes(p, n) & rw->mask; rw->slot[k]; k = (k + 1) & rw->mask) {
        const char *lb = l->names[rw->slot[k] - 1].label;
        if (strlen(lb) == n && memcmp(lb, p, n) == 0)
            return rw->slot[k] - 1;
    }
    return -1;
}

static int rw_put(struct rewrite *rw, const char *p, size_t n)
{
    if (rw->len + n + 1 > rw->cap) {
        size_t cap = (rw->len + n + 1) * 2;
        char *o = realloc(rw->out, cap);
        if (!o)
            return -1;
        rw->out = o;
        rw->cap = cap;
    }
    memcpy(rw->out + rw->len, p, n);
    rw->len += n;
    rw->out[rw->len] = '\0';
    return 0;
}

/* A label typed at in[at..): the longest label that ends where a name could (no letter, digit or _ after it),
 * and is not a name, a setting's word or a called function spelled the same. Its name's index, and *n. */
static int typed_label(const lesson *l, const struct rewrite *rw, const char *in, size_t at, size_t end, size_t *n)
{
    int found = -1;
    for (size_t k = 1; k <= LABEL_MAX && at + k <= end; k++) {
        if (at + k < end && ((unsigned char)in[at + k] & 0xC0) == 0x80)
            continue; /* not the end of a character */
        if (at + k < end && is_word_byte((unsigned char)in[at + k]) && is_word_byte((unsigned char)in[at + k - 1]))
            continue; /* the word goes on */
        int i = label_at(l, rw, in + at, k);
        if (i < 0)
            continue;
        char word[LABEL_MAX + 1];
        snprintf(word, sizeof word, "%.*s", (int)k, in + at);
        size_t after = at + k;
        while (after < end && (in[after] == ' ' || in[after] == '\t'))
            after++;
        if (lesson_find(l, word) >= 0 || lesson_setting_lookup(word) >= 0 || strcmp(word, "epoch") == 0 ||
            (after < end && in[after] == '('))
            continue;
        found = i;
        *n = k;
    }
    return found;
}

/* Copy in[from..to) with every label that stands where a name could start replaced by its name. */
static int rewrite_names(const lesson *l, struct rewrite *rw, const char *in, size_t from, size_t to)
{
    for (size_t p = from; p < to;) {
        size_t n = 0;
        int i = (p == from || !is_word_byte((unsigned char)in[p - 1])) && ((unsigned char)in[p] & 0xC0) != 0x80
                    ? typed_label(l, rw, in, p, to, &n)
                    : -1;
        if (i < 0) {
            if (rw_put(rw, in + p, 1) < 0)
                return -1;
            p++;
            continue;
        }
        if (rw->n_swap == rw->cap_swap) {
            int c = rw->cap_swap ? 2 * rw->cap_swap : 8;
            struct swap *sw = realloc(rw->swap, (size_t)c * sizeof *sw);
            if (!sw)
                return -1;
            rw->swap = sw;
            rw->cap_swap = c;
        }
        const char *name = l->names[i].name;
        rw->swap[rw->n_swap++] = (struct swap){ p, n, rw->len, strlen(name) };
        if (rw_put(rw, name, strlen(name)) < 0)
            return -1;
        p += n;
    }
    return 0;
}

/* Copy text in[from..to) as typed, but the inside of each placeholder "{…}" ("{{" and "}}" are braces). */
static int rewrite_text(const lesson *l, struct rewrite *rw, const char *in, size_t from, size_t to)
{
    size_t p = from;
    while (p < to) {
        const char *open = memchr(in + p, '{', to - p);
        size_t o = open ? (size_t)(open - in) : to;
        if (o + 1 < to && in[o + 1] == '{')
            o += 2;
        else if (o < to) {
            const char *close = memchr(in + o, '}', to - o);
            size_t c = close ? (size_t)(close - in) : to;
            if (rw_put(rw, in + p, o + 1 - p) < 0 || rewrite_names(l, rw, in, o + 1, c) < 0)
                return -1;
            p = c;
            continue;
        }
        if (rw_put(rw, in + p, (o < to ? o : to) - p) < 0)
            return -1;
        p = o < to ? o : to;
    }
    return 0;
}

static size_t word_end(const char *in, size_t p, const char *stops)
{
    while (in[p] && !strchr(stops, in[p]))
        p++;
    return p;
}

/*
 * Rewrite the typed line (commands and statements) into rw->out: where its names and formulas are depends on
 * the statement. 0, or −1 when memory ran out.
 */
static int rewrite_line(const lesson *l, const char *typed, struct rewrite *rw)
{
    if (labels_index(l, rw) < 0)
        return -1;
    size_t end = strlen(typed), p = (size_t)(skip_blanks(typed) - typed);
    if (typed[p] == ':')
        p = (size_t)(skip_blanks(typed + p + 1) - typed);
    size_t kw_end = word_end(typed, p, " \t!");
    char kw[16];
    snprintf(kw, sizeof kw, "%.*s", (int)(kw_end - p < sizeof kw ? kw_end - p : 0), typed + p);
    size_t args = (size_t)(skip_blanks(typed + kw_end + (typed[kw_end] == '!')) - typed);
    if (rw_put(rw, typed, args) < 0)
        return -1;
    int st = lesson_statement_lookup(kw);
    size_t name_end = word_end(typed, args, " \t=[#");
    switch (st) {
    case LESSON_STMT_PARAM:
    case LESSON_STMT_INPUT:
    case LESSON_STMT_LET:
    case LESSON_STMT_LOSS:
    case LESSON_STMT_METRIC:
    case LESSON_STMT_SET:
    case LESSON_STMT_ANSWER: /* a name, then numbers or a formula */
        return rewrite_names(l, rw, typed, args, end);
    case LESSON_STMT_LABEL:
    case LESSON_STMT_EXPLAIN: /* NAME TEXT */
        return rewrite_names(l, rw, typed, args, name_end) < 0 ? -1 : rewrite_text(l, rw, typed, name_end, end);
    case LESSON_STMT_QUIZ: { /* PHASE [NAME]: QUESTION */
        const char *colon = strchr(typed + args, ':');
        size_t c = colon ? (size_t)(colon - typed) : end;
        return rewrite_names(l, rw, typed, args, c) < 0 ? -1 : rewrite_text(l, rw, typed, c, end);
    }
    case LESSON_STMT_LAYER: { /* TITLE: NAME … */
        const char *colon = strchr(typed + args, ':');
        size_t c = colon ? (size_t)(colon - typed) : end;
        return rw_put(rw, typed + args, c - args) < 0 ? -1 : rewrite_names(l, rw, typed, c, end);
    }
    case LESSON_STMT_SAY:
    case LESSON_STMT_TRY:
    case LESSON_STMT_NOTE:
    case LESSON_STMT_HINT:
        return rewrite_text(l, rw, typed, args, end);
    default: /* title, lang, and the commands but set (above): no name is typed there */
        return rw_put(rw, typed + args, end - args);
    }
}

/* A 1-based column of rw->out, as the same place in what was typed (from; a label's name counts as where the
 * label was). */
static int typed_column(const struct rewrite *rw, const char *typed, int col)
{
    if (col <= 0 || !rw->out)
        return col;
    size_t at = 0;
    for (int c = 1; c < col && at < rw->len; c++) { /* the byte of column col in out */
        uint32_t ch;
        at += text_char(rw->out + at, rw->len - at, &ch);
    }
    long shift = 0;
    for (int k = 0; k < rw->n_swap; k++) {
        const struct swap *sw = &rw->swap[k];
        if (at < sw->out)
            break;
        if (at < sw->out + sw->out_len)
            return text_column(typed, sw->in);
        shift = (long)sw->in + (long)sw->in_len - (long)(sw->out + sw->out_len);
    }
    return text_column(typed, (size_t)((long)at + shift));
}

static void rewrite_free(struct rewrite *rw)
{
    free(rw->out);
    free(rw->swap);
    free(rw->slot);
}

/* ---------------------------------------------------------------- near misses ------------------ */

/* The code points of s, at most n; how many. */
static int code_points(const char *s, uint32_t *cp, int n)
{
    int k = 0;
    for (size_t len = strlen(s), i = 0; i < len && k < n;)
        i += text_char(s + i, len - i, &cp[k++]);
    return k;
}

/* The edit distance of a and b (insertions, deletions, substitutions and swaps of neighbours, on characters). */
static int distance(const char *a, const char *b)
{
    enum { MAX = LESSON_NAME_MAX + 1 };
    uint32_t x[MAX], y[MAX];
    int m = code_points(a, x, MAX), n = code_points(b, y, MAX);
    static int d[MAX + 1][MAX + 1];
    for (int i = 0; i <= m; i++)
        d[i][0] = i;
    for (int j = 0; j <= n; j++)
        d[0][j] = j;
    for (int i = 1; i <= m; i++)
        for (int j = 1; j <= n; j++) {
            int cost = x[i - 1] != y[j - 1], best = d[i - 1][j - 1] + cost;
            best = d[i - 1][j] + 1 < best ? d[i - 1][j] + 1 : best;
            best = d[i][j - 1] + 1 < best ? d[i][j - 1] + 1 : best;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[m][n];
}

enum { SUGGEST_MAX = 3 };

/* How far typed is from a name or label: the edit distance, but a single character is near only what it
 * begins ("w" for w₁ and w2; not "q" for w, x and y). */
static int nearness(const char *typed, int len, const char *name)
{
    if (len == 1)
        return strncmp(typed, name, strlen(typed)) == 0 && strlen(name) > strlen(typed) ? 1 : 99;
    return distance(typed, name);
}

/*
 * "; did you mean w₁ (w1)?": the names (any, or params and inputs for set) nearest to what was typed, by name
 * or by label, when near enough to be a slip (one character in three, at least one), at most three; the
 * settings too for set. Appended to msg.
 */
static void suggest(const lesson *l, const char *typed, int for_set, char *msg, size_t n)
{
    int len = code_points(typed, (uint32_t[LESSON_NAME_MAX + 1]){ 0 }, LESSON_NAME_MAX + 1);
    int most = (len + 2) / 3 < 1 ? 1 : (len + 2) / 3 > 3 ? 3 : (len + 2) / 3;
    int best = most + 1, found[SUGGEST_MAX], n_found = 0;
    const char *settings_found[SUGGEST_MAX];
    int n_settings = 0;
    if (!*typed || len > LESSON_NAME_MAX)
        return;
    for (int i = 0; i < l->n_names; i++) {
        const lesson_name *nm = &l->names[i];
        if (for_set && nm->kind != LESSON_PARAM && nm->kind != LESSON_INPUT)
            continue;
        int d = nearness(typed, len, nm->name);
        if (nm->label) {
            int dl = nearness(typed, len, nm->label);
            d = dl < d ? dl : d;
        }
        if (d > most)
            continue;
        if (d < best)
            best = d, n_found = 0, n_settings = 0;
        if (d == best && n_found < SUGGEST_MAX)
            found[n_found++] = i;
    }
    for (int k = 0; for_set && k < LESSON_SET_COUNT; k++) {
        const char *name = lesson_setting_name((enum lesson_setting)k);
        int d = nearness(typed, len, name);
        if (d > most)
            continue;
        if (d < best)
            best = d, n_found = 0, n_settings = 0;
        if (d == best && n_found + n_settings < SUGGEST_MAX)
            settings_found[n_settings++] = name;
    }
    if (n_found + n_settings == 0)
        return;
    size_t used = strlen(msg);
    /* TRANSLATORS: a suggestion after an error: "…; did you mean w₁ (w1), w2 or lr?" */
    used += (size_t)snprintf(msg + used, used < n ? n - used : 0, "%s", _("; did you mean "));
    for (int k = 0; k < n_found + n_settings && used < n; k++) {
        const char *sep = k == 0 ? "" : k == n_found + n_settings - 1 ? _(" or ") : _(", ");
        if (k < n_found) {
            const lesson_name *nm = &l->names[found[k]];
            if (nm->label)
                used += (size_t)snprintf(msg + used, n - used, "%s%s (%s)", sep, nm->label, nm->name);
            else
                used += (size_t)snprintf(msg + used, n - used, "%s%s", sep, nm->name);
        } else {
            used += (size_t)snprintf(msg + used, n - used, "%s%s", sep, settings_found[k - n_found]);
        }
    }
    if (used < n)
        snprintf(msg + used, n - used, "%s", _("?"));
}

/*
 * A message of the lesson's with "unknown name 'X'" in it gets the names near X. The phrase is found in the
 * learner's language: the translated LESSON_UNKNOWN_NAME's text before its %s, a name (ASCII letters, digits
 * and '_', as the lesson reads one), then its text after the %s; the suggestion goes right after that.
 */
static void suggest_in_message(const lesson *l, char *msg, size_t n)
{
    const char *fmt = _(LESSON_UNKNOWN_NAME), *hole = strstr(fmt, "%s");
    char head[LESSON_MSG_MAX];
    if (!hole || hole == fmt || (size_t)(hole - fmt) >= sizeof head)
        return;
    snprintf(head, sizeof head, "%.*s", (int)(hole - fmt), fmt);
    const char *after = hole + 2, *at = NULL, *q = NULL;
    size_t after_len = strlen(after);
    for (const char *p = msg; !q && (p = strstr(p, head)) != NULL; p++) {
        const char *e = p + strlen(head);
        while (*e == '_' || (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9'))
            e++;
        if (e > p + strlen(head) && strncmp(e, after, after_len) == 0)
            at = p + strlen(head), q = e;
    }
    if (!q || q - at > LESSON_NAME_MAX)
        return;
    char typed[LESSON_NAME_MAX + 1], tail[LESSON_MSG_MAX];
    snprintf(typed, sizeof typed, "%.*s", (int)(q - at), at);
    /* the suggestion goes right after the phrase: "unknown name 'q'; did you mean …?" then the rest */
    q += after_len;
    snprintf(tail, sizeof tail, "%s", q);
    msg[q - msg] = '\0';
    suggest(l, typed, 0, msg, n);
    size_t used = strlen(msg), q_len = strlen(_("?"));
    int asks = used >= q_len && strcmp(msg + used - q_len, _("?")) == 0;
    int full_stop = strcmp(tail, ".") == 0 || strcmp(tail, "\u3002") == 0; /* '.' or the CJK '。' */
    if (!full_stop || !asks) /* "…; did you mean y?" ends the sentence */
        snprintf(msg + used, used < n ? n - used : 0, "%s", tail);
}

/* ---------------------------------------------------------------- live edits ------------------ */

/* The typed line's column, from an error in a script where that line is line number at (1-based). */
static void report(session_result *r, const lesson_error *err, int at, char *const *script, int typed_offset)
{
    if (err->line == at) {
        fail(r, err->col + typed_offset, "%s", err->message);
    } else if (err->line > 0) {
        char shown[80];
        text_cut(shown, sizeof shown, snprintf(shown, sizeof shown, "%s", skip_blanks(script[err->line - 1])));
        fail(r, 0, _("that breaks line %d (%s): %s"), err->line, shown, err->message);
    } else {
        fail(r, 0, "%s", err->message);
    }
}

/* Does a formula use the node called name (not a function of that name)? */
static int uses_node(const lesson_use *u, void *name) { return !u->call && strcmp(u->name, (const char *)name) == 0; }

/*
 * Which of the lines after a definition must move with it when it goes to the end of the script: a label
 * or explanation of the name, a formula that uses it, and a quiz about it with its answer and hints.
 * Narration stays where it is. moving[i] is set for each line i > from.
 */
static void lines_that_follow(const session *s, int from, const char *name, char *moving)
{
    char node[LESSON_NAME_MAX + 1];
    snprintf(node, sizeof node, "%s", name);
    int in_quiz = 0;
    for (int i = from + 1; i < s->n_lines; i++) {
        const char *line = s->line[i];
        lesson_line what;
        read_line(line, &what);
        int st = what.statement;
        moving[i] = 0;
        if (st == LESSON_STMT_ANSWER || st == LESSON_STMT_HINT) {
            moving[i] = (char)in_quiz;
            continue;
        }
        in_quiz = 0;
        if (st == LESSON_STMT_LABEL || st == LESSON_STMT_EXPLAIN)
            moving[i] = strcmp(what.name, name) == 0;
        else if ((st == LESSON_STMT_LET || st == LESSON_STMT_LOSS || st == LESSON_STMT_METRIC) && what.expr)
            moving[i] = lesson_expr_names(line + what.expr, strlen(line) - what.expr, uses_node, node) != 0;
        else if (st == LESSON_STMT_QUIZ)
            in_quiz = moving[i] = strcmp(what.name, name) == 0;
    }
}

/*
 * A statement typed at the prompt: try it in place of the line that defines the same name (for `loss`,
 * the loss line), then at the end, with the later lines that mention the name moved after it; keep the first
 * script that builds. typed_offset is where the statement
 * starts in what was typed, so columns point into the typed line.
 */
static void edit_model(session *s, const char *stmt_text, int stmt, const char *name, int typed_offset,
                       session_result *r)
{
    int old = -1;
    for (int i = 0; i < s->n_lines; i++) {
        lesson_line what;
        read_line(s->line[i], &what);
        if (what.defines && (strcmp(what.name, name) == 0 ||
                             (stmt == LESSON_STMT_LOSS && what.statement == LESSON_STMT_LOSS)))
            old = i;
    }
    char *moving = calloc((size_t)s->n_lines + 1, 1);
    if (!moving) {
        fail(r, 0, _("out of memory"));
        return;
    }
    if (old >= 0)
        lines_that_follow(s, old, name, moving);
    lesson_error first_err;
    int first_at = 0;
    char **first_script = NULL;
    int first_n = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (attempt == 0 && old < 0)
            continue;
        /* attempt 0: in place of the old line; attempt 1: the old line gone, the new one at the end */
        char **script = NULL;
        int n = 0, cap = 0, at = 0, failed = 0;
        for (int i = 0; i < s->n_lines && !failed; i++) {
            if (i == old) {
                if (attempt == 0) {
                    failed = push_line(&script, &n, &cap, stmt_text, strlen(stmt_text));
                    at = n;
                }
                continue;
            }
            if (attempt == 1 && moving[i])
                continue; /* moves with the definition, below */
            failed = push_line(&script, &n, &cap, s->line[i], strlen(s->line[i]));
        }
        if (attempt == 1 && !failed) {
            failed = push_line(&script, &n, &cap, stmt_text, strlen(stmt_text));
            at = n;
            for (int i = old + 1; old >= 0 && i < s->n_lines && !failed; i++)
                if (moving[i])
                    failed = push_line(&script, &n, &cap, s->line[i], strlen(s->line[i]));
        }
        lesson_error err;
        lesson *l = failed ? NULL : build(script, n, &err);
        if (failed) {
            memset(&err, 0, sizeof err);
            snprintf(err.message, sizeof err.message, _("out of memory"));
        }
        if (l && install(s, l, 1) == 0) {
            free_lines(s->line, s->n_lines);
            s->line = script;
            s->n_lines = n;
            s->cap_lines = cap;
            free_lines(first_script, first_n);
            free(moving);
            r->flags |= SESSION_MOVED | SESSION_REBUILT;
            say(r, old >= 0 ? _("%s is redefined; the walkthrough starts again") : _("%s is added; the walkthrough starts again"),
                name);
            return;
        }
        if (!first_script) {
            first_err = err;
            first_at = at;
            first_script = script;
            first_n = n;
        } else {
            free_lines(script, n);
        }
    }
    report(r, &first_err, first_at, first_script, typed_offset);
    free_lines(first_script, first_n);
    free(moving);
}

/* A statement that changes no graph (title, label, say, …): run it on the lesson, keep it in the script. Text
 * that would tell what is not on screen yet where it is shown is taken back (walk_check: a typed line is the
 * only one without a line number). */
static void edit_text(session *s, const char *stmt_text, int typed_offset, session_result *r)
{
    lesson_error err;
    if (lesson_exec_line(s->l, stmt_text, &err) != 0) {
        fail(r, err.col + typed_offset, "%s", err.message);
        return;
    }
    if (walk_check(s->w, &err) < 0 && err.line == 0) {
        lesson_drop_last_text(s->l);
        fail(r, err.col + typed_offset, "%s", err.message);
        return;
    }
    if (push_line(&s->line, &s->n_lines, &s->cap_lines, stmt_text, strlen(stmt_text)) == 0)
        r->flags |= SESSION_MOVED;
    say(r, _("done"));
}

/* ---------------------------------------------------------------- set ------------------------- */

/* Rewrite the script line that defines a parameter or an input with its values now, so that a later
 * rebuild (a typed `let` or `loss`) keeps what was set. */
static void remember_value(session *s, const lesson_name *nm)
{
    const graph_node *gn = graph_node_at(s->l->g, nm->id);
    size_t size = 64 + strlen(nm->name) + (size_t)gn->len * 26, used = 0;
    char *text = malloc(size);
    if (!text)
        return;
    used += (size_t)snprintf(text, size, "%s %s = ", nm->kind == LESSON_PARAM ? "param" : "input", nm->name);
    for (int i = 0; i < gn->len && used < size; i++) /* read back as a lesson: the C locale's '.' */
        used += (size_t)lesson_format(text + used, size - used, "%s%.17g", i ? ", " : "", gn->data[i]);
    for (int i = 0; i < s->n_lines; i++) {
        lesson_line what;
        read_line(s->line[i], &what);
        if (what.defines && strcmp(what.name, nm->name) == 0) {
            free(s->line[i]);
            s->line[i] = text;
            return;
        }
    }
    free(text);
}

/* set SETTING VALUE is the lesson's statement; set NAME VALUE… changes a parameter's or an input's numbers.
 * stmt is the command in typed, from "set" on. */
static void cmd_set(session *s, const char *typed, const char *stmt, session_result *r)
{
    lesson_line set;
    read_line(stmt, &set);
    const char *name = set.name, *args = stmt + set.args;
    const char *p = *name ? stmt + set.name_at + strlen(name) : args;
    int name_col = column(typed, args);
    if (!*name) {
        char w[64];
        next_word(args, w, sizeof w);
        if (*w && *w != '#') {
            fail(r, name_col, _("no parameter, input or setting called '%s'"), w);
            suggest(s->l, w, 1, r->message, sizeof r->message);
        } else {
            fail(r, name_col, _("set what? set lr 0.1, set w 0.5, set x 1, 2, 3"));
        }
        return;
    }
    int setting = lesson_setting_lookup(name);
    if (setting >= 0) {
        /* the lesson's own statement reads the value (on a scratch lesson); the setting is the walk's, this
         * epoch's: going back past its start undoes it, and the lesson keeps what its file says */
        lesson_error err;
        lesson *scratch = lesson_new();
        if (!scratch) {
            fail(r, 0, _("out of memory"));
            return;
        }
        if (lesson_exec_line(scratch, stmt, &err) != 0) {
            fail(r, column(typed, stmt) - 1 + err.col, "%s", err.message);
            lesson_free(scratch);
            return;
        }
        if (setting == LESSON_SET_EPOCHS && scratch->epochs == 0) {
            /* a lesson file may say 0 (--train then prints nothing); the walk's setting is what t trains */
            fail(r, column(typed, p) + (int)(skip_blanks(p) - p), _("epochs must be from 1 to 1000000: t trains that many"));
            lesson_free(scratch);
            return;
        }
        switch ((enum lesson_setting)setting) {
        case LESSON_SET_LR: walk_set_lr(s->w, scratch->lr); break;
        case LESSON_SET_EPOCHS: walk_set_epochs(s->w, scratch->epochs); break;
        case LESSON_SET_PRECISION: walk_set_precision(s->w, graph_precision(scratch->g)); break;
        case LESSON_SET_COUNT: break;
        }
        lesson_free(scratch);
        r->flags |= SESSION_MOVED;
        say(r, _("%s is now %s"), name, skip_blanks(p));
        return;
    }
    int idx = lesson_find(s->l, name);
    const lesson_name *nm = idx >= 0 ? &s->l->names[idx] : NULL;
    if (!nm) {
        fail(r, name_col, _("no parameter, input or setting called '%s'"), name);
        suggest(s->l, name, 1, r->message, sizeof r->message);
        return;
    }
    if (nm->kind != LESSON_PARAM && nm->kind != LESSON_INPUT) {
        fail(r, name_col, _("%s is computed from other nodes; set a parameter or an input"), lesson_display(nm));
        return;
    }
    const graph_node *gn = graph_node_at(s->l->g, nm->id);
    int index = -1;
    if (*p == '[') {
        char *e;
        long i = strtol(p + 1, &e, 10);
        if (e == p + 1 || *e != ']' || i < 1 || i > gn->len) {
            if (gn->len == 1)
                fail(r, column(typed, p), _("%s is one number: set %s VALUE"), name, name);
            else
                fail(r, column(typed, p), _("%s has %d values: write %s[1] to %s[%d]"), name, gn->len, name,
                     name, gn->len);
            return;
        }
        index = (int)i - 1;
        p = e + 1;
    }
    double v[4096];
    int n = 0;
    p = skip_blanks(p);
    if (*p == '=')
        p = skip_blanks(p + 1);
    for (;;) {
        lesson_error err;
        size_t k;
        if (n == (int)(sizeof v / sizeof v[0])) {
            fail(r, column(typed, p), _("too many numbers"));
            return;
        }
        if (lesson_read_number(p, &v[n], &k, &err) != 0) { /* the same numbers a lesson accepts */
            fail(r, column(typed, p) - 1 + err.col, "%s", err.message);
            return;
        }
        n++;
        p = skip_blanks(p + k);
        if (*p != ',')
            break;
        p = skip_blanks(p + 1);
    }
    if (*p) {
        fail(r, column(typed, p), _("unexpected text after the number"));
        return;
    }
    int want = index >= 0 ? 1 : gn->len;
    if (n != want && !(n == 1 && index < 0)) {
        fail(r, column(typed, args),
             ngettext("%s has %d value, but %d were given", "%s has %d values, but %d were given",
                      (unsigned long)gn->len),
             name, gn->len, n);
        return;
    }
    for (int i = 0; i < (index >= 0 ? 1 : gn->len); i++)
        walk_set_data(s->w, nm->id, index >= 0 ? index : i, v[n == 1 ? 0 : i]);
    remember_value(s, nm);
    r->flags |= SESSION_MOVED;
    char shown[256];
    if (walk_value_updated(s->w, nm->id)) { /* the epoch's update is done: what was set, and what it made */
        char start[256];
        walk_format_start_values(s->w, nm->id, start, sizeof start);
        walk_format_values(s->w, nm->id, shown, sizeof shown);
        say(r, _("%s = %s from the start of epoch %d; after the update, %s = %s"), lesson_display(nm), start,
            walk_epoch(s->w), lesson_display(nm), shown);
        return;
    }
    walk_format_values(s->w, nm->id, shown, sizeof shown);
    say(r, "%s = %s", lesson_display(nm), shown);
}

/* ---------------------------------------------------------------- the other commands ---------- */

static int whole_number(const char *p, long min, long max, long *out, const char **end)
{
    char *e;
    errno = 0;
    long v = strtol(p, &e, 10);
    if (e == p || errno || v < min || v > max)
        return -1;
    *out = v;
    *end = e;
    return 0;
}

static void cmd_check(session *s, session_result *r)
{
    lesson *l = s->l;
    if (l->loss < 0) {
        fail(r, 0, _("there is no loss to check yet"));
        return;
    }
    size_t size = 16384, used = 0;
    char *text = malloc(size);
    if (!text) {
        fail(r, 0, _("out of memory"));
        return;
    }
    text[0] = '\0';
    used = put_col(text, size, used, "", 14, 0);
    /* TRANSLATORS: the columns of :check's table (backprop's gradient, the numeric one, their relative error) */
    used = put_col(text, size, used, _("backprop"), 14, 1);
    used = put_col(text, size, used, _("numeric"), 14, 1);
    used = put_col(text, size, used, _("rel. error"), 12, 1);
    used = put_col(text, size, used, "\n", 0, 0);
    double worst = 0;
    for (int p = 0; p < walk_param_count(s->w); p++) {
        int id = walk_param_id(s->w, p);
        const graph_node *n = graph_node_at(l->g, id);
        for (int i = 0; i < n->len && used < size; i++) {
            double bp = walk_grad(s->w, id, i);
            double num = graph_numeric_grad(l->g, l->loss, id, i);
            /* relative to the larger of the two; 1e−300 only keeps 0/0 away when both are 0 */
            double err = fabs(bp - num) / fmax(fmax(fabs(bp), fabs(num)), 1e-300);
            worst = fmax(worst, err);
            char head[256], a[64], b[64], e[64];
            walk_grad_name(s->w, id, head, sizeof head);
            if (n->len > 1)
                snprintf(head + strlen(head), sizeof head - strlen(head), "[%d]", i + 1);
            walk_format_number(bp, a, sizeof a);
            walk_format_number(num, b, sizeof b);
            walk_format_digits(err, 2, e, sizeof e);
            used = put_col(text, size, used, head, 14, 0);
            used = put_col(text, size, used, a, 14, 1);
            used = put_col(text, size, used, b, 14, 1);
            used = put_col(text, size, used, e, 12, 1);
            used = put_col(text, size, used, "\n", 0, 0);
        }
    }
    set_text(s, r, text);
    char most[64]; /* written as the table writes it: one number format on the screen */
    walk_format_digits(worst, 2, most, sizeof most);
    say(r, _("gradient check: the largest relative error is %s"), most);
}

/* :reset and r: the lesson as its file has it — its model (undoing :let, :loss, …), its settings, its quizzes
 * unanswered — at epoch 1, step 1. */
static void cmd_reset(session *s, session_result *r)
{
    lesson_error err;
    char **script = copy_lines(s->file_line, s->n_file_lines);
    lesson *l = script ? build(script, s->n_file_lines, &err) : NULL;
    if (!l || install(s, l, 0) != 0) {
        free_lines(script, s->n_file_lines);
        fail(r, 0, _("out of memory"));
        return;
    }
    free_lines(s->line, s->n_lines);
    s->line = script;
    s->n_lines = s->cap_lines = s->n_file_lines;
    r->flags |= SESSION_MOVED | SESSION_REBUILT;
    say(r, _("back to the lesson as its file has it: epoch 1, step 1"));
}

static void cmd_help(session *s, const char *arg, session_result *r)
{
    char w[64];
    next_word(arg, w, sizeof w);
    int c = command_lookup(w), st = lesson_statement_lookup(w);
    if (*w && c < 0 && st < 0) {
        fail(r, 0, _("no command called '%s'"), w);
        return;
    }
    if (*w) {
        if (c >= 0)
            say(r, "%s %s — %s", command_names[c], command_args[c], _(command_help[c]));
        else
            say(r, "%s %s — %s", w, lesson_statement_args((enum lesson_statement)st),
                _(lesson_statement_help((enum lesson_statement)st)));
        return;
    }
    size_t size = 8192, used = 0;
    char *text = malloc(size);
    if (!text)
        return;
    text[0] = '\0';
    /* one column for the commands and statements, as wide as the widest */
    char head[SESSION_COMMAND_COUNT + LESSON_STMT_COUNT][96];
    int width = 0;
    for (int k = 0; k < SESSION_COMMAND_COUNT + LESSON_STMT_COUNT; k++) {
        if (k < SESSION_COMMAND_COUNT)
            snprintf(head[k], sizeof head[k], ":%s %s", command_names[k], command_args[k]);
        else
            snprintf(head[k], sizeof head[k], ":%s %s",
                     lesson_statement_name((enum lesson_statement)(k - SESSION_COMMAND_COUNT)),
                     lesson_statement_args((enum lesson_statement)(k - SESSION_COMMAND_COUNT)));
        if (text_width(head[k]) > width)
            width = text_width(head[k]);
    }
    for (int k = 0; k < SESSION_COMMAND_COUNT + LESSON_STMT_COUNT; k++) {
        if (k == 0)
            used = put_col(text, size, used, _("Commands\n"), 0, 0);
        if (k == SESSION_COMMAND_COUNT)
            used = put_col(text, size, used, _("\nThe lesson's statements work here too\n"), 0, 0);
        used = put_col(text, size, used, "  ", 0, 0);
        used = put_col(text, size, used, head[k], width + 2, 0);
        used = put_col(text, size, used,
                       _(k < SESSION_COMMAND_COUNT ? command_help[k]
                                                   : lesson_statement_help((enum lesson_statement)(k - SESSION_COMMAND_COUNT))),
                       0, 0);
        used = put_col(text, size, used, "\n", 0, 0);
    }
    set_text(s, r, text);
    say(r, _("%d commands and %d statements"), SESSION_COMMAND_COUNT, LESSON_STMT_COUNT);
}

/* A name ending in ".lesson" is a lesson, and its error is told as --check tells it. Any other file that does
 * not load is only said not to: the error would quote it ("unknown statement 'root'" from /etc/passwd), and
 * the prompt is not a way to read files. */
static int looks_like_lesson(const char *path)
{
    size_t n = strlen(path);
    return n >= 7 && strcmp(path + n - 7, ".lesson") == 0;
}

static void cmd_load(session *s, const char *arg, int col, session_result *r)
{
    char path[8192], where[512];
    const char *why;
    if (!*arg) {
        fail(r, col, _("load which lesson? a number, a slug or a path"));
        return;
    }
    if (catalog_find(arg, &s->langs, path, sizeof path) < 0) {
        catalog_where(&s->langs, where, sizeof where);
        fail(r, col, _("no lesson '%s' in %s"), arg, where);
        return;
    }
    /* only a regular file, opened without blocking: a FIFO would wait for a writer, forever */
    char *text;
    size_t len;
    if (file_read(path, LESSON_FILE_MAX, &text, &len, &why) < 0) {
        fail(r, col, _("cannot load %s: %s%s"), path, why, strncmp(why, "a ", 2) == 0 ? _(", not a lesson file") : "");
        return;
    }
    lesson_error err;
    session *other = open_text(path, text, len, &s->langs, &err);
    if (!other) {
        if (err.line && looks_like_lesson(path))
            fail(r, col, "%s:%d:%d: %s", path, err.line, err.col, err.message);
        else if (err.line)
            fail(r, col, _("%s is not a lesson: line %d does not read (bptutor --check %s says why)"), path, err.line,
                 path);
        else
            fail(r, col, "%s: %s", path, err.message);
        return;
    }
    /* swap insides: this session takes the new lesson, the other one leaves with the old */
    session old = *s;
    *s = *other;
    s->text = old.text;
    old.text = NULL;
    s->progress = old.progress;
    s->progress_ctx = old.progress_ctx;
    *other = old;
    session_free(other);
    r->flags |= SESSION_MOVED | SESSION_REBUILT;
    say(r, "%s", s->l->title ? s->l->title : path);
}

static int write_dot(FILE *f, void *l) { return dot_write(f, l); }

/* The model as it stands, with the walk's settings (after :set lr, :set precision, :zerograd). */
struct python_export {
    const lesson *l;
    export_settings settings;
};
static int write_python(FILE *f, void *ctx)
{
    const struct python_export *e = ctx;
    return export_python(f, e->l, &e->settings);
}

void session_on_progress(session *s, session_progress *fn, void *ctx)
{
    s->progress = fn;
    s->progress_ctx = ctx;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Epochs go in chunks that take about 10 to 50 ms, so that progress is asked often enough to stop at once,
 * and the walk is called seldom enough to cost nothing. */
int session_train(session *s, int n, int *stopped)
{
    int done = 0, chunk = 1;
    double began = seconds(), asked = began;
    *stopped = 0;
    while (done < n) {
        int k = n - done < chunk ? n - done : chunk;
        double start = seconds();
        int got = walk_train(s->w, k);
        done += got;
        if (got < k) /* memory ran out */
            break;
        double end = seconds();
        if (end - start < 0.01 && chunk < (1 << 20))
            chunk *= 2;
        else if (end - start > 0.05 && chunk > 1)
            chunk /= 2;
        if (s->progress && done < n && end - asked >= 0.05) {
            asked = end;
            if (s->progress(s->progress_ctx, done, n, end - began)) {
                *stopped = 1;
                break;
            }
        }
    }
    return done;
}

static void exec_line(session *s, const char *typed, session_result *r);

void session_exec(session *s, const char *typed, session_result *r)
{
    struct rewrite rw = { 0 };
    if (rewrite_line(s->l, typed, &rw) < 0) {
        memset(r, 0, sizeof *r);
        fail(r, 0, _("out of memory"));
        rewrite_free(&rw);
        return;
    }
    exec_line(s, rw.out, r);
    if (r->error) {
        r->col = typed_column(&rw, typed, r->col);
        suggest_in_message(s->l, r->message, sizeof r->message);
    }
    rewrite_free(&rw);
}

static void exec_line(session *s, const char *typed, session_result *r)
{
    memset(r, 0, sizeof *r);
    const char *p = skip_blanks(typed);
    if (*p == ':')
        p = skip_blanks(p + 1);
    if (!*p || *p == '#')
        return;
    char w[64];
    const char *args = skip_blanks(next_word(p, w, sizeof w));
    int col = column(typed, p), args_col = column(typed, args);
    /* `export!` and `save-display!` may replace a file that is there, as vim's `:w!` does */
    size_t wn = strlen(w);
    int replace = wn > 1 && w[wn - 1] == '!';
    if (replace)
        w[wn - 1] = '\0';
    int c = command_lookup(w);
    if (replace && c != SESSION_CMD_EXPORT && c != SESSION_CMD_SAVE_DISPLAY) {
        fail(r, col, c >= 0 ? _("only export! and save-display! take a '!'") : _("unknown command '%s!' (:help lists them)"),
             w);
        return;
    }
    lesson_line what;
    read_line(p, &what);
    int st = c < 0 ? what.statement : -1;
    if (c < 0 && st < 0) {
        fail(r, col, _("unknown command '%s' (:help lists them)"), w);
        return;
    }
    if (st >= 0) {
        const char *kw = lesson_statement_name((enum lesson_statement)st);
        int name_col = column(typed, p + what.args);
        if (what.defines)
            edit_model(s, p, st, what.name, col - 1, r);
        else if (is_defining(st) && (unsigned char)p[what.args] >= 0x80)
            fail(r, name_col, _("a name is ASCII (letters, digits, _); a label gives it any look"));
        else if (is_defining(st) && (!p[what.args] || p[what.args] == '#'))
            fail(r, name_col, _("%s needs a name: %s %s"), kw, kw, lesson_statement_args((enum lesson_statement)st));
        else if (is_defining(st)) /* something that is not a name ("let 3 = x"): the lesson says what */
            edit_text(s, p, col - 1, r);
        else
            edit_text(s, p, col - 1, r);
        return;
    }
    long n;
    const char *end;
    switch ((enum session_command)c) {
    case SESSION_CMD_SET:
        cmd_set(s, typed, p, r);
        return;
    case SESSION_CMD_STEP:
        if (whole_number(args, 1, walk_count(s->w), &n, &end) || *skip_blanks(end)) {
            fail(r, args_col, _("step needs a number from 1 to %d"), walk_count(s->w));
            return;
        }
        walk_jump(s->w, (int)n - 1);
        break;
    case SESSION_CMD_PHASE: {
        char ph[32];
        next_word(args, ph, sizeof ph);
        int phase = lesson_phase_lookup(ph);
        int k = 0;
        while (phase >= 0 && k < walk_count(s->w) && walk_step_at(s->w, k)->phase != (enum lesson_phase)phase)
            k++;
        if (phase < 0 || k == walk_count(s->w)) {
            char list[128] = "";
            for (int i = 0; i < LESSON_PHASE_COUNT; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         lesson_phase_name((enum lesson_phase)i));
            fail(r, args_col, _("phase needs one of %s"), list);
            return;
        }
        walk_jump(s->w, k);
        break;
    }
    case SESSION_CMD_TRAIN:
        if (whole_number(args, 1, 1000000, &n, &end) || *skip_blanks(end)) {
            fail(r, args_col, _("train needs a number of epochs from 1 to 1000000"));
            return;
        }
    {
        int stopped, done = session_train(s, (int)n, &stopped);
        if (stopped) {
            say(r, _("training stopped after %d of %ld epochs; the walk is at epoch %d"), done, n, walk_epoch(s->w));
            break;
        }
        if (done < n) {
            fail(r, args_col, _("memory ran out after %d of %ld epochs; the walk is at epoch %d"), done, n,
                 walk_epoch(s->w));
            r->flags |= SESSION_MOVED;
            return;
        }
        say(r, ngettext("trained %ld epoch", "trained %ld epochs", (unsigned long)n), n);
        break;
    }
    case SESSION_CMD_RESET:
        cmd_reset(s, r);
        return;
    case SESSION_CMD_ZEROGRAD: {
        char v[16];
        next_word(args, v, sizeof v);
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
            fail(r, args_col, _("zerograd needs on or off"));
            return;
        }
        walk_set_zero_grad(s->w, strcmp(v, "on") == 0);
        say(r, strcmp(v, "on") == 0 ? _("zero_grad() runs at the start of every epoch")
                                    : _("zero_grad() is skipped: watch the gradients pile up"));
        break;
    }
    case SESSION_CMD_LOAD:
        cmd_load(s, args, args_col, r);
        return;
    case SESSION_CMD_CHECK:
        cmd_check(s, r);
        return;
    case SESSION_CMD_EXPORT: {
        char kind[16];
        const char *file = skip_blanks(next_word(args, kind, sizeof kind));
        int python = strcmp(kind, "python") == 0;
        if ((strcmp(kind, "dot") != 0 && !python) || !*file) {
            fail(r, args_col, _("export needs: dot FILE, or python FILE"));
            return;
        }
        struct python_export py = { s->l, { walk_lr(s->w), walk_epochs(s->w), walk_precision(s->w),
                                            walk_zero_grad(s->w) } };
        int written = python ? file_write(file, replace, write_python, &py) : file_write(file, replace, write_dot, s->l);
        if (written == 0 && python && walk_epoch(s->w) > 1)
            say(r, _("the model as epoch %d began is in %s: python3 %s trains it %d epochs"), walk_epoch(s->w), file,
                file, walk_epochs(s->w));
        else if (written == 0 && python)
            say(r, _("the model is in %s: python3 %s trains it %d epochs"), file, file, walk_epochs(s->w));
        else if (written == 0)
            say(r, _("the graph is in %s (dot -Tsvg %s > graph.svg)"), file, file);
        else if (errno == EEXIST)
            fail(r, column(typed, file), _("%s is already there: :export! %s %s replaces it"), file, kind, file);
        else
            fail(r, column(typed, file), _("cannot write %s: %s"), file, strerror(errno));
        return;
    }
    case SESSION_CMD_SAVE_DISPLAY:
        snprintf(r->arg, sizeof r->arg, "%s", args);
        r->flags |= SESSION_SAVE | (replace ? SESSION_REPLACE : 0);
        return;
    case SESSION_CMD_HELP:
        cmd_help(s, args, r);
        return;
    case SESSION_CMD_QUIT:
        r->flags |= SESSION_QUIT;
        return;
    case SESSION_COMMAND_COUNT:
        return;
    }
    r->flags |= SESSION_MOVED;
}

/* What the screen shows at this step, and the first name of an answer that goes beyond it. */
struct shown {
    const session *s;
    const walk_step *step;
    int col;
    char *msg;
    size_t n;
};

static int beyond_the_screen(const lesson_use *u, void *ctx)
{
    struct shown *sh = ctx;
    sh->col = u->col;
    if (u->call) {
        if (strcmp(u->name, "grad") != 0)
            return 0;
        snprintf(sh->msg, sh->n, _("grad() reads the answer off the engine: work it out from the numbers on screen"));
        return -1;
    }
    int i = lesson_find(sh->s->l, u->name);
    if (i < 0)
        return 0; /* lesson_eval reports unknown names */
    int id = sh->s->l->names[i].id;
    if (sh->step->phase == LESSON_PHASE_FORWARD && sh->step->node == id) {
        snprintf(sh->msg, sh->n, _("%s is what the question asks: work it out from the numbers on screen"),
                 lesson_display(&sh->s->l->names[i]));
        return -1;
    }
    if (!walk_value_known(sh->s->w, id)) {
        snprintf(sh->msg, sh->n, _("%s has no value on screen yet"), lesson_display(&sh->s->l->names[i]));
        return -1;
    }
    return 0;
}

/*
 * A learner's answer may use numbers, functions and the names whose values the screen shows at this step —
 * not the node the question hides, not a value still to come, and not grad(), which would read the answer off
 * the engine. Returns 0, or −1 with the column of the offending name in *col and a message in msg.
 */
static int answer_uses_only_what_is_shown(const session *s, const char *answer, int *col, char *msg, size_t n)
{
    struct shown sh = {s, walk_current(s->w), 0, msg, n};
    if (lesson_expr_names(answer, strlen(answer), beyond_the_screen, &sh) == 0)
        return 0;
    *col = sh.col;
    return -1;
}

/* An answer is a formula: the screen's labels stand for their names in it (struct rewrite). */
enum quiz_verdict session_answer(session *s, const char *typed, session_result *r)
{
    memset(r, 0, sizeof *r);
    int col = 0;
    struct rewrite rw = { 0 };
    if (labels_index(s->l, &rw) < 0 || rewrite_names(s->l, &rw, typed, 0, strlen(typed)) < 0 || rw_put(&rw, "", 0) < 0) {
        rewrite_free(&rw);
        snprintf(r->message, sizeof r->message, _("out of memory"));
        r->error = 1;
        return QUIZ_MALFORMED;
    }
    const char *answer = rw.out;
    enum quiz_verdict v = QUIZ_MALFORMED;
    if (answer_uses_only_what_is_shown(s, answer, &col, r->message, sizeof r->message) == 0)
        v = quiz_answer(s->q, quiz_pending(s->q, s->w), answer, r->message, sizeof r->message, &col);
    if (v == QUIZ_MALFORMED) {
        r->error = 1;
        r->col = typed_column(&rw, typed, col);
        suggest_in_message(s->l, r->message, sizeof r->message);
    } else {
        r->flags |= SESSION_MOVED;
    }
    rewrite_free(&rw);
    return v;
}

/* ---------------------------------------------------------------- completion ------------------ */

struct filter {
    const char *prefix;
    size_t len;
    void (*add)(const char *, void *);
    void *ctx;
};

static void offer(const struct filter *f, const char *candidate)
{
    if (strncmp(candidate, f->prefix, f->len) == 0)
        f->add(candidate, f->ctx);
}

static void offer_lesson(const char *stem, const char *path, void *ctx)
{
    (void)path;
    offer(ctx, stem);
}

/* The lower-case choices an arguments column lists in its first word: "on|off" → on, off; "dot FILE" → dot;
 * "float64|float32|mixed" → all three. An upper-case word (N, FILE, [FILE]) stands for a value: no choice. */
static void offer_choices(const struct filter *f, const char *args)
{
    const char *end = args + strcspn(args, " ");
    for (const char *p = args; p < end; p++) {
        size_t k = strcspn(p, "|");
        if (p + k > end)
            k = (size_t)(end - p);
        char w[32];
        snprintf(w, sizeof w, "%.*s", (int)(k < sizeof w ? k : sizeof w - 1), p);
        if (*w >= 'a' && *w <= 'z')
            offer(f, w);
        p += k;
    }
}

/* What a statement's first argument is, from the arguments its row documents: "PHASE TEXT" (say, quiz) a
 * phase, "SETTING VALUE" (set) a setting; a name, a formula or text otherwise, where the names help. */
static enum session_arg statement_arg(enum lesson_statement st)
{
    const char *args = lesson_statement_args(st);
    if (strncmp(args, "PHASE", 5) == 0)
        return SESSION_ARG_PHASE;
    if (strncmp(args, "SETTING", 7) == 0)
        return SESSION_ARG_SETTING;
    return SESSION_ARG_NAMES;
}

/* The commands and the statements, for the first word of a line (set is both: offered once). */
static void offer_commands(const struct filter *f)
{
    for (int k = 0; k < SESSION_COMMAND_COUNT; k++)
        offer(f, command_names[k]);
    for (int k = 0; k < LESSON_STMT_COUNT; k++)
        if (command_lookup(lesson_statement_name((enum lesson_statement)k)) < 0)
            offer(f, lesson_statement_name((enum lesson_statement)k));
}

/* What fits as word number `word` (1 = the first argument) of a command whose argument is kind; second is the
 * first argument when word is 2, and args the command's arguments column (or "" for a statement). */
static void offer_argument(const session *s, struct filter *f, enum session_arg kind, const char *args,
                           int word, const char *second)
{
    const lesson *l = s->l;
    switch (kind) {
    case SESSION_ARG_NONE:
    case SESSION_ARG_NUMBER:
    case SESSION_ARG_FILE:
        break;
    case SESSION_ARG_CHOICE:
        if (word == 1)
            offer_choices(f, args);
        break;
    case SESSION_ARG_PHASE:
        for (int k = 0; word == 1 && k < LESSON_PHASE_COUNT; k++)
            offer(f, lesson_phase_name((enum lesson_phase)k));
        break;
    case SESSION_ARG_LESSON:
        if (word == 1)
            catalog_each(&s->langs, offer_lesson, f);
        break;
    case SESSION_ARG_SETTING: {
        int setting = lesson_setting_lookup(second);
        if (word == 1) {
            for (int k = 0; k < LESSON_SET_COUNT; k++)
                offer(f, lesson_setting_name((enum lesson_setting)k));
            for (int k = 0; k < l->n_names; k++)
                if (l->names[k].kind == LESSON_PARAM || l->names[k].kind == LESSON_INPUT)
                    offer(f, l->names[k].name);
        } else if (word == 2 && setting >= 0) {
            offer_choices(f, lesson_setting_value((enum lesson_setting)setting));
        }
        break;
    }
    case SESSION_ARG_COMMAND:
        if (word == 1)
            offer_commands(f);
        break;
    case SESSION_ARG_NAMES:
        for (int k = 0; k < l->n_names; k++)
            offer(f, l->names[k].name);
        for (int op = 0; word >= 2 && op < GRAPH_OP_COUNT; op++)
            if (graph_op_form((enum graph_op)op) == GRAPH_FORM_CALL)
                offer(f, graph_op_name((enum graph_op)op));
        break;
    }
}

void session_complete(const session *s, const char *line, int start, int end,
                      void (*add)(const char *candidate, void *ctx), void *ctx)
{
    char prefix[256];
    int len = end - start;
    if (len < 0 || len >= (int)sizeof prefix)
        return;
    memcpy(prefix, line + start, (size_t)len);
    prefix[len] = '\0';
    struct filter f = { prefix, (size_t)len, add, ctx };

    /* the words before the one being completed (one the completed word is part of, as in "tanh(w", counts) */
    char first[64] = "", second[64] = "";
    const char *p = skip_blanks(line);
    if (*p == ':')
        p = skip_blanks(p + 1);
    int words = 0;
    while (p < line + start) {
        char w[64];
        p = skip_blanks(next_word(p, w, sizeof w));
        if (words == 0)
            snprintf(first, sizeof first, "%s", w);
        else if (words == 1)
            snprintf(second, sizeof second, "%s", w);
        words++;
    }
    if (words == 0) {
        offer_commands(&f);
        return;
    }
    int c = command_lookup(first), st = lesson_statement_lookup(first);
    if (c >= 0)
        offer_argument(s, &f, command_arg[c], command_args[c], words, second);
    else if (st >= 0)
        offer_argument(s, &f, statement_arg((enum lesson_statement)st), "", words, second);
    else /* not a command (yet): perhaps the first word of a formula — the names, as in a statement */
        offer_argument(s, &f, SESSION_ARG_NAMES, "", words, second);
}
