#!/usr/bin/python3
"""Lesson 05's training table computed by PyTorch (float64), in bptutor --train's format.

Usage: tests/torch/lesson05.py > tests/cli/golden/train-05.out   (needs Debian's python3-torch)
The model is the one in lessons/en/05-neuron.lesson: h = tanh(w1*x + b1), yhat = w2*h + b2,
L = mean((yhat - y)^2), plain SGD with lr 0.5 for 20 epochs.
"""
import torch

torch.set_default_dtype(torch.float64)
x = torch.tensor([-1.0, 0, 1, 2])
y = torch.tensor([-1.0, 0, 1, 1])
params = {name: torch.tensor(v, requires_grad=True) for name, v in
          (("w1", 0.5), ("b1", 0.0), ("w2", 1.0), ("b2", 0.0))}
opt = torch.optim.SGD(params.values(), lr=0.5)
for epoch in range(1, 21):
    opt.zero_grad()
    p = params
    loss = torch.mean((p["w2"] * torch.tanh(p["w1"] * x + p["b1"]) + p["b2"] - y) ** 2)
    loss.backward()
    grads = {n: t.grad.item() for n, t in p.items()}
    opt.step()
    row = "epoch: %d, loss: %.8f" % (epoch, loss.item())
    for n, t in p.items():
        row += ", %s: %.3f, d%s: %.3f" % (n, t.item(), n, grads[n])
    print(row)
