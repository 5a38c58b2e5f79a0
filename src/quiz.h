/*
 * quiz.h — a lesson's quiz questions during the walkthrough.
 *
 * A quiz stops the walkthrough at one step (walk_quiz_step): with a node named, that node's step in the quiz's
 * phase (for LOCAL, the edge that comes from the node, as in "∂(s^2)/∂s"); without one, the last step of the
 * phase. It is asked in the first epoch only, before the step's result is shown. The lesson's answer is a live
 * expression evaluated with the numbers of that step (walk_eval), so it stays right after any `:set`; the
 * learner's is a number or an expression of what is on screen, checked against it with a tolerance that
 * accepts what the screen shows (a relative 1e−3, or 1e−6 near zero). A wrong answer is told and gets the
 * hint; the third wrong answer gets the solution. The score counts the quizzes answered right at the first try;
 * one answered right after a wrong try is counted apart (quiz_later), not as right. A quiz retired after a model
 * edit (lesson_retire) is neither asked nor counted.
 *
 * No I/O and no curses.
 */
#ifndef BPTUTOR_QUIZ_H
#define BPTUTOR_QUIZ_H

#include <stddef.h>

#include "lesson.h"
#include "walk.h"

enum { QUIZ_TRIES = 3 };

enum quiz_verdict {
    QUIZ_RIGHT,     /* settled: counted in the score */
    QUIZ_WRONG,     /* try again; msg has the hint */
    QUIZ_SOLVED,    /* the third wrong answer: settled, msg has the solution */
    QUIZ_MALFORMED, /* not an answer (a typo, an unknown name): msg says why, no try used */
};

typedef struct quiz quiz;

quiz *quiz_new(const lesson *l, const walk *w);
void quiz_free(quiz *q);

/* The step of the first epoch at which quiz k is asked, or −1 when the lesson's graph has no such step or the
 * quiz is retired. */
int quiz_step(const quiz *q, int k);
/* Quiz k's question with its placeholders filled in, as it is asked (before the step's result). */
int quiz_question(const quiz *q, int k, char *buf, size_t n);
/* Whether quiz k would take v as its answer now; changes nothing. */
int quiz_accepts(const quiz *q, int k, double v);
/* The quiz waiting at the walk's current step (not settled yet), or −1. */
int quiz_pending(const quiz *q, const walk *w);
/* Check an answer to quiz k. msg receives a sentence for the learner; on QUIZ_MALFORMED *col (if not NULL)
 * is the 1-based column of the problem in the answer. */
enum quiz_verdict quiz_answer(quiz *q, int k, const char *answer, char *msg, size_t n, int *col);
/* Quiz k's hints, filled in and joined as a wrong answer shows them, or "". */
int quiz_hint(const quiz *q, int k, char *buf, size_t n);
/* Quiz k's answer with the walk's numbers, as the third wrong answer tells it: "−4", or "−4 (ŷ − y)" when the
 * lesson's answer is an expression; "?" when it no longer fits the model. Reveals nothing, settles nothing. */
int quiz_solution(const quiz *q, int k, char *buf, size_t n);
/* The same as a sentence, as the screen shows it after the last try or on a skip: "The answer is −4 (ŷ − y)." */
int quiz_solution_sentence(const quiz *q, int k, char *buf, size_t n);
/* Skip quiz k (settled, not right). */
void quiz_skip(quiz *q, int k);
int quiz_tries(const quiz *q, int k); /* wrong answers so far */
int quiz_settled(const quiz *q, int k);
/* How quiz k stands, as quiz_restore takes it back (progress kept between runs, progress.h). */
enum quiz_standing {
    QUIZ_OPEN,          /* not settled */
    QUIZ_GOT_RIGHT,     /* answered right */
    QUIZ_GOT_SOLUTION,  /* shown the solution after QUIZ_TRIES wrong answers */
    QUIZ_GOT_SKIPPED,   /* skipped, or its answer no longer fits the model */
};
enum quiz_standing quiz_standing(const quiz *q, int k);
/* tries: the wrong answers it had (quiz_tries); a solution had QUIZ_TRIES whatever tries says. */
void quiz_restore(quiz *q, int k, enum quiz_standing s, int tries);
/* Quizzes answered right at the first try, and quizzes in the lesson that have a step (asked). */
void quiz_score(const quiz *q, int *right, int *total);
/* Quizzes asked that were answered right after one wrong try or more (not in quiz_score's right). */
int quiz_later(const quiz *q);
/* Quiz k's place among the quizzes asked (those with a step, not retired), from 1, and how many they are: the
 * "Quiz 1 of 2" that counts the same quizzes as quiz_score. 0 when k is not asked. */
int quiz_number(const quiz *q, int k, int *total);
/* Forget every answer (the lesson starts over). */
void quiz_restart(quiz *q);

#endif
