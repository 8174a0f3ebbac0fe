#!/usr/bin/env python3
"""Validation figures for the CURRENT heuristics at the SHIPPED operating point
(ninth round; stdlib only). Does not write the model.

    python3 policies/injection/train/validate.py [--save TAG] [--diff TAG] [--search]

Featurises train/train.jsonl with the crate as it is now (`--example featurize`),
takes the same 80/20 split as train_model.py, trains the 80 % model once with the
shipped L2 (cached in /tmp by a hash of train.jsonl and L2: the model's features do
not depend on the signals) and prints per-category validation figures with the
operating point read from model/injection.bin - so a signal change can be judged
like for like without retraining. `--save TAG` stores each case's heuristic score,
`--diff TAG` lists the train.jsonl cases whose heuristic verdict-relevant score moved
since that TAG; `--search` also runs train_model.operating_point on the result.
"""
import hashlib
import json
import os
import struct
import subprocess
import sys

import train_model as tm

L2_SHIPPED = 2e-5


def shipped_point():
    b = open(os.path.join(tm.CRATE, "model", "injection.bin"), "rb").read(30)
    min_p, veto_p = b[6] / 100, b[7] / 100
    _, _, alpha, _ = struct.unpack("<fffI", b[8:24])
    return round(alpha, 2), min_p, veto_p, b[24] / 100, b[25] / 100


def main():
    args = sys.argv[1:]
    src = os.path.join(tm.HERE, "train.jsonl")
    raw = open(src, "rb").read()
    cases = [json.loads(l) for l in raw.decode().split("\n") if l.strip()]
    out = subprocess.run(
        ["cargo", "run", "-q", "-p", "warden-policy-injection", "--example", "featurize", "--release"],
        input="".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases).encode(),
        capture_output=True, check=True, cwd=tm.CRATE).stdout.decode()
    feats = [json.loads(l) for l in out.splitlines()]
    rows = []
    for c, f in zip(cases, feats):
        rows.append({"category": c["category"], "y": int(c["expect"] == "deny"), "heur": f["heur"], "w": f["w"],
                     "u": f["u"], "disc": f["disc"], "group": tm.val_group(c, f["folded"]),
                     "folded": f["folded"], "tool": c.get("role") == "tool", "text": c["text"]})
    is_val = lambda r: int(hashlib.sha1(r["group"].encode()).hexdigest(), 16) % 5 == 0
    cache = f"/tmp/warden_val_ps_{hashlib.sha1(raw).hexdigest()[:12]}_{L2_SHIPPED:g}.json"
    va = [r for r in rows if is_val(r)]
    if os.path.exists(cache):
        ps = json.load(open(cache))
    else:
        for r in rows:
            r["x"] = tm.vector(r["folded"], r["tool"])
        w, b = tm.train([r for r in rows if not is_val(r)], L2_SHIPPED)
        ps = [tm.prob(w, b, r["x"]) for r in va]
        json.dump(ps, open(cache, "w"))
    alpha, min_p, veto_p, mpt, vpt = shipped_point()
    print(f"{len(va)} validation cases; shipped point alpha {alpha} min_p {min_p} veto_p {veto_p} tool {mpt}/{vpt}")
    tm.report(va, [r["heur"] for r in va], "validation, heuristics only")
    sc = [tm.combined(r, p, alpha, min_p, veto_p, mpt, vpt) for r, p in zip(va, ps)]
    tm.report(va, sc, "validation, combined at the shipped point")
    rec = tm.category_rates(va, sc)
    mac = sum(v for c, v in rec.items() if c in tm.POSITIVE) / 4
    print(f"  macro recall {mac:.3f}")
    if "--search" in args:
        pt = tm.operating_point(va, ps)
        print("searched point (min_p, veto_p, alpha, min_p_tool, veto_p_tool):", pt)
    if "--save" in args:
        tag = args[args.index("--save") + 1]
        json.dump([r["heur"] for r in rows], open(f"/tmp/warden_heur_{tag}.json", "w"))
    if "--diff" in args:
        tag = args[args.index("--diff") + 1]
        old = json.load(open(f"/tmp/warden_heur_{tag}.json"))
        moved = [(o, r) for o, r in zip(old, rows) if abs(o - r["heur"]) > 1e-6]
        print(f"{len(moved)} train.jsonl cases changed heuristic score since {tag}:")
        for o, r in moved:
            flip = " FLIP" if (o >= 0.5) != (r["heur"] >= 0.5) else ""
            print(f"  {r['category']:<18} {o:.2f} -> {r['heur']:.2f}{flip} {'VAL ' if is_val(r) else ''}{r['text'][:110]!r}")


if __name__ == "__main__":
    main()
