"""The knowledge base: its data covers what news names, its facts carry dates and sources, and the
loader refuses broken data with a line that says where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanctionwatch.kb import DATA_DIR, KBError, KnowledgeBase, check_kb, load_kb, name_key
from sanctionwatch.kb import loader as kb_loader
from sanctionwatch.kb.build_countries import OTHERS, UN_MEMBERS, UN_OBSERVERS, build

pytestmark = pytest.mark.usefixtures("private_kb_cache")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped data to break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def countries_named(kb: KnowledgeBase, name: str) -> set[str]:
    """The states a name stands for, alone (no demonyms)."""
    key = name_key(name)
    return {c.alpha3 for c in kb.countries.values() if key in {name_key(n) for n in c.names}}


# -- coverage -----------------------------------------------------------------------------------------
def test_shipped_data_has_no_problems() -> None:
    assert check_kb() == []


def test_counts(kb: KnowledgeBase) -> None:
    assert len(kb.countries) >= 197
    assert len(kb.people) >= 150
    assert len(kb.organisations) >= 100
    assert len(kb.goods) >= 80
    assert len(kb.vessels) >= 60
    assert len(UN_MEMBERS) == 193


def test_every_un_member_and_observer(kb: KnowledgeBase) -> None:
    for code in UN_MEMBERS:
        assert kb.countries[code].status == "member", code
    for code in UN_OBSERVERS:
        assert kb.countries[code].status == "observer", code
    for code in OTHERS:
        assert kb.countries[code].status == "other", code
    assert kb.countries["XKX"].name == "Kosovo"


@pytest.mark.parametrize(("name", "alpha3"), [
    ("DPRK", "PRK"), ("D.P.R.K.", "PRK"), ("N. Korea", "PRK"), ("North Korea", "PRK"),
    ("Democratic People's Republic of Korea", "PRK"), ("ROK", "KOR"), ("S. Korea", "KOR"),
    ("Republic of Korea", "KOR"), ("PRC", "CHN"), ("U.S.", "USA"), ("US", "USA"), ("USA", "USA"),
    ("United States of America", "USA"), ("UK", "GBR"), ("U.K.", "GBR"), ("Britain", "GBR"),
    ("UAE", "ARE"), ("Russian Federation", "RUS"), ("Burma", "MMR"), ("Türkiye", "TUR"), ("Turkey", "TUR"),
    ("Ivory Coast", "CIV"), ("Holy See", "VAT"), ("Taiwan", "TWN"), ("Macau", "MAC"),
])
def test_news_names_of_states(kb: KnowledgeBase, name: str, alpha3: str) -> None:
    assert countries_named(kb, name) == {alpha3}


@pytest.mark.parametrize(("name", "alpha3"), [
    ("Pyongyang", "PRK"), ("Moscow", "RUS"), ("the Kremlin", "RUS"), ("Kremlin", "RUS"), ("Beijing", "CHN"),
    ("Washington", "USA"), ("the White House", "USA"), ("Seoul", "KOR"), ("Tehran", "IRN"), ("Minsk", "BLR"),
    ("Tokyo", "JPN"), ("Kyiv", "UKR"), ("Kiev", "UKR"), ("Whitehall", "GBR"), ("Downing Street", "GBR"),
    ("the Russian side", "RUS"), ("the North Korean side", "PRK"),
])
def test_metonyms_stand_for_their_state(kb: KnowledgeBase, name: str, alpha3: str) -> None:
    assert name in kb.countries[alpha3].metonyms
    assert countries_named(kb, name) == {alpha3}


def test_context_names_and_ambiguity(kb: KnowledgeBase) -> None:
    assert "the North" in kb.countries["PRK"].context_names
    assert "the South" in kb.countries["KOR"].context_names
    assert "the North" not in kb.countries["PRK"].names  # only in context, never on its own
    assert countries_named(kb, "Korea") == set()  # either Korea: never resolved from "Korea" alone
    for alpha3, name in (("JOR", "Jordan"), ("TCD", "Chad"), ("GEO", "Georgia"), ("USA", "US")):
        assert name in kb.countries[alpha3].ambiguous
    # "Congo" names two states, and both say so
    assert countries_named(kb, "Congo") == {"COD", "COG"}
    assert "Congo" in kb.countries["COD"].ambiguous and "Congo" in kb.countries["COG"].ambiguous


def test_demonyms(kb: KnowledgeBase) -> None:
    assert "North Korean" in kb.countries["PRK"].demonyms
    assert "Russians" in kb.countries["RUS"].demonyms
    assert all(c.demonyms for c in kb.countries.values() if c.alpha3 != "VAT")


@pytest.mark.parametrize(("term", "goods_id", "cls"), [
    ("limousine", "goods/limousine", "luxury"), ("diesel", "goods/refined-petroleum", "refined-petroleum"),
    ("jet fuel", "goods/aviation-fuel", "aviation-fuel"), ("crude oil", "goods/crude-oil", "crude-oil"),
    ("condensate", "goods/condensate", "condensate"), ("anthracite", "goods/coal", "coal"),
    ("iron ore", "goods/iron-ore", "iron-ore"), ("crab", "goods/seafood", "seafood"),
    ("artillery shell", "goods/ammunition", "ammunition"), ("KN-23", "goods/kn-23", "missile"),
    ("Hwasong-17", "goods/icbm", "missile"), ("Shahed-136", "goods/attack-drone", "arms"),
    ("S-400", "goods/air-defence-system", "arms"), ("satellite", "goods/satellite", "space-tech"),
    ("statue", "goods/statue", "statue"), ("fishing rights", "goods/fishing-rights", "fishing-rights"),
    ("magnesite", "goods/earth-stone", "earth-stone"), ("timber", "goods/wood", "wood"),
    ("yacht", "goods/yacht", "luxury"), ("Pungsan dog", "goods/dog", "animal"),
    ("wig", "goods/hair-products", "hair-products"), ("rice", "goods/food", "food"),
    ("vaccine", "goods/medicine", "medicine"), ("tanker", "goods/tanker", "vessel"),
])
def test_goods_terms(kb: KnowledgeBase, term: str, goods_id: str, cls: str) -> None:
    hits = [entry.id for entry, _ in kb.find(term) if entry.id.startswith("goods/")]
    assert hits and hits[0] == goods_id
    assert cls in kb.goods[goods_id].classes


def test_goods_hs_codes_and_sources(kb: KnowledgeBase) -> None:
    assert kb.goods["goods/limousine"].hs == "8703"
    assert kb.goods["goods/crude-oil"].hs == "2709"
    assert kb.goods["goods/refined-petroleum"].hs == "2710"
    assert kb.goods["goods/coal"].hs == "2701"
    for goods in kb.goods.values():
        if goods.hs:  # the code comes from the nomenclature, and says so
            assert "HS" in goods.source, goods.id
    assert not kb.goods["goods/dog"].luxury and kb.goods["goods/yacht"].luxury


def test_brands_stand_for_goods(kb: KnowledgeBase) -> None:
    aurus = kb.organisations["org/aurus"]
    assert aurus.country == "RUS" and aurus.luxury and aurus.makes == ("goods/motor-car",)
    assert kb.organisations["org/toyota"].makes == ("goods/motor-car",)
    assert not kb.organisations["org/toyota"].luxury


def test_organisations(kb: KnowledgeBase) -> None:
    assert kb.organisations["org/kcna"].kind == "media" and kb.country_of("org/kcna") == "PRK"
    assert kb.organisations["org/unsc"].country is None
    assert kb.organisations["org/panel-of-experts"].part_of == "org/1718-committee"
    assert "KOMID" in kb.organisations["org/komid"].aliases


# -- roles over time ----------------------------------------------------------------------------------
def test_role_changes(kb: KnowledgeBase) -> None:
    shoigu = kb.people["person/sergei-shoigu"]
    belousov = kb.people["person/andrei-belousov"]
    assert shoigu.role_at("2023-06-01").category == "defence minister"
    assert shoigu.role_at("2025-01-01").category != "defence minister"
    assert shoigu.role_at("2025-01-01").title.startswith("Secretary of the Security Council")
    assert belousov.role_at("2023-06-01").category != "defence minister"
    assert belousov.role_at("2025-01-01").category == "defence minister"


def test_role_at_edges(kb: KnowledgeBase) -> None:
    raisi = kb.people["person/ebrahim-raisi"]
    assert raisi.role_at("2024-06-01") is None  # died 2024-05-19
    assert raisi.role_at(None).title == "President of Iran"  # no date: the role that ended last
    trump = kb.people["person/donald-trump"]
    assert trump.role_at("2019-05-01") is not None
    assert trump.role_at("2023-05-01") is None
    assert trump.role_at("2025-06-01") is not None
    kim = kb.people["person/kim-jong-un"]
    assert kim.role_at("2011-06-01") is None
    assert kim.role_at("2024-02-20").category == "head of state"
    assert kim.role_at("--02-18").category == "head of state"  # no year: today's role
    choe = kb.people["person/choe-son-hui"]
    assert choe.role_at("2022-06-30").category == "foreign minister"  # start "2022-06" covers the month
    assert choe.role_at("2021-01-01").category != "foreign minister"


def test_people_cover_the_states_of_sanctions_news(kb: KnowledgeBase) -> None:
    for alpha3 in ("PRK", "RUS", "CHN", "IRN", "USA", "KOR", "JPN", "BLR"):
        assert sum(p.country == alpha3 for p in kb.people.values()) >= 7, alpha3
    un = [p for p in kb.people.values() if any(r.org == "org/united-nations" for r in p.roles)]
    assert len(un) >= 3


def test_country_of_and_get(kb: KnowledgeBase) -> None:
    assert kb.country_of("person/kim-jong-un") == "PRK"
    assert kb.country_of("country/RUS") == "RUS"
    assert kb.country_of("person/antonio-guterres") is None  # acts for the UN, not Portugal
    assert kb.country_of("goods/limousine") is None
    assert kb.country_of("person/nobody") is None
    assert kb.get("person/nobody") is None
    assert kb.get("country/PRK") is kb.countries["PRK"]


def test_find(kb: KnowledgeBase) -> None:
    first, matched = kb.find("kim jong-un")[0]
    assert first.id == "person/kim-jong-un" and matched == "Kim Jong Un"  # the same name, punctuation aside
    assert kb.find("dprk")[0][0].id == "country/PRK"  # the exact name before names containing it
    assert kb.find("no such thing at all") == []


def test_name_key() -> None:
    assert name_key("D.P.R.K.") == name_key("dprk")
    assert name_key("Kim Jong-un") == name_key("KIM JONG UN")
    assert name_key("Türkiye") == name_key("Turkiye")


# -- the loader refuses broken data ---------------------------------------------------------------------
def test_schema_rejects_a_broken_entry(data_copy: Path) -> None:
    edit(data_copy / "people.yaml", "start: '2012-11-06'", "start: '2012-13-06'")
    problems = check_kb(data_copy)
    assert len(problems) == 1
    assert "people.yaml: entry" in problems[0] and "(person/sergei-shoigu)" in problems[0]
    assert "roles/1/start" in problems[0]
    with pytest.raises(KBError, match=r"people\.yaml: entry \d+ \(person/sergei-shoigu\)"):
        load_kb(data_copy)


def test_unreadable_yaml_is_one_line(data_copy: Path) -> None:
    (data_copy / "goods.yaml").write_text("entries: [unclosed\n", "utf-8")
    problems = check_kb(data_copy)
    assert len(problems) == 1 and "goods.yaml: cannot read" in problems[0]


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("organisations.yaml", "makes: [goods/motor-car], luxury: true, source: \"Aurus",
     "makes: [goods/hovercraft], luxury: true, source: \"Aurus", "makes 'goods/hovercraft' is not in"),
    ("people.yaml", "country: PRK", "country: XYZ", "country 'XYZ' is not in"),
    ("goods.yaml", "classes: [motor-vehicle, luxury]", "classes: [motor-vehicle, luxurious]",
     "class 'luxurious' is not in"),
    ("organisations.yaml", "aliases: [Aurus Motors,", "aliases: [TASS, Aurus Motors,",
     "name 'TASS' is shared by org/aurus, org/tass"),
    ("countries.yaml", "aliases: [DPRK,", "aliases: [ROK, DPRK,", "shared by country/KOR, country/PRK"),
    ("people.yaml", "id: person/kim-yo-jong", "id: person/kim-jong-un", "duplicate id"),
    ("countries.yaml", "ambiguous: [Jordan]", "ambiguous: [Jordon]", "ambiguous name 'Jordon'"),
    # listings: a known list, a reference in its format, ISO dates in order, programmes only on OFAC
    ("organisations.yaml", "{list: un-1718, ref: KPe.050,", "{list: un-9999, ref: KPe.050,",
     "unknown list 'un-9999'"),
    ("organisations.yaml", "ref: KPe.050,", "ref: KPe.50,", "reference 'KPe.50' is not of the form KPe.050"),
    ("organisations.yaml", "{list: un-1718, ref: KPe.050,", "{list: un-1737, ref: KPe.050,",
     "reference 'KPe.050' is not on un-1737"),
    ("people.yaml", "ref: KPi.043", "ref: KPe.043", "reference 'KPe.043' is not that of an individual"),
    ("organisations.yaml", "ref: '27309'", "ref: SDN-27309",
     "reference 'SDN-27309' is not an SDN entry number"),
    ("organisations.yaml", "ref: '27308'", "ref: '27307'", "org/lazarus-group: listed twice on us-ofac-sdn"),
    ("organisations.yaml", "OF COMPANIES, since: '2017-08-05'}", "OF COMPANIES, since: '2017-08-05', "
     "programs: [DPRK3]}", "un-1718 has no programme tags (DPRK3)"),
    ("organisations.yaml", "until: '2025-03'", "until: '2021-03'",
     "ends (2021-03) before it starts (2022-08-08)"),
    ("organisations.yaml", "OF COMPANIES, since: '2017-08-05'}", "OF COMPANIES, since: '2017-08-32'}",
     "(org/mansudae-overseas-projects): listed/0/since"),
    # vessels: IMO check digit, one ship per IMO number, a flag the KB knows
    ("vessels.yaml", "imo: '8660313'", "imo: '8660314'", "IMO number 8660314 fails its check digit"),
    ("vessels.yaml", "imo: '7408873'", "imo: '8405311'",
     "IMO number 8405311 is also that of vessel/sam-jong-1"),
    ("vessels.yaml", "imo: '8660313'\n  flag: PRK", "imo: '8660313'\n  flag: XYZ",
     "vessel/chon-ma-san: flag 'XYZ' is not in the knowledge base"),
])
def test_cross_checks(data_copy: Path, file: str, old: str, new: str, message: str) -> None:
    edit(data_copy / file, old, new)
    problems = check_kb(data_copy)
    assert len(problems) == 1, problems
    assert message in problems[0]


def test_a_shared_name_declared_ambiguous_by_both_is_allowed(data_copy: Path) -> None:
    countries = data_copy / "countries.yaml"
    edit(countries, "aliases: [DPRK,", "aliases: [Koreas, DPRK,")
    edit(countries, "aliases: [ROK,", "aliases: [Koreas, ROK,")
    edit(countries, "  metonyms:\n  - Pyongyang", "  ambiguous: [Koreas]\n  metonyms:\n  - Pyongyang")
    problems = check_kb(data_copy)
    assert len(problems) == 1 and "declare it in `ambiguous` of country/KOR or drop it" in problems[0]
    edit(countries, "  metonyms:\n  - Seoul", "  ambiguous: [Koreas]\n  metonyms:\n  - Seoul")
    assert check_kb(data_copy) == []


# -- the cache -----------------------------------------------------------------------------------------
def test_a_second_load_uses_the_cache_and_a_change_invalidates_it(data_copy: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_kb.__wrapped__(data_copy)

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed although the data was cached")

    with monkeypatch.context() as m:
        m.setattr(kb_loader, "read_kind", no_parsing)
        again = load_kb.__wrapped__(data_copy)
    assert again.people == first.people and again.version == first.version
    edit(data_copy / "people.yaml", "name: Kim Jong Un", "name: Kim Jong-un (leader)")
    changed = load_kb.__wrapped__(data_copy)
    assert changed.people["person/kim-jong-un"].name == "Kim Jong-un (leader)"


def test_broken_data_is_never_cached(data_copy: Path) -> None:
    edit(data_copy / "people.yaml", "country: PRK", "country: XYZ")
    for _ in range(2):
        with pytest.raises(KBError, match="country 'XYZ'"):
            load_kb.__wrapped__(data_copy)


# -- the countries generator ------------------------------------------------------------------------------
def test_countries_generator_reproduces_the_committed_file(tmp_path: Path) -> None:
    target = tmp_path / "countries.yaml"
    shutil.copy(DATA_DIR / "countries.yaml", target)
    assert build(target, None) == len(UN_MEMBERS | UN_OBSERVERS | OTHERS)
    assert target.read_text("utf-8") == (DATA_DIR / "countries.yaml").read_text("utf-8")
