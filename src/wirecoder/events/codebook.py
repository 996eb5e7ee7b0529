"""The event ontology: what each of the 30 CASE 2021 type codes means in ACLED, CAMEO and PLOVER.

The codebook is data (`data/codebooks/event_types.toml`), read once. A type code fixes the ACLED sub-event type,
but the CAMEO code and PLOVER mode depend on how the event was done (an armed clash that is a targeted
assassination is CAMEO 186, PLOVER ASSAULT/targeted), so `describe` takes an optional mode hint, which
`mode_for` reads off the event's text with the cues of the codebook.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ConfigError

# the 25 ACLED sub-event types, then the 5 types CASE 2021 added outside ACLED
ACLED_CODES = (
    "ABDUCT_DISSAP", "AGREEMENT", "AIR_STRIKE", "ARMED_CLASH", "ARREST", "ART_MISS_ATTACK", "ATTACK",
    "CHANGE_TO_GROUP_ACT", "CHEM_WEAP", "DISR_WEAP", "FORCE_AGAINST_PROTEST", "GOV_REGAINS_TERIT", "GRENADE",
    "HQ_ESTABLISHED", "MOB_VIOL", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER", "OTHER",
    "PEACE_PROTEST", "PROPERTY_DISTRUCT", "PROTEST_WITH_INTER", "REM_EXPLOS", "SEX_VIOL", "SUIC_BOMB",
    "VIOL_DEMONSTR",
)
TYPE_CODES = ACLED_CODES + ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB")
# the attack families of incident reports (SATP's labels), which the event model reads off an article
ATTACK_FAMILIES = ("armed_assault", "bombing_explosion", "kidnapping")
# the five classes of CAMEO root codes the event model tells apart (01-02, 03-05, 06-08, 09-13, 14-20)
CAMEO_CLASSES = ("statement", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


@cache
def codebook() -> dict[str, dict[str, Any]]:
    """The parsed codebook, keyed by type code; raises ConfigError when the data file is incomplete."""
    text = resources.files("wirecoder").joinpath("data/codebooks/event_types.toml").read_text("utf-8")
    book = tomllib.loads(text)
    missing, unknown = set(TYPE_CODES) - set(book), set(book) - set(TYPE_CODES)
    if missing or unknown:
        raise ConfigError(f"event_types.toml: codes missing {sorted(missing)}, unknown {sorted(unknown)}")
    families = {entry["attack"] for entry in book.values() if "attack" in entry}
    if families - set(ATTACK_FAMILIES):
        raise ConfigError(f"event_types.toml: unknown attack families {sorted(families - set(ATTACK_FAMILIES))}")
    return book


def attack_family(code: str) -> str | None:
    """The attack family of a type ("GRENADE" -> "bombing_explosion"), None for a type outside them."""
    return codebook()[code].get("attack")


@cache
def _mode_cues(code: str) -> list[tuple[str, re.Pattern]]:
    """(mode, compiled cues) of a type, in codebook order."""
    modes = codebook()[code].get("modes", {})
    return [(mode, re.compile(r"\b(?:" + "|".join(entry["cues"]) + r")\b"))
            for mode, entry in modes.items() if entry.get("cues")]


def mode_for(code: str, text: str) -> str | None:
    """The mode hint of `code` that the event's text shows ("assassination" -> "targeted"), or None.

    The first mode of the codebook whose cues occur in the text wins; pass the result to `describe`.
    """
    lowered = text.lower()
    return next((mode for mode, rx in _mode_cues(code) if rx.search(lowered)), None)


def _plover(pair: list[str]) -> dict[str, str | None]:
    kind, mode = pair
    return {"type": kind or None, "mode": mode or None}


@cache
def _cameo_book() -> dict[str, dict]:
    text = resources.files("wirecoder").joinpath("data/codebooks/cameo_roots.toml").read_text("utf-8")
    book = tomllib.loads(text)
    roots, classes = book["roots"], book["classes"]
    if sorted(roots) != [f"{n:02d}" for n in range(1, 21)]:
        raise ConfigError("cameo_roots.toml: the roots must be 01 to 20")
    unknown = ({r["class"] for r in roots.values()} | set(classes)) - set(CAMEO_CLASSES)
    if unknown:
        raise ConfigError(f"cameo_roots.toml: unknown classes {sorted(unknown)}")
    if any(roots.get(root, {}).get("class") != name for name, root in classes.items()):
        raise ConfigError("cameo_roots.toml: each [classes] root must be a root of that class")
    return book


def cameo_roots() -> dict[str, dict[str, str]]:
    """The 20 CAMEO roots (data/codebooks/cameo_roots.toml): name, five-way class, PLOVER type."""
    return _cameo_book()["roots"]


def class_root(name: str) -> str | None:
    """The root standing for a five-way class (its [classes] entry), None for a class without one."""
    return _cameo_book()["classes"].get(name)


def cameo_class(cameo: str | None) -> str | None:
    """The five-way class of a CAMEO code ("043" -> "verbal_cooperation"), None for no or a malformed code."""
    root = cameo_roots().get(str(cameo or "")[:2])
    return root["class"] if root else None


def describe(code: str, mode_hint: str | None = None, cameo: str | None = None) -> dict[str, Any]:
    """The ACLED, CAMEO and PLOVER coding of a type code, refined by a mode hint ("targeted", "checkpoint", ...).

    Returns {"code", "definition", "acled": {"event_type", "sub_event_type"} or None, "cameo": str,
    "plover": {"type", "mode"}}. An unknown hint is ignored; an unknown code raises KeyError. A `cameo` code
    (a verbal event's, from its trigger word) replaces the type's, and PLOVER follows its root.
    """
    entry = codebook().get(code)
    if entry is None:
        raise KeyError(f"unknown event type code: {code!r}")
    variant = entry.get("modes", {}).get(mode_hint or "", {})
    acled = entry.get("acled")
    plover = _plover(variant.get("plover", entry["plover"]))
    if cameo is not None:
        plover = {"type": cameo_roots()[cameo[:2]]["plover"] or None, "mode": None}
    return {
        "code": code,
        "definition": entry["definition"],
        "acled": {"event_type": acled[0], "sub_event_type": acled[1]} if acled else None,
        "cameo": cameo or variant.get("cameo", entry["cameo"]),
        "plover": plover,
    }
