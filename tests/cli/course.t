#!/bin/bash
# The course (issue 13): the twelve lessons in English and Traditional Chinese. Every lesson checks, walks to
# its end, has the parts a lesson needs, and the two languages carry the same lessons, models and quizzes, so
# that a class can switch language without switching course. (Live values: build/tests/test_live walks every
# lesson of both languages with random changes.)
. "$TOP/tests/lib.sh"
EN="$TOP/lessons/en" ZH="$TOP/lessons/zh-TW"

# what must be the same in both languages: the model (labels may differ), the layers, the quizzes' places
# and their answers
model() { grep -E '^(param|input|let|loss|metric|set) ' "$1"; }
layers() { grep -E '^layer ' "$1" | sed 's/^layer [^:]*://'; }
quizzes() { grep -E '^(quiz|answer) ' "$1" | sed 's/^\(quiz [^:]*\):.*/\1/'; }

test_expect 'English has the twelve lessons of the course' '
    (cd "$EN" && ls *.lesson) >names && test "$(wc -l <names)" = 12
'

test_expect 'Traditional Chinese has the same lessons as English' '
    (cd "$EN" && ls *.lesson) >en && (cd "$ZH" && ls *.lesson) >zh && test_cmp en zh
'

for f in "$EN"/*.lesson; do
    n=$(basename "$f" .lesson)
    test_expect "$n: zh-TW has the English model, layers, quizzes and answers" '
        model "$EN/$n.lesson" >en && model "$ZH/$n.lesson" >zh && test_cmp en zh &&
        layers "$EN/$n.lesson" >en && layers "$ZH/$n.lesson" >zh && test_cmp en zh &&
        quizzes "$EN/$n.lesson" >en && quizzes "$ZH/$n.lesson" >zh && test_cmp en zh
    '
    for lang in en zh-TW; do
        l="$TOP/lessons/$lang/$n.lesson"
        test_expect "$lang/$n passes --check, silently" '
            "$BPTUTOR" --check "$l" >out 2>err && test ! -s out && test ! -s err
        '
        test_expect "$lang/$n walks to the end of its epoch with --plain" '
            "$BPTUTOR" --plain "$l" >out 2>err && test ! -s err &&
            grep "^Epoch 1 · " out | tail -n 1 >last &&
            grep -q "^Epoch 1 · End of epoch · step \([0-9]*\) of \1$" last
        '
        test_expect "$lang/$n has a title, every phase, notes and two quizzes with hints" '
            grep -q "^title ." "$l" && grep -q "^lang $lang$" "$l" &&
            for phase in intro forward local chain update epoch; do
                grep -q "^say $phase ." "$l" || { echo "no say $phase" >&2; exit 1; }
            done &&
            grep -q "^note ." "$l" &&
            test "$(grep -c "^quiz " "$l")" -ge 2 &&
            test "$(grep -c "^quiz " "$l")" = "$(awk "/^quiz /{q=1} /^hint /{if (q) n++; q=0} END{print n}" "$l")"
        '
    done
    test_expect "$n: the closing summary names what was learned" '
        grep -q "^say epoch What you learned" "$EN/$n.lesson" && grep -q "^say epoch 這.*學到的" "$ZH/$n.lesson"
    '
    test_expect "$n: zh-TW trains exactly as English" '
        "$BPTUTOR" --train "$EN/$n.lesson" >en && "$BPTUTOR" --train "$ZH/$n.lesson" >zh && test_cmp en zh
    '
done

test_expect '07 has the numbers of the public worked example it cites (Mazur, sigmoid, η = 0.5)' '
    "$BPTUTOR" --dump "$EN/07-network.lesson" >out &&
    awk -F "\t" "
        function near(a, b) { return a - b < 1e-9 && b - a < 1e-9 }
        \$1 == \"E\"  { n += near(\$2, 0.298371109) }
        \$1 == \"w5\" { n += near(\$3, 0.082167041) }
        \$1 == \"w1\" { n += near(\$3, 0.000438568) }
        END { exit n != 3 }" out &&
    "$BPTUTOR" --plain "$EN/07-network.lesson" >walk &&
    grep -qx "w₅ ← w₅ − η·∂E/∂w₅ = 0.4 − 0.5·0.082167 = 0.358916" walk &&
    grep -qx "w₁ ← w₁ − η·∂E/∂w₁ = 0.15 − 0.5·0.000438568 = 0.149781" walk
'

# every step of the first epoch, its panel (from its title rule to the key bar) at 80×24: a line the panel
# had to cut ends in "…"
{ echo "<Dump>"; for i in $(seq 1 150); do echo "<Right>"; echo "<Dump>"; done; } >"$TEST_DIR/every-step"
for lang in en zh-TW; do
    test_expect "$lang: every step's narration fits the 80×24 panel, uncut" '
        for f in "$TOP/lessons/$lang"/*.lesson; do
            "$BPTUTOR" --lang '$lang' --no-quiz --script "$TEST_DIR/every-step" --size 80x24 "$f" >screens 2>err &&
            test ! -s err &&
            awk -v f="$(basename "$f")" "/^── /{p=1} /→ next/{p=0} p && /…\$/ {print f \": \" \$0; bad=1} END{exit bad}" \
                screens >&2 || exit 1
        done
    '
done

test_expect 'lesson 07: a fixed bias is the model, not the criterion; the criterion is the seven error nodes' '
    "$BPTUTOR" --plain 07 >out &&
    grep -A2 "^net₁ = " out | grep -qx "PyTorch: output = model(x)" &&
    test "$(grep -c "^PyTorch: loss = criterion(output, target)  # part [1-7] of 7: " out)" = 7 &&
    grep -qx "PyTorch: loss = criterion(output, target)  # part 1 of 7: t₁ − o₁" out
'

test_done
