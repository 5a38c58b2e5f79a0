#!/bin/sh
# Hostile lessons, scripts and files from the command line (issue 14): sizes that were quadratic, input that
# never ends, control characters on their way to a terminal, files that are not what they seem. Each run is
# bounded in CPU time and memory (bounded, tests/lib.sh): a regression shows as a kill, never as a hang.
# What needs a real terminal is in tests/tmux/signals.t; the library side is tests/unit/test_hostile.c.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# chain N FILE: a valid lesson of N+2 names, each computed from the one before (let n1 = n0 * 1, ...).
chain() {
    awk -v n="$1" 'BEGIN { print "param n0 = 1"; for (i = 1; i <= n; i++) printf "let n%d = n%d * 1\n", i, i - 1
                           printf "loss L = n%d^2\n", n }' >"$2"
}
# products N FILE: N products summed in a chain (s1 = a1*b1, s2 = s1 + a2*b2, ...), whose long edges made the
# layout quadratic.
products() {
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "param a%d = 0.%d\ninput b%d = 1\n", i, i % 9 + 1, i
                           print "let s1 = a1 * b1"; for (i = 2; i <= n; i++) printf "let s%d = s%d + a%d * b%d\n", i, i - 1, i, i
                           printf "loss L = s%d^2\n", n }' >"$2"
}

# ---------------------------------------------------------------- cost that grew faster than the work

test_expect '--check of a 100 000-name chain: names are hashed, not read one by one for each use' '
    chain 100000 big.lesson && bounded 10 1000 "$BPTUTOR" --check big.lesson
'

test_expect '--plain of a 100 000-name chain: each step reads what it shows, not every node' '
    chain 100000 big.lesson && bounded 20 1000 "$BPTUTOR" --plain big.lesson >out &&
    tail -n 3 out | grep -q "PyTorch: print"
'

test_expect '--plain of a chain 240 000 deep: the walk does not recurse down it' '
    chain 240000 deep.lesson && bounded 30 2000 "$BPTUTOR" --plain deep.lesson >/dev/null
'

test_expect 'the first frame of 3 000 products summed in a chain' '
    products 3000 p.lesson && printf "<Dump>\n" >s &&
    bounded 10 1000 "$BPTUTOR" --script s --size 120x40 p.lesson >screen && grep -q "epoch 1" screen
'

test_expect 'a lesson past the size limits is refused at once, and says which limit' '
    { echo "param w = 1"; printf "input x = 1"; i=1; while [ $i -lt 1000 ]; do printf ",%d" $((i % 7)); i=$((i + 1)); done
      echo; echo "let a0 = x * w"; awk "BEGIN { for (i = 1; i < 5000; i++) printf \"let a%d = a%d * w\\n\", i, i - 1 }"
      echo "loss L = mean(a4999)"; } >wide.lesson &&
    test_expect_code 2 bounded 10 500 "$BPTUTOR" --check wide.lesson 2>err &&
    grep -q "error: cannot build the graph: too large: a lesson holds at most 500000 nodes and 4194304 numbers" err
'

test_expect 'a 100 kB paste at the : prompt: one redraw at its end, and the line stops at 64 KiB' '
    awk "BEGIN { printf \"<Type :\"; for (i = 0; i < 100000; i++) printf \"x\"; print \">\" }" >s &&
    printf "<Dump>\n<Enter>\n<Dump>\n" >>s &&
    bounded 5 500 "$BPTUTOR" --no-quiz --script s 01 >out 2>err && test ! -s err &&
    sed -n 23p out | grep -q "the line is full (65536 bytes): the rest was not typed" &&
    sed -n 44,48p out | grep -q "unknown command"
'

# ---------------------------------------------------------------- scripts that are not scripts

test_expect '--script /dev/zero: a NUL byte is a bad line, status 2, at once' '
    test_expect_code 2 bounded 5 200 "$BPTUTOR" --script /dev/zero 01 2>err &&
    grep -q "^/dev/zero:1: error: a NUL byte in the line$" err
'

test_expect 'a script line longer than 1 MiB is a bad line, not all the memory there is' '
    head -c 2000000 /dev/zero | tr "\\0" x >s &&
    test_expect_code 2 bounded 5 200 "$BPTUTOR" --script s 01 2>err &&
    grep -q "^s:1: error: the line is longer than 1048576 bytes$" err
'

test_expect '--script DIR is an error, not an empty script' '
    mkdir d && test_expect_code 2 "$BPTUTOR" --script d 01 2>err &&
    grep -q "cannot open the script d: Is a directory" err
'

test_expect 'sizes too large for an int are errors, not wrapped to 80x24' '
    printf "q\n" >s &&
    test_expect_code 2 "$BPTUTOR" --script s --size 4294967376x24 01 2>err && grep -q "COLSxROWS" err &&
    printf "<Resize 4294967376x4294967320>\n" >r &&
    test_expect_code 2 "$BPTUTOR" --script r 01 2>err &&
    grep -q "^r:1: error: <Resize COLSxROWS> needs sizes from 1x1 to 1000x1000: <Resize 4294967376x4294967320>$" err
'

# ---------------------------------------------------------------- untrusted lessons

test_expect 'a C1 control (U+009B, CSI) in a lesson is refused like a C0 one, and not echoed' '
    printf "title a\\302\\233" >c1.lesson && printf "31mred\\nparam w = 1\\nloss L = w^2\\n" >>c1.lesson &&
    test_expect_code 2 "$BPTUTOR" --check c1.lesson 2>err &&
    printf "c1.lesson:1:8: error: control character U+009B in the line\\ntitle a?31mred\\n       ^\\n" >expect &&
    test_cmp expect err
'

test_expect 'the caret line of --check shows no control character of the file' '
    printf "param w = 1\\nsya \\302\\2350;evil\\302\\234 \\033[2J\\n" >bad.lesson &&
    test_expect_code 2 "$BPTUTOR" --check bad.lesson 2>err &&
    ! grep -q "$(printf "\\302\\235\\|\\033")" err && grep -q "^sya ?0;evil? ?\\[2J$" err
'

test_expect '--list prints file names with their control characters as ?' '
    mkdir -p lessons/en && cp "$TOP/lessons/en/01-one-weight.lesson" "lessons/en/$(printf "x\\033]0;owned\\007")y.lesson" &&
    BPTUTOR_PATH="$PWD/lessons" "$BPTUTOR" --list >out &&
    ! grep -q "$(printf "\\033")" out && grep -q "^x?\\]0;owned?y  *One weight" out
'

test_expect 'a FIFO called 02-fifo.lesson among the lessons: --list and a lookup do not wait for a writer' '
    mkdir -p lessons/en && cp "$TOP/lessons/en/01-one-weight.lesson" lessons/en/ && mkfifo lessons/en/02-fifo.lesson &&
    BPTUTOR_PATH="$PWD/lessons" bounded 10 500 "$BPTUTOR" --list >out &&
    grep -q "^02-fifo  *(untitled)" out && grep -q "^01-one-weight  *One weight" out &&
    BPTUTOR_PATH="$PWD/lessons" test_expect_code 2 bounded 10 500 "$BPTUTOR" --check 2 2>err &&
    grep -q "the lesson is empty" err
'

test_expect 'param w = 1e-400 is an error (it would be 0), as 1e309 is (it would be infinite)' '
    printf "param w = 1e-400\\nloss L = w^2\\n" >u.lesson &&
    test_expect_code 2 "$BPTUTOR" --check u.lesson 2>err &&
    grep -q "number too small .1e-400.: it would be 0" err &&
    printf "param w = 1e-310\\nloss L = w^2\\n" >sub.lesson && "$BPTUTOR" --check sub.lesson
'

test_expect 'a NaN prints as nan, never -nan, in --train, --dump and --dot' '
    printf "param w = 0\\ninput x = 2\\nlet z = log(w) * 0\\nloss L = (z*x)^2\\n" >nan.lesson &&
    "$BPTUTOR" --train --epochs 2 nan.lesson >train && grep -q "loss: nan, w: nan, dw: nan" train &&
    "$BPTUTOR" --dump nan.lesson >dump && "$BPTUTOR" --dot nan.lesson >dot &&
    ! grep -q -- "-nan" train dump dot
'

test_expect 'the tutor reads its lesson once: a FIFO works as in --check' '
    mkfifo f.lesson && { cat "$TOP/lessons/en/01-one-weight.lesson" >f.lesson & } &&
    printf "<Dump>\n" >s && bounded 10 500 "$BPTUTOR" --script s f.lesson >out && wait &&
    grep -q "One weight, one sample" out
'

# ---------------------------------------------------------------- files named at the prompt

test_expect ':load of a FIFO is refused at once, not waited on' '
    mkfifo fifo.lesson && printf ":load %s/fifo.lesson\n<Dump>\n" "$PWD" >s &&
    bounded 10 500 "$BPTUTOR" --no-quiz --script s --size 200x24 01 >out &&
    grep -q "cannot load .*/fifo.lesson: a FIFO, not a lesson file" out
'

test_expect ':load of a file that is not a lesson does not show what is in it' '
    printf "root:x:0:0:topsecret\\n" >passwd && printf ":load %s/passwd\\n<Dump>\\n" "$PWD" >s &&
    "$BPTUTOR" --no-quiz --script s 01 >out && ! grep -q "root\\|topsecret" out &&
    grep -q "passwd is not a lesson: line 1 does not read" out &&
    printf "title t\\nroot here\\n" >my.lesson && printf ":load %s/my.lesson\\n<Dump>\\n" "$PWD" >s &&
    "$BPTUTOR" --no-quiz --script s --size 120x24 01 >out && grep -q "my.lesson:2:1: unknown statement .root." out
'

test_expect 'a history file that is a FIFO is not used, not waited on' '
    mkdir -p state/bptutor && mkfifo state/bptutor/history && printf ":set w 1\n<Dump>\n" >s &&
    XDG_STATE_HOME="$PWD/state" bounded 10 500 "$BPTUTOR" --no-quiz --script s 01 >out && grep -q "w = 1" out
'

test_expect ':export dot and :save-display refuse a file that is there; with ! they replace it, link and all' '
    echo precious >target && ln -s target link && echo old >screen.txt &&
    printf ":export dot link\n<Dump>\n:save-display screen.txt\n<Dump>\n" >s &&
    printf ":export! dot link\n:save-display! screen.txt\n:export dot new.dot\n<Dump>\n" >>s &&
    "$BPTUTOR" --no-quiz --script s --size 100x24 01 >out &&
    sed -n 24p out | grep -q "link is already there: :export! dot link replaces it" &&
    sed -n 48p out | grep -q "screen.txt is already there: :save-display! screen.txt replaces it" &&
    sed -n 72p out | grep -q "the graph is in new.dot" &&
    test "$(cat target)" = precious && test -f link && ! test -L link && head -n 1 link | grep -q "^digraph" &&
    grep -q "One weight" screen.txt && head -n 1 new.dot | grep -q "^digraph" &&
    test "$(ls -A | grep -c bptutor)" = 0
'

test_expect 'a write that fails halfway leaves the file that was there' '
    chain 2000 c.lesson && printf "before\n" >old.dot && printf ":export! dot old.dot\n<Dump>\n" >s &&
    (trap "" XFSZ && ulimit -f 64 && exec "$BPTUTOR" --script s --size 100x24 c.lesson) | cat >out &&
    test "$(cat old.dot)" = before && grep -q "cannot write old.dot: File too large" out &&
    test "$(ls -A | grep -c bptutor)" = 0
'

test_done
