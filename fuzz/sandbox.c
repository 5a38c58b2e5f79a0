/*
 * sandbox.c — where a fuzzed program may write. The fuzz build renames the calls of bptutor's own objects to
 * the functions below (objcopy --redefine-sym, in the Makefile; libFuzzer's and the libraries' calls are left
 * alone), and a file may then be created, replaced, renamed, linked or removed only when its name has no '/'
 * (a file in the sandbox directory fuzz/run starts the target in) or it is /dev/null. A fuzzed `:export! dot
 * /etc/passwd` must stay a fuzzed one, even when the fuzzer runs as root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fuzz_sandbox_open(const char *path, int flags, ...);
FILE *fuzz_sandbox_fopen(const char *path, const char *mode);
int fuzz_sandbox_rename(const char *from, const char *to);
int fuzz_sandbox_link(const char *from, const char *to);
int fuzz_sandbox_unlink(const char *path);
int fuzz_sandbox_mkdir(const char *path, mode_t mode);

static int may_write(const char *path)
{
    return path && (strcmp(path, "/dev/null") == 0 || (*path && !strchr(path, '/')));
}

static int refuse(void)
{
    errno = EACCES;
    return -1;
}

int fuzz_sandbox_open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if ((flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) && !may_write(path))
        return refuse();
    return open(path, flags, mode);
}

FILE *fuzz_sandbox_fopen(const char *path, const char *mode)
{
    if (strpbrk(mode, "wa+") && !may_write(path)) {
        errno = EACCES;
        return NULL;
    }
    return fopen(path, mode);
}

int fuzz_sandbox_rename(const char *from, const char *to)
{
    return may_write(from) && may_write(to) ? rename(from, to) : refuse();
}

int fuzz_sandbox_link(const char *from, const char *to)
{
    return may_write(from) && may_write(to) ? link(from, to) : refuse();
}

int fuzz_sandbox_unlink(const char *path)
{
    return may_write(path) ? unlink(path) : refuse();
}

int fuzz_sandbox_mkdir(const char *path, mode_t mode)
{
    return may_write(path) ? mkdir(path, mode) : refuse();
}
