/*
 * fuzz_script.c — libFuzzer target for the key-script reader and the ':' command line: an input is a
 * `--script` file, replayed by the whole tutor headlessly (tui_run), as `bptutor --script FILE LESSON` does.
 * A script's lines reach every key, the prompt (readline, completion, history), every `:` command and
 * statement, quizzes, resizes and the screen dump; which lesson it runs on (or the picker) is the input's
 * length modulo 4, so that a mutation moves between them.
 *
 * The tutor may write files (`:export dot FILE`, `:save-display FILE`): the fuzzer runs in a sandbox
 * directory (fuzz/run), and fuzz/sandbox.c keeps the program's writes in it. Scripts with a run of five digits
 * or more are skipped: `:train 99999` and `set epochs 1000000` are long on purpose, and a fuzzer would only
 * find that they are.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog.h"
#include "tui.h"

#ifndef FUZZ_LESSONS
#error "FUZZ_LESSONS names the tree's lessons directory"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---------------------------------------------------------------- the target */

static const char *const lessons[] = { "01-one-weight", "02-four-samples", "05-neuron" };
static char paths[3][4096];
static tui_choice choices[3];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    setenv("BPTUTOR_PATH", FUZZ_LESSONS, 1);
    unsetenv("XDG_STATE_HOME"); /* a script keeps no history file then */
    setenv("LANG", "C.UTF-8", 1);
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/en/%s.lesson", FUZZ_LESSONS, lessons[i]);
        choices[i] = (tui_choice){ lessons[i], lessons[i], paths[i] };
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0, run = 0; i < size; i++) {
        run = data[i] >= '0' && data[i] <= '9' ? run + 1 : 0;
        if (run >= 5)
            return -1; /* not added to the corpus */
    }
    FILE *f = fopen("fuzz.script", "wb");
    if (!f)
        abort();
    if (size)
        fwrite(data, 1, size, f);
    if (fclose(f) != 0)
        abort();
    tui_options opt = { .script = "fuzz.script", .cols = 80, .rows = 24 };
    opt.langs = catalog_pick_langs("en");
    int k = (int)(size % 4);
    if (k == 0)
        tui_run(&opt, NULL, NULL, choices, 3);
    else
        tui_run(&opt, paths[k - 1], lessons[k - 1], NULL, 0);
    return 0;
}
