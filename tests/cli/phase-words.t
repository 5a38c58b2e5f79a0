#!/bin/sh
# The status line and the step panel name the phase the walk is in with the same words, in both languages:
# the status line says "Epoch start 1/1" where the panel's rule says "Epoch start · 1 of 1", not "intro".
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# phases LANG: each phase of lesson 01's first epoch and the second's start, one line each: the status line's
# phase words, a tab, the panel rule's.
phases() {
    { echo "<Dump>" && for i in 1 2 3 4 5 6; do printf ']\n<Dump>\n'; done; } >keys &&
    "$BPTUTOR" --script keys --size 80x24 --no-quiz --lang "$1" 01 >screens &&
    awk -v lang="$1" '
        NR % 24 == 1 { head = $0; sub(/ [0-9]+\/[0-9]+ · [^·]*$/, "", head); sub(/.* · /, "", head) }
        /^── .* · / && NR % 24 != 1 { rule = $0; sub(/^── /, "", rule); sub(/ · .*/, "", rule); print head "\t" rule }
    ' screens
}

for lang in en zh-TW; do
    test_expect "$lang: the status line's phase is the panel's, at every phase" '
        phases '"$lang"' >pairs && test "$(wc -l <pairs)" -ge 7 && cat pairs >&2 &&
        awk -F "\t" "\$1 != \$2 { bad = 1; print \"status says \" \$1 \", panel says \" \$2 } END { exit bad }" pairs >&2
    '
done

test_done
