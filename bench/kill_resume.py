"""Kill -9 a `wirecoder run` mid-way, run it again, and compare with an uninterrupted run: same rows, no duplicates.

    python bench/kill_resume.py [--n 1000] [--kill-at 300] [--db-url postgresql://...] [--keep DIR]

Makes a corpus of `--n` articles with bench/make_corpus.py, runs `wirecoder run` on it once straight through
(the reference store) and, at the same time, once killed with SIGKILL when `--kill-at` articles are stored, then
rerun to the end (the resumed store). Prints the row count of every table of both stores, the duplicate events
found (the same article and event id stored twice) and whether the articles, events and incidents are the same.
Both stores are SQLite files unless `--db-url` names an empty PostgreSQL database for the resumed one. Takes about as long as
one run over the corpus with one core per run (minutes: the spaCy parse dominates).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wirecoder.store import open_store

BENCH = Path(__file__).parent
WIRECODER = [sys.executable, "-c", "from wirecoder.cli import main; main()"]


def wirecoder_run(corpus: Path, db: str) -> subprocess.Popen:
    return subprocess.Popen([*WIRECODER, "run", str(corpus), "--db", db], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def stored_articles(db: str) -> int:
    try:
        with open_store(db) as store:
            return store.counts()["articles"]
    except Exception:  # the run has not created its tables yet
        return 0


def snapshot(db: str) -> dict:
    """What must agree between the two stores: row counts, and the stored articles, events and incidents."""
    with open_store(db) as store:
        counts = store.counts()
        events = [(m.content_hash, e.id, e.type, m.incident_id) for m, e in store.events()]
        incidents = sorted((i.id, i.type, i.date, i.num_articles, i.num_sources) for i in store.incidents())
        duplicates = store.execute(
            "SELECT COUNT(*) AS n FROM (SELECT e.article, e.event_id FROM events e "
            "GROUP BY e.article, e.event_id HAVING COUNT(*) > 1) d"
        ).fetchone()["n"]
        status = store.status()["inputs"]
    return {"counts": counts, "events": sorted(events), "incidents": incidents, "duplicates": duplicates,
            "inputs": status}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus (default 1000)")
    parser.add_argument("--kill-at", type=int, help="kill once this many articles are stored (default n/3)")
    parser.add_argument("--db-url", help="an empty PostgreSQL database for the killed-and-resumed store")
    parser.add_argument("--keep", help="folder to keep the corpus and stores in (default: a temporary one)")
    args = parser.parse_args()
    kill_at = args.kill_at or args.n // 3

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        corpus = folder / "corpus.jsonl"
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), "--n", str(args.n), "--out", str(corpus)],
                       check=True)
        reference, resumed = str(folder / "reference.db"), args.db_url or str(folder / "resumed.db")

        started = time.perf_counter()
        straight = wirecoder_run(corpus, reference)
        proc = wirecoder_run(corpus, resumed)
        while proc.poll() is None and stored_articles(resumed) < kill_at:
            time.sleep(0.2)
        if proc.poll() is not None:
            sys.exit(f"the run ended before {kill_at} articles were stored: nothing to kill")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        print(f"killed (SIGKILL) the run with {stored_articles(resumed)} articles stored; running it again")
        runs = {"reference": straight, "resumed": wirecoder_run(corpus, resumed)}
        while runs:
            for name, run in list(runs.items()):
                if run.poll() is not None:
                    if run.returncode != 0:
                        sys.exit(f"the {name} run failed")
                    print(f"{name} run: finished {time.perf_counter() - started:.0f} s after the start")
                    del runs[name]
            time.sleep(0.5)

        ref, res = snapshot(reference), snapshot(resumed)
        print(f"\n{'table':<16} {'reference':>10} {'resumed':>10}")
        for table in ref["counts"]:
            print(f"{table:<16} {ref['counts'][table]:>10} {res['counts'][table]:>10}")
        print(f"{'duplicate events':<16} {ref['duplicates']:>10} {res['duplicates']:>10}")
        print(f"inputs: reference {ref['inputs']}, resumed {res['inputs']}")
        same = {key: ref[key] == res[key] for key in ("counts", "events", "incidents", "inputs")}
        print("same " + ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in same.items()))
        ok = all(same.values()) and res["duplicates"] == 0
        print("OK: the killed and resumed run stored exactly what the uninterrupted run did" if ok else "MISMATCH")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
