#!/bin/sh
# bptutor --plain: the walkthrough as text, compared whole against transcripts read by hand.
. "$TOP/tests/lib.sh"
cd "$TOP" || exit 2

for lesson in 01-one-weight 02-four-samples; do
    test_expect "--plain on lesson $lesson matches its transcript" '
        "$BPTUTOR" --plain "$TOP/lessons/en/'$lesson'.lesson" >actual &&
        test_cmp "$TOP/tests/plain/'$lesson'.expect" actual
    '
done

test_expect '--plain --epochs 3 ends on the third row of the seed table' '
    "$BPTUTOR" --plain --epochs 3 "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    grep -c "^Epoch [0-9]* · Epoch start" actual >count && echo 3 | test_cmp - count &&
    grep "^epoch: " actual >rows &&
    "$BPTUTOR" --train --epochs 3 "$TOP/lessons/en/01-one-weight.lesson" | test_cmp - rows
'

test_expect 'the second epoch starts from the updated weight' '
    "$BPTUTOR" --plain --epochs 2 "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    grep -x "epoch 2, w = 0.16, η = 0.01" actual &&
    grep -x "ŷ = w · x = 0.16·2 = 0.32" actual &&
    grep -x "s = ŷ − y = 0.32 − 4 = −3.68" actual
'

test_expect 'a phase is narrated in the first epoch only, a node'"'"'s explanation every epoch with its numbers' '
    "$BPTUTOR" --plain --epochs 2 "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    test "$(grep -c "^Forward pass: compute every node from left to right" actual)" = 1 &&
    grep -x "The model.s guess is the weight times the input: with w = 0 it is ŷ = 0." actual &&
    grep -x "The model.s guess is the weight times the input: with w = 0.16 it is ŷ = 0.32." actual
'

test_expect '--plain works on the Traditional Chinese lessons' '
    "$BPTUTOR" --plain "$TOP/lessons/zh-TW/01-one-weight.lesson" >actual &&
    grep -x "w ← w − η·∂損失/∂w = 0 − 0.01·(−16) = 0.16" actual
'

test_expect '--plain needs a lesson' '
    test_expect_code 2 "$BPTUTOR" --plain 2>err && grep -q "which lesson" err
'
test_expect '--plain writes the graph first: each node the forward pass computes, with its inputs in order' '
    "$BPTUTOR" --plain "$TOP/lessons/en/05-neuron.lesson" >actual &&
    grep -x "w₁: a parameter, starting at 0.5." actual &&
    grep -x "x: an input, \[−1, 0, 1, 2\]." actual &&
    grep -x "z = w₁ · x + b₁, from w₁ · x and b₁." actual &&
    grep -x "h = tanh(z), from z." actual &&
    grep -x "s^2, from s and the constant 2." actual &&
    grep -x "L = mean(s^2), from s^2; the loss." actual &&
    test "$(grep -m1 -n "^h = tanh" actual | cut -d: -f1)" -lt "$(grep -n "^Epoch 1 · Epoch start" actual | cut -d: -f1)"
'

test_expect 'the first epoch ends with its quizzes and their answers, once however many epochs' '
    "$BPTUTOR" --plain --epochs 3 "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    test "$(grep -c "^Questions on epoch" actual)" = 1 &&
    test "$(grep -n "^Questions on epoch 1" actual | cut -d: -f1)" -gt "$(grep -n "^epoch: 1, loss" actual | cut -d: -f1)" &&
    test "$(grep -n "^Questions on epoch 1" actual | cut -d: -f1)" -lt "$(grep -n "^Epoch 2 · Epoch start" actual | cut -d: -f1)" &&
    grep -x "1. After the forward pass, what is s? (step 3, Forward pass 2/3)" actual &&
    grep -x "   Answer: −4 (ŷ − y)" actual &&
    grep -x "   Answer: 0.16 (w − η · grad(w))" actual
'

test_expect '--no-answers leaves every answer blank and keeps the questions and hints' '
    "$BPTUTOR" --plain --no-answers "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    test "$(grep -c "^   Answer: ________________$" actual)" = 4 &&
    ! grep "Answer: −4" actual &&
    grep -x "   Hint: s = ŷ − y, and ŷ is 0." actual
'

test_expect '--no-answers is a worksheet: each question at its step, the step'"'"'s result held, no answer before its question' '
    for format in text markdown; do
        "$BPTUTOR" --plain --no-answers --format $format "$TOP/lessons/en/03-fan-out.lesson" >actual &&
        grep -q "s = q − y = 3 − 6 = ?" actual && ! grep -q "Questions on epoch\|epoch: 1, loss" actual &&
        first() { grep -n -- "$1" actual | head -n 1 | cut -d: -f1; } &&
        test "$(first "What is ∂L/∂s")" -lt "$(first "(−6)\|= −6")" &&
        test "$(first "What is ∂L/∂w")" -lt "$(first "= −18")" &&
        test "$(first "What is w after")" -lt "$(first "1\.36")" || return 1
    done
'

test_expect 'the teacher'"'"'s notes only with --notes, filled in, after the first epoch'"'"'s start' '
    "$BPTUTOR" --plain "$TOP/lessons/en/01-one-weight.lesson" >student &&
    ! grep "For the teacher" student &&
    "$BPTUTOR" --plain --notes --epochs 2 "$TOP/lessons/en/01-one-weight.lesson" >teacher &&
    test "$(grep -c "^For the teacher:" teacher)" = 1 &&
    grep -x "With zero_grad on, each epoch multiplies the distance from w to 2 by 1 − 2ηx² = 0.92:" teacher &&
    test "$(grep -n "^For the teacher:" teacher | cut -d: -f1)" -lt "$(grep -n "^Epoch 1 · Forward pass 1/3" teacher | cut -d: -f1)"
'

test_expect '--format markdown on lesson 01 with --notes matches its transcript' '
    "$BPTUTOR" --plain --format markdown --notes "$TOP/lessons/en/01-one-weight.lesson" >actual &&
    test_cmp "$TOP/tests/plain/01-one-weight.md.expect" actual
'

test_expect 'Markdown escapes what a lesson writes, so that a star or an underscore stays a character' '
    cat >star.lesson <<-\EOF &&
	title A *star* and a_b
	param w_1 = 1
	input x = 2
	let p = w_1 * x
	loss L = p^2
	say intro # not a heading; 1. not a list; <b>not a tag</b> and a lone ` backtick
	say intro `:set w_1 2` is code, and *so* is ``a ` b``
	EOF
    "$BPTUTOR" --plain --format markdown star.lesson >actual &&
    grep -x "# A \\\\\\*star\\\\\\* and a\\\\_b" actual &&
    grep -x "\\\\# not a heading; 1. not a list; \\\\<b\\\\>not a tag\\\\</b\\\\> and a lone \\\\\` backtick" actual &&
    grep -x "\`:set w_1 2\` is code, and \\\\\\*so\\\\\\* is \`\`a \` b\`\`" actual &&
    grep -x -- "- \`p = w_1 · x\`, from \`w_1\` and \`x\`." actual
'

test_lazy_prereq CMARK 'command -v cmark'
test_expect CMARK 'a Markdown viewer shows every formula as code and nothing as emphasis but the teacher'"'"'s heading' '
    for lesson in 01-one-weight 02-four-samples 05-neuron; do
        "$BPTUTOR" --plain --format markdown --notes "$TOP/lessons/en/$lesson.lesson" | cmark >html || return 1
        test "$(grep -c "<em>" html)" = 0 || return 1
        test "$(grep -o "<strong>[^<]*</strong>" html | sort -u)" = "<strong>For the teacher</strong>" || return 1
        grep -q "<p><code>epoch: 1, loss: [0-9.]*, w" html || return 1
        grep -q "<h3>Forward pass 1/" html || return 1
        grep -q "<li><code>s = ŷ − y</code>, from <code>ŷ</code> and <code>y</code>.</li>" html || return 1
    done
'

# A lesson writes `:set w 2` for the command to type: a pair of backtick runs as long as each other on one line
# is a code span in the handout, its inside as written; a backtick without its pair is a backtick.
test_expect CMARK 'a Markdown viewer shows a lesson'"'"'s backtick pairs as code, and a lone backtick as itself' '
    cat >code.lesson <<-\EOF &&
	title Code: `a_b`
	param w = 1
	input x = 2
	let p = w * x
	loss L = p^2
	say intro Type `:set w 2` or ``a ` b``; a lone ` stays, and so does *this*.
	note `:check` <b>for</b> the teacher
	quiz forward p: What does `p` print, with *w* = {w}?
	answer w * x
	hint `w * x`, with w_1 outside
	EOF
    cat >expect <<-\EOF &&
	<h1>Code: <code>a_b</code></h1>
	<p>Type <code>:set w 2</code> or <code>a ` b</code>; a lone ` stays, and so does *this*.</p>
	<p><code>:check</code> &lt;b&gt;for&lt;/b&gt; the teacher</p>
	<li>What does <code>p</code> print, with *w* = 1? (step 2, Forward pass 1/2)<br />
	Hint: <code>w * x</code>, with w_1 outside<br />
	EOF
    "$BPTUTOR" --plain --format markdown --notes code.lesson | cmark >html &&
    grep -F -x -f expect html >found && test_cmp expect found &&
    ! grep -q "<em>" html &&
    "$BPTUTOR" --plain --notes code.lesson >text && grep -F -x "   Hint: \`w * x\`, with w_1 outside" text &&
    "$BPTUTOR" --plain --format markdown --notes "$TOP/lessons/en/12-your-own.lesson" | cmark >html &&
    grep -F -x "<code>:check</code> is the habit to teach: a numeric gradient, (L(θ + ε) − L(θ − ε)) / 2ε, catches a wrong hand-written backward at once." html &&
    ! grep -q "A neuron with a bias" html # the guide is try lines: keys for the screen, not for paper
'

test_expect 'a screen reader meets no box-drawing or block characters in any handout' '
    for f in "$TOP"/lessons/*/*.lesson; do
        for how in "" "--notes --format markdown"; do
            "$BPTUTOR" --plain $how --epochs 2 "$f" || return 1
        done
    done >all &&
    test -s all &&
    ! grep -nP "[\\x{2500}-\\x{259F}]" all
'

test_expect 'the handout options go with --plain, and --format knows text and markdown' '
    test_expect_code 2 "$BPTUTOR" --notes --train 1 2>err && grep -q "notes goes with --plain" err &&
    test_expect_code 2 "$BPTUTOR" --no-answers --dot 1 2>err && grep -q "no-answers goes with --plain" err &&
    test_expect_code 2 "$BPTUTOR" --plain --format html 1 2>err && grep -q "is text or markdown" err &&
    "$BPTUTOR" --plain --format text 1 >text && "$BPTUTOR" --plain 1 | test_cmp - text
'

test_done
