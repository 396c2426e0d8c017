"""The README's headline table from <dir>/*/summary.json (default chiron-out/eval): per configuration, Chiron's
mean and worst seed against the hindsight reference, the bound, and every baseline that dominates it
(attainment at least Chiron's on both classes, within 0.05 points, with fewer GPU-hours)."""
import glob, json, os, sys

def pct(v):
    return "-" if v is None else "%.1f" % (100 * v)

def ge(a, b):
    return b is None or (a is not None and a >= b - 0.0005)

rows = []
root = sys.argv[1] if len(sys.argv) > 1 and os.path.isdir(sys.argv[1]) else "chiron-out/eval"
for f in sorted(glob.glob(os.path.join(root, "*/summary.json"))):
    name = os.path.basename(os.path.dirname(f))
    j = json.load(open(f))
    pol = j["policies"]
    if "chiron" not in pol:
        continue
    c = pol["chiron"]
    h = pol.get("hindsight")
    dominated = [
        n for n, p in pol.items()
        if n not in ("chiron", "hindsight") and not n.startswith("chiron-")
        and ge(p["interactive_slo_attainment"], c["interactive_slo_attainment"])
        and ge(p["batch_slo_attainment"], c["batch_slo_attainment"])
        and p["gpu_hours"] < c["gpu_hours"]
    ]
    w = c.get("worst_seed", {})
    wi = w.get("interactive_slo_attainment", {}).get("value")
    wb = w.get("batch_slo_attainment", {}).get("value")
    llu = pol.get("llumnix-untuned")
    eff = c["output_tokens_per_gpu_hour"] / llu["output_tokens_per_gpu_hour"] if llu else None
    rows.append(
        f"| {name} | {pct(c['interactive_slo_attainment'])} ({pct(wi)}) | {pct(c['batch_slo_attainment'])} ({pct(wb)}) "
        f"| {c['gpu_hours']:.2f} | {c['gpu_hours_over_bound']:.2f}x "
        f"| {('%.2fx' % (c['gpu_hours'] / h['gpu_hours'])) if h else '-'} "
        f"| {('%.2fx' % eff) if eff else '-'} | {', '.join(dominated) or 'none'} |")
print("| configuration | chiron interactive % (worst seed) | batch % (worst) | GPU-hours | over bound | over hindsight | SLO tokens/GPU-h vs llumnix-untuned | baselines that dominate it |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
print("\n".join(rows))
