#!/usr/bin/env python3
"""Turns bench/out/round-*.jsonl (one file per round of bench/run.sh) into
the RESULTS.md table: medians over the rounds; each ratio is taken within
a round (Gradscope and the peer measured minutes apart), then the median
and the range over the rounds are shown."""
import json, statistics, sys

rounds = [[json.loads(l) for l in open(f)] for f in sys.argv[1:]]


def pick(rows, threads, batch, gemm):
    g = {r["probes"]: r for r in rows if r.get("impl") == "gradscope" and r["batch"] == batch
         and (r.get("width", 128), r.get("depth", 7)) == (128, 7)
         and r["threads"] == threads and r.get("gemm", "OpenBLAS") == gemm}
    p = [r for r in rows if "variant" in r and r["batch"] == batch and r["threads"] == threads]
    if len(g) < 2 or not p:
        return None
    p = p[0]
    on, off = g[True]["samples_per_s"], g[False]["samples_per_s"]
    return {"on": on, "off": off, "bound": g[True]["sgemm_samples_per_s"],
            "tl": p["train_loop"]["samples_per_s"], "dl": p["dataloader_epoch"]["samples_per_s"],
            "co": p["compute_only"]["samples_per_s"],
            "peak": g[True].get("fma_peak_gflops", 0), "of_peak": g[True].get("of_peak", 0)}


def ratio(vals):
    m = statistics.median(vals)
    return f"{m:.2f}x ({min(vals):.2f}-{max(vals):.2f})" if len(vals) > 1 else f"{m:.2f}x"


print(f"Medians over {len(rounds)} round(s); ratios: median (range) of the per-round ratios.\n")
gemms = sorted({r.get("gemm", "OpenBLAS") for rs in rounds for r in rs if r.get("impl") == "gradscope"})
print("| threads | batch | GEMM | Gradscope samples/s (probes on / off) | probe cost | SGEMM bound samples/s | Gradscope / bound | PyTorch train loop | PyTorch DataLoader | PyTorch compute only | ratio vs train loop | ratio vs DataLoader | FMA peak GFLOP/s | of the peak |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for threads, batch, gemm in ((t, b, g) for t in (1, 2) for b in (512, 64) for g in gemms):
    rs = [x for x in (pick(r, threads, batch, gemm) for r in rounds) if x]
    if not rs:
        continue
    med = {k: statistics.median(x[k] for x in rs) for k in rs[0]}
    cost = [100 * (1 - x["on"] / x["off"]) for x in rs]
    bound = [x["on"] / x["bound"] for x in rs]
    print(f"| {threads} | {batch} | {gemm} | {med['on']:,.0f} / {med['off']:,.0f} | "
          f"{statistics.median(cost):.1f}% ({min(cost):.1f} to {max(cost):.1f}) | {med['bound']:,.0f} | "
          f"{statistics.median(bound):.2f} ({min(bound):.2f}-{max(bound):.2f}) | {med['tl']:,.0f} | "
          f"{med['dl']:,.0f} | {med['co']:,.0f} | {ratio([x['on'] / x['tl'] for x in rs])} | "
          f"{ratio([x['on'] / x['dl'] for x in rs])} | {med['peak']:.0f} | {med['of_peak']:.2f} "
          f"({min(x['of_peak'] for x in rs):.2f}-{max(x['of_peak'] for x in rs):.2f}) |")

nets = sorted({(r["depth"], r["width"], r["gemm"]) for rs in rounds for r in rs
               if r.get("impl") == "gradscope" and (r.get("width"), r.get("depth")) != (128, 7)})
if nets:
    print("\nThe deep and the wide net, one thread, batch 512, probes on: GEMM GFLOP/s in training "
          "(samples/s times a sample's GEMM flops) over the FMA peak measured in the same run.\n")
    print("| net | GEMM | samples/s | GEMM GFLOP/s in training | FMA peak GFLOP/s | of the peak |")
    print("|---|---|---|---|---|---|")
for depth, width, gemm in nets:
    rs = [r for rows in rounds for r in rows if r.get("impl") == "gradscope" and r.get("depth") == depth
          and r.get("width") == width and r["gemm"] == gemm]
    of = [r["of_peak"] for r in rs]
    print(f"| {depth} x {width} | {gemm} | {statistics.median(r['samples_per_s'] for r in rs):,.0f} | "
          f"{statistics.median(r['gemm_gflops_in_training'] for r in rs):.1f} | "
          f"{statistics.median(r['fma_peak_gflops'] for r in rs):.0f} | "
          f"{statistics.median(of):.2f} ({min(of):.2f}-{max(of):.2f}) |")
