/*
 * tui_script.c — the key-script reader (see tui_script.h). A line gives one key, a key by name, a <Resize>,
 * a <Dump>, a ':' command typed and submitted, or <Type TEXT> typed as it stands; its keys wait in a queue
 * that grows to hold a whole line, up to TUI_SCRIPT_LINE_MAX bytes. Key names are the keymap's
 * (tui_key_parse), so a script and `:bind` write keys alike. A NUL byte or an over-long line is a bad line,
 * and so is a read error: a script either replays or says why not.
 */
#include "tui_script.h"

#include "i18n.h"
#include "text.h"

#include "tui.h"
#include "tui_crt.h"
#include "tui_keymap.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* <Resize WxH> is queued as this code followed by cols and rows, and happens when it comes out. */
enum { KEY_SCRIPT_RESIZE = TUI_KEY_DUMP_ATTRS + 1 };
/* <Frame> is queued as this code: no key, so the keys before it are drawn (tui_script_key_next), then dropped. */
enum { KEY_SCRIPT_FRAME = KEY_SCRIPT_RESIZE + 1 };

struct tui_script {
    FILE *f;
    char *path;
    int line;
    char *buf; /* the line being read */
    size_t size;
    int *queue, head, len, cap;
    int ahead; /* TUI_KEY_EOF or TUI_KEY_BAD met reading ahead (tui_script_key_next), for tui_script_key; or 0 */
    char error[512];
};

tui_script *tui_script_open(const char *path)
{
    tui_script *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->f = fopen(path, "r");
    s->path = strdup(path);
    struct stat st;
    if (s->f && fstat(fileno(s->f), &st) == 0 && S_ISDIR(st.st_mode))
        errno = EISDIR; /* fopen opens a directory, and every read of it fails */
    else if (s->f && s->path)
        return s;
    int e = errno;
    tui_script_close(s);
    errno = e;
    return NULL;
}

void tui_script_close(tui_script *s)
{
    if (!s)
        return;
    if (s->f)
        fclose(s->f);
    free(s->path);
    free(s->buf);
    free(s->queue);
    free(s);
}

const char *tui_script_error(const tui_script *s)
{
    return s->error;
}

int tui_script_waiting(const tui_script *s)
{
    return s->len > 0;
}

int tui_parse_size(const char *text, int *cols, int *rows)
{
    char *end;
    if (*text < '0' || *text > '9') /* strtol would take blanks and a sign */
        return -1;
    long c = strtol(text, &end, 10), r;
    if ((*end != 'x' && *end != 'X') || end[1] < '0' || end[1] > '9')
        return -1;
    r = strtol(end + 1, &end, 10);
    if (*end || c < 1 || c > 1000 || r < 1 || r > 1000) /* strtol's LONG_MAX on overflow is out of range too */
        return -1;
    *cols = (int)c;
    *rows = (int)r;
    return 0;
}

static void enqueue(tui_script *s, int key)
{
    if (s->len == s->cap) {
        int cap = s->cap ? 2 * s->cap : 256;
        int *q = malloc((size_t)cap * sizeof *q);
        if (!q)
            return;
        for (int i = 0; i < s->len; i++)
            q[i] = s->queue[(s->head + i) % s->cap];
        free(s->queue);
        s->queue = q;
        s->cap = cap;
        s->head = 0;
    }
    s->queue[(s->head + s->len++) % s->cap] = key;
}

static int dequeue(tui_script *s)
{
    int k = s->queue[s->head];
    s->head = (s->head + 1) % s->cap;
    s->len--;
    return k;
}

/* The error for this line; line (cut, and made printable) is quoted after what, unless it is NULL. The
 * "file:line: error: " prefix stays as it is in every language: editors and tests read it. */
static int bad(tui_script *s, const char *what, const char *line)
{
    snprintf(s->error, sizeof s->error, "%s:%d: error: %s%s%.200s", s->path, s->line, what, line ? ": " : "",
             line ? line : "");
    text_printable(s->error, 0);
    return TUI_KEY_BAD;
}

/* Read the next line into s->buf, NUL-terminated: 1, 0 at the end of the file, or TUI_KEY_BAD for a NUL byte,
 * a line longer than TUI_SCRIPT_LINE_MAX (found as soon as it is, so /dev/zero ends at once) or a read error. */
static int read_line(tui_script *s)
{
    size_t n = 0;
    int c;
    while ((c = getc(s->f)) != EOF) {
        if (n + 2 > s->size) {
            size_t size = s->size ? 2 * s->size : 256;
            char *buf = realloc(s->buf, size);
            if (!buf)
                return bad(s, _("out of memory"), NULL);
            s->buf = buf;
            s->size = size;
        }
        if (c == '\0' || (n == TUI_SCRIPT_LINE_MAX && c != '\n')) {
            char what[64];
            snprintf(what, sizeof what, c ? _("the line is longer than %d bytes") : _("a NUL byte in the line"),
                     TUI_SCRIPT_LINE_MAX);
            s->line++;
            s->buf[n] = '\0';
            return bad(s, what, NULL);
        }
        s->buf[n++] = (char)c;
        if (c == '\n')
            break;
    }
    if (c == EOF && ferror(s->f)) {
        /* TRANSLATORS: keep "%s:%d: error: " as it is; translate what follows */
        snprintf(s->error, sizeof s->error, _("%s:%d: error: cannot read: %s"), s->path, s->line + 1, strerror(errno));
        return TUI_KEY_BAD;
    }
    if (n == 0)
        return 0;
    s->buf[n] = '\0';
    s->line++;
    return 1;
}

/* Read lines until one gives keys; TUI_KEY_EOF at the end. */
static int fill(tui_script *s)
{
    while (s->len == 0) {
        int got = read_line(s);
        if (got <= 0)
            return got == 0 ? TUI_KEY_EOF : got;
        char *p = s->buf;
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
            p[--n] = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\0')
            continue;
        if (*p == ':') {
            for (char *c = p + 1; *c; c++)
                if (*c == '#' && (c[-1] == ' ' || c[-1] == '\t')) {
                    *c = '\0';
                    break;
                }
            n = strlen(p);
            while (n > 1 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
                p[--n] = '\0';
            for (char *c = p; *c; c++)
                enqueue(s, (unsigned char)*c);
            enqueue(s, '\r');
            continue;
        }
        /* <Type TEXT>: the text typed as it stands, without Enter (for the prompt's editing keys) */
        if (strncmp(p, "<Type ", 6) == 0) {
            char *close = strrchr(p, '>');
            if (!close || close[1])
                return bad(s, _("<Type TEXT> must end the line with '>'"), p);
            for (char *c = p + 6; c < close; c++)
                enqueue(s, (unsigned char)*c);
            continue;
        }
        /* a key or a key name, then perhaps a comment */
        char *end = p;
        if (*p == '<' && p[1] && p[1] != ' ' && p[1] != '\t') { /* "<" alone is the key < */
            end = strchr(p, '>');
            if (!end)
                return bad(s, _("unterminated key name"), p);
            end++;
        } else {
            uint32_t ch;
            end += text_char(end, strlen(end), &ch);
        }
        char *rest = end;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest && *rest != '#')
            return bad(s, _("one key per line (or a :command)"), p);
        *end = '\0';
        if (*p != '<' || strlen(p) == 1) { /* a single character, "<" alone included */
            for (char *c = p; *c; c++)
                enqueue(s, (unsigned char)*c);
            continue;
        }
        int cols, rows;
        if (strcmp(p, "<Frame>") == 0) {
            enqueue(s, KEY_SCRIPT_FRAME);
            continue;
        }
        if (strcmp(p, "<Dump>") == 0 || strcmp(p, "<DumpAttr>") == 0) {
            enqueue(s, p[5] == '>' ? TUI_KEY_DUMP : TUI_KEY_DUMP_ATTRS);
            continue;
        }
        if (strncmp(p, "<Resize ", 8) == 0) {
            p[strlen(p) - 1] = '\0'; /* the '>' */
            int ok = tui_parse_size(p + 8, &cols, &rows) == 0;
            p[strlen(p)] = '>';
            if (!ok)
                return bad(s, _("<Resize COLSxROWS> needs sizes from 1x1 to 1000x1000"), p);
            enqueue(s, KEY_SCRIPT_RESIZE);
            enqueue(s, cols);
            enqueue(s, rows);
            continue;
        }
        int key = tui_key_parse(p, strlen(p));
        if (key < 0)
            return bad(s, _("unknown key name"), p);
        enqueue(s, key);
    }
    return 0;
}

int tui_script_key_next(tui_script *s)
{
    if (s->len == 0 && !s->ahead) {
        int r = fill(s);
        if (r < 0)
            s->ahead = r;
    }
    if (s->len == 0)
        return 0;
    int k = s->queue[s->head];
    return k != TUI_KEY_DUMP && k != TUI_KEY_DUMP_ATTRS && k != KEY_SCRIPT_RESIZE && k != KEY_SCRIPT_FRAME;
}

int tui_script_key(tui_script *s)
{
    int k;
    do {
        if (s->len == 0 && s->ahead) { /* as if read now: the end, or the bad line, once */
            int r = s->ahead;
            s->ahead = 0;
            return r;
        }
        if (s->len == 0) {
            int r = fill(s);
            if (r < 0)
                return r;
        }
        k = dequeue(s);
    } while (k == KEY_SCRIPT_FRAME);
    if (k == KEY_SCRIPT_RESIZE) {
        int cols = dequeue(s), rows = dequeue(s);
        tui_crt_resize(cols, rows);
        return KEY_RESIZE;
    }
    return k;
}
