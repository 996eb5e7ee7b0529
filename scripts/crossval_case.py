"""Cross-validated CASE 2021 figures of the shipped event model, measured end to end by the reference scorer.

    python scripts/crossval_case.py --shared ../shared [--folds 5] [--work /tmp/wirecoder-cv] [--reuse]

The shipped model learns from the CASE 2021 dev snippets, so their figure must come from snippets the model did
not see. For each fold K this trains the model exactly as scripts/train_events.py does with `--holdout-case K/N`,
points a config file at it, and runs `shared/tools/score.py case` (which calls `wirecoder extract` as a user
would) on the held-out snippets with that config. It prints every fold's scorer output, then the figures over
all folds' predictions pooled, computed with the scorer's own functions.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score", shared / "tools" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def made_by_this_script(model: Path) -> bool:
    """Whether a fold's model exists and was trained by train_events.py as it is now."""
    meta = Path(f"{model}.json")
    if not meta.exists() or not Path(f"{model}.npz").exists():
        return False
    recorded = json.loads(meta.read_text(encoding="utf-8"))["provenance"]["script_sha256"]
    return recorded == hashlib.sha256((HERE / "train_events.py").read_bytes()).hexdigest()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", required=True, type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/wirecoder-cv"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/wirecoder-train"),
                        help="train_events.py's cache of parses and vectors")
    parser.add_argument("--reuse", action="store_true",
                        help="keep fold models already in --work that the current train_events.py made (to score "
                             "a change of the extractor without retraining)")
    args = parser.parse_args(argv)
    shared = args.shared.resolve()
    score = scorer(shared)
    pairs = []
    for k in range(args.folds):
        fold = args.work / f"fold{k}"
        fold.mkdir(parents=True, exist_ok=True)
        model = fold / "events"
        if not (args.reuse and made_by_this_script(model)):
            subprocess.run([sys.executable, str(HERE / "train_events.py"), "--shared", str(shared), "--out",
                            str(model), "--cache", str(args.cache), "--holdout-case", f"{k}/{args.folds}",
                            "--no-heldout"], check=True)
        config = fold / "config.toml"
        config.write_text(f'[events]\nmodel = "{model}.npz"\n', encoding="utf-8")
        heldout = Path(f"{model}.case-heldout.tsv")
        cache = fold / "scores"
        shutil.rmtree(cache, ignore_errors=True)  # the scorer's cache is keyed by commit, not by working tree
        env = dict(os.environ, WIRECODER_CONFIG=str(config), WC_CACHE=str(cache))
        print(f"== fold {k}: {heldout}", flush=True)
        subprocess.run([sys.executable, str(shared / "tools" / "score.py"), "case", str(heldout)], env=env,
                       check=True)
        gold = {row[0]: row[2] for row in list(csv.reader(open(heldout, encoding="utf-8"), delimiter="\t"))[1:]}
        for path in sorted(cache.glob("case-*.jsonl")):
            if path.name.endswith(".in.jsonl"):
                continue
            for line in path.read_text(encoding="utf-8").split("\n"):
                if line.strip():
                    out = json.loads(line)
                    events = {e.get("id"): e for e in out.get("events", [])}
                    primary = events.get(out.get("primary_event")) or {}
                    pairs.append((gold[str(out["id"])], primary.get("type") or "NONE"))
    w25, m25, a25, n25 = score.weighted_f1(pairs, score.ACLED25)
    labels = sorted({g for g, _ in pairs})
    w30, m30, a30, n30 = score.weighted_f1(pairs, labels)
    print(f"pooled over {args.folds} folds: 25 ACLED types weighted F1 {100 * w25:.1f}, macro F1 {100 * m25:.1f}, "
          f"accuracy {100 * a25:.1f} (n={n25}); all 30 types weighted F1 {100 * w30:.1f} (n={n30})")


if __name__ == "__main__":
    main()
