/* export.c — a lesson's model as a runnable PyTorch script (see export.h).
 *
 * Every number is written with 17 significant digits, so the script starts from exactly the tutor's doubles.
 * A named node is a line of forward() under its own name (a name Python reserves gets a '_' after it); an
 * unnamed one is written inside the node that uses it, as the lesson wrote it. The table's row is built with
 * the format of lesson_format_row: "%.8f" for the loss, "%.3f" for each value and .grad, a batch as numbers
 * joined by ','. Python prints a NaN as "nan" whatever its sign bit, as the table does. */
#include "export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* How PyTorch writes each operation: an infix operator, a prefix one, or a function of torch.
 * ORDER OP: one entry per row of graph_ops.def, at its enum. */
static const char *const python_op[GRAPH_OP_COUNT] = {
    [GRAPH_OP_LEAF] = "",
    [GRAPH_OP_ADD] = "+",
    [GRAPH_OP_SUB] = "-",
    [GRAPH_OP_MUL] = "*",
    [GRAPH_OP_DIV] = "/",
    [GRAPH_OP_NEG] = "-",
    [GRAPH_OP_POW] = "**",
    [GRAPH_OP_EXP] = "torch.exp",
    [GRAPH_OP_LOG] = "torch.log",
    [GRAPH_OP_TANH] = "torch.tanh",
    [GRAPH_OP_SIGMOID] = "torch.sigmoid",
    [GRAPH_OP_RELU] = "torch.relu",
    [GRAPH_OP_MAX] = "torch.maximum",
    [GRAPH_OP_SUM] = "torch.sum",
    [GRAPH_OP_MEAN] = "torch.mean",
};
_Static_assert(GRAPH_OP_COUNT == 15, "a new operation needs its PyTorch spelling in python_op");

/* Python's keywords and the names the script itself uses: a lesson name spelled so gets a '_'. */
static const char *const reserved[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "torch", "optimizer",
    "forward", "grad", "numbers", "epoch", "loss", "shown", "print", "range", "float", "len",
};

static int is_reserved(const char *s)
{
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(s, reserved[i]) == 0)
            return 1;
    return 0;
}

struct script {
    FILE *out;
    const lesson *l;
    const export_settings *s;
    char (*var)[LESSON_NAME_MAX + 8]; /* per name index: its Python name */
};

static void py_name(struct script *sc, int i, char *buf, size_t n)
{
    snprintf(buf, n, "%s", sc->l->names[i].name);
    while (is_reserved(buf) || (strcmp(buf, sc->l->names[i].name) != 0 && lesson_find(sc->l, buf) >= 0)) {
        size_t k = strlen(buf);
        if (k + 2 > n)
            break;
        buf[k] = '_', buf[k + 1] = '\0';
    }
}

/* A number as Python reads it back to the same double, written as Python's repr writes it: "2.0", "0.1",
 * "1e-05"; a number that is not finite (a parameter after training diverged) as float("nan"). */
static void py_number(FILE *out, double v)
{
    if (!isfinite(v)) {
        fprintf(out, "float(\"%s\")", isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
        return;
    }
    char buf[64];
    /* read back in the C locale, as a lesson's numbers are */
    double back;
    size_t used;
    lesson_error err;
#define READS_BACK(s) (lesson_read_number((s), &back, &used, &err) == 0 && back == v)
    for (int d = 1; d <= 17; d++) {
        lesson_format(buf, sizeof buf, "%.*g", d, v);
        if (READS_BACK(buf))
            break;
    }
    if (strchr(buf, 'e') && fabs(v) >= 1e-4 && fabs(v) < 1e16) {
        for (int d = 1; d <= 20; d++) {
            lesson_format(buf, sizeof buf, "%.*f", d, v);
            if (READS_BACK(buf))
                break;
        }
    }
#undef READS_BACK
    fputs(buf, out);
    if (!strpbrk(buf, ".e"))
        fputs(".0", out);
}

static void leaf_values(FILE *out, const graph_node *n)
{
    if (n->len == 1) {
        py_number(out, n->data[0]);
        return;
    }
    fputc('[', out);
    for (int i = 0; i < n->len; i++) {
        if (i)
            fputs(", ", out);
        py_number(out, n->data[i]);
    }
    fputc(']', out);
}

/* Node id as an expression: its name when it has one (and is not the node being defined), a constant's
 * number, or its operation on its inputs. An operand is put in parentheses where Python would otherwise bind it
 * differently: a looser operator inside a tighter one, and the right side at the same level (Python groups
 * a + b + c as the graph does, and a + (b + c) rounds differently), and the left of **, which groups to the right. `need` is the binding the place asks for, 0 for none. */
static void expr(struct script *sc, int id, int defining, int need)
{
    const graph_node *n = graph_node_at(sc->l->g, id);
    const lesson_name *nm = lesson_node_name(sc->l, id);
    if (nm && !defining) {
        fputs(sc->var[nm - sc->l->names], sc->out);
        if (nm->kind == LESSON_PARAM && sc->s->precision == GRAPH_MIXED)
            fputs(".float()", sc->out); /* float32 arithmetic on a float32 image of the float64 parameter */
        return;
    }
    if (n->op == GRAPH_OP_LEAF) {
        if (n->value[0] < 0 && need > 0)
            fputc('(', sc->out);
        py_number(sc->out, n->value[0]);
        if (n->value[0] < 0 && need > 0)
            fputc(')', sc->out);
        return;
    }
    const char *op = python_op[n->op];
    int prec = graph_op_precedence(n->op), form = graph_op_form(n->op);
    int paren = form != GRAPH_FORM_CALL && prec < need;
    fputs(paren ? "(" : "", sc->out);
    if (form == GRAPH_FORM_INFIX) {
        /* the right side always at a tighter level: a + (b + c) is not (a + b) + c in floating point */
        expr(sc, n->src[0], 0, n->op == GRAPH_OP_POW ? prec + 1 : prec);
        fprintf(sc->out, " %s ", op);
        expr(sc, n->src[1], 0, prec + 1);
    } else if (form == GRAPH_FORM_PREFIX) {
        fputs(op, sc->out);
        expr(sc, n->src[0], 0, prec);
    } else {
        fprintf(sc->out, "%s(", op);
        for (int i = 0; i < graph_op_arity(n->op); i++) {
            fputs(i ? ", " : "", sc->out);
            expr(sc, n->src[i], 0, 0);
        }
        fputc(')', sc->out);
    }
    fputs(paren ? ")" : "", sc->out);
}

export_settings export_lesson_settings(const lesson *l)
{
    return (export_settings){ l->lr, l->epochs, graph_precision(l->g), 1 };
}

int export_python(FILE *out, const lesson *l, const export_settings *s)
{
    struct script sc = { out, l, s, calloc((size_t)l->n_names + 1, sizeof *sc.var) };
    if (!sc.var)
        return -1;
    for (int i = 0; i < l->n_names; i++)
        py_name(&sc, i, sc.var[i], sizeof sc.var[i]);
    const char *dtype = s->precision == GRAPH_FLOAT64 ? "float64" : "float32";
    char title[LESSON_LINE_MAX];
    snprintf(title, sizeof title, "%s", l->title ? l->title : "a bptutor lesson");
    text_printable(title, 0);
    fputs("#!/usr/bin/env python3\n", out);
    /* a title that names the model as shipped is not the edited model's name (lesson_retire) */
    fprintf(out, "# %s%s: the model as a PyTorch script, written by bptutor --export python.\n",
            l->title_retired ? "Edited from " : "", title);
    fputs("# python3 this-file.py trains it as the tutor does and prints the table of bptutor --train.\n", out);
    fputs("import torch\n\n", out);
    if (s->precision == GRAPH_MIXED)
        fputs("# precision mixed: float32 arithmetic on a float32 image of float64 parameters, as numpy does\n"
              "# with float32 arrays and a Python-float weight\n",
              out);
    else
        fprintf(out, "# precision %s: every number a %s\n", dtype, s->precision == GRAPH_FLOAT64 ? "double" : "float");
    if (s->precision != GRAPH_FLOAT64)
        fputs("# (in float32 PyTorch may sum and take tanh in another order than the tutor: the last digit of a\n"
              "# row can differ; under set precision float64 the table is the tutor's digit for digit)\n",
              out);
    fprintf(out, "torch.set_default_dtype(torch.%s)\n\n", dtype);

    fputs("# the data: no gradient\n", out);
    for (int i = 0; i < l->n_names; i++) {
        const lesson_name *nm = &l->names[i];
        if (nm->kind != LESSON_INPUT || !graph_live(l->g, nm->id))
            continue;
        fprintf(out, "%s = torch.tensor(", sc.var[i]);
        leaf_values(out, graph_node_at(l->g, nm->id));
        fputs(")\n", out);
    }
    fputs("# the parameters: what training changes\n", out);
    for (int i = 0; i < l->n_names; i++) {
        const lesson_name *nm = &l->names[i];
        if (nm->kind != LESSON_PARAM || !graph_live(l->g, nm->id))
            continue;
        fprintf(out, "%s = torch.tensor(", sc.var[i]);
        leaf_values(out, graph_node_at(l->g, nm->id));
        fprintf(out, "%s, requires_grad=True)\n", s->precision == GRAPH_MIXED ? ", dtype=torch.float64" : "");
    }
    /* by name, as the table prints them: the tutor's end-of-epoch line loops over params.items() when it has
     * many parameters (lesson_format_row_pytorch) */
    fputs("params = {", out);
    for (int i = 0, k = 0; i < l->n_names; i++)
        if (l->names[i].kind == LESSON_PARAM && graph_live(l->g, l->names[i].id))
            fprintf(out, "%s\"%s\": %s", k++ ? ", " : "", l->names[i].name, sc.var[i]);
    fputs("}\n\n", out);
    fputs("optimizer = torch.optim.SGD([", out);
    for (int i = 0, k = 0; i < l->n_names; i++)
        if (l->names[i].kind == LESSON_PARAM && graph_live(l->g, l->names[i].id))
            fprintf(out, "%s%s", k++ ? ", " : "", sc.var[i]);
    fputs("], lr=", out);
    py_number(out, s->lr);
    fputs(")\n\n\n", out);

    fputs("def forward():\n", out);
    for (int id = 0; id < graph_count(l->g); id++) {
        const lesson_name *nm = lesson_node_name(l, id);
        const graph_node *n = graph_node_at(l->g, id);
        if (!nm || n->op == GRAPH_OP_LEAF || !graph_live(l->g, id))
            continue;
        char formula[1024];
        lesson_formula(l, id, formula, sizeof formula);
        text_printable(formula, 0);
        fprintf(out, "    %s = ", sc.var[nm - l->names]);
        expr(&sc, id, 1, 0);
        fprintf(out, "  # %s\n", formula);
    }
    const lesson_name *loss = l->loss >= 0 ? lesson_node_name(l, l->loss) : NULL;
    const lesson_name *metric = l->metric >= 0 ? lesson_node_name(l, l->metric) : NULL;
    if (!loss) {
        free(sc.var);
        fputs("    raise SystemExit(\"the lesson has no loss yet\")\n", out);
        return ferror(out) ? -1 : 0;
    }
    fprintf(out, "    return %s, %s  # the loss backward starts from, and the loss the table prints\n\n\n",
            sc.var[loss - l->names], sc.var[(metric ? metric : loss) - l->names]);

    fputs("def numbers(t):\n"
          "    \"\"\"A value or a .grad as the table prints it (a batch as numbers joined by ',').\"\"\"\n"
          "    return \",\".join(f\"{v:.3f}\" for v in t.detach().reshape(-1).tolist())\n\n\n"
          "def grad(p):\n"
          "    return p.grad if p.grad is not None else torch.zeros_like(p)\n\n\n",
          out);
    fprintf(out, "for epoch in range(1, %d):\n", s->epochs + 1);
    fprintf(out, "    %soptimizer.zero_grad()%s\n", s->zero_grad ? "" : "# ",
            s->zero_grad ? "" : "  # zero_grad is off: .grad piles up across epochs");
    fputs("    loss, shown = forward()\n"
          "    loss.backward()\n"
          "    optimizer.step()\n"
          "    print(f\"epoch: {epoch}, loss: {shown.item():.8f}\"",
          out);
    for (int i = 0; i < l->n_names; i++) {
        const lesson_name *nm = &l->names[i];
        if (nm->kind != LESSON_PARAM || !graph_live(l->g, nm->id))
            continue;
        fprintf(out, "\n          f\", %s: {numbers(%s)}, d%s: {numbers(grad(%s))}\"", nm->name, sc.var[i], nm->name,
                sc.var[i]);
    }
    fputs(")\n", out);
    free(sc.var);
    return ferror(out) ? -1 : 0;
}
