/*
 * graph_step_avx2.c — the compiled step's kernels again (graph_step_kernels.h), built for processors with
 * AVX2: its elementwise loops take four doubles or eight floats at a time. graph_step.c runs them where the
 * processor has AVX2 (asked once per step built) and its own otherwise. Nothing here but the compiler's
 * permission: the same kernels, the same operations in the same order, and no fused multiply-add (AVX2 does
 * not bring FMA, and graph_step_kernels.h forbids contraction), so the numbers are the same to the bit.
 */
#include "graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC target("avx2")
#endif

#include "graph_int.h"

#define STEP_RUN graph_step_run_avx2
#define STEP_RUN_TILES graph_step_run_tiles_avx2
#define STEP_LINKAGE
#include "graph_step_kernels.h"

#if defined(__clang__)
#pragma clang attribute pop
#endif
#else
typedef int graph_step_avx2_none; /* ISO C wants something in a file */
#endif
