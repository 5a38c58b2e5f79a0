/*
 * main.c — bptutor's command line: check, train, dump, draw and list lessons, or start the tutor.
 *
 * Every mode but the tutor loads one lesson at a time and prints to stdout; the tutor reads its lesson
 * itself, once. Problems go to stderr in gcc's form.
 * Exit status: 0 success, 1 a runtime failure (output could not be written, memory ran out),
 * 2 bad usage or a bad lesson.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "dot.h"
#include "export.h"
#include "graph.h"
#include "i18n.h"
#include "lesson.h"
#include "plain.h"
#include "progress.h"
#include "text.h"
#include "tui.h"
#include "walk.h"

#ifndef BPTUTOR_VERSION
#define BPTUTOR_VERSION "unknown"
#endif
#ifndef BPTUTOR_DATADIR
#define BPTUTOR_DATADIR "/usr/local/share/bptutor"
#endif
#ifndef BPTUTOR_LOCALEDIR
#define BPTUTOR_LOCALEDIR "/usr/local/share/locale"
#endif

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };
enum mode { MODE_NONE, MODE_CHECK, MODE_TRAIN, MODE_DUMP, MODE_DOT, MODE_LIST, MODE_PLAIN, MODE_EXPORT };

/*
 * Every option, once: X(ID, long name, getopt's argument kind, what --help shows after the name, help).
 * It generates the getopt_long table and the option lines of --help; tests/build/man.t holds the manual
 * page's OPTIONS to the same list. A "\n" in the help continues it on the next line, under its start.
 * ORDER MODE: the seven modes come first, in the order of enum mode.
 */
#define MAIN_OPTIONS(X)                                                                                   \
    X(CHECK,     "check",     no_argument,       "LESSON...",                                             \
      N_("validate lessons; silent with status 0 when all are fine"))                                     \
    X(TRAIN,     "train",     no_argument,       "LESSON",                                                \
      N_("train and print one line per epoch"))                                                           \
    X(DUMP,      "dump",      no_argument,       "LESSON",                                                \
      N_("train, then print NAME<TAB>VALUE<TAB>GRAD for each named node"))                                \
    X(DOT,       "dot",       no_argument,       "LESSON",                                                \
      N_("print the graph in Graphviz DOT, with values and gradients"))                                   \
    X(LIST,      "list",      no_argument,       "",                                                      \
      N_("list the lessons found, with their titles"))                                                    \
    X(PLAIN,     "plain",     no_argument,       "LESSON",                                                \
      N_("the step-by-step walkthrough as text, one step per paragraph:\n"                               \
      "the graph, every step, the quizzes with their answers"))                                           \
    X(EXPORT,    "export",    required_argument, "python",                                                \
      N_("print a PyTorch script of LESSON's model that trains it and\n"                                  \
      "prints the --train table"))                                                                        \
    X(EPOCHS,    "epochs",    required_argument, "N",                                                     \
      N_("train N epochs (--train, --export: the lesson's setting;\n"                                     \
      "--dump, --dot: 0);\n"                                                                              \
      "with --plain, walk through N epochs (default 1)"))                                                 \
    X(NO_ANSWERS, "no-answers", no_argument,     "",                                                      \
      N_("with --plain, leave the quizzes' answers blank (a worksheet)"))                                 \
    X(NOTES,     "notes",     no_argument,       "",                                                      \
      N_("with --plain, add the lesson's notes for the teacher"))                                         \
    X(FORMAT,    "format",    required_argument, "FORMAT",                                                \
      N_("with --plain, write text (the default) or markdown"))                                           \
    X(EVERY,     "every",     required_argument, "K",                                                     \
      N_("with --train, print every K-th epoch and the last"))                                            \
    X(LANG,      "lang",      required_argument, "TAG",                                                   \
      N_("the language of the lessons and the screen (en, zh-TW)"))                                       \
    X(SCRIPT,    "script",    required_argument, "FILE",                                                  \
      N_("replay the keys in FILE on a headless screen (tests, screenshots)"))                            \
    X(SIZE,      "size",      required_argument, "COLSxROWS",                                             \
      N_("the headless screen's size (default 80x24)"))                                                   \
    X(CLASSROOM, "classroom", no_argument,       "",                                                      \
      N_("each step shows its working first and its result on the next key"))                             \
    X(NO_QUIZ,   "no-quiz",   no_argument,       "",                                                      \
      N_("walk past the lessons' quiz questions without asking them"))                                    \
    X(RESET_PROGRESS, "reset-progress", no_argument, "",                                                  \
      N_("forget the progress kept for LESSON, or for every lesson"))                                     \
    X(THEME,     "theme",     required_argument, "NAME",                                                  \
      N_("colours: dark (the default), light (a white terminal) or\n"                                     \
      "contrast (a projector); :set theme NAME changes them"))                                            \
    X(HELP,      "help",      no_argument,       "",                                                      \
      N_("show this help and exit"))                                                                      \
    X(VERSION,   "version",   no_argument,       "",                                                      \
      N_("show the version and exit"))

#define OPTION_ID(id, name, arg, shown, help) OPT_##id,
enum { OPT_NONE = 255, MAIN_OPTIONS(OPTION_ID) };
_Static_assert(OPT_EXPORT - OPT_CHECK == MODE_EXPORT - MODE_CHECK, "the mode options follow enum mode");

#define OPTION_GETOPT(id, name, arg, shown, help) { name, arg, NULL, OPT_##id },
static const struct option options[] = { MAIN_OPTIONS(OPTION_GETOPT) { NULL, 0, NULL, 0 } };

#define OPTION_HELP(id, name, arg, shown, help) { name, shown, help },
static const struct { const char *name, *shown, *help; } option_help[] = { MAIN_OPTIONS(OPTION_HELP) };

static const char usage_head[] = N_(
    "Usage: bptutor [OPTION]... [LESSON]\n"
    "Learn backpropagation one node at a time.\n"
    "\n");
static const char usage_tail[] = N_(
    "\n"
    "Without a mode, bptutor opens the tutor on LESSON, or a lesson picker; when the output is not\n"
    "a terminal (or TERM=dumb) it prints the --plain walkthrough instead.\n"
    "LESSON is a path, or a number or slug (1, 01, one-weight) looked up in each directory DIR of\n"
    "$BPTUTOR_PATH (DIR/LANG/, then DIR/), then in bptutor/lessons/LANG/ under $XDG_DATA_HOME\n"
    "(~/.local/share) and under each directory of $XDG_DATA_DIRS (/usr/local/share:/usr/share),\n"
    "then in %s/lessons/LANG/.\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n");

static void print_usage(void)
{
    fputs(_(usage_head), stdout);
    for (size_t i = 0; i < sizeof option_help / sizeof option_help[0]; i++) {
        char label[64];
        snprintf(label, sizeof label, "--%s%s%s", option_help[i].name, *option_help[i].shown ? " " : "",
                 option_help[i].shown);
        printf("  %-20s ", label);
        const char *h = _(option_help[i].help), *nl;
        for (; (nl = strchr(h, '\n')) != NULL; h = nl + 1)
            printf("%.*s\n%23s", (int)(nl - h), h, "");
        printf("%s\n", h);
    }
    printf(_(usage_tail), BPTUTOR_DATADIR);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "bptutor: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", _("Try 'bptutor --help' for more information.\n"));
    return EXIT_USAGE;
}

/* ---------------------------------------------------------------- the learner's language ------- */

/*
 * The screen speaks the language the lessons are looked up in (catalog_pick_langs: --lang, else LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG), so a zh-TW lesson never runs inside an English interface. gettext is told
 * through LANGUAGE ("zh_TW:zh"; "en" means the English of the source), which it reads only when LC_MESSAGES is
 * not the C locale: when it is (LANG=C, or LANG names a locale this machine has not generated, so setlocale
 * fell back to C), LC_MESSAGES becomes C.UTF-8. The catalogue comes from $BPTUTOR_LOCALEDIR when set (`make
 * run` and the tests use build/locale), else the installed LOCALEDIR; messages are UTF-8 whatever the locale's
 * codeset. textdomain is called last each time: it tells gettext that what it looked up before may change.
 */
static void speak(const catalog_langs *ls)
{
    char want[64] = "";
    for (int i = 0; i < ls->n; i++) {
        if (strcmp(ls->tag[i], "en") == 0 && i > 0)
            break; /* English is what gettext falls back to anyway */
        size_t used = strlen(want);
        snprintf(want + used, sizeof want - used, "%s%s", used ? ":" : "", ls->tag[i]);
    }
    for (char *p = want; *p; p++)
        if (*p == '-')
            *p = '_';
    setenv("LANGUAGE", want, 1);
    const char *now = setlocale(LC_MESSAGES, NULL);
    if (!now || strcmp(now, "C") == 0 || strcmp(now, "POSIX") == 0)
        setlocale(LC_MESSAGES, "C.UTF-8");
    const char *dir = getenv("BPTUTOR_LOCALEDIR");
    bindtextdomain("bptutor", dir && *dir ? dir : BPTUTOR_LOCALEDIR);
    bind_textdomain_codeset("bptutor", "UTF-8");
    textdomain("bptutor");
}

/* ---------------------------------------------------------------- finding lessons -------------- */

/* The file for a lesson named on the command line: 0 with its path, or −1 after saying where it looked. */
static int find_lesson(const char *want, const catalog_langs *ls, char *path, size_t n)
{
    if (catalog_find(want, ls, path, n) == 0)
        return 0;
    char where[4096];
    catalog_where(ls, where, sizeof where);
    fprintf(stderr, _("bptutor: no lesson '%s' in %s\n"), want, where);
    return -1;
}

/* Load the lesson at path and hold its text to the spoiler rule (walk_check); prints the problem and returns
 * NULL on failure. */
static lesson *load_lesson(const char *path)
{
    lesson_error err;
    lesson *l = lesson_load(path, &err);
    walk *w = l ? walk_new(l) : NULL;
    if (l && (!w || walk_check(w, &err) < 0)) {
        if (!w)
            snprintf(err.message, sizeof err.message, _("out of memory")), err.line = err.col = 0;
        lesson_free(l);
        l = NULL;
    }
    walk_free(w);
    if (l)
        lesson_evaluate(l); /* the walk ran a pass: the modes start from the lesson as it was read */
    if (!l) {
        char buf[2048];
        lesson_error_format(&err, path, buf, sizeof buf);
        fputs(text_printable(buf, 1), stderr);
    }
    return l;
}

/* A lesson's title, read without running the lesson (--list and the picker show one per lesson):
 * 1 with it in buf, 0 when the lesson has none, −1 when the file cannot be read. */
static int peek_title(const char *path, char *buf, size_t n)
{
    char *text;
    size_t len;
    lesson_error err;
    if (lesson_read_file(path, &text, &len, &err) < 0)
        return -1;
    int found = lesson_peek_title(text, len, buf, n) == 0;
    free(text);
    return found;
}

static const char unreadable[] = "(does not load; see bptutor --check)";

/* A lesson's file name and its title, from the file: printable (text_printable) either way. */
static void print_title(const char *stem, const char *path, void *ctx)
{
    (void)ctx;
    char title[LESSON_LINE_MAX], name[256];
    int found = peek_title(path, title, sizeof title);
    snprintf(name, sizeof name, "%s", stem);
    const char *shown = found < 0 ? unreadable : found ? text_printable(title, 0) : "(untitled)";
    printf("%-24s %s\n", text_printable(name, 0), shown);
}

static int list_lessons(const catalog_langs *ls)
{
    if (catalog_each(ls, print_title, NULL) == 0) {
        char where[4096];
        catalog_where(ls, where, sizeof where);
        fprintf(stderr, _("bptutor: no lessons found in %s\n"), where);
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
    char title[LESSON_LINE_MAX];
    int found = peek_title(path, title, sizeof title);
    p->c[p->n].name = strdup(stem);
    p->c[p->n].path = strdup(path);
    p->c[p->n].title = found < 0 ? strdup(unreadable) : found ? strdup(title) : NULL;
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

/* --reset-progress [LESSON]: forget what was done in one lesson, or in all; says what it did on stdout. */
static int reset_progress(const char *want, const catalog_langs *ls)
{
    char dir[4096], path[8192], key[PROGRESS_KEY_MAX + 1];
    if (progress_dir(0, dir, sizeof dir) < 0) {
        fputs("bptutor: no progress is kept: neither HOME nor XDG_STATE_HOME is set\n", stderr);
        return EXIT_RUNTIME;
    }
    if (want && find_lesson(want, ls, path, sizeof path) < 0)
        return EXIT_USAGE;
    if (want && progress_key(path, key, sizeof key) < 0) {
        fprintf(stderr, "bptutor: %s keeps no progress (only a file named *.lesson does)\n", text_printable(path, 0));
        return EXIT_USAGE;
    }
    int n;
    if (progress_clear(dir, want ? key : NULL, &n) < 0) {
        fprintf(stderr, "bptutor: cannot clear the progress in %s: %s\n", text_printable(dir, 0), strerror(errno));
        return EXIT_RUNTIME;
    }
    if (want)
        printf(n ? "the progress of %s is forgotten\n" : "%s had no progress kept\n", text_printable(key, 0));
    else
        printf("the progress of %d lesson%s is forgotten (%s)\n", n, n == 1 ? "" : "s", text_printable(dir, 0));
    return 0;
}

/* ---------------------------------------------------------------- the modes -------------------- */

/* A NaN prints as "nan", never "-nan": its sign bit means nothing (x86 makes the default NaN negative). */
static void print_numbers(const double *v, int n, const char *fmt)
{
    for (int i = 0; i < n; i++) {
        if (i)
            putchar(',');
        printf(fmt, isnan(v[i]) ? fabs(v[i]) : v[i]);
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

/* One lesson in a mode that prints (or the --plain fallback when the tutor cannot run here). */
static int print_lesson(enum mode mode, lesson *l, int epochs, int every, plain_options *po)
{
    switch (mode) {
    case MODE_PLAIN:
        po->epochs = epochs >= 1 ? epochs : 1;
        return plain_handout(stdout, l, po) ? EXIT_RUNTIME : 0;
    case MODE_EXPORT: {
        export_settings es = export_lesson_settings(l);
        if (epochs >= 0)
            es.epochs = epochs;
        return export_python(stdout, l, &es) != 0 ? EXIT_RUNTIME : 0;
    }
    case MODE_TRAIN:
        train(l, epochs >= 0 ? epochs : l->epochs, every);
        return 0;
    case MODE_DUMP:
        train(l, epochs >= 0 ? epochs : 0, 0);
        dump(l);
        return 0;
    case MODE_DOT:
        train(l, epochs >= 0 ? epochs : 0, 0);
        lesson_evaluate(l);
        return dot_write(stdout, l) != 0 ? EXIT_RUNTIME : 0;
    default:
        return plain_handout(stdout, l, po) ? EXIT_RUNTIME : 0;
    }
}

static int parse_count(const char *arg, const char *option, int min, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || errno || v < min || v > 1000000) {
        char msg[128];
        snprintf(msg, sizeof msg, _("%s needs a whole number from %d to 1000000, not '%%s'"), option, min);
        return usage_error(msg, arg);
    }
    *out = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    /* Messages and character classes follow the user's locale; numbers never do: a lesson says 0.01
     * whatever the reader's locale, and strtod and printf must read and print it so. Only those two
     * categories are read, the others stay "C" (tui_crt.c's tui_crt_locale says why). */
    setlocale(LC_CTYPE, "");
    setlocale(LC_MESSAGES, "");
    setlocale(LC_NUMERIC, "C");
    /* getopt reports bad options itself and names argv[0]; every other message says "bptutor:" */
    static char program[] = "bptutor";
    if (argc > 0)
        argv[0] = program;
    catalog_langs ls = catalog_pick_langs(NULL);
    speak(&ls); /* the environment's language until --lang says otherwise */

    enum mode mode = MODE_NONE;
    int epochs = -1, every = 1, every_given = 0, opt;
    const char *lang = NULL;
    tui_options topt = { .script = NULL, .cols = 80, .rows = 24 };
    int size_given = 0, tutor_option = 0, help = 0, reset = 0;
    plain_options popt = { .epochs = 1, .format = PLAIN_TEXT };
    const char *plain_option = NULL;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
        case OPT_CHECK:
        case OPT_TRAIN:
        case OPT_DUMP:
        case OPT_DOT:
        case OPT_LIST:
        case OPT_PLAIN:
        case OPT_EXPORT: {
            if (opt == OPT_EXPORT && strcmp(optarg, "python") != 0)
                return usage_error("--export writes python, not '%s'", optarg);
            enum mode m = (enum mode)(MODE_CHECK + (opt - OPT_CHECK));
            if (mode != MODE_NONE && mode != m)
                return usage_error("%s", _("choose one of --check, --train, --dump, --dot, --list, --plain and --export"));
            mode = m;
            break;
        }
        case OPT_EPOCHS:
            if (parse_count(optarg, "--epochs", 0, &epochs))
                return EXIT_USAGE;
            break;
        case OPT_NO_ANSWERS:
            popt.no_answers = 1;
            plain_option = "--no-answers";
            break;
        case OPT_NOTES:
            popt.notes = 1;
            plain_option = "--notes";
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") == 0)
                popt.format = PLAIN_TEXT;
            else if (strcmp(optarg, "markdown") == 0)
                popt.format = PLAIN_MARKDOWN;
            else
                return usage_error("--format is text or markdown, not '%s'", optarg);
            plain_option = "--format";
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
        case OPT_RESET_PROGRESS:
            reset = 1;
            break;
        case OPT_THEME:
            if ((topt.theme = tui_theme_parse(optarg)) < 0) {
                char need[160];
                snprintf(need, sizeof need, _("--theme needs %s, not '%%s'"), tui_theme_list());
                return usage_error(need, optarg);
            }
            tutor_option = 1;
            break;
        case OPT_SIZE:
            if (tui_parse_size(optarg, &topt.cols, &topt.rows) < 0)
                return usage_error(_("--size needs COLSxROWS from 1x1 to 1000x1000, like 80x24, not '%s'"),
                                   optarg);
            size_given = 1;
            break;
        case OPT_HELP: /* after --lang, which may come later */
            help = 1;
            break;
        case OPT_VERSION:
            puts("bptutor " BPTUTOR_VERSION);
            return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_RUNTIME;
        default: /* getopt has said what is wrong */
            fputs(_("Try 'bptutor --help' for more information.\n"), stderr);
            return EXIT_USAGE;
        }
    }
    if (lang) {
        ls = catalog_pick_langs(lang);
        speak(&ls);
    }
    topt.langs = ls;
    if (help) {
        print_usage();
        return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_RUNTIME;
    }
    int nargs = argc - optind;
    if (every_given && mode != MODE_TRAIN)
        return usage_error("%s", _("--every goes with --train"));
    if (epochs >= 0 && mode != MODE_TRAIN && mode != MODE_DUMP && mode != MODE_DOT && mode != MODE_PLAIN &&
        mode != MODE_EXPORT)
        return usage_error("%s", _("--epochs goes with --train, --dump, --dot, --plain or --export"));
    if (plain_option && mode != MODE_PLAIN)
        return usage_error(_("%s goes with --plain"), plain_option);
    if ((topt.script || size_given) && mode != MODE_NONE)
        return usage_error("%s", _("--script and --size go with the tutor, not with another mode"));
    if (tutor_option && mode != MODE_NONE)
        return usage_error("%s", _("--classroom, --no-quiz and --theme go with the tutor, not with another mode"));
    if (size_given && !topt.script)
        return usage_error("%s", _("--size goes with --script"));
    if (reset && (mode != MODE_NONE || topt.script || size_given || tutor_option))
        return usage_error("%s", _("--reset-progress goes alone, with at most a lesson"));
    if (reset && nargs > 1)
        return usage_error(_("one lesson at a time, but got '%s' too"), argv[optind + 1]);
    if (reset) {
        int status = reset_progress(nargs ? argv[optind] : NULL, &ls);
        return fflush(stdout) == 0 && !ferror(stdout) ? status : EXIT_RUNTIME;
    }
    const char *why = NULL;
    int screen = topt.script || tui_usable(&why) == 0;
    if (mode == MODE_LIST && nargs > 0)
        return usage_error(_("--list takes no lesson, but got '%s'"), argv[optind]);
    if (mode == MODE_CHECK && nargs == 0)
        return usage_error("%s", _("--check needs at least one lesson"));
    if (mode != MODE_CHECK && mode != MODE_LIST && nargs > 1)
        return usage_error(_("one lesson at a time, but got '%s' too"), argv[optind + 1]);
    if ((mode == MODE_TRAIN || mode == MODE_DUMP || mode == MODE_DOT || mode == MODE_PLAIN || mode == MODE_EXPORT) &&
        nargs == 0)
        return usage_error("%s", _("which lesson? Give a path, a number or a slug"));

    int status = 0;
    char path[8192];
    if (mode == MODE_NONE && nargs == 0 && screen) {
        status = pick_lesson(&ls, &topt);
    } else if (mode == MODE_LIST || (mode == MODE_NONE && nargs == 0)) {
        status = list_lessons(&ls);
    } else if (mode == MODE_CHECK) {
        for (int i = optind; i < argc; i++) {
            lesson *l = find_lesson(argv[i], &ls, path, sizeof path) == 0 ? load_lesson(path) : NULL;
            if (!l)
                status = EXIT_USAGE;
            lesson_free(l);
        }
    } else if (find_lesson(argv[optind], &ls, path, sizeof path) < 0) {
        return EXIT_USAGE;
    } else if (mode == MODE_NONE && screen) {
        /* the tutor reads the lesson itself, once, and reports a lesson that does not load */
        const char *slash = strrchr(path, '/');
        status = tui_run(&topt, path, slash ? slash + 1 : path, NULL, 0);
    } else {
        lesson *l = load_lesson(path);
        if (!l)
            return EXIT_USAGE;
        if (mode == MODE_NONE)
            fprintf(stderr, _("bptutor: %s, so here is the walkthrough as text (--plain)\n"), why);
        status = print_lesson(mode, l, epochs, every, &popt);
        lesson_free(l);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "bptutor: cannot write the output: %s\n", strerror(errno));
        return EXIT_RUNTIME;
    }
    return status;
}
