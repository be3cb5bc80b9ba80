"""Sanctions listings in the knowledge base, and the designated ships: what the KB records, its
listings as screening hits for the rules when no list is installed, and the vessels generator."""

from __future__ import annotations

import pytest

from sanctionwatch.kb import KnowledgeBase
from sanctionwatch.kb.build_vessels import build, stated_flag
from sanctionwatch.kb.listings import kb_listed
from sanctionwatch.model import Article, Event, Goods, Party
from sanctionwatch.rules import evaluate, load_rules

CHINESE_TANKER = Party("a Chinese tanker", "CHN", kind="vessel")
DIESEL = Goods("diesel", hs="2710", classes=("refined-petroleum",))


pytestmark = pytest.mark.usefixtures("private_kb_cache")


# -- what the KB records ---------------------------------------------------------------------------------
def test_listed_organisations_carry_reference_and_date(kb: KnowledgeBase) -> None:
    (mansudae,) = kb.listings("org/mansudae-overseas-projects")
    assert (mansudae.list, mansudae.ref, mansudae.since) == ("un-1718", "KPe.050", "2017-08-05")
    assert kb.listings("org/kcna") == () and kb.listings("country/PRK") == () and kb.listings("nobody") == ()
    (aeoi,) = kb.listings("org/aeoi")
    assert (aeoi.list, aeoi.ref) == ("un-1737", "IRe.006")
    lazarus = kb.listings("org/lazarus-group")
    assert {x.ref for x in lazarus} == {"27307", "27308"} and all(x.programs == ("DPRK3",) for x in lazarus)
    assert [x.ref for x in kb.listings("person/ri-pyong-chol")] == ["KPi.076"]
    assert kb.listings("person/ri-su-yong") == ()  # KPi.052 is another Ri Su Yong, a Ryonbong official


def test_a_listing_is_in_force_from_its_date_until_its_delisting(kb: KnowledgeBase) -> None:
    (tornado,) = kb.listings("org/tornado-cash")
    assert tornado.active_at("2023-01-10") and tornado.active_at("2025-03")
    assert not tornado.active_at("2022-01-01") and not tornado.active_at("2025-06-01")
    assert not tornado.active_at(None)  # delisted by now
    (un, _eu) = kb.listings("vessel/chon-ma-san")
    assert un.active_at(None) and un.active_at("2018") and not un.active_at("2017-12-31")


def test_vessels_have_imo_numbers_flags_and_listings(kb: KnowledgeBase) -> None:
    chon_ma_san = kb.vessels["vessel/chon-ma-san"]
    assert (chon_ma_san.imo, chon_ma_san.flag, chon_ma_san.named_in) == ("8660313", "PRK", ("KPe.061",))
    assert kb.country_of("vessel/chon-ma-san") == "PRK" and kb.country_of("vessel/sam-jong-2") == "PRK"
    assert kb.country_of("vessel/asia-bridge-1") is None  # no list gives its flag
    (un, eu) = chon_ma_san.listed
    assert un.list == "un-1718" and un.measures == ("asset freeze", "port entry ban") and un.ref is None
    assert eu.list == "eu-2017-1509" and eu.basis == "Annex XIV.A, XIV.B"
    tong_hung_san = kb.vessels["vessel/tong-hung-san"]  # the Chong Chon Gang, an OMM ship
    assert "Chong Chon Gang" in tong_hung_san.aliases and tong_hung_san.named_in == ("KPe.020", "KPe.022")
    assert "Ocean Maritime Management" in (tong_hung_san.listed[0].basis or "")
    unica = kb.vessels["vessel/unica"]  # designated by the EU alone
    assert [x.list for x in unica.listed] == ["eu-2017-1509"] and unica.ambiguous == ("Unica",)
    assert kb.vessels["vessel/min-ning-de-you-078"].imo is None  # "Does not exist" on the annex


# -- KB listings as screening hits for the rules ------------------------------------------------------------
def test_kb_listed_finds_a_party_by_its_kb_id_or_its_one_name(kb: KnowledgeBase) -> None:
    listed = kb_listed(kb, "2024-06-01")
    (hit, eu) = listed(Party("the Chon Ma San", "PRK", "vessel/chon-ma-san", "vessel"))
    assert (hit.list, hit.entry_id, hit.matched_name, hit.score) == (
        "un-1718", "vessel/chon-ma-san", "CHON MA SAN", 1.0)
    assert hit.schema == "Vessel" and hit.reasons == ("knowledge base",) and hit.name == "the Chon Ma San"
    assert eu.list == "eu-2017-1509"
    (org,) = listed(Party("Mansudae Art Studio", "PRK", "org/mansudae-overseas-projects", "org"))
    assert (org.entry_id, org.schema) == ("KPe.050", "Organization")
    (person,) = listed(Party("Ri Pyong Chol", "PRK", "person/ri-pyong-chol", "person"))
    assert (person.entry_id, person.schema, person.matched_name) == ("KPi.076", "Person", "RI PYONG CHUL")
    # a party the extractor named without a KB id: by a name only one listed entry goes by
    assert [h.list for h in listed(Party("the Nam San 8", kind="vessel"))] == ["un-1718", "eu-2017-1509"]
    assert listed(Party("Koti", kind="vessel")) == ()  # declared ambiguous: a name alone is not enough
    assert listed(Party("Kim Jong Un", "PRK", "person/kim-jong-un", "person")) == ()
    assert listed(Party("North Korea", "PRK", "country/PRK", "country")) == ()


def test_kb_listed_keeps_to_the_listing_dates(kb: KnowledgeBase) -> None:
    ship = Party("Chon Ma San", "PRK", "vessel/chon-ma-san", "vessel")
    assert kb_listed(kb, "2017-06-01")(ship) == ()  # designated on 2018-03-30
    tornado = Party("Tornado Cash", None, "org/tornado-cash", "org")
    assert [h.entry_id for h in kb_listed(kb, "2023-05-01")(tornado)] == ["39796"]
    assert kb_listed(kb, "2025-06-01")(tornado) == ()


def test_a_transfer_to_a_designated_ship_is_flagged_from_the_kb_alone(kb: KnowledgeBase) -> None:
    rules = load_rules()
    listed = kb_listed(kb, "2024-06-01")
    for ship in (Party("Chon Ma San", "PRK", "vessel/chon-ma-san", "vessel"),
                 Party("Sam Jong 2", None, "vessel/sam-jong-2", "vessel")):  # no flag stated
        event = Event(type="transfer", source=CHINESE_TANKER, target=ship, goods=(DIESEL,), date="2024-05-03")
        flags = {f.category: f for f in evaluate(event, rules, published="2024-06-01", listed=listed)}
        flag = flags["un-dprk/designated-party"]
        assert flag.citations == ("UNSCR 1718 (2006) para 8(d)",)
        assert f"listed on un-1718 as {ship.name.upper()} ({ship.kb_id})" in flag.why
        without = evaluate(event, rules, published="2024-06-01")
        assert "un-dprk/designated-party" not in {f.category for f in without}


def test_a_ship_named_in_an_article_is_a_party_the_kb_listings_flag(analyzer) -> None:
    """End to end without a list installed: the extracted event's receiver is the KB's ship, and
    its KB listing raises the designated-party flag, flag state or not."""
    text = ("A Panama-flagged tanker transferred diesel to the {ship} off the coast of China on May 3, "
            "2024, according to the report.")
    listed = kb_listed(analyzer.kb, "2024-06-01")
    for ship, kb_id, flag in (("Chon Ma San", "vessel/chon-ma-san", "PRK"),  # flag from the UN list
                              ("Sam Jong 2", "vessel/sam-jong-2", "PRK"),  # from OFAC's Vess_flag
                              ("Asia Bridge 1", "vessel/asia-bridge-1", None)):
        report = analyzer.analyze(Article(text=text.format(ship=ship), published="2024-06-01"))
        event = next(e for e in report.events if e.type == "transfer")
        assert event.target is not None and (event.target.kb_id, event.target.country) == (kb_id, flag)
        flags = evaluate(event, analyzer.rules, published="2024-06-01", listed=listed)
        assert "un-dprk/designated-party" in {f.category for f in flags}


# -- the vessels generator -----------------------------------------------------------------------------
EU_HEADER = "schema,annex,measure,startDate,name,alias,previousName,imoNumber,notes\n"
EU_ROWS = """\
Vessel,XIII.B,Asset freeze,2.3.2016,Sea Gull (Old Gull),,,8606173,
Vessel,XIV.A,Asset freeze,30.3.2018,BLUE CRANE 7,,,8660313,
Vessel,XIV.B,Transportation restrictions,30.3.2018,BLUE CRANE 7,,,8660313,
Vessel,XV.F,Asset freeze,12.12.2022,Petrel Bay,,,Does not exist,"Formerly flagged in Togo, now operating \
as a DPRK-flagged vessel named the EAST WIND or East Wind 2."
Person,XIII.A,Asset freeze,2.3.2016,Someone,,,,
"""
UN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z"><INDIVIDUALS/><ENTITIES>
<ENTITY><FIRST_NAME>GULL SHIPPING CO</FIRST_NAME><REFERENCE_NUMBER>KPe.901</REFERENCE_NUMBER>
<LISTED_ON>2018-03-30</LISTED_ON><COMMENTS1>Registered owner of the DPRK-flagged tanker BLUE CRANE 7, and
owner of the DPRK tanker GREY HERON 3. Company IMO number 5999999.</COMMENTS1></ENTITY>
<ENTITY><FIRST_NAME>SOME BANK</FIRST_NAME><REFERENCE_NUMBER>KPe.902</REFERENCE_NUMBER>
<LISTED_ON>2017-01-01</LISTED_ON><COMMENTS1>A bank.</COMMENTS1></ENTITY>
</ENTITIES></CONSOLIDATED_LIST>
"""


def test_the_generator_reads_the_annexes_and_the_un_records(tmp_path) -> None:
    import yaml

    (tmp_path / "eu.csv").write_text(EU_HEADER + EU_ROWS, "utf-8")
    (tmp_path / "un.xml").write_text(UN_XML, "utf-8")
    out = tmp_path / "vessels.yaml"
    assert build(tmp_path / "un.xml", tmp_path / "eu.csv", out, "2026.11.5") == 4
    data = yaml.safe_load(out.read_text("utf-8"))
    assert data["version"] == "2026.11.5"
    ships = {e["id"]: e for e in data["entries"]}
    assert set(ships) == {"vessel/sea-gull", "vessel/blue-crane-7", "vessel/petrel-bay",
                          "vessel/grey-heron-3"}
    crane = ships["vessel/blue-crane-7"]
    assert (crane["name"], crane["imo"], crane["flag"]) == ("Blue Crane 7", "8660313", "PRK")
    assert crane["named_in"] == ["KPe.901"]
    un, eu = crane["listed"]
    assert un["measures"] == ["asset freeze", "port entry ban"] and str(un["since"]) == "2018-03-30"
    assert eu["basis"] == "Annex XIV.A, XIV.B"
    assert eu["measures"] == ["asset freeze", "transport restrictions"]
    gull = ships["vessel/sea-gull"]
    assert gull["aliases"] == ["Old Gull"] and gull["flag"] is None
    assert "Ocean Maritime" in gull["listed"][0]["basis"]
    petrel = ships["vessel/petrel-bay"]  # the EU's own: no UN listing; a later name and flag in the notes
    assert [x["list"] for x in petrel["listed"]] == ["eu-2017-1509"] and petrel["imo"] is None
    assert petrel["flag"] == "PRK" and petrel["aliases"] == ["East Wind", "East Wind 2"]
    heron = ships["vessel/grey-heron-3"]  # named only in a UN record, flag not stated ("DPRK tanker")
    assert heron["flag"] is None and heron["named_in"] == ["KPe.901"]
    assert heron["listed"][0]["basis"] == "named in the listing of KPe.901"

    # curated fields survive a rebuild
    text = out.read_text("utf-8").replace("name: Sea Gull\n", "name: Seagull\n  ambiguous: [Seagull]\n")
    out.write_text(text, "utf-8")
    build(tmp_path / "un.xml", tmp_path / "eu.csv", out, None)
    gull = next(e for e in yaml.safe_load(out.read_text("utf-8"))["entries"] if e["imo"] == "8606173")
    assert gull["id"] == "vessel/sea-gull" and gull["name"] == "Seagull" and "Seagull" in gull["ambiguous"]


OFAC_CSV = """\
ID,Name,Type,Country,Title,Col_F,Col_G,Col_H,Col_I,Col_J,Col_K,Details
9001,OLD GULL,vessel,DPRK,-0- ,-0- ,Cargo,-0- ,-0- ,"Korea, North",-0- ,"Vessel Registration Identification \
IMO 8606173; f.k.a. 'SEA GULL'."
9002,BLUE CRANE 7,vessel,DPRK3,-0- ,-0- ,Tanker,-0- ,-0- ,Panama,-0- ,IMO 8660313.
9003,GREY HERON 3,vessel,DPRK3,-0- ,-0- ,Tanker,-0- ,-0- ,Panama,-0- ,-0-
9004,OCEAN TERN,vessel,DPRK3,-0-,-0-,Tanker,-0-,-0-,Atlantis,-0-,Vessel Registration Identification 9191773.
9005,GULL SHIPPING CO,-0- ,DPRK3,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,Company IMO number 5999999.
"""


def _ships(path) -> dict:
    import yaml

    return {e["id"]: e for e in yaml.safe_load(path.read_text("utf-8"))["entries"]}


def _build_with_ofac(tmp_path, rows: str = EU_ROWS) -> dict:
    (tmp_path / "eu.csv").write_text(EU_HEADER + rows, "utf-8")
    (tmp_path / "un.xml").write_text(UN_XML, "utf-8")
    (tmp_path / "ofac-sdn-2023-01.csv").write_text(OFAC_CSV, "utf-8")
    out = tmp_path / "vessels.yaml"
    build(tmp_path / "un.xml", tmp_path / "eu.csv", out, None, tmp_path / "ofac-sdn-2023-01.csv")
    return _ships(out)


def test_the_generator_takes_a_flag_from_ofac_by_imo_number(tmp_path) -> None:
    ships = _build_with_ofac(tmp_path)
    gull = ships["vessel/sea-gull"]  # no "-flagged" in the UN or EU text; OFAC: "Korea, North"
    assert gull["flag"] == "PRK"
    assert gull["source"].endswith("; flag: OFAC SDN list (2023-01), entry 9001, Vess_flag")
    # by IMO number only: OFAC's GREY HERON 3 has none, so the UN-named ship keeps no flag
    assert ships["vessel/grey-heron-3"]["flag"] is None
    # a rebuild keeps the flag and cites OFAC once; without the SDN list too
    again = _build_with_ofac(tmp_path)
    assert again["vessel/sea-gull"] == gull
    build(tmp_path / "un.xml", tmp_path / "eu.csv", tmp_path / "vessels.yaml", None)
    assert _ships(tmp_path / "vessels.yaml")["vessel/sea-gull"] == gull


def test_a_flag_the_un_list_states_wins_over_ofac(tmp_path, capsys) -> None:
    crane = _build_with_ofac(tmp_path)["vessel/blue-crane-7"]  # "the DPRK-flagged tanker BLUE CRANE 7"
    assert crane["flag"] == "PRK" and "OFAC" not in crane["source"]
    # a curated flag is kept over OFAC's too, with a warning where they differ
    out = tmp_path / "vessels.yaml"
    out.write_text(out.read_text("utf-8").replace("flag: PRK\n  listed:\n  - {list: un-1718, name: Sea Gull",
                                                  "flag: RUS\n  listed:\n  - {list: un-1718, name: Sea Gull"),
                   "utf-8")
    gull = _build_with_ofac(tmp_path)["vessel/sea-gull"]
    assert gull["flag"] == "RUS"
    assert "kept the file's RUS" in capsys.readouterr().out


def test_an_ofac_flag_that_names_no_known_state_is_left_null(tmp_path, capsys) -> None:
    rows = EU_ROWS + "Vessel,XIV.B,Transportation restrictions,30.3.2018,OCEAN TERN,,,9191773,\n"
    tern = _build_with_ofac(tmp_path, rows)["vessel/ocean-tern"]
    assert tern["flag"] is None and "OFAC" not in tern["source"]
    assert "flag 'Atlantis' of OCEAN TERN is not a name of a country" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "name", "flag"), [
    ("the DPRK-flagged tanker CHON MA SAN loaded fuel", "CHON MA SAN", "DPRK"),
    ("Registered owner of CHON MYONG 1, a DPRK-flagged vessel", "CHON MYONG 1", "DPRK"),
    ("HAO FAN 2 and HAO FAN 6, St Kitts-Nevis-flagged vessels", "HAO FAN 6", "St Kitts-Nevis"),
    ("HAO FAN 2 and HAO FAN 6, St Kitts-Nevis-flagged vessels", "HAO FAN 2", "St Kitts-Nevis"),
    ("of the Panama-flagged vessel KOTI, which", "KOTI", "Panama"),
    ("Registered owner of the DPRK tanker NAM SAN 8", "NAM SAN 8", None),
    ("a Hong Kong-owned vessel, the ASIA BRIDGE 1", "ASIA BRIDGE 1", None),
])
def test_only_flagged_is_a_flag(text: str, name: str, flag: str | None) -> None:
    assert stated_flag(name, text) == flag
