/*
 * nets.h — generated lessons for the layout measures (bench_layout and test_layout): a fully connected
 * network of sigmoid units, one bias per layer as in Matt Mazur's worked example ("A Step by Step
 * Backpropagation Example": i1 = .05, i2 = .10, w1..w8 = .15 .20 .25 .30 .40 .45 .50 .55, b1 = .35,
 * b2 = .60, targets .01 and .99), with the squared-error loss E = Σ ½(t − o)² and its layers for the network
 * view; and a chain of twenty nodes.
 * Each writes the lesson's text into buf (at most n bytes) and returns its length.
 */
#ifndef BPTUTOR_BENCH_NETS_H
#define BPTUTOR_BENCH_NETS_H

#include <stddef.h>
#include <stdio.h>

#define NETS_PUT(...) (u += (size_t)snprintf(buf + (u < n ? u : n), u < n ? n - u : 0, __VA_ARGS__))

/* ni inputs, nh hidden units, no outputs; 2-2-2 is Mazur's network with his numbers. */
static int nets_network(char *buf, size_t n, int ni, int nh, int no)
{
    static const double mazur[] = { .15, .20, .25, .30, .40, .45, .50, .55 };
    int is_mazur = ni == 2 && nh == 2 && no == 2, k = 0;
    size_t u = 0;
    NETS_PUT("title A %d-%d-%d network of sigmoid units\n", ni, nh, no);
    for (int i = 0; i < ni; i++)
        NETS_PUT("input i%d = %g\n", i + 1, is_mazur ? (i ? .10 : .05) : .1 * (i + 1));
    for (; k < ni * nh + nh * no; k++)
        NETS_PUT("param w%d = %g\n", k + 1, is_mazur ? mazur[k] : .1 + .05 * (k % 10));
    NETS_PUT("param b1 = 0.35\nparam b2 = 0.6\n");
    for (int j = 0; j < no; j++)
        NETS_PUT("input t%d = %g\n", j + 1, is_mazur ? (j ? .99 : .01) : .5);
    k = 0;
    for (int j = 0; j < nh; j++) {
        NETS_PUT("let h%d = sigmoid(", j + 1);
        for (int i = 0; i < ni; i++, k++)
            NETS_PUT("w%d*i%d + ", k + 1, i + 1);
        NETS_PUT("b1)\n");
    }
    for (int j = 0; j < no; j++) {
        NETS_PUT("let o%d = sigmoid(", j + 1);
        for (int i = 0; i < nh; i++, k++)
            NETS_PUT("w%d*h%d + ", k + 1, i + 1);
        NETS_PUT("b2)\n");
    }
    NETS_PUT("loss E = ");
    for (int j = 0; j < no; j++)
        NETS_PUT("%s0.5*(t%d - o%d)^2", j ? " + " : "", j + 1, j + 1);
    NETS_PUT("\nset lr 0.5\nlayer input:");
    for (int i = 0; i < ni; i++)
        NETS_PUT(" i%d", i + 1);
    NETS_PUT("\nlayer hidden:");
    for (int j = 0; j < nh; j++)
        NETS_PUT(" h%d", j + 1);
    NETS_PUT("\nlayer output:");
    for (int j = 0; j < no; j++)
        NETS_PUT(" o%d", j + 1);
    NETS_PUT("\n");
    return (int)u;
}

/* x → w·x → sixteen tanh → L = n^2: twenty boxes in a row (the 2 of the square has none). */
static int nets_chain(char *buf, size_t n)
{
    size_t u = 0;
    NETS_PUT("title A chain of twenty nodes\ninput x = 0.5\nparam w = 0.9\nlet n0 = w * x\n");
    for (int k = 1; k <= 16; k++)
        NETS_PUT("let n%d = tanh(n%d)\n", k, k - 1);
    NETS_PUT("loss L = n16^2\n");
    return (int)u;
}

#undef NETS_PUT
#endif
