#!/bin/sh
# The test harness itself: tests/run (prove) checks plans and exit statuses and ends with one summary line;
# tests/lib.sh's prerequisites report skip, test_expect_code checks a status, test_expect_failure marks a
# known breakage. Each check runs tests/run on small TAP programs written here.
. "$TOP/tests/lib.sh"

# tap NAME EXIT LINE...: a test program NAME that prints the lines and exits with EXIT.
tap() {
    name=$1 status=$2 && shift 2 &&
    { echo "#!/bin/sh"; for l in "$@"; do printf "echo '%s'\n" "$l"; done; echo "exit $status"; } >"$name" &&
    chmod +x "$name"
}
# summary TEST...: the last line of tests/run on these programs.
summary() {
    "$TOP/tests/run" "$@" >log 2>&1
    tail -n 1 log
}

test_expect 'all well: the summary line counts tests, and the run succeeds' '
    tap a.t 0 "1..3" "ok 1 - one" "ok 2 - two" "ok 3 # skip three (missing X)" &&
    "$TOP/tests/run" "$PWD/a.t" >log 2>&1 &&
    test "$(tail -n 1 log)" = "2 passed, 0 failed, 1 skipped"
'

test_expect 'a plan that does not match the tests run is a failure' '
    tap short.t 0 "ok 1" "ok 2" "1..3" &&
    test_expect_code 1 "$TOP/tests/run" "$PWD/short.t" >log 2>&1 &&
    test "$(tail -n 1 log)" = "2 passed, 1 failed, 0 skipped"
'

test_expect 'no plan at all is a failure' '
    tap noplan.t 0 "ok 1" &&
    test "$(summary "$PWD/noplan.t")" = "1 passed, 1 failed, 0 skipped"
'

test_expect 'a program that exits non-zero after only "ok" lines is a failure' '
    tap died.t 3 "1..1" "ok 1" &&
    test "$(summary "$PWD/died.t")" = "1 passed, 1 failed, 0 skipped"
'

test_expect 'a program that skips itself whole counts as one skip' '
    tap none.t 0 "1..0 # SKIP no terminal here" &&
    test "$(summary "$PWD/none.t")" = "0 passed, 0 failed, 1 skipped"
'

test_expect 'a known breakage is named apart and fails nothing; one that passes again counts as passed' '
    tap todo.t 0 "1..3" "ok 1" "not ok 2 - circle # TODO known breakage" "ok 3 - gone # TODO known breakage vanished" &&
    "$TOP/tests/run" "$PWD/todo.t" >log 2>&1 &&
    test "$(tail -n 1 log)" = "2 passed, 0 failed, 0 skipped" &&
    grep -x "1 known breakage (not ok # TODO): $PWD/todo.t 2" log
'

test_lazy_prereq CMOCKA_SUITE 'test -x "$TOP/build/tests/test_quiz"'
test_expect CMOCKA_SUITE 'a cmocka suite in TAP form: a plan first, and prove counts its tests' '
    CMOCKA_MESSAGE_OUTPUT=TAP "$TOP/build/tests/test_quiz" >tap &&
    head -n 1 tap | grep -x "1\.\.[0-9]*" &&
    n=$(grep -c "^ok " tap) && test "$n" -gt 0 &&
    test "$(summary "$TOP/build/tests/test_quiz")" = "$n passed, 0 failed, 0 skipped"
'

# What tests/lib.sh prints, for a test script written here.
lib_test() {
    { echo ". \"\$TOP/tests/lib.sh\""; cat; echo "test_done"; } >t.sh && sh t.sh >out 2>&1
}

test_expect 'a test whose prerequisite is missing is skipped, naming it; a present one runs' '
    lib_test <<-\EOT &&
	test_lazy_prereq NOPE "false"
	test_lazy_prereq YES "true"
	test_set_prereq SET
	test_expect NOPE "needs nope" "false"
	test_expect YES,SET "needs yes" "true"
	test_expect !NOPE "needs no nope" "true"
	test_expect YES,NOPE "needs both" "false"
	EOT
	cat >expect <<-\EOT &&
	ok 1 # skip needs nope (missing NOPE)
	ok 2 - needs yes
	ok 3 - needs no nope
	ok 4 # skip needs both (missing NOPE)
	1..4
	EOT
    test_cmp expect out
'

test_expect 'test_expect_code: the status wanted passes, another fails and says which' '
    test_expect_code 3 sh -c "exit 3" &&
    ! test_expect_code 2 sh -c "exit 1" 4>why &&
    grep -x "test_expect_code: command exited with 1, we wanted 2: sh -c exit 1" why
'

test_expect 'test_expect_failure: a known breakage is TODO, and says so when it vanishes' '
    ! lib_test <<-\EOT &&
	test_expect_failure "still broken" "false"
	test_expect_failure "fixed now" "true"
	test_expect "really broken" "false"
	EOT
	grep -x "not ok 1 - still broken # TODO known breakage" out &&
	grep -x "ok 2 - fixed now # TODO known breakage vanished" out &&
	grep -x "not ok 3 - really broken" out
'
test_done
