"""Scale-out bench: `wirecoder run` on the same articles with 1 and with 2 Dask workers.

Prints articles/s of each (the run itself: cluster start-up and model loading are timed apart), the speed-up,
and the peak RSS of each worker. Usage: python bench/scale.py [--n 1000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wirecoder.cluster import DaskPipeline, _worker_pipeline
from wirecoder.records import Article
from wirecoder.run import run


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load_pipeline() -> bool:
    """Runs on each worker: load its pipeline now, so that the timed run does not pay for it."""
    _worker_pipeline(None)
    return True


def measure(corpus: Path, workers: int, folder: Path) -> dict:
    started = time.perf_counter()
    with DaskPipeline(workers=workers) as cluster:
        # load the pipeline on every worker before the clock starts
        cluster.client.run(_load_pipeline)
        list(cluster.pipe([Article(id="warm", text="Troops shelled Idlib on Monday.")]))
        ready = time.perf_counter()
        result = run([corpus], db=folder / f"scale-{workers}.db", pipeline=cluster)
        elapsed = time.perf_counter() - ready
        rss = cluster.client.run(_peak_rss_mb)
    return {
        "workers": workers,
        "articles": result.processed,
        "failed": result.failed,
        "startup_s": ready - started,
        "run_s": elapsed,
        "rate": result.processed / elapsed,
        "worker_rss_mb": sorted(rss.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus (default 1000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        subprocess.run([sys.executable, str(Path(__file__).with_name("make_corpus.py")), "--n", str(args.n),
                        "--out", str(corpus)], check=True)
        rows = [measure(corpus, n, folder) for n in args.workers]
    base = rows[0]["rate"]
    print(f"{'workers':>7} {'articles':>8} {'failed':>6} {'startup s':>9} {'run s':>7} {'art/s':>7} "
          f"{'speed-up':>8}  worker peak RSS MB")
    for row in rows:
        print(f"{row['workers']:>7} {row['articles']:>8} {row['failed']:>6} {row['startup_s']:>9.1f} "
              f"{row['run_s']:>7.1f} {row['rate']:>7.2f} {row['rate'] / base:>8.2f}  "
              f"{', '.join(f'{mb:.0f}' for mb in row['worker_rss_mb'])}")


if __name__ == "__main__":
    main()
