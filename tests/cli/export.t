#!/bin/sh
# --export python and :export python: a PyTorch script of the model as it stands, which prints the table of
# --train. Where Debian's python3-torch is installed, each script is run and its table compared with
# --train's digit for digit in float64; elsewhere those tests say skip.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

test_lazy_prereq TORCH '/usr/bin/python3 -c "import torch"'
test_lazy_prereq PYTHON3 'command -v python3'

# float64 LESSON: the lesson with its precision set to float64 (a later set wins)
float64() {
    cat "$TOP/lessons/en/$1.lesson" && echo "set precision float64"
}

for lesson in 01-one-weight 02-four-samples 05-neuron; do
    test_expect TORCH "the script of lesson $lesson prints --train's table digit for digit in float64" '
        float64 '$lesson' >l.lesson &&
        "$BPTUTOR" --export python l.lesson >model.py &&
        /usr/bin/python3 model.py >actual &&
        "$BPTUTOR" --train l.lesson >expect && test "$(wc -l <expect)" -ge 10 &&
        test_cmp expect actual
    '
done

every_lesson() {
    cat >every.lesson <<\EOF
title Every operation, a batch of weights, a metric, and names Python keeps for itself
param lambda = 0.5
param b = 0.1, -0.2, 0.3
input x = 1, 2, 3
input y = 0.5, 1, 1.5
let a = lambda * x + b
let c = tanh(a) - sigmoid(a) / 2 + relu(a - 1)
let d = exp(-c) + log(x + 1)
let print = d ^ 2 - c * (x - (y - 1)) + 1e-5 * x - -2
loss L = mean((print - y)^2) + sum(b^2) / 10
metric M = mean((print - y)^2)
set lr 0.05
set epochs 15
set precision float64
EOF
}

test_expect TORCH 'every operation, a batch parameter, a metric and a reserved name: the same table' '
    every_lesson && "$BPTUTOR" --export python every.lesson >model.py &&
    grep -q "^lambda_ = torch.tensor(0.5, requires_grad=True)$" model.py &&
    grep -q "return L, M" model.py &&
    /usr/bin/python3 model.py >actual &&
    "$BPTUTOR" --train every.lesson >expect && test_cmp expect actual
'

test_expect PYTHON3 'the script is Python that compiles, whatever the lesson names its nodes' '
    every_lesson && "$BPTUTOR" --export python every.lesson >model.py &&
    python3 -c "import ast, sys; ast.parse(open(sys.argv[1]).read())" model.py
'

test_expect 'the script keeps the lesson'"'"'s lr, epochs and precision, and --epochs sets its epochs' '
    "$BPTUTOR" --export python 1 >model.py &&
    grep -q "lr=0.01)" model.py && grep -q "range(1, 11)" model.py &&
    grep -q "^torch.set_default_dtype(torch.float32)$" model.py &&
    grep -q "^w = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)$" model.py &&
    grep -q "^    yhat = w.float() \* x  # w · x$" model.py &&
    "$BPTUTOR" --export python --epochs 3 1 | grep -q "range(1, 4)"
'

test_expect TORCH ':export python writes the model as it stands: after :set and :let, with the walk'"'"'s settings' '
    printf ":set precision float64\n:set lr 0.02\n:set epochs 7\n:set w 0.5\n:let z = tanh(w * x)\n:loss L = (z - y)^2\n:export python m.py\n<Dump>\n" >s &&
    "$BPTUTOR" --no-quiz --script s --size 100x24 01 >screen &&
    grep -q "the model is in m.py: python3 m.py trains it 7 epochs" screen &&
    grep -q "lr=0.02)" m.py &&
    /usr/bin/python3 m.py >actual &&
    printf "param w = 0.5\ninput x = 2\ninput y = 4\nset lr 0.02\nset epochs 7\nset precision float64\nlet z = tanh(w * x)\nloss L = (z - y)^2\n" >edited.lesson &&
    "$BPTUTOR" --train edited.lesson >expect && test "$(wc -l <expect)" = 7 &&
    test_cmp expect actual
'

test_expect ':export python with zero_grad off leaves optimizer.zero_grad() out, and refuses a file that is there' '
    echo precious >m.py &&
    printf ":zerograd off\n:export python m.py\n<Dump>\n:export! python m.py\n<Dump>\n" >s &&
    "$BPTUTOR" --no-quiz --script s --size 100x24 01 >screen &&
    grep -q "m.py is already there: :export! python m.py replaces it" screen &&
    grep -q "^    # optimizer.zero_grad()  # zero_grad is off" m.py
'

test_expect '--export writes python only, and needs a lesson' '
    test_expect_code 2 "$BPTUTOR" --export svg 1 2>err && grep -q "export writes python, not .svg." err &&
    test_expect_code 2 "$BPTUTOR" --export python 2>err && grep -q "which lesson" err
'
test_done
