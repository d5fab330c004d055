#!/usr/bin/env python3
"""Table of bench/gemm/run.sh's JSON lines: median GFLOP/s per library and
shape over the rounds, and the median of the per-round ratios to OpenBLAS."""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(line) for f in sys.argv[1:] for line in open(f)]
by = defaultdict(list)  # (shape, lib) -> rows
for r in rows:
    by[((r["batch"], r["width"], r["depth"]), r["lib"])].append(r)
libs = [l for l in ["openblas", "blis", "onednn", "onednn+bias+sigmoid", "libxsmm"]
        if any(k[1] == l for k in by)]
shapes = sorted({k[0] for k in by}, key=lambda s: (s[2], s[1], s[0]))


def cell(shape, lib, key):
    vals = [r[key] for r in by[(shape, lib)] if key in r]
    if not vals:
        return "no kernel"
    base = {r["round"]: r.get(key) for r in by[(shape, "openblas")]}
    ratios = [r[key] / base[r["round"]] for r in by[(shape, lib)]
              if key in r and base.get(r["round"])]
    text = "%.0f" % statistics.median(vals)
    if lib != "openblas" and ratios:
        text += " (%.2f)" % statistics.median(ratios)
    return text


def of_peak(shape):
    """The fastest library's whole step over the FMA peak measured in the
    same runs (median of the per-run ratios): the GEMMs' bound."""
    best = []
    for lib in libs:
        ratios = [r["step_gflops"] / r["fma_peak_gflops"] for r in by[(shape, lib)]
                  if "step_gflops" in r and r.get("fma_peak_gflops")]
        if ratios:
            best.append((statistics.median(ratios), lib))
    return "%.2f (%s)" % max(best) if best else ""


n_rounds = len({r["round"] for r in rows})
print("GFLOP/s, median of %d round(s); in brackets the median ratio to "
      "OpenBLAS in the same round; best of peak: the fastest library's whole\n"
      "step over the FMA peak measured in the same run (the bound on a\n"
      "training step's fraction of the peak).\n" % n_rounds)
print("| batch | width | depth | GEMM | " + " | ".join(libs) + " | best of peak |")
print("|---|---|---|---|" + "---|" * (len(libs) + 1))
for s in shapes:
    for key, name in [("fwd_gflops", "forward"), ("dw_gflops", "dW"),
                      ("dx_gflops", "dX"), ("step_gflops", "whole step")]:
        print("| %d | %d | %d | %s | " % (s + (name,))
              + " | ".join(cell(s, l, key) for l in libs) + " | "
              + (of_peak(s) if key == "step_gflops" else "") + " |")
