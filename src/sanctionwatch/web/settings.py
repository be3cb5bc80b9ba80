"""The service's settings: built once per worker from the environment (`serve` sets it from its
options), or passed to `create_app` directly (tests). Never patched at run time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

from ..errors import SanctionwatchError
from ..net import Allowance, FetchPolicy
from .auth import Tokens

READS_ENV = "SANCTIONWATCH_READS"
MAX_BODY_ENV = "SANCTIONWATCH_MAX_BODY"
MAX_CHARS_ENV = "SANCTIONWATCH_MAX_CHARS"
FETCH_ALLOW_ENV = "SANCTIONWATCH_FETCH_ALLOW"
DEFAULT_MAX_BODY = 2 * 1024 * 1024
DEFAULT_MAX_CHARS = 1_000_000

Reads = Literal["open", "token"]


@dataclass(frozen=True)
class Settings:
    db: str | None = None  # a SQLAlchemy URL or SQLite path (store.database_url)
    tokens: Tokens = field(default_factory=lambda: Tokens({}))
    reads: Reads = "open"  # "token": reading needs a token too
    max_body: int = DEFAULT_MAX_BODY  # bytes of a request body; over it: 413
    max_chars: int = DEFAULT_MAX_CHARS  # characters of an article to scan; over it: 413
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    queue: int = 8  # scans waiting for the analysis thread before new ones get 503

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        reads = env.get(READS_ENV, "open")
        if reads not in ("open", "token"):
            raise SanctionwatchError(f"{READS_ENV} must be 'open' or 'token', not {reads!r}")
        try:
            allow = tuple(Allowance.parse(a) for a in env.get(FETCH_ALLOW_ENV, "").split(",")
                          if a.strip())
        except ValueError as exc:
            raise SanctionwatchError(f"{FETCH_ALLOW_ENV}: {exc}") from None
        return cls(db=env.get("SANCTIONWATCH_DB"), tokens=Tokens.from_env(env), reads=reads,  # type: ignore[arg-type]
                   max_body=_int(env, MAX_BODY_ENV, DEFAULT_MAX_BODY),
                   max_chars=_int(env, MAX_CHARS_ENV, DEFAULT_MAX_CHARS),
                   fetch=FetchPolicy(allow=allow, max_bytes=_int(env, MAX_BODY_ENV, DEFAULT_MAX_BODY)
                                     * 4))


def _int(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise SanctionwatchError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)
