#!/bin/sh
# An operation whose two inputs are one node (lesson 03's loss s · s) has two edges from it, and two local
# steps that both write ∂(s · s)/∂s: the second says it is the other edge, into the second input, and the
# first says it is the one into the first. Any such operation, not only lesson 03's; both languages.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# panel LANG LESSON STEP [KEYS…]: the step panel's rows (between its rule and the key bar) at STEP
panel() {
    lang=$1 lesson=$2 step=$3
    shift 3
    { printf '%s\n' "$@" && printf ':step %s\n<Dump>\n' "$step"; } >keys &&
    "$BPTUTOR" --script keys --size 120x40 --no-quiz --lang "$lang" "$lesson" |
        awk '/^── /{ on = 1; next } on && NR % 40 != 0'
}

test_expect "en: lesson 03's first local step is the edge into the first input" '
    panel en 03 6 >out && cat out >&2 && grep -q "∂(s · s)/∂s = s = −3" out &&
    grep -q "Of the two edges from s into s · s, this is the one into its first input\." out
'
test_expect "en: the second is the other edge, into the second input" '
    panel en 03 7 >out && cat out >&2 && grep -q "∂(s · s)/∂s = s = −3" out &&
    grep -q "this is the other: into its second input\." out
'
test_expect "zh-TW: the same, in Chinese" '
    panel zh-TW 03 6 >one && panel zh-TW 03 7 >two && cat one two >&2 &&
    grep -q "這是進入第一個輸入的那一條" one && grep -q "這是另一條：進入第二個輸入的那一條" two
'
test_expect "en: an edge from two different nodes says nothing of the kind" '
    panel en 03 10 >out && cat out >&2 && grep -q "∂q/∂w = 1" out && ! grep -q "two edges from" out
'
test_expect "en: any operation on one node twice, here a sum typed into lesson 01" '
    panel en 01 4 ":let s = yhat + yhat" >out && cat out >&2 && ! grep -q "two edges from" out &&
    for k in 5 6 7 8; do panel en 01 $k ":let s = yhat + yhat"; done >all && cat all >&2 &&
    grep -q "Of the two edges from ŷ into s = ŷ + ŷ, this is the one into its first input" all &&
    grep -q "Of the two edges from ŷ into s = ŷ + ŷ, this is the other" all
'

test_done
