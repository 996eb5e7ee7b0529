"""`wirecoder eval geo`: toponym recognition and resolution from raw text, on the standard geoparsing corpora.

Gold formats (one XML file of `<article>`s, read by element names so all four work):
- LGL and TR-News: `<toponym>` with `<start>`, `<end>`, `<phrase>` and `<gaztag>` holding `<lat>`, `<lon>`;
- GeoVirus: `<location>` with `<name>`, `<start>`, `<end>`, `<lat>`, `<lon>`;
- GeoWebNews: `<toponym>` with `<extractedName>`, `<type>`, `<start>`, `<end>`, `<latitude>`, `<longitude>`;
  types that are not place names (Non_Toponym, and the generic Literal/Non_Lit_Expression like "the city")
  are left out.
Metrics: recognition precision/recall/F1 with overlap matching (each gold and each predicted span used once);
acc@161km over the gold toponyms with coordinates, where a toponym the system missed counts as wrong (the
"from raw text" setting); mean and median error in km over the gold toponyms found and resolved.
Only the nlp parse and the places stage run, for speed.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..errors import EvalError
from ..pipeline import Pipeline, make_article
from ..places.gazetteer import distance_km

_NOT_TOPONYMS = {"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"}
_ACC_KM = 161.0
_MAX_MISSES = 200  # listed in the JSON result, for error analysis


@dataclass(slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _toponym(el: ET.Element) -> GoldToponym | None:
    if el.findtext("type") in _NOT_TOPONYMS:
        return None
    start, end = el.findtext("start"), el.findtext("end")
    if start is None or end is None:
        return None
    gaz = el.find("gaztag")
    src = gaz if gaz is not None else el
    lat = _float(src.findtext("lat") or src.findtext("latitude"))
    lon = _float(src.findtext("lon") or src.findtext("longitude"))
    text = el.findtext("phrase") or el.findtext("extractedName") or el.findtext("name") or ""
    return GoldToponym(int(start), int(end), text, lat, lon)


def read_gold(path: str, limit: int | None = None) -> list[tuple[str, list[GoldToponym]]]:
    """(text, gold toponyms) per article; raises EvalError when the file is not one of the four formats."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise EvalError(f"{path}: not a readable XML file ({exc})") from exc
    articles = []
    for art in root.iter("article"):
        text = art.findtext("text")
        if text is None:
            continue
        toponyms = [t for el in art.iter() if el.tag in ("toponym", "location") and (t := _toponym(el))]
        articles.append((text, toponyms))
        if limit and len(articles) >= limit:
            break
    if not articles:
        raise EvalError(f"{path}: no <article> with <text> found (expected LGL, GeoVirus, TR-News or GeoWebNews XML)")
    return articles


def _match(gold: list[GoldToponym], pred: list) -> dict[int, object]:
    """Gold index -> predicted place, pairing overlapping spans one to one (largest overlap first)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                pairs.append((overlap, gi, pi))
    matched, used = {}, set()
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in matched and pi not in used:
            matched[gi] = pred[pi]
            used.add(pi)
    return matched


def evaluate(path: str, limit: int | None = None, pipeline: Pipeline | None = None) -> dict:
    """Score the places stage on a gold XML file: recognition P/R/F1, acc@161km, mean/median error km."""
    articles = read_gold(path, limit)
    pipeline = pipeline or Pipeline(stages=["places.gazetteer.v1"])
    texts = (make_article(text, id=str(i)) for i, (text, _) in enumerate(articles))
    n_gold = n_pred = n_found = n_geo = n_within = 0
    errors: list[float] = []
    misses: list[dict] = []
    for (text, gold), report in zip(articles, pipeline.pipe(texts), strict=True):
        pred = report.places
        matched = _match(gold, pred)
        n_gold += len(gold)
        n_pred += len(pred)
        n_found += len(matched)
        for gi, g in enumerate(gold):
            if g.lat is None or g.lon is None:
                continue
            n_geo += 1
            p = matched.get(gi)
            if p is None or p.lat is None:
                if len(misses) < _MAX_MISSES:
                    misses.append({"text": g.text, "why": "not found" if p is None else "not resolved"})
                continue
            km = distance_km(g.lat, g.lon, p.lat, p.lon)
            errors.append(km)
            if km <= _ACC_KM:
                n_within += 1
            elif len(misses) < _MAX_MISSES:
                misses.append({"text": g.text, "why": f"{km:.0f} km off", "resolved_to": p.name,
                               "country": p.country, "admin1": p.admin1})
    precision = n_found / n_pred if n_pred else 0.0
    recall = n_found / n_gold if n_gold else 0.0
    return {
        "gold": path,
        "articles": len(articles),
        "toponyms": n_gold,
        "predicted": n_pred,
        "recognition": {
            "precision": precision,
            "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        },
        "toponyms_with_coordinates": n_geo,
        "acc_161km": n_within / n_geo if n_geo else 0.0,
        "mean_error_km": statistics.fmean(errors) if errors else None,
        "median_error_km": statistics.median(errors) if errors else None,
        "resolved": len(errors),
        "misses": misses,
    }


def format_result(result: dict) -> str:
    rec = result["recognition"]
    mean = result["mean_error_km"]
    median = result["median_error_km"]
    lines = [
        f"{result['gold']}: {result['articles']} articles, {result['toponyms']} gold toponyms, "
        f"{result['predicted']} predicted",
        f"recognition (overlap)  P {rec['precision']:.1%}  R {rec['recall']:.1%}  F1 {rec['f1']:.1%}",
        f"acc@161km {result['acc_161km']:.1%} of {result['toponyms_with_coordinates']} toponyms with coordinates "
        "(missed ones count wrong)",
        f"error km over {result['resolved']} found and resolved: mean "
        + (f"{mean:.0f}, median {median:.0f}" if mean is not None else "n/a, median n/a"),
    ]
    return "\n".join(lines)
