#!/bin/sh
# The Makefile honours the user's CPPFLAGS and LDFLAGS (Debian's dpkg-buildflags: -D_FORTIFY_SOURCE=2 is in
# CPPFLAGS, -Wl,-z,relro in LDFLAGS) on every compile and link, next to CFLAGS. Checked with make -n in a
# copy of the tree, so this tree's build/ is left alone.
. "$TOP/tests/lib.sh"

# commands TARGET VAR=VALUE...: what make would run for TARGET in a copy of the sources.
commands() {
    mkdir -p tree/tests && cp -R "$TOP/Makefile" "$TOP/src" tree/ && cp -R "$TOP/tests/unit" tree/tests/
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C tree -n --no-print-directory "$@"
}

test_expect 'CPPFLAGS reaches every compile, before CFLAGS' '
    commands bptutor build/tests/test_quiz CPPFLAGS=-DBPTUTOR_CPPFLAGS_REACH CFLAGS=-DBPTUTOR_CFLAGS_REACH >cmds &&
    grep " -c " cmds >compiles && test "$(wc -l <compiles)" -ge 10 &&
    ! grep -v -- "-DBPTUTOR_CPPFLAGS_REACH .*-DBPTUTOR_CFLAGS_REACH" compiles &&
    grep "tests/unit/test_quiz.c" cmds | grep -q -- "-DBPTUTOR_CPPFLAGS_REACH"
'

test_expect 'LDFLAGS reaches every link' '
    commands bptutor build/tests/test_quiz LDFLAGS=-Wl,--bptutor-ldflags-reach >cmds &&
    grep -- " -o bptutor \| -o build/tests/test_quiz " cmds >links && test "$(wc -l <links)" = 2 &&
    ! grep -v -- "-Wl,--bptutor-ldflags-reach" links
'

test_expect 'a change of CPPFLAGS rebuilds (build/flags records it)' '
    commands bptutor CPPFLAGS=-DONE >/dev/null &&
    grep -q -- "-DONE" tree/build/flags
'

test_lazy_prereq DPKG_BUILDFLAGS 'command -v dpkg-buildflags'
test_expect DPKG_BUILDFLAGS 'Debian'\''s build flags reach the compiler: -D_FORTIFY_SOURCE=2' '
    commands bptutor CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" CFLAGS="$(dpkg-buildflags --get CFLAGS)" \
        LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" >cmds &&
    grep " -c .*src/graph.c" cmds | grep -q -- "-D_FORTIFY_SOURCE=2"
'
test_done
