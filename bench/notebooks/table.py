#!/usr/bin/python3
"""One notebook's rows: Gradscope's reproduce table beside the notebook and
the PyTorch peer's test accuracy over the seeds it was run with, and which
goal each row meets: within 5 points of the notebook, or (where it is not)
within 3 points of the peer's range over its seeds.

    table.py TABLE-N.csv PEER.json [PEER-SEEDS.json ...]

TABLE-N.csv is what `gradscope-cli reproduce --notebook N` writes; the JSON
files are what peer-protocol.py writes (--json)."""
import csv
import json
import sys

VARIANT = {"layerwise": "layerwise_a", "layerwise-finetune": "layerwise_b",
           "adam-lr1e-2": "adam_b", "batchnorm-b": "batchnorm_b",
           "gradnorm-b": "gradnorm_b"}


def peer_accuracies(paths):
    """(variant, phase) -> {seed: test accuracy}; phase 0 = the whole run."""
    acc = {}
    for path in paths:
        with open(path) as f:
            for r in json.load(f)["runs"]:
                for k, a in enumerate(r["phase_test_acc"] or [r["test_acc"]]):
                    phase = k + 1 if r["phase_test_acc"] else 0
                    acc.setdefault((r["variant"], phase), {})[r["seed"]] = a
    return acc


def row(r, peer):
    ours = float(r["test_accuracy"] if r["kind"] == "test" else r["val_accuracy"])
    theirs = float(r["notebook"])
    phase = int(r["phase"])
    name = f"{r['cell']} {r['preset']}" + (f", phase {phase}" if phase else "")
    seeds = peer.get((VARIANT.get(r["preset"], r["preset"].replace("-", "_")), phase), {})
    test = float(r["test_accuracy"])
    delta = 100 * (ours - theirs)
    if seeds:
        lo, hi = min(seeds.values()), max(seeds.values())
        off = 100 * max(lo - test, test - hi, 0)
        spread = ", ".join(f"{seeds[s]:.4f}" for s in sorted(seeds))
        rng = f"{lo:.4f}-{hi:.4f}" if len(seeds) > 1 else "one seed"
    else:
        off, spread, rng = None, "not run", ""
    if abs(delta) <= 5:
        verdict = "within 5 of the notebook"
    elif off is not None and len(seeds) >= 3 and off <= 3:
        verdict = f"within 3 of the peer's range ({off:.1f} outside)"
    else:
        verdict = "**misses**"
    kind = "" if r["kind"] == "test" else " (val)"
    return (f"| {name} | {ours:.4f}{kind} | {theirs:.4f}{kind} | {delta:+.1f} | {spread} | {rng} | "
            f"{verdict} |")


def main():
    with open(sys.argv[1]) as f:
        rows = list(csv.DictReader(f))
    peer = peer_accuracies(sys.argv[2:])
    print("| row | Gradscope | notebook | Δ points | peer test accuracy, seeds "
          + ", ".join(str(s) for s in sorted({s for v in peer.values() for s in v}))
          + " | peer range | goal |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(row(r, peer))


if __name__ == "__main__":
    main()
