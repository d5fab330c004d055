#!/usr/bin/python3
"""Time a whole notebook protocol with the PyTorch peer, trained as the
notebooks trained: every epoch through a torch DataLoader (TensorDataset,
shuffle=True), one thread per run, two runs at a time (as
`gradscope-cli reproduce --notebook A|B` does on two cores).

    peer-protocol.py --peer ../shared/peer/torch_peer.py --notebook A \
                     --epochs 100 --json out.json

The peer has no customnorm variant; it is added here as SEEDS.md gives it:
(z - mean(z)) / std(z) over the whole batch tensor (unbiased std, no
parameters) between Linear and Sigmoid, weights N(0, 0.05), biases 0."""
import argparse
import importlib.util
import json
import multiprocessing as mp
import os
import sys
import time

NOTEBOOKS = {
    "A": (512, ["layerwise_a", "baseline", "init_std1", "init_std10", "relu",
                "adam", "batchnorm", "customnorm", "skip", "gradnorm"]),
    "B": (64, ["layerwise_b", "baseline", "init_std1", "init_std10", "relu",
               "adam_b", "batchnorm_b", "customnorm", "skip", "gradnorm_b"]),
}
peer = None
data = None


def load_peer(path):
    spec = importlib.util.spec_from_file_location("torch_peer", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    torch, nn, F = mod.torch, mod.nn, mod.F

    class MLP(mod.MLP):
        def __init__(self, variant):
            super().__init__(variant)
            if variant == "customnorm":
                for m in self.modules():
                    if isinstance(m, nn.Linear):
                        nn.init.normal_(m.weight, 0.0, 0.05)
                        nn.init.zeros_(m.bias)

        def forward(self, x):
            if self.variant != "customnorm":
                return super().forward(x)
            h = x
            for i in range(self.depth):
                z = self.hidden[i](h)
                h = torch.sigmoid((z - z.mean()) / z.std())
            return self.head(h)

    def run_epoch(model, opt, X, Y, batch, gen, grad_stats=False):
        dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y),
                                         batch_size=batch, shuffle=True,
                                         generator=gen, num_workers=0)
        tot, nb = 0.0, 0
        for xb, yb in dl:
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            tot += loss.item()
            nb += 1
        return tot / nb, None

    mod.MLP = MLP
    mod.run_epoch = run_epoch
    mod.VARIANTS.append("customnorm")
    return mod


def init_worker(path):
    global peer, data
    peer = load_peer(path)
    peer.torch.set_num_threads(1)
    data = peer.load_data()


def run_one(job):
    variant, batch, epochs, seed = job
    args = argparse.Namespace(variant=variant, batch=batch, epochs=epochs,
                              grad_stats=False)
    with open(os.devnull, "w") as quiet:
        old, sys.stdout = sys.stdout, quiet
        try:
            r = peer.train(args, data, seed)
        finally:
            sys.stdout = old
    print(f"{variant:12s} seed {seed} test {r['test_acc']:.4f}  {r['wall_s']:7.1f} s"
          + ("  phases " + " ".join(f"{a:.4f}" for a in r["phase_test_acc"])
             if r["phase_test_acc"] else ""), flush=True)
    return {k: r[k] for k in ("variant", "seed", "batch", "epochs", "test_acc",
                              "phase_test_acc", "wall_s")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer", required=True)
    ap.add_argument("--notebook", choices=sorted(NOTEBOOKS), required=True)
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--seeds", default="0", help="comma list, e.g. 0,1,2")
    ap.add_argument("--only", help="comma list of the notebook's variants to run")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json")
    a = ap.parse_args()
    batch, variants = NOTEBOOKS[a.notebook]
    if a.only:
        unknown = set(a.only.split(",")) - set(variants)
        if unknown:
            ap.error(f"--only: not in notebook {a.notebook}: {', '.join(sorted(unknown))}")
        variants = [v for v in variants if v in a.only.split(",")]
    jobs = [(v, batch, a.epochs, int(seed)) for seed in a.seeds.split(",") for v in variants]
    t0 = time.perf_counter()
    with mp.Pool(a.jobs, init_worker, (a.peer,)) as pool:
        runs = list(pool.imap_unordered(run_one, jobs))
    wall = time.perf_counter() - t0
    print(f"notebook {a.notebook}: {len(runs)} runs, {a.epochs} epochs each "
          f"(per phase for layer-wise), batch {batch}: {wall:.1f} s wall")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"notebook": a.notebook, "epochs": a.epochs, "batch": batch,
                       "jobs": a.jobs, "wall_s": wall, "runs": runs}, f, indent=1)


if __name__ == "__main__":
    main()
