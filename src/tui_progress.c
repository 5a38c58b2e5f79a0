/*
 * tui_progress.c — the learner's progress on the screen: the picker's states, going back to a place, keeping
 * each move (see tui_progress.h). The files are progress.c's; this only turns a walk into a progress and back.
 */
#include "tui_progress.h"

#include "i18n.h"
#include "progress.h"
#include "quiz.h"
#include "text.h"
#include "tui_keymap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct tui_progress {
    char dir[4096];        /* "" when no progress is kept (a script without XDG_STATE_HOME) */
    progress *choices;     /* the picker's lessons, as read at the start */
    char path[4096];       /* the open lesson (session_path), to see when another one opens */
    char key[PROGRESS_KEY_MAX + 1]; /* its key; "" when it keeps none */
    int steps;             /* its steps as opened: another count means the model is being edited */
    progress last;         /* what its file holds now */
    int failed;            /* a save failed, and was said once */
};

/* One line in the message line (what tui_say does; this file is below tui_cmd.c, which draws the picker
 * through tui_view.c). */
static void say(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_cut(t->message, sizeof t->message, vsnprintf(t->message, sizeof t->message, fmt, ap));
    va_end(ap);
}

/* A file that did not read, or a save that failed: said once, unless something else is being said. */
static void report(tui *t, const char *why)
{
    if (!t->message[0])
        say(t, "%s", why);
}

void tui_progress_start(tui *t)
{
    struct tui_progress *p = calloc(1, sizeof *p);
    if (!p)
        return;
    t->progress = p;
    if (progress_dir(t->script != NULL, p->dir, sizeof p->dir) < 0)
        p->dir[0] = '\0';
    if (!p->dir[0] || t->n_choices <= 0)
        return;
    p->choices = calloc((size_t)t->n_choices, sizeof *p->choices);
    if (!p->choices)
        return;
    char key[PROGRESS_KEY_MAX + 1], why[512], first[512] = "";
    int bad = 0, newest = -1;
    for (int i = 0; i < t->n_choices; i++) {
        if (progress_key(t->choices[i].path, key, sizeof key) < 0)
            continue;
        if (progress_load(p->dir, key, &p->choices[i], why, sizeof why) < 0 && bad++ == 0)
            snprintf(first, sizeof first, "%s", why);
        if (progress_resumable(&p->choices[i]) && (newest < 0 || p->choices[i].saved > p->choices[newest].saved))
            newest = i;
    }
    if (bad == 1)
        report(t, first);
    else if (bad > 1)
        say(t, _("%.400s (and %d more)"), first, bad - 1);
    if (newest >= 0)
        t->chosen = newest;
}

void tui_progress_free(tui *t)
{
    if (t->progress)
        free(t->progress->choices);
    free(t->progress);
    t->progress = NULL;
}

const char *tui_progress_state(const tui *t, int i, char *buf, size_t n)
{
    const struct tui_progress *p = t->progress;
    if (!p || !p->choices || i < 0 || i >= t->n_choices)
        return NULL;
    progress_describe(&p->choices[i], buf, n);
    return buf;
}

int tui_progress_offer(const tui *t, char *buf, size_t n)
{
    const struct tui_progress *p = t->progress;
    if (!p || !p->choices || t->chosen < 0 || t->chosen >= t->n_choices || !progress_resumable(&p->choices[t->chosen]))
        return 0;
    char key[32];
    const progress *c = &p->choices[t->chosen];
    snprintf(buf, n, _("%s goes back to step %d of %d, where you left this lesson."),
             tui_keymap_how(TUI_ACT_OPEN_LESSON, key, sizeof key), c->step + 1, c->steps);
    return 1;
}

/* ---------------------------------------------------------------- a walk and a progress */

/* Is the walk at the end of its first epoch, or past it? */
static int at_end(const tui *t)
{
    return walk_epoch(t->w) > 1 || walk_current(t->w)->phase == LESSON_PHASE_EPOCH;
}

static const char standing_letter[] = {
    [QUIZ_OPEN] = PROGRESS_QUIZ_OPEN,
    [QUIZ_GOT_RIGHT] = PROGRESS_QUIZ_RIGHT,
    [QUIZ_GOT_SOLUTION] = PROGRESS_QUIZ_SOLVED,
    [QUIZ_GOT_SKIPPED] = PROGRESS_QUIZ_SKIPPED,
};
_Static_assert(sizeof standing_letter == QUIZ_GOT_SKIPPED + 1, "a letter for every standing (ORDER quiz_standing)");

/* The progress the screen shows now, over what the file holds. */
static progress now(const tui *t, const progress *last, int steps)
{
    progress r = *last;
    const quiz *q = session_quiz(t->s);
    if (walk_count(t->w) == steps) { /* not while the model is edited: that place is in another graph */
        r.epoch = walk_epoch(t->w);
        r.step = walk_index(t->w);
        r.steps = steps;
        int n = t->l->n_quiz < PROGRESS_QUIZ_MAX ? t->l->n_quiz : PROGRESS_QUIZ_MAX;
        for (int k = 0; k < n; k++) {
            r.quiz[k] = standing_letter[quiz_standing(q, k)];
            int tries = quiz_tries(q, k);
            r.tries[k] = (char)('0' + (tries < QUIZ_TRIES ? tries : QUIZ_TRIES));
        }
        r.quiz[n] = r.tries[n] = '\0';
    }
    if (at_end(t)) {
        r.finished = 1;
        quiz_score(q, &r.right, &r.total);
        r.later = quiz_later(q);
        r.answered = 0;
        for (int k = 0; k < t->l->n_quiz; k++)
            r.answered += quiz_settled(q, k);
    }
    return r;
}

/* The same progress, but for when it was saved. */
static int same(const progress *a, const progress *b)
{
    return a->epoch == b->epoch && a->step == b->step && a->steps == b->steps && strcmp(a->quiz, b->quiz) == 0 &&
           strcmp(a->tries, b->tries) == 0 && a->later == b->later && a->finished == b->finished && a->right == b->right && a->total == b->total && a->answered == b->answered;
}

void tui_progress_follow(tui *t)
{
    struct tui_progress *p = t->progress;
    if (!p || !t->s || strcmp(session_path(t->s), p->path) == 0)
        return;
    snprintf(p->path, sizeof p->path, "%s", session_path(t->s));
    memset(&p->last, 0, sizeof p->last);
    p->steps = walk_count(t->w);
    char why[512];
    if (!p->dir[0] || progress_key(p->path, p->key, sizeof p->key) < 0) {
        p->key[0] = '\0';
        return;
    }
    progress r;
    int found = progress_load(p->dir, p->key, &r, why, sizeof why);
    if (found < 0)
        report(t, why);
    if (found <= 0)
        return;
    p->last = r;
    char key[32];
    tui_keymap_how(TUI_ACT_START_OVER, key, sizeof key);
    if (progress_resumable(&r) && r.steps == p->steps) {
        quiz *q = session_quiz(t->s);
        for (int k = 0; r.quiz[k] && k < t->l->n_quiz; k++) {
            const char *at = memchr(standing_letter, r.quiz[k], sizeof standing_letter);
            int tries = r.tries[0] && k < (int)strlen(r.tries) ? r.tries[k] - '0' : 0;
            quiz_restore(q, k, at ? (enum quiz_standing)(at - standing_letter) : QUIZ_OPEN, tries);
        }
        walk_jump(t->w, r.step);
        say(t, _("back at step %d of %d, where you left this lesson (%s starts over)"), r.step + 1, r.steps, key);
    } else if (progress_resumable(&r)) {
        say(t, _("this lesson has changed since you left it at step %d: it starts from the top"), r.step + 1);
    } else if (r.finished && r.answered > 0) {
        say(t, _("you finished this lesson before (%d/%d first try): it starts again from the top"), r.right, r.total);
    } else if (r.finished) {
        say(t, _("you finished this lesson before: it starts again from the top"));
    }
}

void tui_progress_keep(tui *t, int busy)
{
    struct tui_progress *p = t->progress;
    if (!p || !t->s || !p->key[0] || busy || strcmp(session_path(t->s), p->path) != 0)
        return;
    progress r = now(t, &p->last, p->steps);
    if (same(&r, &p->last))
        return;
    if (p->last.epoch == 0 && !progress_started(&r) && !r.finished && strspn(r.quiz, ".") == strlen(r.quiz))
        return; /* opened and not moved: nothing to keep yet */
    r.saved = (long long)time(NULL);
    if (progress_save(p->dir, p->key, &r) == 0) {
        p->last = r;
        p->failed = 0;
    } else if (!p->failed) {
        p->failed = 1;
        char why[512];
        snprintf(why, sizeof why, _("cannot keep your progress (%s) in %.300s"), strerror(errno), p->dir);
        report(t, why);
    }
}
