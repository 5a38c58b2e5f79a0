#!/bin/sh
# Progress survives a SIGKILL during a save (issue 13). The tutor walks a lesson back and forth, saving its
# progress at every key (each save a temporary file, fsync, rename); it is killed with SIGKILL, which no
# handler sees, at a random moment, again and again. After every kill the progress file must be one that a
# save wrote, whole: the old content or the new, never a mixture or a cut one; and the tutor itself must read
# it without setting it aside.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"
export XDG_STATE_HOME="$TEST_DIR/state"
P="$XDG_STATE_HOME/bptutor/progress"
ROUNDS=30

# keys: start over (a run goes back to where the last one was killed), then forward six steps and back six,
# 3000 keys, each one a save (far more than a kill lets it do, on any disk)
awk 'BEGIN { print "r"; for (i = 0; i < 3000; i++) print (i % 12 < 6) ? "<Right>" : "<Left>" }' >"$TEST_DIR/keys"
printf '<Dump>\n' >"$TEST_DIR/dump"
# the delays before each kill, from 0.02 s to 0.5 s (four times as long under the sanitizers, which start slowly)
awk -v n="$ROUNDS" -v f="${BPTUTOR_SANITIZED:+4}" 'BEGIN { srand(13); f = f ? f : 1
    for (i = 0; i < n; i++) printf "%.3f\n", f * (0.02 + rand() * 0.48) }' >"$TEST_DIR/delays"

# whole FILE: FILE is exactly what a save of this walk writes: eleven lines, the place one of the steps walked.
whole() {
    awk 'NR == 1 { ok = $0 == "bptutor progress 1" }
         NR == 2 { ok = ok && $0 == "epoch 1" }
         NR == 3 { ok = ok && $1 == "step" && $2 ~ /^[0-6]$/ && NF == 2 }
         NR == 4 { ok = ok && $0 == "steps 13" }
         NR == 5 { ok = ok && $0 == "quiz ...." }
         NR == 6 { ok = ok && $0 == "tries 0000" }
         NR == 7 { ok = ok && $0 == "finished 0" }
         NR == 8 { ok = ok && $0 == "score 0 0 0" }
         NR == 9 { ok = ok && $0 == "later 0" }
         NR == 10 { ok = ok && $1 == "saved" && $2 ~ /^[0-9]+$/ && NF == 2 }
         NR == 11 { ok = ok && $0 == "end" }
         END { exit !(ok && NR == 11) }' "$1"
}

# resumed FILE: a whole save made after resuming one of those with → (so up to step 8 of the first epoch)
resumed() {
    sed "3s/^step [78]\$/step 6/" "$1" >"$SCRATCH/resumed" && whole "$SCRATCH/resumed"
}

test_expect "the progress file is whole after each of $ROUNDS kills during saves" '
    seen= kills=0
    while read -r delay; do
        "$BPTUTOR" --no-quiz --script "$TEST_DIR/keys" 01 >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -KILL "$pid" 2>/dev/null && kills=$((kills + 1))
        wait "$pid" 2>/dev/null
        f="$P/01-one-weight.progress"
        [ -e "$f" ] || continue # killed before its first save
        whole "$f" || { echo "not whole after a kill at $delay s:"; cat "$f"; exit 1; }
        test ! -e "$f.bad" || { echo "set aside after a kill at $delay s"; exit 1; }
        seen="$seen $(sed -n "s/^step //p" "$f")"
    done <"$TEST_DIR/delays"
    echo "kills: $kills; steps found:$seen" &&
    # the kills landed while it was saving: most rounds were killed, and the files differ from kill to kill
    test "$kills" -ge $((ROUNDS * 2 / 3)) &&
    test "$(echo $seen | tr " " "\n" | sort -u | wc -l)" -ge 2
'

test_expect 'the tutor reads what the kills left, and keeps saving beside their temporary files' '
    f="$P/01-one-weight.progress" && test -e "$f" &&
    (cd "$SCRATCH" && "$BPTUTOR" --script "$TEST_DIR/dump" --size 80x24 >screen) &&
    ! grep -q "set aside" "$SCRATCH/screen" && grep -q "01-one-weight  *\(new\|step [1-7] of 13\)" "$SCRATCH/screen" &&
    printf "<Right>\n" >"$SCRATCH/one" && "$BPTUTOR" --no-quiz --script "$SCRATCH/one" 01 >/dev/null && resumed "$f"
'

test_expect 'a save removes the temporary files of saves whose process is gone, and no other' '
    dead=$(sh -c "echo \$\$") && live=$$ &&
    : >"$P/.bptutor-$dead-7.tmp" && : >"$P/.bptutor-$live-7.tmp" && : >"$P/.bptutor-$dead-7.tmp.keep" &&
    printf "<Right>\n" >"$SCRATCH/one" && "$BPTUTOR" --no-quiz --script "$SCRATCH/one" 01 >/dev/null &&
    test -z "$(cd "$P" && ls -A | grep "^\.bptutor-[0-9]*-[0-9]*\.tmp$" | grep -v "^\.bptutor-$live-7\.tmp$")" &&
    test -e "$P/.bptutor-$live-7.tmp" && test -e "$P/.bptutor-$dead-7.tmp.keep" && resumed "$P/01-one-weight.progress"
'

test_expect '--reset-progress also clears the temporary files the kills left' '
    "$BPTUTOR" --reset-progress >/dev/null && rm -f "$P/.bptutor-"*.tmp.keep && test -z "$(ls -A "$P")"
'

test_done
