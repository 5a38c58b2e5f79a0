/* dot.c — write a lesson's graph in Graphviz DOT (see dot.h). */
#include "dot.h"

#include <math.h>
#include <string.h>

#include "graph.h"
#include "text.h"

/* A DOT string: quotes and backslashes escaped; a control character or a byte that is not UTF-8 (which
 * a lesson cannot hold, but this is text from a file on its way to a terminal or a viewer) is '?'. */
static void text(FILE *out, const char *s)
{
    for (size_t len = strlen(s), k; len > 0; s += k, len -= k) {
        uint32_t ch;
        k = text_char(s, len, &ch);
        if (ch == TEXT_BAD || text_is_control(ch)) {
            fputc('?', out);
            continue;
        }
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fwrite(s, 1, k, out);
    }
}

/* A NaN is "nan", never "-nan": its sign bit means nothing. */
static void numbers(FILE *out, const double *v, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(out, i ? ",%.6g" : "%.6g", isnan(v[i]) ? fabs(v[i]) : v[i]);
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
