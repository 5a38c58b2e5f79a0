#!/bin/sh
# One way to write a number in each kind of output: a NaN is "nan" everywhere (never "-nan", whose sign bit
# means nothing), and the screen's numbers, its formulas and its messages write an exponent one way, "1e−5".
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# log(x) − log(x) at x = 0 is −inf − (−inf): NaN from the first epoch on, with x86's negative default NaN
nan_lesson() {
    printf "param w = 1\ninput x = 0\nlet z = log(x) * w - log(x) * w\nloss L = z^2\nset epochs 3\n" >nan.lesson
}

test_expect 'a NaN is nan, never -nan, in every mode that prints numbers' '
    nan_lesson &&
    { "$BPTUTOR" --train nan.lesson && "$BPTUTOR" --dump --epochs 2 nan.lesson &&
      "$BPTUTOR" --dot --epochs 2 nan.lesson && "$BPTUTOR" --plain --epochs 2 nan.lesson &&
      "$BPTUTOR" --plain --format markdown nan.lesson; } >all &&
    grep -q "nan" all && ! grep -n -- "-nan\|−nan" all
'

test_expect 'a NaN is nan on the screen too: the step, the history and :check' '
    nan_lesson && printf "e\n<Dump>\n:check\n<Dump>\n2\n<Dump>\n3\n<Dump>\n" >s &&
    "$BPTUTOR" --no-quiz --script s --size 120x40 nan.lesson >screen &&
    grep -q "nan" screen && ! grep -n -- "-nan\|−nan" screen
'

test_expect 'a constant in a formula is written as the screen writes numbers: 10, 1e−5, not 1e+01, 1e-05' '
    printf "param w = 1\ninput x = 2\nlet a = w * 10 + 0.00001 * x\nloss L = a^2\n" >c.lesson &&
    "$BPTUTOR" --plain c.lesson >out &&
    grep -q "^a = w · 10 + 1e−5 · x = " out && ! grep -n "e+\|e-0" out
'
test_done
