#!/bin/bash
# The live terminal on every way out, and control of long work (issue 14): each signal whose default ends the
# program must leave the terminal as it found it (the same `stty -a`, the main screen, the cursor shown); fg
# after kill -TSTP must bring the tutor back, not end it; long training must show how far it is and stop at
# once on Esc or Ctrl-C; a 100 kB paste at the ':' prompt must not freeze the screen.
#
# The signal tests run the tutor under sh -c, not an interactive bash: bash puts back the terminal modes of
# a job that dies of a signal, which would hide a tutor that does not.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tmux/lib.sh"

SOCK="bptutor-sig-$$-0"
cleanup() {
    for i in $(seq 0 "$_t_count"); do
        tmux -L "bptutor-sig-$$-$i" kill-server 2>/dev/null
        rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/bptutor-sig-$$-$i"
    done
    rm -rf "$_t_root"
}
trap cleanup EXIT
export BPTUTOR_PATH="$TOP/lessons"

# wait_long REGEX SECONDS: wait_for with a longer patience.
wait_long() {
    for _ in $(seq $(($2 * 10))); do
        T capture-pane -p >"$SCRATCH/pane" 2>/dev/null && grep -q -- "$1" "$SCRATCH/pane" && return 0
        sleep 0.1
    done
    echo "timed out waiting for '$1'; the pane shows:"; cat "$SCRATCH/pane"
    return 1
}

# run_and_kill SIGNAL: the tutor in a fresh pane under sh, killed with SIGNAL once it has drawn; then the
# shell notes its status and the terminal's modes.
run_and_kill() {
    SOCK="bptutor-sig-$$-$_t_count"
    T -u new-session -d -x 80 -y 24 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e BPTUTOR_PATH="$BPTUTOR_PATH" \
        "cd '$SCRATCH' && stty -a >before && TERM=tmux-256color '$BPTUTOR' 01; echo \$? >status;
         stty -a >after; echo done; exec sleep 60" &&
    T set-option -g status off >/dev/null &&
    wait_for "step 1 of 13" &&
    pid=$(pgrep -P "$(T display-message -p '#{pane_pid}')" -x bptutor) && test -n "$pid" &&
    kill -"$1" "$pid" && wait_for "^done" &&
    test "$(cat status)" = "$((128 + $(kill -l "$1")))"
}

# the terminal as it was: the same modes, the main screen, the cursor shown
restored() {
    test_cmp before after &&
    test "$(T display-message -p '#{alternate_on}')" = 0 &&
    test "$(T display-message -p '#{cursor_flag}')" = 1
}

for sig in SEGV ABRT BUS FPE USR1 ALRM PIPE XFSZ TERM HUP INT QUIT; do
    test_expect "SIG$sig restores the terminal: modes, main screen, cursor" "
        run_and_kill $sig && restored
    "
done

# A fresh pane with an interactive bash (for job control) and a plain prompt.
start_shell() {
    SOCK="bptutor-sig-$$-$_t_count"
    T -u new-session -d -x 100 -y 30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e BPTUTOR_PATH="$BPTUTOR_PATH" \
        "env PS1='ready\$ ' TERM=tmux-256color bash --norc --noprofile -i" &&
    T set-option -g status off >/dev/null &&
    wait_for 'ready\$'
}

test_expect 'kill -TSTP, then fg: the tutor comes back and goes on, and q ends it with status 0' '
    start_shell && T send-keys "$BPTUTOR --no-quiz 01" Enter && wait_for "step 1 of 13" &&
    pid=$(pgrep -P "$(T display-message -p "#{pane_pid}")" -x bptutor) && test -n "$pid" &&
    kill -TSTP "$pid" && wait_for "Stopped" && test "$(T display-message -p "#{alternate_on}")" = 0 &&
    T send-keys fg Enter && wait_for "step 1 of 13" && test "$(T display-message -p "#{alternate_on}")" = 1 &&
    T send-keys "]" && wait_for "Forward pass 1/3" &&
    T send-keys q && wait_for "ready\\$" && T send-keys "echo status-\$?" Enter && wait_for "^status-0"
'

# a lesson whose epochs take long enough to watch: a chain of 5000 names
chain5000() {
    awk "BEGIN { print \"param n0 = 1\"; for (i = 1; i <= 5000; i++) printf \"let n%d = n%d * 1\\n\", i, i - 1
                 print \"loss L = n5000^2\" }" >"$1"
}

test_expect ':train 1000000 shows its progress and stops at once on Esc, keeping the epochs done' '
    chain5000 long.lesson && start_shell && T send-keys "$BPTUTOR long.lesson" Enter && wait_for "step 1 of" &&
    T send-keys ":train 1000000" Enter && wait_long "training: [0-9]* of 1000000 epochs · loss .* left" 20 &&
    T send-keys Escape && wait_for "training stopped after [0-9]* of 1000000 epochs; the walk is at epoch" &&
    n=$(sed -n "s/.*training stopped after \([0-9]*\) of.*/\1/p" "$SCRATCH/pane") &&
    test "$n" -gt 0 && test "$n" -lt 1000000 && grep -q "epoch $((n + 1)) " "$SCRATCH/pane" &&
    T send-keys q && wait_for "ready\\$"
'

test_expect 't (train the lesson'\''s epochs) stops on Ctrl-C as well, and the tutor goes on' '
    chain5000 long.lesson && start_shell && T send-keys "$BPTUTOR long.lesson" Enter && wait_for "step 1 of" &&
    T send-keys ":set epochs 1000000" Enter && wait_for "epochs is now 1000000" &&
    T send-keys t && wait_long "training: [0-9]* of 1000000 epochs" 20 &&
    T send-keys C-c && wait_for "training stopped after" &&
    T send-keys "]" && wait_for "Forward pass" && T send-keys q && wait_for "ready\\$"
'

test_expect 'a 100 kB paste at the : prompt is typed in moments, and the line stops at 64 KiB' '
    awk "BEGIN { for (i = 0; i < 100000; i++) printf \"x\" }" >paste &&
    start_shell && T send-keys "$BPTUTOR --no-quiz 01" Enter && wait_for "step 1 of 13" &&
    T send-keys ":" && T load-buffer paste && T paste-buffer && wait_long "the line is full (65536 bytes)" 20 &&
    T send-keys Enter && wait_long "unknown command" 10 && T send-keys q && wait_for "ready\\$"
'

test_done
