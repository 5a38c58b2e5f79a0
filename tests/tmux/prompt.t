#!/bin/bash
# The ':' prompt in a real terminal: tmux on a private socket (-L) runs the tutor at 80×24. The line is
# edited in place (the cursor where readline has it), and a resize while typing keeps the line.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tmux/lib.sh"

SOCK="bptutor-prompt-$$"
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    rm -rf "$_t_root"
}
trap cleanup EXIT
export BPTUTOR_PATH="$TOP/lessons"
STATE="$_t_root/state"

cursor() { T display-message -p '#{cursor_x},#{cursor_y}'; }
# wait_cursor X,Y: poll until the cursor is there (a key that moves only the cursor changes nothing else)
wait_cursor() {
    for _ in $(seq 80); do [ "$(cursor)" = "$1" ] && return 0; sleep 0.05; done
    echo "the cursor is at $(cursor), not $1"; return 1
}

# one tutor for all the tests, in order
SCRATCH="$_t_root/0" && mkdir -p "$SCRATCH"
T -u new-session -d -x 80 -y 24 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e BPTUTOR_PATH="$BPTUTOR_PATH" \
    -e XDG_STATE_HOME="$STATE" -e INPUTRC=/dev/null -e TERM=tmux-256color "$BPTUTOR --no-quiz 01" 2>/dev/null
T set-option -g status off >/dev/null 2>&1

test_expect 'the tutor starts' '
    wait_for "step 1 of 13"
'

test_expect 'typed text shows on the bottom row, the cursor after it' '
    T send-keys ":" && T send-keys -l "set w 5" && wait_for "^:set w 5 *$" 24 &&
    test "$(cursor)" = "8,23"
'

test_expect '← moves the cursor and a typed character goes in before it, in place' '
    T send-keys Left && wait_cursor 7,23 && wait_for "^:set w 5 *$" 24 &&
    T send-keys -l "1" && wait_for "^:set w 15 *$" 24 && test "$(cursor)" = "8,23" &&
    T send-keys Home && T send-keys Right Right Right && T send-keys -l "X" &&
    wait_for "^:setX w 15 *$" 24 && T send-keys BSpace && wait_for "^:set w 15 *$" 24 &&
    test "$(cursor)" = "4,23"
'

test_expect 'a resize while typing keeps the line on the new bottom row, and Enter runs it' '
    T resize-window -x 100 -y 30 && wait_for "^:set w 15 *$" 30 && test "$(cursor)" = "4,29" &&
    T resize-window -x 40 -y 10 && wait_for "too small" &&
    T resize-window -x 80 -y 24 && wait_for "^:set w 15 *$" 24 &&
    T send-keys End && T send-keys -l "0" && wait_for "^:set w 150 *$" 24 &&
    T send-keys Enter && wait_for "w = 150" 24 && wait_for "│ 150 "
'

test_expect 'Ctrl-C at the prompt drops the line; the tutor stays' '
    T send-keys ":" && T send-keys -l "set w 7" && wait_for "^:set w 7 *$" 24 &&
    T send-keys C-c && wait_for "→ next" 24 && wait_for "│ 150 " && wait_for "step 1 of 13"
'

test_expect 'Tab completes, ↑ recalls, C-r searches, in the live terminal too' '
    T send-keys ":" && T send-keys -l "zer" && T send-keys Tab && wait_for "^:zerograd *$" 24 &&
    T send-keys Escape && wait_for "→ next" 24 &&
    T send-keys ":" && T send-keys Up && wait_for "^:set w 150 *$" 24 &&
    T send-keys Escape && wait_for "→ next" 24 &&
    T send-keys ":" && T send-keys C-r && T send-keys -l "w 1" && wait_for "reverse-i-search.*set w 150" 24 &&
    T send-keys Escape && wait_for "^:set w 150 *$" 24 && T send-keys Escape && wait_for "→ next" 24
'

test_expect 'Chinese typed live arrives whole: the title changes, the cursor counts two cells a character' '
    T send-keys ":" && T send-keys -l "title 中文課程" && wait_for "^:title 中文課程 *$" 24 &&
    test "$(cursor)" = "15,23" && T send-keys Left && wait_cursor 13,23 &&
    T send-keys Enter && wait_for "^ 中文課程 " 1
'

test_expect 'q quits, and the history file has the line that ran' '
    T send-keys q && for _ in $(seq 40); do T has-session 2>/dev/null || break; sleep 0.05; done &&
    grep -qx "set w 150" "$STATE/bptutor/history"
'

test_done
