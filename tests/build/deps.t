#!/bin/sh
# .ci/deps: a missing package is named with the exact apt-get line, never a compiler error; packages are
# installed (as root) only for `make run` and `make check`, never for `make` or `make install`, which a
# packager runs as uid 0 under fakeroot.
. "$TOP/tests/lib.sh"

# fake_path UID: a PATH (bin/) with a C compiler and make, a pkg-config that knows only readline, an id that
# says UID, an apt-get that writes how it was called to apt.log and fails, and no tmux, dot, prove or cmark.
fake_path() {
    mkdir -p bin &&
    for tool in cc make sh cat mkdir; do ln -s "$(command -v $tool)" bin/$tool || return 1; done &&
    printf '#!/bin/sh\n[ "$2" = readline ]\n' >bin/pkg-config &&
    printf '#!/bin/sh\necho %s\n' "$1" >bin/id &&
    printf '#!/bin/sh\necho "apt-get $*" >>"%s/apt.log"\nexit 1\n' "$PWD" >bin/apt-get &&
    chmod +x bin/pkg-config bin/id bin/apt-get
}
# The test packages missing in fake_path, in the order .ci/deps names them.
missing_for_tests() {
    printf "libncurses-dev gettext tmux graphviz perl cmark"
    test -e /usr/share/i18n/locales/de_DE || printf " locales"
}

test_expect 'a user without root is told the exact sudo line' '
    fake_path 1000 &&
    test_expect_code 1 env PATH="$PWD/bin" /bin/sh "$TOP/.ci/deps" test 2>err &&
    printf "bptutor: missing packages. Run:\n    sudo apt-get install %s\n" "$(missing_for_tests)" >expect &&
    test_cmp expect err && test ! -e apt.log
'

test_expect 'a build needs fewer packages than the tests' '
    fake_path 1000 &&
    test_expect_code 1 env PATH="$PWD/bin" /bin/sh "$TOP/.ci/deps" build 2>err &&
    grep -qx "    sudo apt-get install libncurses-dev gettext" err
'

test_expect 'deps build never installs, even as root: it prints the sudo line' '
    fake_path 0 &&
    test_expect_code 1 env PATH="$PWD/bin" /bin/sh "$TOP/.ci/deps" build 2>err &&
    test ! -e apt.log &&
    grep -qx "    sudo apt-get install libncurses-dev gettext" err
'

test_expect 'deps run and deps test install as root' '
    fake_path 0 &&
    test_expect_code 1 env PATH="$PWD/bin" /bin/sh "$TOP/.ci/deps" run 2>err &&
    test_expect_code 1 env PATH="$PWD/bin" /bin/sh "$TOP/.ci/deps" test 2>err &&
    printf "apt-get update -qq\napt-get update -qq\n" >expect &&
    test_cmp expect apt.log &&
    grep -x "bptutor: installing missing packages: $(missing_for_tests)" err
'

test_expect 'an unknown mode is a usage error' '
    test_expect_code 2 /bin/sh "$TOP/.ci/deps" install 2>err && grep -q "^usage: " err
'

# make_as_root TARGET: make TARGET in a copy of the build files, as a root whose packages are missing;
# prints "installs" when it ran apt-get.
make_as_root() {
    rm -f apt.log &&
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS PATH="$PWD/bin" make -C tree --no-print-directory "$1" DESTDIR="$PWD/dest" >/dev/null 2>&1
    test -e apt.log && echo installs || echo checks
}

test_expect 'as root, make and make install only check; make run and make check install' '
    fake_path 0 && mkdir -p tree && cp -R "$TOP/Makefile" "$TOP/.ci" tree/ &&
    test "$(make_as_root all)" = checks &&
    test "$(make_as_root install)" = checks &&
    test "$(make_as_root bench)" = checks &&
    test "$(make_as_root run)" = installs &&
    test "$(make_as_root check)" = installs
'

test_expect 'nothing missing: silent success' '
    /bin/sh "$TOP/.ci/deps" test >out 2>&1 && test ! -s out
'
test_done
