/*
 * tui_diagram.c — the graph view's diagram: picture, zoom, sample and the pan window (see tui_diagram.h).
 * Its options live in the layout view (t->diagram); this file decides them and says what it did.
 */
#include "tui_diagram.h"

#include "tui_frame.h"
#include "tui_keymap.h"
#include "tui_view.h"

#include <stdio.h>

static const char *const zoom_says[LAYOUT_ZOOM_COUNT] = {
    N_("overview: names and values"),
    N_("detail: values and gradients"),
    N_("full: values, gradients, and each edge's local gradient"),
};

static int ready(tui *t)
{
    return t->w && (t->diagram || (t->diagram = layout_view_new()));
}

static int has_layers(const tui *t) { return t->l && t->l->n_layers > 0; }

/* The rows layout_fit is given: those a usual panel leaves. */
static int fit_rows(const tui *t)
{
    int rows = t->rows - 2 - TUI_PANEL_USUAL;
    return rows > 1 ? rows : 1;
}

void tui_diagram_fit(tui *t)
{
    if (!ready(t))
        return;
    layout_view_set_options(t->diagram,
                            layout_fit(t->w, t->l, t->cols, fit_rows(t), layout_view_options(t->diagram)));
}

void tui_diagram_start(tui *t)
{
    if (!ready(t))
        return;
    layout_options o = layout_view_options(t->diagram);
    o.sample = 0;
    o.picture = has_layers(t) ? LAYOUT_NETWORK : LAYOUT_GRAPH;
    layout_view_set_options(t->diagram, o);
    tui_diagram_fit(t);
}

/* Move the pan window along one axis so that [at, at + len) is in it: to the middle of it when it has left
 * the window, so that its neighbours come into view with it. Longer than the window, it is shown from its
 * start: in the network the units and edges of the step are above the inside drawn under them, and the
 * middle of the two would show neither (lesson 07 at 60x16). */
static void follow(int *pan, int at, int len, int room)
{
    if (len > room)
        *pan = at;
    else if (at < *pan || at + len > *pan + room)
        *pan = at + len / 2 - room / 2;
}

void tui_diagram_refresh(tui *t)
{
    if (!t->w)
        return;
    layout_canvas_free(t->canvas);
    t->canvas = NULL;
    tui_view_frame(0); /* the panel's text may depend on the diagram (an edge, a box's title) */
    if (!ready(t) || layout_view_update(t->diagram, t->w, t->l, tui_hiding(t)) < 0)
        return;
    tui_view_frame(1); /* the frame drawn next, unless a key comes first: the panel is measured once for both */
    int vw = t->cols, vh = tui_graph_height(t);
    layout_rect all = layout_view_bounds(t->diagram), f = layout_view_focus(t->diagram);
    layout_rect c = layout_view_context(t->diagram);
    if (t->follow) {
        layout_rect r = c.w > 0 && c.w <= vw && c.h <= vh ? c : f;
        if (r.w > 0) {
            follow(&t->pan_x, r.x, r.w, vw);
            follow(&t->pan_y, r.y, r.h, vh);
        }
    }
    if (t->pan_x > all.w - vw)
        t->pan_x = all.w - vw;
    if (t->pan_y > all.h - vh)
        t->pan_y = all.h - vh;
    if (t->pan_x < 0)
        t->pan_x = 0;
    if (t->pan_y < 0)
        t->pan_y = 0;
    /* a margin, so that a wide character cut by the window's edge is drawn as before */
    t->canvas = layout_view_draw(t->diagram, t->pan_x - 2, t->pan_y - 2, t->cols + 4, t->rows + 4);
}

void tui_diagram_zoom(tui *t)
{
    if (!ready(t))
        return;
    layout_options o = layout_view_options(t->diagram);
    int levels = o.picture == LAYOUT_NETWORK && has_layers(t) ? LAYOUT_FULL : LAYOUT_ZOOM_COUNT;
    int z = (int)o.zoom;
    o.zoom = (enum layout_zoom)(z >= levels - 1 ? 0 : z + 1);
    o = layout_orient(t->w, t->l, t->cols, fit_rows(t), o);
    layout_view_set_options(t->diagram, o);
    char keys[4][16];
    static const enum tui_action pans[4] = { TUI_ACT_PAN_LEFT, TUI_ACT_PAN_DOWN, TUI_ACT_PAN_UP, TUI_ACT_PAN_RIGHT };
    for (int k = 0; k < 4; k++)
        tui_keymap_how(pans[k], keys[k], sizeof keys[k]);
    if (layout_fits(t->w, t->l, t->cols, fit_rows(t), o))
        snprintf(t->message, sizeof t->message, _("zoom %s"), _(zoom_says[o.zoom]));
    else
        snprintf(t->message, sizeof t->message, _("zoom %s (bigger than the screen: %s %s %s %s pan)"),
                 _(zoom_says[o.zoom]), keys[0], keys[1], keys[2], keys[3]);
    t->follow = 1;
}

int tui_diagram_sample(tui *t, int sample)
{
    if (!ready(t))
        return -1;
    int n = layout_samples(t->l);
    if (n == 1) {
        snprintf(t->message, sizeof t->message, "%s", _("every node holds one number here: there are no samples to choose"));
        return -1;
    }
    if (sample != LAYOUT_ALL_SAMPLES && (sample < 0 || sample >= n)) {
        snprintf(t->message, sizeof t->message, _("sample needs a number from 1 to %d, or all"), n);
        return -1;
    }
    layout_options o = layout_view_options(t->diagram);
    o.sample = sample;
    layout_view_set_options(t->diagram, o);
    if (sample == LAYOUT_ALL_SAMPLES)
        snprintf(t->message, sizeof t->message, _("the boxes show all %d samples as one number: \u03bc or \u03a3, as the loss takes them"), n);
    else
        snprintf(t->message, sizeof t->message, _("the boxes show sample %d of %d"), sample + 1, n);
    return 0;
}

void tui_diagram_step_sample(tui *t, int delta)
{
    if (!ready(t))
        return;
    int n = layout_samples(t->l), at = layout_view_options(t->diagram).sample;
    at = at == LAYOUT_ALL_SAMPLES || at >= n ? n : at; /* all of them come after the last */
    at = ((at + delta) % (n + 1) + n + 1) % (n + 1);
    tui_diagram_sample(t, at == n ? LAYOUT_ALL_SAMPLES : at);
}

void tui_diagram_picture(tui *t, enum layout_picture p)
{
    if (!ready(t))
        return;
    layout_options o = layout_view_options(t->diagram);
    o.picture = p;
    layout_view_set_options(t->diagram, o);
    tui_diagram_fit(t);
    t->follow = 1;
}

int tui_diagram_tab(tui *t)
{
    if (!ready(t) || !has_layers(t))
        return 0;
    enum layout_picture p = layout_view_options(t->diagram).picture;
    if (t->view == TUI_VIEW_GRAPH && p == LAYOUT_GRAPH) {
        tui_diagram_picture(t, LAYOUT_NETWORK);
        return 1;
    }
    if (t->view == TUI_VIEW_COUNT - 1 && p == LAYOUT_NETWORK) /* round the views, to the computation graph */
        tui_diagram_picture(t, LAYOUT_GRAPH);
    return 0;
}

void tui_diagram_toggle(tui *t)
{
    if (!ready(t))
        return;
    if (!has_layers(t)) {
        snprintf(t->message, sizeof t->message, "%s",
                 _("this lesson has no layers: :layer NAME: UNITS groups nodes into one, for the network view"));
        return;
    }
    int network = layout_view_options(t->diagram).picture == LAYOUT_NETWORK;
    tui_diagram_picture(t, network ? LAYOUT_GRAPH : LAYOUT_NETWORK);
    snprintf(t->message, sizeof t->message, "%s",
             network ? _("the computation graph: a box for every node")
                     : _("the network: a unit per neuron, in layers"));
}
