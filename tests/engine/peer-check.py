#!/usr/bin/python3
"""Checks one training step of Gradscope against the PyTorch peer's own model
(../shared/peer/torch_peer.py, class MLP), for each preset the peer has.

usage: peer-check.py PEER_DUMP PEER_PY
Gradscope writes its initial weights, a real batch and its gradients
(peer-dump); this script loads the same weights into the peer's MLP, runs
the same batch forward and backward in float64, and compares the loss and
every Linear layer's weight gradient. Bound: relative L2 error per layer
< 1e-4 (float32 accumulation in Gradscope against float64 here), loss
within 1e-5 relative.

Then the layer-wise schedules: Gradscope's real trainer (peer-dump
--schedule: which layers' weights moved in each phase, and whether the head
was redrawn) against the peer's own training loop (torch_peer.train, its
optimizer's parameter list and head object spied on per phase).
Exit 77 (skip) when torch or the peer is missing."""
import argparse, json, os, subprocess, sys, tempfile

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError:
    print("python3-torch or python3-numpy is not installed: skipped")
    sys.exit(77)

dump, peer_py = sys.argv[1], sys.argv[2]
if not os.path.exists(peer_py):
    print(f"{peer_py} not found: skipped")
    sys.exit(77)
sys.path.insert(0, os.path.dirname(peer_py))
import torch_peer  # noqa: E402

# preset -> the peer's variant of the same architecture
PRESETS = {"baseline": "baseline", "init-std1": "init_std1", "relu": "relu",
           "batchnorm": "batchnorm", "skip": "skip", "gradnorm": "gradnorm",
           "adam": "adam", "gradnorm-b": "gradnorm_b", "batchnorm-b": "batchnorm_b",
           "adam-lr1e-2": "adam_b", "layerwise": "layerwise_a"}
SCHEDULES = {"layerwise": "layerwise_a", "layerwise-finetune": "layerwise_b"}
failed = 0
torch.set_default_dtype(torch.float64)
with tempfile.TemporaryDirectory() as tmp:
    for preset, variant in PRESETS.items():
        path = os.path.join(tmp, preset + ".bin")
        subprocess.run([dump, preset, path], check=True)
        with open(path, "rb") as f:
            head = json.loads(f.readline())
            rest = np.frombuffer(f.read(), dtype="<f4").astype(np.float64)
        n, B = head["n_params"], head["batch"]
        params, rest = rest[:n], rest[n:]
        x, rest = rest[:B * 784].reshape(B, 784), rest[B * 784:]
        y, rest = rest[:B].astype(np.int64), rest[B:]
        loss_gs, grads = rest[0], rest[1:]
        assert grads.size == n, (grads.size, n)

        model = torch_peer.MLP(variant).double()
        layers = list(model.hidden) + [model.head]
        off, views = 0, []
        for i, lin in enumerate(layers):
            tensors = [lin.weight, lin.bias]
            if model.bns is not None and i < len(model.hidden):
                tensors += [model.bns[i].weight, model.bns[i].bias]
            for t in tensors:
                with torch.no_grad():
                    t.copy_(torch.from_numpy(params[off:off + t.numel()].reshape(t.shape)))
                views.append((i, t, off))
                off += t.numel()
        assert off == n, (off, n)
        model.train()
        loss = F.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
        loss.backward()
        rel_loss = abs(loss.item() - loss_gs) / abs(loss.item())
        worst = rel_loss
        report = []
        for i, t, o in views:
            if t is not layers[i].weight:
                continue
            ref = t.grad.numpy().ravel()
            ours = grads[o:o + ref.size]
            err = np.linalg.norm(ours - ref) / max(np.linalg.norm(ref), 1e-30)
            worst = max(worst, err)
            report.append(f"{np.linalg.norm(ref):.2e}/{err:.0e}")
        ok = rel_loss < 1e-5 and worst < 1e-4
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {preset:10s} ({head['dataset']}) loss {loss_gs:.6f} vs {loss.item():.6f};"
              f" per layer |grad| / rel.err: {' '.join(report)}")


def peer_schedule(variant):
    """The peer's phases as its train() runs them: (hidden layers in use,
    hidden layers its optimizer trains, head trained, head new)."""
    seen, phases = {}, []
    real_mlp, real_opt = torch_peer.MLP, torch_peer.make_opt

    class Spy(real_mlp):
        def __init__(self, v):
            super().__init__(v)
            seen["model"] = self

    def spy_opt(v, params):
        params = list(params)
        m = seen["model"]
        ids = {id(p) for p in params}
        trained = [i for i, lin in enumerate(m.hidden) if id(lin.weight) in ids]
        fresh = m.head is not seen.get("head")
        seen["head"] = m.head
        phases.append((m.depth, trained, id(m.head.weight) in ids, fresh))
        return real_opt(v, params)

    torch_peer.MLP, torch_peer.make_opt = Spy, spy_opt
    try:
        torch.set_default_dtype(torch.float32)
        d = torch_peer.load_data()
        small = {k: (x[:128], y[:128]) for k, (x, y) in d.items()}
        args = argparse.Namespace(variant=variant, epochs=1, batch=64, grad_stats=False)
        torch_peer.train(args, small, 0)
    finally:
        torch_peer.MLP, torch_peer.make_opt = real_mlp, real_opt
    return phases


for preset, variant in SCHEDULES.items():
    out = subprocess.run([dump, "--schedule", preset], check=True, capture_output=True, text=True).stdout
    ours = [json.loads(line) for line in out.splitlines()]
    theirs = peer_schedule(variant)
    ok = len(ours) == len(theirs)
    for k, (o, (depth, trained, head, fresh)) in enumerate(zip(ours, theirs), start=1):
        same = (o["hidden_layers"] == depth and o["trained"] == trained
                and o["trainable_from"] == trained[0] + 1 and o["head_trained"] == head
                and o["fresh_head"] == fresh)
        ok = ok and same
        print(f"  {preset} phase {k}: ours {o['hidden_layers']} hidden, trains {o['trained']},"
              f" fresh head {o['fresh_head']}; peer {depth} hidden, trains {trained}, fresh head {fresh}"
              f"{'' if same else '  <- differs'}")
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {preset} schedule: {len(ours)} phases vs the peer's {variant}: {len(theirs)}")
sys.exit(1 if failed else 0)
