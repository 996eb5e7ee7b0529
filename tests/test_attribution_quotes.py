"""Quotation marks paired without a parse: curly, straight, unbalanced and multi-paragraph quotes."""

import pytest

from wirecoder.attribution.quotes import find_quotes


def quoted(text):
    return [text[s:e] for s, e in find_quotes(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("“We hold the bridge,” the captain said.", ["“We hold the bridge,”"]),
        ('"We hold the bridge," the captain said.', ['"We hold the bridge,"']),
        ('He called it "a trap" and "a lie".', ['"a trap"', '"a lie"']),
        # a mark never closed ends with its paragraph instead of swallowing the next one
        ("She said: “The road is cut.\nThe mayor left town.", ["“The road is cut."]),
        # straight and curly marks mixed in one article
        ("“One,” he said. \"Two,\" she said.", ["“One,”", '"Two,"']),
    ],
)
def test_quotes_pairing(text, expected):
    assert quoted(text) == expected


def test_quotes_run_over_paragraphs_when_the_next_one_reopens():
    text = "The colonel said: “We lost the ridge.\n\n“We will take it back by Friday,” he added.\n\nLater news."
    assert quoted(text) == ["“We lost the ridge.\n\n“We will take it back by Friday,”"]

