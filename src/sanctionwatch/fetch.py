"""HTTP(S) transfers with bounds: a size cap, a deadline for the whole transfer, the SHA-256
computed while the bytes stream, and no partial file left behind.

httpx's timeouts bound each read, not the transfer: a server that sends a byte every few
seconds never trips them. Here the transfer stops at its deadline (checked at every chunk; a
read waits at most the read timeout, itself no longer than the deadline), and at its size cap
(the bytes after decoding, so a gzip bomb stops there too).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from . import __version__
from .errors import SanctionwatchError


@dataclass(frozen=True)
class Bounds:
    max_bytes: int
    deadline: float  # seconds for the whole transfer, from the request to the last byte
    read_timeout: float = 30.0
    connect_timeout: float = 10.0


_TRANSIENT_STATUS = {429, 500, 502, 503, 504}


class TransferError(SanctionwatchError):
    """A transfer that failed or broke its bounds; `transient` when trying again may help (a
    network error, a busy server), not when it broke its bounds."""

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


def stream_to(url: str, out: IO[bytes], bounds: Bounds, purpose: str) -> str:
    """Write the body at `url` to `out`; return its SHA-256. Raises TransferError."""
    import httpx  # here: a command that fetches nothing does not load it

    started = time.monotonic()
    timeout = httpx.Timeout(min(bounds.read_timeout, bounds.deadline),
                            connect=min(bounds.connect_timeout, bounds.deadline))
    headers = {"User-Agent": f"sanctionwatch/{__version__} ({purpose})"}
    digest = hashlib.sha256()
    size = 0
    try:
        with httpx.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as response:
            if response.status_code != 200:
                raise TransferError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                                    transient=response.status_code in _TRANSIENT_STATUS)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > bounds.max_bytes:
                raise TransferError(_too_big(bounds))
            for chunk in response.iter_bytes():  # as they come: a chunk size would wait to fill it
                size += len(chunk)
                if size > bounds.max_bytes:
                    raise TransferError(_too_big(bounds))
                if time.monotonic() - started > bounds.deadline:
                    raise TransferError(f"not done after {bounds.deadline:,.0f} s ({size:,} bytes received)")
                digest.update(chunk)
                out.write(chunk)
    except httpx.TimeoutException as exc:
        raise TransferError(f"timed out ({type(exc).__name__}, {size:,} bytes received)",
                            transient=True) from None
    except httpx.TransportError as exc:
        raise TransferError(str(exc) or type(exc).__name__, transient=True) from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # a URL httpx cannot use
        raise TransferError(str(exc) or type(exc).__name__) from None
    return digest.hexdigest()


def _too_big(bounds: Bounds) -> str:
    return f"over {bounds.max_bytes:,} bytes, more than this kind of file takes"


def fetch_bytes(url: str, bounds: Bounds, purpose: str) -> bytes:
    """The body at `url`, held in memory (so `bounds.max_bytes` should be modest)."""
    buffer = io.BytesIO()
    stream_to(url, buffer, bounds, purpose)
    return buffer.getvalue()


def fetch_file(url: str, dest: Path, bounds: Bounds, purpose: str) -> str:
    """Save the body at `url` as `dest`; return its SHA-256. The bytes go to a partial file that
    becomes `dest` only once complete, and is removed on any failure or interruption."""
    partial = dest.with_name(dest.name + ".partial")
    try:
        with partial.open("wb") as out:
            digest = stream_to(url, out, bounds, purpose)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return digest


@contextmanager
def download_area(root: Path) -> Iterator[Path]:
    """A fresh folder for downloads under `root`, removed on the way out. Folders that runs
    killed outright (SIGKILL, power loss) left behind are removed first."""
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(".download-*"):
        pid = stale.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            _remove(stale)
    area = root / f".download-{os.getpid()}-{time.monotonic_ns()}"
    area.mkdir()
    try:
        yield area
    finally:
        _remove(area)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


__all__ = ["Bounds", "TransferError", "download_area", "fetch_bytes", "fetch_file", "stream_to"]
