"""Mentions resolved to the knowledge base: aliases, metonyms, short names, roles over time, dates."""

from __future__ import annotations

import re

from sanctionwatch.model import Article


def entities(analyzer, text: str, published: str | None = None):
    return analyzer.analyze(Article(text=text, published=published)).entities


def by_text(ents, text: str):
    return [e for e in ents if e.text == text]


def test_aliases_are_case_and_punctuation_tolerant(analyzer) -> None:
    text = ("KIM Jong Un met officials in Wonsan. Later, Kim Jong-un inspected a factory, and the "
            "DPRK said N. Korea and the U.S. had no contact.")
    ents = entities(analyzer, text)
    assert {e.kb_id for e in ents if e.kind == "person"} == {"person/kim-jong-un"}
    countries = {e.text.removeprefix("the "): e.country for e in ents if e.kind == "country"}
    assert countries["DPRK"] == "PRK" and countries["N. Korea"] == "PRK" and countries["U.S."] == "USA"


def test_pronoun_us_and_porcelain_china_are_not_states(analyzer) -> None:
    text = "Let us look at the china cabinet that officials bought in Beijing."
    ents = entities(analyzer, text)
    assert [e.text for e in ents if e.kind == "country"] == ["Beijing"]


def test_metonyms_and_sides_stand_for_governments(analyzer) -> None:
    text = ("Pyongyang thanked the Kremlin for its help, while Beijing stayed silent. The Russian side "
            "promised more. North Korean state media praised the visit.")
    ents = entities(analyzer, text)
    got = {e.text: e.country for e in ents if e.country}
    assert got["Pyongyang"] == "PRK" and got["the Kremlin"] == "RUS" and got["Beijing"] == "CHN"
    assert any(t.endswith("Russian side") and c == "RUS" for t, c in got.items())
    assert any("state media" in t and c == "PRK" for t, c in got.items())


def test_short_names_follow_the_full_name_and_surnames_do_not_merge(analyzer) -> None:
    text = ("Kim Jong Un toured a shipyard on Monday. His sister Kim Yo Jong issued a statement "
            "criticising Seoul. Kim Yo Jong said the drills were provocative. Putin called Kim later.")
    ents = entities(analyzer, text, "2024-03-04")
    people = [(e.text, e.kb_id) for e in ents if e.kind == "person"]
    assert ("Kim Yo Jong", "person/kim-yo-jong") in people
    assert all(kb != "person/kim-jong-un" for t, kb in people if t == "Kim Yo Jong")
    # "Kim" after both: the most recent Kim named in full
    assert people[-1] == ("Kim", "person/kim-yo-jong")
    # a surname only one person in the knowledge base has resolves anywhere
    putin = by_text(ents, "Putin")[0]
    assert putin.kb_id == "person/vladimir-putin" and putin.country == "RUS"


def test_kim_alone_is_not_guessed(analyzer) -> None:
    ents = entities(analyzer, "Kim arrived in Seoul on Monday.")
    assert all(e.kb_id is None for e in ents if e.text == "Kim")


def test_role_is_the_one_held_at_publication(analyzer) -> None:
    text = "Sergei Shoigu met his counterpart in Pyongyang."
    then = by_text(entities(analyzer, text, "2023-07-26"), "Sergei Shoigu")[0]
    later = by_text(entities(analyzer, text, "2025-06-04"), "Sergei Shoigu")[0]
    assert then.country == later.country == "RUS"
    assert re.search(r"defen[cs]e", then.role or "", re.I)
    assert later.role and not re.search(r"defen[cs]e minister", later.role, re.I)


def test_office_phrases_name_the_office_holder(analyzer) -> None:
    ents = entities(analyzer, "The North Korean leader inspected the new destroyer.", "2024-05-01")
    leader = next(e for e in ents if "leader" in e.text)
    assert leader.kb_id == "person/kim-jong-un" and leader.country == "PRK"


def test_dates_are_normalised_against_publication(analyzer) -> None:
    text = "The ship left Nampo on March 3 and reached Vladivostok yesterday."
    anchored = {e.text: e.value for e in entities(analyzer, text, "2024-03-10") if e.kind == "date"}
    assert anchored["March 3"] == "2024-03-03" and anchored["yesterday"] == "2024-03-09"
    loose = {e.text: e.value for e in entities(analyzer, text) if e.kind == "date"}
    assert loose["March 3"] == "--03-03" and loose["yesterday"] is None


def test_seed_article_resolution(analyzer, shared) -> None:
    text = (shared / "examples" / "000_dbe120eccc59485b.txt").read_text(encoding="utf-8")
    ents = entities(analyzer, text)
    for e in ents:
        assert text[e.start:e.end] == e.text
    kims = [e for e in ents if e.text.startswith("Kim")]
    assert kims and all(e.kb_id == "person/kim-jong-un" and e.country == "PRK" for e in kims)
    for name, kb_id in (("Putin", "person/vladimir-putin"), ("Dmitry Peskov", "person/dmitry-peskov")):
        hits = [e for e in ents if e.text.endswith(name.split()[-1]) and e.kind == "person"]
        assert hits and all(e.kb_id == kb_id and e.country == "RUS" and e.role for e in hits)
    aurus = [e for e in ents if e.text == "Aurus"]
    assert {e.kb_id for e in aurus} >= {"org/aurus"}
    assert any(e.kind == "goods" and e.kb_id == "goods/motor-car" for e in ents if "Aurus" in e.text)
    assert any(e.text.endswith("Russian side") and e.country == "RUS" for e in ents)
    assert any(e.text.endswith("state media") and e.country == "PRK" for e in ents)
    assert {e.value for e in ents if e.text == "February 18"} == {"--02-18"}
    anchored = entities(analyzer, text, "2024-02-20")
    assert {e.value for e in anchored if e.text == "February 18"} == {"2024-02-18"}


# -- ships ----------------------------------------------------------------------------------------------
def vessels(ents) -> list[tuple[str, str | None, str | None]]:
    return [(e.text, e.kb_id, e.country) for e in ents if e.kind == "vessel" and e.kb_id]


def test_a_designated_ship_is_a_vessel_of_its_flag_state(analyzer) -> None:
    text = ("The Chon Ma San took on fuel at night. Satellite images later showed CHON MA SAN beside a "
            "second tanker, and Chon Ma San sailed north.")
    assert vessels(entities(analyzer, text)) == [
        ("Chon Ma San", "vessel/chon-ma-san", "PRK"), ("CHON MA SAN", "vessel/chon-ma-san", "PRK"),
        ("Chon Ma San", "vessel/chon-ma-san", "PRK")]


def test_a_ship_with_a_number_is_found_with_or_without_its_hyphen(analyzer) -> None:
    text = "Sam Jong 2 was seen near Nampo in March; in April the Sam Jong-2 was back, and so was NAM SAN 8."
    got = vessels(entities(analyzer, text))
    assert got == [("Sam Jong 2", "vessel/sam-jong-2", "PRK"), ("Sam Jong-2", "vessel/sam-jong-2", "PRK"),
                   ("NAM SAN 8", "vessel/nam-san-8", "PRK")]  # flags as the OFAC list states them


def test_a_ship_whose_name_is_also_a_place_or_a_word_needs_a_ship_word_or_capitals(analyzer) -> None:
    plain = ("Officials in Kang Gye said Kim Mi Rim, a teacher, had won a prize. Koti was the name of "
             "her dog.")
    assert vessels(entities(analyzer, plain)) == []
    ships = ("The cargo ship Mi Rim left Nampo. Days later KANG GYE docked, and the Panama-flagged "
             "vessel Koti was seen with it. Koti then sailed south.")
    assert vessels(entities(analyzer, ships)) == [
        ("Mi Rim", "vessel/mi-rim", "PRK"), ("KANG GYE", "vessel/kang-gye", "PRK"),
        ("Koti", "vessel/koti", "PAN"), ("Koti", "vessel/koti", "PAN")]  # once named as a ship


def test_listed_organisations_keep_their_kind(analyzer) -> None:
    ents = entities(analyzer, "KOMID and the Foreign Trade Bank paid Ocean Maritime Management.")
    kinds = {e.kb_id: (e.kind, e.role) for e in ents if e.kb_id}
    assert kinds == {"org/komid": ("org", "company"), "org/foreign-trade-bank": ("org", "bank"),
                     "org/ocean-maritime-management": ("org", "company")}
