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

enum { MAX_DIRS = 16, PATH_LEN = 4096, MAX_LESSONS = 512 };

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

/* The directories that may hold lessons in language lang, in search order. */
static int lesson_dirs(const char *lang, char dirs[][PATH_LEN], int max)
{
    int n = 0;
    const char *path = getenv("BPTUTOR_PATH");
    while (path && *path && n + 2 <= max) {
        size_t k = strcspn(path, ":");
        if (k > 0 && k < PATH_LEN - 100) {
            snprintf(dirs[n++], PATH_LEN, "%.*s/%s", (int)k, path, lang);
            snprintf(dirs[n++], PATH_LEN, "%.*s", (int)k, path);
        }
        path += k + (path[k] == ':');
    }
    if (n < max)
        snprintf(dirs[n++], PATH_LEN, "lessons/%s", lang);
    if (n < max)
        snprintf(dirs[n++], PATH_LEN, "%s/lessons/%s", BPTUTOR_DATADIR, lang);
    return n;
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
    for (int li = 0; li < ls->n; li++) {
        static char dirs[MAX_DIRS][PATH_LEN];
        int nd = lesson_dirs(ls->tag[li], dirs, MAX_DIRS);
        for (int d = 0; d < nd; d++) {
            DIR *dir = opendir(dirs[d]);
            if (!dir)
                continue;
            struct dirent *e;
            char best[256] = "";
            while ((e = readdir(dir)) != NULL)
                if (lesson_matches(e->d_name, want) && (!*best || strcmp(e->d_name, best) < 0))
                    snprintf(best, sizeof best, "%s", e->d_name);
            closedir(dir);
            if (*best) {
                int k = snprintf(out, n, "%s/%s", dirs[d], best);
                return k >= 0 && (size_t)k < n ? 0 : -1;
            }
        }
    }
    return -1;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int catalog_each(const catalog_langs *ls, void (*fn)(const char *stem, const char *path, void *ctx), void *ctx)
{
    int found = 0;
    for (int li = 0; li < ls->n && !found; li++) {
        static char dirs[MAX_DIRS][PATH_LEN];
        int nd = lesson_dirs(ls->tag[li], dirs, MAX_DIRS);
        for (int d = 0; d < nd && !found; d++) {
            DIR *dir = opendir(dirs[d]);
            if (!dir)
                continue;
            char *names[MAX_LESSONS];
            int nn = 0;
            struct dirent *e;
            while ((e = readdir(dir)) != NULL && nn < MAX_LESSONS)
                if (has_suffix(e->d_name, ".lesson") && e->d_name[0] != '.')
                    names[nn] = strdup(e->d_name), nn += names[nn] != NULL;
            closedir(dir);
            qsort(names, (size_t)nn, sizeof names[0], compare_names);
            for (int i = 0; i < nn; i++) {
                char path[2 * PATH_LEN];
                if (strlen(dirs[d]) + strlen(names[i]) + 2 <= sizeof path) { /* else: too long to open */
                    memcpy(path, dirs[d], strlen(dirs[d]));
                    path[strlen(dirs[d])] = '/';
                    strcpy(path + strlen(dirs[d]) + 1, names[i]);
                    names[i][strlen(names[i]) - strlen(".lesson")] = '\0';
                    fn(names[i], path, ctx);
                }
                free(names[i]);
                found++;
            }
        }
    }
    return found;
}

int catalog_where(const catalog_langs *ls, char *buf, size_t n)
{
    return snprintf(buf, n, "$BPTUTOR_PATH, ./lessons/%s/ or %s/lessons/%s/", ls->tag[0], BPTUTOR_DATADIR,
                    ls->tag[0]);
}
