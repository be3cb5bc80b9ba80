"""Fetching a URL with limits: schemes, addresses (also after DNS and at every redirect), size,
time. Used for URLs the service is asked to read and for the feeds the monitor polls.

Every host name is resolved here, each address it resolves to is checked (`addresses.refusal`),
and the connection goes to the address that was checked, the name kept for the Host header and
for TLS (SNI and the certificate check): a second look-up an attacker's DNS could answer with
another address (DNS rebinding) never happens. Redirects are followed one at a time and each
new URL is checked the same way. Proxies from the environment are not used.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from .. import __version__
from ..errors import SanctionwatchError
from .addresses import METADATA_HOSTS, Allowance, IPAddress, refusal

Resolver = Callable[[str, int], list[IPAddress]]
SCHEMES = ("http", "https")
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = f"sanctionwatch/{__version__}"


class FetchError(SanctionwatchError):
    """The URL could not be read (network, HTTP status, time-out)."""


class FetchRefused(FetchError):
    """The URL may not be read: scheme, address, size."""


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int = 5 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    deadline: float = 30.0  # for the whole fetch, redirects included
    max_redirects: int = 5
    # Addresses the operator allows although they are not public (see addresses.Allowance).
    allow: tuple[Allowance, ...] = ()
    # Reach any address: for sources the operator configured (the monitor), not for user input.
    any_address: bool = False


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when a conditional request found the resource unchanged
    content: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip('"').strip()
        return None


def system_resolver(host: str, port: int) -> list[IPAddress]:
    import ipaddress

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


class Fetcher:
    def __init__(self, policy: FetchPolicy | None = None, resolver: Resolver = system_resolver,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.resolver = resolver
        timeout = httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout)
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                                   transport=transport, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        """The resource at the URL; 304 (not modified) is returned, not raised; other statuses
        outside 2xx raise FetchError; refusals raise FetchRefused."""
        started = time.monotonic()
        current = self._parse(url)
        for _ in range(self.policy.max_redirects + 1):
            response = self._send(current, headers or {}, started)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECTS and location:
                    current = self._parse(str(current.join(location)))
                    continue
                if response.status_code == 304:
                    return Fetched(str(current), 304, b"", dict(response.headers))
                if not response.is_success:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase} "
                                     f"from {_shown(current)}")
                body = self._body(response, current, started)
                return Fetched(str(current), response.status_code, body, dict(response.headers))
            finally:
                response.close()
        raise FetchRefused(f"more than {self.policy.max_redirects} redirects from {_shown(url)}")

    def _parse(self, url: str) -> httpx.URL:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise FetchRefused(f"not a URL: {exc}") from None
        if parsed.scheme not in SCHEMES:
            raise FetchRefused(f"only http and https URLs are read, not {parsed.scheme or 'this'}:"
                               f" {_shown(url)}")
        if not parsed.host:
            raise FetchRefused(f"no host in the URL {_shown(url)}")
        if parsed.userinfo:
            raise FetchRefused("URLs with a user name or password are not read")
        return parsed

    def _address(self, url: httpx.URL) -> IPAddress:
        """The address to connect to: every address the host resolves to must be allowed."""
        host, port = url.host, url.port or (443 if url.scheme == "https" else 80)
        if not self.policy.any_address and host.lower().rstrip(".") in METADATA_HOSTS:
            raise FetchRefused(f"{host} is a cloud metadata host")
        addresses = self.resolver(host, port)
        if not addresses:
            raise FetchError(f"cannot resolve {host}")
        if self.policy.any_address:
            return addresses[0]
        for address in addresses:
            if any(a.admits(address, port) for a in self.policy.allow):
                continue
            why = refusal(address)
            if why:
                raise FetchRefused(f"{host} is {why} ({address}): not fetched")
        return addresses[0]

    def _send(self, url: httpx.URL, headers: Mapping[str, str], started: float) -> httpx.Response:
        address = self._address(url)
        self._check_deadline(started, url)
        target = url.copy_with(host=str(address))
        host_header = url.host if url.port is None else f"{url.host}:{url.port}"
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        request = self.client.build_request("GET", target, headers={**headers, "Host": host_header},
                                            extensions=extensions)
        try:
            return self.client.send(request, stream=True)
        except httpx.ConnectTimeout:
            raise FetchError(f"timed out connecting to {url.host}") from None
        except httpx.ReadTimeout:
            raise FetchError(f"timed out waiting for {url.host}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch {_shown(url)}: {type(exc).__name__}: {exc}") from None

    def _body(self, response: httpx.Response, url: httpx.URL, started: float) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchRefused(f"{_shown(url)} is {int(declared):,} bytes, over the limit of "
                               f"{limit:,}")
        chunks, size = [], 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchRefused(f"{_shown(url)} is over the limit of {limit:,} bytes")
                chunks.append(chunk)
                self._check_deadline(started, url)
        except httpx.ReadTimeout:
            raise FetchError(f"timed out reading {_shown(url)}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot read {_shown(url)}: {type(exc).__name__}") from None
        return b"".join(chunks)

    def _check_deadline(self, started: float, url: httpx.URL) -> None:
        if time.monotonic() - started > self.policy.deadline:
            raise FetchError(f"reading {_shown(url)} took over {self.policy.deadline:g} s")


def _shown(url: object) -> str:
    """A URL for a message: bounded, without control characters."""
    text = "".join(c if c.isprintable() else "?" for c in str(url))
    return text if len(text) <= 200 else text[:199] + "…"
