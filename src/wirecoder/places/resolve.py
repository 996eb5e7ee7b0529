"""Resolution: pick, for each mention, the gazetteer place it refers to.

A candidate's score adds up evidence on one scale (roughly log10 of population):
- prior: population, the kind of place (countries and regions are what an unqualified name most often means;
  national capitals are named far more often than their size suggests), how the name matched (primary name,
  curated alias or abbreviation, or one of GeoNames' many weaker alternate names);
- the text around it: a unit word ("Herat province" -> admin1, "Laurel County" -> admin2) and a qualifier
  ("Springfield, Illinois", "Paris, Texas", "Alexandria, Va.") that the place must lie in;
- coherence: the share of the article's other places in the same country and the same admin1, and closeness to
  the nearest other town. Local news names many small towns of one state; a world story names countries.
Resolution runs twice: the first pass gives the article's places on priors alone, the second adds coherence.
One name keeps one sense within an article, unless a qualifier says otherwise.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .gazetteer import Candidate, Gazetteer, distance_km, fold
from .recognize import Mention

_FEATURE_PRIOR = {"country": 2.0, "continent": 2.0, "admin1": 0.6, "admin2": -1.0, "city": 0.0}
_FIXED_PRIOR = {"region": 7.5, "sea": 7.5}  # curated regions carry no population
_MATCH_PRIOR = {"name": 0.0, "alias": 0.0, "abbr": 0.0, "demonym": 0.0, "alt": -1.5, "postal": -4.0}
_COUNTRY_WEIGHT = 2.5
_ADMIN1_WEIGHT = 3.0
_CAPITAL_BONUS = 2.0
_NEAR_BONUS, _NEAR_KM = 1.5, 300.0
_QUALIFIER_BONUS = 8.0
_WIDE = ("country", "continent", "region", "sea")
_MAX_CANDIDATES = 25  # by prior; coherence rarely lifts a place from further down
_HINT_BONUS = 4.0


@dataclass(slots=True)
class Resolution:
    mention: Mention
    place: Candidate | None
    confidence: float
    resolved_by: str


def _prior(c: Candidate) -> float:
    if c.feature in _FIXED_PRIOR:
        base = _FIXED_PRIOR[c.feature]
    else:
        base = math.log10(c.population + 100) + _FEATURE_PRIOR.get(c.feature, 0.0)
        if c.capital:
            base += _CAPITAL_BONUS
    if c.feature == "country" and c.match == "alt":
        return base - 0.3  # country aliases (Burma, Holland) are reliable
    return base + _MATCH_PRIOR.get(c.match, -1.5)


class _Context:
    """Where the article's places lie: weight per country and per (country, admin1)."""

    def __init__(self, picks: list[tuple[str, Candidate]]):
        self.picks = picks
        self.country: Counter = Counter()
        self.admin1: Counter = Counter()
        for _, c in picks:
            if c.country:
                self.country[c.country] += 1
                if c.admin1 and c.feature != "country":
                    self.admin1[(c.country, c.admin1)] += 1
        self.local = [(k, p) for k, p in picks if p.feature in ("city", "admin2")]

    def shares(self, c: Candidate, exclude_key: str) -> tuple[float, float]:
        """Share of the other names' places in c's country and c's admin1 (the name itself left out)."""
        own = [p for k, p in self.picks if k == exclude_key]
        total = len(self.picks) - len(own)
        if total <= 0 or not c.country:
            return 0.0, 0.0
        country = self.country[c.country] - sum(1 for p in own if p.country == c.country)
        admin1 = 0
        if c.admin1 and c.feature != "country":
            admin1 = self.admin1[(c.country, c.admin1)] - sum(
                1 for p in own if p.country == c.country and p.admin1 == c.admin1 and p.feature != "country")
        return country / total, admin1 / total

    def nearness(self, c: Candidate, exclude_key: str) -> float:
        """1 when c lies at another local place of the article, falling to 0 at _NEAR_KM away."""
        if c.feature not in ("city", "admin2"):
            return 0.0
        best = _NEAR_KM
        for key, p in self.local:
            # 3 degrees of latitude is beyond _NEAR_KM: skip the trigonometry for far places
            if key != exclude_key and p.id != c.id and abs(p.lat - c.lat) < 3.0:
                best = min(best, distance_km(c.lat, c.lon, p.lat, p.lon))
        return 1.0 - best / _NEAR_KM


def _score(m: Mention, c: Candidate, ctx: _Context | None, qualifier: Candidate | None) -> tuple[float, str]:
    score = _prior(c)
    why = "population"
    if m.hint:
        if c.feature == m.hint or (m.hint == "admin1" and c.feature == "admin2"):
            score += _HINT_BONUS
        else:
            score -= _HINT_BONUS
    elif c.feature in ("admin1", "admin2") and m.candidates:
        # a bare name shared by a unit and its main town ("Herat", "Kandahar") means the town
        if any(o.feature == "city" and o.country == c.country and o.admin1 == c.admin1 and o.match == "name"
               and o.population * 20 > c.population for o in m.candidates):
            score -= 2.0
    if qualifier is not None and (c.feature in ("city", "admin2") or qualifier.feature == "country"):
        inside = c.country == qualifier.country and (qualifier.feature == "country" or c.admin1 == qualifier.admin1)
        if inside and c.id != qualifier.id:
            score += _QUALIFIER_BONUS
            why = f"qualifier:{qualifier.country}" + (f".{qualifier.admin1}" if qualifier.feature == "admin1" else "")
    if ctx is not None:
        country_share, admin1_share = ctx.shares(c, fold(m.text))
        bonus = _COUNTRY_WEIGHT * country_share + _ADMIN1_WEIGHT * admin1_share
        bonus += _NEAR_BONUS * ctx.nearness(c, fold(m.text))
        score += bonus
        if bonus > 1.0 and why == "population":
            why = f"coherence:{c.country}" + (f".{c.admin1}" if admin1_share > 0.2 else "")
    return score, why


def _best(m: Mention, ctx: _Context | None, qualifier: Candidate | None):
    cands = m.candidates
    if len(cands) > _MAX_CANDIDATES and qualifier is None:
        cands = sorted(cands, key=_prior, reverse=True)[:_MAX_CANDIDATES]
    scored = sorted(((_score(m, c, ctx, qualifier), c) for c in cands), key=lambda x: -x[0][0])
    if not scored:
        return None, 0.0, "no candidate"
    (top, why), place = scored[0]
    margin = top - scored[1][0][0] if len(scored) > 1 else 4.0
    confidence = round(min(0.98, 1 / (1 + math.exp(-margin))), 3)
    if len(scored) == 1:
        why = "only candidate" if why == "population" else why
    if m.source == "demonym":
        why = "demonym"
    return place, confidence, why


def _keep_weak(m: Mention, place: Candidate, ctx: _Context) -> bool:
    """A repaired mention stands when its place is well known or fits the article's other places."""
    if place.match == "demonym":
        return place.feature == "country"  # "the Russian Foreign Ministry" names Russia
    wide = place.feature in ("country", "continent", "region", "sea", "admin1")
    if place.match not in ("name", "alias", "abbr") and not (wide and place.match == "alt"):
        return False  # GeoNames alternate names of towns are too many to trust without spaCy's word
    if m.source == "split" or wide or m.explicit_unit:
        return True  # a name inside what spaCy called a place; a well-known unit; "Laurel County"
    country_share, admin1_share = ctx.shares(place, fold(m.text))
    if admin1_share > 0 or ctx.nearness(place, fold(m.text)) > 0.5:
        return True
    if country_share >= 0.3 and place.population >= 1000:
        return True  # a town in a local story ("Shreveport Police Department", "Dadaab camps" in Kenya)
    if country_share > 0 and place.population >= 20000:
        return True
    return place.population >= 100000


def resolve(mentions: list[Mention], gaz: Gazetteer) -> list[Resolution]:
    """Resolve every mention; weak mentions that do not hold up are dropped, references follow their antecedent."""
    strong = [m for m in mentions if not m.weak and m.candidates]
    first = {id(m): _best(m, None, _qual(m, None))[0] for m in strong}
    ctx = _Context([(fold(m.text), p) for m in strong if (p := first[id(m)]) is not None])

    # a weak mention that holds up on the first context joins the context of the second pass
    kept_weak = [m for m in mentions if m.weak and m.candidates
                 and (p := _best(m, ctx, _qual(m, None))[0]) is not None and _keep_weak(m, p, ctx)]
    first_ids = {id(m) for m in strong}
    picks = [(fold(m.text), p) for m in strong + kept_weak
             if (p := (first[id(m)] if id(m) in first_ids else _best(m, ctx, None)[0])) is not None]
    ctx = _Context(picks)

    results: dict[int, Resolution] = {}
    by_name: dict[tuple[str, str | None], Resolution] = {}
    # qualified mentions first: after "Paris, Texas" a bare "Paris" is that Paris too
    qualified = {id(m): _qual(m, ctx) for m in strong + kept_weak}
    for m in sorted(strong + kept_weak, key=lambda m: (qualified[id(m)] is None, m.start)):
        qualifier = qualified[id(m)]
        key = (fold(m.text), m.hint)
        if qualifier is None and key in by_name:
            prev = by_name[key]
            results[id(m)] = Resolution(m, prev.place, prev.confidence, prev.resolved_by)
            continue
        place, confidence, why = _best(m, ctx, qualifier)
        results[id(m)] = res = Resolution(m, place, confidence, why)
        by_name.setdefault(key, res)

    out = []
    last: Resolution | None = None
    for m in mentions:
        res = results.get(id(m))
        if res is None and m.reference:
            res = _reference(m, last, gaz)
        elif res is None and not m.weak:
            res = Resolution(m, None, 0.0, "no candidate")  # a place by NER, not in the gazetteer
        if res is None:
            continue
        out.append(res)
        if res.place is not None and m.source != "reference":
            last = res
    return out


def _qual(m: Mention, ctx: _Context | None) -> Candidate | None:
    """The place of a mention's qualifier: the admin1 or country it names."""
    q = m.qualifier
    if q is None or any(c.feature in _WIDE and c.match in ("name", "abbr") for c in m.candidates):
        return None  # "Mexico, China, Japan" is a list of countries, not China in Japan
    admins = [c for c in q.candidates if c.feature in ("admin1", "country")]
    if not admins:
        return None
    return max(admins, key=lambda c: _prior(c) + (_COUNTRY_WEIGHT * ctx.shares(c, "")[0] if ctx else 0.0))


def _reference(m: Mention, antecedent: Resolution | None, gaz: Gazetteer) -> Resolution | None:
    """ "the eponymous province" after "Herat": the admin1 Herat city lies in, when it bears the same name."""
    if antecedent is None or antecedent.place is None:
        return None
    place = antecedent.place
    if m.reference == "admin1" and place.feature in ("city", "admin2"):
        unit = gaz.admin1(place.country, place.admin1)
        if unit is not None:
            named_alike = fold(unit.name) == fold(place.name) or fold(unit.name) == fold(antecedent.mention.text)
            return Resolution(m, unit, 0.8 if named_alike else 0.5, "reference:eponymous")
    if m.reference == place.feature:
        return Resolution(m, place, 0.7, "reference:antecedent")
    if m.reference == "country" and place.country:
        unit = gaz.country(place.country)
        return Resolution(m, unit, 0.7, "reference:antecedent") if unit else None
    return None
