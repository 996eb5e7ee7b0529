"""The event codebook: 30 type codes, each coded in ACLED, CAMEO and PLOVER."""

import re
import tomllib
from importlib import resources

import pytest

from wirecoder.events.codebook import (
    ACLED_CODES,
    ATTACK_FAMILIES,
    CAMEO_CLASSES,
    TYPE_CODES,
    attack_family,
    cameo_class,
    cameo_roots,
    class_root,
    codebook,
    describe,
    mode_for,
)

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "INVESTIGATE",
                "DEMAND"}
ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments"}


def test_codebook_lists_30_codes_of_which_25_acled():
    assert len(TYPE_CODES) == len(set(TYPE_CODES)) == 30
    assert len(ACLED_CODES) == 25 and set(ACLED_CODES) < set(TYPE_CODES)
    assert set(codebook()) == set(TYPE_CODES)


@pytest.mark.parametrize("code", TYPE_CODES)
def test_codebook_entry_is_well_formed(code):
    entry = describe(code)
    assert entry["definition"]
    assert re.fullmatch(r"\d{2,4}", entry["cameo"]) and 1 <= int(entry["cameo"][:2]) <= 20
    assert entry["plover"]["type"] in PLOVER_TYPES | {None}
    if code in ACLED_CODES:
        assert entry["acled"]["event_type"] in ACLED_EVENT_TYPES and entry["acled"]["sub_event_type"]
    else:
        assert entry["acled"] is None
    for hint in codebook()[code].get("modes", {}):
        assert describe(code, hint)["plover"]["type"] in PLOVER_TYPES | {None}


def test_codebook_sub_event_types_are_distinct_and_grouped_as_acled():
    subs = [describe(code)["acled"]["sub_event_type"] for code in ACLED_CODES]
    assert len(set(subs)) == 25
    battles = {describe(code)["acled"]["sub_event_type"] for code in ACLED_CODES
               if describe(code)["acled"]["event_type"] == "Battles"}
    assert battles == {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}


def test_codebook_mode_hint_refines_cameo_and_plover():
    # an assassination coded as an armed clash (an attack on police by an armed group)
    assert describe("ARMED_CLASH", "targeted")["cameo"] == "186"
    assert describe("ARMED_CLASH", "targeted")["plover"] == {"type": "ASSAULT", "mode": "targeted"}
    assert describe("ARMED_CLASH")["cameo"].startswith("19")
    assert describe("AIR_STRIKE")["cameo"] == "195"
    assert describe("HQ_ESTABLISHED", "checkpoint")["cameo"] == "191"
    assert describe("ATTRIB", "deny")["plover"]["type"] == "REJECT"
    # an unknown hint falls back to the type's default
    assert describe("AIR_STRIKE", "no-such-mode") == describe("AIR_STRIKE")


def test_codebook_unknown_code_is_a_key_error():
    with pytest.raises(KeyError):
        describe("RIOT")


def test_codebook_data_file_has_only_known_keys():
    text = resources.files("wirecoder").joinpath("data/codebooks/event_types.toml").read_text("utf-8")
    for code, entry in tomllib.loads(text).items():
        assert set(entry) <= {"acled", "definition", "cameo", "plover", "modes", "attack"}, code
        assert entry.get("attack", ATTACK_FAMILIES[0]) in ATTACK_FAMILIES, code
        for mode in entry.get("modes", {}).values():
            assert set(mode) <= {"cues", "cameo", "plover"}, code
        assert len(entry["plover"]) == 2


@pytest.mark.parametrize(
    "code,text,mode,cameo",
    [
        ("ARMED_CLASH", "the district police chief was killed in a targeted assassination", "targeted", "186"),
        ("HQ_ESTABLISHED", "The militia set up checkpoints on the road to the port", "checkpoint", "191"),
        ("DIPLO", "an online campaign calling for sanctions against the neighbour", "request", "10"),
        ("DIPLO", "the government imposed sanctions on three ministers", "sanction", "16"),
        ("ATTRIB", "the group strongly denies the charges", "deny", "12"),
        ("PEACE_PROTEST", "the prisoners went on hunger strike", "hunger", "142"),
        ("AIR_STRIKE", "jets bombed the bridge", None, "195"),
    ],
)
def test_codebook_mode_for_reads_the_mode_from_the_event_text(code, text, mode, cameo):
    assert mode_for(code, text) == mode
    assert describe(code, mode_for(code, text))["cameo"] == cameo


def test_codebook_mode_cues_compile():
    for code in TYPE_CODES:
        for mode, entry in codebook()[code].get("modes", {}).items():
            for cue in entry.get("cues", []):
                assert cue == cue.lower(), (code, mode, cue)
                re.compile(cue)


def test_codebook_attack_families_are_violent_acled_types():
    families = {code: attack_family(code) for code in TYPE_CODES if attack_family(code)}
    assert families["REM_EXPLOS"] == "bombing_explosion" and families["ATTACK"] == "armed_assault"
    assert families["ABDUCT_DISSAP"] == "kidnapping" and attack_family("PEACE_PROTEST") is None
    assert set(families) <= set(ACLED_CODES)
    assert {describe(code)["acled"]["event_type"] for code in families} <= {
        "Battles", "Explosions/Remote violence", "Violence against civilians"}


def test_codebook_cameo_roots_cover_01_to_20_in_five_classes():
    roots = cameo_roots()
    assert sorted(roots) == [f"{n:02d}" for n in range(1, 21)]
    assert {r["plover"] for r in roots.values()} - {""} <= PLOVER_TYPES
    assert [cameo_class(code) for code in ("010", "043", "0841", "112", "190")] == [
        "statement", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
    assert cameo_class(None) is None and cameo_class("99") is None
    for name in CAMEO_CLASSES:
        root = class_root(name)
        assert root is None or cameo_class(root) == name


def test_codebook_a_verbal_events_cameo_code_sets_its_plover_type():
    coded = describe("DIPLO", cameo="043")
    assert coded["cameo"] == "043" and coded["plover"] == {"type": "CONSULT", "mode": None}
    assert describe("DIPLO", "sanction", cameo="051")["plover"]["type"] == "SUPPORT"
