#!/bin/bash
# The real binary in a real terminal: tmux on a private socket (-L, never a user's server) runs an
# interactive bash at 80×24; keys go in with send-keys and the screen comes back with capture-pane.
# The live screen must equal the headless --script replay of the same keys, and the terminal must be
# restored (alternate screen left, canonical mode and echo back) after q, SIGTERM, Ctrl-C and Ctrl-Z/fg.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tmux/lib.sh"

# One tmux server per test that needs a fresh shell, each on its own socket; all killed at the end.
SOCK="bptutor-test-$$-0"
cleanup() {
    for i in $(seq 0 "$_t_count"); do
        tmux -L "bptutor-test-$$-$i" kill-server 2>/dev/null
        rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/bptutor-test-$$-$i"
    done
    rm -rf "$_t_root"
}
trap cleanup EXIT
export BPTUTOR_PATH="$TOP/lessons"

# A fresh pane with an interactive bash and a plain prompt.
start_shell() {
    SOCK="bptutor-test-$$-$_t_count"
    T -u new-session -d -x 80 -y 24 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e BPTUTOR_PATH="$BPTUTOR_PATH" \
        "env PS1='ready\$ ' TERM=tmux-256color bash --norc --noprofile -i" &&
    T set-option -g status off >/dev/null &&
    wait_for 'ready\$'
}

# wait_gone REGEX: poll until no line matches.
wait_gone() {
    for _ in $(seq 80); do
        T capture-pane -p >"$SCRATCH/pane" 2>/dev/null && ! grep -q -- "$1" "$SCRATCH/pane" && return 0
        sleep 0.05
    done
    echo "timed out waiting for '$1' to go; the pane shows:"; cat "$SCRATCH/pane"
    return 1
}

# The terminal is back to normal: the main screen, a prompt, and a line discipline with echo and icanon.
terminal_restored() {
    test "$(T display-message -p '#{alternate_on}')" = 0 &&
    T send-keys 'stty -a | tr " " "\n" | grep -x -e icanon -e echo | sort | tr "\n" " "; echo' Enter &&
    wait_for '^echo icanon *$'
}

# The live pane, 24 lines, next to the headless replay of the same keys.
same_as_headless() {
    T capture-pane -p >live &&
    while [ "$(wc -l <live)" -lt 24 ]; do echo >>live; done &&
    { cat "$1"; echo ":save-display"; } >script &&
    "$BPTUTOR" --no-quiz --script script --size 80x24 01 >headless &&
    test_cmp headless live
}

# the first four tests share one shell
SCRATCH="$_t_root/0" && mkdir -p "$SCRATCH" && start_shell >/dev/null 2>&1

test_expect 'the live screen at the start equals the headless one' '
    T send-keys "$BPTUTOR --no-quiz 01" Enter && wait_for "step 1 of 13" && wait_for "q quit" &&
    : >keys && same_as_headless keys
'

test_expect 'after ] ] ] and → the live screen equals the headless one' '
    T send-keys "]" && wait_for "Forward pass 1/3" &&
    T send-keys "]" && wait_for "Local gradients 1/3" &&
    T send-keys "]" && wait_for "Chain rule 1/4" &&
    T send-keys Right && wait_for "Chain rule 2/4" &&
    printf "]\n]\n]\n<Right>\n" >keys && same_as_headless keys
'

test_expect 'the help screen, live and headless' '
    T send-keys "?" && wait_for "Quiz and classroom" &&
    printf "]\n]\n]\n<Right>\n?\n" >keys && same_as_headless keys
'

test_expect 'q leaves the alternate screen and restores the terminal' '
    T send-keys q && wait_for "ready\\$" && wait_gone "Commands (type" && terminal_restored
'

test_expect 'a resize redraws: too small, then the graph again' '
    start_shell && T send-keys "$BPTUTOR 01" Enter && wait_for "step 1 of 13" &&
    T resize-window -x 40 -y 10 && wait_for "terminal too small" &&
    T resize-window -x 80 -y 24 && wait_for "step 1 of 13" && wait_gone "too small" &&
    T send-keys q && wait_for "ready\\$"
'

test_expect 'arrows with Ctrl pan the graph like H J K L, live and headless alike' '
    start_shell && T send-keys "$BPTUTOR 05" Enter && wait_for "step 1 of 37" &&
    T send-keys z && wait_for "zoom detail" && T send-keys C-Right && wait_for "◀" &&
    T capture-pane -p >live && while [ "$(wc -l <live)" -lt 24 ]; do echo >>live; done &&
    printf "z\n<C-Right>\n:save-display\n" >script && "$BPTUTOR" --script script --size 80x24 05 >headless &&
    test_cmp headless live && T send-keys q && wait_for "ready\\$"
'

test_expect 'SIGTERM restores the terminal' '
    start_shell &&
    T send-keys "sh -c '\''echo \$\$ >$SCRATCH/pid; exec $BPTUTOR 01'\''" Enter && wait_for "step 1 of 13" &&
    kill -TERM "$(cat "$SCRATCH/pid")" && wait_for "ready\\$" && terminal_restored
'

test_expect 'SIGHUP restores the terminal' '
    start_shell &&
    T send-keys "sh -c '\''echo \$\$ >$SCRATCH/pid; exec $BPTUTOR 01'\''" Enter && wait_for "step 1 of 13" &&
    kill -HUP "$(cat "$SCRATCH/pid")" && wait_for "ready\\$" && terminal_restored
'

test_expect 'colours by role, and none with NO_COLOR (same text either way)' '
    start_shell && T send-keys "$BPTUTOR 01" Enter && wait_for "step 1 of 13" &&
    T capture-pane -p -e >colour && T capture-pane -p >colour.txt && T send-keys q && wait_for "ready\\$" &&
    grep -q "\[3[0-7]m\|\[3[0-7];" colour &&
    T send-keys clear Enter && T send-keys "NO_COLOR=1 $BPTUTOR 01" Enter && wait_for "step 1 of 13" &&
    T capture-pane -p -e >mono && T capture-pane -p >mono.txt && T send-keys q && wait_for "ready\\$" &&
    ! grep -q "\[3[0-7]m\|\[3[0-7];\|\[38;" mono && grep -q "\[1m\|;1m\|\[7m" mono &&
    test_cmp colour.txt mono.txt
'

test_expect 'Ctrl-C quits and restores the terminal' '
    start_shell && T send-keys "$BPTUTOR 01" Enter && wait_for "step 1 of 13" &&
    T send-keys C-c && wait_for "ready\\$" && terminal_restored
'

test_expect 'Ctrl-Z suspends with the terminal restored, and fg brings the screen back' '
    start_shell && T send-keys "$BPTUTOR --no-quiz 01" Enter && wait_for "step 1 of 13" &&
    T send-keys "]" && wait_for "Forward pass 1/3" &&
    T send-keys C-z && wait_for "Stopped" && test "$(T display-message -p "#{alternate_on}")" = 0 &&
    T send-keys "fg" Enter && wait_for "Forward pass 1/3" && test "$(T display-message -p "#{alternate_on}")" = 1 &&
    T send-keys "]" && wait_for "Local gradients 1/3" &&
    T send-keys q && wait_for "ready\\$" && terminal_restored
'

# Readline has the keys while a line is open, and in raw mode Ctrl-Z is a byte the terminal does not turn into
# SIGTSTP: the tutor suspends there itself, as it does elsewhere.
test_expect 'Ctrl-Z at the : line suspends too; fg brings back the screen and the line, and editing goes on' '
    start_shell && T send-keys "$BPTUTOR --no-quiz 01" Enter && wait_for "step 1 of 13" &&
    T send-keys ":" && T send-keys -l "set w 9" && wait_for "^:set w 9 *$" 24 &&
    T send-keys C-z && wait_for "Stopped" && test "$(T display-message -p "#{alternate_on}")" = 0 &&
    T send-keys "fg" Enter && wait_for "^:set w 9 *$" 24 && wait_for "step 1 of 13" 1 &&
    test "$(T display-message -p "#{alternate_on}")" = 1 &&
    test "$(T display-message -p "#{cursor_x},#{cursor_y}")" = "8,23" &&
    T send-keys -l "0" && wait_for "^:set w 90 *$" 24 && T send-keys Enter && wait_for "w = 90" 24 &&
    T send-keys q && wait_for "ready\\$" && terminal_restored
'

test_expect 'Ctrl-Z at a quiz answer line suspends; fg brings back the question and what was typed' '
    start_shell && T send-keys "$BPTUTOR 01" Enter && wait_for "step 1 of 13" &&
    T send-keys "]" && wait_for "Forward pass 1/3" && T send-keys l && wait_for "Your answer:" &&
    T send-keys -l -- "-3" && wait_for "^ Your answer: -3 *$" &&
    T send-keys C-z && wait_for "Stopped" && test "$(T display-message -p "#{alternate_on}")" = 0 &&
    T send-keys "fg" Enter && wait_for "^ Your answer: -3 *$" && wait_for "s = ŷ − y = 0 − 4 = ?" &&
    test "$(T display-message -p "#{alternate_on}")" = 1 &&
    T send-keys BSpace && T send-keys -l "4" && wait_for "^ Your answer: -4 *$" &&
    T send-keys Enter && wait_gone "Your answer:" && wait_for "s = ŷ − y = 0 − 4 = −4" &&
    T send-keys q && wait_for "ready\\$" && terminal_restored
'

test_expect 'with output not a terminal: a one-line notice, then the walkthrough as text' '
    "$BPTUTOR" 01 >out 2>err </dev/null &&
    test "$(wc -l <err)" = 1 && grep -q "plain" err && grep -q "∂" out
'

test_expect 'TERM=dumb: the same fallback' '
    start_shell && T send-keys "TERM=dumb $BPTUTOR 01 >$SCRATCH/out 2>$SCRATCH/err; echo done-\$?" Enter &&
    wait_for "done-0" && test "$(wc -l <"$SCRATCH/err")" = 1 && grep -q "TERM is dumb" "$SCRATCH/err"
'

test_expect 'at a quiz, Space, → and ] go into the answer line and never move the walkthrough' '
    start_shell && T send-keys "$BPTUTOR 01" Enter && wait_for "step 1 of 13" &&
    T send-keys "]" && wait_for "Forward pass 1/3" && T send-keys l && wait_for "Your answer:" &&
    wait_for "Enter checks · Tab shows the answer · Esc leaves" &&
    T send-keys Space Right "]" && wait_for "^ Your answer:  ]" &&
    wait_for "step 3 of 13" 1 && wait_for "s = ŷ − y = 0 − 4 = ?" &&
    T send-keys q && wait_for "^ Your answer:  ]q" && wait_for "step 3 of 13" 1 &&
    T send-keys C-c && wait_gone "Your answer:" && wait_for "a answers the quiz" &&
    T send-keys q && wait_for "ready\\$" && terminal_restored
'

test_expect 'the skip key the bar and the manual name, Tab, shows the answer; after Esc → does the same' '
    start_shell && T send-keys "$BPTUTOR 01" Enter && wait_for "step 1 of 13" &&
    T send-keys "]" && wait_for "Forward pass 1/3" && T send-keys l && wait_for "Your answer:" &&
    grep -q "^\.B Tab\$" "$TOP/man/bptutor.1" && grep -q "Tab shows the answer worked out" "$TOP/man/bptutor.1" &&
    T send-keys Tab && wait_for "Skipped. The answer is −4" && wait_for "s = ŷ − y = 0 − 4 = −4" &&
    wait_for "step 3 of 13" 1 && wait_gone "Your answer:" &&
    T send-keys "]" && wait_for "Quiz 2 of 4" && T send-keys Escape && wait_gone "Your answer:" &&
    wait_for "a answers the quiz · → shows the answer" &&
    T send-keys Right && wait_for "Skipped. The answer is −8" && wait_for "step 5 of 13" 1 &&
    T send-keys q && wait_for "ready\\$" && terminal_restored
'

test_expect 'the light theme draws no yellow, the contrast theme paints a black background' '
    start_shell && T send-keys "$BPTUTOR --theme light 01" Enter && wait_for "step 1 of 13" &&
    T send-keys "]" && wait_for "Forward pass 1/3" &&
    T capture-pane -p -e >light && T send-keys q && wait_for "ready\\$" &&
    ! grep -q "\[33m\|;33m\|\[33;\|;33;" light && grep -q "34m\|34;" light &&
    T send-keys clear Enter && T send-keys "$BPTUTOR --reset-progress 01 >/dev/null; $BPTUTOR --theme contrast 01" Enter &&
    wait_for "step 1 of 13" &&
    T capture-pane -p -e >contrast && T send-keys q && wait_for "ready\\$" && grep -q "40m\|;40;\|\[40;" contrast
'

test_expect 'with TERM=xterm-256color, Home and End as tmux sends them (ESC [ 1 ~, ESC [ 4 ~) are one key each' '
    start_shell && T send-keys "TERM=xterm-256color $BPTUTOR --no-quiz 01" Enter && wait_for "step 1 of 13" 1 &&
    T send-keys Right && wait_for "step 2 of 13" 1 &&
    T send-keys End && wait_for "step 13 of 13" 1 && T send-keys Home && wait_for "step 1 of 13" 1 &&
    T capture-pane -p >pane && ! grep -q "Per-epoch history\|Loss per epoch" pane &&
    T send-keys q && wait_for "ready\\$" && terminal_restored
'

test_expect 'an escape sequence no key is (ESC [ 9 9 ~, ESC O Z) is dropped whole with a message, at the ":" line too' '
    start_shell && T send-keys "TERM=xterm-256color $BPTUTOR --no-quiz 01" Enter && wait_for "step 1 of 13" 1 &&
    T send-keys Right && wait_for "step 2 of 13" 1 &&
    T send-keys -H 1b 5b 39 39 7e && wait_for "unknown key" && wait_for "step 2 of 13" 1 &&
    T send-keys -H 1b 4f 5a && T send-keys Right && wait_for "step 3 of 13" 1 &&
    T capture-pane -p >pane && ! grep -q "Per-epoch history\|Loss per epoch\|previous phase" pane &&
    T send-keys : && T send-keys -H 1b 5b 39 39 7e && T send-keys "se" && wait_for "^:se *$" &&
    T send-keys Escape && wait_gone "^:se" && T send-keys q && wait_for "ready\\$" && terminal_restored
'

test_done
