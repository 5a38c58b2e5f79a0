#!/bin/sh
# A wrong answer's hint at the smallest screen, 60x16: it wraps, and the block under the view grows for it (the
# question, already read, gives way first), so that every shipped lesson's hints show whole in both languages.
# A hint that still does not fit shows a page of its rows and says that Enter on the empty answer line shows
# more; the pages, in turn, show all of it and then start again.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# every quiz of a lesson answered 12345 (wrong: the hint) and then shown (Tab)
{ i=0; while [ $i -lt 12 ]; do printf 'e\n<Type 12345>\n<Enter>\n<Dump>\n<Tab>\n'; i=$((i + 1)); done; } >"$TEST_DIR/keys"

# cut FILE: the hint rows (from "Not 12345" to the answer line) that end cut, or say there is more
cut() {
    awk '/^ (Not 12345|不是 12345)/ { in_hint = 1 }
         /^ (Your answer|你的答案)/ { in_hint = 0 }
         in_hint && (/…$/ || /more of the hint|提示的其餘/) { print FILENAME ": " $0 }' "$1"
}

for lang in en zh-TW; do
    test_expect "$lang: every shipped lesson's hints show whole at 60x16" '
        for n in 01 02 03 04 05 06 07 08 09 10 11; do
            "$BPTUTOR" --script "$TEST_DIR/keys" --size 60x16 --lang '"$lang"' $n >out.$n 2>err && test ! -s err &&
            grep -q "^ \(Not 12345\|不是 12345\)" out.$n || exit 1
        done &&
        for n in 01 02 03 04 05 06 07 08 09 10 11; do cut out.$n; done >cut &&
        test ! -s cut || { cat cut >&2; false; }
    '
done

test_expect 'a hint longer than half the screen pages with Enter on the empty answer line, and says so' '
    { printf "param w = 0\ninput x = 2\nlet yhat = w * x\nloss L = yhat^2\nquiz forward yhat: What is yhat?\nanswer yhat\nhint"
      i=1; while [ $i -le 20 ]; do printf " part%d of the hint," $i; i=$((i + 1)); done; printf " the end.\n"; } >long.lesson &&
    printf "]\n<Type 7>\n<Enter>\n<Dump>\n<Enter>\n<Dump>\n<Enter>\n<Dump>\n<Enter>\n<Dump>\n" >k &&
    "$BPTUTOR" --script k --size 60x16 long.lesson >out 2>err && test ! -s err &&
    sed -n 1,16p out >one && sed -n "17,\$p" out >later &&
    grep -q "^ Not 7. Hint: part1 of the hint," one && grep -q "^ … Enter on the empty line shows more of the hint$" one &&
    ! grep -q "the end\." one &&
    grep -q "^ Enter on the empty line shows the hint from its start$" out &&
    for i in 1 5 10 15 20; do grep -q "part$i\( \|,\|\$\)" out || exit 1; done && grep -q "the end\.$" out &&
    grep -q "^ Not 7. Hint: part1 of the hint," later &&
    test "$(grep -c "^ Your answer:" out)" = 4 && test "$(grep -c "Quiz 1 of 1" out)" = 4
'

test_done
