#!/bin/sh
# A lesson's title names the model as shipped ("A neuron: weights, a bias and tanh"): once the learner changes
# the model it is no longer the model's name, and the status line says where the model came from instead; a
# change of numbers (:set) is no change of the model, and :reset brings the title back. Both languages.
. "$TOP/tests/lib.sh"
export BPTUTOR_PATH="$TOP/lessons"

# head LANG KEYS…: the status line (the first row) after each :save-display of lesson 05 at 120 columns
head_after() {
    lang=$1
    shift
    printf '%s\n' "$@" >keys &&
    "$BPTUTOR" --script keys --size 120x40 --no-quiz --lang "$lang" 05 | awk 'NR % 40 == 1'
}

test_expect "en: an edit of the model marks the title as the model's origin" '
    head_after en ":let h = sigmoid(z)" "<Dump>" >out && cat out >&2 &&
    grep -q "^ Edited from: A neuron: weights, a bias and tanh  " out
'
test_expect "zh-TW: the same, in Chinese" '
    head_after zh-TW ":let h = sigmoid(z)" "<Dump>" >out && cat out >&2 &&
    grep -q "^ 修改自「一個神經元：權重、偏差與 tanh」" out
'
test_expect "en: a setting is not a model edit: the title stays as it is" '
    head_after en ":set lr 0.1" "<Dump>" >out && cat out >&2 &&
    grep -q "^ A neuron: weights, a bias and tanh  " out
'
test_expect "en: :reset brings the model, and its title, back" '
    head_after en ":let h = sigmoid(z)" ":reset" "<Dump>" >out && cat out >&2 &&
    grep -q "^ A neuron: weights, a bias and tanh  " out
'
test_expect "en: a title the learner typed is theirs" '
    head_after en ":let h = sigmoid(z)" ":title My sigmoid neuron" "<Dump>" >out && cat out >&2 &&
    grep -q "^ My sigmoid neuron  " out
'
test_expect "en: :export python after an edit says the same in the script's first comment" '
    head_after en ":let h = sigmoid(z)" ":export python edited.py" >/dev/null &&
    head_after en ":export python shipped.py" >/dev/null &&
    sed -n 2p edited.py >&2 && sed -n 2p shipped.py >&2 &&
    sed -n 2p edited.py | grep -q "^# Edited from A neuron: weights, a bias and tanh: the model as a PyTorch script" &&
    sed -n 2p shipped.py | grep -q "^# A neuron: weights, a bias and tanh: the model as a PyTorch script"
'

test_done
