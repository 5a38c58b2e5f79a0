/* progress.c — a learner's progress per lesson, one file each, written in one step (see progress.h). */
#include "progress.h"

#include "file.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char magic[] = "bptutor progress 1";
static const char suffix[] = ".progress";
static const char lesson_suffix[] = ".lesson";

int progress_dir(int scripted, char *buf, size_t n)
{
    return file_state_path(scripted, "progress", buf, n);
}

int progress_key(const char *path, char *key, size_t n)
{
    const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
    size_t len = strlen(name), stem = len - (sizeof lesson_suffix - 1);
    if (len < sizeof lesson_suffix || strcmp(name + stem, lesson_suffix) != 0 || stem == 0 || name[0] == '.' ||
        stem > PROGRESS_KEY_MAX || stem >= n)
        return -1;
    for (size_t i = 0; i < stem; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return -1;
    memcpy(key, name, stem);
    key[stem] = '\0';
    return 0;
}

/* dir/KEY.progress, and with more after it (".bad"). */
static int file_of(const char *dir, const char *key, const char *more, char *buf, size_t n)
{
    int k = snprintf(buf, n, "%s/%s%s%s", dir, key, suffix, more);
    return k > 0 && (size_t)k < n ? 0 : -1;
}

/* ---------------------------------------------------------------- the text */

int progress_format(const progress *p, char *buf, size_t n)
{
    return snprintf(buf, n,
                    "%s\n"
                    "epoch %d\n"
                    "step %d\n"
                    "steps %d\n"
                    "quiz %s\n"
                    "tries %s\n"
                    "finished %d\n"
                    "score %d %d %d\n"
                    "later %d\n"
                    "saved %lld\n"
                    "end\n",
                    magic, p->epoch, p->step, p->steps, p->quiz[0] ? p->quiz : "-", p->tries[0] ? p->tries : "-",
                    p->finished, p->right, p->total, p->answered, p->later, p->saved);
}

/* The numbers of a line's value: exactly want of them, each from 0 to max. */
static int numbers(const char *v, int want, long long max, long long *out)
{
    for (int i = 0; i < want; i++) {
        if (*v < '0' || *v > '9')
            return -1;
        char *end;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (errno || x > max || (*end != ' ' && *end != '\0') || (*end == ' ') != (i + 1 < want))
            return -1;
        out[i] = x;
        v = end + (*end == ' ');
    }
    return *v ? -1 : 0;
}

int progress_parse(const char *text, size_t len, progress *p, char *why, size_t n)
{
    memset(p, 0, sizeof *p);
    if (memchr(text, '\0', len)) {
        snprintf(why, n, "a NUL byte");
        return -1;
    }
    enum { EPOCH = 1, STEP = 2, STEPS = 4, END = 8 };
    int seen = 0, line_no = 0;
    for (const char *line = text, *nl; line < text + len; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(text + len - line));
        if (!nl) {
            snprintf(why, n, _("line %d is cut short"), line_no + 1);
            return -1;
        }
        char buf[256];
        size_t k = (size_t)(nl - line);
        line_no++;
        if (seen & END) {
            snprintf(why, n, _("line %d comes after the end"), line_no);
            return -1;
        }
        if (k >= sizeof buf) {
            snprintf(why, n, _("line %d is too long"), line_no);
            return -1;
        }
        memcpy(buf, line, k);
        buf[k] = '\0';
        if (line_no == 1) {
            if (strcmp(buf, magic) != 0) {
                snprintf(why, n, _("it does not start with \"%s\""), magic);
                return -1;
            }
            continue;
        }
        char *v = strchr(buf, ' ');
        if (v)
            *v++ = '\0';
        else
            v = buf + k;
        long long x[3];
        int bad = 0;
        if (strcmp(buf, "end") == 0) {
            bad = *v != '\0';
            seen |= END;
        } else if (strcmp(buf, "epoch") == 0) {
            bad = numbers(v, 1, 1000000000, x) < 0;
            p->epoch = (int)x[0];
            seen |= EPOCH;
        } else if (strcmp(buf, "step") == 0) {
            bad = numbers(v, 1, 1000000000, x) < 0;
            p->step = (int)x[0];
            seen |= STEP;
        } else if (strcmp(buf, "steps") == 0) {
            bad = numbers(v, 1, 1000000000, x) < 0;
            p->steps = (int)x[0];
            seen |= STEPS;
        } else if (strcmp(buf, "finished") == 0) {
            bad = numbers(v, 1, 1, x) < 0;
            p->finished = (int)x[0];
        } else if (strcmp(buf, "score") == 0) {
            bad = numbers(v, 3, 1000000, x) < 0 || x[0] > x[1] || x[2] > x[1];
            p->right = (int)x[0], p->total = (int)x[1], p->answered = (int)x[2];
        } else if (strcmp(buf, "later") == 0) {
            bad = numbers(v, 1, 1000000, x) < 0;
            p->later = (int)x[0];
        } else if (strcmp(buf, "saved") == 0) {
            bad = numbers(v, 1, (long long)1 << 62, x) < 0;
            p->saved = x[0];
        } else if (strcmp(buf, "quiz") == 0) {
            size_t q = strcmp(v, "-") == 0 ? 0 : strlen(v);
            bad = q > PROGRESS_QUIZ_MAX || strspn(v, ".rsk") != q;
            memcpy(p->quiz, v, bad ? 0 : q);
            p->quiz[bad ? 0 : q] = '\0';
        } else if (strcmp(buf, "tries") == 0) {
            size_t q = strcmp(v, "-") == 0 ? 0 : strlen(v);
            bad = q > PROGRESS_QUIZ_MAX || strspn(v, "0123") != q;
            memcpy(p->tries, v, bad ? 0 : q);
            p->tries[bad ? 0 : q] = '\0';
        }
        if (bad) {
            snprintf(why, n, _("line %d (%.20s) does not read"), line_no, buf);
            return -1;
        }
    }
    if (line_no == 0) {
        snprintf(why, n, _("it is empty"));
        return -1;
    }
    if ((seen & (EPOCH | STEP | STEPS | END)) != (EPOCH | STEP | STEPS | END)) {
        snprintf(why, n, "%s", !(seen & END) ? _("it has no end line") : _("the place is missing"));
        return -1;
    }
    if ((p->epoch == 0) != (p->steps == 0) || (p->steps > 0 && p->step >= p->steps)) {
        snprintf(why, n, _("step %d of %d in epoch %d is no place"), p->step, p->steps, p->epoch);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- the files */

int progress_load(const char *dir, const char *key, progress *p, char *why, size_t n)
{
    memset(p, 0, sizeof *p);
    char path[4096], bad[4096 + 8];
    if (file_of(dir, key, "", path, sizeof path) < 0 || file_of(dir, key, ".bad", bad, sizeof bad) < 0)
        return 0;
    char *text;
    size_t len;
    const char *trouble;
    char what[200];
    if (file_read(path, PROGRESS_FILE_MAX, &text, &len, &trouble) < 0) {
        if ((errno == ENOENT || errno == ENOTDIR) && strcmp(trouble, strerror(errno)) == 0)
            return 0; /* not there, or no directory for it: nothing kept (a save will say what is wrong) */
        snprintf(what, sizeof what, "%s", trouble);
    } else {
        int ok = progress_parse(text, len, p, what, sizeof what) == 0;
        free(text);
        if (ok)
            return 1;
        memset(p, 0, sizeof *p);
    }
    /* set aside (a directory or a FIFO too), so that it is reported once and the next save is not refused */
    if (rename(path, bad) == 0)
        snprintf(why, n, _("%s's progress set aside as .progress.bad: %s"), key, what);
    else
        snprintf(why, n, _("%s's progress does not read (%s) and cannot be set aside: %s"), key, what, strerror(errno));
    return -1;
}

static int write_progress(FILE *f, void *ctx)
{
    char buf[1024];
    int k = progress_format(ctx, buf, sizeof buf);
    return k > 0 && (size_t)k < sizeof buf && fputs(buf, f) >= 0 ? 0 : -1;
}

/* A save killed between creating its temporary file and renaming it leaves the file behind (file.c names it
 * .bptutor-PID-N.tmp). The first save of a process removes those whose process is gone; a live PID's file may
 * be another tutor's save in flight and stays. A reused PID keeps a stale file until --reset-progress. */
static void sweep_dead_saves(const char *dir)
{
    static int swept;
    if (swept)
        return;
    swept = 1;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[4096 + 256];
    while ((e = readdir(d)) != NULL) {
        long pid;
        if (!file_temp_of(e->d_name, &pid) || pid == (long)getpid())
            continue;
        if ((kill((pid_t)pid, 0) == 0 || errno != ESRCH) ||
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        unlink(path); /* gone already, or not ours to remove: nothing to report */
    }
    closedir(d);
}

int progress_save(const char *dir, const char *key, const progress *p)
{
    char path[4096];
    if (file_of(dir, key, "", path, sizeof path) < 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (file_make_parents(path) < 0)
        return -1;
    sweep_dead_saves(dir);
    return file_write(path, 1, write_progress, (void *)p);
}

static int has_suffix(const char *s, const char *end)
{
    size_t a = strlen(s), b = strlen(end);
    return a >= b && strcmp(s + a - b, end) == 0;
}

int progress_clear(const char *dir, const char *key, int *cleared)
{
    *cleared = 0;
    char path[4096 + 8];
    if (key) {
        int gone = 0;
        for (int i = 0; i < 2; i++) {
            if (file_of(dir, key, i ? ".bad" : "", path, sizeof path) < 0) {
                errno = ENAMETOOLONG;
                return -1;
            }
            if (unlink(path) == 0)
                gone |= i == 0;
            else if (errno != ENOENT)
                return -1;
        }
        *cleared = gone;
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    int failed = 0;
    long pid;
    while ((e = readdir(d)) != NULL) {
        const char *f = e->d_name;
        int ours = (f[0] != '.' && (has_suffix(f, suffix) || has_suffix(f, ".progress.bad"))) ||
                   file_temp_of(f, &pid);
        if (!ours || snprintf(path, sizeof path, "%s/%s", dir, f) >= (int)sizeof path)
            continue;
        if (unlink(path) == 0)
            *cleared += has_suffix(f, suffix);
        else if (errno != ENOENT && !failed)
            failed = errno;
    }
    closedir(d);
    errno = failed;
    return failed ? -1 : 0;
}

/* ---------------------------------------------------------------- in words */

int progress_started(const progress *p)
{
    return p->epoch > 1 || (p->epoch == 1 && p->step > 0);
}

int progress_resumable(const progress *p)
{
    return p->epoch == 1 && p->step > 0 && p->step < p->steps - 1;
}

int progress_describe(const progress *p, char *buf, size_t n)
{
    if (p->finished && p->answered > 0)
        return snprintf(buf, n, _("done, %d/%d first try"), p->right, p->total);
    if (p->finished)
        return snprintf(buf, n, _("done"));
    if (progress_started(p) && p->epoch == 1)
        return snprintf(buf, n, _("step %d of %d"), p->step + 1, p->steps);
    if (progress_started(p))
        return snprintf(buf, n, _("epoch %d"), p->epoch);
    return snprintf(buf, n, _("new"));
}
