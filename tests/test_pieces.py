"""pieces.py: long articles analysed in pieces with whole-text offsets; runs the tokenizer is
quadratic on made harmless, in a text of the same length."""

from __future__ import annotations

import re

import pytest

from sanctionwatch import pieces
from sanctionwatch.model import Article
from sanctionwatch.pieces import MAX_RUN, break_long_runs, cut

STORY = ("A dealer in Dalian sold two luxury yachts to North Korea in March 2024, customs records "
         "show. The yachts were delivered to Nampo by a Chinese freighter.")
NOTE = "The harbour office said the ferry left on time. Passengers praised the new cafe on board."


def test_pieces_cover_the_text_and_end_at_the_best_boundary():
    text = "\n\n".join([NOTE * 3] * 20)
    found = cut(text, limit=1000)
    assert found[0][0] == 0 and found[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(found, found[1:], strict=False))
    assert all(end - start <= 1000 for start, end in found)
    assert all(text[end - 2:end] == "\n\n" for _, end in found[:-1])  # at paragraph ends
    one_line = NOTE * 40
    assert all(one_line[end - 2:end] == ". " for _, end in cut(one_line, limit=1000)[:-1])  # sentences
    no_space = "x" * 2500
    assert cut(no_space, limit=1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_long_runs_are_broken_or_blanked_in_a_text_of_the_same_length():
    text = f"Before {'(' * 5000} middle {'ab(' * 1000} after {'https://example.org/' + 'a' * 80}"
    broken = break_long_runs(text)
    assert len(broken) == len(text)
    assert broken.startswith("Before " + " " * 5000 + " middle ")  # no letter or digit: blank
    assert max(len(run) for run in broken.split()) <= MAX_RUN
    assert broken.endswith("https://example.org/" + "a" * 80)  # a long address stays whole
    assert break_long_runs(STORY) == STORY


def test_an_article_in_pieces_has_the_flags_of_the_whole_and_valid_offsets(analyzer, monkeypatch):
    text = "\n\n".join([NOTE] * 6 + [STORY] + [NOTE] * 6 + [STORY] + [NOTE] * 3)
    article = Article(text=text, id="long", published="2024-04-01")
    whole = analyzer.analyze(article)
    monkeypatch.setattr(pieces, "PIECE_CHARS", 500)
    assert len(cut(text, 500)) > 3
    split = analyzer.analyze(article)
    assert split.article == whole.article
    assert {f.category for f in split.flags} == {f.category for f in whole.flags} != set()
    spans = [*split.entities, *(s for f in split.flags for s in f.evidence),
             *(s for e in split.events for s in e.evidence)]
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert {(e.start, e.text) for e in split.entities} == {(e.start, e.text) for e in whole.entities}
    # The two tellings of the sale, in different pieces, are evidence of one flag per category.
    tellings = [range(m.start(), m.start() + len(STORY)) for m in re.finditer("A dealer", text)]
    assert len(split.flags) == len({f.category for f in split.flags})
    for flag in split.flags:
        assert all(any(s.start in told for s in flag.evidence) for told in tellings)


@pytest.mark.parametrize("run", ["(" * 3000, "[[" * 2000 + "]]" * 2000, "(a" * 2000])
def test_an_article_with_a_hostile_run_is_reported_in_its_own_text(analyzer, run):
    text = f"{STORY} {run} {STORY}"
    report = analyzer.analyze(Article(text=text))
    assert report.article.text == text and report.flags
    assert all(text[e.start:e.end] == e.text for e in report.entities)
