/* dot.c — write a lesson's graph in Graphviz DOT (see dot.h). */
#include "dot.h"

#include "graph.h"

/* A DOT string: quotes and backslashes escaped. */
static void text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
}

static void numbers(FILE *out, const double *v, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(out, i ? ",%.6g" : "%.6g", v[i]);
}

int dot_write(FILE *out, const lesson *l)
{
    fputs("digraph bptutor {\n", out);
    fputs("    rankdir=LR;\n", out);
    fputs("    node [fontname=\"DejaVu Sans\", fontsize=11];\n", out);
    for (int id = 0; id < graph_count(l->g); id++) {
        const graph_node *n = graph_node_at(l->g, id);
        const lesson_name *nm = lesson_node_name(l, id);
        char formula[512];
        lesson_formula(l, id, formula, sizeof formula);
        fprintf(out, "    n%d [", id);
        if (n->op == GRAPH_OP_LEAF && n->role == GRAPH_CONST && !nm) {
            fputs("shape=plaintext, label=\"", out);
            text(out, formula);
            fputs("\"];\n", out);
            continue;
        }
        const char *shape = "ellipse";
        if (nm && nm->kind == LESSON_PARAM)
            shape = "box, style=bold";
        else if (nm && nm->kind == LESSON_INPUT)
            shape = "box";
        else if (nm && nm->kind == LESSON_LOSS)
            shape = "ellipse, peripheries=2";
        else if (nm && nm->kind == LESSON_METRIC)
            shape = "ellipse, style=dashed";
        fprintf(out, "shape=%s, label=\"", shape);
        if (nm)
            text(out, lesson_display(nm));
        if (n->op != GRAPH_OP_LEAF || !nm) {
            if (nm)
                fputs(" = ", out);
            text(out, formula);
        }
        fputs("\\nvalue: ", out);
        numbers(out, n->value, n->len);
        fputs("\\ngrad: ", out);
        numbers(out, n->grad, n->len);
        fputs("\"];\n", out);
    }
    for (int id = 0; id < graph_count(l->g); id++) {
        const graph_node *n = graph_node_at(l->g, id);
        for (int k = 0; k < 2; k++)
            if (n->src[k] >= 0)
                fprintf(out, "    n%d -> n%d;\n", n->src[k], id);
    }
    fputs("}\n", out);
    return ferror(out) ? -1 : 0;
}
