#!/bin/sh
# Layers only point down: core (graph, text) <- lesson <- walkthrough (walk, quiz, session, plain, dot) <-
# layout <- screen (tui, prompt) <- main. tests/build/check-layers checks the #includes of src/ and the
# symbols of build/*.o; the tests after the first three show that it catches each kind of break, on broken
# copies made here.
. "$TOP/tests/lib.sh"
CHECK="$TOP/tests/build/check-layers"

test_lazy_prereq NM 'command -v nm && command -v tsort && command -v join'
test_lazy_prereq BUILT 'for c in "$TOP"/src/*.c; do o=${c##*/}; test -f "$TOP/build/${o%.c}.o" || exit 1; done'

test_expect 'includes point down, form no circle, and keep curses and readline in the screen' '
    "$CHECK" --includes "$TOP/src"
'

test_expect NM,BUILT 'no object uses a symbol of a higher layer, or curses and readline outside the screen' '
    "$CHECK" --symbols "$TOP/src" "$TOP/build" "$TOP/bptutor"
'

test_expect NM,BUILT 'no two objects use each other, even within a layer' '
    "$CHECK" --circles "$TOP/src" "$TOP/build"
'

# broken: a copy of src/ to break.
broken() {
    cp -R "$TOP/src" src
}

test_expect 'a core file including a screen header is caught' '
    broken && echo "#include \"tui.h\"" >>src/graph.c &&
    test_expect_code 1 "$CHECK" --includes src >out &&
    grep -x "src/graph.c includes tui.h: core (layer 1) must not use screen (layer 5)" out
'

test_expect 'a header of a lower layer including a higher one is caught' '
    broken && sed -i "s|^#include \"graph.h\"|&\n#include \"walk.h\"|" src/lesson.h &&
    test_expect_code 1 "$CHECK" --includes src >out &&
    grep -x "src/lesson.h includes walk.h: lesson (layer 2) must not use walkthrough (layer 3)" out
'

test_expect 'an #include circle is caught, even within a layer' '
    broken && echo "#include \"text.h\"" >>src/graph.h && echo "#include \"graph.h\"" >>src/text.h &&
    test_expect_code 1 "$CHECK" --includes src >out &&
    grep "^an #include circle: " out | grep "graph.h" | grep -q "text.h"
'

test_expect 'curses outside the screen is caught, directly or through a header' '
    broken && echo "#include <curses.h>" >>src/text.c &&
    echo "#include \"prompt.h\"" >>src/layout.h &&
    test_expect_code 1 "$CHECK" --includes src >out &&
    grep -x "src/text.c includes curses.h: only tui\*.c and prompt.c may use curses or readline" out &&
    grep -x "src/layout.h includes prompt.h: layout (layer 4) must not use screen (layer 5)" out &&
    grep -x "src/layout.h includes prompt.h: only tui\*.c and prompt.c may use curses or readline" out &&
    grep -x "src/layout.c includes layout.h: only tui\*.c and prompt.c may use curses or readline" out
'

test_expect 'a file that no layer lists is named, with where to add it' '
    broken && echo "int frob_x;" >src/frob.c && cp src/walk.h src/walk_int.h &&
    test_expect_code 1 "$CHECK" --includes src >out &&
    cat >expect <<-\EOT &&
	src/frob.c: no layer for '\''frob'\''; add it to LAYERS in tests/build/check-layers
	EOT
    test_cmp expect out
'

# objects FILE=CODE...: a src/ of those files, compiled into obj/.
objects() {
    mkdir -p src obj &&
    for spec in "$@"; do
        printf "%s\n" "${spec#*=}" >"src/${spec%%=*}" &&
        cc -c -o "obj/$(basename "${spec%%=*}" .c).o" "src/${spec%%=*}" || return 1
    done
}

test_expect NM 'a core object calling into the walkthrough is caught' '
    objects "graph.c=int walk_step(void); int graph_x(void) { return walk_step(); }" \
            "walk.c=int walk_step(void) { return 1; }" &&
    test_expect_code 1 "$CHECK" --symbols src obj >out &&
    echo "graph.c uses walk_step from walk.c: core (layer 1) must not use walkthrough (layer 3)" >expect &&
    test_cmp expect out
'

test_expect NM 'two objects that use each other are caught, even within a layer' '
    objects "walk.c=int quiz_a(void); int walk_b(void) { return quiz_a(); }" \
            "quiz.c=int walk_b(void); int quiz_a(void) { return walk_b(); }" &&
    "$CHECK" --symbols src obj &&
    test_expect_code 1 "$CHECK" --circles src obj >out &&
    grep "^objects that use each other: " out | grep "walk.c" | grep -q "quiz.c"
'

test_expect NM,BUILT 'a curses call outside the screen is caught even without its header' '
    objects "dot.c=void *initscr(void); void *dot_x(void) { return initscr(); }" &&
    test_expect_code 1 "$CHECK" --symbols src obj "$TOP/bptutor" >out &&
    echo "dot.c uses initscr: only tui*.c and prompt.c may use curses or readline" >expect &&
    test_cmp expect out
'
test_done
