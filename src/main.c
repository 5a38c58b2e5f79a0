/*
 * main.c — bptutor's command line: check, train, dump, draw and list lessons.
 *
 * Every mode loads one lesson at a time and prints to stdout; problems go to stderr in gcc's form.
 * Exit status: 0 success, 1 a runtime failure (output could not be written, memory ran out),
 * 2 bad usage or a bad lesson.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "dot.h"
#include "graph.h"
#include "lesson.h"
#include "plain.h"
#include "tui.h"

#ifndef BPTUTOR_VERSION
#define BPTUTOR_VERSION "unknown"
#endif
#ifndef BPTUTOR_DATADIR
#define BPTUTOR_DATADIR "/usr/local/share/bptutor"
#endif

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };
enum mode { MODE_NONE, MODE_CHECK, MODE_TRAIN, MODE_DUMP, MODE_DOT, MODE_LIST, MODE_PLAIN };

static const char usage_text[] =
    "Usage: bptutor [OPTION]... [LESSON]\n"
    "Learn backpropagation one node at a time.\n"
    "\n"
    "  --check LESSON...    validate lessons; silent with status 0 when all are fine\n"
    "  --train LESSON       train and print one line per epoch\n"
    "  --dump LESSON        train, then print NAME<TAB>VALUE<TAB>GRAD for each named node\n"
    "  --dot LESSON         print the graph in Graphviz DOT, with values and gradients\n"
    "  --list               list the lessons found, with their titles\n"
    "  --plain LESSON       the step-by-step walkthrough as text, one step per paragraph\n"
    "  --epochs N           train N epochs (--train: the lesson's setting; --dump, --dot: 0);\n"
    "                       with --plain, walk through N epochs (default 1)\n"
    "  --every K            with --train, print every K-th epoch and the last\n"
    "  --lang TAG           look lessons up in this language (en, zh-TW)\n"
    "  --script FILE        replay the keys in FILE on a headless screen (tests, screenshots)\n"
    "  --size COLSxROWS     the headless screen's size (default 80x24)\n"
    "  --classroom          each step shows its working first and its result on the next key\n"
    "  --no-quiz            walk past the lessons' quiz questions without asking them\n"
    "  --help               show this help and exit\n"
    "  --version            show the version and exit\n"
    "\n"
    "Without a mode, bptutor opens the tutor on LESSON, or a lesson picker; when the output is not\n"
    "a terminal (or TERM=dumb) it prints the --plain walkthrough instead.\n"
    "LESSON is a path, or a number or slug (1, 01, one-weight) looked up in $BPTUTOR_PATH,\n"
    "./lessons/LANG/ and " BPTUTOR_DATADIR "/lessons/LANG/.\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "bptutor: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'bptutor --help' for more information.\n");
    return EXIT_USAGE;
}

/* ---------------------------------------------------------------- finding lessons -------------- */

/* Load a lesson named on the command line; prints the problem and returns NULL on failure. */
static lesson *open_lesson(const char *want, const catalog_langs *ls, char *path, size_t n)
{
    if (catalog_find(want, ls, path, n) < 0) {
        char where[512];
        catalog_where(ls, where, sizeof where);
        fprintf(stderr, "bptutor: no lesson '%s' in %s\n", want, where);
        return NULL;
    }
    lesson_error err;
    lesson *l = lesson_load(path, &err);
    if (!l) {
        char buf[2048];
        lesson_error_format(&err, path, buf, sizeof buf);
        fputs(buf, stderr);
    }
    return l;
}

static void print_title(const char *stem, const char *path, void *ctx)
{
    (void)ctx;
    lesson_error err;
    lesson *l = lesson_load(path, &err);
    printf("%-24s %s\n", stem, !l ? "(does not load; see bptutor --check)" : l->title ? l->title : "(untitled)");
    lesson_free(l);
}

static int list_lessons(const catalog_langs *ls)
{
    if (catalog_each(ls, print_title, NULL) == 0) {
        char where[512];
        catalog_where(ls, where, sizeof where);
        fprintf(stderr, "bptutor: no lessons found in %s\n", where);
        return EXIT_RUNTIME;
    }
    return 0;
}

/* No lesson named: the tutor opens on a picker of the lessons found. */
struct picks {
    tui_choice c[512];
    int n;
};

static void add_pick(const char *stem, const char *path, void *ctx)
{
    struct picks *p = ctx;
    if (p->n >= 512)
        return;
    lesson_error err;
    lesson *l = lesson_load(path, &err);
    p->c[p->n].name = strdup(stem);
    p->c[p->n].path = strdup(path);
    p->c[p->n].title = !l ? strdup("(does not load; see bptutor --check)") : l->title ? strdup(l->title) : NULL;
    lesson_free(l);
    if (p->c[p->n].name && p->c[p->n].path)
        p->n++;
}

static int pick_lesson(const catalog_langs *ls, const tui_options *topt)
{
    static struct picks p;
    catalog_each(ls, add_pick, &p);
    int status = tui_run(topt, NULL, NULL, p.c, p.n);
    for (int i = 0; i < p.n; i++)
        free((char *)p.c[i].name), free((char *)p.c[i].path), free((char *)p.c[i].title);
    return status;
}

/* ---------------------------------------------------------------- the modes -------------------- */

static void print_numbers(const double *v, int n, const char *fmt)
{
    for (int i = 0; i < n; i++) {
        if (i)
            putchar(',');
        printf(fmt, v[i]);
    }
}

static void train(lesson *l, int epochs, int every)
{
    char row[LESSON_LINE_MAX];
    for (int e = 1; e <= epochs; e++) {
        double shown = lesson_train_epoch(l);
        if (every == 0 || (e % every != 0 && e != epochs))
            continue;
        if (lesson_format_row(l, e, shown, 0, row, sizeof row) >= (int)sizeof row)
            fputs("bptutor: a training row is too long to print whole\n", stderr);
        puts(row);
    }
}

static void dump(lesson *l)
{
    lesson_evaluate(l);
    for (int i = 0; i < l->n_names; i++) {
        const graph_node *n = graph_node_at(l->g, l->names[i].id);
        printf("%s\t", l->names[i].name);
        print_numbers(n->value, n->len, "%.17g");
        putchar('\t');
        print_numbers(n->grad, n->len, "%.17g");
        putchar('\n');
    }
}


static int parse_count(const char *arg, const char *option, int min, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || errno || v < min || v > 1000000) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s needs a whole number from %d to 1000000, not '%%s'", option, min);
        return usage_error(msg, arg);
    }
    *out = (int)v;
    return 0;
}

enum { OPT_CHECK = 256, OPT_TRAIN, OPT_DUMP, OPT_DOT, OPT_LIST, OPT_PLAIN, OPT_EPOCHS, OPT_EVERY, OPT_LANG, OPT_HELP,
       OPT_VERSION, OPT_SCRIPT, OPT_SIZE, OPT_CLASSROOM, OPT_NO_QUIZ };

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"check", no_argument, NULL, OPT_CHECK},     {"train", no_argument, NULL, OPT_TRAIN},
        {"dump", no_argument, NULL, OPT_DUMP},       {"dot", no_argument, NULL, OPT_DOT},
        {"list", no_argument, NULL, OPT_LIST},       {"plain", no_argument, NULL, OPT_PLAIN},
        {"epochs", required_argument, NULL, OPT_EPOCHS},
        {"every", required_argument, NULL, OPT_EVERY}, {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, OPT_HELP},       {"version", no_argument, NULL, OPT_VERSION},
        {"script", required_argument, NULL, OPT_SCRIPT}, {"size", required_argument, NULL, OPT_SIZE},
        {"classroom", no_argument, NULL, OPT_CLASSROOM}, {"no-quiz", no_argument, NULL, OPT_NO_QUIZ},
        {NULL, 0, NULL, 0},
    };
    enum mode mode = MODE_NONE;
    int epochs = -1, every = 1, every_given = 0, opt;
    const char *lang = NULL;
    tui_options topt = { .script = NULL, .cols = 80, .rows = 24 };
    int size_given = 0, tutor_option = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (opt) {
        case OPT_CHECK:
        case OPT_TRAIN:
        case OPT_DUMP:
        case OPT_DOT:
        case OPT_LIST:
        case OPT_PLAIN: {
            enum mode m = (enum mode)(MODE_CHECK + (opt - OPT_CHECK));
            if (mode != MODE_NONE && mode != m)
                return usage_error("%s", "choose one of --check, --train, --dump, --dot, --list and --plain");
            mode = m;
            break;
        }
        case OPT_EPOCHS:
            if (parse_count(optarg, "--epochs", 0, &epochs))
                return EXIT_USAGE;
            break;
        case OPT_EVERY:
            if (parse_count(optarg, "--every", 1, &every))
                return EXIT_USAGE;
            every_given = 1;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_SCRIPT:
            topt.script = optarg;
            break;
        case OPT_CLASSROOM:
            topt.classroom = 1;
            tutor_option = 1;
            break;
        case OPT_NO_QUIZ:
            topt.no_quiz = 1;
            tutor_option = 1;
            break;
        case OPT_SIZE: {
            char x, extra;
            if (sscanf(optarg, "%d%c%d%c", &topt.cols, &x, &topt.rows, &extra) != 3 || (x != 'x' && x != 'X') ||
                topt.cols < 1 || topt.rows < 1 || topt.cols > 1000 || topt.rows > 1000)
                return usage_error("--size needs COLSxROWS, like 80x24, not '%s'", optarg);
            size_given = 1;
            break;
        }
        case OPT_HELP:
            fputs(usage_text, stdout);
            return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_RUNTIME;
        case OPT_VERSION:
            puts("bptutor " BPTUTOR_VERSION);
            return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_RUNTIME;
        case ':':
            return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    catalog_langs ls = catalog_pick_langs(lang);
    topt.langs = ls;
    int nargs = argc - optind;
    if (every_given && mode != MODE_TRAIN)
        return usage_error("%s", "--every goes with --train");
    if (epochs >= 0 && mode != MODE_TRAIN && mode != MODE_DUMP && mode != MODE_DOT && mode != MODE_PLAIN)
        return usage_error("%s", "--epochs goes with --train, --dump, --dot or --plain");
    if ((topt.script || size_given) && mode != MODE_NONE)
        return usage_error("%s", "--script and --size go with the tutor, not with another mode");
    if (tutor_option && mode != MODE_NONE)
        return usage_error("%s", "--classroom and --no-quiz go with the tutor, not with another mode");
    if (size_given && !topt.script)
        return usage_error("%s", "--size goes with --script");
    const char *why = NULL;
    int screen = topt.script || tui_usable(&why) == 0;
    if (mode == MODE_LIST && nargs > 0)
        return usage_error("--list takes no lesson, but got '%s'", argv[optind]);
    if (mode == MODE_CHECK && nargs == 0)
        return usage_error("%s", "--check needs at least one lesson");
    if (mode != MODE_CHECK && mode != MODE_LIST && nargs > 1)
        return usage_error("one lesson at a time, but got '%s' too", argv[optind + 1]);
    if ((mode == MODE_TRAIN || mode == MODE_DUMP || mode == MODE_DOT || mode == MODE_PLAIN) && nargs == 0)
        return usage_error("%s", "which lesson? Give a path, a number or a slug");

    int status = 0;
    if (mode == MODE_NONE && nargs == 0 && screen) {
        status = pick_lesson(&ls, &topt);
    } else if (mode == MODE_LIST || (mode == MODE_NONE && nargs == 0)) {
        status = list_lessons(&ls);
    } else if (mode == MODE_CHECK) {
        for (int i = optind; i < argc; i++) {
            char path[8192];
            lesson *l = open_lesson(argv[i], &ls, path, sizeof path);
            if (!l)
                status = EXIT_USAGE;
            lesson_free(l);
        }
    } else {
        char path[8192];
        lesson *l = open_lesson(argv[optind], &ls, path, sizeof path);
        if (!l)
            return EXIT_USAGE;
        if (mode == MODE_PLAIN) {
            if (plain_print(stdout, l, epochs >= 1 ? epochs : 1))
                status = EXIT_RUNTIME;
        } else if (mode == MODE_TRAIN) {
            train(l, epochs >= 0 ? epochs : l->epochs, every);
        } else if (mode == MODE_DUMP || mode == MODE_DOT) {
            train(l, epochs >= 0 ? epochs : 0, 0);
            if (mode == MODE_DUMP) {
                dump(l);
            } else {
                lesson_evaluate(l);
                if (dot_write(stdout, l) != 0)
                    status = EXIT_RUNTIME;
            }
        } else if (screen) {
            const char *slash = strrchr(path, '/');
            lesson_free(l);
            l = NULL;
            status = tui_run(&topt, path, slash ? slash + 1 : path, NULL, 0);
        } else {
            fprintf(stderr, "bptutor: %s, so here is the walkthrough as text (--plain)\n", why);
            if (plain_print(stdout, l, 1))
                status = EXIT_RUNTIME;
        }
        lesson_free(l);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "bptutor: cannot write the output: %s\n", strerror(errno));
        return EXIT_RUNTIME;
    }
    return status;
}
