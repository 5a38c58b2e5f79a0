#!/bin/bash
# --check on the real lessons, the other modes' usage, and the exit statuses (0 fine, 2 bad usage or input).
. "$TOP/tests/lib.sh"
L1="$TOP/lessons/en/01-one-weight.lesson"
L2="$TOP/lessons/en/02-four-samples.lesson"

test_expect '--check on both lessons is silent with status 0' '
    "$BPTUTOR" --check "$L1" "$L2" >out 2>err && test ! -s out && test ! -s err
'

test_expect 'every shipped lesson passes --check' '
    "$BPTUTOR" --check "$TOP"/lessons/*/*.lesson
'

test_expect 'the complete example in lessons/FORMAT.md passes --check and trains' '
    sed -n "/^A complete lesson:/,/^## Names/p" "$TOP/lessons/FORMAT.md" | sed -n "s/^    //p" >example.lesson &&
    test "$(wc -l <example.lesson)" -gt 15 &&
    "$BPTUTOR" --check example.lesson &&
    "$BPTUTOR" --train --epochs 1 example.lesson >out &&
    echo "epoch: 1, loss: 16.00000000, w: 0.160, dw: -16.000" >expect && test_cmp expect out
'

test_expect '--check without a lesson is a usage error' '
    test_expect_code 2 "$BPTUTOR" --check 2>err && grep -q "needs at least one lesson" err
'

test_expect 'two modes at once are a usage error' '
    test_expect_code 2 "$BPTUTOR" --train --dump "$L1" 2>err && grep -q "choose one of" err
'

# usage_error MESSAGE ARG...: bptutor ARG... fails with status 2, MESSAGE and the pointer to --help.
usage_error() {
    printf "%s\n" "bptutor: $1" "Try 'bptutor --help' for more information." >expect &&
    shift &&
    test_expect_code 2 "$BPTUTOR" "$@" 2>err &&
    test_cmp expect err
}

test_expect 'an unknown option: getopt says so in its own words' '
    usage_error "unrecognized option '\''--frobnicate'\''" --frobnicate &&
    usage_error "invalid option -- '\''x'\''" -x
'

test_expect 'an ambiguous abbreviation names the options it could be' '
    usage_error "option '\''--e'\'' is ambiguous; possibilities: '\''--export'\'' '\''--epochs'\'' '\''--every'\''" --e &&
    usage_error "option '\''--d'\'' is ambiguous; possibilities: '\''--dump'\'' '\''--dot'\''" --d "$L1"
'

test_expect 'an argument to an option that takes none, and a missing one, are named' '
    usage_error "option '\''--train'\'' doesn'\''t allow an argument" --train=1 "$L1" &&
    usage_error "option '\''--epochs'\'' requires an argument" --train --epochs
'

test_expect 'an unambiguous abbreviation is the option' '
    "$BPTUTOR" --tr --ep 1 "$L1" >out && "$BPTUTOR" --train --epochs 1 "$L1" >expect && test_cmp expect out
'

test_expect 'bad numbers for --epochs and --every are usage errors' '
    test_expect_code 2 "$BPTUTOR" --train --epochs x "$L1" 2>err &&
    test_expect_code 2 "$BPTUTOR" --train --epochs -1 "$L1" 2>err &&
    test_expect_code 2 "$BPTUTOR" --train --every 0 "$L1" 2>err &&
    grep -q "^bptutor: --every needs a whole number from 1 to 1000000, not '\''0'\''$" err
'

test_expect '--every without --train is a usage error' '
    test_expect_code 2 "$BPTUTOR" --dump --every 2 "$L1" 2>err
'

test_expect '--train without a lesson is a usage error' '
    test_expect_code 2 "$BPTUTOR" --train 2>err && grep -q "which lesson" err
'

test_expect '--help and --version print to stdout with status 0' '
    "$BPTUTOR" --help >out && grep -q "^Usage: bptutor \[OPTION\]... \[LESSON\]" out &&
    "$BPTUTOR" --version >out && grep -q "^bptutor [0-9]" out
'

test_expect '--list shows the lessons with their titles' '
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" --list >out &&
    cat >expect <<-\EOT &&
	01-one-weight            One weight, one sample
	02-four-samples          Four samples: a batch and its mean
	03-fan-out               Fan-out: one value used twice
	04-gates                 Gate patterns: add distributes, multiply swaps, max routes
	05-neuron                A neuron: weights, a bias and tanh
	06-relu                  ReLU and dead units
	07-network               A 2-2-2 network by hand
	08-learning-rate         The learning rate: too small, right, too large
	09-zero-grad             Why zero_grad: gradients pile up
	10-float32               float32 and float64: why the post prints 4.79999924
	11-xor                   XOR: what one neuron cannot learn
	12-your-own              Your own model
	EOT
    test_cmp expect out
'

test_expect 'no arguments lists the lessons too' '
    BPTUTOR_PATH="$TOP/lessons" "$BPTUTOR" >out && grep -q "^01-one-weight " out
'

test_expect '--list finds nothing in an empty place: status 1, and says where it looked' '
    BPTUTOR_PATH="$SCRATCH" XDG_DATA_HOME="$SCRATCH/data" XDG_DATA_DIRS="$SCRATCH/share" &&
    export BPTUTOR_PATH XDG_DATA_HOME XDG_DATA_DIRS &&
    if test -d /usr/local/share/bptutor/lessons/en; then
        echo "(an installed copy is present)"
    else
        test_expect_code 1 "$BPTUTOR" --list >out 2>err &&
        echo "bptutor: no lessons found in $SCRATCH/en/, $SCRATCH/, $SCRATCH/data/bptutor/lessons/en/, $SCRATCH/share/bptutor/lessons/en/ or /usr/local/share/bptutor/lessons/en/" >expect &&
        test_cmp expect err
    fi
'

test_expect 'a lesson given alone, not on a terminal: a one-line notice, then the walkthrough as text' '
    "$BPTUTOR" "$L1" >out 2>err </dev/null && head -n 1 out >first &&
    echo "One weight, one sample" >expect && test_cmp expect first &&
    "$BPTUTOR" --plain "$L1" >plain && test_cmp plain out &&
    echo "bptutor: not a terminal, so here is the walkthrough as text (--plain)" >expect && test_cmp expect err
'

test_lazy_prereq DEV_FULL 'test -c /dev/full && test -w /dev/full'
test_expect DEV_FULL 'writing to a full disk is a runtime failure (status 1)' '
    test_expect_code 1 "$BPTUTOR" --train "$L1" >/dev/full 2>err && grep -q "cannot write" err
'

test_done
