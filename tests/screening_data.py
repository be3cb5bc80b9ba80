"""Small sanctions-list files in the official formats, written by the tests themselves.

The records are made up for the tests (apart from a few public designations, such as OFAC's
entry for Kim Jong Un), and are laid out as the UN, OFAC and OpenSanctions publish their files.
"""

from __future__ import annotations

import json
from pathlib import Path

UN_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<CONSOLIDATED_LIST dateGenerated="{date}T00:00:00.000Z">\n')


def _individual(ref: str, first: str, second: str, listed: str, extra: str = "") -> str:
    return f"""<INDIVIDUAL><DATAID>{ref[-3:]}</DATAID><FIRST_NAME>{first}</FIRST_NAME>
<SECOND_NAME>{second}</SECOND_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>{ref}</REFERENCE_NUMBER>
<LISTED_ON>{listed}</LISTED_ON>{extra}</INDIVIDUAL>\n"""


def _entity(ref: str, name: str, listed: str, extra: str = "") -> str:
    return f"""<ENTITY><DATAID>{ref[-3:]}</DATAID><FIRST_NAME>{name}</FIRST_NAME>
<REFERENCE_NUMBER>{ref}</REFERENCE_NUMBER><LISTED_ON>{listed}</LISTED_ON>{extra}</ENTITY>\n"""


def un_xml(path: Path, date: str = "2025-01-31", with_new: bool = False) -> Path:
    """Three DPRK individuals, a DPRK shipping company naming its tanker, an ISIL entity."""
    individuals = [
        _individual("KPi.901", "PAEK", "SONG RIM", "2017-06-02", """
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Paek Song-rim</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Song Rim</ALIAS_NAME></INDIVIDUAL_ALIAS>
<NATIONALITY><VALUE>Democratic People's Republic of Korea</VALUE></NATIONALITY>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1961</FROM_YEAR>
<TO_YEAR>1963</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"""),
        _individual("KPi.902", "KIM", "YO JONG", "2017-06-02", """
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1987-09-26</DATE></INDIVIDUAL_DATE_OF_BIRTH>"""),
        _individual("KPi.903", "TAK", "CHOL HWAN", "2016-11-30", """
<INDIVIDUAL_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Thak Chol-hwan</ALIAS_NAME></INDIVIDUAL_ALIAS>"""),
    ]
    entities = [
        _entity("KPe.901", "HWANGMAE SEA TRANSPORT COMPANY (HSTC)", "2018-03-30", """
<COMMENTS1>Registered owner of the DPRK tanker PUKSONG 7, which took on fuel from a foreign tanker
at sea. IMO number: 5991230.</COMMENTS1>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Hwangmae Shipping Co. Ltd</ALIAS_NAME></ENTITY_ALIAS>
<ENTITY_ADDRESS><CITY>Nampho</CITY>
<COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS>"""),
        _entity("QDe.901", "DESERT LANTERN BRIGADE", "2015-05-01"),
    ]
    if with_new:
        individuals = individuals[:2]  # KPi.903 delisted
        entities.append(_entity("KPe.902", "SAMHAE TRADING CORPORATION", "2025-01-15"))
    body = ("<INDIVIDUALS>\n" + "".join(individuals) + "</INDIVIDUALS>\n<ENTITIES>\n" + "".join(entities)
            + "</ENTITIES>\n</CONSOLIDATED_LIST>\n")
    path.write_text(UN_HEAD.format(date=date) + body, encoding="utf-8")
    return path


SDN_ROWS = [
    '20157,"KIM, Jong Un","individual","DPRK3","Chairman of the Workers\' Party of Korea",-0- ,-0- ,-0- ,'
    '-0- ,-0- ,-0- ,"DOB 08 Jan 1984; nationality Korea, North."',
    '90001,"BLUE HERON MARITIME LIMITED",-0- ,"DPRK2] [SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"a.k.a. \'BLUE HERON SHIPPING\'."',
    '90002,"PUKSONG 7","vessel","DPRK3",-0- ,"HMZK7","Oil Tanker","2000","1500","Korea, North",'
    '"Hwangmae Sea Transport Company","Vessel Registration Identification IMO 8912340."',
    '90003,"ORLOV, Pyotr Sergeyevich","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 1970 to 1972; nationality Russia."',
]
ALT_ROWS = ['20157,9001,"aka","KIM, Jong-un",-0- ', '90001,9002,"fka","HERON LINE LLC",-0- ',
            '90003,9003,"aka","ORLOV, Petr",-0- ']
ADD_ROWS = ['90001,8001,"12 Harbour Road","Hong Kong","China",-0- ']


def ofac_dir(path: Path, cp1252: bool = False) -> Path:
    """OFAC's legacy trio as OFAC publishes it: no header, CRLF, a DOS end-of-file mark."""
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in (("sdn.csv", SDN_ROWS), ("alt.csv", ALT_ROWS), ("add.csv", ADD_ROWS)):
        text = "\r\n".join(rows) + "\r\n\x1a"
        (path / name).write_bytes(text.encode("cp1252" if cp1252 else "utf-8"))
    return path


def ftm_json(path: Path) -> Path:
    rows = [
        {"id": "os-person-1", "schema": "Person",
         "properties": {"name": ["Ivan Petrovich Sidorenko"], "alias": ["Иван Петрович Сидоренко"],
                        "birthDate": ["1965-04-02"], "nationality": ["ru"]}},
        {"id": "os-sanction-1", "schema": "Sanction",
         "properties": {"entity": ["os-person-1"], "authorityId": ["EU.1234.56"], "program": ["EU Russia"],
                        "listingDate": ["2022-03-15"]}},
        {"id": "os-vessel-1", "schema": "Vessel",
         "properties": {"name": ["NORTHERN STAR"], "imoNumber": ["9123453"], "flag": ["kp"]}},
        {"id": "os-address-1", "schema": "Address", "properties": {"full": ["1 Example Street"]}},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path
