"""Scale-out on Dask: a real LocalCluster of worker processes, a real store, a worker killed mid-run."""

import json
import os
import signal
import sqlite3
import threading
import time

import pytest

pytest.importorskip("distributed")

from wirecoder.cluster import DaskPipeline  # noqa: E402
from wirecoder.records import Article, Failure, Report  # noqa: E402
from wirecoder.run import run  # noqa: E402

TOWNS = ["Kandahar", "Kunduz", "Ghazni", "Jalalabad", "Mazar-i-Sharif", "Herat", "Lashkar Gah", "Khost"]


def _articles(n):
    """Invented short reports, each with its own numbers so that no two texts are the same."""
    return [
        Article(
            id=f"wire-{i}",
            text=(f"Gunmen attacked a police checkpoint in {TOWNS[i % len(TOWNS)]} on Monday, killing {i + 2} "
                  f"officers, a provincial spokesman said. \"They came from the hills at night,\" he told "
                  f"reporters. Security forces later arrested {i + 1} suspects, according to the governor's office."),
            published="2022-05-1" + str(i % 10),
            outlet=["Kabul Ledger", "Hindu Kush Wire"][i % 2],
        )
        for i in range(n)
    ]


def _write(tmp_path, articles):
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps(a.to_dict()) + "\n" for a in articles), encoding="utf-8")
    return path


def _rows(db):
    """What a store holds, independent of insertion order and row ids."""
    con = sqlite3.connect(db)
    try:
        articles = sorted(con.execute("SELECT content_hash FROM articles").fetchall())
        events = sorted(con.execute("SELECT COUNT(*) FROM events").fetchall())
        incidents = con.execute("SELECT COUNT(*) FROM incidents").fetchone()
        return articles, events, incidents
    finally:
        con.close()


@pytest.fixture(scope="module")
def cluster():
    with DaskPipeline(workers=2, batch_size=2) as dask_pipeline:
        yield dask_pipeline


def test_cluster_pipe_keeps_order_and_passes_failures_through(cluster, pipeline):
    items = _articles(5)
    items.insert(2, Failure(id="broken", error="x.jsonl:3: invalid JSON"))
    out = list(cluster.pipe(items))
    assert [o.id for o in out] == [i.id for i in items]
    assert isinstance(out[2], Failure)
    local = pipeline(items[0])
    assert isinstance(out[0], Report) and out[0].to_dict() == local.to_dict()


def test_cluster_worker_killed_mid_run_leaves_the_same_store(cluster, pipeline, tmp_path):
    corpus = _write(tmp_path, _articles(24))
    reference = tmp_path / "reference.db"
    run([corpus], db=reference, pipeline=pipeline)

    target = tmp_path / "killed.db"
    pids = cluster.client.run(os.getpid)
    killed = threading.Event()

    def kill_one_worker_once_work_is_stored():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed.is_set():
            try:
                con = sqlite3.connect(target)
                stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                con.close()
            except sqlite3.Error:
                stored = 0
            if stored >= 4:
                os.kill(next(iter(pids.values())), signal.SIGKILL)
                killed.set()
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_worker_once_work_is_stored, daemon=True)
    killer.start()
    result = run([corpus], db=target, pipeline=cluster)
    killer.join()
    assert killed.is_set(), "the run ended before a worker could be killed"
    assert result.failed == 0
    assert _rows(target) == _rows(reference)


def test_cluster_quarantines_an_article_that_outlives_the_timeout_and_goes_on(cluster):
    list(cluster.pipe(_articles(2)))  # every worker has its pipeline loaded
    slow = Article(id="slow", text=" ".join(_articles(1)[0].text for _ in range(40)))
    cluster.timeout = 0.001
    try:
        (quarantined,) = cluster.pipe([slow])
    finally:
        cluster.timeout = 60.0
    assert isinstance(quarantined, Failure) and quarantined.error.startswith("quarantined:")
    assert "did not finish within" in quarantined.error
    after = list(cluster.pipe(_articles(3)))
    assert all(isinstance(r, Report) for r in after)
