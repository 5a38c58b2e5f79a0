#!/bin/sh
# The manual page: well-formed, and it documents every option that --help lists.
. "$TOP/tests/lib.sh"

test_expect 'the manual page has no groff warnings' '
    if command -v groff >/dev/null; then
        groff -man -ww -z "$TOP/man/bptutor.1" 2>warnings && test ! -s warnings
    fi
'

test_expect 'every option of --help is in the manual page' '
    "$BPTUTOR" --help | grep -o -- "--[a-z-]*" | sort -u >options &&
    test -s options &&
    sed "s/\\\\-/-/g" "$TOP/man/bptutor.1" >page &&
    while read -r opt; do
        grep -q -- "$opt" page || { echo "missing: $opt"; exit 1; }
    done <options
'
test_done
