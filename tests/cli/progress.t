#!/bin/sh
# The learner's progress (issue 13): a lesson walked is kept in $XDG_STATE_HOME/bptutor/progress/ and shown
# by the picker, opened again it goes back to its step, walked to its end it is finished, --reset-progress
# forgets it, a file that does not read is said once and set aside, and a script without XDG_STATE_HOME keeps
# none (nor reads HOME's).
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# state: this test's own state directory; P: where progress goes in it
state() {
    export XDG_STATE_HOME="$SCRATCH/state"
    P="$XDG_STATE_HOME/bptutor/progress"
}
# keys KEY...: a script of those keys, one a line, into the file keys
keys() {
    printf '%s\n' "$@" >keys
}
# picker: the picker's screen, as it opens
picker() {
    printf '<Dump>\n' >dump && "$BPTUTOR" --script dump --size 80x24
}
# record STEP [FINISHED]: a progress file's text for lesson 01 (13 steps)
record() {
    printf 'bptutor progress 1\nepoch 1\nstep %s\nsteps 13\nquiz ....\nfinished %s\nscore 0 4 0\nsaved 1795000000\nend\n' \
        "$1" "${2:-0}"
}

test_expect 'a walked lesson keeps its step, and the picker shows it with the cursor on it' '
    state && keys "<Right>" "<Right>" "<Right>" "<Right>" "<Right>" &&
    "$BPTUTOR" --no-quiz --script keys 01 >out 2>err && test ! -s err &&
    grep -qx "step 5" "$P/01-one-weight.progress" && grep -qx "steps 13" "$P/01-one-weight.progress" &&
    grep -qx "finished 0" "$P/01-one-weight.progress" && tail -n 1 "$P/01-one-weight.progress" | grep -qx end &&
    picker >screen &&
    grep -q "▶ 01-one-weight  *step 6 of 13  *One weight, one sample" screen &&
    grep -q "  02-four-samples  *new " screen &&
    grep -q "Enter goes back to step 6 of 13, where you left this lesson." screen
'

test_expect 'opening the lesson again goes back to its step, and says so' '
    state && keys "<Right>" "<Right>" "<Right>" "<Right>" && "$BPTUTOR" --no-quiz --script keys 01 &&
    keys "<Dump>" && "$BPTUTOR" --no-quiz --script keys 01 >screen &&
    grep -q "step 5 of 13\$" screen &&
    grep -q "back at step 5 of 13, where you left this lesson (r starts over)" screen &&
    keys "r" "<Dump>" && "$BPTUTOR" --no-quiz --script keys 01 >screen && grep -q "step 1 of 13\$" screen &&
    grep -qx "step 0" "$P/01-one-weight.progress"
'

test_expect 'the cursor starts on the lesson left most recently' '
    state && mkdir -p "$P" && record 3 >"$P/01-one-weight.progress" &&
    sed "s/^steps 13/steps 18/; s/^saved .*/saved 1795000999/" "$P/01-one-weight.progress" >"$P/02-four-samples.progress" &&
    picker >screen && grep -q "▶ 02-four-samples  *step 4 of 18" screen &&
    sed -i "s/^saved .*/saved 1796000000/" "$P/01-one-weight.progress" &&
    picker >screen && grep -q "▶ 01-one-weight  *step 4 of 13" screen
'

test_expect 'a quiz answered is kept, and not asked again when the lesson is opened again' '
    state && keys "<Right>" "<Right>" "<Type yhat - y>" "<Enter>" &&
    "$BPTUTOR" --script keys 01 >/dev/null && grep -qx "quiz r..." "$P/01-one-weight.progress" &&
    keys "<Dump>" "<Left>" "<Right>" "<Dump>" && "$BPTUTOR" --script keys 01 >screen &&
    test "$(grep -c "step 3 of 13\$" screen)" = 2 && ! grep -q "Quiz 1 of 4" screen
'

test_expect 'walked to its end the lesson is finished, with the score; opened again it starts at the top' '
    state && keys "<Right>" "<Right>" "<Type yhat - y>" "<Enter>" "<Right>" "<Right>" "<Type 8>" "<Enter>" &&
    "$BPTUTOR" --script keys 01 >/dev/null &&
    keys e && "$BPTUTOR" --no-quiz --script keys 01 &&
    grep -qx "finished 1" "$P/01-one-weight.progress" && grep -qx "score 1 4 1" "$P/01-one-weight.progress" &&
    picker >screen && grep -q "01-one-weight  *done, 1/4 first try" screen &&
    ! grep -q "Enter goes back" screen &&
    keys "<Dump>" && "$BPTUTOR" --no-quiz --script keys 01 >screen &&
    grep -q "step 1 of 13\$" screen &&
    grep -q "you finished this lesson before (1/4 first try): it starts again from the top" screen
'

test_expect 'a lesson whose steps changed starts from the top, and says why' '
    state && mkdir -p "$P" && record 4 | sed "s/^steps 13/steps 14/" >"$P/01-one-weight.progress" &&
    keys "<Dump>" && "$BPTUTOR" --no-quiz --script keys 01 >screen &&
    grep -q "step 1 of 13\$" screen &&
    grep -q "this lesson has changed since you left it at step 5: it starts from the top" screen
'

test_expect 'a file that does not read is said once, set aside, and never fatal' '
    state && mkdir -p "$P" && printf "bptutor progress 1\nepoch 1\nstep 4\n" >"$P/01-one-weight.progress" &&
    keys "<Dump>" && "$BPTUTOR" --no-quiz --script keys 01 >screen 2>err && test ! -s err &&
    grep -q "01-one-weight.s progress set aside as .progress.bad: it has no end line" screen &&
    test -f "$P/01-one-weight.progress.bad" && test ! -e "$P/01-one-weight.progress" &&
    "$BPTUTOR" --no-quiz --script keys 01 >screen && ! grep -q "set aside" screen &&
    printf "garbage\n" >"$P/02-four-samples.progress" && picker >screen &&
    grep -q "02-four-samples.s progress set aside as .progress.bad: it does not start with" screen &&
    grep -q "02-four-samples  *new" screen
'

test_expect 'a progress directory that cannot be made is said, and the lesson goes on' '
    state && mkdir -p "$XDG_STATE_HOME" && : >"$XDG_STATE_HOME/bptutor" &&
    keys "<Right>" "<Dump>" && "$BPTUTOR" --no-quiz --script keys 01 >screen 2>err && test ! -s err &&
    grep -q "cannot keep your progress (Not a directory)" screen && grep -q "step 2 of 13\$" screen &&
    picker >screen 2>err && test ! -s err && ! grep -q "your progress\|set aside" screen &&
    grep -q "01-one-weight  *new" screen
'

test_expect 'a script without XDG_STATE_HOME keeps no progress and reads none from HOME' '
    unset XDG_STATE_HOME && P="$HOME/.local/state/bptutor/progress" && mkdir -p "$P" &&
    record 5 >"$P/01-one-weight.progress" && cp "$P/01-one-weight.progress" before &&
    keys "<Right>" "<Right>" "<Dump>" && "$BPTUTOR" --no-quiz --script keys 01 >screen &&
    grep -q "step 3 of 13\$" screen && ! grep -q "back at" screen &&
    test_cmp before "$P/01-one-weight.progress" && test "$(ls "$P")" = 01-one-weight.progress &&
    picker >screen && grep -q "01-one-weight  *One weight, one sample" screen
'

test_expect '--reset-progress forgets every lesson, and says so' '
    state && mkdir -p "$P" && record 3 >"$P/01-one-weight.progress" && record 3 >"$P/02-four-samples.progress" &&
    echo x >"$P/03-hidden-unit.progress.bad" && echo mine >"$P/notes" &&
    "$BPTUTOR" --reset-progress >out 2>err && test ! -s err &&
    echo "the progress of 2 lessons is forgotten ($P)" >expect && test_cmp expect out &&
    test "$(ls "$P")" = notes &&
    picker >screen && grep -q "01-one-weight  *new" screen
'

test_expect '--reset-progress LESSON forgets that lesson only' '
    state && mkdir -p "$P" && record 3 >"$P/01-one-weight.progress" && record 3 >"$P/02-four-samples.progress" &&
    "$BPTUTOR" --reset-progress 1 >out && echo "the progress of 01-one-weight is forgotten" >expect &&
    test_cmp expect out && test ! -e "$P/01-one-weight.progress" && test -f "$P/02-four-samples.progress" &&
    "$BPTUTOR" --reset-progress one-weight >out && echo "01-one-weight had no progress kept" >expect &&
    test_cmp expect out
'

test_expect '--reset-progress without a state directory, with a mode, or with a missing lesson' '
    state && (unset XDG_STATE_HOME HOME && test_expect_code 1 "$BPTUTOR" --reset-progress 2>err) &&
    grep -q "no progress is kept" err &&
    test_expect_code 2 "$BPTUTOR" --reset-progress --plain 1 2>err && grep -q "goes alone" err &&
    test_expect_code 2 "$BPTUTOR" --reset-progress 1 2 2>err && grep -q "one lesson at a time" err &&
    test_expect_code 2 "$BPTUTOR" --reset-progress 99 2>err && grep -q "no lesson .99." err &&
    "$BPTUTOR" --help | grep -q "^  --reset-progress "
'

test_done
