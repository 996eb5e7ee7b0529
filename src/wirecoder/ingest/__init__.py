"""Ingest: turn files and folders into Article records, or Failures that say why not.

Kinds, chosen by file ending: `.jsonl`/`.jsonl.gz` (one `{"id", "text", ...}` object a line), `.parquet` (one
article a row, streamed), `.html`/`.htm` (boilerplate
removed by trafilatura, title/date/outlet from its metadata), anything else as plain text in whatever encoding
charset-normalizer detects. Folders are walked in sorted order. Nothing is dropped silently: every file, and every
JSONL line, yields an Article or a Failure naming the file (and line).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import IngestError
from ..records import Article, Failure
from .html import article_from_html
from .jsonl import articles_from_jsonl
from .parquet import articles_from_parquet
from .text import decode_bytes

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SKIPPED_NAMES = {".DS_Store"}


def input_files(path: Path) -> Iterator[tuple[Path, str]]:
    """The files `path` stands for (itself, or the files under a folder but hidden ones), with the id stem they
    give their articles (the path relative to the folder, without its ending)."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.name in SKIPPED_NAMES or any(part.startswith(".") for part in child.relative_to(path).parts):
                continue
            yield child, str(child.relative_to(path).with_suffix(""))
    else:
        yield path, path.stem


def read_file(
    path: Path, article_id: str, published: str | None = None, text_column: str = "text", id_column: str = "id"
) -> Iterator[Article | Failure]:
    """The articles of one file (several for JSONL and Parquet)."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES or "".join(path.suffixes[-2:]).lower() in {s + ".gz" for s in JSONL_SUFFIXES}:
        yield from articles_from_jsonl(path, published, text_column, id_column)
        return
    if suffix == ".parquet":
        yield from articles_from_parquet(path, published, text_column, id_column)
        return
    try:
        raw = path.read_bytes()
        if suffix in HTML_SUFFIXES:
            article = article_from_html(decode_bytes(raw, str(path)), article_id, str(path))
        else:
            article = Article(id=article_id, text=decode_bytes(raw, str(path)), source_path=str(path))
        if published and not article.published:
            article.published = published
        yield article
    except IngestError as exc:
        yield Failure(id=article_id, error=str(exc), source_path=str(path))
    except OSError as exc:
        yield Failure(id=article_id, error=f"{path}: cannot read: {exc.strerror or exc}", source_path=str(path))


def read_inputs(
    paths: Iterable[str | Path], published: str | None = None, text_column: str = "text", id_column: str = "id"
) -> Iterator[Article | Failure]:
    """Articles (or Failures) from files and folders, in order, streamed.

    `published` is a default publication date; `text_column`/`id_column` name the fields of JSONL and Parquet rows.
    """
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield Failure(id=None, error=f"{path}: no such file or folder", source_path=str(path))
            continue
        for file, article_id in input_files(path):
            yield from read_file(file, article_id, published, text_column, id_column)
