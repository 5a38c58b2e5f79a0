#!/bin/sh
# The end of an epoch shows the row the seed's loop prints and, under it, the PyTorch line that prints it: the
# line must print the same fields in the same order and formats (%.8f for the loss, %.3f for each value and
# .grad), in every lesson, English and Traditional Chinese, and with a metric (lesson 10) its name.
. "$TOP/tests/lib.sh"

for lesson in "$TOP"/lessons/en/*.lesson "$TOP"/lessons/zh-TW/*.lesson; do
    name=$(basename "$(dirname "$lesson")")/$(basename "$lesson" .lesson)
    test_expect "$name: the PyTorch line at the end of the epoch prints the row's fields" '
        "$BPTUTOR" --plain --epochs 1 "'"$lesson"'" >out &&
        grep "^epoch: " out | head -1 >row && test -s row &&
        grep "^PyTorch: print(" out | tail -1 >py && test -s py &&
        if grep -q "for n, p in params.items()" py; then
            # too many parameters for the line: a loop over them by name prints them all, in the row'"'"'s formats
            grep -qx "PyTorch: print(f\"epoch: {epoch}, loss: {[A-Za-z0-9_]*\.item():\.8f}\" + \"\"\.join(f\", {n}: {p:\.3f}, d{n}: {p\.grad:\.3f}\" for n, p in params\.items()))" py &&
            test "$(grep -o "[A-Za-z_][A-Za-z0-9_]*: " row | wc -l)" -gt 4 &&
            # params, as --export python defines it: the row'"'"'s names in its order
            grep -o "[A-Za-z_][A-Za-z0-9_]*: " row | tr -d " :" | sed "1,2d" | awk "NR % 2 == 1" >want &&
            "$BPTUTOR" --export python "'"$lesson"'" >script.py &&
            sed -n "s/^params = {\(.*\)}\$/\1/p" script.py | sed "s/, /\n/g" | sed "s/\"\([^\"]*\)\": .*/\1/" >got &&
            test_cmp want got
            exit
        fi &&
        grep -o "[A-Za-z_][A-Za-z0-9_]*: " row | tr -d " " >want &&
        grep -o "[A-Za-z_][A-Za-z0-9_]*: {" py | tr -d " {" >got &&
        test_cmp want got &&
        sed "s/^epoch: [0-9]*, loss: [-0-9.a-z]*//; s/: -*[0-9.a-z]*/: F/g" row >rowf &&
        sed "s/^PyTorch: print(f\"epoch: {epoch}, loss: {[A-Za-z0-9_]*\.item():\.8f}//; s/: {[^}]*:\.3f}/: F/g; s/\")\$//" py >pyf &&
        test_cmp rowf pyf
    '
done

test_done
