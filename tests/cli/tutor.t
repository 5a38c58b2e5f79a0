#!/bin/sh
# Starting the tutor from the command line: the lesson file is read once (main used to load it to report
# errors, free it, and let the tutor load it again), a lesson that does not load is reported by the tutor
# with status 2, and the picker and --list read each lesson's title without running the lesson.
. "$TOP/tests/lib.sh"
L1="$TOP/lessons/en/01-one-weight.lesson"

# opens TRACE FILE: how many times the strace log TRACE shows FILE opened.
opens() {
    grep -c "open[a-z]*(.*\"$2\"" "$1"
}
test_lazy_prereq STRACE 'strace -f -o /dev/null -e trace=openat true'

test_expect STRACE 'the tutor opens its lesson once' '
    printf "]\n" >s &&
    strace -f -o trace -e trace=open,openat "$BPTUTOR" --script s "$L1" &&
    test "$(opens trace "$L1")" = 1
'

test_expect STRACE '--train, --plain and --check open the lesson once' '
    for mode in --train --plain --check; do
        strace -f -o trace -e trace=open,openat "$BPTUTOR" $mode "$L1" >/dev/null &&
        test "$(opens trace "$L1")" = 1 || { echo "$mode"; exit 1; }
    done
'

test_expect STRACE '--list opens each lesson once' '
    BPTUTOR_PATH="$TOP/lessons" strace -f -o trace -e trace=open,openat "$BPTUTOR" --list >out &&
    for f in "$TOP"/lessons/en/*.lesson; do test "$(opens trace "$f")" = 1 || exit 1; done
'

test_expect 'a lesson that does not load, in the tutor: the error in gcc form, status 2' '
    printf "param w = 0\nloss L = v\n" >bad.lesson && printf "]\n" >s &&
    test_expect_code 2 "$BPTUTOR" --script s bad.lesson >out 2>err &&
    test ! -s out &&
    head -n 1 err | grep -x "bad.lesson:2:10: error: .*"
'

test_expect 'a lesson that is not there, in the tutor: status 2, and where it looked' '
    printf "]\n" >s &&
    test_expect_code 2 "$BPTUTOR" --script s no-such-lesson 2>err &&
    grep -q "^bptutor: no lesson '\''no-such-lesson'\'' in " err
'

test_expect 'the picker offers the lessons with their titles' '
    printf ":save-display\n" >s &&
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --script s >out &&
    grep -q "01-one-weight *One weight, one sample" out &&
    grep -q "05-neuron *A neuron: weights, a bias and tanh" out &&
    grep -q "12-your-own *Your own model" out
'

test_expect '--list reads titles without running the lessons: no title, an unreadable file' '
    mkdir -p l/en && printf "param w = 0\nloss L = w^2\n" >l/en/01-untitled.lesson &&
    printf "title Broken later\nloss L = nothing\n" >l/en/02-broken.lesson &&
    mkdir l/en/03-directory.lesson &&
    BPTUTOR_PATH="$SCRATCH/l" "$BPTUTOR" --list >out &&
    cat >expect <<-\EOT &&
	01-untitled              (untitled)
	02-broken                Broken later
	03-directory             (does not load; see bptutor --check)
	EOT
    test_cmp expect out
'
test_expect 't trains the rest of the lesson'"'"'s epochs: from epoch 3 of lesson 01 (10 epochs), epochs 3 to 10' '
    printf "e\n<Right>\ne\n<Right>\nt\n<Dump>\n" >s &&
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --no-quiz --script s 01 >out &&
    tail -n 1 out | grep -q "trained epochs 3–10 · last loss .* · now at the start of epoch 11\$"
'
test_expect 't at the end of an epoch trains from the next one: that epoch'"'"'s update is already on screen' '
    printf "e\n<Right>\ne\nt\n<Dump>\n" >s &&
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --no-quiz --script s 01 >out &&
    tail -n 1 out | grep -q " trained epochs 3–10 · last loss 3.56698 · now at the start of epoch 11\$" &&
    printf ":set epochs 1\ne\nt\n<Dump>\n" >s1 &&
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --no-quiz --script s1 01 >out1 &&
    tail -n 1 out1 | grep -q " trained epoch 2 · its loss 13.5424 · now at the start of epoch 3\$"
'
test_done
