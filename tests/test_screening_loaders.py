"""The list loaders: every record of the real formats arrives as a FollowTheMoney entity."""

from __future__ import annotations

import csv
import re

import pytest

from sanctionwatch.screening.ftm_json import read_ftm_json
from sanctionwatch.screening.ofac_csv import read_ofac_csv
from sanctionwatch.screening.records import ListFormatError
from sanctionwatch.screening.un_xml import read_un_xml, vessel_names
from tests.screening_data import ftm_json, ofac_dir, un_xml


def by_id(read):
    return {e.id: e for e in read}


def test_un_xml_people_entities_aliases_dates_and_regimes(tmp_path):
    read = read_un_xml(un_xml(tmp_path / "un.xml"))
    found = by_id(read)
    assert read.generated == "2025-01-31"
    assert read.counts["individuals"] == 3 and read.counts["entities"] == 2
    assert read.counts["un-1718 individuals"] == 3 and read.counts["un-1267 entities"] == 1
    paek = found["un-KPi.901"]
    assert paek.schema.name == "Person"
    assert paek.get("name") == ["PAEK SONG RIM"]
    assert paek.get("alias") == ["Paek Song-rim"] and paek.get("weakAlias") == ["Song Rim"]
    assert paek.get("birthDate") == ["1961", "1962", "1963"]
    assert paek.get("nationality") == ["kp"]
    assert paek.get("programId") == ["un-1718"]
    assert found["un-KPi.903"].get("previousName") == ["Thak Chol-hwan"]
    assert found["un-QDe.901"].get("programId") == ["un-1267"]
    sanction = found["un-KPi.901-sanction"]
    assert sanction.get("authorityId") == ["KPi.901"] and sanction.get("listingDate") == ["2017-06-02"]


def test_un_entity_names_its_acronym_imo_number_and_vessels(tmp_path):
    found = by_id(read_un_xml(un_xml(tmp_path / "un.xml")))
    company = found["un-KPe.901"]
    assert company.get("name") == ["HWANGMAE SEA TRANSPORT COMPANY"]
    assert set(company.get("alias")) == {"HSTC", "Hwangmae Shipping Co. Ltd"}
    assert company.get("imoNumber") == ["IMO5991230"]
    vessels = [e for e in found.values() if e.schema.name == "Vessel"]
    assert [v.get("name") for v in vessels] == [["PUKSONG 7"]]
    assert vessels[0].get("owner") == ["un-KPe.901"]
    assert found[f"{vessels[0].id}-sanction"].get("authorityId") == ["KPe.901"]


def test_vessel_names_in_listing_comments():
    text = ("Registered owner of the DPRK tankers SAM JONG 1 and SAM JONG 2. The company also owns "
            "vessels JI SONG 8, WOORY STAR and HAN SONG. Through its vessel, the Chong Chon Gang, "
            "it shipped arms.")
    assert vessel_names(text) == ["SAM JONG 1", "SAM JONG 2", "JI SONG 8", "WOORY STAR", "HAN SONG",
                                  "Chong Chon Gang"]


@pytest.mark.parametrize("content, message", [
    ("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>", "not well-formed"),
    ("<html><body>maintenance</body></html>", "not a UN Consolidated List"),
    ('<CONSOLIDATED_LIST dateGenerated="2025-01-01"></CONSOLIDATED_LIST>', "no individuals or entities"),
])
def test_un_xml_rejects_what_is_not_the_list(tmp_path, content, message):
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message):
        list(read_un_xml(path))


@pytest.mark.parametrize("cp1252", [False, True])
def test_ofac_trio_joined_by_ent_num(tmp_path, cp1252):
    d = ofac_dir(tmp_path / "ofac", cp1252=cp1252)
    read = read_ofac_csv(d / "sdn.csv", d / "alt.csv", d / "add.csv")
    found = by_id(read)
    assert read.counts == {"sdn.csv entries": 4, "alt.csv aliases": 3, "add.csv addresses": 1}
    kim = found["ofac-20157"]
    assert kim.schema.name == "Person" and kim.get("alias") == ["KIM, Jong-un"]
    assert kim.get("birthDate") == ["1984-01-08"] and kim.get("nationality") == ["kp"]
    heron = found["ofac-90001"]
    assert heron.schema.name == "Organization"
    assert heron.get("programId") == ["DPRK2", "SDGT"]
    assert heron.get("previousName") == ["HERON LINE LLC"] and heron.get("country") == ["cn"]
    vessel = found["ofac-90002"]
    assert vessel.schema.name == "Vessel" and vessel.get("imoNumber") == ["IMO8912340"]
    assert vessel.get("flag") == ["kp"]
    assert found["ofac-90003"].get("birthDate") == ["1970", "1971", "1972"]
    assert read.list_id(kim) == "us-ofac-sdn"


def test_ofac_without_alt_takes_aliases_from_remarks_and_skips_a_header(tmp_path):
    d = ofac_dir(tmp_path / "ofac")
    single = tmp_path / "sdn-with-header.csv"
    single.write_text("ent_num,name,type,program,title,a,b,c,d,e,f,remarks\n" + (d / "sdn.csv").read_text(),
                      encoding="utf-8")
    found = by_id(read_ofac_csv(single))
    assert found["ofac-90001"].get("alias") == ["BLUE HERON SHIPPING"]
    assert len([e for e in found.values() if e.schema.name != "Sanction"]) == 4


def test_ofac_reports_aliases_of_unknown_entries_and_rejects_other_files(tmp_path):
    d = ofac_dir(tmp_path / "ofac")
    (d / "alt.csv").write_text('77777,1,"aka","NOBODY",-0- \n', encoding="utf-8")
    read = read_ofac_csv(d / "sdn.csv", d / "alt.csv")
    list(read)
    assert read.problems == ["1 aliases in alt.csv belong to no entry of sdn.csv"]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,country\nsomeone,somewhere\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="not an OFAC CSV file"):
        list(read_ofac_csv(bad))


def test_ftm_json_keeps_screened_entities_and_sanctions(tmp_path):
    read = read_ftm_json(ftm_json(tmp_path / "entities.ftm.json"), "eu_fsf")
    found = by_id(read)
    assert set(found) == {"os-person-1", "os-sanction-1", "os-vessel-1"}
    assert read.counts["other entities (not screened)"] == 1
    assert read.list_id(found["os-person-1"]) == "opensanctions:eu_fsf"
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x", "schema": "Person", "properties": {}}\n{not json\n', encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"broken.json:2: not a FollowTheMoney entity"):
        list(read_ftm_json(broken, "x"))


def test_real_un_list_loads_every_record(shared):
    path = shared / "lists" / "un-consolidated-2026-02-27.xml"
    text = path.read_text(encoding="utf-8")
    read = read_un_xml(path)
    people = [e for e in read if e.schema.name == "Person"]
    assert read.counts["individuals"] == text.count("<INDIVIDUAL>") == len(people)
    assert read.counts["entities"] == text.count("<ENTITY>")
    assert read.counts["aliases"] == len(re.findall(r"<ALIAS_NAME>[^<]", text))
    assert read.counts["un-1718 individuals"] == 80 and read.counts["un-1718 entities"] == 75
    assert read.generated == "2026-02-27"


def test_real_ofac_files_load_every_record(shared):
    d = shared / "lists" / "ofac-2021-07"

    def records(name):
        with (d / name).open(encoding="utf-8") as handle:
            return sum(1 for row in csv.reader(handle) if row and row[0].strip().isdigit())

    read = read_ofac_csv(d / "sdn.csv", d / "alt.csv", d / "add.csv")
    entities = [e for e in read if e.schema.name != "Sanction"]
    assert read.counts["sdn.csv entries"] == records("sdn.csv") == len(entities)
    assert read.counts["alt.csv aliases"] == records("alt.csv")
    assert read.counts["add.csv addresses"] == records("add.csv")
    assert not read.problems
