#!/bin/sh
# The manual page: well-formed, and its OPTIONS are exactly the options of --help, which main.c generates
# from its option table (MAIN_OPTIONS): same names, same arguments, none missing, none extra.
. "$TOP/tests/lib.sh"
MAN="$TOP/man/bptutor.1"

test_lazy_prereq GROFF 'command -v groff'
test_expect GROFF 'the manual page has no groff warnings' '
    groff -man -ww -z "$MAN" 2>warnings && test ! -s warnings
'

# The option lines of --help ("  --epochs N           train N epochs…"): "--epochs N", one a line, sorted.
help_options() {
    "$BPTUTOR" --help | awk '/^  --/ { l = substr($0, 3, 20); sub(/ +$/, "", l); print l }' | sort
}

# The tags of the .TP paragraphs in the manual's OPTIONS section, as printed: ".BI \-\-size " COLS" x ROWS"
# is "--size COLSxROWS" (.B joins its arguments with spaces, .BI and the like alternate fonts without).
man_options() {
    awk '
        /^\.SH/ { in_options = ($2 == "OPTIONS") }
        in_options && /^\.TP/ { tag = 1; next }
        in_options && tag {
            tag = 0; macro = $1; rest = substr($0, length(macro) + 2)
            out = ""; n = 0
            while (rest != "") {
                if (substr(rest, 1, 1) == "\"") { i = index(substr(rest, 2), "\""); arg = substr(rest, 2, i - 1); rest = substr(rest, i + 2) }
                else { i = index(rest, " "); if (i == 0) i = length(rest) + 1; arg = substr(rest, 1, i - 1); rest = substr(rest, i) }
                sub(/^ +/, "", rest)
                out = out (n++ && macro == ".B" ? " " : "") arg
            }
            gsub(/\\-/, "-", out)
            print out
        }' "$MAN" | sort
}

test_expect 'the manual documents exactly the options of --help, with the same arguments' '
    help_options >help && test "$(wc -l <help)" -ge 15 &&
    man_options >man && test_cmp help man
'

test_expect 'an option added to the table and not to the manual is caught' '
    help_options >help && man_options | sed "/^--version$/d" >man &&
    ! test_cmp help man 2>/dev/null
'

test_expect 'the manual names every place lessons are looked up, and not the working directory' '
    sed -n "/^\.SH FILES/,/^\.SH EXIT/p" "$MAN" | sed "s/\\\\-/-/g" >files &&
    for v in BPTUTOR_PATH XDG_DATA_HOME XDG_DATA_DIRS .local/share /usr/local/share:/usr/share share/bptutor/lessons; do
        grep -q -- "$v" files || { echo "FILES or ENVIRONMENT does not mention $v"; exit 1; }
    done &&
    ! grep -n "\./lessons" files
'
test_done
