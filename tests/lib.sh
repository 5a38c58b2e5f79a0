# tests/lib.sh — a small TAP harness for shell tests, in the manner of git's t/test-lib.sh.
#
#   . "$TOP/tests/lib.sh"
#   test_expect 'title' 'commands && test_cmp expect actual'
#   test_done
#
# Each test runs in a fresh scratch directory ($SCRATCH); BPTUTOR is the binary under test.
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
BPTUTOR="$TOP/bptutor"
export TOP BPTUTOR
_t_count=0 _t_failed=0
_t_root=$(mktemp -d "${TMPDIR:-/tmp}/bptutor-t.XXXXXX")
trap 'rm -rf "$_t_root"' EXIT

# test_cmp EXPECTED ACTUAL: compare two files, show a unified diff on failure.
test_cmp() {
    diff -u "$1" "$2" >&2
}

# test_expect TITLE SCRIPT: run SCRIPT with sh -e semantics off; success is its exit status 0.
test_expect() {
    _t_count=$((_t_count + 1))
    SCRATCH="$_t_root/$_t_count"
    mkdir -p "$SCRATCH"
    if (cd "$SCRATCH" && eval "$2") >"$_t_root/out" 2>&1; then
        echo "ok $_t_count - $1"
    else
        echo "not ok $_t_count - $1"
        sed 's/^/# /' "$_t_root/out"
        _t_failed=$((_t_failed + 1))
    fi
}

test_done() {
    echo "1..$_t_count"
    [ "$_t_failed" -eq 0 ]
}
