/* file.c — reading only regular files, and writing a file in one step (see file.h). */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t mode)
{
    return S_ISDIR(mode)                   ? "a directory"
           : S_ISFIFO(mode)                ? "a FIFO"
           : S_ISCHR(mode) || S_ISBLK(mode) ? "a device"
           : S_ISSOCK(mode)                ? "a socket"
                                           : "not a regular file";
}

int file_regular(const char *path, const char **why)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = strerror(errno);
        return 0;
    }
    if (S_ISREG(st.st_mode))
        return 1;
    *why = kind(st.st_mode);
    return 0;
}

int file_read(const char *path, size_t max, char **text, size_t *len, const char **why)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *why = strerror(errno);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        *why = S_ISREG(st.st_mode) ? "larger than the limit" : kind(st.st_mode);
        close(fd);
        return -1;
    }
    /* the file may grow while it is read: never more than max */
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap + 1);
    const char *failed = buf ? NULL : "out of memory";
    while (!failed && n <= max) {
        if (n == cap) {
            char *more = realloc(buf, 2 * cap + 1);
            if (!more) {
                failed = "out of memory";
                break;
            }
            buf = more, cap *= 2;
        }
        ssize_t k = read(fd, buf + n, cap - n);
        if (k == 0)
            break;
        if (k < 0 && errno != EINTR)
            failed = strerror(errno);
        n += k > 0 ? (size_t)k : 0;
    }
    close(fd);
    if (failed || n > max) {
        *why = failed ? failed : "larger than the limit";
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

/* A new, empty file beside path (in its directory), opened for writing; its name into tmp. NULL with errno. */
static FILE *create_beside(const char *path, char *tmp, size_t n)
{
    static unsigned counter;
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path + 1) : 0;
    for (int tries = 0; tries < 100; tries++) {
        if (snprintf(tmp, n, "%.*s.bptutor-%ld-%u.tmp", dir, path, (long)getpid(), counter++) >= (int)n) {
            errno = ENAMETOOLONG;
            return NULL;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0666);
        if (fd >= 0) {
            FILE *f = fdopen(fd, "w");
            if (f)
                return f;
            int e = errno;
            close(fd);
            unlink(tmp);
            errno = e;
            return NULL;
        }
        if (errno != EEXIST)
            return NULL;
    }
    return NULL;
}

int file_temp_of(const char *name, long *pid)
{
    unsigned k;
    int end = 0;
    return sscanf(name, ".bptutor-%ld-%u.tmp%n", pid, &k, &end) == 2 && end > 0 && !name[end] && *pid > 0;
}

/* Give the finished temporary file its name: link, which fails when the name exists, unless replacing. */
static int take_name(const char *tmp, const char *path, int replace)
{
    if (replace)
        return rename(tmp, path);
    if (link(tmp, path) == 0)
        return unlink(tmp), 0;
    if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
        return -1;
    struct stat st; /* a file system without hard links: ask, then rename */
    if (lstat(path, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(tmp, path);
}

int file_write(const char *path, int replace, int (*write_to)(FILE *f, void *ctx), void *ctx)
{
    struct stat st;
    if (!*path) {
        errno = ENOENT;
        return -1;
    }
    if (!replace && lstat(path, &st) == 0) { /* say so before writing anything; take_name asks again */
        errno = EEXIST;
        return -1;
    }
    char tmp[4096 + 64];
    FILE *f = create_beside(path, tmp, sizeof tmp);
    if (!f)
        return -1;
    errno = 0;
    int bad = write_to(f, ctx) != 0 || fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad)
        bad = 1, e = errno;
    if (!bad && take_name(tmp, path, replace) == 0)
        return 0;
    if (!bad)
        e = errno;
    unlink(tmp);
    errno = e ? e : EIO;
    return -1;
}

int file_state_path(int scripted, const char *name, char *buf, size_t n)
{
    const char *state = getenv("XDG_STATE_HOME");
    int k;
    if (state && *state == '/') {
        k = snprintf(buf, n, "%s/bptutor/%s", state, name);
    } else {
        const char *home = getenv("HOME");
        if (scripted || !home || !*home)
            return -1;
        k = snprintf(buf, n, "%s/.local/state/bptutor/%s", home, name);
    }
    return k > 0 && (size_t)k < n ? 0 : -1;
}

int file_make_parents(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int bad = 0;
    for (char *p = copy + 1; *p && !bad; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        bad = mkdir(copy, 0700) != 0 && errno != EEXIST;
        *p = '/';
    }
    int e = errno;
    free(copy);
    errno = e;
    return bad ? -1 : 0;
}
