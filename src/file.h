/*
 * file.h — the files bptutor opens and writes because someone at the ':' prompt named them: `:load FILE`, the
 * prompt's history, `:export dot FILE`, `:save-display FILE`.
 *
 * A name typed at the prompt may be anything: a FIFO (opening it waits for a writer, forever), a device, a
 * directory, a symlink to a file that matters, a file that is already there. So what is read must be a
 * regular file, asked without opening it (opening a FIFO blocks, a tape rewinds); and what is written goes to
 * a new file in the same directory first, which then takes the name in one step (rename, or link when nothing
 * may be replaced): the name is never half-written, never written through a symlink, and an existing file is
 * replaced only when the caller says so (`:export! dot FILE`, like vim's `:w!`).
 *
 * The lesson named on the command line is not asked this: `bptutor <(generate)` reads a pipe, once.
 */
#ifndef BPTUTOR_FILE_H
#define BPTUTOR_FILE_H

#include <stdio.h>

/* Is path a regular file (after symlinks)? 1; else 0 with *why saying what it is instead ("a directory",
 * "a FIFO", "a device", "a socket") or why it cannot be asked (strerror, errno kept). */
int file_regular(const char *path, const char **why);

/* Read the regular file path whole: opened without blocking (a FIFO put there after any check cannot hold
 * the program), asked what it is by the open file itself, and read only when it is a regular file of at most
 * max bytes. 0 with a malloc'd *text of *len bytes (NUL-terminated, the NUL not counted), or −1 with *why
 * as file_regular gives it, or "larger than the limit". */
int file_read(const char *path, size_t max, char **text, size_t *len, const char **why);

/*
 * Write path with what write_to(f, ctx) writes (it returns 0, or −1 when it failed), through a temporary file
 * beside it. An existing path (a file, a symlink, anything) is replaced only with replace set; without it
 * the answer is −1 with errno EEXIST. 0, or −1 with errno, and then path is as it was.
 */
int file_write(const char *path, int replace, int (*write_to)(FILE *f, void *ctx), void *ctx);
/* Is name (a file name, no directory) one of file_write's temporary files, .bptutor-PID-N.tmp? 1 with the PID
 * of the process that made it in *pid, else 0. */
int file_temp_of(const char *name, long *pid);

/*
 * Where bptutor keeps what it remembers between runs (the prompt's history, the learner's progress):
 * $XDG_STATE_HOME/bptutor/NAME, else ~/.local/state/bptutor/NAME (a relative XDG_STATE_HOME is ignored, as
 * the XDG specification says). A scripted run keeps its replay the same run after run and leaves the
 * learner's own files alone: it has a state path only when XDG_STATE_HOME is set. 0 with the path in buf, or
 * −1 for none.
 */
int file_state_path(int scripted, const char *name, char *buf, size_t n);

/* Create the directories that lead to path (not path itself), each readable by its owner only. 0, or −1 with
 * errno. */
int file_make_parents(const char *path);

#endif
