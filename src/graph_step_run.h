/*
 * graph_step_run.h — the body of graph_step.c's run(), included there twice: RUN_NAME is the function, LO_T
 * and HI_T the elements an instruction over a batch runs over (a tile's, or the whole batch when they are
 * the constants 0 and the instruction's length, which spares every kernel of a whole run its tests of the
 * tile's bounds). Everything else (the kernels, KERNEL's cases, the kinds) is graph_step_kernels.h's; this
 * file is included there only.
 */
#if THREADED
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic" /* labels as values, a GNU extension both compilers have */
#define AT(label) ((const char *)&&label)
STEP_HOT STEP_LINKAGE double RUN_NAME(const struct instr *in, int zero_grad, int lo_tile, int hi_tile, double lr, int update)
{
    (void)lo_tile, (void)hi_tile;
    /* each kernel's distance from C_END: a table of constants, which the dynamic loader need not relocate
     * at every start as it would a table of addresses */
    static const int kernel[KINDS] = {
#define KERNEL(which, label, body) [which] = (int)(AT(label) - AT(C_END)),
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) \
    FWD_CASES_##shape##_##arity(e, fwd)                                             \
    BWD_CASES_##shape##_##arity(e, da, db)
#include "graph_ops.def"
        SEED_CASES
        CONTROL_CASES
        [K_END] = 0,
#undef KERNEL
    };
    if (!in) /* the builder asks where the kernel of kind `zero_grad` is */
        return kernel[zero_grad];
    double r64 = 0; /* r (see fuse()) */
    float r32 = 0;
    goto *(const void *)(AT(C_END) + in->op);
#define KERNEL(which, label, body)                        \
    label:                                                \
    body                                                  \
    in++;                                                 \
    goto *(const void *)(AT(C_END) + in->op);
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) \
    FWD_CASES_##shape##_##arity(e, fwd)                                             \
    BWD_CASES_##shape##_##arity(e, da, db)
#include "graph_ops.def"
    SEED_CASES
    CONTROL_CASES
#undef KERNEL
C_END:
    return in->a ? *(const double *)in->a : 0;
}
#undef AT
#pragma GCC diagnostic pop
#else
STEP_HOT STEP_LINKAGE double RUN_NAME(const struct instr *in, int zero_grad, int lo_tile, int hi_tile, double lr, int update)
{
    (void)lo_tile, (void)hi_tile;
    double r64 = 0; /* r (see fuse()) */
    float r32 = 0;
    for (; in; in++) {
        switch (in->op) {
#define KERNEL(which, label, body) \
    case which:                    \
        body break;
#define GRAPH_OP(e, name, sym, glyph, arity, form, prec, shape, fwd, da, ta, db, tb) \
    FWD_CASES_##shape##_##arity(e, fwd)                                             \
    BWD_CASES_##shape##_##arity(e, da, db)
#include "graph_ops.def"
            SEED_CASES
            CONTROL_CASES
#undef KERNEL
        case K_END:
            return in->a ? *(const double *)in->a : 0;
        default:
            break;
        }
    }
    return 0;
}
#endif

