#!/bin/sh
# .ci/deps: a missing package is named with the exact apt-get line, never a compiler error.
. "$TOP/tests/lib.sh"

# A PATH with a C compiler and make, a pkg-config that knows only readline, and no tmux or dot.
fake_path() {
    mkdir -p bin &&
    ln -s "$(command -v cc)" bin/cc && ln -s "$(command -v make)" bin/make &&
    printf '#!/bin/sh\n[ "$2" = readline ]\n' >bin/pkg-config &&
    printf '#!/bin/sh\necho %s\n' "$1" >bin/id &&
    chmod +x bin/pkg-config bin/id
}

test_expect 'a user without root is told the exact sudo line' '
    fake_path 1000 &&
    ! PATH="$PWD/bin" /bin/sh "$TOP/.ci/deps" test 2>err &&
    cat >expect <<-\EOT &&
	bptutor: missing packages. Run:
	    sudo apt-get install libncurses-dev tmux graphviz
	EOT
    test_cmp expect err
'

test_expect 'a build needs fewer packages than the tests' '
    fake_path 1000 &&
    ! PATH="$PWD/bin" /bin/sh "$TOP/.ci/deps" build 2>err &&
    grep -qx "    sudo apt-get install libncurses-dev" err
'

test_expect 'nothing missing: silent success' '
    /bin/sh "$TOP/.ci/deps" test >out 2>&1 && test ! -s out
'
test_done
