#!/bin/bash
# Every malformed lesson in tests/lessons/bad is refused by --check with status 2, nothing on stdout,
# and exactly the diagnostic in its .expect file (FILE:LINE:COL: error: MESSAGE, the line, the caret).
. "$TOP/tests/lib.sh"
BAD="$TOP/tests/lessons/bad"

for lesson in "$BAD"/*.lesson; do
    name=$(basename "$lesson" .lesson)
    test_expect "bad lesson: $name" '
        (cd "$BAD" && test_expect_code 2 "$BPTUTOR" --check "$name.lesson" >"$SCRATCH/out" 2>"$SCRATCH/err") &&
        test ! -s out &&
        test_cmp "$BAD/$name.expect" err
    '
done

test_expect 'the corpus has at least 40 malformed lessons' '
    test "$(ls "$BAD"/*.lesson | wc -l)" -ge 40 &&
    test "$(ls "$BAD"/*.expect | wc -l)" = "$(ls "$BAD"/*.lesson | wc -l)"
'

test_expect 'a line longer than 64 KiB is an error, not a crash' '
    { echo "param w = 0"; printf "let a = w"; head -c 70000 /dev/zero | tr "\0" "+"; echo; } >long.lesson &&
    test_expect_code 2 "$BPTUTOR" --check long.lesson 2>err &&
    head -n 1 err >first &&
    echo "long.lesson:2:1: error: line is too long (70009 bytes; the limit is 4096)" >expect &&
    test_cmp expect first &&
    test "$(wc -l <err)" = 3
'

test_expect 'a 1 MiB file of one line and binary garbage fail cleanly' '
    { printf "\377"; head -c 1048575 /dev/urandom; } >noise.lesson &&  # line 1 is never empty
    test_expect_code 2 "$BPTUTOR" --check noise.lesson 2>err &&
    grep -q "^noise.lesson:1:[0-9]*: error: " err
'

test_expect 'nesting 2000 parentheses deep is refused, not a stack overflow' '
    { echo "param w = 0"; printf "loss L = "; head -c 2000 /dev/zero | tr "\0" "("; printf w; head -c 2000 /dev/zero | tr "\0" ")"; echo; } >deep.lesson &&
    test_expect_code 2 "$BPTUTOR" --check deep.lesson 2>err &&
    grep -q "^deep.lesson:2:74: error: expression is nested too deeply" err
'

test_expect 'a thousand-term sum on one line is fine' '
    { echo "param w = 0"; printf "loss L = w"; for i in $(seq 1000); do printf " + w"; done; echo; } >wide.lesson &&
    "$BPTUTOR" --check wide.lesson
'

test_expect 'a lesson that is a directory or missing is bad input' '
    mkdir dir.lesson &&
    test_expect_code 2 "$BPTUTOR" --check dir.lesson 2>err &&
    grep -q "^dir.lesson: error: cannot read: Is a directory" err &&
    test_expect_code 2 "$BPTUTOR" --check missing.lesson 2>err &&
    echo "missing.lesson: error: cannot open: No such file or directory" >expect &&
    test_cmp expect err
'

test_expect '--check reports every bad lesson it is given, and stops at the first error in each' '
    cp "$BAD/unknown-name.lesson" "$BAD/two-losses.lesson" . &&
    test_expect_code 2 "$BPTUTOR" --check "$TOP/lessons/en/01-one-weight.lesson" unknown-name.lesson two-losses.lesson 2>err &&
    grep -c ": error: " err >count &&
    echo 2 >expect && test_cmp expect count
'

test_done
