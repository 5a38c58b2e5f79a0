/*
 * catalog.h — where lessons are found. A lesson is named by a path, or by a number or slug ("1", "01",
 * "one-weight", "01-one-weight") looked up, for each language wanted, in this order:
 *   each DIR of $BPTUTOR_PATH: DIR/LANG/, then DIR/
 *   $XDG_DATA_HOME/bptutor/lessons/LANG/ (by default ~/.local/share/bptutor/lessons/LANG/)
 *   DIR/bptutor/lessons/LANG/ for each DIR of $XDG_DATA_DIRS (by default /usr/local/share:/usr/share)
 *   the installed BPTUTOR_DATADIR/lessons/LANG/
 * The working directory is not searched: a ./lessons folder there must not shadow the installed lessons
 * (`make run` points BPTUTOR_PATH at the source tree's). Relative XDG directories are ignored, as the XDG
 * Base Directory specification says.
 */
#ifndef BPTUTOR_CATALOG_H
#define BPTUTOR_CATALOG_H

#include <stddef.h>

/* Languages to try, most wanted first, always ending in "en". */
typedef struct catalog_langs {
    char tag[3][16];
    int n;
} catalog_langs;

/* From --lang when given, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG: "zh_TW.UTF-8" → zh-TW, zh, en. */
catalog_langs catalog_pick_langs(const char *option);

/* The file for want: 0 with its path in out, or −1. */
int catalog_find(const char *want, const catalog_langs *ls, char *out, size_t n);

/* Each lesson of the first language that has any, from all the directories above, in name order:
 * fn(stem, path, ctx), where stem is the file name without ".lesson". A file shadows one of the same name
 * in a later directory, as in catalog_find. Returns how many. */
int catalog_each(const catalog_langs *ls, void (*fn)(const char *stem, const char *path, void *ctx), void *ctx);

/* Where a lookup in the first language looks, for messages: "/home/ann/.local/share/bptutor/lessons/en/,
 * /usr/local/share/bptutor/lessons/en/ or /usr/share/bptutor/lessons/en/". Returns what snprintf would. */
int catalog_where(const catalog_langs *ls, char *buf, size_t n);

#endif
