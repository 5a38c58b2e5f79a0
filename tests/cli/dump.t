#!/bin/bash
# --dump: one line per named node, NAME<TAB>VALUE<TAB>GRAD (%.17g). The goldens are the hand values:
# lesson 01 at w = 0: ŷ = 0, s = −4, L = 16; ∂L/∂s = 2s = −8, ∂L/∂ŷ = −8, ∂L/∂w = −8·x = −16,
# ∂L/∂y = −∂L/∂s = 8, ∂L/∂x = −8·w = 0.
# lesson 02 at w = 0: s = −2, −4, −6, −8; L = mean(s²) = 30, ∂L/∂s = 2s/4 = s/2, ∂L/∂w = Σ (s/2)·x = −30.
# lesson 10 (the seed's loop) at w = 0: L = Σs² = 120, ∂L/∂w = Σ 2s·x = −120; the metric M = 30 is off the
# loss's path, so ∂L/∂M = 0.
. "$TOP/tests/lib.sh"
L1="$TOP/lessons/en/01-one-weight.lesson"
L2="$TOP/lessons/en/02-four-samples.lesson"
L10="$TOP/lessons/en/10-float32.lesson"
G="$TOP/tests/cli/golden"

test_expect 'lesson 01 at epoch 0 matches the values worked out by hand' '
    "$BPTUTOR" --dump "$L1" >out && test_cmp "$G/dump-01.out" out
'

test_expect 'lesson 02 at epoch 0 matches the values worked out by hand' '
    "$BPTUTOR" --dump "$L2" >out && test_cmp "$G/dump-02.out" out
'

test_expect 'lesson 10 at epoch 0 matches the values worked out by hand' '
    "$BPTUTOR" --dump "$L10" >out && test_cmp "$G/dump-10.out" out
'

test_expect 'after 10 float64 epochs, w follows the closed form 2(1 − 0.92^k)' '
    sed "s/^set precision .*/set precision float64/" "$L1" >f64.lesson &&
    "$BPTUTOR" --dump --epochs 10 f64.lesson >out &&
    awk -F "\t" "\$1 == \"w\" { d = \$2 - 2 * (1 - 0.92 ^ 10); exit !(d < 1e-12 && d > -1e-12) }" out &&
    awk -F "\t" "\$1 == \"L\" { d = \$2 - 16 * 0.8464 ^ 10; exit !(d < 1e-12 && d > -1e-12) }" out
'

test_expect 'under mixed precision the dumped w is its float32 image' '
    "$BPTUTOR" --dump --epochs 1 "$L1" >out &&
    grep -q "^w	0.15999999642372131	" out
'

test_expect 'a mean loss gives the true gradient −30 that the seed'\''s listing misses' '
    "$BPTUTOR" --dump "$L2" >out &&
    grep -q "^w	0	-30$" out && grep -q "^L	30	1$" out
'

test_done
