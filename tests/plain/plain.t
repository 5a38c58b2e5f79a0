#!/bin/sh
# bptutor --plain: the walkthrough as text, compared whole against transcripts read by hand.
. "$TOP/tests/lib.sh"
cd "$TOP" || exit 2

for lesson in 01-one-weight 02-four-samples; do
    test_expect "--plain on lesson $lesson matches its transcript" '
        "$BPTUTOR" --plain "$TOP/lessons/en/'$lesson'.lesson" >actual &&
        test_cmp "$TOP/tests/plain/'$lesson'.expect" actual
    '
done

test_expect '--plain --epochs 3 ends on the third row of the seed table' '
    "$BPTUTOR" --plain --epochs 3 "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    grep -c "^Epoch [0-9]* · Epoch start" actual >count && echo 3 | test_cmp - count &&
    grep "^epoch: " actual >rows &&
    "$BPTUTOR" --train --epochs 3 "$TOP/lessons/en/01-one-weight.lesson" | test_cmp - rows
'

test_expect 'the second epoch starts from the updated weight' '
    "$BPTUTOR" --plain --epochs 2 "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    grep -x "epoch 2, w = 0.16, η = 0.01" actual &&
    grep -x "ŷ = w · x = 0.16·2 = 0.32" actual &&
    grep -x "s = ŷ − y = 0.32 − 4 = −3.68" actual
'

test_expect 'a phase is narrated in the first epoch only, a node'"'"'s explanation every epoch with its numbers' '
    "$BPTUTOR" --plain --epochs 2 "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    test "$(grep -c "^Forward pass: compute every node from left to right" actual)" = 1 &&
    grep -x "The model.s guess is the weight times the input: with w = 0 it is ŷ = 0." actual &&
    grep -x "The model.s guess is the weight times the input: with w = 0.16 it is ŷ = 0.32." actual
'

test_expect '--plain works on the Traditional Chinese lessons' '
    "$BPTUTOR" --plain "$TOP/lessons/zh-TW/01-one-weight.lesson" >actual &&
    grep -x "w ← w − η·∂損失/∂w = 0 − 0.01·(−16) = 0.16" actual
'

test_expect '--plain needs a lesson' '
    test_expect_code 2 "$BPTUTOR" --plain 2>err && grep -q "which lesson" err
'
test_done
