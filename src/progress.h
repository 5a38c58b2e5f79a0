/*
 * progress.h — what a learner has done in each lesson, kept between runs: the place in the walkthrough, the
 * quizzes answered, and whether the lesson was walked to its end and with what score.
 *
 * One small text file per lesson, in $XDG_STATE_HOME/bptutor/progress/ (by default
 * ~/.local/state/bptutor/progress/), named after the lesson's file name without ".lesson": 01-one-weight.lesson
 * keeps its progress in 01-one-weight.progress wherever it was found, so the English and the Chinese lesson of
 * one number share it, and it survives moving the lessons or installing them elsewhere. A lesson whose file
 * name does not end in ".lesson" (a pipe, /dev/fd/63) keeps none.
 *
 * A file is written whole to a temporary file beside it and then renamed (file_write): a crash or a kill at
 * any moment leaves the old content or the new, never a mixture. A file that does not read as progress (a
 * wrong first line, a missing "end", a bad number, something that is not a regular file) is set aside as
 * NAME.progress.bad and the lesson counts as new: the caller says so once, and it is never fatal.
 *
 * The file, one "key value" a line; lines with other keys are skipped (a later version may add some):
 *   bptutor progress 1
 *   epoch 1          the place: epoch (1-based) and step within it (0-based)
 *   step 12
 *   steps 40         steps in an epoch when it was saved: another number means the lesson changed
 *   quiz rs.k        one letter per quiz: . open, r right, s solved for the learner, k skipped
 *   tries 0130       one digit per quiz: its wrong answers ("r" with 0 is right at the first try)
 *   finished 1       walked to the end of the first epoch, at least once
 *   score 3 4 4      at the last such end: quizzes right at the first try, quizzes in the lesson, quizzes answered
 *   later 1          at that end, quizzes right after a wrong try (not in score's first number)
 *   saved 1795000000 when, in seconds since 1970 (the picker offers the newest place)
 *   end
 * A file without tries or later (written before they were kept) reads as no wrong tries and none later.
 *
 * No curses, no walk: the screen turns a walk into a progress and back (tui_progress.c).
 */
#ifndef BPTUTOR_PROGRESS_H
#define BPTUTOR_PROGRESS_H

#include <stddef.h>

enum { PROGRESS_QUIZ_MAX = 64, PROGRESS_KEY_MAX = 200, PROGRESS_FILE_MAX = 4096 };

/* A quiz's state, as the file writes it. */
enum progress_quiz {
    PROGRESS_QUIZ_OPEN = '.',
    PROGRESS_QUIZ_RIGHT = 'r',
    PROGRESS_QUIZ_SOLVED = 's',
    PROGRESS_QUIZ_SKIPPED = 'k',
};

typedef struct progress {
    int epoch, step, steps;              /* the place; epoch 0: none kept */
    char quiz[PROGRESS_QUIZ_MAX + 1];    /* enum progress_quiz per quiz, NUL-terminated */
    char tries[PROGRESS_QUIZ_MAX + 1];   /* '0'…'3' per quiz: its wrong answers, NUL-terminated */
    int finished;                        /* walked to the end of the first epoch at least once */
    int right, total, answered, later;   /* the quizzes at that end: right at the first try, …, right later */
    long long saved;                     /* seconds since 1970 */
} progress;

/* The directory progress lives in, as file_state_path gives it (a script has one only with XDG_STATE_HOME):
 * 0 with it in buf, or −1 for none. */
int progress_dir(int scripted, char *buf, size_t n);

/* The key of the lesson at path: its file name without ".lesson". 0, or −1 when the name does not end in
 * ".lesson" or would not make a file name of ours (empty, starting with a dot, control characters). */
int progress_key(const char *path, char *key, size_t n);

/* Read the progress of lesson key from dir. 1 with *p; 0 when none is kept (*p is new: all zero); −1 when the
 * file is there but does not read as progress: it is set aside as KEY.progress.bad, *p is new and why holds
 * one line saying so and what was wrong ("03-hidden-unit's progress set aside as .progress.bad: it has no end
 * line"). */
int progress_load(const char *dir, const char *key, progress *p, char *why, size_t n);

/* Write p as the progress of lesson key, creating dir when it is missing: 0, or −1 with errno. */
int progress_save(const char *dir, const char *key, const progress *p);

/* Forget the progress of lesson key, or of every lesson when key is NULL (the set-aside files and the
 * temporary files a killed save left too). 0 with *cleared the lessons forgotten, or −1 with errno. A
 * missing directory is nothing to clear. */
int progress_clear(const char *dir, const char *key, int *cleared);

/* Has p a place that is not the very start of the lesson? */
int progress_started(const progress *p);
/* Is p's place one to go back to: past the start of the first epoch and before its end (its last step)? */
int progress_resumable(const progress *p);

/* The state as the picker says it: "new", "step 12 of 40", "done, 3/4 first try", "done". */
int progress_describe(const progress *p, char *buf, size_t n);

/* p as the file holds it, into buf: what snprintf returns. */
int progress_format(const progress *p, char *buf, size_t n);
/* Read the file's text: 0 with *p, or −1 with why saying what is wrong. */
int progress_parse(const char *text, size_t len, progress *p, char *why, size_t n);

#endif
