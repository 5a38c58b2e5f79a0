# tests/tmux/lib.sh — what the live-terminal tests share. Source it after tests/lib.sh.
# tmux always runs on a private socket ($SOCK, -L), never on a user's server; each test script kills its
# servers when it ends.

if ! command -v tmux >/dev/null 2>&1; then
    echo "ok 1 # skip tmux is not installed"
    echo "1..1"
    exit 0
fi

# T ARGS...: tmux on this test's socket, without the user's configuration. A server starts with the
# environment of the T that starts it: there XDG_STATE_HOME is the test's own (its scratch directory's), so
# that each live tutor starts as a new learner's would, not at the step where another test left its lesson
# (progress), and tests running side by side never share a file. A session's own -e still overrides it.
T() { XDG_STATE_HOME="${SCRATCH:-$_t_root}/state" tmux -L "$SOCK" -f /dev/null "$@"; }

# wait_for REGEX [LINE]: poll the pane (up to 4 s) until a line (or line LINE, 1-based) matches.
wait_for() {
    for _ in $(seq 80); do
        if T capture-pane -p >"$SCRATCH/pane" 2>/dev/null; then
            if [ -n "$2" ]; then sed -n "${2}p" "$SCRATCH/pane"; else cat "$SCRATCH/pane"; fi |
                grep -q -- "$1" && return 0
        fi
        sleep 0.05
    done
    echo "timed out waiting for '$1'; the pane shows:"; cat "$SCRATCH/pane"
    return 1
}
