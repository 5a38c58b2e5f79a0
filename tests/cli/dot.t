#!/bin/bash
# --dot: the graph in Graphviz DOT with values and gradients; golden text, and Graphviz must accept it.
. "$TOP/tests/lib.sh"
G="$TOP/tests/cli/golden"

for n in 01 02 10; do
    test_expect "lesson $n: DOT text matches the golden" '
        "$BPTUTOR" --dot "$TOP"/lessons/en/$n-*.lesson >out && test_cmp "$G/dot-$n.out" out
    '
    test_expect "lesson $n: dot -Tsvg accepts it" '
        "$BPTUTOR" --dot "$TOP"/lessons/en/$n-*.lesson >g.dot && dot -Tsvg g.dot >g.svg && grep -q "<svg" g.svg
    '
done

test_expect 'labels with quotes and backslashes are escaped' '
    printf "param w = 1\nlabel w a\"b\\\\c\nloss L = w^2\n" >q.lesson &&
    "$BPTUTOR" --dot q.lesson >g.dot && dot -Tsvg g.dot >/dev/null &&
    grep -q "label=\"a\\\\\"b\\\\\\\\c" g.dot
'

test_expect '--dot --epochs 10 shows the trained values' '
    "$BPTUTOR" --dot --epochs 10 "$TOP"/lessons/en/01-*.lesson >g.dot && dot -Tsvg g.dot >/dev/null &&
    grep -q "^    n0 .*value: 1.13" g.dot
'

test_done
