#!/bin/sh
# Golden screens: each NAME.script here is replayed headlessly (`bptutor --script NAME.script ARGS`, with
# ARGS from its "# args:" line) and what its :save-display, <Dump> and <DumpAttr> lines write must equal
# NAME.expect. The headless screen has colours unless NO_COLOR is set: a script runs without it, or with the
# variables of its "# env:" line (NO_COLOR=1 for the attributes a terminal without colours gets).
# After a change that moves the screen on purpose, regenerate with tests/screens/regen and READ the diff.
# A "# state: DIR" line runs the script with XDG_STATE_HOME on a copy of DIR (the learner's progress, the
# prompt's history), so what the run writes never touches the tree; without one there is none.
. "$TOP/tests/lib.sh"
SCREENS="$TOP/tests/screens"
export BPTUTOR_PATH="$TOP/lessons"

for script in "$SCREENS"/*.script; do
    name=$(basename "$script" .script)
    test_expect "screen: $name" '
        args=$(sed -n "s/^# args: //p" "$script") && vars=$(sed -n "s/^# env: //p" "$script") &&
        state=$(sed -n "s/^# state: //p" "$script") &&
        if [ -n "$state" ]; then
            cp -R "$SCREENS/$state" "$SCRATCH/state" && export XDG_STATE_HOME="$SCRATCH/state"
        fi &&
        (cd "$SCREENS" && env -u NO_COLOR $vars "$BPTUTOR" --script "$script" $args) >"$SCRATCH/actual" 2>"$SCRATCH/err" &&
        test ! -s "$SCRATCH/err" &&
        test_cmp "$SCREENS/$name.expect" "$SCRATCH/actual"
    '
done

test_expect 'every script has its expected screens, and every expected screen its script' '
    for f in "$SCREENS"/*.script; do test -f "${f%.script}.expect" || { echo "missing ${f%.script}.expect"; exit 1; }; done &&
    for f in "$SCREENS"/*.expect; do test -f "${f%.expect}.script" || { echo "missing ${f%.expect}.script"; exit 1; }; done
'

test_expect 'the replay is the same whatever TERM, locale, time zone and HOME say' '
    s="$SCREENS/02-phases-80x24.script" l="$TOP/lessons/en/02-four-samples.lesson" &&
    "$BPTUTOR" --script "$s" --size 80x24 "$l" >a &&
    env TERM=dumb LANG=C LC_ALL=C TZ=Pacific/Kiritimati HOME=/nonexistent NO_COLOR=1 COLUMNS=33 LINES=7 \
        "$BPTUTOR" --script "$s" --size 80x24 "$l" >b &&
    env -u TERM LANG=zh_TW.UTF-8 LC_ALL= "$BPTUTOR" --script "$s" --size 80x24 --lang en "$l" >c &&
    cmp a b && cmp a c
'

# A resize refits the diagram to the new size; coming back to the first size gives the first screen again,
# byte for byte, whatever zoom the sizes in between picked (the computation graph, and the network view).
for args in "--no-quiz 01" "--no-quiz 05" "mazur-2-2-2.lesson"; do
    test_expect "a resize and back gives the same screen byte for byte: $args" '
        printf "]\n<Right>\n]\n:save-display\n" >plain &&
        printf "]\n<Right>\n<Resize 100x30>\n<Resize 60x16>\n<Resize 200x50>\n<Resize 80x24>\n]\n:save-display\n" >resized &&
        (cd "$SCREENS" && "$BPTUTOR" --script "$OLDPWD/plain" --size 80x24 $args) >a &&
        (cd "$SCREENS" && "$BPTUTOR" --script "$OLDPWD/resized" --size 80x24 $args) >b &&
        test -s a && cmp a b
    '
done

test_expect 'the end of the script quits: status 0, and only the saved screens on stdout' '
    printf "]\n" >s && "$BPTUTOR" --script s 01 >out 2>err && test ! -s out && test ! -s err
'

test_expect 'save-display FILE writes 24 lines of at most 80 columns, trailing spaces trimmed' '
    printf ":save-display screen.txt\n" >s && "$BPTUTOR" --script s --size 80x24 01 &&
    test "$(wc -l <screen.txt)" = 24 &&
    ! grep -q " $" screen.txt &&
    test "$(wc -L <screen.txt)" -le 80
'

test_expect 'a bad key name is an error with the script line, and the status is 2' '
    printf "]\n<Frobnicate>\n" >s &&
    { "$BPTUTOR" --script s 01 2>err; test $? = 2; } &&
    grep -q "^s:2: error: unknown key name: <Frobnicate>" err
'

# A key's frame is not drawn while the next item is a key (keys typed ahead); it is owed, and drawn before a dump.
test_expect '<Frame> draws the frames skipped before it and changes nothing a dump shows' '
    printf "<Right>\n<Right>\n]\n<Right>\n<Dump>\n<Left>\n:save-display\n" >a.s &&
    printf "<Frame>\n<Right>\n<Frame>\n<Right>\n<Frame>\n]\n<Frame>\n<Frame>\n<Right>\n<Dump>\n<Left>\n<Frame>\n:save-display\n<Frame>\n" >b.s &&
    "$BPTUTOR" --script a.s --size 80x24 --no-quiz 05 >a 2>err && test ! -s err &&
    "$BPTUTOR" --script b.s --size 80x24 --no-quiz 05 >b 2>err && test ! -s err &&
    test -s a && cmp a b
'

test_expect 'a bad line read ahead (to see whether a key follows) is still reported in its turn' '
    printf "<Right>\n<Dump>\n<Right>\n<Frobnicate>\n<Dump>\n" >s &&
    { "$BPTUTOR" --script s --no-quiz 01 >out 2>err; test $? = 2; } &&
    grep -q "^s:4: error: unknown key name: <Frobnicate>" err && test "$(grep -c . err)" = 1 &&
    printf "<Right>\n<Dump>\n" >good && "$BPTUTOR" --script good --no-quiz 01 >expect && test_cmp expect out
'

test_expect 'a lesson that does not load: status 2, and the error in gcc form' '
    printf "]\n" >s && printf "param w = 0\nset lr fast\n" >bad.lesson &&
    { "$BPTUTOR" --script s ./bad.lesson >out 2>err; test $? = 2; } &&
    test ! -s out && head -n 1 err >first &&
    echo "./bad.lesson:2:8: error: lr must be a positive number, not '"'"'fast'"'"'" >expect &&
    test_cmp expect first
'

test_expect 'a missing script is an error, not a hang' '
    { "$BPTUTOR" --script nothing-here 01 2>err; test $? = 2; } && grep -q "cannot open the script" err
'

test_expect '--size without --script, or a bad size, is a usage error' '
    { "$BPTUTOR" --size 80x24 01 2>err; test $? = 2; } &&
    { printf "q\n" >s; "$BPTUTOR" --script s --size 80 01 2>err; test $? = 2; } && grep -q "COLSxROWS" err
'

test_done
