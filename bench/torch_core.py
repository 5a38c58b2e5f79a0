#!/usr/bin/python3
"""torch_core.py -- bench_core's models trained by PyTorch on the CPU, for the factor bench_core prints.

Each model is trained the way a PyTorch user writes the loop the lessons demystify: optimizer.zero_grad(),
the forward pass, loss.backward(), optimizer.step() (torch.optim.SGD), on the same numbers as bench_core.
"op" writes the model op for op, one tensor operation per node of the lesson's graph, with every weight a
scalar tensor; "matmul" writes the 2-8-1 net as a PyTorch user would, with weight matrices. One thread, as
the engine has. The printed loss is computed, as --train computes it, but not read back (.item() would
add a copy the engine does not make).

    torch_core.py [ROUNDS]   prints MODEL FORM MIN MEDIAN MAX, nanoseconds per epoch
"""
import math
import statistics
import sys
import time

import torch

torch.set_num_threads(1)


def sample_x(i, k):
    return ((i * 37 + k * 11) % 101) / 50.0 - 1


def tensor(values, dtype):
    return torch.tensor(values, dtype=dtype)


def param(v, dtype):
    return torch.tensor(v, dtype=dtype, requires_grad=True)


def lesson01(dtype):
    w, x, y = param(0.0, dtype), tensor(2.0, dtype), tensor(4.0, dtype)
    opt = torch.optim.SGD([w], lr=0.01)

    def epoch():
        opt.zero_grad()
        s = w * x - y
        loss = s ** 2
        loss.backward()
        opt.step()
    return epoch


def lesson02(dtype, n=4):
    if n == 4:
        xs, ys = [1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]
        lr = 0.01
    else:
        xs = [sample_x(i, 0) for i in range(n)]
        ys = [2 * sample_x(i, 0) + 0.3 * math.sin(i) for i in range(n)]
        lr = 1e-5
    w, x, y = param(0.0, dtype), tensor(xs, dtype), tensor(ys, dtype)
    opt = torch.optim.SGD([w], lr=lr)

    def epoch():
        opt.zero_grad()
        s = w * x - y
        loss = (s ** 2).sum()
        metric = (s ** 2).mean()  # the printed loss
        loss.backward()
        opt.step()
        return metric
    return epoch


def lesson03(dtype):
    w1, b1, w2, b2 = (param(v, dtype) for v in (0.5, 0.0, 1.0, 0.0))
    x, y = tensor([-1.0, 0.0, 1.0, 2.0], dtype), tensor([-1.0, 0.0, 1.0, 1.0], dtype)
    opt = torch.optim.SGD([w1, b1, w2, b2], lr=0.5)

    def epoch():
        opt.zero_grad()
        h = torch.tanh(w1 * x + b1)
        s = w2 * h + b2 - y
        loss = (s ** 2).mean()
        loss.backward()
        opt.step()
    return epoch


def net_data(n, dtype):
    x1 = tensor([sample_x(i, 1) for i in range(n)], dtype)
    x2 = tensor([sample_x(i, 2) for i in range(n)], dtype)
    y = tensor([0.5 * math.sin(3 * sample_x(i, 1)) * sample_x(i, 2) for i in range(n)], dtype)
    a = [0.1 * j - 0.45 for j in range(1, 9)]
    c = [0.3 - 0.07 * j for j in range(1, 9)]
    b = [0.05 * j - 0.2 for j in range(1, 9)]
    v = [(0.4 if j % 2 else -0.3) + 0.02 * j for j in range(1, 9)]
    return x1, x2, y, a, c, b, v, 0.1


def net281_op(dtype, n):
    x1, x2, y, a, c, b, v, e = net_data(n, dtype)
    a, c, b, v = ([param(t, dtype) for t in ws] for ws in (a, c, b, v))
    e = param(e, dtype)
    opt = torch.optim.SGD(a + c + b + v + [e], lr=0.05)

    def epoch():
        opt.zero_grad()
        out = None
        for j in range(8):
            t = v[j] * torch.tanh(a[j] * x1 + c[j] * x2 + b[j])
            out = t if out is None else out + t
        s = out + e - y
        loss = (s ** 2).mean()
        loss.backward()
        opt.step()
    return epoch


def net281_matmul(dtype, n):
    x1, x2, y, a, c, b, v, e = net_data(n, dtype)
    x = torch.stack([x1, x2], dim=1)                              # n x 2
    w1 = torch.tensor([a, c], dtype=dtype, requires_grad=True)    # 2 x 8
    b1 = torch.tensor(b, dtype=dtype, requires_grad=True)         # 8
    w2 = torch.tensor(v, dtype=dtype).reshape(8, 1).requires_grad_()
    b2 = torch.tensor([e], dtype=dtype, requires_grad=True)
    opt = torch.optim.SGD([w1, b1, w2, b2], lr=0.05)
    yc = y.reshape(n, 1)

    def epoch():
        opt.zero_grad()
        out = torch.tanh(x @ w1 + b1) @ w2 + b2
        loss = ((out - yc) ** 2).mean()
        loss.backward()
        opt.step()
    return epoch


MODELS = [
    ("lesson01", "op", lambda: lesson01(torch.float64)),
    ("lesson02", "op", lambda: lesson02(torch.float64)),
    ("lesson03", "op", lambda: lesson03(torch.float64)),
    ("net281-64", "op", lambda: net281_op(torch.float64, 64)),
    ("net281-64", "matmul", lambda: net281_matmul(torch.float64, 64)),
    ("net281-64-float32", "op", lambda: net281_op(torch.float32, 64)),
    ("net281-64-float32", "matmul", lambda: net281_matmul(torch.float32, 64)),
    ("linear-1000", "op", lambda: lesson02(torch.float64, 1000)),
    ("net281-1000", "op", lambda: net281_op(torch.float64, 1000)),
    ("net281-1000", "matmul", lambda: net281_matmul(torch.float64, 1000)),
]


def measure(epoch, rounds):
    for _ in range(20):  # warm up the allocator and the dispatcher
        epoch()
    steps = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(steps):
            epoch()
        if time.perf_counter_ns() - t0 > 20_000_000 or steps > 1 << 20:
            break
        steps *= 2
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        for _ in range(steps):
            epoch()
        times.append((time.perf_counter_ns() - t0) / steps)
    return min(times), statistics.median(times), max(times)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    for name, form, make in MODELS:
        lo, med, hi = measure(make(), rounds)
        print(f"{name} {form} {lo:.0f} {med:.0f} {hi:.0f}", flush=True)


if __name__ == "__main__":
    main()
