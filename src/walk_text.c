/*
 * walk_text.c — the text of a walkthrough step (see walk.h), built from the core's numbers: the forward
 * formula with values put in, each edge's local gradient (its blackboard form from the op's row in
 * graph_ops.def, and graph_local_grad: the very number backward multiplies by), the chain-rule sum over the
 * nodes a node feeds, the update, the engine's notes and the PyTorch line (the lesson's own words, with their
 * placeholders, are walk_live.c's). It only reads the walk's state (walk_int.h); walk.c moves it.
 */
#include "walk.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "i18n.h"
#include "walk_int.h"

void walk_put(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = *used < n ? n - *used : 0;
    int k = vsnprintf(room ? buf + *used : NULL, room, fmt, ap);
    va_end(ap);
    if (k > 0)
        *used += (size_t)k;
}

#define put walk_put

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
    lesson_format(tmp, sizeof tmp, "%.*g", digits, v); /* "0.5" whatever LC_NUMERIC says */
    /* "-1.5e-05" → "−1.5e−5": a true minus sign, no '+' and no leading zeros in the exponent. Built in out
     * and copied as walk_put would have written it (cut at n − 1 bytes): a frame formats hundreds of numbers,
     * and a vsnprintf per character was a third of a key's formatting. */
    char out[3 * sizeof tmp];
    size_t used = 0;
    static const char minus[] = "\u2212";
    for (const char *p = tmp; *p && used + sizeof minus < sizeof out; p++) {
        if (*p == '-') {
            memcpy(out + used, minus, sizeof minus - 1), used += sizeof minus - 1;
        } else if (*p == 'e') {
            out[used++] = 'e';
            if (p[1] == '+')
                p++;
            else if (p[1] == '-')
                memcpy(out + used, minus, sizeof minus - 1), used += sizeof minus - 1, p++;
            while (p[1] == '0' && p[2])
                p++;
        } else {
            out[used++] = *p;
        }
    }
    if (n) {
        size_t k = used < n ? used : n - 1;
        memcpy(buf, out, k);
        buf[k] = '\0';
    }
    return (int)used;
}

void walk_put_list(char *buf, size_t n, size_t *used, int len, double (*v)(const void *, int), const void *ctx,
                   int digits)
{
    char num[64];
    if (len == 1) {
        walk_format_digits(v(ctx, 0), digits, num, sizeof num);
        put(buf, n, used, "%s", num);
        return;
    }
    put(buf, n, used, "[");
    for (int i = 0; i < len; i++) {
        if (len > 6 && i == 3) {
            put(buf, n, used, ", \u2026");
            i = len - 2;
        }
        walk_format_digits(v(ctx, i), digits, num, sizeof num);
        put(buf, n, used, "%s%s", i ? ", " : "", num);
    }
    put(buf, n, used, "]");
}

/* A list of len numbers, v(i), as the screen prints every number. */
static void put_list(char *buf, size_t n, size_t *used, int len, double (*v)(const void *, int), const void *ctx)
{
    walk_put_list(buf, n, used, len, v, ctx, 6);
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
    return walk_grad(c->w, c->id, i);
}
static double dotgrad_of(const void *ctx, int i)
{
    const struct node_ctx *c = ctx;
    return walk_dotgrad(c->w, c->id, i);
}

struct kept_ctx { const double *v; };
static double kept_of(const void *ctx, int i) { return ((const struct kept_ctx *)ctx)->v[i]; }

/* Node id's numbers, each read by of, as a list into buf; what snprintf would return (0 for no such node). */
static int format_node_list(const walk *w, int id, double (*of)(const void *, int), char *buf, size_t n)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    if (!walk_node(w, id))
        return 0;
    put_list(buf, n, &used, walk_node(w, id)->len, of, &(struct node_ctx){ w, id });
    return (int)used;
}

int walk_format_values(const walk *w, int id, char *buf, size_t n) { return format_node_list(w, id, value_of, buf, n); }

static double start_of(const void *ctx, int i)
{
    const struct node_ctx *c = ctx;
    const graph_node *gn = walk_node(c->w, c->id);
    return gn->role == GRAPH_PARAM ? gn->data[i] : walk_value(c->w, c->id, i);
}

int walk_format_start_values(const walk *w, int id, char *buf, size_t n)
{
    return format_node_list(w, id, start_of, buf, n);
}

static void put_values(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    put_list(buf, n, used, walk_node(w, id)->len, value_of, &(struct node_ctx){ w, id });
}

static void put_grads(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    put_list(buf, n, used, walk_node(w, id)->len, grad_of, &(struct node_ctx){ w, id });
}

/* ---------------------------------------------------------------- names and formulas ---------- */

int walk_node_name(const walk *w, int id, char *buf, size_t n)
{
    const lesson_name *nm = lesson_node_name(w->l, id);
    if (n)
        buf[0] = '\0';
    if (nm)
        return snprintf(buf, n, "%s", lesson_display(nm));
    const graph_node *gn = walk_node(w, id);
    if (gn && gn->role == GRAPH_CONST)
        return walk_format_number(gn->value[0], buf, n);
    return gn ? lesson_formula(w->l, id, buf, n) : 0;
}

/* A node inside ∂…/∂…: its label or name, or its formula; a compound formula gets parentheses, "∂(s^2)/∂s".
 * as_formula writes the formula even of a named node. */
static void put_name(const walk *w, int id, int as_formula, char *buf, size_t n, size_t *used)
{
    char name[256];
    const graph_node *gn = walk_node(w, id);
    int named = lesson_node_name(w->l, id) && !as_formula;
    if (named || gn->op == GRAPH_OP_LEAF)
        walk_node_name(w, id, name, sizeof name);
    else
        lesson_formula(w->l, id, name, sizeof name);
    int compound = !named && gn->op != GRAPH_OP_LEAF && graph_op_form(gn->op) != GRAPH_FORM_CALL;
    put(buf, n, used, compound ? "(%s)" : "%s", name);
}

/*
 * The one notation for gradients (lessons/FORMAT.md, "Writing gradients"). The total gradient names the loss
 * by its label: ∂loss/∂ŷ. The local gradient of an edge names the node the edge goes into: ∂s/∂ŷ; an edge
 * into the loss itself names the loss by its formula, ∂(s^2)/∂s, because ∂loss/∂s is the total gradient of s
 * (the two are the same number only while s feeds nothing but the loss).
 */
static void put_total(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    put(buf, n, used, "\u2202");
    put_name(w, w->l->loss, 0, buf, n, used);
    put(buf, n, used, "/\u2202");
    put_name(w, id, 0, buf, n, used);
}

static void put_local(const walk *w, int of, int by, char *buf, size_t n, size_t *used)
{
    put(buf, n, used, "\u2202");
    put_name(w, of, of == w->l->loss, buf, n, used);
    put(buf, n, used, "/\u2202");
    put_name(w, by, 0, buf, n, used);
}

int walk_grad_name(const walk *w, int id, char *buf, size_t n)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    if (!walk_node(w, id) || !walk_node(w, w->l->loss))
        return 0;
    put_total(w, id, buf, n, &used);
    return (int)used;
}

int walk_local_name(const walk *w, int id, int k, char *buf, size_t n)
{
    size_t used = 0;
    const graph_node *gn = walk_node(w, id);
    if (n)
        buf[0] = '\0';
    if (!gn || gn->op == GRAPH_OP_LEAF || k < 0 || k > 1 || gn->src[k] < 0)
        return 0;
    put_local(w, id, gn->src[k], buf, n, &used);
    return (int)used;
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
        if (gn->src[1] >= 0) { /* max(a, b) */
            put(buf, n, used, ", ");
            put_operand(w, gn->src[1], 1, buf, n, used);
        }
        put(buf, n, used, ")");
        break;
    case GRAPH_FORM_LEAF:
        break;
    }
}

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
            put(buf, n, used, "%d", walk_node(w, gn->src[0])->len);
        } else if (target >= 0 && numbers) {
            put_operand(w, target, p == form + 1, buf, n, used);
        } else if (target >= 0) {
            put_name(w, target, 0, buf, n, used);
        }
    }
}

/*
 * The local gradient ∂node/∂input k written out: "2·s = 2·(−4)", or just "1". The text is the op's row in
 * graph_ops.def (graph_op_local_form), but for one case the board writes more simply than the general form:
 * a constant exponent is put in and worked out, 2·s rather than 2·s^(2−1).
 */
static void local_text(const walk *w, int id, int k, char *buf, size_t n, size_t *used)
{
    const graph_node *gn = walk_node(w, id);
    const char *form = graph_op_local_form(gn->op, k);
    char text[256];
    if (gn->op == GRAPH_OP_POW && k == 0 && walk_node(w, gn->src[1])->role == GRAPH_CONST) {
        double c = walk_node(w, gn->src[1])->value[0];
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

struct local_ctx { const walk *w; int id, k; };
static double local_of(const void *ctx, int i)
{
    const struct local_ctx *c = ctx;
    return walk_local_grad(c->w, c->id, c->k, i);
}

/* The local gradient's numbers, one per element it has. */
static void put_local_values(const walk *w, int id, int k, char *buf, size_t n, size_t *used)
{
    put_list(buf, n, used, graph_local_len(w->l->g, id), local_of, &(struct local_ctx){ w, id, k });
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
    put_numeric_op(w, walk_node(w, id), num, sizeof num, &k);
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
    int broadcast = walk_node(w, id)->len == 1 && graph_local_len(w->l->g, t.c) > 1;
    if (!numbers) {
        put(buf, n, used, broadcast ? "\u03a3 " : "");
        put_total(w, t.c, buf, n, used);
        put(buf, n, used, " \u00b7 ");
        put_local(w, t.c, id, buf, n, used);
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

/* Does consumer c take part in the loss's backward pass? Only those nodes' terms make up a chain rule. */
static int is_term(const walk *w, int c)
{
    return walk_node(w, c)->op != GRAPH_OP_LEAF && walk_needs_grad(w, c);
}

/*
 * The consumers of node id that the chain rule sums over, in tape order, each as 2·consumer + input, in
 * [*use, *end). Made once per pass for every node (consumers.at[id] is where id's start in consumers.use):
 * finding them by reading the whole tape at each chain step made --plain of n nodes take n² steps.
 * −1 when memory ran out.
 */
static int consumers_of(const walk *w, int id, const int **use, const int **end)
{
    walk *mw = (walk *)w; /* a cache, not state */
    if (!w->consumers.at || w->consumers.passes != w->passes) {
        int tape_len, count = graph_count(w->l->g);
        const int *tape = graph_tape(w->l->g, &tape_len);
        free(mw->consumers.at);
        int *at = mw->consumers.at = calloc((size_t)count + 1 + 2 * (size_t)tape_len, sizeof(int));
        if (!at)
            return -1;
        mw->consumers.use = at + count + 1;
        mw->consumers.passes = w->passes;
        for (int t = 0; t < tape_len; t++) /* count each list, place them in tape order, then shift back */
            for (int k = 0; is_term(w, tape[t]) && k < 2; k++)
                if (walk_node(w, tape[t])->src[k] >= 0)
                    at[walk_node(w, tape[t])->src[k] + 1]++;
        for (int i = 0; i < count; i++)
            at[i + 1] += at[i];
        for (int t = 0; t < tape_len; t++)
            for (int k = 0; is_term(w, tape[t]) && k < 2; k++)
                if (walk_node(w, tape[t])->src[k] >= 0)
                    mw->consumers.use[at[walk_node(w, tape[t])->src[k]]++] = 2 * tape[t] + k;
        memmove(at + 1, at, (size_t)count * sizeof *at);
        at[0] = 0;
    }
    *use = w->consumers.use + w->consumers.at[id];
    *end = w->consumers.use + w->consumers.at[id + 1];
    return 0;
}

/*
 * "∂L/∂ŷ = ∂L/∂s · ∂s/∂ŷ = (−8)·1 = −8": the sum over the nodes this one feeds, then the core's gradient,
 * the derivative of this pass. A parameter whose .grad was not cleared (zerograd off) gets a second line for
 * what backward adds it to: "w.grad = −16 + ∂L/∂w = −30.72", with ∂L/∂w as a symbol while hiding.
 */
static void chain_formula(const walk *w, int id, int hiding, char *buf, size_t n, size_t *used)
{
    int L = loss_id(w);
    put_total(w, id, buf, n, used);
    if (id == L) {
        put(buf, n, used, " = 1");
        return;
    }
    int nt = 0;
    struct term shown[TERMS_SHOWN];
    const int *use, *end;
    if (consumers_of(w, id, &use, &end) == 0) {
        for (; use < end; use++, nt++) /* keep the first TERMS_SHOWN − 1 and the last */
            shown[nt < TERMS_SHOWN ? nt : TERMS_SHOWN - 1] = (struct term){ *use / 2, *use % 2 };
    } else { /* no memory for the index: read the tape */
        int tape_len;
        const int *tape = graph_tape(w->l->g, &tape_len);
        for (int t = 0; t < tape_len; t++)
            for (int k = 0; is_term(w, tape[t]) && k < 2; k++)
                if (walk_node(w, tape[t])->src[k] == id)
                    shown[nt < TERMS_SHOWN ? nt : TERMS_SHOWN - 1] = (struct term){ tape[t], k }, nt++;
    }
    const graph_node *gn = walk_node(w, id);
    const double *kept = !w->set.zero_grad ? walk_kept_grad(w, id) : NULL;
    int any_kept = 0;
    for (int i = 0; kept && i < gn->len; i++)
        any_kept |= kept[i] != 0;
    for (int numbers = 0; numbers < 2; numbers++) {
        put(buf, n, used, " = ");
        for (int t = 0; t < (nt < TERMS_SHOWN ? nt : TERMS_SHOWN); t++) {
            if (t == TERMS_SHOWN - 1 && nt > TERMS_SHOWN)
                put(buf, n, used, " + \u2026 (%d more)", nt - TERMS_SHOWN);
            put(buf, n, used, t ? " + " : "");
            put_term(w, id, shown[t], numbers, buf, n, used);
        }
    }
    put(buf, n, used, " = ");
    put_grads(w, id, buf, n, used);
    if (!any_kept)
        return;
    char name[128], k[512], part[512];
    size_t ku = 0, pu = 0;
    walk_node_name(w, id, name, sizeof name);
    put_list(k, sizeof k, &ku, gn->len, kept_of, &(struct kept_ctx){ kept });
    if (hiding)
        put_total(w, id, part, sizeof part, &pu);
    else
        put_grads(w, id, part, sizeof part, &pu);
    put(buf, n, used, "\n%s.grad = %s + ", name, k);
    put(buf, n, used, !hiding && strncmp(part, "\u2212", 3) == 0 ? "(%s)" : "%s", part);
    put(buf, n, used, " = ");
    put_list(buf, n, used, gn->len, dotgrad_of, &(struct node_ctx){ w, id });
}

static double data_of(const void *ctx, int i)
{
    const struct node_ctx *c = ctx;
    return walk_node(c->w, c->id)->data[i];
}
static double updated_of(const void *ctx, int i)
{
    const struct node_ctx *c = ctx;
    return graph_sgd_update(c->w->l->g, c->id, i, c->w->set.lr);
}

/* "w ← w − η·∂L/∂w = 0 − 0.01·(−16) = 0.16"; with zero_grad off the update reads .grad, and says so:
 * "w ← w − η·w.grad = …". */
static void update_formula(const walk *w, int id, char *buf, size_t n, size_t *used)
{
    const graph_node *gn = walk_node(w, id);
    struct node_ctx ctx = { w, id };
    char name[128], part[1024], lr[64];
    walk_node_name(w, id, name, sizeof name);
    put(buf, n, used, "%s \u2190 %s \u2212 \u03b7\u00b7", name, name);
    if (w->set.zero_grad)
        put_total(w, id, buf, n, used);
    else
        put(buf, n, used, "%s.grad", name);
    put(buf, n, used, " = ");
    put_list(buf, n, used, gn->len, data_of, &ctx);
    walk_format_number(w->set.lr, lr, sizeof lr);
    size_t k = 0;
    put_list(part, sizeof part, &k, gn->len, dotgrad_of, &ctx);
    put(buf, n, used, " \u2212 %s\u00b7", lr);
    put(buf, n, used, strncmp(part, "\u2212", 3) == 0 ? "(%s)" : "%s", part);
    put(buf, n, used, " = ");
    put_list(buf, n, used, gn->len, updated_of, &ctx);
}

/* TRANSLATORS: between the epoch and each setting at an epoch's start: "epoch 1, w = 1, η = 0.02" */
static const char settings_sep[] = NC_("settings", ", ");

/* The working; hiding writes what would give the result away in symbols (the question's first draft). */
static int step_formula(const walk *w, int hiding, char *buf, size_t n)
{
    const walk_step *s = walk_current(w);
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    char num[64];
    switch (s->phase) {
    case LESSON_PHASE_INTRO:
        /* the epoch's settings are a sentence in the learner's language: its commas are the language's */
        put(buf, n, &used, _("epoch %d"), w->epoch);
        for (int p = 0; p < w->n_param; p++) {
            char name[128];
            walk_node_name(w, w->param[p], name, sizeof name);
            put(buf, n, &used, "%s%s = ", C_("settings", settings_sep), name);
            put_values(w, w->param[p], buf, n, &used);
        }
        walk_format_number(w->set.lr, num, sizeof num);
        put(buf, n, &used, "%s\u03b7 = %s", C_("settings", settings_sep), num);
        break;
    case LESSON_PHASE_FORWARD:
        forward_formula(w, s->node, buf, n, &used);
        break;
    case LESSON_PHASE_LOCAL: {
        const graph_node *gn = walk_node(w, s->node);
        put_local(w, s->node, gn->src[s->input], buf, n, &used);
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
        chain_formula(w, s->node, hiding, buf, n, &used);
        break;
    case LESSON_PHASE_UPDATE:
        update_formula(w, s->node, buf, n, &used);
        break;
    case LESSON_PHASE_EPOCH:
        used += (size_t)lesson_format_row(w->l, w->epoch, walk_printed_loss(w), &w->set.lr, buf, n);
        break;
    case LESSON_PHASE_COUNT:
        break;
    }
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}

int walk_step_formula(const walk *w, char *buf, size_t n) { return step_formula(w, 0, buf, n); }

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
    step_formula(w, 1, full, n + 8);
    /* each line's result is what follows its last " = " (a true minus or a bracket may start it, never " = ") */
    size_t used = 0;
    for (char *line = full; line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *last = NULL;
        for (char *p2 = strstr(line, " = "); p2; p2 = strstr(p2 + 3, " = "))
            last = p2;
        put(buf, n, &used, "%s%.*s = ?", line == full ? "" : "\n", (int)(last ? last - line : (long)strlen(line)), line);
        line = nl ? nl + 1 : NULL;
    }
    free(full);
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}

static const char *const phase_titles[] = {
#define X(e, name, title, help) title,
    LESSON_PHASES(X)
#undef X
};

const char *walk_phase_title(enum lesson_phase p)
{
    return (int)p >= 0 && p < LESSON_PHASE_COUNT ? phase_titles[p] : "";
}

/* A forward step inside the criterion: which of its parts this is, "part 1 of 2: s = ŷ − y", when it has more
 * than one (lesson 01's s = ŷ − y and loss = s^2 are both inside one criterion(output, target) call). */
static const char *criterion_line(const walk *w, const walk_step *s)
{
    static const char call[] = "loss = criterion(output, target)";
    int k = 0, n = 0;
    for (int i = 0; i < w->n_steps; i++) {
        const walk_step *t = &w->steps[i];
        if (t->phase == LESSON_PHASE_FORWARD && w->criterion[t->node]) {
            n++;
            k += i <= w->index;
        }
    }
    if (n < 2)
        return call;
    char name[256], formula[512], what[800];
    walk_node_name(w, s->node, name, sizeof name);
    lesson_formula(w->l, s->node, formula, sizeof formula);
    if (lesson_node_name(w->l, s->node))
        snprintf(what, sizeof what, "%s = %s", name, formula);
    else
        snprintf(what, sizeof what, "%s", formula);
    walk *mw = (walk *)w; /* a scratch buffer, not state */
    /* the comment is the learner's to read, in their language; the code is Python's */
    char comment[900];
    /* TRANSLATORS: a comment on the PyTorch line: "loss = criterion(output, target)  # part 1 of 2: s = ŷ − y" */
    snprintf(comment, sizeof comment, _("part %d of %d: %s"), k, n, what);
    snprintf(mw->pytorch, sizeof mw->pytorch, "%s  # %s", call, comment);
    return mw->pytorch;
}

const char *walk_step_pytorch(const walk *w)
{
    const walk_step *s = walk_current(w);
    switch (s->phase) {
    case LESSON_PHASE_INTRO:
        if (w->set.zero_grad)
            return "optimizer.zero_grad()";
        /* TRANSLATORS: the PyTorch line of an epoch's start with zero_grad off: the call commented out */
        snprintf(((walk *)w)->pytorch, sizeof w->pytorch, "# optimizer.zero_grad()   %s", _("(skipped)"));
        return w->pytorch;
    case LESSON_PHASE_FORWARD:
        return w->criterion[s->node] ? criterion_line(w, s) : "output = model(x)";
    case LESSON_PHASE_LOCAL:
    case LESSON_PHASE_CHAIN:
        return "loss.backward()";
    case LESSON_PHASE_UPDATE:
        return "optimizer.step()";
    case LESSON_PHASE_EPOCH: /* the row above it, as PyTorch prints it */
        lesson_format_row_pytorch(w->l, ((walk *)w)->pytorch, sizeof w->pytorch);
        return w->pytorch;
    case LESSON_PHASE_COUNT:
        break;
    }
    return "";
}

/* The first node whose value (grads = 0) or gradient (grads = 1) holds something that is not a finite
 * number, or −1. A parameter's stored value counts as its value. */
static int scan_not_finite(const walk *w, int grads)
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

/* The same, scanned once per pass: every step of an epoch asks, and --plain of n nodes would take n² steps. */
static int first_not_finite(const walk *w, int grads)
{
    walk *mw = (walk *)w; /* a cache, not state */
    if (mw->not_finite.passes != w->passes) {
        mw->not_finite.value = scan_not_finite(w, 0);
        mw->not_finite.grad = scan_not_finite(w, 1);
        mw->not_finite.passes = w->passes;
    }
    return grads ? w->not_finite.grad : w->not_finite.value;
}

/* Whether the row's "%.8f" of loss shows more than the steps' 6 digits say (13.54240036 against 13.5424: a
 * float32's last digits), with the row's number in row. */
static int float32_digits(double loss, char *row, size_t n)
{
    char mine[64], six[64], exact[64];
    double rounded = loss;
    size_t k;
    lesson_error err;
    if (!isfinite(loss))
        return 0;
    lesson_format(mine, sizeof mine, "%.8f", loss);
    lesson_format(six, sizeof six, "%.6g", loss);
    lesson_read_number(six, &rounded, &k, &err);
    lesson_format(exact, sizeof exact, "%.8f", rounded);
    if (row)
        snprintf(row, n, "%s", mine);
    return strcmp(mine, exact) != 0;
}

/* The printed loss of the epoch before this one, or NAN when the history has no row for it. */
static double previous_row_loss(const walk *w)
{
    for (int k = walk_history_count(w) - 1; k >= 0 && k >= walk_history_count(w) - 2; k--) {
        const walk_row *r = walk_history_at(w, k); /* the newest row may be this epoch's own */
        if (r->epoch == w->epoch - 1)
            return r->loss;
    }
    return NAN;
}

/* The note says once, at the first epoch of a run whose row shows a float32's last digits, why they differ
 * from the steps' number: the epochs after it would only repeat it. */
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
        walk_format_number(w->set.lr, lr, sizeof lr);
        put(buf, n, &used, _("Training diverged: %s is no longer a finite number. "
                             "With \u03b7 = %s each update overshoots the minimum by more than it gains."),
            name, lr);
    } else if (bad_value >= 0 && walk_value_known(w, bad_value)) {
        walk_format_number(walk_value(w, bad_value, 0), v, sizeof v);
        for (int i = 0; i < walk_node(w, bad_value)->len && isfinite(walk_value(w, bad_value, 0)); i++)
            if (!isfinite(walk_value(w, bad_value, i)))
                walk_format_number(walk_value(w, bad_value, i), v, sizeof v);
        put(buf, n, &used, _("%s is %s here: a log of 0 or less, a division by 0 or an overflow. Nothing "
                             "computed from it is a number either."), name, v);
    } else if (bad_value < 0 && bad_grad >= 0 && walk_grad_known(w, bad_grad)) {
        char total[256];
        walk_grad_name(w, bad, total, sizeof total);
        put(buf, n, &used, _("%s is not a finite number: a slope of a log at 0, or of a square root of 0, "
                             "is infinite."), total);
    } else if (!w->set.zero_grad && w->epoch > 1 && s->node >= 0 && walk_node(w, s->node)->role == GRAPH_PARAM &&
               (s->phase == LESSON_PHASE_CHAIN || s->phase == LESSON_PHASE_UPDATE)) {
        char before[64], name[128], total[256];
        walk_format_number(walk_kept_grad(w, s->node)[0], before, sizeof before);
        walk_node_name(w, s->node, name, sizeof name);
        walk_grad_name(w, s->node, total, sizeof total);
        put(buf, n, &used, _("zero_grad is off: %s.grad still held %s from the last epoch, and backward adds "
                             "this epoch's %s to it; the update uses %s.grad."), name, before, total, name);
    } else if (s->phase == LESSON_PHASE_EPOCH && w->set.precision != GRAPH_FLOAT64 &&
               float32_digits(walk_printed_loss(w), NULL, 0) && !float32_digits(previous_row_loss(w), NULL, 0)) {
        char row[64], shown[64];
        float32_digits(walk_printed_loss(w), row, sizeof row);
        walk_format_number(walk_printed_loss(w), shown, sizeof shown);
        put(buf, n, &used, _("%s in the row and %s in the steps are one float32 number: a float32 holds about "
                             "seven significant digits, and the row prints eight decimals of it where the steps "
                             "round to six."), row, shown);
    } else if (s->phase == LESSON_PHASE_LOCAL && s->node >= 0 && s->input >= 0 &&
               walk_node(w, s->node)->src[0] >= 0 && walk_node(w, s->node)->src[0] == walk_node(w, s->node)->src[1]) {
        /* s · s: both local steps write ∂(s · s)/∂s, one per edge; which edge this is, the formula cannot say */
        char formula[384], of[128];
        walk_node_name(w, walk_node(w, s->node)->src[0], name, sizeof name);
        size_t k = 0;
        if (lesson_node_name(w->l, s->node) && s->node != w->l->loss) { /* named as the formula names it: s = ŷ + ŷ */
            walk_node_name(w, s->node, of, sizeof of);
            put(formula, sizeof formula, &k, "%s = ", of);
        }
        lesson_formula(w->l, s->node, formula + k, sizeof formula - k);
        if (s->input == 0)
            put(buf, n, &used, _("Of the two edges from %s into %s, this is the one into its first input."), name,
                formula);
        else
            put(buf, n, &used, _("Of the two edges from %s into %s, this is the other: into its second input."), name,
                formula);
    }
    if (n && used >= n)
        buf[n - 1] = '\0';
    return (int)used;
}
