#!/bin/sh
# The ':' prompt beyond single screens: lines of 10 000 characters, wide text far past the edge, the
# history file across runs (its place, its cap, an unwritable one), the keys that cancel, and a resize
# while typing. Screens are replayed headlessly (bptutor --script); <Dump> writes the screen at that moment.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# cells FILE: the widest line of FILE in display cells. GNU wc -L measures with the locale's wcwidth, which
# in C.UTF-8 gives 中 two cells and η one; WC_CELLS checks that it does here.
cells() {
    LC_ALL=C.UTF-8 wc -L <"$1"
}
test_lazy_prereq WC_CELLS '
    test "$(printf "中文 η ─\n" | LC_ALL=C.UTF-8 wc -L)" = 8
'
# row N of the dump FILE (24 rows per screen, screens counted from 1)
row() { sed -n "$(( ($2 - 1) * 24 + $3 ))p" "$1"; }

test_expect WC_CELLS 'a 10 000-character command is refused with its column, on one row, and the tutor goes on' '
    { printf ":let z = "; i=0; while [ $i -lt 4995 ]; do printf "w+"; i=$((i + 1)); done; printf "w\n<Dump>\n]\n:save-display\n"; } >s &&
    test "$(head -1 s | wc -c)" -gt 10000 &&
    "$BPTUTOR" --no-quiz --script s --size 80x24 01 >out 2>err && test ! -s err &&
    test "$(wc -l <out)" = 48 && test "$(cells out)" -le 80 &&
    row out 1 23 | grep -q "^ :let z = w+w+w+" &&
    row out 1 24 | grep -q "line is too long" &&
    row out 2 1 | grep -q "Forward pass 1/3"
'

test_expect WC_CELLS 'typing 10 000 characters keeps a window around the cursor with … where the line is cut' '
    { printf "<Type :set "; i=0; while [ $i -lt 1000 ]; do printf "xxxxxxxxxx"; i=$((i + 1)); done;
      printf ">\n<Left>\n<Dump>\n<Home>\n<Dump>\n<Enter>\n<Dump>\n"; } >s &&
    "$BPTUTOR" --no-quiz --script s --size 80x24 01 >out 2>err && test ! -s err &&
    test "$(cells out)" -le 80 &&
    row out 1 24 | grep -q "^…x\{78\}$" &&
    row out 2 24 | grep -q "^:set x\{74\}…$" &&
    for r in 21 22 23 24; do row out 3 $r; done | grep -q "no parameter, input or setting called"
'

test_expect WC_CELLS 'typing 5 000 Chinese characters: never more than 80 cells, no half characters' '
    { printf "<Type :say intro "; i=0; while [ $i -lt 500 ]; do printf "中文中文中文中文中文"; i=$((i + 1)); done;
      printf ">\n<Dump>\n<Home>\n<Right>\n<Right>\n<Dump>\n<Enter>\n<Dump>\n"; } >s &&
    "$BPTUTOR" --no-quiz --script s --size 80x24 01 >out 2>err && test ! -s err &&
    test "$(cells out)" -le 80 &&
    row out 1 24 | grep -q "^…[中文]*$" &&
    row out 2 24 | grep -q "^:say intro 中文" &&
    row out 3 24 | grep -q "line is too long"
'

test_expect 'the history is kept in $XDG_STATE_HOME/bptutor/history and comes back in the next run' '
    printf ":set w 1\n:set lr 0.1\n:step 3\n" >s1 &&
    XDG_STATE_HOME="$SCRATCH/state" "$BPTUTOR" --no-quiz --script s1 01 >/dev/null 2>err && test ! -s err &&
    printf "set w 1\nset lr 0.1\nstep 3\n" >expect &&
    test_cmp expect state/bptutor/history &&
    printf "<Type :>\n<Up>\n<Up>\n<Dump>\n<Enter>\n<Dump>\n" >s2 &&
    XDG_STATE_HOME="$SCRATCH/state" "$BPTUTOR" --no-quiz --script s2 --size 80x24 01 >out &&
    test "$(row out 1 24)" = ":set lr 0.1" &&
    test "$(row out 2 24)" = " lr is now 0.1"
'

test_expect 'a script without XDG_STATE_HOME keeps no history file, in HOME or anywhere' '
    printf ":set w 1\n" >s && HOME="$SCRATCH/home" && mkdir home &&
    env -u XDG_STATE_HOME HOME="$SCRATCH/home" "$BPTUTOR" --no-quiz --script s 01 &&
    test -z "$(find home -type f)"
'

test_expect 'the history file holds the last 1000 lines; a repeated line is kept once' '
    i=0; while [ $i -lt 1005 ]; do echo ":step $((i % 13 + 1))"; i=$((i + 1)); done >s &&
    echo ":step 13" >>s && echo ":step 13" >>s &&
    XDG_STATE_HOME="$SCRATCH/state" "$BPTUTOR" --no-quiz --script s 01 &&
    test "$(wc -l <state/bptutor/history)" = 1000 &&
    test "$(tail -1 state/bptutor/history)" = "step 13" &&
    test "$(tail -2 state/bptutor/history | head -1)" = "step 4"
'

test_expect 'an unwritable history is no reason to stop' '
    mkdir ro && chmod 555 ro && printf ":set w 1\n:save-display\n" >s &&
    XDG_STATE_HOME="$SCRATCH/ro/state" "$BPTUTOR" --no-quiz --script s --size 80x24 01 >out 2>err &&
    test ! -s err && grep -q "│ 1 " out
'

test_expect 'Ctrl-C at the prompt drops the line, not the program; Esc too; q still quits' '
    printf "<Type :set w 9>\n<C-c>\n<Type :set w 8>\n<Esc>\n]\n:save-display\nq\n]\n:save-display\n" >s &&
    "$BPTUTOR" --no-quiz --script s --size 80x24 01 >out 2>err && test ! -s err &&
    test "$(wc -l <out)" = 24 && grep -q "Forward pass 1/3" out && grep -q "│ 0 " out
'

test_expect 'a resize while typing keeps the line and its cursor; Enter runs it' '
    printf "<Type :set w 5>\n<Left>\n<Type 1>\n<Resize 100x30>\n<Dump>\n<Resize 50x10>\n<Resize 80x24>\n<Type 2>\n<Enter>\n:save-display\n" >s &&
    "$BPTUTOR" --no-quiz --script s --size 80x24 01 >out 2>err && test ! -s err &&
    test "$(sed -n 30p out)" = ":set w 15" &&
    grep -q "│ 125 " out
'

test_expect 'a quiz left open at the end of the script is dropped quietly' '
    printf "]\nl\n<Type -4>\n" >s && "$BPTUTOR" --script s 01 >out 2>err && test ! -s out && test ! -s err
'

test_expect '<Type TEXT> must end its line with >' '
    printf "<Type abc> x\n" >s &&
    test_expect_code 2 "$BPTUTOR" --script s 01 2>err && grep -q "s:1: error: <Type TEXT> must end the line" err
'

test_expect '--classroom and --no-quiz go with the tutor: --help lists them, other modes refuse them' '
    "$BPTUTOR" --help >out && grep -q -- "--classroom" out && grep -q -- "--no-quiz" out &&
    test_expect_code 2 "$BPTUTOR" --no-quiz --train 01 2>err && grep -q "go with the tutor" err &&
    test_expect_code 2 "$BPTUTOR" --classroom --plain 01 2>err && grep -q "go with the tutor" err
'

test_done
