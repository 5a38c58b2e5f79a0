/* catalog.c — finding lessons by path, number or slug (see catalog.h). */
#include "catalog.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BPTUTOR_DATADIR
#define BPTUTOR_DATADIR "/usr/local/share/bptutor"
#endif

enum { MAX_DIRS = 32, PATH_LEN = 4096, MAX_LESSONS = 512 };

static void add_lang(catalog_langs *ls, const char *tag)
{
    for (int i = 0; i < ls->n; i++)
        if (strcmp(ls->tag[i], tag) == 0)
            return;
    if (ls->n < 3 && *tag && strlen(tag) < sizeof ls->tag[0])
        strcpy(ls->tag[ls->n++], tag);
}

catalog_langs catalog_pick_langs(const char *option)
{
    catalog_langs ls = { { { 0 } }, 0 };
    const char *v = option;
    static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; !v && i < sizeof vars / sizeof vars[0]; i++) {
        const char *e = getenv(vars[i]);
        if (e && *e)
            v = e;
    }
    if (v) {
        char tag[16];
        size_t n = 0;
        while (v[n] && v[n] != ':' && v[n] != '.' && v[n] != '@' && n < sizeof tag - 1) {
            tag[n] = v[n] == '_' ? '-' : v[n];
            n++;
        }
        tag[n] = '\0';
        if (strcmp(tag, "C") != 0 && strcmp(tag, "POSIX") != 0) {
            add_lang(&ls, tag);
            char *dash = strchr(tag, '-');
            if (dash) {
                *dash = '\0';
                add_lang(&ls, tag);
            }
        }
    }
    add_lang(&ls, "en");
    return ls;
}

/* Directories to search, in order. */
typedef struct dirs {
    char d[MAX_DIRS][PATH_LEN];
    int n;
} dirs;

static void add_dir(dirs *ds, const char *dir, size_t dir_len, const char *tail, const char *lang)
{
    if (ds->n >= MAX_DIRS || dir_len == 0 || dir_len > PATH_LEN - 100)
        return;
    char *d = ds->d[ds->n];
    snprintf(d, PATH_LEN, "%.*s%s%s", (int)dir_len, dir, tail, lang);
    for (int i = 0; i < ds->n; i++) /* /usr/local/share/bptutor is both an XDG directory and DATADIR */
        if (strcmp(ds->d[i], d) == 0)
            return;
    ds->n++;
}

/* XDG's base directories hold absolute paths only: a relative one is ignored, as the specification says. */
static int absolute(const char *dir)
{
    return dir && dir[0] == '/';
}

/* The directories that may hold lessons in language lang, in search order (see catalog.h). */
static void lesson_dirs(const char *lang, dirs *ds)
{
    ds->n = 0;
    for (const char *p = getenv("BPTUTOR_PATH"); p && *p; p += *p == ':') {
        size_t k = strcspn(p, ":");
        add_dir(ds, p, k, "/", lang);
        add_dir(ds, p, k, "", "");
        p += k;
    }
    const char *data_home = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (absolute(data_home))
        add_dir(ds, data_home, strlen(data_home), "/bptutor/lessons/", lang);
    else if (home && *home)
        add_dir(ds, home, strlen(home), "/.local/share/bptutor/lessons/", lang);
    const char *data_dirs = getenv("XDG_DATA_DIRS");
    if (!data_dirs || !*data_dirs)
        data_dirs = "/usr/local/share:/usr/share";
    for (const char *p = data_dirs; *p; p += *p == ':') {
        size_t k = strcspn(p, ":");
        if (absolute(p))
            add_dir(ds, p, k, "/bptutor/lessons/", lang);
        p += k;
    }
    add_dir(ds, BPTUTOR_DATADIR, strlen(BPTUTOR_DATADIR), "/lessons/", lang);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Does file name f ("01-one-weight.lesson") answer to want ("1", "01", "one-weight", "01-one-weight")? */
static int lesson_matches(const char *f, const char *want)
{
    if (!has_suffix(f, ".lesson"))
        return 0;
    size_t stem = strlen(f) - strlen(".lesson");
    if (strlen(want) == stem && strncmp(f, want, stem) == 0)
        return 1;
    size_t digits = strspn(f, "0123456789");
    if (digits == 0 || f[digits] != '-')
        return 0;
    if (*want && want[strspn(want, "0123456789")] == '\0')
        return atol(want) == atol(f);
    const char *slug = f + digits + 1;
    return strlen(want) == stem - digits - 1 && strncmp(slug, want, stem - digits - 1) == 0;
}

int catalog_find(const char *want, const catalog_langs *ls, char *out, size_t n)
{
    if (strchr(want, '/') || has_suffix(want, ".lesson") || access(want, F_OK) == 0) {
        int k = snprintf(out, n, "%s", want);
        return k >= 0 && (size_t)k < n ? 0 : -1;
    }
    static dirs ds;
    for (int li = 0; li < ls->n; li++) {
        lesson_dirs(ls->tag[li], &ds);
        for (int d = 0; d < ds.n; d++) {
            DIR *dir = opendir(ds.d[d]);
            if (!dir)
                continue;
            struct dirent *e;
            char best[256] = "";
            while ((e = readdir(dir)) != NULL)
                if (lesson_matches(e->d_name, want) && (!*best || strcmp(e->d_name, best) < 0))
                    snprintf(best, sizeof best, "%s", e->d_name);
            closedir(dir);
            if (*best) {
                int k = snprintf(out, n, "%s/%s", ds.d[d], best);
                return k >= 0 && (size_t)k < n ? 0 : -1;
            }
        }
    }
    return -1;
}

typedef struct found {
    char *file; /* "01-one-weight.lesson" */
    char *path;
} found;

static int compare_files(const void *a, const void *b)
{
    return strcmp(((const found *)a)->file, ((const found *)b)->file);
}

/* Add the lessons in dir that no earlier directory had: an earlier file of the same name shadows it, as
 * catalog_find would. */
static void collect(const char *dir, found *fs, int *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && *n < MAX_LESSONS) {
        if (!has_suffix(e->d_name, ".lesson") || e->d_name[0] == '.')
            continue;
        int seen = 0;
        for (int i = 0; i < *n && !seen; i++)
            seen = strcmp(fs[i].file, e->d_name) == 0;
        if (seen)
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        found f = { strdup(e->d_name), malloc(len) };
        if (f.file && f.path) {
            snprintf(f.path, len, "%s/%s", dir, e->d_name);
            fs[(*n)++] = f;
        } else {
            free(f.file), free(f.path);
        }
    }
    closedir(d);
}

int catalog_each(const catalog_langs *ls, void (*fn)(const char *stem, const char *path, void *ctx), void *ctx)
{
    static dirs ds;
    static found fs[MAX_LESSONS];
    int n = 0;
    for (int li = 0; li < ls->n && n == 0; li++) {
        lesson_dirs(ls->tag[li], &ds);
        for (int d = 0; d < ds.n; d++)
            collect(ds.d[d], fs, &n);
    }
    qsort(fs, (size_t)n, sizeof fs[0], compare_files);
    for (int i = 0; i < n; i++) {
        fs[i].file[strlen(fs[i].file) - strlen(".lesson")] = '\0';
        fn(fs[i].file, fs[i].path, ctx);
        free(fs[i].file), free(fs[i].path);
    }
    return n;
}

int catalog_where(const catalog_langs *ls, char *buf, size_t n)
{
    static dirs ds;
    lesson_dirs(ls->tag[0], &ds);
    int len = 0;
    if (n > 0)
        buf[0] = '\0';
    for (int d = 0; d < ds.n; d++) {
        const char *sep = d == 0 ? "" : d == ds.n - 1 ? " or " : ", ";
        char *at = (size_t)len < n ? buf + len : NULL; /* NULL: only count what would not fit */
        int k = snprintf(at, at ? n - (size_t)len : 0, "%s%s/", sep, ds.d[d]);
        if (k < 0)
            return k;
        len += k;
    }
    return len;
}
