/* test_quiz.c — where quizzes stop, and how answers are judged. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lesson.h"
#include "quiz.h"
#include "walk.h"

static const char text[] =
    "param w = 0\n"
    "input x = 2\n"
    "input y = 4\n"
    "let yhat = w * x\n"
    "let s = yhat - y\n"
    "loss L = s^2\n"
    "quiz forward s: What is s?\n"
    "answer -4\n"
    "hint s = ŷ − y, and ŷ is still 0.\n"
    "quiz local s: What is ∂L/∂s?\n"
    "answer 2 * s\n"
    "quiz chain w: What is ∂L/∂w?\n"
    "answer grad(w)\n"
    "quiz update: What is w now?\n"
    "answer 0.16\n";

struct fixture { lesson *l; walk *w; quiz *q; };

static int setup(void **state)
{
    static struct fixture f;
    lesson_error err;
    f.l = lesson_parse(text, strlen(text), &err);
    assert_non_null(f.l);
    f.w = walk_new(f.l);
    f.q = quiz_new(f.l, f.w);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    quiz_free(f->q);
    walk_free(f->w);
    lesson_free(f->l);
    return 0;
}

static void each_quiz_stops_at_its_step(void **state)
{
    struct fixture *f = *state;
    const walk_step *s;
    s = walk_step_at(f->w, quiz_step(f->q, 0)); /* the forward step of s */
    assert_int_equal(s->phase, LESSON_PHASE_FORWARD);
    assert_int_equal(s->node, f->l->names[lesson_find(f->l, "s")].id);
    s = walk_step_at(f->w, quiz_step(f->q, 1)); /* the edge L ← s */
    assert_int_equal(s->phase, LESSON_PHASE_LOCAL);
    assert_int_equal(s->node, f->l->loss);
    s = walk_step_at(f->w, quiz_step(f->q, 2));
    assert_int_equal(s->phase, LESSON_PHASE_CHAIN);
    assert_int_equal(s->node, f->l->names[lesson_find(f->l, "w")].id);
    assert_int_equal(quiz_step(f->q, 3), walk_count(f->w) - 2); /* the last update step */
    assert_int_equal(quiz_pending(f->q, f->w), -1);
    walk_jump(f->w, quiz_step(f->q, 0));
    assert_int_equal(quiz_pending(f->q, f->w), 0);
}

static void right_wrong_hint_and_solution(void **state)
{
    struct fixture *f = *state;
    char msg[512];
    int col = 0;
    assert_int_equal(quiz_answer(f->q, 0, "4", msg, sizeof msg, &col), QUIZ_WRONG);
    assert_string_equal(msg, "Not 4. Hint: s = ŷ − y, and ŷ is still 0.");
    assert_int_equal(quiz_answer(f->q, 0, "−4", msg, sizeof msg, &col), QUIZ_RIGHT); /* the screen's minus */
    assert_string_equal(msg, "Right: −4.");
    assert_true(quiz_settled(f->q, 0));
    walk_jump(f->w, quiz_step(f->q, 0));
    assert_int_equal(quiz_pending(f->q, f->w), -1); /* asked once */

    /* an expression, and a typo that costs no try */
    assert_int_equal(quiz_answer(f->q, 1, "2 * (0 - 4", msg, sizeof msg, &col), QUIZ_MALFORMED);
    assert_true(col > 0);
    assert_int_equal(quiz_tries(f->q, 1), 0);
    assert_int_equal(quiz_answer(f->q, 1, "2*s", msg, sizeof msg, &col), QUIZ_RIGHT);

    /* three wrong answers give the solution */
    assert_int_equal(quiz_answer(f->q, 2, "16", msg, sizeof msg, &col), QUIZ_WRONG);
    assert_string_equal(msg, "Not 16. Try again.");
    assert_int_equal(quiz_answer(f->q, 2, "-8", msg, sizeof msg, &col), QUIZ_WRONG);
    assert_int_equal(quiz_answer(f->q, 2, "0", msg, sizeof msg, &col), QUIZ_SOLVED);
    assert_string_equal(msg, "The answer is −16 (grad(w)).");

    /* the tolerance accepts what the screen shows */
    assert_int_equal(quiz_answer(f->q, 3, "0.1600001", msg, sizeof msg, &col), QUIZ_RIGHT);
    /* a solution that is a plain number is not repeated in parentheses */
    quiz_restart(f->q);
    for (int i = 0; i < QUIZ_TRIES; i++)
        quiz_answer(f->q, 3, "7", msg, sizeof msg, &col);
    assert_string_equal(msg, "The answer is 0.16.");
    quiz_answer(f->q, 0, "-4", msg, sizeof msg, &col);
    quiz_answer(f->q, 1, "2*s", msg, sizeof msg, &col);
    quiz_answer(f->q, 2, "-16", msg, sizeof msg, &col);
    int right, total;
    quiz_score(f->q, &right, &total);
    assert_int_equal(right, 3);
    assert_int_equal(total, 4);
    quiz_restart(f->q);
    quiz_score(f->q, &right, &total);
    assert_int_equal(right, 0);
}

static void only_the_first_epoch_asks(void **state)
{
    struct fixture *f = *state;
    walk_train(f->w, 1);
    walk_jump(f->w, quiz_step(f->q, 0));
    assert_int_equal(quiz_pending(f->q, f->w), -1);
    walk_reset(f->w);
    walk_jump(f->w, quiz_step(f->q, 0));
    assert_int_equal(quiz_pending(f->q, f->w), 0);
    quiz_skip(f->q, 0);
    assert_int_equal(quiz_pending(f->q, f->w), -1);
}

/* What a run settled comes back in the next (progress.h): each standing as it was, and what it means. */
static void a_standing_is_restored_as_it_was(void **state)
{
    struct fixture *f = *state;
    char msg[512];
    quiz_answer(f->q, 0, "-4", msg, sizeof msg, NULL);
    for (int i = 0; i < QUIZ_TRIES; i++)
        quiz_answer(f->q, 1, "7", msg, sizeof msg, NULL);
    quiz_skip(f->q, 2);
    enum quiz_standing was[4];
    for (int k = 0; k < 4; k++)
        was[k] = quiz_standing(f->q, k);
    assert_int_equal(was[0], QUIZ_GOT_RIGHT);
    assert_int_equal(was[1], QUIZ_GOT_SOLUTION);
    assert_int_equal(was[2], QUIZ_GOT_SKIPPED);
    assert_int_equal(was[3], QUIZ_OPEN);
    quiz *again = quiz_new(f->l, f->w);
    for (int k = 0; k < 4; k++)
        quiz_restore(again, k, was[k], k == 1 ? QUIZ_TRIES : 0);
    for (int k = 0; k < 4; k++)
        assert_int_equal(quiz_standing(again, k), was[k]);
    int right, total;
    quiz_score(again, &right, &total);
    assert_int_equal(right, 1);
    assert_true(quiz_settled(again, 1));
    assert_int_equal(quiz_tries(again, 1), QUIZ_TRIES);
    walk_jump(f->w, quiz_step(again, 3));
    assert_int_equal(quiz_pending(again, f->w), 3); /* an open one is asked */
    walk_jump(f->w, quiz_step(again, 2));
    assert_int_equal(quiz_pending(again, f->w), -1);
    quiz_restore(again, 9, QUIZ_GOT_RIGHT, 0); /* no such quiz: nothing */
    quiz_free(again);
}

/* A quiz answered wrong and then right is not scored as right: the score counts the quizzes right at the first
 * try, and says apart how many came right later (after a hint), as the screen, the exit line and the progress
 * file do. */
static void right_after_a_wrong_try_is_not_right_at_the_first(void **state)
{
    struct fixture *f = *state;
    char msg[512];
    assert_int_equal(quiz_answer(f->q, 0, "4", msg, sizeof msg, NULL), QUIZ_WRONG);
    assert_int_equal(quiz_answer(f->q, 0, "-4", msg, sizeof msg, NULL), QUIZ_RIGHT);
    assert_int_equal(quiz_answer(f->q, 1, "-8", msg, sizeof msg, NULL), QUIZ_RIGHT);
    int right, total;
    quiz_score(f->q, &right, &total);
    assert_int_equal(right, 1);
    assert_int_equal(total, 4);
    assert_int_equal(quiz_later(f->q), 1);
    /* what is kept between runs keeps the try: restored, the quiz still counts as right later */
    quiz *again = quiz_new(f->l, f->w);
    for (int k = 0; k < 4; k++)
        quiz_restore(again, k, quiz_standing(f->q, k), quiz_tries(f->q, k));
    quiz_score(again, &right, &total);
    assert_int_equal(right, 1);
    assert_int_equal(quiz_later(again), 1);
    quiz_free(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(each_quiz_stops_at_its_step, setup, teardown),
        cmocka_unit_test_setup_teardown(right_wrong_hint_and_solution, setup, teardown),
        cmocka_unit_test_setup_teardown(only_the_first_epoch_asks, setup, teardown),
        cmocka_unit_test_setup_teardown(a_standing_is_restored_as_it_was, setup, teardown),
        cmocka_unit_test_setup_teardown(right_after_a_wrong_try_is_not_right_at_the_first, setup, teardown),
    };
    return cmocka_run_group_tests_name("quiz", tests, NULL, NULL);
}
