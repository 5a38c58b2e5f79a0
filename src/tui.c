/*
 * tui.c — the tutor's loop: one input path, the dispatcher from keys to actions, the handlers, and the
 * hooks that let readline share the screen and the keys.
 *
 * The pieces below it, each reached only from above: the terminal layer (tui_crt.c: screen, colours,
 * primitives, signals), the key-script reader (tui_script.c), the actions and the keymap (tui_action.c,
 * tui_keymap.c), the state's questions (tui_state.c), the views and the frame that draw from the state
 * (tui_view.c, tui_frame.c), and the ':' commands (tui_cmd.c).
 *
 * One input path: next_key() returns the next key from the terminal, or from the script's lines translated
 * to the same codes, so the headless replay runs exactly the code a learner's keys run. A key is looked up
 * in the keymap and its action run by act(); a line at the prompt that names an action runs the same
 * act(). Handlers change the state and say what needs doing; tui_draw() and the views only read it. Like
 * ncurses' typeahead, a key whose frame another key already waiting would supersede is not drawn: the frame is
 * owed, and drawn when the keys run out or before a <Dump> (frame_superseded).
 * Idle means idle: wgetch blocks, with no timeout, until a key, a resize or a signal.
 *
 * While the ':' line is open every key goes to readline (prompt.c), still through next_key(). The same
 * prompt answers quizzes: when the walk arrives at a step whose quiz is still to be asked, the result is
 * held back (tui_hiding: the panel shows the working with "?", the diagram shows the node as unknown) and
 * the question is asked; classroom mode holds back every result until →.
 */
#include "tui.h"

#include "prompt.h"
#include "text.h"
#include "tui_action.h"
#include "tui_cmd.h"
#include "tui_crt.h"
#include "tui_diagram.h"
#include "tui_frame.h"
#include "tui_keymap.h"
#include "tui_progress.h"
#include "tui_script.h"
#include "tui_state.h"
#include "tui_view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- state that follows the walk */

/* Bring the diagram up to the walk and draw the part around the pan window (tui_diagram.c). */
static void refresh_canvas(tui *t)
{
    tui_diagram_refresh(t);
}

/* A frame of the state as it is now (every frame goes through here): none is owed after it. */
static void draw(tui *t)
{
    tui_draw(t);
    t->frame_owed = 0;
}

/* ---------------------------------------------------------------- quizzes and classroom mode */

/* The score in words: right at the first try, and, when some were, how many came right after a wrong try.
 * first takes right and total; later takes them and the quizzes right later. */
static void score_text(const quiz *q, const char *first, const char *later, char *buf, size_t n)
{
    int right, total, late = quiz_later(q);
    quiz_score(q, &right, &total);
    if (late > 0)
        snprintf(buf, n, later, right, total, late);
    else
        snprintf(buf, n, first, right, total);
}

/* Open the answer line for the quiz waiting here (the frame shows its question above the line). */
static int ask_quiz(tui *t)
{
    t->prompting = TUI_ASK_QUIZ;
    prompt_open("");
    return TUI_REDRAW;
}

/* The walk has come to a step (or to a new graph): hide what must wait, ask what is asked here. A class is
 * asked aloud: its quiz waits for the key that shows the answer, with no line to type in. */
static int arrive(tui *t)
{
    t->revealed = 0;
    if (!t->s)
        return TUI_NOTHING;
    if (tui_pending_quiz(t) >= 0 && !t->prompting && !t->classroom)
        return ask_quiz(t);
    const walk_step *st = walk_current(t->w);
    int right, total;
    quiz_score(session_quiz(t->s), &right, &total);
    /* the score, unless quizzes are off or a class answered them aloud */
    if (t->quizzes && (t->answered || !t->classroom) && total > 0 && walk_epoch(t->w) == 1 &&
        st->phase == LESSON_PHASE_EPOCH && !t->message[0])
        score_text(session_quiz(t->s), _("Quiz score: %d of %d right at the first try"),
                   _("Quiz score: %d of %d right at the first try, %d later"), t->message, sizeof t->message);
    return TUI_NOTHING;
}

/* Show the answer of the quiz waiting here, worked out, with the step's result: the quiz is settled, not
 * counted right. */
static int show_answer(tui *t, int k)
{
    char solution[LESSON_LINE_MAX];
    quiz_skip(session_quiz(t->s), k);
    quiz_solution_sentence(session_quiz(t->s), k, solution, sizeof solution);
    t->revealed = 1;
    if (t->classroom)
        return tui_say(t, "%s", solution) | TUI_CHANGED;
    return tui_say(t, _("Skipped. %s"), solution) | TUI_CHANGED;
}

/* The one place that handles a new terminal size. */
static void on_resize(tui *t)
{
    tui_crt_size(&t->rows, &t->cols);
    tui_crt_repaint();
    tui_diagram_fit(t);
    refresh_canvas(t);
}

/* ---------------------------------------------------------------- training */

/* "35 s", "4 min", "2 h": how long the rest of a training will take, roughly. */
static void format_duration(double s, char *buf, size_t n)
{
    if (s < 90)
        snprintf(buf, n, _("%.0f s"), s < 1 ? 1 : s);
    else if (s < 90 * 60)
        snprintf(buf, n, _("%.0f min"), s / 60);
    else
        snprintf(buf, n, _("%.0f h"), s / 3600);
}

/*
 * Training in chunks (session_train) calls this between them: it shows how far training has come, and
 * stops it at once on Ctrl-C, Esc or q, keeping the epochs done. Other keys typed meanwhile are dropped; a
 * resize is followed. A script trains to the end: its keys are its own.
 */
static int on_training(void *ctx, int done, int total, double seconds)
{
    tui *t = ctx;
    if (t->script)
        return 0;
    for (int k; (k = tui_crt_poll()) != TUI_KEY_AGAIN;) {
        if (k == TUI_KEY_CTRL('c') || k == 27 || k == 'q')
            return 1;
        if (k == KEY_RESIZE)
            on_resize(t);
    }
    char loss[64] = "?", left[32];
    int rows = walk_history_count(t->w);
    if (rows > 0)
        walk_format_number(walk_history_at(t->w, rows - 1)->loss, loss, sizeof loss);
    format_duration(seconds / done * (total - done), left, sizeof left);
    tui_say(t, _("training: %d of %d epochs \u00b7 loss %s \u00b7 about %s left \u00b7 Esc or Ctrl-C stops"), done,
            total, loss, left);
    draw(t);
    return 0;
}

/* ---------------------------------------------------------------- the handlers */

static int open_command(tui *t)
{
    tui_clear_error(t);
    t->prompting = TUI_ASK_COMMAND;
    prompt_open(":");
    return TUI_REDRAW;
}

/* A jump forward from step i of epoch e does not pass a quiz still to be asked: it stops at the first one.
 * Returns 1 when it moved the walk back to that step. */
static int stop_at_quiz(tui *t, int e, int i)
{
    if (!t->quizzes || !t->s || e != 1)
        return 0;
    const quiz *q = session_quiz(t->s);
    int to = walk_epoch(t->w) == e ? walk_index(t->w) : walk_count(t->w);
    int stop = -1;
    for (int k = 0; k < t->l->n_quiz; k++) {
        int at = quiz_step(q, k);
        if (at > i && at < to && !quiz_settled(q, k) && (stop < 0 || at < stop))
            stop = at;
    }
    if (stop < 0)
        return 0;
    if (walk_epoch(t->w) != e)
        walk_prev(t->w); /* back into the epoch: from its next one's first step to its last */
    walk_jump(t->w, stop);
    return 1;
}

static int moved(tui *t, int changed, const char *limit)
{
    t->follow = 1;
    if (changed) /* a step come back to reads from its start again */
        t->narration_skip = 0;
    return changed ? TUI_CHANGED : tui_say(t, "%s", limit);
}

static int open_choice(tui *t)
{
    if (t->n_choices <= 0)
        return TUI_NOTHING;
    lesson_error err;
    session *s = session_open(t->choices[t->chosen].path, &t->opt->langs, &err);
    if (!s) {
        char buf[2048];
        lesson_error_format(&err, t->choices[t->chosen].path, buf, sizeof buf);
        char *nl = strchr(buf, '\n');
        if (nl)
            *nl = '\0';
        return tui_say(t, "%s", buf);
    }
    t->s = s;
    t->l = session_lesson(s);
    t->w = session_walk(s);
    session_on_progress(s, on_training, t);
    snprintf(t->name, sizeof t->name, "%s", t->choices[t->chosen].name);
    t->view = TUI_VIEW_GRAPH;
    t->follow = 1;
    tui_diagram_start(t);
    return TUI_CHANGED;
}

/* Change the view; the history and the help start at their usual place. */
static int show(tui *t, enum tui_view v)
{
    t->view = v;
    t->scroll = 0;
    t->columns = 0;
    return TUI_REDRAW;
}

static int pan(tui *t, int dx, int dy)
{
    if (t->view == TUI_VIEW_HISTORY && dx) { /* its parameters' columns, sideways */
        int to = t->columns + (dx > 0 ? 1 : -1), max = tui_history_columns_max(t);
        t->columns = to < 0 ? 0 : to > max ? max : to;
        return TUI_REDRAW;
    }
    if (t->view != TUI_VIEW_GRAPH)
        return TUI_NOTHING;
    t->pan_x += dx;
    t->pan_y += dy;
    t->follow = 0;
    refresh_canvas(t);
    return TUI_REDRAW;
}

/* The history counts back from its newest row, the help and a text down from their top. */
static int scroll_by(tui *t, int down, int by)
{
    t->scroll += (t->view == TUI_VIEW_HISTORY) == down ? -by : by;
    int max = tui_scroll_max(t, tui_view_height(t));
    t->scroll = t->scroll < 0 ? 0 : t->scroll > max ? max : t->scroll;
    return TUI_REDRAW;
}

/* PgDn and PgUp on the graph: a page on through the step's narration, when the panel cut it, or back. The
 * frame a key owes is drawn first: the page is the one on screen. */
static int page_narration(tui *t, int down)
{
    if (t->view != TUI_VIEW_GRAPH || !t->w)
        return 0;
    if (t->frame_owed)
        draw(t);
    int shown, skip, need = tui_narration_page(t, &shown, &skip);
    if (need <= 0 || shown <= 0)
        return 0;
    skip = down ? (skip + shown < need ? skip + shown : skip) : (skip > shown ? skip - shown : 0);
    t->narration_skip = skip;
    t->narration_epoch = walk_epoch(t->w);
    t->narration_index = walk_index(t->w);
    return 1;
}

/* The action's training: the rest of the lesson's epochs (its epochs setting), from the one on screen to the
 * last; past the last, as many again. At an epoch's end that epoch is done (its update is on screen): training
 * starts with the next, which the walk first steps into. Stoppable as :train is. It says what it did, and where
 * the walk is now: at the start of the epoch after the last one trained. */
static int train_all(tui *t)
{
    int stopped = 0, all = walk_epochs(t->w) > 0 ? walk_epochs(t->w) : 1, from = walk_epoch(t->w);
    if (walk_index(t->w) == walk_count(t->w) - 1) {
        if (session_train(t->s, 1, &stopped) < 1) /* into the next epoch: nothing left to train in this one */
            return tui_say(t, "%s", _("training stopped before the first epoch ended"));
        from++;
    }
    int n = from <= all ? all - from + 1 : all;
    int done = session_train(t->s, n, &stopped);
    int rows = walk_history_count(t->w);
    char loss[64] = "?";
    if (rows > 0)
        walk_format_number(walk_history_at(t->w, rows - 1)->loss, loss, sizeof loss);
    t->message[0] = '\0';
    if (done == 0)
        return tui_say(t, "%s", _("training stopped before the first epoch ended"));
    char what[96];
    if (done == 1)
        snprintf(what, sizeof what, _("epoch %d"), from);
    else
        snprintf(what, sizeof what, _("epochs %d\u2013%d"), from, from + done - 1);
    if (stopped)
        tui_say(t, _("training stopped after %d of %d epochs: %s \u00b7 %s loss %s \u00b7 now at the start of epoch %d"),
                done, n, what, done == 1 ? _("its") : _("last"), loss, walk_epoch(t->w));
    else /* short enough for one row at 80 columns */
        tui_say(t, _("trained %s \u00b7 %s loss %s \u00b7 now at the start of epoch %d"), what, done == 1 ? _("its") : _("last"),
                loss, walk_epoch(t->w));
    t->follow = 1;
    return TUI_CHANGED;
}

/* In the picker only choosing, opening and leaving mean anything. */
static int act_in_picker(tui *t, enum tui_action a)
{
    switch (a) {
    case TUI_ACT_SCROLL_UP:
    case TUI_ACT_PAGE_UP:
        if (t->chosen > 0)
            t->chosen--;
        return TUI_REDRAW;
    case TUI_ACT_SCROLL_DOWN:
    case TUI_ACT_PAGE_DOWN:
        if (t->chosen + 1 < t->n_choices)
            t->chosen++;
        return TUI_REDRAW;
    case TUI_ACT_NEXT:
    case TUI_ACT_OPEN_LESSON: return open_choice(t);
    case TUI_ACT_QUIT: return TUI_EXIT;
    case TUI_ACT_REDRAW: tui_crt_repaint(); return TUI_REDRAW;
    case TUI_ACT_PROMPT: return open_command(t);
    default: return TUI_NOTHING;
    }
}

/* Run an action: the one place each of them is done, whether a key or a ':' line asked for it. */
static int act(tui *t, enum tui_action a)
{
    if (t->view == TUI_VIEW_PICKER)
        return act_in_picker(t, a);
    walk *w = t->w;
    char key[32];
    switch (a) {
    case TUI_ACT_NEXT: {
        /* a held-back result comes first: a waiting quiz shows its answer (not counted right), a class sees it */
        int k = tui_pending_quiz(t);
        if (k >= 0)
            return show_answer(t, k);
        if (tui_hiding(t)) {
            t->revealed = 1;
            return TUI_CHANGED;
        }
        return moved(t, walk_next(w), "");
    }
    case TUI_ACT_PREVIOUS:
    case TUI_ACT_PREVIOUS_PHASE: {
        int e = walk_epoch(w);
        int changed = a == TUI_ACT_PREVIOUS ? walk_prev(w) : walk_prev_phase(w);
        if (changed && walk_epoch(w) < e && walk_changed_in(w, e)) { /* back past the start of an epoch changed */
            t->follow = 1;
            return tui_say(t, _("Your change in epoch %d is undone here; %s into epoch %d brings it back."), e,
                           tui_keymap_how(TUI_ACT_NEXT, key, sizeof key), e) | TUI_CHANGED;
        }
        return moved(t, changed, e > 1 ? _("older epochs are not kept: this is as far back as it goes")
                                       : _("this is the very first step"));
    }
    case TUI_ACT_NEXT_PHASE: {
        int e = walk_epoch(w), i = walk_index(w);
        int changed = walk_next_phase(w);
        return moved(t, stop_at_quiz(t, e, i) || changed, "");
    }
    case TUI_ACT_FIRST_STEP: return moved(t, walk_jump(w, 0), _("already at the first step"));
    case TUI_ACT_LAST_STEP: {
        int e = walk_epoch(w), i = walk_index(w);
        int changed = walk_jump(w, walk_count(w) - 1);
        return moved(t, stop_at_quiz(t, e, i) || changed, _("already at the last step"));
    }
    case TUI_ACT_FINISH_EPOCH: {
        int e = walk_epoch(w), i = walk_index(w);
        int changed = walk_finish_epoch(w);
        return moved(t, stop_at_quiz(t, e, i) || changed, _("already at the end of the epoch"));
    }
    case TUI_ACT_TRAIN_ALL: return train_all(t);
    case TUI_ACT_START_OVER: return tui_command(t, session_command_name(SESSION_CMD_RESET));
    case TUI_ACT_NEXT_VIEW:
        if (tui_diagram_tab(t))
            return TUI_CHANGED;
        return show(t, t->view >= TUI_VIEW_COUNT ? TUI_VIEW_GRAPH : (enum tui_view)((t->view + 1) % TUI_VIEW_COUNT)) |
               TUI_CHANGED;
    case TUI_ACT_VIEW_GRAPH:
        if (t->view != TUI_VIEW_GRAPH)
            return show(t, TUI_VIEW_GRAPH);
        tui_diagram_toggle(t);
        return TUI_CHANGED;
    case TUI_ACT_VIEW_HISTORY: return show(t, TUI_VIEW_HISTORY);
    case TUI_ACT_VIEW_PLOT: return show(t, TUI_VIEW_PLOT);
    case TUI_ACT_VIEW_HELP: return show(t, TUI_VIEW_HELP);
    case TUI_ACT_LOG_SCALE:
        t->log_scale = !t->log_scale;
        if (t->view != TUI_VIEW_PLOT)
            show(t, TUI_VIEW_PLOT);
        return TUI_REDRAW; /* the curve's heading says which scale it is drawn in, and why not when it cannot be */
    case TUI_ACT_TOGGLE_HELP:
        if (t->view == TUI_VIEW_HELP)
            return show(t, t->before_help);
        t->before_help = t->view;
        return show(t, TUI_VIEW_HELP);
    case TUI_ACT_CLOSE_VIEW:
        t->view = TUI_VIEW_GRAPH;
        t->scroll = 0;
        return TUI_REDRAW;
    case TUI_ACT_ZOOM:
        tui_diagram_zoom(t);
        return TUI_CHANGED;
    case TUI_ACT_NEXT_SAMPLE: tui_diagram_step_sample(t, 1); return TUI_CHANGED;
    case TUI_ACT_PREVIOUS_SAMPLE: tui_diagram_step_sample(t, -1); return TUI_CHANGED;
    case TUI_ACT_PAN_LEFT: return pan(t, -8, 0);
    case TUI_ACT_PAN_DOWN: return pan(t, 0, 3);
    case TUI_ACT_PAN_UP: return pan(t, 0, -3);
    case TUI_ACT_PAN_RIGHT: return pan(t, 8, 0);
    case TUI_ACT_SCROLL_UP: return scroll_by(t, 0, 1);
    case TUI_ACT_SCROLL_DOWN: return scroll_by(t, 1, 1);
    case TUI_ACT_PAGE_UP:
    case TUI_ACT_PAGE_DOWN:
        if (page_narration(t, a == TUI_ACT_PAGE_DOWN))
            return TUI_REDRAW;
        return scroll_by(t, a == TUI_ACT_PAGE_DOWN, tui_scroll_page(t, tui_view_height(t)));
    case TUI_ACT_ANSWER_QUIZ:
        if (tui_pending_quiz(t) < 0)
            return tui_say(t, "%s", t->quizzes ? _("no quiz waits at this step") : _("quizzes are off (--no-quiz)"));
        return ask_quiz(t);
    case TUI_ACT_TOGGLE_CLASSROOM:
        t->classroom = !t->classroom;
        t->revealed = 0;
        if (!t->classroom)
            return tui_say(t, "%s", _("classroom mode off")) | TUI_CHANGED;
        return tui_say(t, _("classroom mode: each step shows its working first, quizzes are asked aloud; %s shows "
                         "the result"), tui_keymap_how(TUI_ACT_NEXT, key, sizeof key)) | TUI_CHANGED;
    case TUI_ACT_TOGGLE_NOTES:
        /* a page of their own, opened only on this key and left on it or Esc: never on a projected screen unasked */
        if (t->view == TUI_VIEW_NOTES)
            return show(t, t->before_help);
        if (t->view != TUI_VIEW_TEXT && t->view != TUI_VIEW_HELP)
            t->before_help = t->view;
        return show(t, TUI_VIEW_NOTES);
    case TUI_ACT_OPEN_LESSON: return TUI_NOTHING;
    case TUI_ACT_PROMPT: return open_command(t);
    case TUI_ACT_REDRAW: tui_crt_repaint(); return TUI_REDRAW;
    case TUI_ACT_SUSPEND:
        if (!t->script)
            tui_crt_suspend();
        return TUI_REDRAW;
    case TUI_ACT_QUIT: return TUI_EXIT;
    case TUI_ACTION_COUNT: break;
    }
    return TUI_NOTHING;
}

/* A key, through the keymap. */
static int dispatch(tui *t, int key)
{
    int a = tui_keymap_action(key);
    return a >= 0 ? act(t, (enum tui_action)a) : TUI_NOTHING;
}

static int is_session_command(const char *word, size_t n)
{
    for (int c = 0; c < SESSION_COMMAND_COUNT; c++) {
        const char *name = session_command_name((enum session_command)c);
        if (strlen(name) == n && strncmp(name, word, n) == 0)
            return 1;
    }
    return 0;
}

/* A line accepted at the ':' prompt: an action's name runs the action; `bind`, and `help` about an action or
 * bind, are the screen's; everything else is the session's. The session's names come first, so that an
 * action can never take a command from it (quit, the one name both have, quits either way). */
static int run_line(tui *t, const char *line)
{
    const char *word = line + strspn(line, " :");
    size_t n = strcspn(word, " \t");
    const char *rest = word + n + strspn(word + n, " \t");
    int setting = tui_setting_line(t, line);
    if (setting >= 0)
        return tui_set(t, (enum tui_setting)setting, line);
    if (n == 0 || is_session_command(word, n)) {
        size_t an = strcspn(rest, " \t");
        const char *help = session_command_name(SESSION_CMD_HELP);
        if (n == strlen(help) && strncmp(word, help, n) == 0 && an > 0 && !is_session_command(rest, an) &&
            (tui_action_lookup(rest, an) >= 0 || tui_command_lookup(rest, an) >= 0 ||
             tui_setting_lookup(rest, an) >= 0))
            return tui_help_action(t, rest);
        return tui_command(t, line);
    }
    int screen = tui_command_lookup(word, n);
    if (screen >= 0)
        return tui_screen_command(t, (enum tui_command_id)screen, line);
    int a = tui_action_lookup(word, n);
    if (a < 0)
        return tui_command(t, line);
    if (*rest) {
        char *shown = malloc(strlen(line) + 2);
        if (shown) {
            sprintf(shown, ":%s", line);
            tui_set_error(t, shown, (int)(rest - line) + 2, _("an action takes nothing after its name"));
            free(shown);
        }
        return TUI_REDRAW;
    }
    return act(t, (enum tui_action)a);
}

/* Are more keys already there, typed or pasted ahead, or queued from the script's line? */
static int keys_waiting(const tui *t)
{
    return t->script ? tui_script_waiting(t->script) : tui_crt_waiting();
}

/* Is this key's frame superseded, like ncurses' typeahead: is another key already there to be read (a script's
 * next item an ordinary key, not a <Dump>, a resize or the end; typed or pasted keys waiting on the terminal)?
 * Then the frame is owed and drawn once the keys run out, before any dump: the screen a dump or a learner sees
 * is always the state's own frame. */
static int frame_superseded(tui *t)
{
    return t->script ? tui_script_key_next(t->script) : tui_crt_waiting();
}

/* A key for the open ':' line or answer line. Readline edits; Enter runs the line as a command or checks it as
 * the quiz's answer; Esc or Ctrl-C drops it (a quiz then waits: a asks it again, → shows the answer). The
 * answer line's own keys (TUI_ANSWER_KEYS) come first: Tab shows the answer. Ctrl-Z suspends, as the
 * terminal's own line editing would (in raw mode it is a byte, and readline binds it to nothing): the line
 * stays as it was, and the frame after fg draws it again. */
static int prompt_key(tui *t, int key)
{
    enum tui_ask ask = t->prompting;
    if (key == TUI_KEY_CTRL('z')) {
        if (!t->script)
            tui_crt_suspend();
        return TUI_REDRAW;
    }
    if (ask == TUI_ASK_QUIZ && tui_answer_lookup(key) == TUI_ANSWER_SHOW) {
        int k = tui_pending_quiz(t);
        prompt_cancel();
        t->prompting = TUI_ASK_NONE;
        tui_clear_error(t);
        return k >= 0 ? show_answer(t, k) : TUI_REDRAW;
    }
    int page = tui_keymap_action(key);
    if ((page == TUI_ACT_PAGE_DOWN || page == TUI_ACT_PAGE_UP) && page_narration(t, page == TUI_ACT_PAGE_DOWN))
        return TUI_REDRAW; /* the narration above the answer line reads on; the line stays as typed */
    enum prompt_status st = prompt_feed(key);
    if (st == PROMPT_EDITING) { /* readline's redisplay has drawn the line (hook_redisplay), or will */
        if (prompt_full()) { /* shown with the line, once the keys that did not fit are all read */
            tui_say(t, _("the line is full (%d bytes): the rest was not typed"), PROMPT_LINE_MAX);
            t->line_stale = 1;
        }
        int todo = t->dirty ? TUI_REDRAW : TUI_NOTHING;
        t->dirty = 0;
        if (t->line_stale && !keys_waiting(t)) { /* the last of the keys that were waiting */
            t->line_stale = 0;
            if (!todo)
                tui_draw_prompt(t);
        }
        return todo;
    }
    t->prompting = TUI_ASK_NONE;
    if (st == PROMPT_CANCELLED) { /* a quiz left waits: the bottom line says how to come back to it */
        tui_clear_error(t);
        t->message[0] = '\0';
        return TUI_REDRAW;
    }
    if (ask == TUI_ASK_QUIZ && !prompt_line()[strspn(prompt_line(), " \t")]) {
        /* Enter on nothing typed asks again, as it was: no error, no try used; a hint too long for its rows
         * shows its next page */
        ask_quiz(t);
        tui_hint_more(t);
        return TUI_REDRAW;
    }
    char *line = strdup(prompt_line());
    if (!line)
        return tui_say(t, "%s", _("out of memory"));
    if (ask == TUI_ASK_COMMAND)
        prompt_remember(line);
    tui_clear_error(t);
    t->message[0] = '\0';
    draw(t); /* the screen as it is without the prompt: what save-display writes */
    int todo;
    if (ask == TUI_ASK_QUIZ) {
        t->hint_skip = 0;
        todo = tui_answer(t, line);
        t->answered = 1;
        if (tui_pending_quiz(t) >= 0) /* wrong, or not an answer: the hint or the error shows, asked again */
            todo |= ask_quiz(t);
        else
            t->revealed = 1; /* settled: in classroom mode too, the result is what comes next */
    } else {
        todo = run_line(t, line);
    }
    free(line);
    return todo;
}

/* ---------------------------------------------------------------- the one input path */

static int next_key(tui *t)
{
    if (!t->script)
        return tui_crt_key();
    int k = tui_script_key(t->script);
    if (k == TUI_KEY_BAD) {
        tui_crt_stop();
        fprintf(stderr, "%s\n", tui_script_error(t->script));
        t->status = 2;
    }
    return k;
}

/* <Dump> and <DumpAttr>: the screen as it is now, on stdout. */
static void dump_screen(int key)
{
    if (key == TUI_KEY_DUMP_ATTRS)
        tui_crt_dump_attrs(stdout);
    else
        tui_crt_dump(stdout);
    fflush(stdout);
}

/* ---------------------------------------------------------------- readline's hooks (prompt.h) */

/* Readline wants one more byte within a key: the next key from the same input path. */
static int hook_next_key(void *ctx)
{
    tui *t = ctx;
    for (;;) {
        int k = next_key(t);
        if (k == KEY_RESIZE) {
            on_resize(t);
            draw(t);
        } else if (k == TUI_KEY_DUMP || k == TUI_KEY_DUMP_ATTRS) {
            if (t->frame_owed) /* a dump shows what was sent to the terminal: the state as it is */
                draw(t);
            dump_screen(k);
        } else if (k == TUI_KEY_UNKNOWN) { /* dropped; the bottom line says so */
            tui_say(t, "%s", _("unknown key"));
            t->dirty = 1;
        } else if (k != TUI_KEY_AGAIN) {
            return k < 0 ? -1 : k;
        }
    }
}

/* While more keys wait (a paste, the rest of a script's line) the line is drawn after the last of them:
 * drawing it after every key made a 100 kB paste take 20 s. */
static void hook_redisplay(void *ctx)
{
    tui *t = ctx;
    if (keys_waiting(t)) {
        t->line_stale = 1;
        return;
    }
    t->line_stale = 0;
    tui_draw_prompt(t);
}

/* The actions' names (and bind) for the word line[start..end) where a name may stand: the first word, the
 * word after help, the action after bind KEY. */
static void complete_actions(const char *line, int start, int end, void (*add)(const char *candidate, void *add_ctx),
                             void *add_ctx)
{
    const char *p = line + strspn(line, " ");
    size_t n = strcspn(p, " \t");
    const char *second = p + n + strspn(p + n, " \t");
    size_t n2 = strcspn(second, " \t");
    const char *third = second + n2 + strspn(second + n2, " \t");
    const char *help = session_command_name(SESSION_CMD_HELP), *bind = tui_command_name(TUI_CMD_BIND);
    int first = start == (int)(p - line);
    int after_help = start == (int)(second - line) && n == strlen(help) && strncmp(p, help, n) == 0;
    int after_bind = start == (int)(third - line) && n2 > 0 && n == strlen(bind) && strncmp(p, bind, n) == 0;
    if (!first && !after_help && !after_bind)
        return;
    size_t len = (size_t)(end - start);
    for (int a = 0; a < TUI_ACTION_COUNT; a++)
        if (strncmp(tui_action_name((enum tui_action)a), line + start, len) == 0)
            add(tui_action_name((enum tui_action)a), add_ctx);
    for (int c = 0; !after_bind && c < TUI_COMMAND_COUNT; c++)
        if (strncmp(tui_command_name((enum tui_command_id)c), line + start, len) == 0)
            add(tui_command_name((enum tui_command_id)c), add_ctx);
}

static void hook_complete(void *ctx, const char *line, int start, int end,
                          void (*add)(const char *candidate, void *add_ctx), void *add_ctx)
{
    tui *t = ctx;
    if (t->prompting != TUI_ASK_COMMAND) /* an answer line's Tab shows the answer (TUI_ANSWER_KEYS) */
        return;
    if (t->message[0] && !t->err_line) { /* an earlier list of candidates goes */
        t->message[0] = '\0';
        t->dirty = 1;
    }
    if (tui_command_complete(t, line, start, end, add, add_ctx))
        return;
    complete_actions(line, start, end, add, add_ctx);
    if (t->s) {
        session_complete(t->s, line, start, end, add, add_ctx);
        return;
    }
    for (int c = 0; start == 0 && c < SESSION_COMMAND_COUNT; c++) {
        const char *name = session_command_name((enum session_command)c);
        if (strncmp(name, line, (size_t)end) == 0)
            add(name, add_ctx);
    }
}

static void hook_matches(void *ctx, const char *list)
{
    tui *t = ctx;
    tui_clear_error(t);
    snprintf(t->message, sizeof t->message, "%s", list);
    t->dirty = 1;
}

/* ---------------------------------------------------------------- the loop */

static void print_score(const tui *t)
{
    if (!t->s || !t->quizzes || (t->classroom && !t->answered)) /* a class answered aloud: no score */
        return;
    const quiz *q = session_quiz(t->s);
    int right, total, settled = 0;
    quiz_score(q, &right, &total);
    for (int k = 0; k < t->l->n_quiz; k++)
        settled += quiz_settled(q, k);
    if (total > 0 && settled > 0) {
        char score[256];
        score_text(q, _("quiz score %d of %d right at the first try"),
                   _("quiz score %d of %d right at the first try, %d later"), score, sizeof score);
        /* TRANSLATORS: the lesson's title and its quiz score */
        printf(_("%s: %s\n"), t->l->title ? t->l->title : t->name, score);
    }
}

static void free_state(tui *t)
{
    layout_canvas_free(t->canvas);
    layout_view_free(t->diagram);
    session_free(t->s);
    tui_clear_error(t);
    free(t->text);
    tui_progress_free(t);
    tui_script_close(t->script);
}

int tui_run(const tui_options *opt, const char *path, const char *name, const tui_choice *choices, int n)
{
    tui t;
    memset(&t, 0, sizeof t);
    t.opt = opt;
    t.choices = choices;
    t.n_choices = n;
    t.follow = 1;
    t.quizzes = !opt->no_quiz;
    t.classroom = opt->classroom;
    tui_crt_theme(opt->theme);
    t.view = path ? TUI_VIEW_GRAPH : TUI_VIEW_PICKER;
    tui_keymap_reset();
    if (opt->script) {
        t.script = tui_script_open(opt->script);
        if (!t.script) {
            fprintf(stderr, _("bptutor: cannot open the script %s: %s\n"), opt->script, strerror(errno));
            return 2;
        }
    }
    tui_crt_locale(opt->script != NULL);
    if (path) {
        /* a lesson named on the command line that does not load is a bad lesson: status 2, as for --check */
        lesson_error err;
        t.s = session_open(path, &opt->langs, &err);
        if (!t.s) {
            char buf[2048];
            lesson_error_format(&err, path, buf, sizeof buf);
            fputs(text_printable(buf, 1), stderr);
            free_state(&t);
            return 2;
        }
        t.l = session_lesson(t.s);
        t.w = session_walk(t.s);
        session_on_progress(t.s, on_training, &t);
        snprintf(t.name, sizeof t.name, "%s", name ? name : path);
    }
    if (tui_crt_start(opt->script != NULL, opt->cols, opt->rows) < 0) {
        tui_crt_stop();
        fputs(_("bptutor: cannot start the screen\n"), stderr);
        free_state(&t);
        return 1;
    }
    tui_crt_size(&t.rows, &t.cols);
    tui_diagram_start(&t);
    char history[4096];
    prompt_hooks hooks = { hook_next_key, hook_redisplay, hook_complete, hook_matches, &t };
    int has_history = prompt_history_path(opt->script != NULL, history, sizeof history) == 0;
    if (prompt_init(&hooks, has_history ? history : NULL) < 0)
        tui_say(&t, _("%.200s is not a regular file: the prompt's history is not kept"), history);
    tui_progress_start(&t);
    tui_progress_follow(&t);
    arrive(&t);
    refresh_canvas(&t);
    draw(&t);
    for (;;) {
        int key = next_key(&t);
        tui_view_frame(0); /* what a frame kept is for the state before this key */
        if (key == TUI_KEY_BAD)
            break;
        if (key == TUI_KEY_EOF) {
            if (t.prompting) { /* an unfinished ':' line is dropped, as Esc would */
                prompt_cancel();
                t.prompting = TUI_ASK_NONE;
            }
            break;
        }
        const walk *w0 = t.w;
        int e0 = t.w ? walk_epoch(t.w) : 0, i0 = t.w ? walk_index(t.w) : 0;
        int todo = TUI_NOTHING;
        if (key == TUI_KEY_AGAIN) {
            if (!tui_crt_resumed()) {
                if (t.frame_owed && !frame_superseded(&t))
                    draw(&t);
                continue;
            }
            tui_crt_repaint();
            todo = TUI_REDRAW;
        } else if (key == TUI_KEY_DUMP || key == TUI_KEY_DUMP_ATTRS) {
            if (t.frame_owed)
                draw(&t);
            dump_screen(key);
        } else if (key == KEY_RESIZE) {
            on_resize(&t);
            todo = TUI_REDRAW;
        } else if (key == TUI_KEY_UNKNOWN) { /* an escape sequence no key is: dropped, not run byte by byte */
            todo = tui_say(&t, "%s", _("unknown key")) | TUI_REDRAW;
        } else if (t.prompting) {
            todo = prompt_key(&t, key);
        } else {
            t.message[0] = '\0';
            tui_clear_error(&t);
            todo = dispatch(&t, key) | TUI_REDRAW;
        }
        tui_progress_follow(&t); /* a lesson opened: back to where it was left */
        if (todo & TUI_EXIT)
            break;
        if (t.w && (t.w != w0 || walk_epoch(t.w) != e0 || walk_index(t.w) != i0))
            todo |= arrive(&t) | TUI_CHANGED;
        if (todo & TUI_CHANGED)
            refresh_canvas(&t);
        tui_progress_keep(&t, keys_waiting(&t)); /* before the frame: a save that fails says so in it */
        if (todo & (TUI_REDRAW | TUI_CHANGED))
            t.frame_owed = 1;
        if (t.frame_owed && !frame_superseded(&t))
            draw(&t);
        if (t.status)
            break;
    }
    tui_progress_keep(&t, 0);
    prompt_done();
    tui_crt_stop();
    if (!opt->script && t.status == 0)
        print_score(&t);
    int status = t.status;
    free_state(&t);
    return status;
}
