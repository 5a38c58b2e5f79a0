#!/bin/bash
# A decimal-comma locale must not change how the tutor reads and writes numbers: with LANG=de_DE.UTF-8
# (generated here with localedef into a private LOCPATH) the lesson loads, its numbers show with a point,
# and a number typed at the prompt is taken. The tutor runs in a real terminal: tmux on a private socket.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tmux/lib.sh"

SOCK="bptutor-locale-$$"
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    rm -rf "$_t_root"
}
trap cleanup EXIT
export BPTUTOR_PATH="$TOP/lessons"

LOCDIR="$_t_root/locales"
mkdir -p "$LOCDIR"
if ! command -v localedef >/dev/null 2>&1; then
    echo "ok 1 # skip localedef is not installed"; echo "1..1"; exit 0
fi
localedef -i de_DE -f UTF-8 "$LOCDIR/de_DE.UTF-8" >/dev/null 2>&1
if [ "$(LOCPATH="$LOCDIR" LC_ALL=de_DE.UTF-8 locale decimal_point 2>/dev/null)" != "," ]; then
    echo "ok 1 # skip no de_DE locale source to generate a decimal-comma locale from"; echo "1..1"; exit 0
fi

SCRATCH="$_t_root/0" && mkdir -p "$SCRATCH"
T -u new-session -d -x 80 -y 24 -e LOCPATH="$LOCDIR" -e LANG=de_DE.UTF-8 -e LC_ALL= -e LC_NUMERIC= \
    -e BPTUTOR_PATH="$BPTUTOR_PATH" -e INPUTRC=/dev/null -e TERM=tmux-256color \
    "$BPTUTOR --no-quiz 01; echo exit-\$?; sleep 30" 2>/dev/null
T set-option -g status off >/dev/null 2>&1

test_expect 'with LANG=de_DE.UTF-8 the lesson loads (its lr is 0.01)' '
    wait_for "step 1 of 13"
'

test_expect 'its numbers show with a decimal point' '
    wait_for "η = 0.01" && ! grep -q "0,01" "$SCRATCH/pane"
'

test_expect 'a number typed at the prompt is read with a point' '
    T send-keys ":" && T send-keys -l "set lr 0.5" && wait_for "^:set lr 0.5 *$" 24 &&
    T send-keys Enter && wait_for "η = 0.5"
'

test_expect 'q quits with status 0' '
    T send-keys q && wait_for "^exit-0"
'

test_done
