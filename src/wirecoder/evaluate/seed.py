"""Score one hand-annotated article (the founding example's gold JSON format) field by field.

The gold file (`NAME.gold.json`) sits beside its text (`NAME.txt`) and holds places, events and attributions with
character offsets. A gold place counts when a predicted place overlaps it and resolves to the same GeoNames id (or,
for a place without one, the same country and admin1). A gold event counts when a predicted event's evidence
overlaps it with the gold ACLED sub-event type (or the alternative its note names), the gold actors and the gold
location. A gold attribution counts when a predicted one overlaps its content, with the same cue word and speaker.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..records import Report

_GENERIC = {"the", "of", "s", "'s", "and", "a", "an", "fighters"}
_DEMONYMS = {"afghan": "afghanistan", "afghans": "afghanistan", "us": "united states", "u.s.": "united states",
             "american": "united states", "pakistani": "pakistan"}


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _tokens(name: str | None) -> set[str]:
    words = re.findall(r"[\w.]+", (name or "").lower())
    out: set[str] = set()
    for w in words:
        out.update(_DEMONYMS.get(w, w).split())
    return out - _GENERIC


def same_actor(gold: str, predicted: str | None) -> bool:
    """Loose name match: the two names share at least half of their content words."""
    g, p = _tokens(gold), _tokens(predicted)
    return bool(g and p) and len(g & p) / len(g | p) >= 0.5


def _acceptable_types(gold_event: dict[str, Any]) -> set[str]:
    accepted = {gold_event["acled"][1].lower()}
    note = gold_event.get("note") or ""
    for alt in re.findall(r"'([^']+)'[^.;]*?(?:also )?acceptable", note):
        accepted.add(alt.lower())
    return accepted


def _place_matches(gold_place: dict[str, Any], place) -> bool:
    if place is None:
        return False
    if gold_place.get("geonameid"):
        return place.geonameid == gold_place["geonameid"]
    return place.country == gold_place.get("country") and place.admin1 == gold_place.get("admin1")


def score_report(report: Report, gold: dict[str, Any]) -> dict[str, Any]:
    """Per-item verdicts and totals for places, events and attributions."""
    places = []
    for g in gold.get("places", []):
        hits = [p for p in report.places if _overlaps(p.start, p.end, g["start"], g["end"])]
        places.append({"text": g["text"], "found": bool(hits),
                       "resolved": any(_place_matches(g["place"], p) for p in hits),
                       "predicted": [f"{p.name} ({p.country}, {p.feature})" for p in hits]})

    events = []
    for g in gold.get("events", []):
        ev_g = g["evidence"]
        candidates = [e for e in report.events
                      if any(_overlaps(s.start, s.end, ev_g["start"], ev_g["end"]) for s in [e.trigger, *e.evidence])]
        verdict = {"evidence": ev_g["text"][:70], "gold_type": g["acled"][1], "ok": False, "predicted": []}
        for e in candidates:
            sub = (e.acled or {}).get("sub_event_type") or e.type
            a1, a2 = report.by_id(e.actor1), report.by_id(e.actor2)
            names = [a.name for a in (a1, a2) if a] + [getattr(report.by_id(x), "name", x) for x in e.assoc_actors]
            type_ok = sub.lower() in _acceptable_types(g) or (g["acled"][1] == e.type)
            actor1_ok = g["actor1"] is None or any(same_actor(g["actor1"], n) for n in names)
            actor2_ok = g["actor2"] is None or any(same_actor(g["actor2"], n) for n in names)
            loc = report.by_id(e.location)
            gold_loc = gold.get("place_index", {}).get(g["location"]) if g["location"] else None
            loc_ok = gold_loc is None or _place_matches(gold_loc, loc)
            extra_ok = True
            if g.get("fatalities") is not None:
                extra_ok &= e.fatalities == g["fatalities"]
            if g.get("date"):
                extra_ok &= e.date_value == g["date"]["date"] or getattr(report.by_id(e.date), "value", None) == \
                    g["date"]["date"]
            if g.get("modality") and g["modality"] != "asserted":
                extra_ok &= e.modality == g["modality"]
            ok = type_ok and actor1_ok and actor2_ok and loc_ok and extra_ok
            verdict["predicted"].append({"id": e.id, "type": sub, "actors": names,
                                         "location": getattr(loc, "name", None), "fatalities": e.fatalities,
                                         "modality": e.modality, "checks": {"type": type_ok, "actor1": actor1_ok,
                                                                            "actor2": actor2_ok, "location": loc_ok,
                                                                            "extra": extra_ok}})
            verdict["ok"] |= ok
        events.append(verdict)

    attributions = []
    for g in gold.get("attributions", []):
        c = g["content"]
        hits = [q for q in report.attributions if _overlaps(q.content.start, q.content.end, c["start"], c["end"])]
        ok = any(
            q.cue is not None and q.cue.text.lower() == g["cue"]["text"].lower()
            and same_actor(g["speaker"], q.speaker)
            and (g.get("via") is None or (q.via or "").lower() == g["via"].lower())
            for q in hits
        )
        attributions.append({"content": c["text"][:70], "speaker": g["speaker"], "ok": ok,
                             "predicted": [{"speaker": q.speaker, "cue": q.cue.text if q.cue else None,
                                            "via": q.via} for q in hits]})

    def total(items, key):
        return {"correct": sum(1 for i in items if i[key]), "gold": len(items)}

    return {
        "places": {"found": total(places, "found"), "resolved": total(places, "resolved"), "items": places},
        "events": {**total(events, "ok"), "items": events},
        "attributions": {**total(attributions, "ok"), "items": attributions},
    }


def evaluate(path: str, limit: int | None = None) -> dict[str, Any]:
    """Run the default pipeline on the article beside the gold file and score it."""
    from ..pipeline import extract

    gold_path = Path(path)
    text_path = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt"))
    try:
        gold = json.loads(gold_path.read_text("utf-8"))
        text = text_path.read_text("utf-8")
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalError(f"cannot read gold {gold_path} and text {text_path}: {exc}") from exc
    meta = gold.get("input", {})
    report = extract(text, published=meta.get("published"), id=meta.get("id", "seed"), outlet=meta.get("outlet"))
    return score_report(report, gold)


def format_result(result: dict[str, Any]) -> str:
    lines = []
    p = result["places"]
    lines.append(f"places found     {p['found']['correct']}/{p['found']['gold']}")
    lines.append(f"places resolved  {p['resolved']['correct']}/{p['resolved']['gold']}")
    for item in p["items"]:
        if not item["resolved"]:
            lines.append(f"  miss  {item['text']!r} -> {item['predicted']}")
    for key in ("events", "attributions"):
        r = result[key]
        lines.append(f"{key:<16} {r['correct']}/{r['gold']}")
        for item in r["items"]:
            if not item["ok"]:
                head = item.get("evidence") or item.get("content")
                lines.append(f"  miss  {head!r}: {json.dumps(item['predicted'])[:300]}")
    return "\n".join(lines)
