/*
 * tui_script.c — the key-script reader (see tui_script.h). A line gives one key, a key by name, a <Resize>,
 * a <Dump>, a ':' command typed and submitted, or <Type TEXT> typed as it stands; its keys wait in a queue
 * that grows to hold a whole line, however long. Key names are the keymap's (tui_key_parse), so a script
 * and `:bind` write keys alike.
 */
#include "tui_script.h"

#include "text.h"

#include "tui_crt.h"
#include "tui_keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* <Resize WxH> is queued as this code followed by cols and rows, and happens when it comes out. */
enum { KEY_SCRIPT_RESIZE = TUI_KEY_DUMP + 1 };

struct tui_script {
    FILE *f;
    char *path;
    int line;
    char *buf; /* getline's */
    size_t size;
    int *queue, head, len, cap;
    char error[512];
};

tui_script *tui_script_open(const char *path)
{
    tui_script *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->f = fopen(path, "r");
    s->path = strdup(path);
    if (!s->f || !s->path) {
        tui_script_close(s);
        return NULL;
    }
    return s;
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

static int bad(tui_script *s, const char *what, const char *line)
{
    snprintf(s->error, sizeof s->error, "%s:%d: error: %s: %s", s->path, s->line, what, line);
    return TUI_KEY_BAD;
}

/* Read lines until one gives keys; TUI_KEY_EOF at the end. */
static int fill(tui_script *s)
{
    while (s->len == 0) {
        if (getline(&s->buf, &s->size, s->f) < 0)
            return TUI_KEY_EOF;
        s->line++;
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
                return bad(s, "<Type TEXT> must end the line with '>'", p);
            for (char *c = p + 6; c < close; c++)
                enqueue(s, (unsigned char)*c);
            continue;
        }
        /* a key or a key name, then perhaps a comment */
        char *end = p;
        if (*p == '<' && p[1] && p[1] != ' ' && p[1] != '\t') { /* "<" alone is the key < */
            end = strchr(p, '>');
            if (!end)
                return bad(s, "unterminated key name", p);
            end++;
        } else {
            uint32_t ch;
            end += text_char(end, strlen(end), &ch);
        }
        char *rest = end;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (*rest && *rest != '#')
            return bad(s, "one key per line (or a :command)", p);
        *end = '\0';
        if (*p != '<' || strlen(p) == 1) { /* a single character, "<" alone included */
            for (char *c = p; *c; c++)
                enqueue(s, (unsigned char)*c);
            continue;
        }
        int cols, rows;
        char x;
        if (strcmp(p, "<Dump>") == 0) {
            enqueue(s, TUI_KEY_DUMP);
            continue;
        }
        if (sscanf(p, "<Resize %d%c%d", &cols, &x, &rows) == 3 && (x == 'x' || x == 'X') && cols > 0 &&
            rows > 0 && cols <= 1000 && rows <= 1000) {
            enqueue(s, KEY_SCRIPT_RESIZE);
            enqueue(s, cols);
            enqueue(s, rows);
            continue;
        }
        int key = tui_key_parse(p, strlen(p));
        if (key < 0)
            return bad(s, "unknown key name", p);
        enqueue(s, key);
    }
    return 0;
}

int tui_script_key(tui_script *s)
{
    if (s->len == 0) {
        int r = fill(s);
        if (r < 0)
            return r;
    }
    int k = dequeue(s);
    if (k == KEY_SCRIPT_RESIZE) {
        int cols = dequeue(s), rows = dequeue(s);
        tui_crt_resize(cols, rows);
        return KEY_RESIZE;
    }
    return k;
}
