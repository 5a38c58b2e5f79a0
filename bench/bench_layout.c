/*
 * bench_layout.c — what the diagram of each lesson measures: for every shipped lesson (lessons/en), for
 * generated networks (2-2-2, Mazur's worked example; 2-3-1; 4-4-4) and a chain of twenty nodes, and for the
 * Mazur lesson the screen tests walk, in each picture (the computation graph, and the network for a lesson
 * with layers), zoom level and orientation: the drawing's width × height (the network's includes the room
 * for a unit's inside under it), edge crossings, merges (two sources' wires along one line: always 0),
 * bends summed over the edges, the longest edge, the time to place it, and whether it fits an 80×24 and a
 * 120×40 screen without panning. The screen also shows a status line, a bottom line and a step panel of
 * about ten rows, so the graph has 80×12 and 120×28 of them. Under each graph: what layout_fit() picks for
 * each screen, for each picture.
 *
 * bench_layout   — run from the top of the tree, after make. tests/unit/test_layout.c keeps these numbers
 * from getting worse.
 *
 * Before issue 11 (one level: value, gradient and local gradients, every leaf in the first column, boxes as
 * wide as the numbers they showed), at the end of the first epoch:
 *
 *   graph                    W × H      crossings merges bends longest  80×24 120×40
 *   01-one-weight             58 × 12       0       0      8     28     yes   yes
 *   02-four-samples          149 × 14       0       0     10     55     no    no
 *   05-neuron                418 × 27       2       0     20    285     no    no
 *   network 2-2-2 (Mazur)    430 × 65      31       9     92    347     no    no
 *   network 2-3-1            434 × 67      57       5     90    366     no    no
 *   network 4-4-4           1041 × 201    387      57    340    881     no    no
 *   chain of 20              512 × 8        1       0      4     20     no    no
 *
 * After its first round (network-simplex ranks, fixed-width boxes, zoom levels; the computation graph is
 * drawn the same after the second), the overview left to right and what the tutor picks:
 *
 *   graph                    overview LR  crossings bends longest  80×24 picks     120×40 picks
 *   01-one-weight              35 × 8         0       2      5     full LR        full LR
 *   02-four-samples            44 × 8         0       3      5     detail LR      full LR
 *   05-neuron                  79 × 8         0       5      5     overview LR    detail LR
 *   network 2-2-2 (Mazur)     119 × 35       12      29     24     (pans)         (pans)
 *   network 2-3-1             118 × 37       13      30     33     (pans)         (pans)
 *   network 4-4-4             209 × 132      87     165    125     (pans)         (pans)
 *
 * After its second round, the network view of the same networks (the tutor used to draw the detail
 * whatever the screen; it now draws what layout_fit picks):
 *
 *   network view             overview LR  crossings bends longest  80×24 picks     120×40 picks
 *   network 2-2-2 (Mazur)      58 × 12        2       9     18     overview, whole detail, whole
 *   network 2-3-1              58 × 17        2      10     23     (pans)         detail, whole
 *   network 4-4-4              66 × 30       42      57     37     (pans)         (pans)
 */
#include <glob.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout.h"
#include "nets.h"

enum { GRAPH_ROWS_80 = 24 - 12, GRAPH_ROWS_120 = 40 - 12 };

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static const char *const zoom_name[] = { "overview", "detail", "full" };

static const char *fit_name(layout_options o)
{
    static char buf[32];
    snprintf(buf, sizeof buf, "%s %s %s", o.picture == LAYOUT_NETWORK ? "network" : "graph", zoom_name[o.zoom],
             o.orientation == LAYOUT_TOP_BOTTOM ? "TB" : "LR");
    return buf;
}

/* One row of the table: the drawing of l with options o. */
static int measure_row(const char *name, const walk *w, const lesson *l, layout_options o)
{
    layout_view *v = layout_view_new();
    if (!v)
        return -1;
    layout_view_set_options(v, o);
    double t0 = now();
    if (layout_view_update(v, w, l, 0) < 0) {
        layout_view_free(v);
        return -1;
    }
    double ms = (now() - t0) * 1000;
    layout_stats st;
    layout_measure(layout_view_layout(v), &st);
    /* the whole drawing: the network's room for a unit's inside included */
    layout_rect all = layout_view_bounds(v);
    char size[32];
    snprintf(size, sizeof size, "%d x %d", all.w, all.h);
    printf("%-24s %-7s %-8s %-2s %10s %9d %6d %5d %7d %7.2f  %-5s %s\n", name,
           o.picture == LAYOUT_NETWORK ? "network" : "graph", zoom_name[o.zoom],
           o.orientation == LAYOUT_TOP_BOTTOM ? "TB" : "LR", size, st.crossings, st.merges, st.bends, st.longest, ms,
           all.w <= 80 && all.h <= GRAPH_ROWS_80 ? "yes" : "no", all.w <= 120 && all.h <= GRAPH_ROWS_120 ? "yes" : "no");
    layout_view_free(v);
    return 0;
}

static int measure(const char *name, const char *text)
{
    lesson_error err;
    lesson *l = lesson_parse(text, strlen(text), &err);
    if (!l) {
        fprintf(stderr, "bench_layout: %s: %s\n", name, err.message);
        return -1;
    }
    walk *w = walk_new(l);
    walk_finish_epoch(w);
    int first = 1;
    for (int p = 0; p < (l->n_layers > 0 ? 2 : 1); p++)
        for (int z = 0; z < LAYOUT_ZOOM_COUNT; z++)
            for (int o = 0; o < 2; o++) {
                /* the full zoom is drawn left to right only; the network has no full zoom and no TB */
                if ((z == LAYOUT_FULL && o) || (p && (o || z == LAYOUT_FULL)))
                    continue;
                layout_options opt = { (enum layout_zoom)z, o ? LAYOUT_TOP_BOTTOM : LAYOUT_LEFT_RIGHT, 0,
                                       p ? LAYOUT_NETWORK : LAYOUT_GRAPH };
                if (measure_row(first ? name : "", w, l, opt) < 0) {
                    fprintf(stderr, "bench_layout: out of memory\n");
                    return -1;
                }
                first = 0;
            }
    layout_options graph = layout_default_options(), net = graph;
    net.picture = LAYOUT_NETWORK;
    printf("%-24s layout_fit picks %s for 80x24", "", fit_name(layout_fit(w, l, 80, GRAPH_ROWS_80, graph)));
    printf(", %s for 120x40\n", fit_name(layout_fit(w, l, 120, GRAPH_ROWS_120, graph)));
    if (l->n_layers > 0) {
        printf("%-24s layout_fit picks %s for 80x24", "", fit_name(layout_fit(w, l, 80, GRAPH_ROWS_80, net)));
        printf(", %s for 120x40\n", fit_name(layout_fit(w, l, 120, GRAPH_ROWS_120, net)));
    }
    walk_free(w);
    lesson_free(l);
    return 0;
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    static char text[1 << 18];
    printf("%-24s %-7s %-8s %-2s %10s %9s %6s %5s %7s %7s  %-5s %s\n", "graph", "view", "zoom", "", "W x H",
           "crossings", "merges", "bends", "longest", "ms", "80x24", "120x40");
    glob_t g;
    if (glob("lessons/en/*.lesson", 0, NULL, &g) != 0) {
        fprintf(stderr, "bench_layout: no lessons/en/*.lesson here; run from the top of the tree\n");
        return 1;
    }
    for (size_t i = 0; i < g.gl_pathc; i++) {
        FILE *f = fopen(g.gl_pathv[i], "r");
        size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
        if (f)
            fclose(f);
        text[n] = '\0';
        const char *base = strrchr(g.gl_pathv[i], '/');
        char name[64];
        snprintf(name, sizeof name, "%s", base ? base + 1 : g.gl_pathv[i]);
        char *dot = strstr(name, ".lesson");
        if (dot)
            *dot = '\0';
        if (measure(name, text) < 0)
            return 1;
    }
    globfree(&g);
    static const int nets[][3] = { { 2, 2, 2 }, { 2, 3, 1 }, { 4, 4, 4 } };
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
        char name[64];
        nets_network(text, sizeof text, nets[i][0], nets[i][1], nets[i][2]);
        snprintf(name, sizeof name, "network %d-%d-%d%s", nets[i][0], nets[i][1], nets[i][2], i ? "" : " (Mazur)");
        if (measure(name, text) < 0)
            return 1;
    }
    nets_chain(text, sizeof text);
    if (measure("chain of 20", text) < 0)
        return 1;
    /* the lesson the screen tests walk: Mazur's with his labels (E_total, subscripts) */
    FILE *f = fopen("tests/screens/mazur-2-2-2.lesson", "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    return n > 0 && measure("mazur-2-2-2.lesson", text) < 0;
}
