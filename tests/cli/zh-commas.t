#!/bin/sh
# An epoch's start lists its settings as a sentence: in zh-TW its commas are full-width, as Chinese text has
# them ("第 1 輪，w = 1，η = 0.02", not "第 1 輪, w = 1"); in English they stay ", ". A lesson that quotes a
# line of the screen quotes it as the screen has it.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# start LANG LESSON: the step panel's first row at the first step
start() {
    echo "<Dump>" >keys &&
    "$BPTUTOR" --script keys --size 80x24 --no-quiz --lang "$1" "$2" | awk '/^── /{ getline; print; exit }'
}

for lesson in 01 03 05 07; do
    test_expect "zh-TW $lesson: the settings are joined with full-width commas" '
        start zh-TW '$lesson' >out && cat out >&2 &&
        grep -q "^ 第 1 輪，[^ ]* = [^ ]*，" out && ! grep -q ", " out
    '
done
test_expect "en: the settings are joined with ', '" '
    start en 03 >out && cat out >&2 && grep -q "^ epoch 1, w = 1, η = 0.02" out
'
test_expect "zh-TW 09: the intro quotes the PyTorch line as the screen shows it, with its full-width colon" '
    printf "<Dump>\n" >keys && "$BPTUTOR" --script keys --size 120x40 --no-quiz --lang zh-TW 09 >out &&
    quoted=$(sed -n "s/.*「\(PyTorch[^」]*\)」.*/\1/p" out) && echo "$quoted" >&2 && test -n "$quoted" &&
    grep -qx " $quoted *" out
'

test_expect "zh-TW: the :help page and the ? page join a setting's help and its choices with a full-width colon" '
    printf ":help\n<PageDown>\n<PageDown>\n<PageDown>\n<Dump>\n" >keys &&
    "$BPTUTOR" --script keys --size 100x40 --no-quiz --lang zh-TW 02 >out &&
    grep -q "畫面配色：dark" out && ! grep -q "畫面配色: " out &&
    printf "?\n<End>\n<Dump>\n" >keys &&
    "$BPTUTOR" --script keys --size 100x60 --no-quiz --lang zh-TW 02 >out2 &&
    grep -q "畫面配色：" out2 && ! grep -q "畫面配色: " out2
'

test_done
