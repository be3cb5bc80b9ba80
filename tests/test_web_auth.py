"""Tokens: writes need one, none configured means no writes, unknown ones get 401, reads can be
closed too, tokens never reach the logs; the dashboard's session cookie and cross-site checks."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.web.access import SESSION_COOKIE
from sanctionwatch.web.auth import Principal, Tokens
from sanctionwatch.web.settings import Settings

from .web_helpers import ALICE, BOB, SAME_ORIGIN, TOKENS, auth, client, fill, variant

REVIEW = {"action": "confirm"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    return fill(tmp_path / "auth.db", [variant(1, "2024-01-01", "un-dprk/arms", "Russia", "shells")])


def _key(c) -> str:
    return c.get("/v1/flags").json()["items"][0]["key"]


def test_writes_need_a_known_token(db: str):
    with client(db) as c:
        key = _key(c)
        missing = c.post(f"/v1/flags/{key}/reviews", json=REVIEW)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        unknown = c.post(f"/v1/flags/{key}/reviews", json=REVIEW, headers=auth("x" * 24))
        assert (unknown.status_code, unknown.json()["detail"]) == (401, "unknown token")
        basic = c.post(f"/v1/flags/{key}/reviews", json=REVIEW,
                       headers={"Authorization": "Basic YWxpY2U6eA=="})
        assert basic.status_code == 401
        assert c.post(f"/v1/flags/{key}/reviews", json=REVIEW, headers=auth(BOB)).json()["who"] == "bob"
        assert c.post("/v1/scan", json={"article": {"text": "x"}}).status_code == 401


def test_with_no_token_configured_writes_are_refused_not_open(db: str):
    with client(db, tokens=Tokens({})) as c:
        key = _key(c)
        for headers in ({}, auth()):
            refused = c.post(f"/v1/flags/{key}/reviews", json=REVIEW, headers=headers)
            assert refused.status_code == 403
            assert refused.json()["detail"].startswith("writes are disabled")
        assert c.post("/v1/scan", json={"article": {"text": "x"}}).status_code == 403
        page = c.get("/")
        assert "Read-only server" in page.text and "Sign in" not in page.text


def test_reads_can_need_a_token_too(db: str):
    with client(db, reads="token") as c:
        assert c.get("/v1/flags").status_code == 401
        assert c.get("/v1/flags", headers=auth()).status_code == 200
        assert c.get("/healthz").status_code == 200  # health stays open for load balancers
        page = c.get("/", follow_redirects=False)
        assert (page.status_code, page.headers["location"]) == (303, "/login?next=/")


def test_no_token_in_logs_or_answers(db: str, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-token-" + "q" * 20
    with client(db) as c:
        key = _key(c)
        answers = [c.post(f"/v1/flags/{key}/reviews", json=REVIEW, headers=auth(t))
                   for t in (ALICE, wrong)]
        answers.append(c.post("/login", data={"token": ALICE, "next": "/"}, headers=SAME_ORIGIN,
                              follow_redirects=False))
        answers.append(c.post("/login", data={"token": wrong}, headers=SAME_ORIGIN))
    logged = caplog.text
    assert "request method=POST" in logged  # requests are logged…
    for secret in (ALICE, wrong):
        assert secret not in logged  # …without their tokens
        for answer in answers:
            assert secret not in answer.text
            assert all(secret not in value for value in answer.headers.values())


def test_tokens_from_the_environment_and_a_file(tmp_path: Path):
    path = tmp_path / "tokens"
    path.write_text("# analysts\ncarol:carol-token-abcdefghij\n\nbare-token-0123456789abc\n")
    settings = Settings.from_env({"SANCTIONWATCH_TOKENS": "dave:dave-token-abcdefghijk",
                                  "SANCTIONWATCH_TOKENS_FILE": str(path)})
    assert settings.tokens.verify("carol-token-abcdefghij") == Principal("carol")
    assert settings.tokens.verify("dave-token-abcdefghijk") == Principal("dave")
    assert settings.tokens.verify("bare-token-0123456789abc").name.startswith("token-")
    assert settings.tokens.verify("carol-token-abcdefghi") is None  # a prefix is not the token
    assert not Settings.from_env({}).tokens


@pytest.mark.parametrize(("value", "message"), [
    ("eve:short", "token 1 (eve) is shorter than 16 characters"),
    ("a b:0123456789abcdefgh", "the name 'a b' may have letters"),
    ("x:0123456789abcdefgh,x:abcdefghij0123456789", "the name 'x' is given twice"),
])
def test_bad_token_settings_are_one_line_errors(value: str, message: str):
    with pytest.raises(SanctionwatchError, match=re.escape(message)) as caught:
        Settings.from_env({"SANCTIONWATCH_TOKENS": value})
    assert "0123456789abcdefgh" not in str(caught.value)


def test_a_missing_tokens_file_is_a_one_line_error(tmp_path: Path):
    with pytest.raises(SanctionwatchError, match="cannot read the tokens file"):
        Settings.from_env({"SANCTIONWATCH_TOKENS_FILE": str(tmp_path / "none")})


def test_sessions_are_signed_expire_and_end_with_their_token():
    cookie = TOKENS.session(Principal("alice"), now=1_000_000)
    assert TOKENS.from_session(cookie, now=1_000_100) == Principal("alice")
    assert TOKENS.from_session(cookie, now=1_000_000 + 13 * 3600) is None  # expired
    forged = TOKENS.session(Principal("bob"), now=1_000_000)
    assert TOKENS.from_session(forged.replace("Y", "Z"), now=1_000_100) is None
    assert Tokens({"alice": "another-token-abcdefgh"}).from_session(cookie, now=1_000_100) is None
    assert TOKENS.from_session("not base64 !", now=1) is None


def test_dashboard_sign_in_review_and_cross_site_refusals(db: str):
    with client(db) as c:
        key = _key(c)
        form = {"action": "confirm", "note": "checked"}
        # Not signed in: sent to the sign-in page.
        anonymous = c.post(f"/flags/{key}/review", data=form, headers=SAME_ORIGIN,
                           follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
        assert c.post("/login", data={"token": "nope" * 5}, headers=SAME_ORIGIN).status_code == 401
        signed = c.post("/login", data={"token": ALICE, "next": f"/flags/{key}"}, headers=SAME_ORIGIN,
                        follow_redirects=False)
        assert (signed.status_code, signed.headers["location"]) == (303, f"/flags/{key}")
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and SESSION_COOKIE in cookie
        # Cross-site posts are refused even with the session cookie.
        for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"},
                        {"Origin": "null"}, {}):
            refused = c.post(f"/flags/{key}/review", data=form, headers=headers, follow_redirects=False)
            assert refused.status_code == 403, headers
        for headers in (SAME_ORIGIN, {"Origin": "http://testserver"},
                        {"Referer": f"http://testserver/flags/{key}"}):
            done = c.post(f"/flags/{key}/review", data=form, headers=headers, follow_redirects=False)
            assert done.status_code == 303, headers
        history = c.get(f"/v1/flags/{key}").json()["history"]
        assert [(h["who"], h["action"], h["note"]) for h in history] == [("alice", "confirm", "checked")] * 3
        # Sign-in never sends the browser off the site.
        away = c.post("/login", data={"token": ALICE, "next": "//evil.example/"}, headers=SAME_ORIGIN,
                      follow_redirects=False)
        assert away.headers["location"] == "/"
        out = c.post("/logout", headers=SAME_ORIGIN, follow_redirects=False)
        assert out.status_code == 303 and f'{SESSION_COOKIE}=""' in out.headers["set-cookie"]
