#!/usr/bin/python3
"""Reference values for test-optim.c, from PyTorch's own optimizers.
Run: /usr/bin/python3 tests/engine/optim-reference.py (needs python3-torch).
w0 = [1.0, -2.0, 0.5], gradient g = [0.5, 0.1, -0.3] + 0.1 * step (step 0, 1, 2),
lr = 0.1, three steps; weight decay 0 and 0.05."""
import torch

def run(make, wd):
    w = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    opt = make([w], wd)
    out = []
    for step in range(3):
        w.grad = torch.tensor([0.5, 0.1, -0.3], dtype=torch.float64) + 0.1 * step
        opt.step()
        out.append(w.detach().tolist())
    return out

makers = {
    "sgd": lambda p, wd: torch.optim.SGD(p, lr=0.1, weight_decay=wd),
    "momentum": lambda p, wd: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=wd),
    "nesterov": lambda p, wd: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=wd),
    "rmsprop": lambda p, wd: torch.optim.RMSprop(p, lr=0.1, alpha=0.99, eps=1e-8, weight_decay=wd),
    "adam": lambda p, wd: torch.optim.Adam(p, lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd),
    "adamw": lambda p, wd: torch.optim.AdamW(p, lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd),
}
for wd in (0.0, 0.05):
    for name, make in makers.items():
        rows = run(make, wd)
        print('  { "%s", %.2f, {' % (name, wd) + ", ".join(
            "{ %s }" % ", ".join("%.17g" % v for v in r) for r in rows) + " } },")
