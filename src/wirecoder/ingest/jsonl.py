"""JSON lines: one `{"id", "text", "published"?, "title"?, "url"?, "outlet"?, "html"?}` object a line."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import IngestError
from ..records import Article, Failure
from .html import article_from_html

META_FIELDS = ("published", "title", "url", "outlet")


def article_from_object(
    obj: Any, fallback_id: str, where: str | None = None, text_column: str = "text", id_column: str = "id"
) -> Article:
    """An Article from one decoded JSON object (or table row); IngestError says what is wrong with it."""
    if not isinstance(obj, dict):
        raise IngestError(f"expected a JSON object, got {type(obj).__name__}", where)
    article_id = str(obj[id_column]) if obj.get(id_column) is not None else fallback_id
    meta = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in META_FIELDS}
    if isinstance(obj.get(text_column), str):
        article = Article(id=article_id, text=obj[text_column], source_path=where, **meta)
    elif isinstance(obj.get("html"), str):
        article = article_from_html(obj["html"], article_id, where)
        for key, value in meta.items():
            if value:
                setattr(article, key, value)
    else:
        raise IngestError(f'no "{text_column}" string (or "html") in the object', where)
    return article


def articles_from_jsonl(
    path: Path, published: str | None = None, text_column: str = "text", id_column: str = "id"
) -> Iterator[Article | Failure]:
    """Every line of a JSONL file (.gz too) as an Article or a Failure naming the line. Blank lines are skipped."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        handle = opener(path, "rt", encoding="utf-8-sig", errors="strict")
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                fallback_id = f"{path.stem}:{number}"
                try:
                    article = article_from_object(json.loads(line), fallback_id, where, text_column, id_column)
                except json.JSONDecodeError as exc:
                    yield Failure(id=_peek_id(line, id_column) or fallback_id,
                                  error=f"{where}: invalid JSON: {exc.msg}", source_path=where)
                    continue
                except IngestError as exc:
                    yield Failure(id=_peek_id(line, id_column) or fallback_id, error=str(exc), source_path=where)
                    continue
                if published and not article.published:
                    article.published = published
                yield article
    except (OSError, UnicodeDecodeError) as exc:
        yield Failure(id=None, error=f"{path}: cannot read: {exc}", source_path=str(path))


def _peek_id(line: str, id_column: str) -> str | None:
    """The id of a line whose object is otherwise unusable, so its error lines up with the input."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None
    return str(obj[id_column]) if isinstance(obj, dict) and obj.get(id_column) is not None else None
