#!/bin/sh
# Where lessons named by number or slug are looked up: $BPTUTOR_PATH, $XDG_DATA_HOME/bptutor/lessons,
# each $XDG_DATA_DIRS entry's bptutor/lessons, then the installed directory; never ./lessons, which used to
# shadow the installed lessons silently. --list and the picker show all of them, an earlier file hiding a
# later one of the same name.
. "$TOP/tests/lib.sh"
L1="$TOP/lessons/en/01-one-weight.lesson"
unset BPTUTOR_PATH XDG_DATA_HOME XDG_DATA_DIRS

# lesson DIR NAME TITLE: a one-weight lesson called NAME.lesson in DIR, titled TITLE.
lesson() {
    mkdir -p "$1" && sed "s/^title .*/title $3/" "$L1" >"$1/$2.lesson"
}
# where: an environment with nothing found anywhere but what a test puts in $SCRATCH
where() {
    export HOME="$SCRATCH/home" XDG_DATA_DIRS="$SCRATCH/share1:$SCRATCH/share2"
}

test_expect 'a ./lessons folder in the working directory is not looked in' '
    where && lesson lessons/en 77-shadow "From the working directory" &&
    test_expect_code 2 "$BPTUTOR" --train shadow 2>err &&
    grep -q "^bptutor: no lesson '\''shadow'\'' in " err &&
    ! grep -q "lessons/en/77-shadow" err &&
    { "$BPTUTOR" --list >out 2>&1 || test $? = 1; } && ! grep -q "77-shadow" out
'

test_expect 'XDG_DATA_HOME/bptutor/lessons/LANG holds a user'\''s own lessons' '
    where && lesson data/bptutor/lessons/en 77-mine "Mine" &&
    XDG_DATA_HOME="$SCRATCH/data" "$BPTUTOR" --train mine >out &&
    "$BPTUTOR" --train "$L1" >expect && test_cmp expect out
'

test_expect 'without XDG_DATA_HOME, ~/.local/share/bptutor/lessons/LANG' '
    where && lesson home/.local/share/bptutor/lessons/en 77-mine "Mine" &&
    "$BPTUTOR" --train 77 >out && test -s out &&
    XDG_DATA_HOME= "$BPTUTOR" --train 77 >out && test -s out
'

test_expect 'a relative XDG_DATA_HOME is ignored, as the XDG specification says' '
    where && lesson data/bptutor/lessons/en 77-relative "Relative" &&
    test_expect_code 2 env XDG_DATA_HOME=data "$BPTUTOR" --train relative 2>err
'

test_expect 'each XDG_DATA_DIRS entry'\''s bptutor/lessons/LANG, in order' '
    where && lesson share2/bptutor/lessons/en 77-shared "Second" &&
    "$BPTUTOR" --list >out && grep -x "77-shared *Second" out &&
    lesson share1/bptutor/lessons/en 77-shared "First" &&
    "$BPTUTOR" --list >out && grep -x "77-shared *First" out
'

test_expect 'BPTUTOR_PATH comes first, then XDG_DATA_HOME, then XDG_DATA_DIRS' '
    where && lesson share1/bptutor/lessons/en 77-order "From XDG_DATA_DIRS" &&
    lesson data/bptutor/lessons/en 77-order "From XDG_DATA_HOME" &&
    lesson path/en 77-order "From BPTUTOR_PATH" &&
    XDG_DATA_HOME="$SCRATCH/data" BPTUTOR_PATH="$SCRATCH/path" "$BPTUTOR" --list >out &&
    grep -x "77-order *From BPTUTOR_PATH" out &&
    XDG_DATA_HOME="$SCRATCH/data" "$BPTUTOR" --list >out && grep -x "77-order *From XDG_DATA_HOME" out
'

test_expect '--list shows the lessons of every place, each name once, in name order' '
    where && lesson share2/bptutor/lessons/en 02-b "Shared b" &&
    lesson share2/bptutor/lessons/en 01-a "Shared a" &&
    lesson data/bptutor/lessons/en 01-a "My a" &&
    lesson data/bptutor/lessons/en 03-c "My c" &&
    XDG_DATA_HOME="$SCRATCH/data" "$BPTUTOR" --list >out &&
    cat >expect <<-\EOT &&
	01-a                     My a
	02-b                     Shared b
	03-c                     My c
	EOT
    test_cmp expect out
'

test_expect 'a lesson not found says every directory it looked in' '
    where && XDG_DATA_HOME="$SCRATCH/data" BPTUTOR_PATH="$SCRATCH/path" &&
    export XDG_DATA_HOME BPTUTOR_PATH &&
    test_expect_code 2 "$BPTUTOR" --train 99 2>err &&
    d=/usr/local/share/bptutor/lessons/en/ &&
    echo "bptutor: no lesson '\''99'\'' in $SCRATCH/path/en/, $SCRATCH/path/, $SCRATCH/data/bptutor/lessons/en/, $SCRATCH/share1/bptutor/lessons/en/, $SCRATCH/share2/bptutor/lessons/en/ or $d" >expect &&
    test_cmp expect err
'

test_expect 'make run starts the tutor on the source tree'\''s lessons' '
    mkdir tree && cp "$TOP/Makefile" tree/ &&
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C tree -n --no-print-directory run >cmds 2>&1 &&
    grep -x "BPTUTOR_PATH=\"$SCRATCH/tree/lessons\" BPTUTOR_LOCALEDIR=\"$SCRATCH/tree/build/locale\" ./bptutor" cmds
'
test_done
