"""End to end, article text to flags: each positive beside a near-miss negative (cases.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sanctionwatch.model import Article

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(analyzer, case) -> None:
    report = analyzer.analyze(Article(text=case["text"], id=case["id"], published=case["published"]))
    got = {f.category for f in report.flags}
    assert set(case["flags"]) <= got <= set(case["flags"]) | set(case.get("also", [])), [
        (f.category, f.why) for f in report.flags]
    for f in report.flags:
        if f.category in case["flags"]:
            if "supplier" in case:
                assert f.supplier is not None and f.supplier.country == case["supplier"], f.why
            if "recipient" in case:
                assert f.recipient is not None and f.recipient.country == case["recipient"], f.why
        for span in f.evidence:
            assert case["text"][span.start:span.end] == span.text


SEED = "examples/000_dbe120eccc59485b.txt"


@pytest.fixture(scope="module")
def seed_text(shared) -> str:
    return (shared / SEED).read_text(encoding="utf-8")


def _flags(analyzer, text: str, published: str | None = None):
    report = analyzer.analyze(Article(text=text, published=published))
    return report, {f.category: f for f in report.flags}


def test_seed_article_flags(analyzer, seed_text) -> None:
    report, flags = _flags(analyzer, seed_text)
    assert set(flags) == {"un-dprk/luxury-goods", "un-dprk/machinery-vehicles-metals"}
    lux = flags["un-dprk/luxury-goods"]
    assert any("1718" in c and "8(a)(iii)" in c for c in lux.citations)
    assert any("2094" in c and "Annex IV" in c for c in lux.citations)
    assert any("2397" in c and "para 7" in c for c in flags["un-dprk/machinery-vehicles-metals"].citations)
    for f in flags.values():
        assert f.supplier is not None and f.supplier.country == "RUS"
        assert f.recipient is not None and f.recipient.country == "PRK"
        assert f.goods is not None and f.goods.hs is not None and f.goods.hs.startswith("8703")
        assert f.event_date == "--02-18"
        quoted = " ".join(s.text for s in f.evidence)
        assert "delivery of the luxury car" in quoted and "gift" in quoted
    delivery = next(e for e in report.events if e.date == "--02-18")
    assert any("state media" in r for r in delivery.reported_by)
    assert any(e.confirmed_by == ("Dmitry Peskov",) for e in report.events)


def test_seed_article_anchored_on_publication_date(analyzer, seed_text) -> None:
    _, flags = _flags(analyzer, seed_text, "2024-02-20")
    assert {f.event_date for f in flags.values()} == {"2024-02-18"}


def test_seed_article_variants(analyzer, seed_text) -> None:
    # the same story in 2005, before the luxury-goods ban: no flag
    _, flags = _flags(analyzer, seed_text.replace("February 18", "February 18, 2005"), "2005-02-20")
    assert not flags
    # dogs instead of a car: goods outside the prohibitions
    dogs = (seed_text.replace("Aurus limousine", "pair of Pungsan dogs").replace("luxury car", "dogs")
            .replace("limousine", "dog").replace("the car", "the dogs").replace("an Aurus", "Pungsan dogs")
            .replace("luxury vehicle", "dogs").replace("Aurus", "Pungsan dogs"))
    _, flags = _flags(analyzer, dogs, "2024-02-20")
    assert not flags
    # a denial
    denied = "Russia denied delivering an Aurus limousine to Kim Jong Un on February 18."
    _, flags = _flags(analyzer, denied, "2024-02-20")
    assert not flags


def test_prefilter_loses_no_flag_on_the_cases(analyzer) -> None:
    """The corpus path parses only the sentences that can matter; the flags must not change."""
    from sanctionwatch.analyze import Analyzer

    articles = [Article(text=c["text"], id=c["id"], published=c["published"]) for c in CASES]
    fast = Analyzer(nlp=analyzer.nlp, kb=analyzer.kb, rules=analyzer.rules, prefilter=True)
    for full, filtered in zip(analyzer.analyze_many(articles), fast.analyze_many(articles), strict=True):
        assert full.flags == filtered.flags, full.article.id
    # and it does skip: an article with no regime state in it is not parsed at all
    (light,) = fast.analyze_many([Article(text="Germany exported cars to France in May.")])
    assert not light.events and not any(e.kind == "date" for e in light.entities)


def test_designated_party_from_article_text(analyzer, tmp_path) -> None:
    """A transfer to a company or ship on the list, named only in the text, is flagged; the same
    transfer to a ship that is not on it is not."""
    from sanctionwatch.analyze import Analyzer
    from sanctionwatch.screening import Screener
    from sanctionwatch.screening.index import build_index
    from sanctionwatch.screening.un_xml import read_un_xml
    from tests.screening_data import un_xml

    build_index([read_un_xml(un_xml(tmp_path / "un.xml"))], tmp_path / "index.sqlite")
    screened = Analyzer(nlp=analyzer.nlp, kb=analyzer.kb, rules=analyzer.rules,
                        screener=Screener.open(tmp_path / "index.sqlite"))
    text = ("A Panama-flagged tanker transferred diesel to the {ship} off the coast of China on "
            "May 3, 2024, according to the report.")
    listed = screened.analyze(Article(text=text.format(ship="Puksong 7"), published="2024-06-01"))
    flag = next(f for f in listed.flags if f.category == "un-dprk/designated-party")
    assert flag.citations == ("UNSCR 1718 (2006) para 8(d)",) and "KPe.901" in flag.why
    assert flag.recipient is not None and flag.recipient.name == "Puksong 7"
    other = screened.analyze(Article(text=text.format(ship="Ocean Star 3"), published="2024-06-01"))
    assert not any(f.category == "un-dprk/designated-party" for f in other.flags)
