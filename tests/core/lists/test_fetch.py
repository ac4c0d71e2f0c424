"""The safe download path, against an HTTP server on 127.0.0.1 started here."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from exodus.core.lists import fetch_release, read_list
from exodus.core.lists.registry import DATA_DIR
from exodus.errors import DataSourceError

DPL = (DATA_DIR / "bis" / "dpl.txt").read_bytes()
DPL_LINES = DPL.split(b"\n")
OFAC_FILES = ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")


class _ListServer(BaseHTTPRequestHandler):
    """Serve the real dpl.txt whole, cut short, shrunk, or as an error page."""

    def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
        folder = self.path.strip("/").split("/")[0]
        if folder == "good":
            self._send(DPL)
        elif folder == "truncated":
            # Announce the whole file, send half of it, hang up.
            self.send_response(200)
            self.send_header("Content-Length", str(len(DPL)))
            self.end_headers()
            self.wfile.write(DPL[: len(DPL) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif folder == "shrunk":
            self._send(b"\n".join(DPL_LINES[:21]) + b"\n")
        elif folder in ("ofac", "ofac-lone"):
            name = self.path.rsplit("/", 1)[-1]
            served = ("cons_prim.csv",) if folder == "ofac-lone" else OFAC_FILES
            if name in served:
                self._send((DATA_DIR / "ofac" / name).read_bytes())
            else:
                self.send_error(404)
        elif folder == "html":
            self._send(b"<html><body>Service unavailable</body></html>")
        else:
            self.send_error(404)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ListServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_download_installs_a_good_release(server: str, tmp_path: Path) -> None:
    path = fetch_release(f"{server}/good/dpl.txt", tmp_path)
    assert path == tmp_path / "dpl.txt"
    assert path.read_bytes() == DPL
    assert len(read_list(path).entities) == 461
    assert [p.name for p in tmp_path.iterdir()] == ["dpl.txt"]


def test_truncated_download_keeps_the_good_release(server: str, tmp_path: Path) -> None:
    good = fetch_release(f"{server}/good/dpl.txt", tmp_path)
    with pytest.raises(DataSourceError, match="download"):
        fetch_release(f"{server}/truncated/dpl.txt", tmp_path)
    assert good.read_bytes() == DPL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dpl.txt"]


def test_implausibly_small_release_is_refused(server: str, tmp_path: Path) -> None:
    fetch_release(f"{server}/good/dpl.txt", tmp_path)
    with pytest.raises(DataSourceError, match="fewer than 50% of the 461"):
        fetch_release(f"{server}/shrunk/dpl.txt", tmp_path)
    assert (tmp_path / "dpl.txt").read_bytes() == DPL


def test_first_download_may_be_small(server: str, tmp_path: Path) -> None:
    path = fetch_release(f"{server}/shrunk/dpl.txt", tmp_path)
    assert len(read_list(path).entities) == 15  # 20 rows, 15 parties


def test_unparsable_or_missing_release_is_refused(server: str, tmp_path: Path) -> None:
    fetch_release(f"{server}/good/dpl.txt", tmp_path)
    with pytest.raises(DataSourceError, match="not readable"):
        fetch_release(f"{server}/html/dpl.txt", tmp_path)
    with pytest.raises(DataSourceError, match="answered 404"):
        fetch_release(f"{server}/gone/dpl.txt", tmp_path)
    assert (tmp_path / "dpl.txt").read_bytes() == DPL


def test_local_file_replaces_and_keeps_previous(tmp_path: Path) -> None:
    dest = tmp_path / "lists"
    source = tmp_path / "new" / "dpl.txt"
    source.parent.mkdir()
    source.write_bytes(b"\n".join(DPL_LINES[:400]) + b"\n")
    fetch_release(DATA_DIR / "bis" / "dpl.txt", dest)
    path = fetch_release(source, dest)
    assert path.read_bytes() == source.read_bytes()
    assert (dest / "dpl.txt.previous").read_bytes() == DPL


def test_truncated_local_file_is_refused(tmp_path: Path) -> None:
    data = (DATA_DIR / "un" / "UN_consolidated.xml").read_bytes()
    cut = tmp_path / "incoming" / "UN_consolidated.xml"
    cut.parent.mkdir()
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(DataSourceError, match="not readable"):
        fetch_release(cut, tmp_path / "lists")
    assert not (tmp_path / "lists" / "UN_consolidated.xml").exists()


def test_an_ofac_url_brings_the_side_files_from_the_same_base(server: str, tmp_path: Path) -> None:
    path = fetch_release(f"{server}/ofac/cons_prim.csv", tmp_path)
    assert path == tmp_path / "cons_prim.csv"
    for name in OFAC_FILES:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / "ofac" / name).read_bytes()
    fetched, bundled = read_list(path), read_list(DATA_DIR / "ofac" / "cons_prim.csv")
    assert fetched.entities == bundled.entities and fetched.checksum == bundled.checksum


def test_an_ofac_url_without_side_files_is_refused_and_nothing_replaced(server: str, tmp_path: Path) -> None:
    fetch_release(f"{server}/ofac/cons_prim.csv", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    with pytest.raises(DataSourceError, match="cons_alt.csv, cons_add.csv, cons_comments.csv missing"):
        fetch_release(f"{server}/ofac-lone/cons_prim.csv", tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    fetch_release(f"{server}/ofac-lone/cons_prim.csv", tmp_path, allow_missing_side_files=True)
    assert not (tmp_path / "cons_alt.csv").exists() and (tmp_path / "cons_alt.csv.previous").is_file()


def test_a_folder_holding_one_ofac_set_is_fetched_whole(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    for name in OFAC_FILES:
        (folder / name).write_bytes((DATA_DIR / "ofac" / name).read_bytes())
    path = fetch_release(folder, tmp_path / "dl")
    assert path.name == "cons_prim.csv" and (tmp_path / "dl" / "cons_alt.csv").is_file()
    with pytest.raises(DataSourceError, match="holds 2 OFAC sets"):
        fetch_release(DATA_DIR / "ofac", tmp_path / "dl")
