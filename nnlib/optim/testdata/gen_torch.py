"""Writes torch_optim.json: PyTorch 1.13's results for the cases that
nnlib/optim's golden tests replay (optimizer steps, learning-rate schedules,
gradient clipping). Run it with Debian's Python, which has torch:

    /usr/bin/python3 nnlib/optim/testdata/gen_torch.py

Everything is float64 and deterministic, so the output only changes when the
cases do.
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)


def values(shape, a, b):
    """A fixed, varied tensor: sin-based, no randomness."""
    n = 1
    for s in shape:
        n *= s
    return torch.tensor([math.sin(a * i + b) * (1 + 0.5 * math.cos(b * i)) for i in range(n)]).reshape(shape)


def dump(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


SHAPES = [[3, 4], [4]]
STEPS = 3

OPTIMIZERS = [
    ("sgd", "SGD", dict(lr=0.1)),
    ("sgd_momentum", "SGD", dict(lr=0.1, momentum=0.9)),
    ("sgd_momentum_dampening_wd", "SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("sgd_nesterov_wd", "SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("adam", "Adam", dict(lr=0.01)),
    ("adam_wd_amsgrad", "Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    ("adamw", "AdamW", dict(lr=0.01)),
    ("adamw_wd", "AdamW", dict(lr=0.01, betas=(0.85, 0.995), weight_decay=0.1)),
    ("rmsprop", "RMSprop", dict(lr=0.01)),
    ("rmsprop_momentum_centered_wd", "RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.9, centered=True, weight_decay=0.01)),
    ("adagrad", "Adagrad", dict(lr=0.1)),
    ("adagrad_decay_wd_init", "Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-8)),
]


def optimizer_cases():
    out = []
    for name, cls, kw in OPTIMIZERS:
        params = [values(s, 0.7 + k, 0.3 * k).requires_grad_() for k, s in enumerate(SHAPES)]
        frozen = values([2], 0.5, 0.5).requires_grad_()  # never gets a gradient: skipped
        init = [dump(p.detach()) for p in params] + [dump(frozen.detach())]
        opt = getattr(torch.optim, cls)(params + [frozen], **kw)
        steps = []
        for step in range(STEPS):
            opt.zero_grad()
            grads = [values(s, 1.3 + step + k, 0.2 * step + k) for k, s in enumerate(SHAPES)]
            loss = sum((p * g).sum() for p, g in zip(params, grads))
            loss.backward()
            opt.step()
            steps.append({"grads": [dump(g) for g in grads],
                          "params": [dump(p.detach()) for p in params] + [dump(frozen.detach())]})
        opts = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}
        out.append({"name": name, "optimizer": cls, "options": opts, "init": init, "steps": steps})
    return out


def lr_sequence(make, n, lr=0.1, optimizer="SGD", opt_kw=None, metrics=None):
    p = torch.zeros(1, requires_grad=True)
    opt = getattr(torch.optim, optimizer)([p], lr=lr, **(opt_kw or {}))
    sched = make(opt)
    lrs, moms = [], []

    def record():
        g = opt.param_groups[0]
        lrs.append(g["lr"])
        if "betas" in g:
            moms.append(g["betas"][0])
        elif "momentum" in g:
            moms.append(g["momentum"])

    record()
    for i in range(n):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
        record()
    return lrs, moms


def warmup_cosine(warmup, total, min_ratio):
    def f(step):
        if step < warmup:
            return step / warmup
        progress = min(1.0, (step - warmup) / (total - warmup))
        return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress))
    return f


def schedule_cases():
    S = torch.optim.lr_scheduler
    plateau_metrics = [1.0, 0.9, 0.8, 0.8, 0.79995, 0.81, 0.8, 0.7, 0.7, 0.7,
                       0.7, 0.7, 0.7, 0.69, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7,
                       0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
    rising = [0.1, 0.2, 0.2, 0.2, 0.25, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3]
    cases = []

    def add(name, make, n, **kw):
        lrs, moms = lr_sequence(make, n, **kw)
        c = {"name": name, "lr": lrs}
        if kw.get("metrics") is not None:
            c["metrics"] = kw["metrics"]
        if moms:
            c["momentum"] = moms
        cases.append(c)

    add("step_lr", lambda o: S.StepLR(o, step_size=3, gamma=0.5), 10)
    add("multistep_lr", lambda o: S.MultiStepLR(o, milestones=[3, 7], gamma=0.1), 10)
    add("exponential_lr", lambda o: S.ExponentialLR(o, gamma=0.9), 10)
    add("cosine_lr", lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001), 25)
    add("warmup_cosine", lambda o: S.LambdaLR(o, warmup_cosine(5, 20, 0.0)), 25)
    add("warmup_cosine_min", lambda o: S.LambdaLR(o, warmup_cosine(4, 12, 0.01 / 0.1)), 15)
    add("onecycle_sgd", lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=20), 19,
        opt_kw=dict(momentum=0.9))
    add("onecycle_adam_three_phase_linear", lambda o: S.OneCycleLR(
        o, max_lr=0.01, total_steps=17, pct_start=0.25, anneal_strategy="linear", three_phase=True,
        div_factor=10, final_div_factor=100, base_momentum=0.8, max_momentum=0.9), 16, optimizer="Adam")
    add("plateau_default", lambda o: S.ReduceLROnPlateau(o), 30, metrics=plateau_metrics)
    add("plateau_patience_cooldown", lambda o: S.ReduceLROnPlateau(
        o, factor=0.5, patience=2, cooldown=1, min_lr=0.02), 30, metrics=plateau_metrics)
    add("plateau_max_abs", lambda o: S.ReduceLROnPlateau(
        o, mode="max", factor=0.3, patience=1, threshold=0.01, threshold_mode="abs"), 15, metrics=rising)
    return cases


def clip_cases():
    out = []
    for name, max_norm in [("clip_1", 1.0), ("clip_none", 100.0)]:
        params = [values(s, 0.7 + k, 0.3 * k).requires_grad_() for k, s in enumerate(SHAPES)]
        grads = [values(s, 1.1 + k, 0.4 * k) for k, s in enumerate(SHAPES)]
        sum((p * g).sum() for p, g in zip(params, grads)).backward()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm)
        out.append({"name": name, "max_norm": max_norm, "grads": [dump(g) for g in grads],
                    "total_norm": float(total), "clipped": [dump(p.grad) for p in params]})
    return out


def main():
    out = {"torch": torch.__version__, "optimizers": optimizer_cases(),
           "schedules": schedule_cases(), "clip": clip_cases()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_optim.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
