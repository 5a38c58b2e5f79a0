/*
 * decimal_comma.h — for unit tests: a locale whose LC_NUMERIC writes one half as "0,5", made with localedef
 * into a fresh directory (LOCPATH), so that no German locale needs to be installed.
 *
 *   if (decimal_comma_locale() < 0) return;   (the message says why the test does nothing here)
 *   cmocka_unit_test_teardown(test, remove_locale)
 *
 * cmocka 1.1 reports skip() as "not ok … # SKIP", which prove counts as a failure, so a test without its
 * locale says so and passes; .ci/deps installs `locales` so that CI never takes that way.
 */
#ifndef BPTUTOR_TEST_DECIMAL_COMMA_H
#define BPTUTOR_TEST_DECIMAL_COMMA_H

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0 when LC_NUMERIC now writes "0,5"; −1 (and a message) when localedef or its sources are missing. */
static char locale_dir[64];
static int decimal_comma_locale(void)
{
    locale_dir[0] = '\0';
    if (system("command -v localedef >/dev/null 2>&1") != 0) {
        print_message("no localedef: the decimal-comma test checks nothing here\n");
        return -1;
    }
    snprintf(locale_dir, sizeof locale_dir, "%s", "/tmp/bptutor-locale-XXXXXX");
    if (!mkdtemp(locale_dir)) {
        locale_dir[0] = '\0';
        return -1;
    }
    char cmd[256];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", locale_dir);
    if (system(cmd) == -1)
        return -1;
    setenv("LOCPATH", locale_dir, 1);
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") || strcmp(localeconv()->decimal_point, ",") != 0) {
        print_message("localedef made no de_DE.UTF-8 (no locale sources?): the decimal-comma test checks nothing here\n");
        return -1;
    }
    return 0;
}

static int remove_locale(void **state)
{
    (void)state;
    setlocale(LC_NUMERIC, "C");
    unsetenv("LOCPATH");
    if (!locale_dir[0])
        return 0;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", locale_dir);
    if (system(cmd) != 0)
        print_message("could not remove %s\n", locale_dir);
    return 0;
}

#endif
