"""Schemathesis against /openapi.json, served on 127.0.0.1 (real analyzer, a small list index):
generated requests for every operation, with and without a token; no 500, every status and
body as documented. Bounded: a few dozen cases per operation.

URLs given to POST /v1/scan are resolved by a resolver that knows no name (there is no DNS
here, and the test must not reach outside): they end in 422 (refused) or 502 (not fetched).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sanctionwatch.net import Fetcher, FetchError
from sanctionwatch.screening import Screener
from sanctionwatch.screening.index import build_index
from sanctionwatch.screening.un_xml import read_un_xml
from sanctionwatch.web.app import create_app
from sanctionwatch.web.settings import Settings

from .screening_data import un_xml
from .web_helpers import TOKENS, LiveServer, auth, fill, variant


def no_dns(host: str, port: int):
    raise FetchError(f"cannot resolve {host}: no DNS in this test")


@pytest.fixture(scope="module")
def api(analyzer, tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    db = fill(root / "fuzz.db", [variant(1, "2024-01-01", "un-dprk/arms", "Russia", "shells"),
                                 variant(2, None, "un-dprk/luxury-goods", "China", "a yacht")])
    build_index([read_un_xml(un_xml(root / "un.xml"))], root / "index.sqlite")
    app = create_app(Settings(db=db, tokens=TOKENS, max_chars=20_000),
                     analyzer=lambda: analyzer,
                     screener=lambda: Screener.open(root / "index.sqlite"),
                     fetcher=Fetcher(resolver=no_dns))
    with LiveServer(app) as server:
        yield server


# The document the app serves at /openapi.json (checked to be the same below), read when the
# tests are collected: schemathesis makes one test per operation from it.
SPEC = create_app(Settings()).openapi()
schema = schemathesis.openapi.from_dict(SPEC)


def test_the_served_document_is_the_one_tested(api):
    import httpx

    assert httpx.get(api.url("/openapi.json")).json() == SPEC


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_answers_as_documented(case, api):
    for headers in (auth(), {}):
        response = case.call(base_url=api.url(""), headers=headers)
        assert response.status_code != 500, (case.method, case.path, response.text[:300])
        case.validate_response(response, checks=[status_code_conformance, content_type_conformance,
                                                  response_schema_conformance])
