#!/bin/bash
# The Traditional Chinese lessons carry the same model as the English ones and train identically;
# the learner's language picks them.
. "$TOP/tests/lib.sh"
G="$TOP/tests/cli/golden"

# (the same lessons, models and quizzes, and the same training table: tests/cli/course.t)
for n in 01 02 05 10; do
    test_expect "zh-TW lesson $n trains like its golden table" '
        "$BPTUTOR" --train "$TOP"/lessons/zh-TW/$n-*.lesson >out && test_cmp "$G/train-$n.out" out
    '
done
for f in "$TOP"/lessons/zh-TW/*.lesson; do
    n=$(basename "$f" .lesson)
    test_expect "zh-TW lesson $n dumps like the English one" '
        "$BPTUTOR" --dump "$TOP/lessons/en/$n.lesson" >en &&
        "$BPTUTOR" --dump "$f" >out && test_cmp en out
    '
    test_expect "zh-TW lesson $n draws a graph Graphviz accepts" '
        "$BPTUTOR" --dot "$f" >g.dot && dot -Tsvg g.dot >/dev/null
    '
done

test_expect 'LANG=zh_TW.UTF-8 finds the zh-TW lessons' '
    LANG=zh_TW.UTF-8 LC_ALL= BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --list >out &&
    grep -q "^01-one-weight  *一個權重、一筆資料$" out
'

test_expect 'LANGUAGE comes before LANG, and --lang before both' '
    LANGUAGE=zh_TW:en LANG=C.UTF-8 LC_ALL= BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" 1 | head -n 1 >out &&
    echo "一個權重、一筆資料" >expect && test_cmp expect out &&
    LANGUAGE=zh_TW LC_ALL= BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --lang en 1 | head -n 1 >out &&
    echo "One weight, one sample" >expect && test_cmp expect out
'

test_expect 'a language without lessons falls back to English' '
    LANG=fr_FR.UTF-8 LC_ALL= BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" 2 | head -n 1 >out &&
    echo "Four samples: a batch and its mean" >expect && test_cmp expect out
'

test_done
