/* stats.h — min, median and max of a benchmark's rounds, as bench/RESULTS.md reports every timing.
 * Header-only: each bench program is one file. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct stats {
    double min, med, max;
};

/* Sorts v in place; the median of an even count is the mean of the middle two. */
static inline struct stats stats_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return (struct stats){ v[0], n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[n - 1] };
}

#endif
