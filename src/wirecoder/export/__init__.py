"""Exports of stored incidents: ACLED-style CSV, GDELT-like TSV tables, GeoJSON, Parquet and JSON lines.

Each format is a plain function over an iterable of Incident records (`write_acled_csv`, `write_gdelt`,
`write_geojson`, `write_parquet`, `write_jsonl`); `export` feeds it the incidents a store query selects and
returns what was written, so the caller can report what was left out (non-ACLED types, points without
coordinates). See docs/exports.md.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from typing import Any

from ..errors import WirecoderError
from ..records import Incident
from .acled import ACLED_COLUMNS, acled_row, write_acled_csv
from .gdelt import EVENT_COLUMNS, MENTION_COLUMNS, write_gdelt
from .geojson import incident_feature, write_geojson
from .jsonl import write_jsonl
from .parquet import write_parquet

FORMATS = ("acled-csv", "gdelt-tsv", "geojson", "parquet", "jsonl")

__all__ = [
    "ACLED_COLUMNS",
    "EVENT_COLUMNS",
    "FORMATS",
    "MENTION_COLUMNS",
    "acled_row",
    "export",
    "incident_feature",
    "write",
    "write_acled_csv",
    "write_gdelt",
    "write_geojson",
    "write_jsonl",
    "write_parquet",
]


def export(store: Any, fmt: str, out: str = "-", all_types: bool = False, **filters: Any) -> dict[str, Any]:
    """Write the incidents `store.incidents(**filters)` selects to `out` in format `fmt` (one of FORMATS).

    Returns the counts of the writer plus {"format", "files"}.
    """
    return write(store.incidents(**filters), fmt, out, all_types=all_types)


def write(incidents: Iterable[Incident], fmt: str, out: str = "-", all_types: bool = False) -> dict[str, Any]:
    """Write `incidents` to `out` ("-" is stdout) in format `fmt`; gdelt-tsv writes OUT.events.tsv and
    OUT.mentions.tsv (or events.tsv and mentions.tsv inside OUT when it is a folder)."""
    if fmt not in FORMATS:
        raise WirecoderError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt in ("parquet", "gdelt-tsv") and out == "-":
        raise WirecoderError(f"{fmt} cannot go to standard output: give a file with -o")
    if fmt == "parquet":
        return {"format": fmt, "files": [out], **write_parquet(incidents, out)}
    if fmt == "gdelt-tsv":
        paths = gdelt_paths(out)
        with open(paths[0], "w", encoding="utf-8", newline="") as ev, open(paths[1], "w", encoding="utf-8",
                                                                           newline="") as mn:
            return {"format": fmt, "files": list(paths), **write_gdelt(incidents, ev, mn)}
    with _open(out) as stream:
        if fmt == "acled-csv":
            counts = write_acled_csv(incidents, stream, all_types=all_types)
        elif fmt == "geojson":
            counts = write_geojson(incidents, stream)
        else:
            counts = write_jsonl(incidents, stream)
    return {"format": fmt, "files": [out], **counts}


def gdelt_paths(out: str) -> tuple[str, str]:
    """The events and mentions files of a gdelt-tsv export to `out` (a prefix, or a folder)."""
    if os.path.isdir(out) or out.endswith(("/", os.sep)):
        os.makedirs(out, exist_ok=True)
        return os.path.join(out, "events.tsv"), os.path.join(out, "mentions.tsv")
    stem = out.removesuffix(".tsv")
    return f"{stem}.events.tsv", f"{stem}.mentions.tsv"


@contextlib.contextmanager
def _open(out: str):
    if out == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            yield stream
