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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlparse

import httpx

from exodus.core.lists.model import ListRelease
from exodus.core.lists.ofac import set_of, sets_in
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
    allow_missing_side_files: bool = False,
    check: Callable[[ListRelease, list[str]], None] | None = None,
) -> Path:
    """Download or copy a list release into dest_dir and return its path.

    Raises DataSourceError, leaving any existing release untouched, when the
    transfer fails or is incomplete, the file does not parse, or it holds
    fewer than `min_ratio` times the entities of the release it replaces.

    An OFAC legacy file (sdn.csv, cons_prim.csv or one of their side files)
    brings its whole set: the primary file and its alias, address and remarks
    files, taken from the same folder or URL base, or a folder holding one
    set. A set with a side file missing is refused unless
    `allow_missing_side_files`; a side file the new release lacks is then
    set aside (kept as `.previous`), never read with the new primary.
    `check(release, missing side files)` may refuse the release (raising
    DataSourceError) before anything is installed.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    url_or_path = _one_set_of_folder(url_or_path)
    name = file_name or _file_name(url_or_path)
    file_set = set_of(name)
    names = file_set.files if file_set is not None else (name,)
    name = names[0]
    target = dest_dir / name
    with tempfile.TemporaryDirectory(prefix=".incoming-", dir=dest_dir) as staging:
        incoming = Path(staging) / name
        _transfer(_sibling(url_or_path, name) if file_set else url_or_path, incoming, timeout)
        missing = []
        for side in names[1:]:
            try:
                _transfer(_sibling(url_or_path, side), Path(staging) / side, timeout)
            except _Missing:
                missing.append(side)
        if missing and not allow_missing_side_files:
            raise DataSourceError(
                f"{url_or_path}: OFAC release incomplete: {', '.join(missing)} missing beside {name}; "
                "loaded alone it would drop every alias, address or remark those files hold. Nothing "
                "was replaced (to load it anyway: exodus lists update --allow-missing-side-files --reason ...)"
            )
        try:
            release = _read_checked(incoming, url_or_path)
        except DataSourceError as exc:
            # Name the files the user gave, not the staging copies about to be deleted.
            raise DataSourceError(_as_given(str(exc.detail), Path(staging), url_or_path)) from exc
        _check_size(release, target, min_ratio)
        if check is not None:
            check(release, missing)
        for each in names:
            installed, arrived = dest_dir / each, Path(staging) / each
            if installed.exists():
                shutil.copy2(installed, dest_dir / f"{each}.previous")
            if arrived.exists():
                os.replace(arrived, installed)
            elif installed.exists():
                installed.unlink()  # the old side file belongs to another release
        if missing:
            log.warning("installed %s without its side files %s (allowed)", name, ", ".join(missing))
    log.info("installed list release %s (%d entities)", target, len(release.entities))
    return target


def given_origin(url_or_path: str | Path, name: str) -> str:
    """Return where the user's `url_or_path` holds the file `name` (a folder: the folder plus name)."""
    given = _one_set_of_folder(url_or_path)
    return str(_sibling(given, name) if set_of(name) is not None else given)


def _as_given(message: str, staging: Path, url_or_path: str | Path) -> str:
    """Rewrite paths inside `staging` in `message` as the files beside `url_or_path`."""
    for copy in sorted(staging.iterdir(), key=lambda p: -len(str(p))):
        message = message.replace(str(copy), str(_sibling(url_or_path, copy.name)))
    return message.replace(str(staging), str(_sibling(url_or_path, "")).rstrip("/"))


def release_parts(url_or_path: str | Path) -> list[str | Path]:
    """Return the releases `url_or_path` holds: one per OFAC set of a local folder, else itself."""
    folder = _local_path(str(url_or_path))
    if folder is None or not folder.is_dir():
        return [url_or_path]
    found = sets_in(folder)
    if not found:
        raise DataSourceError(
            f"{folder}: is a folder without OFAC sdn.csv or cons_prim.csv; only OFAC legacy files "
            "are loaded from a folder (name the list file otherwise)"
        )
    return [folder / s.primary for s in found]


def _one_set_of_folder(url_or_path: str | Path) -> str | Path:
    """Return the primary file of the one OFAC set of a local folder; other sources unchanged."""
    parts = release_parts(url_or_path)
    if len(parts) > 1:
        raise DataSourceError(
            f"{url_or_path}: holds {len(parts)} OFAC sets ({', '.join(Path(p).name for p in parts)}); "
            "load each as its own release"
        )
    return parts[0]


def _local_path(raw: str) -> Path | None:
    scheme = urlparse(raw).scheme.lower() if "://" in raw else ""
    if scheme == "file":
        return Path(unquote(urlparse(raw).path))
    return Path(raw) if scheme == "" else None


def _sibling(url_or_path: str | Path, name: str) -> str | Path:
    """Return the file `name` beside `url_or_path` (same folder or URL base)."""
    raw = str(url_or_path)
    if "://" in raw:
        return urljoin(raw, quote(name))
    return Path(raw).parent / name


class _Missing(DataSourceError):
    """The file is not there (no such local file, or the server answered 404 or 410)."""


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
        except FileNotFoundError as exc:
            raise _Missing(f"{local}: no such file") from exc
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
            if reply.status_code in (404, 410):
                raise _Missing(f"{url}: server answered {reply.status_code}")
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
