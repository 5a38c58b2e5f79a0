/*
 * hand.h — the benchmark's yardstick: each model of bench_core trained by a hand-written C loop with its
 * gradient worked out on paper (closed form), the way one would write it without an autograd engine. Each
 * loop runs `steps` epochs of SGD from the parameters in p (updated in place) and returns the printed loss
 * of the last epoch. They do what --train does per epoch (the loss, the metric where the model has one, the
 * gradient, the update), no more: no per-node values are kept.
 *
 * Every loop is written once, as a macro over two types: P, the parameters'
 * storage, and T, the arithmetic (float64: double, double; float32: float, float; mixed: double, float, the
 * parameters rounded to float for the pass and updated in double, as numpy does it).
 */
#ifndef BPTUTOR_BENCH_HAND_H
#define BPTUTOR_BENCH_HAND_H

#include <math.h>

/* Lesson 01: ŷ = w·x, s = ŷ − y, L = s², one sample. dL/dw = 2s·x. */
#define HAND_LESSON01(name, P, T)                                                      \
    static double name(double *p, const double *x, const double *y, int n, long steps, double lr) \
    {                                                                                  \
        (void)n;                                                                       \
        P w = (P)p[0];                                                                 \
        const T xv = (T)x[0], yv = (T)y[0];                                            \
        T loss = 0;                                                                    \
        for (long k = 0; k < steps; k++) {                                             \
            T s = (T)w * xv - yv;                                                      \
            loss = s * s;                                                              \
            T dw = 2 * s * xv;                                                         \
            w = (P)(w - (P)lr * (P)dw);                                                \
        }                                                                              \
        p[0] = w;                                                                      \
        return loss;                                                                   \
    }

/* Lesson 02: L = Σ(w·x − y)², metric mean(s²) (the printed loss); dL/dw = Σ 2s·x. */
#define HAND_LESSON02(name, P, T)                                                      \
    static double name(double *p, const double *x, const double *y, int n, long steps, double lr) \
    {                                                                                  \
        P w = (P)p[0];                                                                 \
        T metric = 0;                                                                  \
        for (long k = 0; k < steps; k++) {                                             \
            T sum = 0, dw = 0, wt = (T)w;                                              \
            for (int i = 0; i < n; i++) {                                              \
                T s = wt * (T)x[i] - (T)y[i];                                          \
                sum += s * s;                                                          \
                dw += 2 * s * (T)x[i];                                                 \
            }                                                                          \
            metric = sum / (T)n;                                                       \
            w = (P)(w - (P)lr * (P)dw);                                                \
        }                                                                              \
        p[0] = w;                                                                      \
        return metric;                                                                 \
    }

/* Lesson 03: z = w1·x + b1, h = tanh z, ŷ = w2·h + b2, s = ŷ − y, L = mean(s²). With d = 2s/n:
 * dw2 = Σ d·h, db2 = Σ d, dz = d·w2·(1 − h²), dw1 = Σ dz·x, db1 = Σ dz. p = w1, b1, w2, b2. */
#define HAND_LESSON03(name, P, T)                                                      \
    static double name(double *p, const double *x, const double *y, int n, long steps, double lr) \
    {                                                                                  \
        P w1 = (P)p[0], b1 = (P)p[1], w2 = (P)p[2], b2 = (P)p[3];                      \
        T loss = 0;                                                                    \
        for (long k = 0; k < steps; k++) {                                             \
            T gw1 = 0, gb1 = 0, gw2 = 0, gb2 = 0, sum = 0;                             \
            T w1t = (T)w1, b1t = (T)b1, w2t = (T)w2, b2t = (T)b2;                      \
            for (int i = 0; i < n; i++) {                                              \
                T h = (T)tanh(w1t * (T)x[i] + b1t);                                    \
                T s = w2t * h + b2t - (T)y[i];                                         \
                sum += s * s;                                                          \
                T d = 2 * s / (T)n;                                                    \
                gw2 += d * h;                                                          \
                gb2 += d;                                                              \
                T dz = d * w2t * (1 - h * h);                                          \
                gw1 += dz * (T)x[i];                                                   \
                gb1 += dz;                                                             \
            }                                                                          \
            loss = sum / (T)n;                                                         \
            w1 = (P)(w1 - (P)lr * (P)gw1);                                             \
            b1 = (P)(b1 - (P)lr * (P)gb1);                                             \
            w2 = (P)(w2 - (P)lr * (P)gw2);                                             \
            b2 = (P)(b2 - (P)lr * (P)gb2);                                             \
        }                                                                              \
        p[0] = w1, p[1] = b1, p[2] = w2, p[3] = b2;                                    \
        return loss;                                                                   \
    }

/* A 2-8-1 tanh net: h_j = tanh(a_j·x1 + c_j·x2 + b_j), ŷ = Σ v_j·h_j + e, L = mean((ŷ − y)²). With d = 2s/n:
 * dv_j = Σ d·h_j, de = Σ d, dz_j = d·v_j·(1 − h_j²), da_j = Σ dz_j·x1, dc_j = Σ dz_j·x2, db_j = Σ dz_j.
 * p = a1..a8, c1..c8, b1..b8, v1..v8, e; x holds x1 then x2 (n each). */
#define HAND_NET281(name, P, T)                                                        \
    static double name(double *p, const double *x, const double *y, int n, long steps, double lr) \
    {                                                                                  \
        P a[8], c[8], b[8], v[8], e = (P)p[32];                                        \
        for (int j = 0; j < 8; j++)                                                    \
            a[j] = (P)p[j], c[j] = (P)p[8 + j], b[j] = (P)p[16 + j], v[j] = (P)p[24 + j]; \
        T loss = 0;                                                                    \
        for (long k = 0; k < steps; k++) {                                             \
            T ga[8] = { 0 }, gc[8] = { 0 }, gb[8] = { 0 }, gv[8] = { 0 }, ge = 0, sum = 0; \
            T at[8], ct[8], bt[8], vt[8], et = (T)e;                                   \
            for (int j = 0; j < 8; j++)                                                \
                at[j] = (T)a[j], ct[j] = (T)c[j], bt[j] = (T)b[j], vt[j] = (T)v[j];    \
            for (int i = 0; i < n; i++) {                                              \
                T x1 = (T)x[i], x2 = (T)x[n + i], h[8], out = et;                      \
                for (int j = 0; j < 8; j++) {                                          \
                    h[j] = (T)tanh(at[j] * x1 + ct[j] * x2 + bt[j]);                   \
                    out += vt[j] * h[j];                                               \
                }                                                                      \
                T s = out - (T)y[i];                                                   \
                sum += s * s;                                                          \
                T d = 2 * s / (T)n;                                                    \
                ge += d;                                                               \
                for (int j = 0; j < 8; j++) {                                          \
                    gv[j] += d * h[j];                                                 \
                    T dz = d * vt[j] * (1 - h[j] * h[j]);                              \
                    ga[j] += dz * x1;                                                  \
                    gc[j] += dz * x2;                                                  \
                    gb[j] += dz;                                                       \
                }                                                                      \
            }                                                                          \
            loss = sum / (T)n;                                                         \
            for (int j = 0; j < 8; j++) {                                              \
                a[j] = (P)(a[j] - (P)lr * (P)ga[j]);                                   \
                c[j] = (P)(c[j] - (P)lr * (P)gc[j]);                                   \
                b[j] = (P)(b[j] - (P)lr * (P)gb[j]);                                   \
                v[j] = (P)(v[j] - (P)lr * (P)gv[j]);                                   \
            }                                                                          \
            e = (P)(e - (P)lr * (P)ge);                                                \
        }                                                                              \
        for (int j = 0; j < 8; j++)                                                    \
            p[j] = a[j], p[8 + j] = c[j], p[16 + j] = b[j], p[24 + j] = v[j];          \
        p[32] = e;                                                                     \
        return loss;                                                                   \
    }

/* the loops bench_core measures: every model in float64, and each in the precision it is shown in */
HAND_LESSON01(hand_lesson01_float64, double, double)
HAND_LESSON01(hand_lesson01_mixed, double, float)
HAND_LESSON02(hand_lesson02_float64, double, double)
HAND_LESSON02(hand_lesson02_mixed, double, float)
HAND_LESSON03(hand_lesson03_float64, double, double)
HAND_NET281(hand_net281_float64, double, double)
HAND_NET281(hand_net281_float32, float, float)

#endif
