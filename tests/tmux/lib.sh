# tests/tmux/lib.sh — what the live-terminal tests share. Source it after tests/lib.sh.
# tmux always runs on a private socket ($SOCK, -L), never on a user's server; each test script kills its
# servers when it ends.

if ! command -v tmux >/dev/null 2>&1; then
    echo "ok 1 # skip tmux is not installed"
    echo "1..1"
    exit 0
fi

# T ARGS...: tmux on this test's socket, without the user's configuration.
T() { tmux -L "$SOCK" -f /dev/null "$@"; }

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
