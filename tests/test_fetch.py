"""Fetching URLs someone else gave: every refusal (scheme, address before and after DNS and at
each redirect, size, time), and that an allowed fetch connects to the address it checked.

How the tests reach a local server while the refusal logic still runs: the operator's
allowance (`FetchPolicy.allow`, `SANCTIONWATCH_FETCH_ALLOW` in production) admits exactly one
address and port, 127.0.0.1:<the test server's port>; every other loopback address and port is
refused as in production. Host names are resolved by a resolver the test passes in (a dict), so
"news.test" can stand for 127.0.0.1 or for a private address without a DNS server; the real
system resolver is exercised with "localhost".
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator

import pytest

from sanctionwatch.net import Allowance, Fetcher, FetchError, FetchPolicy, FetchRefused
from sanctionwatch.net.fetch import system_resolver

from .web_helpers import Answer, LocalServer, auth, client

PAGE = (b"<html><head><title>Port notes</title></head><body><article><p>"
        + b"The harbour master said two cranes were repaired this week. " * 12
        + b"</p></article></body></html>")


def resolver(names: dict[str, list[str]]):
    calls: list[str] = []

    def resolve(host: str, port: int):
        calls.append(host)
        if host in names:
            return [ipaddress.ip_address(a) for a in names[host]]
        return system_resolver(host, port)
    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer({"/page": lambda _: Answer(200, PAGE, {"Content-Type": "text/html"})}) as s:
        yield s


def allowed(server: LocalServer, **policy) -> FetchPolicy:
    return FetchPolicy(allow=(Allowance.parse(f"127.0.0.1:{server.port}"),), **policy)


@pytest.mark.parametrize(("url", "why"), [
    ("file:///etc/passwd", "only http and https URLs are read, not file"),
    ("ftp://ftp.example.org/x", "only http and https URLs are read, not ftp"),
    ("gopher://example.org/", "only http and https URLs are read, not gopher"),
    ("javascript:alert(1)", "only http and https URLs are read"),
    ("data:text/html,<p>x</p>", "only http and https URLs are read"),
    ("http://user:pw@news.example/", "URLs with a user name or password are not read"),
    ("http://127.0.0.1/", "a loopback address"),
    ("http://[::1]/", "a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "a loopback address"),
    ("http://2130706433/", "a loopback address"),  # 127.0.0.1 as one decimal number
    ("http://0.0.0.0/", "the unspecified address"),
    ("http://10.1.2.3/", "a private address"),
    ("http://192.168.0.10:8080/", "a private address"),
    ("http://[fd12::1]/", "a private address"),
    ("http://100.64.0.1/", "not a public address"),  # carrier-grade NAT
    ("http://169.254.10.10/", "a link-local address"),
    ("http://[fe80::1]/", "a link-local address"),
    ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
    ("http://[fd00:ec2::254]/", "a cloud metadata address"),
    ("http://metadata.google.internal/computeMetadata/v1/", "a cloud metadata host"),
    ("http://224.0.0.1/", "a multicast address"),
])
def test_refused_before_any_connection(url: str, why: str):
    fetcher = Fetcher(resolver=resolver({}))
    with pytest.raises(FetchRefused, match=why):
        fetcher.get(url)


def test_names_are_checked_after_resolution(server: LocalServer):
    # The real resolver: localhost is loopback.
    with pytest.raises(FetchRefused, match="localhost is a loopback address"):
        Fetcher().get(f"http://localhost:{server.port}/page")
    # A public-looking name whose DNS answers a private address, or a mix of public and private.
    names = {"intranet.example": ["10.0.0.7"], "mixed.example": ["93.184.215.14", "192.168.1.1"],
             "meta.example": ["169.254.169.254"]}
    fetcher = Fetcher(resolver=resolver(names))
    for host, why in [("intranet.example", "a private address"), ("mixed.example", "a private address"),
                      ("meta.example", "a cloud metadata address")]:
        with pytest.raises(FetchRefused, match=why):
            fetcher.get(f"http://{host}/")
    assert server.seen == []


def test_the_connection_goes_to_the_checked_address_with_the_name_kept(server: LocalServer):
    resolve = resolver({"news.test": ["127.0.0.1"]})
    fetched = Fetcher(allowed(server), resolver=resolve).get(f"http://news.test:{server.port}/page")
    assert (fetched.status, fetched.content) == (200, PAGE)
    assert resolve.calls == ["news.test"]  # resolved once; no second look-up to rebind
    assert server.seen[0].headers["host"] == f"news.test:{server.port}"


def test_the_allowance_admits_one_port_only(server: LocalServer):
    with LocalServer({"/": lambda _: Answer(200, b"secret")}) as other:
        fetcher = Fetcher(allowed(server))
        with pytest.raises(FetchRefused, match="a loopback address"):
            fetcher.get(other.url("/"))
        assert other.seen == []


def test_redirects_are_checked_at_every_step(server: LocalServer):
    with LocalServer({"/admin": lambda _: Answer(200, b"internal")}) as internal:
        server.routes["/to-internal"] = lambda _: Answer(302, b"", {"Location": internal.url("/admin")})
        server.routes["/to-metadata"] = lambda _: Answer(
            301, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
        server.routes["/to-file"] = lambda _: Answer(302, b"", {"Location": "file:///etc/passwd"})
        server.routes["/to-page"] = lambda _: Answer(307, b"", {"Location": "/page"})
        server.routes["/loop"] = lambda _: Answer(302, b"", {"Location": "/loop"})
        fetcher = Fetcher(allowed(server))
        with pytest.raises(FetchRefused, match="a loopback address"):
            fetcher.get(server.url("/to-internal"))
        assert internal.seen == []  # never contacted
        with pytest.raises(FetchRefused, match="a cloud metadata address"):
            fetcher.get(server.url("/to-metadata"))
        with pytest.raises(FetchRefused, match="only http and https"):
            fetcher.get(server.url("/to-file"))
        with pytest.raises(FetchRefused, match="more than 5 redirects"):
            fetcher.get(server.url("/loop"))
        assert fetcher.get(server.url("/to-page")).content == PAGE


def test_bodies_over_the_size_limit(server: LocalServer):
    server.routes["/big"] = lambda _: Answer(200, b"x" * 5000)
    # Declared length over the limit: refused before the body is read.
    with pytest.raises(FetchRefused, match="5,000 bytes, over the limit of 1,000"):
        Fetcher(allowed(server, max_bytes=1000)).get(server.url("/big"))

    # No declared length (chunked): counted as it arrives.
    def chunked(_):
        return Answer(200, b"5dc\r\n" + b"y" * 1500 + b"\r\n0\r\n\r\n",
                      {"Transfer-Encoding": "chunked", "Content-Length": None})
    server.routes["/chunked"] = chunked
    with pytest.raises(FetchRefused, match="over the limit of 1,000 bytes"):
        Fetcher(allowed(server, max_bytes=1000)).get(server.url("/chunked"))


def test_a_server_that_never_answers_times_out(server: LocalServer):
    server.routes["/hang"] = lambda _: Answer(200, b"late", hang=3)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out waiting for 127.0.0.1"):
        Fetcher(allowed(server, read_timeout=0.5)).get(server.url("/hang"))
    assert time.monotonic() - started < 2.5


def test_a_slow_trickle_hits_the_deadline(server: LocalServer):
    server.routes["/drip"] = lambda _: Answer(200, b"z" * 40, drip=0.1)
    with pytest.raises(FetchError, match="took over 1 s"):
        Fetcher(allowed(server, read_timeout=2, deadline=1)).get(server.url("/drip"))


def test_a_connection_that_is_never_accepted_times_out():
    # A listening socket whose backlog is full: further connection attempts get no answer.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(8):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            fillers.append(s)
        policy = FetchPolicy(allow=(Allowance.parse(f"127.0.0.1:{port}"),), connect_timeout=0.5,
                             read_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out"):
            Fetcher(policy).get(f"http://127.0.0.1:{port}/")
        assert time.monotonic() - started < 3
    finally:
        for s in fillers:
            s.close()
        listener.close()


def test_scan_by_url_through_the_service(tmp_path, server: LocalServer, analyzer):
    fetcher = Fetcher(allowed(server))
    with client(str(tmp_path / "u.db"), analyzer=lambda: analyzer, fetcher=fetcher) as c:
        done = c.post("/v1/scan", headers=auth(), json={"url": server.url("/page")})
        assert done.status_code == 200, done.text
        assert done.json()["article"]["title"] == "Port notes"
        refused = c.post("/v1/scan", headers=auth(), json={"url": "http://169.254.169.254/"})
        assert refused.status_code == 422
        assert "cloud metadata address" in refused.json()["detail"]
        server.routes["/missing"] = lambda _: Answer(404, b"gone")
        failed = c.post("/v1/scan", headers=auth(), json={"url": server.url("/missing")})
        assert failed.status_code == 502 and "HTTP 404" in failed.json()["detail"]
        server.routes["/image"] = lambda _: Answer(200, b"\x89PNG", {"Content-Type": "image/png"})
        image = c.post("/v1/scan", headers=auth(), json={"url": server.url("/image")})
        assert image.status_code == 422 and "not a page or text document" in image.json()["detail"]
