#!/bin/sh
# Going back is exact, for every kind of change (issue 10). Random walks of the headless tutor — forward and
# back by steps, phases and epochs, training, and :set of every setting, a parameter and an input at random
# points — with the screen dumped after each action, in the graph view and in the history view.
#
# The model: the screen seen at (epoch e, step i) stays what (e, i) shows until a change is typed while the walk
# is in epoch e or an earlier one (going back to an earlier epoch and changing it makes every later epoch new).
# Whenever the walk is back at (e, i) and what was seen there still stands, both views must be byte-identical
# to it; only the bottom row, where messages go, is ignored.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# walk SEED PARAM INPUT: a random walk of 300 actions (one a line; a change starts with ':'), seeded.
walk() {
    awk -v seed="$1" -v param="$2" -v input="$3" 'BEGIN {
        srand(seed)
        split("float64 float32 mixed", precision, " ")
        for (i = 0; i < 300; i++) {
            r = rand()
            if (r < 0.36) a = "<Right>"
            else if (r < 0.62) a = "<Left>"
            else if (r < 0.67) a = "]"
            else if (r < 0.72) a = "["
            else if (r < 0.75) a = "e"
            else if (r < 0.77) a = "t"
            else {
                k = int(rand() * 6)
                if (k == 0) a = sprintf(":set lr %g", 0.002 + int(rand() * 20) / 200)
                else if (k == 1) a = sprintf(":set epochs %d", 1 + int(rand() * 3))
                else if (k == 2) a = ":set precision " precision[1 + int(rand() * 3)]
                else if (k == 3) a = ":zerograd " (rand() < 0.5 ? "on" : "off")
                else if (k == 4) a = sprintf(":set %s %g", param, int(rand() * 17 - 8) / 8)
                else a = sprintf(":set %s %g", input, 1 + int(rand() * 8) / 4)
            }
            print a
        }
    }'
}

# keys ACTIONS: the key script: each action, then a dump of the graph view and one of the history view.
keys() {
    while IFS= read -r a; do
        printf '%s\n<Dump>\n2\n<Dump>\n1\n' "$a"
    done <"$1"
}

# check ACTIONS DUMPS ROWS: hold the dumps to the model above; prints what differs and fails.
check() {
    awk -v rows="$3" '
        NR == FNR { action[++n] = $0; next }
        {
            line = (FNR - 1) % rows + 1
            screen = int((FNR - 1) / rows)         # two a record: graph, then history
            if (line < rows) text[screen % 2] = text[screen % 2] $0 "\n"
            if (line == 1 && screen % 2 == 0) {
                if (!match($0, /epoch [0-9]+ · /)) { print "no status line: " $0; bad = 1; exit }
                e = substr($0, RSTART + 6, RLENGTH - 9) + 0
                match($0, /step [0-9]+ of/); i = substr($0, RSTART + 5, RLENGTH - 8) + 0
            }
            if (line < rows || screen % 2 == 0) next
            rec = int(screen / 2) + 1; key = e " " i
            if (substr(action[rec], 1, 1) == ":") {    # a change in epoch e: e and later are new
                for (k in seen) { split(k, p, " "); if (p[1] + 0 >= e) delete seen[k] }
            } else if (key in seen && (seen[key] != text[0] || hist[key] != text[1])) {
                printf "action %d (%s): back at epoch %d step %d, the screen is not what it was\n", rec, action[rec], e, i
                printf "--- then\n%s%s--- now\n%s%s", seen[key], hist[key], text[0], text[1]
                bad = 1; exit
            }
            if (!(key in seen)) { seen[key] = text[0]; hist[key] = text[1]; checked++ }
            else returns++
            text[0] = text[1] = ""
        }
        END {
            if (bad) exit 1
            if (returns < 30) { printf "only %d returns to a screen seen before: the walk proves little\n", returns; exit 1 }
        }
    ' "$1" "$2"
}

for t in "01 80x24 w x 24 1" "01 80x24 w y 24 2" "02 80x24 w x[2] 24 3" "02 80x24 w y[4] 24 4" \
         "05 120x40 w1 x[1] 40 5" "05 120x40 b2 y[3] 40 6"; do
    set -- $t
    test_expect "going back is exact in lesson $1 at $2, with every setting, $3 and $4 changed on the way (seed $6)" '
        walk '"$6"' '"$3"' '"$4"' >actions && keys actions >script &&
        "$BPTUTOR" --no-quiz --script script --size '"$2"' '"$1"' >dumps 2>err && test ! -s err &&
        ! grep -q "^ :" dumps &&
        check actions dumps '"$5"'
    '
done

test_done
