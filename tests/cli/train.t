#!/bin/bash
# --train reproduces the seed's two printed tables byte for byte (golden/train-01.out and train-10.out are
# copied from /work/shared/seed/NOTES.md), and --epochs / --every pick the rows. Lesson 02 teaches the mean
# the seed's second loop meant: its loss and w columns are that table's, its dw a quarter of it.
. "$TOP/tests/lib.sh"
L1="$TOP/lessons/en/01-one-weight.lesson"
L2="$TOP/lessons/en/02-four-samples.lesson"
L5="$TOP/lessons/en/05-neuron.lesson"
L10="$TOP/lessons/en/10-float32.lesson"
G="$TOP/tests/cli/golden"

test_expect 'lesson 01 prints the seed'\''s first table' '
    "$BPTUTOR" --train "$L1" >out 2>err && test_cmp "$G/train-01.out" out && test ! -s err
'

test_expect 'lesson 10 prints the seed'\''s second table' '
    "$BPTUTOR" --train "$L10" >out 2>err && test_cmp "$G/train-10.out" out && test ! -s err
'

test_expect 'lesson 02 (the mean at four times η) prints the loss and w columns of the seed'\''s second table' '
    "$BPTUTOR" --train "$L2" >out 2>err && test_cmp "$G/train-02.out" out && test ! -s err &&
    cut -d, -f1-3 "$G/train-10.out" >expect && cut -d, -f1-3 out >actual && test_cmp expect actual
'

test_expect 'lesson 02'\''s dw is a quarter of the seed'\''s: the mean'\''s 1/N' '
    "$BPTUTOR" --train "$L2" >out &&
    sed "s/.*dw: //" "$G/train-10.out" >sum && sed "s/.*dw: //" out >mean &&
    awk "NR == FNR { s[FNR] = \$1; next } { d = s[FNR] / 4 - \$1; if (d > 0.001 || d < -0.001) exit 1 }" sum mean
'

test_expect '--every 4 prints epochs 4, 8 and the last' '
    "$BPTUTOR" --train --every 4 "$L1" >out &&
    sed -n "4p;8p;10p" "$G/train-01.out" >expect && test_cmp expect out
'

test_expect '--epochs 3 prints three rows, the same as the table'\''s first three' '
    "$BPTUTOR" --train --epochs 3 "$L2" >out &&
    head -n 3 "$G/train-02.out" >expect && test_cmp expect out
'

test_expect '--epochs 0 prints nothing' '
    "$BPTUTOR" --train --epochs 0 "$L1" >out && test ! -s out
'

test_expect 'options may come after the lesson (GNU order)' '
    "$BPTUTOR" "$L1" --train --epochs=2 >out &&
    head -n 2 "$G/train-01.out" >expect && test_cmp expect out
'

test_expect 'the listing'\''s own data (x = 2, 4, 6, 8) diverges at lr 0.01' '
    sed -e "s/^input x = .*/input x = 2, 4, 6, 8/" -e "s/^input y = .*/input y = 4, 8, 12, 16/" \
        -e "s/^set precision .*/set precision float64/" "$L10" >listing.lesson &&
    "$BPTUTOR" --train --epochs 4 listing.lesson >out &&
    cat >expect <<-\EOT &&
	epoch: 1, loss: 120.00000000, w: 4.800, dw: -480.000
	epoch: 2, loss: 235.20000000, w: -1.920, dw: 672.000
	epoch: 3, loss: 460.99200000, w: 7.488, dw: -940.800
	epoch: 4, loss: 903.54432000, w: -5.683, dw: 1317.120
	EOT
    test_cmp expect out
'

test_expect 'two parameters print in declaration order' '
    cat >two.lesson <<-\EOT &&
	param w = 1
	param b = 0
	input x = 2
	input y = 5
	let s = w * x + b - y
	loss L = s^2
	set lr 0.1
	EOT
    "$BPTUTOR" --train --epochs 1 two.lesson >out &&
    echo "epoch: 1, loss: 9.00000000, w: 2.200, dw: -12.000, b: 0.600, db: -6.000" >expect &&
    test_cmp expect out
'

test_expect 'a batched parameter prints its values comma-separated' '
    printf "param w = 1, 2\ninput x = 1, 1\ninput y = 2, 2\nlet s = w * x - y\nloss L = sum(s^2)\nset lr 0.1\n" >batch.lesson &&
    "$BPTUTOR" --train --epochs 1 batch.lesson >out &&
    echo "epoch: 1, loss: 1.00000000, w: 1.200,2.000, dw: -2.000,0.000" >expect &&
    test_cmp expect out
'

test_expect 'lesson numbers and slugs are found through BPTUTOR_PATH' '
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --train 1 >a &&
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --train 01 >b &&
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --train four-samples >c &&
    BPTUTOR_PATH="/nonexistent:$TOP/lessons/en" "$BPTUTOR" --train 02-four-samples >d &&
    test_cmp "$G/train-01.out" a && test_cmp "$G/train-01.out" b &&
    test_cmp "$G/train-02.out" c && test_cmp "$G/train-02.out" d
'

test_expect 'an unknown lesson name is bad input (status 2)' '
    test_expect_code 2 env BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --train 99 2>err &&
    grep -q "^bptutor: no lesson '\''99'\''" err
'

test_expect 'lesson 05 trains exactly as torch.optim.SGD does (golden made by tests/torch/lesson05.py)' '
    "$BPTUTOR" --train "$L5" >out 2>err && test_cmp "$G/train-05.out" out && test ! -s err
'

test_done
