#!/usr/bin/python3
"""Write torch_nn.json: PyTorch 1.13's outputs and gradients for the layers
and losses of nnlib/nn, with fixed weights and inputs, for torch_test.go.

Run with Debian's Python (torch 1.13), from this directory:
    /usr/bin/python3 gen_torch.py

Every case builds a PyTorch module, draws its parameters and inputs from a
seeded generator, runs forward, then backward with a fixed upstream
gradient (or from the scalar loss), and stores the state dict (parameters
and buffers, before the forward), the inputs, the output, the gradients of
the inputs and parameters, and the buffers after the forward (BatchNorm's
running statistics). The Go test builds the layer of the same case name,
loads the state and compares. Everything is float64.

The script also checks the safetensors files: it reads gonn_model.safetensors
(written by the Go test with -update) with a few lines of header parsing,
loads it into the same PyTorch model, and stores that model's output on a
fixed input, which the Go test compares with gonn's; and it writes
torch_model.safetensors for the Go test to load.
"""
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))


def T(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.flatten().tolist()]}


def I(t):
    return {"shape": list(t.shape), "data": [int(v) for v in t.flatten().tolist()]}


cases = []


def module_case(name, make, shapes, seed, train=True, int_input=None, upstream=True, positive=False):
    """A layer: make() builds it; shapes are the input shapes."""
    g = torch.Generator().manual_seed(seed)
    m = make()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
        for k, b in m.named_buffers():
            if b.is_floating_point():
                v = torch.rand(b.shape, generator=g) + 0.5 if "var" in k else torch.randn(b.shape, generator=g)
                b.copy_(v)
    m.train(train)
    state = {k: (I(v) if not v.is_floating_point() else T(v)) for k, v in m.state_dict().items()}
    inputs = []
    for s in shapes:
        if int_input is not None:
            inputs.append(torch.randint(0, int_input, s, generator=g))
        else:
            x = torch.randn(s, generator=g)
            if positive:
                x = x.abs() + 0.5
            inputs.append(x.requires_grad_())
    out = m(*inputs)
    if isinstance(out, tuple):
        out = out[0]
    up = torch.randn(out.shape, generator=g)
    out.backward(up)
    after = {k: (I(v) if not v.is_floating_point() else T(v)) for k, v in m.named_buffers()}
    cases.append({
        "name": name,
        "kind": "module",
        "train": train,
        "state": state,
        "inputs": [I(x) if int_input is not None else T(x) for x in inputs],
        "output": T(out),
        "upstream": T(up),
        "input_grads": [] if int_input is not None else [T(x.grad) for x in inputs],
        "param_grads": {k: T(p.grad) for k, p in m.named_parameters()},
        "buffers_after": after,
    })


def loss_case(name, fn, shapes, seed, classes=None, target=None):
    """A loss of a prediction and a target: integer labels (classes),
    a float target of the prediction's shape ("float"), or probabilities
    in [0, 1] ("prob")."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(shapes[0], generator=g).requires_grad_()
    if classes is not None:
        y = torch.randint(0, classes, shapes[1], generator=g)
        yj = I(y)
    else:
        y = torch.randn(shapes[1], generator=g)
        if target == "prob":
            y = torch.rand(shapes[1], generator=g)
        y.requires_grad_()
        yj = T(y)
    out = fn(x, y)
    out.backward()
    grads = [T(x.grad)]
    if classes is None:
        grads.append(T(y.grad))
    cases.append({"name": name, "kind": "loss", "inputs": [T(x), yj], "output": T(out), "input_grads": grads})


# Layers of step 1.
module_case("linear", lambda: nn.Linear(5, 3), [[4, 5]], 1)
module_case("linear_3d", lambda: nn.Linear(5, 3), [[2, 3, 5]], 2)
module_case("linear_nobias", lambda: nn.Linear(5, 3, bias=False), [[4, 5]], 3)
module_case("mlp", lambda: nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 4), nn.Tanh()), [[3, 6]], 4)
module_case("activations", lambda: nn.Sequential(nn.Linear(4, 6), nn.GELU(), nn.Linear(6, 6), nn.SiLU(), nn.LeakyReLU(0.1),
                                                 nn.Sigmoid(), nn.Linear(6, 5), nn.LogSoftmax(1)), [[3, 4]], 5)
module_case("softmax_flatten", lambda: nn.Sequential(nn.Flatten(), nn.Linear(6, 4), nn.Softmax(1)), [[3, 2, 3]], 6)

# Layers of step 2.
module_case("conv2d", lambda: nn.Conv2d(3, 4, 3), [[2, 3, 6, 5]], 20)
module_case("conv2d_stride_pad", lambda: nn.Conv2d(2, 3, 3, 2, 1), [[2, 2, 7, 6]], 21)
module_case("conv2d_dilation", lambda: nn.Conv2d(2, 3, 3, 1, 2, 2), [[1, 2, 8, 9]], 22)
module_case("max_pool", lambda: nn.MaxPool2d(2), [[2, 3, 6, 6]], 23)
module_case("max_pool_pad", lambda: nn.MaxPool2d(3, 2, 1), [[1, 2, 7, 6]], 24)
module_case("avg_pool", lambda: nn.AvgPool2d(2), [[2, 3, 6, 6]], 25)
module_case("avg_pool_pad", lambda: nn.AvgPool2d(3, 2, 1), [[1, 2, 7, 6]], 26)
module_case("batch_norm1d", lambda: nn.BatchNorm1d(3), [[4, 3]], 27)
module_case("batch_norm1d_3d", lambda: nn.BatchNorm1d(3), [[4, 3, 5]], 28)
module_case("batch_norm2d", lambda: nn.BatchNorm2d(2), [[3, 2, 4, 4]], 29)
module_case("batch_norm2d_eval", lambda: nn.BatchNorm2d(2), [[3, 2, 4, 4]], 30, train=False)
module_case("layer_norm", lambda: nn.LayerNorm(4), [[2, 3, 4]], 31)
module_case("layer_norm_2d", lambda: nn.LayerNorm([3, 4]), [[2, 3, 4]], 32)
module_case("embedding", lambda: nn.Embedding(10, 4), [[2, 3]], 33, int_input=10)
module_case("cnn", lambda: nn.Sequential(nn.Conv2d(1, 2, 3, 1, 1), nn.BatchNorm2d(2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                         nn.Linear(2 * 3 * 3, 3)), [[2, 1, 6, 6]], 34)

# Layers of step 4.
class SelfAttention(nn.MultiheadAttention):
    def __init__(self, embed, heads, causal):
        super().__init__(embed, heads, batch_first=True)
        self.causal = causal

    def forward(self, x):
        L = x.shape[1]
        mask = torch.triu(torch.ones(L, L, dtype=torch.bool), 1) if self.causal else None
        return super().forward(x, x, x, need_weights=False, attn_mask=mask)[0]


class Block(nn.TransformerEncoderLayer):
    def __init__(self, d, heads, ff, causal, activation):
        super().__init__(d, heads, ff, dropout=0.0, activation=activation, batch_first=True, norm_first=True)
        self.causal = causal

    def forward(self, x):
        L = x.shape[1]
        mask = torch.triu(torch.full((L, L), float("-inf")), 1) if self.causal else None
        return super().forward(x, src_mask=mask)


module_case("rnn", lambda: nn.RNN(3, 4, 1, batch_first=True), [[2, 5, 3]], 40)
module_case("rnn_2layers", lambda: nn.RNN(3, 4, 2, batch_first=True), [[2, 5, 3]], 41)
module_case("lstm", lambda: nn.LSTM(3, 4, 1, batch_first=True), [[2, 5, 3]], 42)
module_case("lstm_2layers", lambda: nn.LSTM(3, 4, 2, batch_first=True), [[2, 4, 3]], 43)
module_case("gru", lambda: nn.GRU(3, 4, 1, batch_first=True), [[2, 5, 3]], 44)
module_case("gru_2layers", lambda: nn.GRU(3, 4, 2, batch_first=True), [[2, 4, 3]], 45)
module_case("attention", lambda: SelfAttention(8, 2, False), [[2, 5, 8]], 46)
module_case("attention_causal", lambda: SelfAttention(8, 2, True), [[2, 5, 8]], 47)
module_case("transformer_block", lambda: Block(8, 2, 16, False, "relu"), [[2, 5, 8]], 48)
module_case("transformer_block_causal_gelu", lambda: Block(8, 2, 16, True, "gelu"), [[2, 5, 8]], 49)

# Losses.
loss_case("cross_entropy", lambda x, y: F.cross_entropy(x, y), [[5, 4], [5]], 10, classes=4)
loss_case("cross_entropy_smooth", lambda x, y: F.cross_entropy(x, y, label_smoothing=0.1), [[5, 4], [5]], 11, classes=4)
loss_case("nll", lambda x, y: F.nll_loss(x.log_softmax(1), y), [[5, 4], [5]], 12, classes=4)
loss_case("mse", lambda x, y: F.mse_loss(x, y), [[3, 4], [3, 4]], 13, target="float")
loss_case("l1", lambda x, y: F.l1_loss(x, y), [[3, 4], [3, 4]], 14, target="float")
loss_case("huber", lambda x, y: F.huber_loss(x, y, delta=1.0), [[3, 4], [3, 4]], 15, target="float")
loss_case("huber_half", lambda x, y: F.huber_loss(x, y, delta=0.5), [[3, 4], [3, 4]], 16, target="float")
loss_case("bce_with_logits", lambda x, y: F.binary_cross_entropy_with_logits(x, y), [[3, 4], [3, 4]], 17, target="prob")



# Magnitude pruning: torch.nn.utils.prune on two Linear layers.
def prune_case(amount, global_):
    import torch.nn.utils.prune as prune
    torch.manual_seed(50)
    m = nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 4))
    state = {k: T(v) for k, v in m.state_dict().items()}
    params = [(m[0], "weight"), (m[2], "weight")]
    if global_:
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=amount)
    else:
        for mod, name in params:
            prune.l1_unstructured(mod, name, amount=amount)
    return {"amount": amount, "global": global_, "state": state,
            "masks": {"0.weight": T(m[0].weight_mask), "2.weight": T(m[2].weight_mask)}}


pruning = [prune_case(0.3, False), prune_case(0.5, True), prune_case(0.25, False)]

# safetensors, read and written here without the safetensors package.
DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}


def read_safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    data = b[8 + n:]
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        dt = DTYPES[v["dtype"]]
        t = torch.frombuffer(bytearray(data[s:e]), dtype=dt) if e > s else torch.zeros(0, dtype=dt)
        out[k] = t.reshape(v["shape"])
    return out, header.get("__metadata__", {})


def write_safetensors(path, tensors, metadata):
    names = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
    header, blobs, off = {"__metadata__": metadata}, [], 0
    for k, t in tensors.items():
        raw = t.detach().contiguous().numpy().tobytes()
        header[k] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def st_model():
    """The model of the safetensors tests (float32, as gonn's)."""
    return nn.Sequential(nn.Conv2d(1, 2, 3, 1, 1), nn.BatchNorm2d(2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(18, 4)).float().eval()


st_input = torch.sin(0.37 * torch.arange(72, dtype=torch.float32)).reshape(2, 1, 6, 6)
safetensors = {"input": T(st_input)}

gonn_file = os.path.join(HERE, "gonn_model.safetensors")
if os.path.exists(gonn_file):  # written by the Go test with -update
    state, meta = read_safetensors(gonn_file)
    m = st_model()
    m.load_state_dict(state)  # strict: every name and shape must match
    with torch.no_grad():
        safetensors["gonn_file_torch_output"] = T(m(st_input))
    safetensors["gonn_file_metadata"] = meta

torch.manual_seed(7)
m = st_model()
with torch.no_grad():
    for k, b in m.named_buffers():
        if b.is_floating_point():
            b.copy_(torch.rand(b.shape) + 0.5 if "var" in k else torch.randn(b.shape))
    m[1].num_batches_tracked.fill_(3)
write_safetensors(os.path.join(HERE, "torch_model.safetensors"), m.state_dict(), {"format": "pt"})
with torch.no_grad():
    safetensors["torch_file_output"] = T(m(st_input))

with open(os.path.join(HERE, "torch_nn.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "safetensors": safetensors, "pruning": pruning}, f)
print(len(cases), "cases")
