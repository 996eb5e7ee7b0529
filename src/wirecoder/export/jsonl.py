"""JSON lines: one `Incident.to_dict()` a line, every field and mention (the store's own form)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..records import Incident


def write_jsonl(incidents: Iterable[Incident], out: TextIO) -> dict[str, int]:
    """Write the incidents to `out`; returns {"written": n}."""
    written = 0
    for incident in incidents:
        out.write(json.dumps(incident.to_dict(), ensure_ascii=False) + "\n")
        written += 1
    return {"written": written}
