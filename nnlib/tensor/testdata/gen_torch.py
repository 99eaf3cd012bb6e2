#!/usr/bin/python3
"""Write torch_ops.json: PyTorch's forward values and gradients for the ops
of nnlib/tensor, on fixed inputs, for golden_test.go.

Run with Debian's Python (torch 1.13):  /usr/bin/python3 gen_torch.py
The case names match the ones in gradcheck_test.go; the Go test runs the Go
op of the same name on the stored inputs and compares.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def name_shape(s):
    return "[" + " ".join(str(d) for d in s) + "]"


cases = []  # (name, shapes, positive, fn)


def case(name, shapes, positive, fn):
    cases.append((name, shapes, positive, fn))


S = [[3, 4]]
case("neg", S, False, lambda x: -x[0])
case("exp", S, False, lambda x: x[0].exp())
case("log", S, True, lambda x: x[0].log())
case("sqrt", S, True, lambda x: x[0].sqrt())
case("abs", S, False, lambda x: x[0].abs())
case("relu", S, False, lambda x: x[0].relu())
case("leaky_relu", S, False, lambda x: F.leaky_relu(x[0], 0.1))
case("sigmoid", S, False, lambda x: x[0].sigmoid())
case("tanh", S, False, lambda x: x[0].tanh())
case("gelu", S, False, lambda x: F.gelu(x[0]))
case("silu", S, False, lambda x: F.silu(x[0]))
case("clamp", S, False, lambda x: x[0].clamp(-0.5, 0.7))
case("square", S, False, lambda x: x[0] * x[0])
case("pow_scalar", S, True, lambda x: x[0].pow(2.5))
case("clone", S, False, lambda x: x[0].clone())

pairs = [([3, 4], [3, 4]), ([3, 4], [4]), ([2, 1, 4], [3, 1]), ([3, 4], [3, 1]), ([3, 4], []), ([1], [2, 3])]
binops = [
    ("add", False, lambda a, b: a + b),
    ("sub", False, lambda a, b: a - b),
    ("mul", False, lambda a, b: a * b),
    ("div", True, lambda a, b: a / b),
    ("pow", True, lambda a, b: a.pow(b)),
    ("maximum", False, torch.maximum),
    ("minimum", False, torch.minimum),
]
for op, pos, fn in binops:
    for a, b in pairs:
        case(op + name_shape(a) + name_shape(b), [a, b], pos, (lambda f: lambda x: f(x[0], x[1]))(fn))
case("add_number", [[3]], False, lambda x: x[0].add(2).mul(3).sub(1).div(4))
case("same_input_twice", [[3]], False, lambda x: x[0] * x[0] + x[0])

shape = [2, 3, 4]
redops = [
    ("sum", lambda x, d, k: x.sum(dim=d, keepdim=k)),
    ("mean", lambda x, d, k: x.mean(dim=d, keepdim=k)),
    ("max", lambda x, d, k: x.amax(dim=d, keepdim=k)),
    ("min", lambda x, d, k: x.amin(dim=d, keepdim=k)),
    ("var", lambda x, d, k: x.var(dim=d, keepdim=k)),
    ("std", lambda x, d, k: x.std(dim=d, keepdim=k)),
]
for op, fn in redops:
    for dims in [None, [0], [1], [2], [-1], [0, 2]]:
        for keep in [False, True]:
            d = tuple(range(3)) if dims is None else tuple(dims)
            nm = "%s%s_keep=%s" % (op, name_shape(dims or []), "true" if keep else "false")
            case(nm, [shape], False, (lambda f, d, k: lambda x: f(x[0], d, k))(fn, d, keep))
for d in range(-1, 3):
    case("softmax%d" % d, [shape], False, (lambda d: lambda x: F.softmax(x[0], d))(d))
    case("log_softmax%d" % d, [shape], False, (lambda d: lambda x: F.log_softmax(x[0], d))(d))

mm = lambda x: x[0].matmul(x[1])
case("matmul2d", [[3, 4], [4, 5]], False, mm)
case("matmul_batched", [[2, 3, 4], [2, 4, 5]], False, mm)
case("matmul_broadcast", [[2, 3, 4], [4, 5]], False, mm)
case("matmul_broadcast4d", [[2, 1, 3, 4], [3, 4, 2]], False, mm)
case("matmul_vecmat", [[4], [4, 5]], False, mm)
case("matmul_matvec", [[3, 4], [4]], False, mm)
case("matmul_vecvec", [[4], [4]], False, mm)
case("matmul_transposed", [[4, 3], [5, 4]], False, lambda x: x[0].t().matmul(x[1].t()))
case("matmul_sliced", [[3, 8], [4, 5]], False, lambda x: x[0][:, 0:8:2].matmul(x[1]))
case("matmul_expanded", [[1, 4], [4, 2]], False, lambda x: x[0].expand(3, 4).matmul(x[1]))

S3 = [[2, 3, 4]]
idx = torch.tensor([2, 0, 2, 1])
gidx = torch.tensor([[0, 2], [1, 1], [2, 0]]).unsqueeze(0).expand(2, 3, 2)
mask = torch.tensor([1.0, 0, 0, 1])
case("reshape", S3, False, lambda x: x[0].reshape(4, -1))
case("permute", S3, False, lambda x: x[0].permute(2, 0, 1))
case("transpose_reshape", S3, False, lambda x: x[0].transpose(0, 2).reshape(-1))
case("unsqueeze_squeeze", S3, False, lambda x: x[0].unsqueeze(1).mul(2).squeeze())
case("expand", [[3, 1]], False, lambda x: x[0].expand(2, 3, 4))
case("slice", S3, False, lambda x: x[0][:, :, 1:-1])
case("slice_step", S3, False, lambda x: x[0][:, 0:3:2])
case("index", S3, False, lambda x: x[0][-1])
case("concat", [[2, 3], [2, 1], [2, 2]], False, lambda x: torch.cat([x[0], x[1], x[2]], 1))
case("stack", [[2, 3], [2, 3]], False, lambda x: torch.stack([x[0], x[1]], 1))
case("split", S3, False, lambda x: (lambda p: p[0].sum() + (p[1] * 3).sum())(x[0].split(3, 2)))
case("gather", S3, False, lambda x: x[0].gather(2, gidx))
case("index_select", S3, False, lambda x: x[0].index_select(2, idx))
case("where", [[3, 4], [4]], False, lambda x: torch.where(mask.bool(), x[0], x[1]))
case("where_number", [[3, 4]], False, lambda x: torch.where(x[0] > 0, x[0], torch.tensor(0.5)))
case("masked_fill", [[3, 4]], False, lambda x: x[0].masked_fill(mask.bool(), -1))
case("contiguous", S3, False, lambda x: x[0].transpose(0, 1).contiguous())
case("mlp", [[5, 4], [4, 3], [3]], False, lambda x: (x[0].matmul(x[1]) + x[2]).tanh().log_softmax(1).mean())
case("layernorm", [[3, 5]], False,
     lambda x: (x[0] - x[0].mean(-1, keepdim=True)) / (x[0].var(-1, keepdim=True) + 1e-5).sqrt())


def enc(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


out = []
for i, (name, shapes, positive, fn) in enumerate(cases):
    torch.manual_seed(1000 + i)
    ins = []
    for s in shapes:
        x = torch.randn(s)
        if positive:
            x = x.abs() + 0.5
        ins.append(x.requires_grad_())
    y = fn(ins)
    up = torch.randn(y.shape)
    y.backward(up)
    out.append({
        "name": name,
        "inputs": [enc(x) for x in ins],
        "output": enc(y),
        "upstream": enc(up),
        "grads": [enc(x.grad) for x in ins],
    })

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_ops.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": out}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote %d cases to %s" % (len(out), path))
