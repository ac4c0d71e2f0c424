"""Bring a new list release in without ever losing the good one in place.

The file is downloaded (or copied) next to its destination under a
temporary name, checked to be complete, readable and not implausibly
smaller than the release it replaces, and only then moved into place.
The previous file is kept beside it as `<name>.previous`.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from exodus.core.lists.model import ListRelease
from exodus.core.lists.registry import read_list
from exodus.errors import DataSourceError

log = logging.getLogger(__name__)

# A release with fewer than this share of the previous one's entities is
# taken for a broken export or a truncated download, not a real shrink.
MIN_SIZE_RATIO = 0.5
DEFAULT_TIMEOUT = 60.0


def fetch_release(
    url_or_path: str | Path,
    dest_dir: Path,
    *,
    file_name: str | None = None,
    min_ratio: float = MIN_SIZE_RATIO,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Download or copy a list release into dest_dir and return its path.

    Raises DataSourceError, leaving any existing release untouched, when the
    transfer fails or is incomplete, the file does not parse, or it holds
    fewer than `min_ratio` times the entities of the release it replaces.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    name = file_name or _file_name(url_or_path)
    target = dest_dir / name
    with tempfile.TemporaryDirectory(prefix=".incoming-", dir=dest_dir) as staging:
        incoming = Path(staging) / name
        _transfer(url_or_path, incoming, timeout)
        release = _read_checked(incoming, url_or_path)
        _check_size(release, target, min_ratio)
        if target.exists():
            shutil.copy2(target, dest_dir / f"{name}.previous")
        os.replace(incoming, target)
    log.info("installed list release %s (%d entities)", target, len(release.entities))
    return target


def _file_name(url_or_path: str | Path) -> str:
    raw = str(url_or_path)
    name = Path(unquote(urlparse(raw).path) if "://" in raw else raw).name
    if not name:
        raise DataSourceError(f"{raw!r}: cannot tell a file name; pass file_name")
    return name


def _transfer(source: str | Path, incoming: Path, timeout: float) -> None:
    text = str(source)
    scheme = urlparse(text).scheme.lower() if "://" in text else ""
    if scheme in ("http", "https"):
        _download(text, incoming, timeout)
    elif scheme in ("", "file"):
        local = Path(unquote(urlparse(text).path)) if scheme else Path(text)
        try:
            shutil.copyfile(local, incoming)
        except OSError as exc:
            raise DataSourceError(
                f"{local}: cannot be copied ({exc.strerror})"
            ) from exc
    else:
        raise DataSourceError(f"{text!r}: scheme {scheme!r} is not supported")


def _download(url: str, incoming: Path, timeout: float) -> None:
    """Stream a URL to a file; refuse an error status or a short body."""
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as reply:
            if reply.status_code != 200:
                raise DataSourceError(f"{url}: server answered {reply.status_code}")
            expected = reply.headers.get("Content-Length")
            with incoming.open("wb") as out:
                for chunk in reply.iter_bytes():
                    out.write(chunk)
            # Content-Length counts the bytes on the wire, before decoding.
            received = reply.num_bytes_downloaded
    except httpx.HTTPError as exc:
        raise DataSourceError(f"{url}: download failed ({exc})") from exc
    if expected is not None and expected.isdigit() and received != int(expected):
        raise DataSourceError(
            f"{url}: download incomplete: {received} of {expected} bytes"
        )


# TODO: OFAC side files (alt.csv, add.csv, ...) are checked only through their
# primary file, which is not in the staging folder; fetch sdn.csv/cons_prim.csv.
def _read_checked(incoming: Path, source: str | Path) -> ListRelease:
    try:
        release = read_list(incoming)
    except DataSourceError as exc:
        raise DataSourceError(f"{source}: new release is not readable: {exc}") from exc
    if not release.entities:
        raise DataSourceError(f"{source}: new release holds no entities")
    return release


def _check_size(release: ListRelease, target: Path, min_ratio: float) -> None:
    if not target.exists():
        return
    try:
        previous = read_list(target)
    except DataSourceError:
        log.warning("previous release %s is unreadable; replacing it", target)
        return
    new_count, old_count = len(release.entities), len(previous.entities)
    if new_count < min_ratio * old_count:
        raise DataSourceError(
            f"{target.name}: new release has {new_count} entities, fewer than "
            f"{min_ratio:.0%} of the {old_count} in {target.name}; not installed"
        )
