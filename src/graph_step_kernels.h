/*
 * graph_step_kernels.h — graph_step.c's instructions and the kernels that run them (see the top of
 * graph_step.c), compiled twice: graph_step.c includes this file for the kernels every x86-64 and every
 * other processor runs, and graph_step_avx2.c includes it again with the compiler told it may use AVX2,
 * where the elementwise loops take four doubles or eight floats at a time instead of two or four. The same
 * C, the same operations in the same order, no fused multiply-add: the two give the same numbers to the bit
 * (tests/unit/test_step.c runs its random graphs on both). The includer names the two run functions:
 *   STEP_RUN, STEP_RUN_TILES  their names
 *   STEP_LINKAGE              static, or nothing
 * This file is not a header of its own and is included nowhere else.
 */
/* graph_step_avx2.c is built where the compiler can target AVX2 for one file (GCC and clang on x86-64),
 * and used where the processor has it (graph_step.c asks once). */
#if defined(__x86_64__) && defined(__GNUC__)
#define STEP_AVX2 1
#else
#define STEP_AVX2 0
#endif

/* Products and sums must round as written, whatever the compiler could fuse into one instruction. GCC
 * contracts nothing under -std=c11; clang needs to be told. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif
/* GCC at -O2 vectorises a loop only when it needs no remainder loop, and never moves a test of a loop
 * invariant (pow's exponent is 2) out of a loop; these kernels are all loops of that kind. Clang does both
 * at -O2. Neither reorders a sum or changes a rounding: that would take -ffast-math. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-loop-vectorize", "vect-cost-model=dynamic", "unswitch-loops")
#endif

/* ---------------------------------------------------------------- kernels, generated ----------- */

/*
 * How a kernel reads its operands: S one number (a length-1 operand, broadcast), V one number per element.
 *   elementwise op of two inputs:  SS (the output is one number), VV, SV (a is one number), VS (b is)
 *   elementwise op of one input:   SS or VV
 *   reduction:                     SS (its input is one number) or VV
 */
enum pattern { P_SS, P_VV, P_SV, P_VS, P_COUNT };

/* The kernels: one forward per op, pattern and precision; one backward per op, input, pattern and
 * precision; the seed per precision. f is 1 for the float kernels of FLOAT32 and MIXED. */
#define FWD_KIND(op, pat, f) ((((int)(op)) * P_COUNT + (pat)) * 2 + (f))
#define FWD_KINDS (GRAPH_OP_COUNT * P_COUNT * 2)
#define BWD_KIND(op, k, pat, f) (FWD_KINDS + ((((int)(op)) * 2 + (k)) * P_COUNT + (pat)) * 2 + (f))
#define BWD_KINDS (GRAPH_OP_COUNT * 2 * P_COUNT * 2)
/* The seed ∂root/∂root = 1, in a precision. */
#define SEED_KIND(f) (FWD_KINDS + BWD_KINDS + (f))
/* The scalar kernels again, with one operand taken from the register r instead of memory (see fuse()):
 * forward on one number (pattern SS) with its input a (x = 0) or b (x = 1) the number the instruction just
 * before it wrote; backward on one number with its upstream gradient that number. */
#define FWDR_KIND(op, x, f) (FWD_KINDS + BWD_KINDS + 2 + (((int)(op)) * 2 + (x)) * 2 + (f))
#define FWDR_KINDS (GRAPH_OP_COUNT * 2 * 2)
#define BWDR_KIND(op, k, f) (FWD_KINDS + BWD_KINDS + 2 + FWDR_KINDS + (((int)(op)) * 2 + (k)) * 2 + (f))
#define BWDR_KINDS (GRAPH_OP_COUNT * 2 * 2)
/* A reduction whose sum S another reduction of the same input has computed: the row's forward of that S,
 * read from b, the other's value (a sum, whose value is S; see shares_sum()). */
#define RS_KIND(op, f) (FWD_KINDS + BWD_KINDS + 2 + FWDR_KINDS + BWDR_KINDS + ((int)(op)) * 2 + (f))
#define RS_KINDS (GRAPH_OP_COUNT * 2)
/* Two serial sums of a tiled block in one loop (see pair()): a sum's (a reduction whose row's forward is S)
 * and the backward instruction after it into a gradient of one number, of op's input k (pattern SV for
 * k = 0, VS for k = 1). */
#define PAIR_KIND(op, k, f) (FWD_KINDS + BWD_KINDS + 2 + FWDR_KINDS + BWDR_KINDS + RS_KINDS + (((int)(op)) * 2 + (k)) * 2 + (f))
#define PAIR_KINDS (GRAPH_OP_COUNT * 2 * 2)
/* What the kernels need around them:
 *   K_END        the end of a run of instructions
 *   K_TO_FLOAT   a parameter's numbers into its float copy
 *   K_TO_DOUBLE  the root's or the shown node's value back from its float copy
 *   K_COPY       a leaf's numbers as its value, should the root or the shown node be a leaf (float64)
 *   K_LEAF_*     a kept leaf on the tape: its pass handed back (from its float copy), .grad takes it, and a
 *                parameter takes the SGD step when the run updates; in the arithmetic of FLOAT64, FLOAT32
 *                or MIXED (graph_update)
 *   K_REST_*     a kept leaf no gradient reaches: .grad zeroed by zero_grad, and the SGD step */
enum { K_END = FWD_KINDS + BWD_KINDS + 2 + FWDR_KINDS + BWDR_KINDS + RS_KINDS + PAIR_KINDS, K_TO_FLOAT, K_TO_DOUBLE, K_COPY, K_LEAF_64,
       K_LEAF_32, K_LEAF_MIXED, K_LEAF_64_R, K_LEAF_32_R, K_LEAF_MIXED_R, K_REST_64, K_REST_32, KINDS };

/* GCC and clang have labels as values: each kernel jumps straight to the next instruction's (see run()). */
#if defined(__GNUC__)
#define THREADED 1
#else
#define THREADED 0
#endif

/*
 * One instruction. n is the number of elements it loops over: the node's length for an elementwise op, the
 * input's for a reduction. a, b, o: the inputs' and the node's values (b is a again for an op of one
 * input, so that a kernel may read b[0] without a test: its row never uses it); g: the node's gradient (upstream);
 * t: what it writes (forward: the node's value, o; backward: the input's gradient). first: a backward
 * instruction or the seed writes the first contribution to its gradient, as 0 + x. The leaves' kernels use
 * the fields as they say there.
 */
struct instr {
    int op; /* the kernel: its kind while building; threaded, then where it is (see run()) */
    unsigned n : 31, first : 1;
    const void *a, *b, *g;
    void *o, *t;
};

/* The run functions are hot: GCC puts them in .text.hot, together at one end of the program's code, so the
 * pages a start touches (reading, laying out, drawing) are laid out as they would be without them; in the
 * middle, 370 KB of kernels put the start's code further apart, and its first-frame RSS grew by 200 KB. */
#if defined(__GNUC__)
#define STEP_HOT __attribute__((hot))
#else
#define STEP_HOT
#endif

/* A run of instructions (see STEP_RUN below); the AVX2 build's two, defined in graph_step_avx2.c. */
typedef double step_run_fn(const struct instr *in, int zero_grad, int lo_tile, int hi_tile, double lr, int update);
#if STEP_AVX2
step_run_fn graph_step_run_avx2, graph_step_run_tiles_avx2;
#endif

/* The rows' variables in a kernel: element i of the inputs, of the node and of the gradient from above,
 * each read in double as graph.c reads them; R rounds to the kernel's precision. sa, sb and su are the
 * strides (0 for one number, 1 for one per element), constants in each kernel; a number that is the same
 * for every element is read once, before the loop (a0, b0, o0, g0), so that the compiler sees it cannot
 * change (it then takes tests on it, like pow's exponent 2, out of the loop). */
#define A (sa ? (double)a[i] : a0)
#define B (sb ? (double)b[i] : b0)
#define OUT (su ? (double)o[i] : o0)
#define G (su ? g[i] : g0)
#define R(x) ((double)(num)(x))
#define S ((double)acc)
/* The register r (see fuse()): the last number a scalar kernel wrote, in the kernel's precision. */
#define GET_R (sizeof(num) == sizeof(double) ? (num)r64 : (num)r32)
#define SET_R(v)                                  \
    do {                                          \
        if (sizeof(num) == sizeof(double))        \
            r64 = (double)(v);                    \
        else                                      \
            r32 = (float)(v);                     \
    } while (0)

/* forward of an elementwise op over elements [LO, HI); RA, RB: a or b is r (pattern SS), and a result of
 * one number goes to r */
#define FWD_EACH(num_t, fwd, SA, SB, LO, HI, RA, RB)                     \
    {                                                                    \
        typedef num_t num;                                               \
        const num *restrict a = in->a, *restrict b = in->b;              \
        num *restrict o = in->o;                                         \
        const int sa = SA, sb = SB, lo = LO, hi = HI;                    \
        const double a0 = sa ? 0 : RA ? (double)GET_R : (double)a[0];    \
        const double b0 = sb ? 0 : RB ? (double)GET_R : (double)b[0];    \
        (void)b0;                                                        \
        for (int i = lo; i < hi; i++)                                    \
            o[i] = (num)(fwd);                                           \
        if (!(SA || SB))                                                 \
            SET_R(o[0]);                                                 \
    }
/* forward of a reduction over elements [LO, HI) of its input: the partial sum waits in the node's value
 * between tiles, added left to right and rounded at each step as graph.c adds it */
#define FWD_REDUCE(num_t, fwd, LO, HI, RA)                   \
    {                                                        \
        typedef num_t num;                                   \
        const num *restrict a = in->a;                       \
        num *restrict o = in->o;                             \
        const int N = (int)in->n, lo = LO, hi = HI;          \
        num acc = lo == 0 ? 0 : o[0];                        \
        for (int i = lo; i < hi; i++)                        \
            acc = acc + (RA ? GET_R : a[i]);                 \
        o[0] = hi == N ? (num)(fwd) : acc;                   \
        SET_R(o[0]);                                         \
    }
/* a reduction from the sum S that a sum of the same input left in b: its value is S, to the bit */
#define FWD_FROM_SUM(num_t, fwd)                             \
    {                                                        \
        typedef num_t num;                                   \
        const num acc = *(const num *)in->b;                 \
        num *restrict o = in->o;                             \
        const int N = (int)in->n;                            \
        (void)N;                                             \
        o[0] = (num)(fwd);                                   \
        SET_R(o[0]);                                         \
    }
/*
 * backward: add local gradient × upstream gradient into the input's gradient t over elements [LO, HI) (to 0
 * for the first contribution). ST is t's stride: 0 for an input of one number that was broadcast, whose
 * contributions add up, in order, in a register.
 */
/* What a backward kernel (BWD, PAIR) reads of its instruction in: the arrays, the strides and bounds, and the
 * operands that are one number, read once before the loop. */
#define BWD_OPERANDS(SA, SB, SU, LO, HI)                                    \
    const num *restrict a = in->a, *restrict b = in->b;                     \
    const num *restrict g = in->g, *restrict o = in->o;                     \
    num *restrict t = in->t;                                                \
    const int sa = SA, sb = SB, su = SU, N = (int)in->n, lo = LO, hi = HI;  \
    const double a0 = sa ? 0 : (double)a[0];                                \
    const double b0 = sb ? 0 : (double)b[0];                                \
    const double o0 = su ? 0 : (double)o[0];
#define BWD(num_t, local, SA, SB, SU, ST, LO, HI, RG)                      \
    {                                                                       \
        typedef num_t num;                                                  \
        BWD_OPERANDS(SA, SB, SU, LO, HI)                                    \
        const num g0 = su ? 0 : RG ? GET_R : g[0];                          \
        const int first = in->first;                                        \
        (void)a0, (void)b0, (void)o0, (void)N;                              \
        if (ST) {                                                           \
            for (int i = lo; i < hi; i++)                                   \
                t[i] = (first ? (num)0 : t[i]) + (num)(local) * G;          \
            if (!(SA || SB || SU))                                          \
                SET_R(t[0]);                                                \
        } else {                                                            \
            num acc = first && lo == 0 ? (num)0 : t[0];                     \
            for (int i = lo; i < hi; i++)                                   \
                acc = acc + (num)(local) * G;                               \
            t[0] = acc;                                                     \
            SET_R(acc);                                                     \
        }                                                                   \
    }

/*
 * A sum (in, a reduction whose row's forward is S: its value is the partial sum itself) and the backward
 * instruction after it (in + 1) into a gradient of one number, over the same tile, in one loop: the two
 * serial sums side by side, each in its own order, as the hand loop runs its loss's and gradient's sums.
 */
#define PAIR(num_t, local, SA, SB, SU, LO, HI)                             \
    {                                                                       \
        typedef num_t num;                                                  \
        const num *restrict x = in->a;                                      \
        num *restrict sum = in->o;                                          \
        in++;                                                               \
        BWD_OPERANDS(SA, SB, SU, LO, HI)                                    \
        const num g0 = su ? 0 : g[0];                                       \
        (void)a0, (void)b0, (void)o0, (void)g0, (void)N;                    \
        num s_acc = lo == 0 ? (num)0 : sum[0];                              \
        num acc = in->first && lo == 0 ? (num)0 : t[0];                     \
        for (int i = lo; i < hi; i++) {                                     \
            s_acc = s_acc + x[i];                                           \
            acc = acc + (num)(local) * G;                                   \
        }                                                                   \
        sum[0] = s_acc;                                                     \
        t[0] = acc;                                                         \
        SET_R(acc);                                                         \
    }
#define PAIR_CASE(e, k, local, SA, SB)                                                                     \
    KERNEL(PAIR_KIND(GRAPH_OP_##e, k, 0), P_##e##_##k##_0, PAIR(double, local, SA, SB, 1, LO_T, HI_T))      \
    KERNEL(PAIR_KIND(GRAPH_OP_##e, k, 1), P_##e##_##k##_1, PAIR(float, local, SA, SB, 1, LO_T, HI_T))

/*
 * The kernels as cases of one switch, or, where the compiler has labels as values (GCC, clang), as labelled
 * blocks that jump straight to the next instruction's kernel: the dispatch is then one indirect jump per
 * instruction, each predicted on its own. KERNEL(kind, label, body) is the one place that differs.
 */
#define FWD_CASE(e, fwd, pat, SA, SB, LO, HI)                                                \
    KERNEL(FWD_KIND(GRAPH_OP_##e, pat, 0), F_##e##_##pat##_0, FWD_EACH(double, fwd, SA, SB, LO, HI, 0, 0)) \
    KERNEL(FWD_KIND(GRAPH_OP_##e, pat, 1), F_##e##_##pat##_1, FWD_EACH(float, fwd, SA, SB, LO, HI, 0, 0))
#define FWDR_CASE(e, fwd, x, RA, RB)                                                         \
    KERNEL(FWDR_KIND(GRAPH_OP_##e, x, 0), FR_##e##_##x##_0, FWD_EACH(double, fwd, 0, 0, 0, 1, RA, RB)) \
    KERNEL(FWDR_KIND(GRAPH_OP_##e, x, 1), FR_##e##_##x##_1, FWD_EACH(float, fwd, 0, 0, 0, 1, RA, RB))
#define RED_CASE(e, fwd, pat, LO, HI)                                                        \
    KERNEL(FWD_KIND(GRAPH_OP_##e, pat, 0), F_##e##_##pat##_0, FWD_REDUCE(double, fwd, LO, HI, 0)) \
    KERNEL(FWD_KIND(GRAPH_OP_##e, pat, 1), F_##e##_##pat##_1, FWD_REDUCE(float, fwd, LO, HI, 0))
#define FWD_CASES_EACH_2(e, fwd)             \
    FWD_CASE(e, fwd, P_SS, 0, 0, 0, 1)       \
    FWD_CASE(e, fwd, P_VV, 1, 1, LO_T, HI_T) \
    FWD_CASE(e, fwd, P_SV, 0, 1, LO_T, HI_T) \
    FWD_CASE(e, fwd, P_VS, 1, 0, LO_T, HI_T) \
    FWDR_CASE(e, fwd, 0, 1, 0)               \
    FWDR_CASE(e, fwd, 1, 0, 1)
#define FWD_CASES_EACH_1(e, fwd)             \
    FWD_CASE(e, fwd, P_SS, 0, 0, 0, 1)       \
    FWD_CASE(e, fwd, P_VV, 1, 0, LO_T, HI_T) \
    FWDR_CASE(e, fwd, 0, 1, 0)
#define FWD_CASES_REDUCE_1(e, fwd)           \
    RED_CASE(e, fwd, P_SS, 0, 1)             \
    RED_CASE(e, fwd, P_VV, LO_T, HI_T)       \
    KERNEL(FWDR_KIND(GRAPH_OP_##e, 0, 0), FR_##e##_0_0, FWD_REDUCE(double, fwd, 0, 1, 1)) \
    KERNEL(FWDR_KIND(GRAPH_OP_##e, 0, 1), FR_##e##_0_1, FWD_REDUCE(float, fwd, 0, 1, 1)) \
    KERNEL(RS_KIND(GRAPH_OP_##e, 0), RS_##e##_0, FWD_FROM_SUM(double, fwd))                \
    KERNEL(RS_KIND(GRAPH_OP_##e, 1), RS_##e##_1, FWD_FROM_SUM(float, fwd))

#define BWD_CASE(e, k, local, pat, SA, SB, SU, ST, LO, HI)                                              \
    KERNEL(BWD_KIND(GRAPH_OP_##e, k, pat, 0), B_##e##_##k##_##pat##_0, BWD(double, local, SA, SB, SU, ST, LO, HI, 0)) \
    KERNEL(BWD_KIND(GRAPH_OP_##e, k, pat, 1), B_##e##_##k##_##pat##_1, BWD(float, local, SA, SB, SU, ST, LO, HI, 0))
/* on one number, the upstream gradient from r */
#define BWDR_CASE(e, k, local)                                                                            \
    KERNEL(BWDR_KIND(GRAPH_OP_##e, k, 0), BR_##e##_##k##_0, BWD(double, local, 0, 0, 0, 1, 0, 1, 1))       \
    KERNEL(BWDR_KIND(GRAPH_OP_##e, k, 1), BR_##e##_##k##_1, BWD(float, local, 0, 0, 0, 1, 0, 1, 1))
/* the target's stride is its input's: in SV input a is one number, in VS input b */
#define BWD_CASES_EACH_2(e, da, db)                     \
    BWD_CASE(e, 0, da, P_SS, 0, 0, 0, 1, 0, 1)          \
    BWD_CASE(e, 0, da, P_VV, 1, 1, 1, 1, LO_T, HI_T)    \
    BWD_CASE(e, 0, da, P_SV, 0, 1, 1, 0, LO_T, HI_T)    \
    BWD_CASE(e, 0, da, P_VS, 1, 0, 1, 1, LO_T, HI_T)    \
    BWD_CASE(e, 1, db, P_SS, 0, 0, 0, 1, 0, 1)          \
    BWD_CASE(e, 1, db, P_VV, 1, 1, 1, 1, LO_T, HI_T)    \
    BWD_CASE(e, 1, db, P_SV, 0, 1, 1, 1, LO_T, HI_T)    \
    BWD_CASE(e, 1, db, P_VS, 1, 0, 1, 0, LO_T, HI_T)    \
    BWDR_CASE(e, 0, da)                                 \
    BWDR_CASE(e, 1, db)                                 \
    PAIR_CASE(e, 0, da, 0, 1)                           \
    PAIR_CASE(e, 1, db, 1, 0)
#define BWD_CASES_EACH_1(e, da, db)                     \
    BWD_CASE(e, 0, da, P_SS, 0, 0, 0, 1, 0, 1)          \
    BWD_CASE(e, 0, da, P_VV, 1, 0, 1, 1, LO_T, HI_T)    \
    BWDR_CASE(e, 0, da)
/* a reduction's node and upstream gradient are one number; its input is one per element */
#define BWD_CASES_REDUCE_1(e, da, db)                   \
    BWD_CASE(e, 0, da, P_SS, 0, 0, 0, 1, 0, 1)          \
    BWD_CASE(e, 0, da, P_VV, 1, 0, 0, 1, LO_T, HI_T)    \
    BWDR_CASE(e, 0, da)

/* The seed: the root's pass is 1 (graph.c sets it so; nothing adds to the root). */
#define SEED_CASES                                                                          \
    KERNEL(SEED_KIND(0), S_0, *(double *)in->t = 1.0;)                                      \
    KERNEL(SEED_KIND(1), S_1, *(float *)in->t = 1.0f;)

/*
 * A kept leaf on the tape: a is its pass in the step (a float copy under FLOAT32 and MIXED, or the step's own
 * array of a folded gradient, which g, the graph's pass, takes back; else g is NULL), t its .grad, o its numbers when it is a parameter (NULL for an input). .grad
 * takes the pass: copied after zero_grad (0 + pass is the pass, never −0), else added and rounded once.
 * Then, when the run updates, p − lr·.grad as graph_sgd_step() takes it.
 */
#define LEAF(num_t, precision, RA)                                                          \
    {                                                                                       \
        typedef num_t num;                                                                  \
        const num *restrict p = in->a;                                                      \
        double *restrict pass = (double *)in->g, *restrict gr = in->t, *restrict data = in->o; \
        const int n = RA ? 1 : (int)in->n; /* a leaf whose pass is in r is one number */    \
        for (int i = 0; i < n; i++) {                                                       \
            double v = RA ? GET_R : p[i];                                                   \
            if (pass)                                                                       \
                pass[i] = v;                                                                \
            gr[i] = zero_grad ? v : (precision) == GRAPH_FLOAT64 ? gr[i] + v : (double)(float)(gr[i] + v); \
        }                                                                                   \
        if (update && data)                                                                 \
            for (int i = 0; i < n; i++)                                                     \
                data[i] = graph_update(precision, data[i], gr[i], lr);                      \
    }
/* A kept leaf off the tape: graph_zero_grad() clears its .grad; a parameter takes the SGD step. */
#define REST(precision)                                                                     \
    {                                                                                       \
        double *restrict gr = in->t, *restrict data = in->o;                                \
        if (zero_grad)                                                                      \
            for (int i = 0; i < (int)in->n; i++)                                            \
                gr[i] = 0;                                                                  \
        if (update && data)                                                                 \
            for (int i = 0; i < (int)in->n; i++)                                            \
                data[i] = graph_update(precision, data[i], gr[i], lr);                      \
    }

#define CONTROL_CASES                                                                        \
    KERNEL(K_TO_FLOAT, C_TO_FLOAT, {                                                         \
        const double *restrict a = in->a;                                                    \
        float *restrict t = in->t;                                                           \
        for (int i = 0; i < (int)in->n; i++)                                                 \
            t[i] = (float)a[i];                                                              \
    })                                                                                       \
    KERNEL(K_TO_DOUBLE, C_TO_DOUBLE, {                                                       \
        const float *restrict a = in->a;                                                     \
        double *restrict t = in->t;                                                          \
        for (int i = 0; i < (int)in->n; i++)                                                 \
            t[i] = a[i];                                                                     \
    })                                                                                       \
    KERNEL(K_COPY, C_COPY, memcpy(in->t, in->a, (size_t)in->n * sizeof(double));)            \
    KERNEL(K_LEAF_64, C_LEAF_64, LEAF(double, GRAPH_FLOAT64, 0))                             \
    KERNEL(K_LEAF_32, C_LEAF_32, LEAF(float, GRAPH_FLOAT32, 0))                              \
    KERNEL(K_LEAF_MIXED, C_LEAF_MIXED, LEAF(float, GRAPH_MIXED, 0))                          \
    KERNEL(K_LEAF_64_R, C_LEAF_64_R, LEAF(double, GRAPH_FLOAT64, 1))                         \
    KERNEL(K_LEAF_32_R, C_LEAF_32_R, LEAF(float, GRAPH_FLOAT32, 1))                          \
    KERNEL(K_LEAF_MIXED_R, C_LEAF_MIXED_R, LEAF(float, GRAPH_MIXED, 1))                      \
    KERNEL(K_REST_64, C_REST_64, REST(GRAPH_FLOAT64))                                        \
    KERNEL(K_REST_32, C_REST_32, REST(GRAPH_FLOAT32))

/*
 * Run instructions from in up to their K_END, with or without zero_grad, and the SGD step at lr when update
 * is set. Elementwise instructions and reductions run over all their elements (run) or over elements
 * [lo, hi) of a tile (run_tiles); instructions on one number always run whole. Returns the number
 * the K_END's a points to (the last run's: the shown node's value), or 0. Given in = NULL, returns where
 * the kernel of kind zero_grad is, for the builder (threaded), else 0.
 */
/* Two copies of the same run: run() for whole runs (every instruction over all of its elements), run_tiles()
 * for a tiled span, over elements [lo, hi) of the batch. */
#define RUN_NAME STEP_RUN
#define LO_T 0
#define HI_T ((int)in->n)
#include "graph_step_run.h"
#undef RUN_NAME
#undef LO_T
#undef HI_T
#define RUN_NAME STEP_RUN_TILES
#define LO_T lo_tile
#define HI_T hi_tile
#include "graph_step_run.h"
#undef RUN_NAME
#undef LO_T
#undef HI_T
#undef A
#undef B
#undef OUT
#undef G
#undef R
#undef S
#undef GET_R
#undef SET_R
