/*
 * i18n.h — the interface in the learner's language: GNU gettext, through glibc's libintl.
 *
 * _("…") is a string shown to the learner, looked up in the catalogue of the domain "bptutor"
 * (po/LANG.po, built into LOCALEDIR/LANG/LC_MESSAGES/bptutor.mo). N_("…") marks a string in a table for
 * xgettext without translating it there: the code that shows the row translates it, with _(). Only what the
 * learner reads goes through here; names the program parses (actions, commands, settings, phases as typed at
 * the prompt) stay English. main.c binds the domain and picks the language (--lang, or the environment).
 */
#ifndef BPTUTOR_I18N_H
#define BPTUTOR_I18N_H

#include <libintl.h>
#include <stdio.h>

#define _(s) gettext(s)
#define N_(s) s
/* NC_("phase", "epoch") marks a word whose translation depends on where it is shown (the phase named "epoch"
 * is not the history's "epoch" column); C_(context, s) translates one at run time, as gnulib's pgettext does:
 * the catalogue's key is the context, byte 4, then the string. */
#define NC_(ctx, s) s
static inline const char *C_(const char *ctx, const char *s)
{
    char key[256];
    if (snprintf(key, sizeof key, "%s\004%s", ctx, s) >= (int)sizeof key)
        return s;
    const char *t = gettext(key);
    return t == key ? s : t;
}

#endif
