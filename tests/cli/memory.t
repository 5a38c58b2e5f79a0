#!/bin/sh
# What the walkthrough keeps is bounded (issue 10, with issue 14's cap): the newest 10,000 history rows, and
# the starting points of at most 10,000 epochs or 16 MiB, so a million epochs of :train take no more memory
# than a few thousand. Held with a limit on the address space (ulimit -v), never a clock.
. "$TOP/tests/lib.sh"

# ulimit -v takes, and the binary is not built with a sanitizer (which reserves terabytes of address space)
test_lazy_prereq ADDRESS_LIMIT '(ulimit -v 100000) && ! grep -q "__asan_init\|__tsan_init\|__msan_init" "$BPTUTOR"'

# ten weights and two thousand samples
big_lesson() {
    awk 'BEGIN {
        print "title ten weights, two thousand samples"
        for (i = 1; i <= 10; i++) printf "param w%d = 0\n", i
        printf "input x = "; for (i = 0; i < 2000; i++) printf "%s%d", i ? "," : "", (i * 7) % 10; print ""
        printf "input y = "; for (i = 0; i < 2000; i++) printf "%s%d", i ? "," : "", (i * 3) % 10; print ""
        printf "let a = w1"; for (i = 2; i <= 10; i++) printf " + w%d", i; print ""
        print "let s = a * x - y"; print "loss L = mean(s^2)"; print "set lr 0.001"
    }'
}

test_expect ADDRESS_LIMIT 'a million epochs of :train on ten weights and 2000 samples run in 60 MB of address space' '
    big_lesson >big.lesson &&
    printf ":train 1000000\n<Dump>\n<Left>\n<Dump>\n2\n<Dump>\n" >s &&
    (ulimit -v 61440 && exec "$BPTUTOR" --no-quiz --script s --size 80x24 big.lesson) >out 2>err &&
    test ! -s err &&
    sed -n 1p out | grep -q "epoch 1000001 · Epoch start 1/1 · step 1 of 70$" &&
    sed -n 24p out | grep -q "trained 1000000 epochs" &&
    sed -n 25p out | grep -q "epoch 1000000 · End of epoch 1/1 · step 70 of 70$" &&
    sed -n 49p out | grep -q "epoch 1000000 · End of epoch 1/1" &&
    sed -n 51,72p out | grep -q "^  1000000 "
'

test_expect ADDRESS_LIMIT 'going back past the kept epochs says so, and stops' '
    big_lesson >big.lesson &&
    { printf ":train 600\n"; i=0; while [ $i -lt 5000 ]; do echo "["; i=$((i + 1)); done; printf "<Dump>\n<Left>\n<Dump>\n"; } >s &&
    (ulimit -v 61440 && exec "$BPTUTOR" --no-quiz --script s --size 80x24 big.lesson) >out 2>err &&
    test ! -s err &&
    first=$(sed -n 1p out | sed "s/.*epoch \([0-9]*\) · Epoch start.*/\1/") &&
    test "$first" -gt 1 && test "$first" -lt 600 &&
    sed -n 24p out | grep -q "older epochs are not kept: this is as far back as it goes" &&
    sed -n 25p out | grep -q "epoch $first · Epoch start 1/1" &&
    sed -n 48p out | grep -q "older epochs are not kept: this is as far back as it goes"
'

test_done
