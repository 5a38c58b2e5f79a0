#!/bin/sh
# The interface in the learner's language (issue 13): every string on the screen goes through GNU gettext,
# po/zh_TW.po translates all of them, and the language is the lessons' own (--lang, else LANGUAGE, LC_ALL,
# LC_MESSAGES, LANG), so a zh-TW lesson never runs inside an English interface. tests/run points
# BPTUTOR_LOCALEDIR at build/locale, where make builds the catalogues.
. "$TOP/tests/lib.sh"
PO="$TOP/po/zh_TW.po" POT="$TOP/po/bptutor.pot"

test_lazy_prereq MSGFMT 'command -v msgfmt'
test_lazy_prereq XGETTEXT 'command -v xgettext && command -v msgcmp'

# zh SCRIPT ARGS...: the tutor replaying SCRIPT headlessly at 80x24 on a zh-TW lesson.
zh() {
    _s=$1
    shift
    "$BPTUTOR" --script "$_s" --size 80x24 --lang zh-TW "$@"
}

# A walk through lesson 01 as a learner takes it: every quiz answered wrong (its hint), then shown (Tab), then
# on to the end; the help, the history, the loss curve and the teacher's notes; a zoom and training.
walk_script() {
    echo "<Dump>"
    i=0
    while [ $i -lt 16 ]; do
        printf '<Type 99>\n<Enter>\n<Dump>\n<Tab>\n<Dump>\n<Right>\n<Dump>\n'
        i=$((i + 1))
    done
    printf '?\n<Dump>\n<Esc>\n2\n<Dump>\n3\n<Dump>\n<Esc>\nT\n<Dump>\nT\nz\n<Dump>\nt\n<Dump>\n'
}

test_expect MSGFMT 'po/zh_TW.po is well formed and complete: no untranslated, no fuzzy entry' '
    msgfmt --check --statistics -o /dev/null "$PO" 2>stats &&
    cat stats >&2 &&
    grep -q "^[0-9]* translated messages\.$" stats &&
    ! grep -q "untranslated\|fuzzy" stats
'

# The makes below run with -n and BUILD in the scratch directory, so that they leave build/flags alone (a
# make CC=clang check must not be rebuilt by a test).
test_expect XGETTEXT 'po/bptutor.pot is what xgettext makes of the sources today (make pot)' '
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$TOP" --no-print-directory -n -B BUILD="$SCRATCH/b" po/bptutor.pot >cmd &&
    grep -q "^xgettext .* -o po/bptutor.pot " cmd &&
    (cd "$TOP" && sh -c "$(sed "s|-o po/bptutor.pot|-o $SCRATCH/fresh.pot|" "$SCRATCH/cmd")") 2>/dev/null &&
    grep -v "^\"POT-Creation-Date: " fresh.pot >fresh && grep -v "^\"POT-Creation-Date: " "$POT" >kept &&
    test_cmp kept fresh
'

test_expect XGETTEXT 'po/zh_TW.po has every string of po/bptutor.pot' '
    msgcmp "$PO" "$POT"
'

test_expect 'the build tree has the compiled catalogue the tests use' '
    test -f "$BPTUTOR_LOCALEDIR/zh_TW/LC_MESSAGES/bptutor.mo"
'

test_expect 'a zh-TW lesson walked to the end shows no English interface text' '
    walk_script >s && zh s 01 >screens 2>err && test ! -s err &&
    test "$(grep -c "答案是" screens)" -ge 4 && grep -q "提示：" screens && grep -q "按鍵" screens &&
    grep -q "各輪紀錄" screens && grep -q "每輪的損失" screens && grep -q "教師備註" screens &&
    grep -v "^ PyTorch：" screens >shown &&
    for english in "epoch [0-9]" "step [0-9]" "STEP" " of [0-9]" "Quiz" "Hint" "Not 99" "Try again" \
        "Right:" "The answer" "Skipped" "Your answer" "checks" "shows the" "leaves" "a number or" \
        "Epoch start" "Forward pass" "Local gradients" "Chain rule" "Update" "End of epoch" \
        "intro [0-9]" "forward [0-9]" "local [0-9]" "chain [0-9]" "update [0-9]" "epoch [0-9]/" \
        " next " " back " " phase " " train " " views " " help " " zoom " " quit " "Keys" "Commands" \
        "Moving through" "Epoch history" "Loss per epoch" "Teacher notes" "goes back" "PyTorch:" "zoom " \
        "scale" "training" "trained" "no quiz" "classroom"; do
        if grep -n -e "$english" shown >&2; then echo "English left on the screen: $english" >&2; exit 1; fi
    done
'

test_expect 'the status line and the key bar of a zh-TW lesson have no English word but key names' '
    walk_script >s && zh s 01 >screens &&
    { awk "NR % 24 == 1" screens && grep "q 離開$" screens; } >edges &&
    test -s edges &&
    ! grep -o "[A-Za-z][A-Za-z]*" edges | grep -v -x -e Tab -e Enter -e Esc -e Space -e PgUp -e PgDn -e Home \
        -e End -e S -e C -e M -e l -e e -e t -e z -e q -e h -e b -e n -e p -e a -e c -e T -e y -e r -e g -e G \
        -e H -e J -e K -e L -e j -e k
'

# english FILE: the words of FILE in Latin letters that are not names the learner typed or reads in formulas.
english_words() {
    grep -o "[A-Za-z][A-Za-z]*" "$1" | grep -v -x -e set -e lr -e w -e ww -e x -e y -e e
}

test_expect 'a zh-TW :set answers in Chinese, and so does its error with the names it suggests' '
    printf "<Type :set lr 0.1>\n<Enter>\n<Dump>\n<Type :set ww 1>\n<Enter>\n<Dump>\n" >s &&
    zh s 01 >screens &&
    awk "NR == 24" screens >reply && grep -q "^ lr 現在是 0.1 *$" reply &&
    awk "NR == 48" screens >error && grep -q "沒有叫做「ww」的參數、輸入或設定；你是不是要打 w？" error &&
    test -z "$(english_words reply)" && test -z "$(english_words error)"
'

test_expect 'a zh-TW number or formula that does not read is told in Chinese, under the same caret' '
    printf "<Type :set w abc>\n<Enter>\n<Dump>\n<Type :let z = (w>\n<Enter>\n<Dump>\n" >s &&
    zh s 01 >zh && "$BPTUTOR" --script s --size 80x24 01 >en &&
    grep -q "^        ^ 這裡應該是數字，而不是「abc」$" zh && grep -q "^        ^ expected a number, not .abc.$" en &&
    grep -q "^          ^ 括號不成對：這個「(」沒有關起來$" zh &&
    grep -q "^          ^ unbalanced parentheses: this .(. is never closed$" en
'

# The lesson's errors (the parser's, and walk_live.c's placeholder checks) are the learner's language too; the
# "FILE:LINE:COL: error:" before them stays as it is, for editors to read.
test_expect 'a zh-TW broken lesson is told in Chinese after the English FILE:LINE:COL: error:, under the same caret' '
    B="$TOP/tests/lessons/bad" &&
    (cd "$B" && test_expect_code 2 "$BPTUTOR" --lang zh-TW --check unknown-name.lesson 2>"$SCRATCH/err") &&
    sed "1s/unknown name .q.$/不認得的名字「q」/" "$B/unknown-name.expect" >expect && test_cmp expect err &&
    (cd "$B" && test_expect_code 2 env -u LC_ALL -u LANGUAGE LANG=zh_TW.UTF-8 "$BPTUTOR" --check bad-epochs.lesson \
        2>"$SCRATCH/err") &&
    sed "1s/error: .*/error: epochs 必須是 0 到 1000000 之間的整數，而不是「2.5」/" "$B/bad-epochs.expect" >expect &&
    test_cmp expect err
'

test_expect 'every malformed lesson in zh-TW: the English golden'"'"'s place and caret, the message in Chinese' '
    cjk=$(printf "[\344-\351]") && # the first byte of a CJK ideograph (U+4E00 to U+9FFF) in UTF-8
    for f in "$TOP"/tests/lessons/bad/*.lesson; do
        n=$(basename "$f" .lesson) &&
        (cd "$TOP/tests/lessons/bad" && "$BPTUTOR" --lang zh-TW --check $n.lesson 2>"$SCRATCH/zh"; test $? = 2) &&
        en=$(head -n 1 "$TOP/tests/lessons/bad/$n.expect") && mine=$(head -n 1 zh) &&
        test "${mine%%error: *}error: " = "${en%%error: *}error: " &&
        tail -n +2 "$TOP/tests/lessons/bad/$n.expect" >en-rest && tail -n +2 zh >zh-rest && test_cmp en-rest zh-rest &&
        { test "${mine#*error: }" != "${en#*error: }" && printf "%s\n" "$mine" | LC_ALL=C grep -q "$cjk" ||
            { echo "$n is English: $mine" >&2; false; }; } || return 1
    done
'

# The core's status messages (graph_status_message) are English msgids that lesson.c translates where it shows
# them: "cannot build the graph: " and its reason are one language.
test_expect 'a zh-TW lesson past the size limits says why it cannot be built in Chinese, the whole line' '
    { echo "param w = 1"; printf "input x = 1"; i=1; while [ $i -lt 1000 ]; do printf ",%d" $((i % 7)); i=$((i + 1)); done
      echo; echo "let a0 = x * w"; awk "BEGIN { for (i = 1; i < 5000; i++) printf \"let a%d = a%d * w\\n\", i, i - 1 }"
      echo "loss L = mean(a4999)"; } >wide.lesson &&
    test_expect_code 2 "$BPTUTOR" --lang zh-TW --check wide.lesson 2>err &&
    head -n 1 err >line && cat line >&2 &&
    grep -q "^wide.lesson:[0-9]*:[0-9]*: error: 無法建立計算圖：太大了：一課最多只能有 500000 個節點和 4194304 個數字" line &&
    test -z "$(sed "s/^[^ ]* error: //" line | grep -o "[A-Za-z][A-Za-z][A-Za-z]*")"
'

test_expect 'a long zh-TW value quoted in an error is cut between characters, with an ellipsis' '
    v=權重權重權重權重權重權重權重權重權重權重權重權重權重權重權重權重 &&
    printf "param w = 1\nset lr %s\nloss L = w^2\n" "$v$v" >v.lesson &&
    test_expect_code 2 "$BPTUTOR" --lang zh-TW --check v.lesson 2>err && head -n 1 err >line && cat line >&2 &&
    grep -q "「權重[權重]*…」$" line && ! grep -q "?" line
'

test_expect 'a placeholder that ends too soon says so before its }, in either language' '
    printf "param w = 1\nloss L = w^2\nsay intro Here {w +} is.\n" >p.lesson &&
    test_expect_code 2 "$BPTUTOR" --check p.lesson 2>en && test_expect_code 2 "$BPTUTOR" --lang zh-TW --check p.lesson 2>zh &&
    grep -q "^p.lesson:3:20: error: expected a number, a name or .(. before the .}.$" en &&
    grep -q "^p.lesson:3:20: error: 「}」之前應該要有數字、名字或「(」$" zh
'

test_expect 'a zh-TW :let or :loss with an unknown name is told in Chinese, with the names near it' '
    printf "<Type :let q = w * xx>\n<Enter>\n<Dump>\n<Type :loss L = (w*x-yy)^2>\n<Enter>\n<Dump>\n" >s &&
    zh s 01 >zh && "$BPTUTOR" --script s --size 80x24 01 >en &&
    grep -q "^              ^ 不認得的名字「xx」；你是不是要打 x？$" zh &&
    grep -q "^                ^ 不認得的名字「yy」；你是不是要打 y？$" zh &&
    grep -q "^              ^ unknown name .xx.; did you mean x?$" en &&
    grep -q "^                ^ unknown name .yy.; did you mean y?$" en
'

test_expect 'a zh-TW quiz answer with an unknown name: the suggestion ends the sentence, or the 。 does' '
    printf "]\nl\n<Type ww + 1>\n<Enter>\n<Dump>\n<Type zz + 1>\n<Enter>\n<Dump>\n" >s &&
    zh s 01 >zh &&
    grep -q "^ ^ 看不懂這個答案：不認得的名字「ww」；你是不是要打 w？$" zh &&
    grep -q "^ ^ 看不懂這個答案：不認得的名字「zz」。$" zh
'

test_expect 'the English :set answers are still the English ones' '
    printf "<Type :set lr 0.1>\n<Enter>\n<Dump>\n<Type :set ww 1>\n<Enter>\n<Dump>\n" >s &&
    "$BPTUTOR" --script s --size 80x24 01 >screens &&
    grep -q "^ lr is now 0.1 *$" screens &&
    grep -q "no parameter, input or setting called .ww.; did you mean w?" screens
'

test_expect 'a zh-TW :check lines its Chinese column heads up with the numbers (two cells a character)' '
    printf "<Type :check>\n<Enter>\n<Dump>\n" >s &&
    zh s 01 >screens &&
    head_line=$(grep -n "反向傳播.*數值.*相對誤差" screens | cut -d: -f1) && test -n "$head_line" &&
    sed -n "${head_line}p" screens >head && sed -n "$((head_line + 1))p" screens >row &&
    # the columns are right-aligned: a head ends on the same cell as the number under it
    test "$(sed "s/ *相對誤差.*//" head | wc -L)" -eq "$(sed "s/ *[^ ]*$//" row | wc -L)" &&
    test "$(sed "s/ *數值.*//" head | wc -L)" -eq "$(sed "s/ *[^ ]* *[^ ]*$//" row | wc -L)" &&
    test "$(sed "s/ *$//" head | wc -L)" -eq "$(sed "s/ *$//" row | wc -L)"
'

test_expect 'the zh-TW handout (--plain) has no English heading or label' '
    "$BPTUTOR" --plain --lang zh-TW 1 >text && "$BPTUTOR" --plain --format markdown --notes --lang zh-TW 1 >md &&
    grep -q "^第 1 輪的問題$" text && grep -q "^   提示：" text && grep -q "^   答案：" text &&
    grep -q "^第 1 輪 · 前向傳播 1/3 · 第 2/13 步$" text && grep -q "^w：參數，初始值為 0。$" text &&
    grep -q "^### 第 1 輪的問題$" md && grep -q "^## 第 1 輪$" md && grep -q "^> \*\*教師備註\*\*$" md &&
    for english in "Questions on epoch" "Answer:" "Hint:" "Epoch 1 ·" "Epoch [0-9]" "step [0-9]" "The graph" \
        "a parameter" "an input" "the constant" "the loss" "For the teacher" "Note:" "PyTorch:"; do
        if grep -n -e "$english" text md >&2; then echo "English left in the handout: $english" >&2; exit 1; fi
    done
'

test_expect 'LANG=zh_TW.UTF-8 alone speaks Chinese, even where that locale is not generated' '
    printf "]\n<Dump>\n" >s &&
    env -u LC_ALL -u LANGUAGE LANG=zh_TW.UTF-8 "$BPTUTOR" --script s --size 80x24 01 >by-lang &&
    zh s 01 >by-option && test_cmp by-option by-lang && grep -q "第 1 輪 · 前向" by-lang
'

test_expect 'LANGUAGE=zh_TW speaks Chinese in the C.UTF-8 locale the tests run in' '
    printf "]\n<Dump>\n" >s &&
    LANGUAGE=zh_TW "$BPTUTOR" --script s --size 80x24 01 >out && grep -q "第 1 輪 · 前向" out
'

test_expect '--lang en keeps the English interface and lessons whatever LANG says' '
    printf "]\n<Dump>\n" >s &&
    "$BPTUTOR" --script s --size 80x24 01 >expect &&
    env -u LC_ALL LANG=zh_TW.UTF-8 "$BPTUTOR" --script s --size 80x24 --lang en 01 >out &&
    test_cmp expect out && grep -q "epoch 1 · Forward pass 1/3" out
'

test_expect 'a language with no catalogue falls back to English text' '
    printf "]\n<Dump>\n" >s &&
    "$BPTUTOR" --script s --size 80x24 01 >expect &&
    "$BPTUTOR" --script s --size 80x24 --lang de 01 >out && test_cmp expect out
'

test_expect 'without its catalogue the tutor still runs, in English' '
    printf "]\n<Dump>\n" >s &&
    BPTUTOR_LOCALEDIR=/nonexistent "$BPTUTOR" --script s --size 80x24 --lang zh-TW 01 >out 2>err &&
    test ! -s err && grep -q "epoch 1 · Forward pass" out
'

test_expect '--help is translated, whether --lang comes before or after it' '
    "$BPTUTOR" --help --lang zh-TW >after && "$BPTUTOR" --lang zh-TW --help >before &&
    test_cmp before after && grep -q "^用法：bptutor" after && grep -q "^  --lang TAG  *課程與畫面使用的語言" after &&
    "$BPTUTOR" --help | grep -q "^Usage: bptutor"
'

test_expect 'a usage error speaks the language too' '
    test_expect_code 2 "$BPTUTOR" --lang zh-TW --every 3 01 2>err &&
    grep -q "^bptutor: --every 要搭配 --train$" err && grep -q "bptutor --help" err
'

test_expect 'make install puts each catalogue under LOCALEDIR, and make uninstall removes it' '
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$TOP" -n --no-print-directory BUILD="$SCRATCH/b" install DESTDIR="$SCRATCH/d" >cmds &&
    grep -q "for l in zh_TW; do" cmds &&
    grep -q "install -m 644 build/locale/\$l/LC_MESSAGES/bptutor.mo $SCRATCH/d/usr/local/share/locale/\$l/LC_MESSAGES/" cmds &&
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$TOP" -n --no-print-directory BUILD="$SCRATCH/b" uninstall DESTDIR="$SCRATCH/d" >cmds &&
    grep -q "rm -f $SCRATCH/d/usr/local/share/locale/\$l/LC_MESSAGES/bptutor.mo" cmds
'

test_done
