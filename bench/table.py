#!/usr/bin/env python3
"""Turns bench/out/results.jsonl into the RESULTS.md table."""
import json, sys

rows = [json.loads(l) for l in open(sys.argv[1])]
print("| threads | batch | Gradscope samples/s (probes on / off) | probe cost | SGEMM bound samples/s | Gradscope / bound | PyTorch train loop | PyTorch DataLoader | PyTorch compute only | ratio vs train loop | ratio vs DataLoader |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for threads in (1, 2):
    for batch in (512, 64):
        g = {r["probes"]: r for r in rows if r.get("impl") == "gradscope" and r["batch"] == batch and r["threads"] == threads}
        p = [r for r in rows if "variant" in r and r["batch"] == batch and r["threads"] == threads]
        if len(g) < 2 or not p:
            continue
        p = p[0]
        on, off = g[True]["samples_per_s"], g[False]["samples_per_s"]
        bound = g[True]["sgemm_samples_per_s"]
        tl = p["train_loop"]["samples_per_s"]
        dl = p["dataloader_epoch"]["samples_per_s"]
        co = p["compute_only"]["samples_per_s"]
        print(f"| {threads} | {batch} | {on:,.0f} / {off:,.0f} | {100 * (1 - on / off):.1f}% | {bound:,.0f} | "
              f"{on / bound:.2f} | {tl:,.0f} | {dl:,.0f} | {co:,.0f} | {on / tl:.2f}x | {on / dl:.2f}x |")
