#!/usr/bin/python3
"""Print PyTorch's values and gradients for the cases that tests/unit/test_torch.c rebuilds in bptutor's core.

Usage: tests/torch/reference.py > tests/torch/reference.txt   (needs Debian's python3-torch)

One line a case: NAME VALUE GRAD... , numbers as %.17g, all in float64.
  op cases:    "OP A B": f = OP(a, b) or OP(a), gradients ∂f/∂a (and ∂f/∂b); max also at a tie
  batch case:  f = mean(sigmoid(tanh(w*x) - c) / c * exp(x)), gradients of w[0..2], x[0..2], c
  seed cases:  the seed's two examples at w = 0 in float64, gradient ∂L/∂w
"""
import torch

torch.set_default_dtype(torch.float64)

OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "neg": lambda a: -a,
    "pow": lambda a, b: a ** b,
    "exp": torch.exp,
    "log": torch.log,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "max": lambda a, b: torch.maximum(a, b),
    "sum": torch.sum,
    "mean": torch.mean,
}
POINTS = [(0.7, 1.3), (-1.5, 0.4), (2.25, -0.8), (0.05, 3.0)]
TIES = {"max": [(0.6, 0.6)]}  # where PyTorch's slope is a choice: maximum gives each input half


def g(x):
    return "%.17g" % x


for name, fn in OPS.items():
    binary = fn.__code__.co_argcount == 2 if hasattr(fn, "__code__") else False
    for a, b in POINTS + TIES.get(name, []):
        if name == "log":
            a = abs(a)
        if name == "pow":
            a = abs(a) + 0.5
        ta = torch.tensor(a, requires_grad=True)
        tb = torch.tensor(b, requires_grad=True)
        f = fn(ta, tb) if binary else fn(ta)
        f.backward()
        grads = [ta.grad.item()] + ([tb.grad.item()] if binary else [])
        print(name, g(a), g(b), g(f.item()), *map(g, grads))

w = torch.tensor([0.3, 0.9, -0.4], requires_grad=True)
x = torch.tensor([0.5, -1.25, 2.0], requires_grad=True)
c = torch.tensor(0.7, requires_grad=True)
f = torch.mean(torch.sigmoid(torch.tanh(w * x) - c) / c * torch.exp(x))
f.backward()
print("batch", g(f.item()), *map(g, w.grad.tolist() + x.grad.tolist() + [c.grad.item()]))

for name, xs, ys in (("seed1", [2.0], [4.0]), ("seed2", [1.0, 2, 3, 4], [2.0, 4, 6, 8])):
    w = torch.tensor(0.0, requires_grad=True)
    L = torch.mean((w * torch.tensor(xs) - torch.tensor(ys)) ** 2)
    L.backward()
    print(name, g(L.item()), g(w.grad.item()))
