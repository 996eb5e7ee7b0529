"""Scale-out on Dask: extraction runs on the workers of a cluster, the store is written by the client.

`DaskPipeline` has the same `pipe()` as `Pipeline`, so `wirecoder run` only swaps one for the other: inputs are
streamed to the workers in small batches (a bounded number in flight, never the whole input), each worker loads
the NLP pipeline once, and the reports come back in input order to the one process that writes the store. Writes
stay idempotent (content hashes), so a task that Dask retries after a worker died can never store twice.

A poison article — one that crashes its worker or hangs the extractor — is isolated: its batch is split into
single-article tasks, and an article that still kills workers or runs past the timeout comes back as a Failure
("quarantined: …") that the run records; the hung worker is restarted and the run goes on.
"""

from __future__ import annotations

import functools
import json
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from .records import Article, Failure, Report

LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 8
ARTICLE_TIMEOUT_S = 120.0
# how many times a task may kill its worker before Dask gives up on it (Dask's own default is 3)
ALLOWED_FAILURES = 2


@functools.lru_cache(maxsize=2)
def _worker_pipeline(stages: tuple[str, ...] | None, config: str | None = None):
    """The pipeline of this worker process, loaded on its first task and kept for the rest (`config`: the
    client's settings as JSON, None for the defaults)."""
    from .pipeline import Pipeline

    return Pipeline(json.loads(config) if config else None, stages=list(stages) if stages is not None else None)


def extract_batch(articles: list[Article], stages: tuple[str, ...] | None = None,
                  config: str | None = None) -> list[Report | Failure]:
    """Runs on a worker: the reports of a batch, an exception in one article becoming its Failure."""
    pipeline = _worker_pipeline(stages, config)
    out: list[Report | Failure] = []
    for article in articles:
        try:
            out.append(pipeline(article))
        except Exception as exc:  # the article's fault, not the batch's: keep going, say why
            out.append(Failure(id=article.id, error=f"extraction failed: {type(exc).__name__}: {exc}",
                               source_path=article.source_path))
    return out


class DaskPipeline:
    """Extraction on a Dask cluster with `Pipeline.pipe`'s contract: results in input order, Failures kept."""

    def __init__(
        self,
        workers: int | None = None,
        scheduler: str | None = None,
        stages: list[str] | None = None,
        batch_size: int = BATCH_SIZE,
        timeout: float = ARTICLE_TIMEOUT_S,
        config: dict[str, Any] | None = None,
    ):
        import dask
        from distributed import Client, LocalCluster

        dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES})
        if scheduler:
            self.cluster = None
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.stages = tuple(stages) if stages is not None else None
        self.config = json.dumps(config, sort_keys=True) if config is not None else None
        self.batch_size = batch_size
        self.timeout = timeout
        self.in_flight = 2 * max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskPipeline:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _submit(self, batch: list[Article]):
        return self.client.submit(extract_batch, batch, self.stages, self.config, pure=False)

    def pipe(self, items: Iterable[Article | Failure], batch_size: int | None = None,
             n_process: int = 1) -> Iterator[Report | Failure]:
        """Reports (or Failures) for `items`, in order; `n_process` is ignored (the cluster sets parallelism)."""
        batch_size = batch_size or self.batch_size
        window: deque[tuple[list[Article | Failure], Any]] = deque()
        batch: list[Article | Failure] = []

        def flush():
            articles = [a for a in batch if isinstance(a, Article)]
            window.append((list(batch), self._submit(articles) if articles else None))
            batch.clear()

        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
                while len(window) > self.in_flight:
                    yield from self._collect(*window.popleft())
        if batch:
            flush()
        while window:
            yield from self._collect(*window.popleft())

    def _collect(self, items: list[Article | Failure], future) -> Iterator[Report | Failure]:
        """The results of one batch in input order; a batch that failed as a whole is retried article by article."""
        articles = [a for a in items if isinstance(a, Article)]
        results: list[Report | Failure] = []
        if future is not None:
            results = self._result(future, len(articles))
            if results is None:
                results = [self._single(article) for article in articles]
        reports = iter(results)
        for item in items:
            yield item if isinstance(item, Failure) else next(reports)

    def _result(self, future, count: int) -> list[Report | Failure] | None:
        """The batch's results, or None when it killed its workers or outlived the timeout of its articles."""
        from distributed import TimeoutError as DaskTimeout

        try:
            return future.result(timeout=self.timeout * max(1, count))
        except DaskTimeout:
            self._abandon(future)
            return None
        except Exception as exc:  # KilledWorker and friends: find the culprit article by article
            LOGGER.warning("batch failed on the cluster (%s); retrying its articles one by one", exc)
            return None

    def _single(self, article: Article) -> Report | Failure:
        from distributed import TimeoutError as DaskTimeout

        future = self._submit([article])
        try:
            return future.result(timeout=self.timeout)[0]
        except DaskTimeout:
            self._abandon(future)
            reason = f"quarantined: extraction did not finish within {self.timeout:g} s"
        except Exception as exc:
            reason = f"quarantined: extraction crashed its worker ({type(exc).__name__})"
        LOGGER.warning("article %s %s", article.id, reason)
        return Failure(id=article.id, error=reason, source_path=article.source_path)

    def _abandon(self, future) -> None:
        """Cancel a hung task and restart the worker stuck in it (a thread cannot be interrupted)."""
        stuck = [addr for addr, keys in self.client.processing().items() if future.key in keys]
        future.cancel()
        if stuck:
            try:
                self.client.restart_workers(stuck)
            except Exception as exc:  # a scheduler that cannot restart it will still route around it
                LOGGER.warning("could not restart worker %s: %s", stuck, exc)
