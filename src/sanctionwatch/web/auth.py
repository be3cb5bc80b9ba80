"""Who may write: bearer tokens the operator configures, and the dashboard's signed session.

Tokens come from `SANCTIONWATCH_TOKENS` (comma-separated) or the file `SANCTIONWATCH_TOKENS_FILE`
names (one a line, `#` comments), each `name:token` or a bare token. The name is who the audit
trail records; a bare token is recorded by a fingerprint of itself (`token-1a2b3c4d`). Tokens are
compared in constant time (digests of equal length, every token compared). With no token
configured, writes are refused. Tokens never appear in logs or messages.

The dashboard's session cookie holds the name and an expiry signed with that person's token
(HMAC-SHA256): it needs no server-side state, works across worker processes, and dies with the
token when the operator removes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import SanctionwatchError

TOKENS_ENV = "SANCTIONWATCH_TOKENS"
TOKENS_FILE_ENV = "SANCTIONWATCH_TOKENS_FILE"
MIN_TOKEN_LENGTH = 16
SESSION_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Principal:
    """Who a request acts for."""

    name: str


class Tokens:
    def __init__(self, entries: dict[str, str]) -> None:
        self._by_name = dict(entries)  # name -> token
        self._digests = [(name, _digest(token)) for name, token in self._by_name.items()]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Tokens:
        environ = dict(os.environ if environ is None else environ)
        lines: list[str] = []
        if environ.get(TOKENS_ENV):
            lines += environ[TOKENS_ENV].split(",")
        if environ.get(TOKENS_FILE_ENV):
            path = Path(environ[TOKENS_FILE_ENV])
            try:
                lines += path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise SanctionwatchError(f"cannot read the tokens file {path}: "
                                         f"{exc.strerror or exc}") from None
        return cls.parse(lines)

    @classmethod
    def parse(cls, lines: list[str]) -> Tokens:
        entries: dict[str, str] = {}
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, token = line.partition(":")
            if not sep:
                name, token = f"token-{hashlib.sha256(line.encode()).hexdigest()[:8]}", line
            name, token = name.strip(), token.strip()
            if len(token) < MIN_TOKEN_LENGTH:
                raise SanctionwatchError(f"token {number} ({name}) is shorter than "
                                         f"{MIN_TOKEN_LENGTH} characters")
            if not name.replace("-", "").replace("_", "").replace(".", "").replace("@", "").isalnum():
                raise SanctionwatchError(f"token {number}: the name {name!r} may have letters, "
                                         "digits and - _ . @ only")
            if name in entries:
                raise SanctionwatchError(f"token {number}: the name {name!r} is given twice")
            entries[name] = token
        return cls(entries)

    def __bool__(self) -> bool:
        return bool(self._by_name)

    def verify(self, presented: str) -> Principal | None:
        """Whose token this is, comparing with every configured token in constant time."""
        digest = _digest(presented)
        found = None
        for name, expected in self._digests:
            if hmac.compare_digest(digest, expected):
                found = name
        return Principal(found) if found else None

    def session(self, principal: Principal, now: float | None = None) -> str:
        """A cookie value: name, expiry, and their HMAC under the person's token."""
        expires = int((now or time.time()) + SESSION_SECONDS)
        payload = f"{principal.name}|{expires}"
        signature = self._sign(principal.name, payload)
        return base64.urlsafe_b64encode(f"{payload}|{signature}".encode()).decode()

    def from_session(self, cookie: str, now: float | None = None) -> Principal | None:
        try:
            name, expires, signature = base64.urlsafe_b64decode(cookie.encode()).decode().split("|")
        except (ValueError, UnicodeDecodeError):
            return None
        if name not in self._by_name or not expires.isdigit():
            return None
        expected = self._sign(name, f"{name}|{expires}")
        if not hmac.compare_digest(signature, expected) or int(expires) < (now or time.time()):
            return None
        return Principal(name)

    def _sign(self, name: str, payload: str) -> str:
        key = hashlib.sha256(b"sanctionwatch-session\x00" + self._by_name[name].encode()).digest()
        return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
