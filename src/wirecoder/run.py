"""`wirecoder run`: read inputs, extract, store, cluster into incidents; safe to repeat and to interrupt.

Every input ends up in the store's `inputs` table as processed, duplicate or failed (with the reason). An
article whose text is already stored is skipped before parsing, so a second run over the same folder costs a
hash per file and adds nothing; `reprocess=True` redoes stored articles instead. Each article is committed in
its own transaction, so after a crash or kill the next run picks up where the last one stopped.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .ingest import JSONL_SUFFIXES, input_files, read_inputs
from .pipeline import Pipeline, default_pipeline
from .records import Article, Event, Failure, Report
from .store import Store, open_store

# events kept in the result for the summary table a run prints
SUMMARY_EVENTS = 10


@dataclass
class RunResult:
    """What one run did: input counts, events stored, the failures with reasons, the incidents now stored."""

    run: int
    store: str
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    incidents: int = 0
    failures: list[Failure] = field(default_factory=list)
    # (report, event) of the first events stored, for a summary table
    sample: list[tuple[Report, Event]] = field(default_factory=list)


def run(
    paths: Iterable[str | os.PathLike],
    db: str | os.PathLike | None = None,
    reprocess: bool = False,
    published: str | None = None,
    pipeline: Pipeline | None = None,
    n_process: int = 1,
    progress: bool = False,
    text_column: str = "text",
    id_column: str = "id",
) -> RunResult:
    """Extract every article under `paths` into the store at `db` (default wirecoder.db) and cluster incidents.

    `published` is the publication date of inputs that carry none; `progress` shows a bar with rate and ETA on
    stderr; `text_column`/`id_column` name the fields of JSONL and Parquet rows. `pipeline` may be a
    `wirecoder.cluster.DaskPipeline` to extract on a Dask cluster.
    """
    paths = [str(p) for p in paths]
    pipeline = pipeline or default_pipeline()
    with open_store(db) as store:
        return run_items(read_inputs(paths, published, text_column, id_column), store, pipeline, reprocess=reprocess,
                         n_process=n_process, progress=progress, total=_count_inputs(paths), paths=paths)


def run_items(
    items: Iterable[Article | Failure],
    store: Store,
    pipeline: Pipeline | None = None,
    reprocess: bool = False,
    n_process: int = 1,
    progress: bool = False,
    total: int | None = None,
    paths: list[str] | None = None,
) -> RunResult:
    """`run` over articles (and Failures) already read, into an open store: what `wirecoder watch` feeds.

    `pipeline` may be any object with `Pipeline.pipe`'s contract (reports, or Failures, in input order).
    """
    pipeline = pipeline or default_pipeline()
    result = RunResult(run=store.start_run(paths or []), store=store.where)
    bar = tqdm(total=total, desc="run", unit="article", file=sys.stderr, disable=not progress, dynamic_ncols=True)
    pending: deque[tuple[str, Article]] = deque()
    seen: set[str] = set()

    def fail(source: str, failure: Failure, content_hash: str | None = None) -> None:
        store.account(source, "failed", failure.error, result.run, failure.id, content_hash)
        result.failed += 1
        result.failures.append(failure)

    def to_parse() -> Iterator[Article]:
        """The inputs that need the pipeline; the rest are accounted for here, as they go by."""
        for item in items:
            source = _source(item)
            if isinstance(item, Failure):
                fail(source, item)
                bar.update()
            elif item.content_hash in seen:
                store.account(source, "duplicate", "same text as an earlier input of this run", result.run,
                              item.id, item.content_hash)
                result.skipped += 1
                bar.update()
            elif not reprocess and store.stored_article(item.content_hash) is not None:
                store.account_skip(source, item, result.run)
                result.skipped += 1
                bar.update()
            else:
                seen.add(item.content_hash)
                pending.append((source, item))
                yield item

    for report in pipeline.pipe(to_parse(), n_process=n_process):
        source, article = pending.popleft()
        if isinstance(report, Failure):  # the extractor gave up on this article (e.g. a quarantined one)
            fail(source, report, article.content_hash)
            bar.update()
            continue
        try:
            status = store.save(article, report, source, result.run, replace=reprocess)
        except Exception as exc:  # one article the store refuses must not stop the run; say why
            fail(source, Failure(id=article.id, error=f"cannot store: {type(exc).__name__}: {exc}",
                                 source_path=article.source_path), article.content_hash)
        else:
            if status == "processed":
                result.processed += 1
                result.events += len(report.events)
                room = SUMMARY_EVENTS - len(result.sample)
                result.sample += [(report, e) for e in report.events[:max(room, 0)]]
            else:
                result.skipped += 1
        bar.update()
    bar.close()
    store.finish_run(result.run, result.processed, result.skipped, result.failed)
    result.incidents = store.counts()["incidents"]
    return result


def _source(item: Article | Failure) -> str:
    """The key an input is accounted under: its file (and line, for JSONL) as an absolute path, a URL or feed
    key as it is, else its id."""
    where = item.source_path
    if not where:
        return f"id:{item.id}"
    return where if "://" in where or where.startswith("feed:") else os.path.abspath(where)


def _count_inputs(paths: list[str]) -> int:
    """How many inputs `read_inputs` will yield (a JSONL file counts its non-blank lines), for the ETA."""
    total = 0
    for given in paths:
        for file, _ in input_files(Path(given)):
            if file.suffix.lower() in JSONL_SUFFIXES:
                try:
                    with open(file, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total
