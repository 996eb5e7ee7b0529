"""Derive data/attribution/cue_rates.tsv: how often each verb lemma, in each frame, is an attribution cue.

Reads the PolNeAR *training* split (brat layout, first annotator per article), parses it, and for every verb
counts the frames the attribution rules see (clause, interrupted, quote, object, prep; for nouns noun-clause
and noun-prep) and how many of those
verbs the annotators marked as a cue. Verbs inside quotation marks are left out: PolNeAR never marks a report
nested in a quotation, so counting them would make "think" or "want" look rarer as cues than they are in the
outlet's own sentences. Only the counts are written: no text of the corpus.

    python scripts/attribution_cue_stats.py /path/to/polnear/train > src/wirecoder/data/attribution/cue_rates.tsv
"""

from __future__ import annotations

import sys
from collections import Counter

from wirecoder.attribution import load_lexicon
from wirecoder.attribution.quotes import find_quotes
from wirecoder.attribution.rules import RuleExtractor
from wirecoder.evaluate.attribution import load_polnear
from wirecoder.nlp import load_nlp

MIN_COUNT = 3  # rarer (lemma, frame) pairs are left to the hand-written lexicon


def count(items, docs, extractor):
    cues, totals = Counter(), Counter()
    for (_, text, gold), doc in zip(items, docs):
        quotes = find_quotes(text)
        cue_chars = {i for pieces in gold["cue"] for start, end in pieces for i in range(start, end)}
        for tok in doc:
            if tok.pos_ not in ("VERB", "AUX", "NOUN") or any(start <= tok.idx < end for start, end in quotes):
                continue
            framed = extractor.frame(tok, quotes, text)
            if framed is None:
                continue
            lemma, frame = tok.lemma_.lower(), framed[0]
            hit = tok.idx in cue_chars
            for key in ((lemma, frame),) if frame.startswith("noun") else ((lemma, frame), (lemma, "*")):
                totals[key] += 1
                cues[key] += hit
    return cues, totals


def main(folder: str, *docbins: str) -> None:
    items = load_polnear(folder)
    nlp = load_nlp()
    if docbins:
        from spacy.tokens import DocBin

        docs = [d for path in docbins for d in DocBin().from_disk(path).get_docs(nlp.vocab)]
    else:
        docs = nlp.pipe(text for _, text, _ in items)
    cues, totals = count(items, docs, RuleExtractor(load_lexicon()))
    print("# lemma\tframe\tcue\ttotal  (derived counts from PolNeAR train; see scripts/attribution_cue_stats.py)")
    for (lemma, frame), total in sorted(totals.items()):
        if total >= MIN_COUNT and lemma.isalpha():
            print(f"{lemma}\t{frame}\t{cues[lemma, frame]}\t{total}")


if __name__ == "__main__":
    main(*sys.argv[1:])
