#!/bin/sh
# The step panel's PyTorch line is Python code with a comment for the learner: the code stays as Python has it,
# the comment is in the learner's language ("# part 1 of 2: s = ŷ − y", zh-TW "# 第 1/2 部分：s = ŷ − y";
# "(skipped)" after a zero_grad switched off, zh-TW "（略過）"). --export python, a script, is not the panel's.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# pytorch LANG LESSON KEYS…: the PyTorch rows of each dump
pytorch() {
    lang=$1 lesson=$2
    shift 2
    printf '%s\n' "$@" >keys &&
    "$BPTUTOR" --script keys --size 120x40 --no-quiz --lang "$lang" "$lesson" | grep "PyTorch"
}

test_expect "en: the criterion's parts" '
    pytorch en 01 ":step 3" "<Dump>" >out && cat out >&2 &&
    grep -qx " PyTorch: loss = criterion(output, target)  # part 1 of 2: s = ŷ − y *" out
'
test_expect "zh-TW: the criterion's parts, the comment in Chinese" '
    pytorch zh-TW 01 ":step 3" "<Dump>" ":step 4" "<Dump>" >out && cat out >&2 &&
    grep -q "^ PyTorch：loss = criterion(output, target)  # 第 1/2 部分：s = ŷ − y *$" out &&
    grep -q "# 第 2/2 部分：" out && ! grep -q "part" out
'
test_expect "zh-TW: zero_grad switched off, the call commented out and said so in Chinese" '
    pytorch zh-TW 09 ":zerograd off" "<Dump>" >out && cat out >&2 &&
    grep -q "^ PyTorch：# optimizer.zero_grad()   （略過）" out
'
test_expect "zh-TW: --export python is code with English comments" '
    "$BPTUTOR" --lang zh-TW --export python 01 >py && ! grep -q "部分\|略過" py && grep -q "^import torch" py
'

test_done
