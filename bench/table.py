#!/usr/bin/env python3
"""Turns bench/out/round-*.jsonl (one file per round of bench/run.sh) into
the RESULTS.md tables: medians over the rounds; each ratio is taken within
a round (Gradscope and the peer measured minutes apart), then the median
and the range over the rounds are shown. The second table says where a
training step's time goes, against the FMA peak bench-train measured."""
import json, statistics, sys

rounds = [[json.loads(l) for l in open(f)] for f in sys.argv[1:]]
med = statistics.median


def ours(r, width=128, depth=7):
    return r.get("impl") == "gradscope" and (r.get("width", 128), r.get("depth", 7)) == (width, depth)


def pick(rows, threads, batch, gemm):
    g = {r["probes"]: r for r in rows if ours(r) and r["batch"] == batch
         and r["threads"] == threads and r.get("gemm", "OpenBLAS") == gemm}
    p = [r for r in rows if "variant" in r and r["batch"] == batch and r["threads"] == threads]
    if len(g) < 2 or not p:
        return None
    on, p = g[True], p[0]
    return {"on": on["samples_per_s"], "off": g[False]["samples_per_s"], "bound": on["sgemm_samples_per_s"],
            "tl": p["train_loop"]["samples_per_s"], "dl": p["dataloader_epoch"]["samples_per_s"],
            "co": p["compute_only"]["samples_per_s"], "share": on.get("gemm_share_of_step", 0),
            "inside": on.get("gemm_gflops_inside_steps", 0), "hot": on["sgemm_gflops"],
            "peak": on.get("fma_peak_gflops", 0), "of_peak": on.get("of_peak", 0)}


def spread(vals, fmt="{:.2f}", unit=""):
    m = med(vals)
    if len(vals) == 1:
        return fmt.format(m) + unit
    return f"{fmt.format(m)}{unit} ({fmt.format(min(vals))}-{fmt.format(max(vals))})"


rows = []
gemms = sorted({r.get("gemm", "OpenBLAS") for rs in rounds for r in rs if r.get("impl") == "gradscope"})
for threads, batch, gemm in ((t, b, g) for t in (1, 2) for b in (512, 64) for g in gemms):
    rs = [x for x in (pick(r, threads, batch, gemm) for r in rounds) if x]
    if rs:
        rows.append((threads, batch, gemm, rs))

print(f"Medians over {len(rounds)} round(s); ratios: median (range) of the per-round ratios.\n")
print("| threads | batch | GEMM | Gradscope samples/s (probes on / off) | probe cost | PyTorch train loop | "
      "PyTorch DataLoader | PyTorch compute only | ratio vs train loop | ratio vs DataLoader |")
print("|---|---|---|---|---|---|---|---|---|---|")
for threads, batch, gemm, rs in rows:
    m = {k: med(x[k] for x in rs) for k in rs[0]}
    cost = [100 * (1 - x["on"] / x["off"]) for x in rs]
    print(f"| {threads} | {batch} | {gemm} | {m['on']:,.0f} / {m['off']:,.0f} | "
          f"{med(cost):.1f}% ({min(cost):.1f} to {max(cost):.1f}) | {m['tl']:,.0f} | {m['dl']:,.0f} | "
          f"{m['co']:,.0f} | {spread([x['on'] / x['tl'] for x in rs], unit='x')} | "
          f"{spread([x['on'] / x['dl'] for x in rs], unit='x')} |")

print("\nWhere a step goes (probes on): the GEMMs' share of the training steps' time and their speed "
      "there, the same GEMMs alone on hot buffers (the engine's tiles), and the FMA peak of the "
      "threads, measured in the same run; \"of the peak\" is samples/s times a sample's GEMM flops.\n")
print("| threads | batch | GEMM | GEMM share of a step | GEMM GFLOP/s in the steps | GEMM GFLOP/s hot | "
      "FMA peak GFLOP/s | of the peak |")
print("|---|---|---|---|---|---|---|---|")
for threads, batch, gemm, rs in rows:
    print(f"| {threads} | {batch} | {gemm} | {spread([x['share'] for x in rs])} | "
          f"{spread([x['inside'] for x in rs], '{:.0f}')} | {spread([x['hot'] for x in rs], '{:.0f}')} | "
          f"{med(x['peak'] for x in rs):.0f} | {spread([x['of_peak'] for x in rs])} |")

nets = sorted({(r["depth"], r["width"], r["gemm"]) for rs in rounds for r in rs
               if r.get("impl") == "gradscope" and not ours(r)})
if nets:
    print("\nThe deep and the wide net, one thread, batch 512, probes on.\n")
    print("| net | GEMM | samples/s | GEMM share of a step | GEMM GFLOP/s in the steps | FMA peak GFLOP/s | "
          "of the peak |")
    print("|---|---|---|---|---|---|---|")
for depth, width, gemm in nets:
    rs = [r for rows_ in rounds for r in rows_ if ours(r, width, depth) and r["gemm"] == gemm]
    print(f"| {depth} x {width} | {gemm} | {med(r['samples_per_s'] for r in rs):,.0f} | "
          f"{spread([r['gemm_share_of_step'] for r in rs])} | "
          f"{spread([r['gemm_gflops_inside_steps'] for r in rs], '{:.0f}')} | "
          f"{med(r['fma_peak_gflops'] for r in rs):.0f} | {spread([r['of_peak'] for r in rs])} |")
