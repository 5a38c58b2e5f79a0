#!/bin/sh
# A step's narration too long for the step panel (lesson 03's update at 60x16, "The update moves w …") shows a
# page of it with a mark on its last row that says where the rest is and the key: "▼ more (PgDn)"; PgDn shows
# the next page, on the last "▲ back (PgUp)", and PgUp goes back. Paging through gives every word of it, as a
# screen tall enough shows it; the same while the quiz's answer line is open. Both languages.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# pages SIZE LANG LESSON STEP N [quiz]: the narration rows of the panel at STEP, after 0 … N PgDn, one dump each
# (the rows between the working and the PyTorch line, without the mark); all of its words with no blanks
pages() {
    size=$1 lang=$2 lesson=$3 step=$4 n=$5 quiz=--no-quiz; [ "${6:-}" = quiz ] && quiz=
    { printf ':step %s\n<Dump>\n' "$step" && i=0 && while [ $i -lt "$n" ]; do printf '<PageDown>\n<Dump>\n'; i=$((i + 1)); done; } >keys &&
    "$BPTUTOR" --script keys --size "$size" $quiz --lang "$lang" "$lesson" >screens &&
    rows=${size#*x} &&
    awk -v rows="$rows" '
        NR % rows == 1 { on = 0 }
        /^── / { on = 1; skip = 1; next }
        on && skip { skip = 0; next }                    # the working
        on && /PyTorch/ { on = 0 }
        on { print }
    ' screens
}
words() { sed 's/▼ more (PgDn)//; s/▲ back (PgUp)//; s/▼ 還有（PgDn）//; s/▲ 往回（PgUp）//' | tr -d ' \n'; }

for lang in en zh-TW; do
    test_expect "$lang: 03's update at 60x16, its quiz waiting, pages through the whole narration" '
        pages 120x40 '"$lang"' 03 17 0 quiz | words >whole && test -s whole &&
        pages 60x16 '"$lang"' 03 17 8 quiz >paged && cat paged >&2 &&
        grep -q "▼ more (PgDn)\|▼ 還有（PgDn）" paged && grep -q "▲ back (PgUp)\|▲ 往回（PgUp）" paged &&
        awk "!seen[\$0]++" paged | words >got && echo && cat whole got >&2 && test "$(cat got)" = "$(cat whole)"
    '
done
test_expect "en: the mark on a cut page says PgDn shows more" '
    pages 60x16 en 03 17 0 >out && cat out >&2 && grep -q "▼ more (PgDn)$" out
'
test_expect "en: with the quiz's answer line open PgDn pages the narration, the line stays" '
    pages 60x16 en 03 17 1 quiz >out && cat out >&2 && grep -q "paths, with η = 0.02" out &&
    grep -q "^ Your answer:" screens
'
test_expect "en: PgUp goes back a page" '
    { printf ":step 17\n<PageDown>\n<PageDown>\n<PageUp>\n<Dump>\n"; } >keys &&
    "$BPTUTOR" --script keys --size 60x16 --no-quiz 03 >s && cat s >&2 && grep -q "paths, with η = 0.02" s
'
test_expect "en: another step shows its narration from its start" '
    { printf ":step 17\n<PageDown>\n<Left>\n<Right>\n<Dump>\n"; } >keys &&
    "$BPTUTOR" --script keys --size 60x16 --no-quiz 03 >s && cat s >&2 && grep -q "^ Update: w steps against" s
'

test_done
