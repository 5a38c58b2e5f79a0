#!/bin/sh
# When PyTorch is installed (Debian's python3-torch), the committed reference values must be what it
# prints today. Without it this test is skipped: the cmocka suite test_torch still checks the core
# against the committed file.
. "$TOP/tests/lib.sh"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "ok 1 # skip python3-torch is not installed"
    echo "1..1"
    exit 0
fi
test_expect 'PyTorch still prints the committed reference values' '
    "$TOP/tests/torch/reference.py" >actual &&
    test_cmp "$TOP/tests/torch/reference.txt" actual
'
test_expect 'PyTorch still prints lesson 03s training table' '
    "$TOP/tests/torch/lesson03.py" >actual &&
    test_cmp "$TOP/tests/cli/golden/train-03.out" actual
'
test_done
