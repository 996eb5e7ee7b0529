"""Cross-validated end-to-end figures of the event argument models, scored by the reference scorer.

    python scripts/crossval_args.py evloc --shared ../shared [--folds 5] [--work /tmp/wirecoder-cv]
    python scripts/crossval_args.py roles --shared ../shared [--folds 5] [--work /tmp/wirecoder-cv]

For each fold k: the training script fits a model without fold k (`--holdout k/N`), a config file points
`[events.location] model` (or `[events.roles] model`) at it, and `shared/tools/score.py` runs `wirecoder extract`
with that config (WIRECODER_CONFIG) on the held-out records only, as a user would. The figures per fold and
pooled over all records are printed; none of them comes from a record its model learned from.

`evloc` folds `gold/event_location-dev.jsonl` (the shipped model learns from all of it); `roles` folds
`train/cameo/source_target_train.conll` (the dev split, scored with the shipped model, stays out of every fold).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
TASKS = {
    # task: (training script, config table, model suffix, held-out file suffix, scorer command)
    "evloc": ("train_event_location.py", "events.location", ".json", ".heldout.jsonl", "evloc"),
    "roles": ("train_roles.py", "events.roles", ".crfsuite", ".heldout.conll", "roles"),
}


def run_fold(task: str, shared: Path, k: int, folds: int, work: Path) -> tuple[int, float, str]:
    """(records, figure, the scorer's last lines) of fold k."""
    script, table, suffix, held_suffix, command = TASKS[task]
    out = work / f"{task}-{k}"
    subprocess.run([sys.executable, str(SCRIPTS / script), "--shared", str(shared),
                    "--out", str(out.with_suffix(suffix)), "--holdout", f"{k}/{folds}"], check=True, cwd=REPO)
    config = work / f"{task}-{k}.toml"
    config.write_text(f'[{table}]\nmodel = "{out.with_suffix(suffix)}"\n', "utf-8")
    held = out.with_suffix(held_suffix)
    env = dict(os.environ, WIRECODER_CONFIG=str(config), WC_CACHE=tempfile.mkdtemp(prefix=f"{task}-{k}-", dir=work))
    result = subprocess.run([sys.executable, str(shared / "tools/score.py"), command, str(held)], cwd=REPO, env=env,
                            capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    if task == "evloc":
        match = re.search(r"accuracy ([\d.]+) over (\d+) records", lines[-1])
        return int(match.group(2)), float(match.group(1)), "\n".join(lines[-1:])
    match = re.search(r"actor roles (\d+) sentences: .*mean F1 ([\d.]+)", lines[-1])
    return int(match.group(1)), float(match.group(2)), lines[-1]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--shared", required=True, type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "wirecoder-cv")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    shared = args.shared.resolve()
    pooled = []
    for k in range(args.folds):
        n, figure, text = run_fold(args.task, shared, k, args.folds, args.work.resolve())
        pooled.append((n, figure))
        print(f"fold {k}: {text}", flush=True)
    total = sum(n for n, _ in pooled)
    mean = sum(n * f for n, f in pooled) / total
    what = "event-location accuracy" if args.task == "evloc" else "roles mean F1 (record-weighted mean of folds)"
    print(f"pooled over {total} held-out records, {args.folds} folds: {what} {mean:.1f}")


if __name__ == "__main__":
    main()
