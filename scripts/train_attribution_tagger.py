"""Train the attribution span tagger: data/models/attribution_tagger.crfsuite and its provenance JSON.

Reads the PolNeAR *training* split under `--shared` (gold/polnear/train; the dev split is never read), parses it
with the project's spaCy model, runs the attribution rules over each article (their spans are features), and
fits a linear-chain CRF (python-crfsuite, L-BFGS, fixed iterations: the same data gives the same model) on BIO
tags of the gold source, cue and content pieces. The last `--holdout` articles are kept out of training and the
tagger's exact and overlap span F1 on them is printed and recorded in the provenance file.

    python scripts/train_attribution_tagger.py --shared ../shared [--holdout 84] [--parsed train.spacy]

`--parsed` reads (or, when missing, writes) the parsed split as a spaCy DocBin, to train again without parsing.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from wirecoder.attribution import build_extractor
from wirecoder.attribution.quotes import find_quotes
from wirecoder.attribution.tagger import MODEL_NAME, ROLES, article_context, spans_from_tags, token_features
from wirecoder.config import data_path
from wirecoder.evaluate.attribution import load_polnear
from wirecoder.nlp import load_nlp

PARAMS = {"c1": 0.2, "c2": 0.01, "feature.minfreq": 2, "max_iterations": 120, "feature.possible_transitions": True}


def parse(items, parsed: Path | None):
    """The parsed articles, read from or saved to the DocBin `parsed` when one is named."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    if parsed is not None and parsed.is_file():
        docs = list(DocBin().from_disk(parsed).get_docs(nlp.vocab))
        if len(docs) == len(items):
            return docs
    docs = list(nlp.pipe((text for _, text, _ in items), batch_size=16))
    if parsed is not None:
        DocBin(docs=docs).to_disk(parsed)
    return docs


def gold_tags(doc, gold: dict) -> list[str]:
    """BIO tags of the gold pieces of each role; a token already tagged keeps its first role (cue first)."""
    tags = ["O"] * len(doc)
    for role in ("cue", "source", "content"):
        for pieces in gold[role]:
            for start, end in pieces:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None or any(tags[t.i] != "O" for t in span):
                    continue
                for t in span:
                    tags[t.i] = ("B-" if t.i == span.start else "I-") + role
    return tags


def article_rows(doc, text: str, extractor, lemmas):
    quotes = find_quotes(text)
    return token_features(doc, article_context(doc, extractor(doc, quotes, text), quotes), lemmas)


def span_scores(pairs) -> dict[str, dict[str, float]]:
    """Exact and overlap F1 per role of tagged token spans against gold token spans, one-to-one."""
    scores = {}
    for role in ROLES:
        for mode in ("exact", "overlap"):
            tp = npred = ngold = 0
            for pred, gold in pairs:
                p, g = pred[role], gold[role]
                npred, ngold = npred + len(p), ngold + len(g)
                used = set()
                for span in p:
                    for j, other in enumerate(g):
                        hit = span == other if mode == "exact" else span[0] < other[1] and other[0] < span[1]
                        if j not in used and hit:
                            used.add(j)
                            tp += 1
                            break
            precision, recall = tp / max(npred, 1), tp / max(ngold, 1)
            f1 = 2 * precision * recall / max(precision + recall, 1e-9)
            scores[f"{role}/{mode}"] = round(100 * f1, 1)
    return scores


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", required=True, type=Path, help="the shared/ folder (gold/polnear/train is read)")
    ap.add_argument("--holdout", type=int, default=84, help="last N training articles kept out and scored")
    ap.add_argument("--parsed", type=Path, help="DocBin cache of the parsed training split")
    ap.add_argument("--out", type=Path, default=data_path("models"), help="folder the model is written to")
    ap.add_argument("--limit", type=int, help="read only the first N articles (for tests)")
    ap.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    args = ap.parse_args(argv)
    import pycrfsuite

    folder = args.shared / "gold" / "polnear" / "train"
    items = load_polnear(folder, args.limit)
    docs = parse(items, args.parsed)
    extractor, lemmas = build_extractor()
    cut = len(items) - args.holdout
    trainer = pycrfsuite.Trainer(verbose=False)
    for (_, text, gold), doc in zip(items[:cut], docs[:cut]):
        trainer.append(article_rows(doc, text, extractor, lemmas), gold_tags(doc, gold))
    trainer.set_params({**PARAMS, "max_iterations": args.iterations})
    args.out.mkdir(parents=True, exist_ok=True)
    model = args.out / MODEL_NAME
    trainer.train(str(model))
    figures = {}
    if args.holdout:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        pairs = [(spans_from_tags(tagger.tag(article_rows(doc, text, extractor, lemmas))),
                  spans_from_tags(gold_tags(doc, gold)))
                 for (_, text, gold), doc in zip(items[cut:], docs[cut:])]
        figures = span_scores(pairs)
        print("held-out tagger span F1 (last %d training articles): %s" % (args.holdout, figures), file=sys.stderr)
    provenance = {
        "model": MODEL_NAME, "script": "scripts/train_attribution_tagger.py",
        "data": f"PolNeAR train split (gold/polnear/train), first annotator; {cut} articles trained, "
                f"last {args.holdout} held out",
        "params": {**PARAMS, "max_iterations": args.iterations},
        "parse": "spaCy {lang}_{name} {version}".format(**load_nlp().meta),
        "date": datetime.date.today().isoformat(), "held_out_span_f1": figures,
    }
    (args.out / "attribution_tagger.json").write_text(json.dumps(provenance, indent=2) + "\n", "utf-8")
    return figures


if __name__ == "__main__":
    main()
