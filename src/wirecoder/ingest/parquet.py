"""Parquet tables of articles, streamed batch by batch (never loaded whole)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import IngestError
from ..records import Article, Failure
from .jsonl import article_from_object

BATCH_ROWS = 1024


def articles_from_parquet(
    path: Path, published: str | None = None, text_column: str = "text", id_column: str = "id"
) -> Iterator[Article | Failure]:
    """Every row as an Article, or a Failure naming the row. Needs pyarrow."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Failure(id=None, error=f"{path}: reading Parquet needs pyarrow: pip install pyarrow",
                      source_path=str(path))
        return
    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error types for unreadable files
        yield Failure(id=None, error=f"{path}: not a readable Parquet file: {exc}", source_path=str(path))
        return
    if text_column not in table.schema_arrow.names:
        yield Failure(id=None, error=f"{path}: no column {text_column!r} (columns: {', '.join(table.schema_arrow.names)})",
                      source_path=str(path))
        return
    row = 0
    for batch in table.iter_batches(batch_size=BATCH_ROWS):
        for obj in batch.to_pylist():
            row += 1
            where = f"{path}:row {row}"
            try:
                article = article_from_object(obj, f"{path.stem}:{row}", where, text_column, id_column)
            except IngestError as exc:
                yield Failure(id=str(obj.get(id_column) or f"{path.stem}:{row}"), error=str(exc), source_path=where)
                continue
            if published and not article.published:
                article.published = published
            yield article
