"""The attribution stage on invented snippets: every form news uses, run through the real parse."""

import pytest

from wirecoder.attribution import load_lexicon, make_stage
from wirecoder.pipeline import ArticleDoc, make_article
from wirecoder.records import Event, Span


@pytest.fixture(scope="module")
def attribute(nlp):
    stage = make_stage({})

    def run(text, events=()):
        adoc = ArticleDoc(make_article(text), nlp(text))
        adoc.events.extend(events)
        stage(adoc)
        return adoc

    return run


def find(adoc, content_words):
    """The attribution whose content holds these words."""
    hits = [a for a in adoc.attributions if content_words in a.content.text]
    assert hits, [a.content.text for a in adoc.attributions]
    return min(hits, key=lambda a: len(a.content.text))


def test_attribution_direct_curly_quote(attribute):
    adoc = attribute("“The bridge at Karsi is closed to all traffic,” the district governor said on Monday.")
    a = find(adoc, "bridge at Karsi")
    assert a.kind == "direct"
    assert a.source.text == "the district governor"
    assert a.cue.text == "said" and a.cue_lemma == "say"


def test_attribution_quote_over_several_paragraphs(attribute):
    text = (
        "Colonel Dana Pirek spoke to reporters at the base.\n\n"
        "“The convoy was hit twice on the northern road. Two trucks burned.\n\n"
        "“We have asked for air support and we expect it by night,” Pirek said."
    )
    a = find(attribute(text), "Two trucks burned")
    assert a.content.text.startswith("“The convoy was hit")
    assert a.content.text.endswith("by night,”")
    assert a.speaker == "Dana Pirek"


def test_attribution_according_to(attribute):
    adoc = attribute("Rebels have shelled the port town of Varno, according to local fishermen.")
    a = find(adoc, "shelled the port town")
    assert a.cue.text == "according to"
    assert a.source.text == "local fishermen"
    assert "according" not in a.content.text


def test_attribution_told_outlet_that(attribute):
    adoc = attribute("Mira Olsen, a nurse at the clinic, told Radio Kestrel that nine wounded men arrived overnight.")
    a = find(adoc, "nine wounded men")
    assert a.speaker == "Mira Olsen"
    assert a.speaker_role == "a nurse at the clinic"
    assert a.via == "Radio Kestrel"
    assert a.kind == "indirect"


def test_attribution_said_after_content(attribute):
    adoc = attribute("Militia fighters had crossed the river twice this week, Tomas Brandt said.")
    a = find(adoc, "crossed the river")
    assert a.source.text == "Tomas Brandt"
    assert "Brandt" not in a.content.text


def test_attribution_mixed_quote(attribute):
    adoc = attribute("Anna Ruiz told the council that the situation in the valley is now \"unpredictable\".")
    a = find(adoc, "situation in the valley")
    assert a.kind == "mixed"


def test_attribution_nested_cited_witnesses(attribute):
    text = ("Jonas Wilde, editor of the Coastal Herald, cited farmers who had seen armed men burn the granary "
            "near the old mill.")
    adoc = attribute(text)
    outer = find(adoc, "farmers who had seen")
    inner = next(a for a in adoc.attributions if a.speaker == "farmers")
    assert inner.source.text == "who" and inner.cue.text == "seen"
    assert outer.speaker == "Jonas Wilde"
    assert inner.nested_in == outer.id
    assert "armed men" in inner.content.text


def test_attribution_pronoun_and_surname_resolve_to_the_named_person(attribute):
    text = ("Kurt Halvorsen, a reporter for the Northern Ledger, visited the front last week. "
            "He told the Northern Ledger that the town was quiet. "
            "Supplies had run low, Halvorsen said.")
    adoc = attribute(text)
    assert find(adoc, "the town was quiet").speaker == "Kurt Halvorsen"
    assert find(adoc, "Supplies had run low").speaker == "Kurt Halvorsen"


def test_attribution_denial_and_claim(attribute):
    text = ("Villagers say the army burned their orchards. "
            "The army strongly denies the accusations.")
    adoc = attribute(text)
    denial = find(adoc, "the accusations")
    assert denial.stance == "denies" and denial.speaker.lower().endswith("army")
    claim = next(c for c in adoc.claims if c.denial == denial.id)
    assert claim.claim == find(adoc, "burned their orchards").id


def test_attribution_passive_accusation_is_a_claim(attribute):
    adoc = attribute("Their anger is directed at Norland – accused by many farmers of arming the raiders.")
    accusation = next(a for a in adoc.attributions if a.cue_lemma == "accuse")
    assert accusation.stance == "accuses"
    assert accusation.source.text == "many farmers"
    claim = next(c for c in adoc.claims if c.claim == accusation.id)
    assert claim.target == "Norland"


def test_attribution_hashtag_campaign(attribute):
    text = "#FreeTheHarbour\nAn online campaign calling for the harbour to reopen has spread this week."
    adoc = attribute(text)
    assert [h.text for h in adoc.hashtags] == ["#FreeTheHarbour"]
    assert adoc.hashtags[0].campaign.text == "An online campaign calling for the harbour to reopen"


def test_attribution_links_events_to_the_content_holding_them(attribute):
    text = "Two soldiers were killed at the checkpoint, the ministry said. Police arrested a man in the market."
    killed = text.index("killed")
    arrested = text.index("arrested")
    events = [
        Event("e1", Span(killed, killed + 6, "killed"), [], "ATTACK"),
        Event("e2", Span(arrested, arrested + 8, "arrested"), [], "ARREST"),
    ]
    adoc = attribute(text, events)
    assert events[0].attribution == find(adoc, "Two soldiers").id
    assert events[1].attribution is None


def test_attribution_no_attribution_in_plain_narration(attribute):
    adoc = attribute("The river rose overnight and the bridge was closed.")
    assert adoc.attributions == []


def test_attribution_records_keep_offsets_and_confidence(attribute):
    text = "“We need water,” a resident said. The convoy arrived, officials said."
    for a in attribute(text).attributions:
        assert text[a.content.start : a.content.end] == a.content.text
        if a.source is not None:
            assert text[a.source.start : a.source.end] == a.source.text
        assert 0 < a.confidence <= 1


def test_attribution_data_files_are_well_formed():
    lexicon = load_lexicon()
    for section in ("speech", "object", "perception"):
        words = lexicon["verbs"][section]
        assert words and all(w == w.lower().strip() for w in words) and len(set(words)) == len(words)
    assert set(lexicon["stance"]) == {"denies", "accuses", "confirms", "claims_responsibility"}
    assert 0 < lexicon["model"]["threshold"] < 1


def test_attribution_nested_stance_verbs_are_part_of_the_outer_report(attribute):
    adoc = attribute("Many farmers accuse Norland of backing the raiders who burned the mill.")
    accusation = find(adoc, "backing the raiders")
    assert accusation.cue_lemma == "accuse" and accusation.stance == "accuses"
    assert [a.cue_lemma for a in adoc.attributions] == ["accuse"]


def test_attribution_source_is_not_the_heading_above(attribute):
    text = ("The Latest on the flood in Marlow (all times local):\n\n3 p.m.\n\n"
            "Mayor Ada Quist says the levee will be raised by a metre.")
    a = find(attribute(text), "levee will be raised")
    assert a.source.text == "Mayor Ada Quist"


def test_attribution_interrupting_cue_at_the_end_leaves_out_the_full_stop(attribute):
    a = find(attribute("The ferry will stop running in March, as the harbour master noted."), "ferry")
    assert a.cue.text == "noted" and a.content.text.rstrip(",") == "The ferry will stop running in March"


def test_attribution_report_inside_an_unattributed_quotation_is_dropped(attribute):
    quote = "“The mayor said the bridge is safe. We do not believe him.”"
    assert attribute(quote + "\n\nThe bridge closed on Monday.").attributions == []
    held = attribute(quote[:-2] + ",” the farmers said.").attributions
    assert [(a.cue.text, a.nested_in) for a in held][:2] == [("said", None), ("said", "q1")]


def test_attribution_next_report_hung_on_the_content_is_its_own(attribute):
    text = "Colonel Dana Pirek said the convoy would leave at dawn and warned against travel on the northern road."
    said, warned = attribute(text).attributions
    assert said.content.text == "the convoy would leave at dawn" and said.nested_in is None
    assert warned.cue.text.startswith("warned") and warned.nested_in is None
    assert warned.source.text == "Colonel Dana Pirek"


def test_attribution_cue_after_a_preposition_speaks_for_the_verb_before(attribute):
    a = find(attribute("The governor began her briefing by saying that the dam would hold through the night."),
             "dam would hold")
    # the tagger takes the whole phrase as the cue, as PolNeAR annotators often do
    assert a.cue.text.endswith("saying") and a.source.text == "The governor"


def test_attribution_quotation_split_by_its_cue_is_one_content(attribute):
    text = "“The levee will hold,” the engineer said. “We checked it twice this week.”"
    [a] = attribute(text).attributions
    assert (a.content.start, a.content.end) == (0, len(text)) and a.cue.text == "said"


def test_attribution_split_quotation_stays_apart_across_a_paragraph(attribute):
    text = "“The levee will hold,” the engineer said.\n“We checked it twice this week.”"
    first = attribute(text).attributions[0]
    assert first.content.text == "“The levee will hold,”"
