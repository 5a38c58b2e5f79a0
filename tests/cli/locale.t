#!/bin/sh
# A decimal-comma locale changes nothing: lessons write 0.01, and every mode reads and prints numbers the
# C way. LANG=de_DE.UTF-8 used to refuse every lesson in the tutor ("lr must be a positive number, not
# '0.01'", status 1), because setlocale(LC_ALL, "") set LC_NUMERIC. The locale is built here with
# localedef into a directory of our own (LOCPATH), so no root is needed; without localedef or Debian's
# de_DE source (the locales package) these tests are skipped.
. "$TOP/tests/lib.sh"
L1="$TOP/lessons/en/01-one-weight.lesson"
L2="$TOP/lessons/en/02-four-samples.lesson"
LOCALES="$TEST_DIR/locales"

test_lazy_prereq DE_LOCALE '
    command -v localedef && test -f /usr/share/i18n/locales/de_DE &&
    mkdir -p "$LOCALES" && { localedef -i de_DE -f UTF-8 "$LOCALES/de_DE.UTF-8" || test -f "$LOCALES/de_DE.UTF-8/LC_NUMERIC"; } &&
    test "$(LOCPATH="$LOCALES" LC_ALL=de_DE.UTF-8 locale decimal_point)" = ","
'
# a real terminal for the tutor: script(1) runs a command on a pseudo-terminal
test_lazy_prereq TTY 'command -v script && printf "" | script -qec true /dev/null'

# de CMD...: CMD in German, with a decimal comma.
de() {
    env -u LANGUAGE -u LC_ALL LOCPATH="$LOCALES" LANG=de_DE.UTF-8 "$@"
}

test_expect DE_LOCALE 'the generated locale really writes numbers with a comma' '
    de locale -k decimal_point | grep -x "decimal_point=\",\""
'

test_expect DE_LOCALE '--check passes every shipped lesson, silently' '
    de "$BPTUTOR" --check "$TOP"/lessons/*/*.lesson >out 2>err && test ! -s out && test ! -s err
'

test_expect DE_LOCALE '--train prints what it prints in C' '
    "$BPTUTOR" --train "$L2" >expect && de "$BPTUTOR" --train "$L2" >out 2>err &&
    test_cmp expect out && test ! -s err
'

test_expect DE_LOCALE '--plain, --dump and --dot print what they print in C' '
    for mode in --plain --dump --dot; do
        "$BPTUTOR" $mode "$L1" >expect && de "$BPTUTOR" $mode "$L1" >out && test_cmp expect out || exit 1
    done
'

test_expect DE_LOCALE 'a lesson and a :set typed in the tutor read 0.01 as a number (headless)' '
    printf "<Type :set lr 0.1>\n<Enter>\n<Dump>\n" >s &&
    "$BPTUTOR" --script s "$L1" >expect && de "$BPTUTOR" --script s "$L1" >out 2>err &&
    test_cmp expect out && test ! -s err && grep -q "lr is now 0.1" out
'

test_expect DE_LOCALE,TTY 'the tutor on a terminal starts on a lesson, and q quits with status 0' '
    printf q | de SHELL=/bin/sh timeout 20 script -qec "\"$BPTUTOR\" \"$L1\"" /dev/null >screen 2>&1 &&
    ! grep -a "error:" screen
'
test_done
