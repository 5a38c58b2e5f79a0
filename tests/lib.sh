# tests/lib.sh — a small TAP harness for shell tests, in the manner of git's t/test-lib.sh.
#
#   . "$TOP/tests/lib.sh"
#   test_lazy_prereq GROFF 'command -v groff'
#   test_expect 'title' 'commands && test_cmp expect actual'
#   test_expect GROFF 'title' 'groff …'       # without groff: "ok N # skip title (missing GROFF)"
#   test_expect_failure 'title' '…'           # a known breakage: "not ok N - title # TODO known breakage"
#   test_done
#
# Each test runs in a subshell in a fresh scratch directory ($SCRATCH); $TEST_DIR lasts for the whole script
# (for what several tests share); BPTUTOR is the binary under test.
# A prerequisite is a name in capitals; test_expect takes several as "A,B", and "!A" for "A is missing".
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
BPTUTOR="${BPTUTOR_UNDER_TEST:-$TOP/bptutor}" # make check-sanitize tests its own build
export TOP BPTUTOR
_t_count=0 _t_failed=0
_t_root=$(mktemp -d "${TMPDIR:-/tmp}/bptutor-t.XXXXXX")
trap 'rm -rf "$_t_root"' EXIT
TEST_DIR="$_t_root/shared"
mkdir "$TEST_DIR"
exec 4>&2 # where test_expect_code explains a failure: the test's log inside test_expect, else stderr

# test_cmp EXPECTED ACTUAL: compare two files, show a unified diff on failure.
test_cmp() {
    diff -u "$1" "$2" >&2
}

# test_expect_code CODE COMMAND [ARG]...: run COMMAND; succeed when it exits with CODE. Redirections
# given to test_expect_code are COMMAND's.
test_expect_code() {
    _t_want=$1
    shift
    "$@"
    _t_got=$?
    [ "$_t_got" = "$_t_want" ] && return 0
    echo "test_expect_code: command exited with $_t_got, we wanted $_t_want: $*" >&4
    return 1
}

# bounded SECONDS MEGABYTES COMMAND [ARG]...: run COMMAND with at most SECONDS of CPU time (ulimit -t) and
# MEGABYTES of address space (ulimit -v), and kill it after 5×SECONDS of wall time (timeout): a hostile input
# must be refused or done within its bounds, never hang or take the machine. These are bounds, not
# measurements: pick them far above what the work needs (the machine may be busy; CPU time is what counts).
# Under the sanitizers (make check-sanitize sets BPTUTOR_SANITIZED) the time is ten times as long and the
# address space unbounded: AddressSanitizer reserves terabytes of it.
bounded() {
    _t_cpu=$1 _t_mem=$2
    shift 2
    if [ -n "${BPTUTOR_SANITIZED-}" ]; then
        _t_cpu=$((_t_cpu * 10)) _t_mem=unlimited
    else
        _t_mem=$((_t_mem * 1024))
    fi
    (ulimit -t "$_t_cpu" && ulimit -v "$_t_mem" && exec timeout -k 5 "$((_t_cpu * 5))" "$@")
}

# LeakSanitizer cannot run under ptrace: the tests that count a program's system calls with strace run the
# sanitized build without it.
if [ -n "${BPTUTOR_SANITIZED-}" ]; then
    strace() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" command strace "$@"; }
fi

# test_set_prereq NAME: NAME is present.
test_set_prereq() {
    eval "_t_prereq_$1=yes"
}

# test_lazy_prereq NAME SCRIPT: NAME is present when SCRIPT succeeds; it runs (once, quietly, in a scratch
# directory of its own) the first time a test asks for NAME.
test_lazy_prereq() {
    eval "_t_lazy_$1=\$2"
}

_t_have_one() {
    eval "_t_have=\${_t_prereq_$1-}"
    if [ -z "$_t_have" ]; then
        eval "_t_script=\${_t_lazy_$1-}"
        _t_have=no
        if [ -n "$_t_script" ] && mkdir -p "$_t_root/prereq-$1" &&
            (cd "$_t_root/prereq-$1" && eval "$_t_script") >/dev/null 2>&1 </dev/null; then
            _t_have=yes
        fi
        eval "_t_prereq_$1=\$_t_have"
    fi
    [ "$_t_have" = yes ]
}

# test_have_prereq LIST: are the prerequisites in the comma-separated LIST all satisfied? The ones that
# are not go into $_t_missing.
test_have_prereq() {
    _t_missing=
    for _t_p in $(echo "$1" | tr ',' ' '); do
        case $_t_p in
        !*) _t_have_one "${_t_p#!}" && _t_missing="$_t_missing${_t_missing:+,}$_t_p" ;;
        *) _t_have_one "$_t_p" || _t_missing="$_t_missing${_t_missing:+,}$_t_p" ;;
        esac
    done
    [ -z "$_t_missing" ]
}

# _t_run TITLE SCRIPT: run SCRIPT in a fresh scratch directory; its output is kept for the report.
_t_run() {
    _t_count=$((_t_count + 1))
    SCRATCH="$_t_root/$_t_count"
    mkdir -p "$SCRATCH"
    (cd "$SCRATCH" && eval "$2") >"$_t_root/out" 2>&1 4>&1
}

# test_expect [PREREQ] TITLE SCRIPT: SCRIPT (sh -e semantics off) must exit 0.
test_expect() {
    if [ $# = 3 ]; then
        if ! test_have_prereq "$1"; then
            _t_count=$((_t_count + 1))
            echo "ok $_t_count # skip $2 (missing $_t_missing)"
            return 0
        fi
        shift
    fi
    if _t_run "$1" "$2"; then
        echo "ok $_t_count - $1"
    else
        echo "not ok $_t_count - $1"
        sed 's/^/# /' "$_t_root/out"
        _t_failed=$((_t_failed + 1))
    fi
}

# test_expect_failure [PREREQ] TITLE SCRIPT: a known breakage, which SCRIPT shows; reported as TAP TODO, so
# it fails nothing, and "vanished" once it passes (then make it a test_expect).
test_expect_failure() {
    if [ $# = 3 ]; then
        if ! test_have_prereq "$1"; then
            _t_count=$((_t_count + 1))
            echo "ok $_t_count # skip $2 (missing $_t_missing)"
            return 0
        fi
        shift
    fi
    if _t_run "$1" "$2"; then
        echo "ok $_t_count - $1 # TODO known breakage vanished"
    else
        echo "not ok $_t_count - $1 # TODO known breakage"
        sed 's/^/# /' "$_t_root/out"
    fi
}

test_done() {
    echo "1..$_t_count"
    [ "$_t_failed" -eq 0 ]
}
