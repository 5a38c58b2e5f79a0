/* file.c — reading only regular files, and writing a file in one step (see file.h). */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int file_regular(const char *path, const char **why)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = strerror(errno);
        return 0;
    }
    if (S_ISREG(st.st_mode))
        return 1;
    *why = S_ISDIR(st.st_mode)                        ? "a directory"
           : S_ISFIFO(st.st_mode)                     ? "a FIFO"
           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
           : S_ISSOCK(st.st_mode)                     ? "a socket"
                                                      : "not a regular file";
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
