#!/bin/sh
# When PyTorch is installed (Debian's python3-torch), the committed reference values must be what it
# prints today. Without it these tests are skipped: the cmocka suite test_torch still checks the core
# against the committed file.
. "$TOP/tests/lib.sh"

test_lazy_prereq TORCH '/usr/bin/python3 -c "import torch"'

test_expect TORCH 'PyTorch still prints the committed reference values' '
    "$TOP/tests/torch/reference.py" >actual &&
    test_cmp "$TOP/tests/torch/reference.txt" actual
'
test_expect TORCH 'PyTorch still prints lesson 05s training table' '
    "$TOP/tests/torch/lesson05.py" >actual &&
    test_cmp "$TOP/tests/cli/golden/train-05.out" actual
'
test_done
