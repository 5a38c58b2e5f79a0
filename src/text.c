/* text.c — decoding and measuring UTF-8 for the screen (see text.h). */
#include "text.h"

#include <string.h>

size_t text_next(const char *s, size_t len, mbstate_t *st, wchar_t *ch)
{
    if (len == 0 || *s == '\0')
        return 0;
    size_t k = mbrtowc(ch, s, len, st);
    if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
        memset(st, 0, sizeof *st);
        *ch = L'?';
        return 1;
    }
    return k;
}

int text_cells(wchar_t ch)
{
    int w = wcwidth(ch);
    return w < 0 ? 1 : w;
}

int text_width(const char *utf8)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    int w = 0;
    wchar_t ch;
    for (size_t len = strlen(utf8), k; (k = text_next(utf8, len, &st, &ch)) > 0; utf8 += k, len -= k)
        w += text_cells(ch);
    return w;
}
