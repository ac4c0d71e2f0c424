"""UTF-8 decoding errors name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from exodus.core.text import decode_utf8, utf8_lines, visible
from exodus.errors import InvalidInput


def test_decode_names_the_line_of_the_first_bad_byte() -> None:
    assert decode_utf8("\ufeffa,b\nc,é\n".encode(), "up.csv") == "a,b\nc,é\n"
    with pytest.raises(InvalidInput, match=r"^up.csv line 2: not UTF-8 text \(byte 0xe9\)"):
        decode_utf8("a,b\nc,é\n".encode("latin-1"), "up.csv")


def test_file_lines_stream_and_fail_naming_the_line(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes("\ufeffid,name\r\n1,Zoë\r\n".encode())
    assert list(utf8_lines(good)) == ["id,name\r\n", "1,Zoë\r\n"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(("id,name\n" + "1,x\n" * 5000 + "2,Zoë\n").encode("latin-1"))
    with pytest.raises(InvalidInput, match=r"^bad.csv line 5002: not UTF-8 text"):
        list(utf8_lines(bad))


def test_hidden_characters_are_shown_where_a_name_is_displayed() -> None:
    assert visible("Ros\u00adoboron\u200bexport") == "Ros[U+00AD]oboron[U+200B]export"
    assert visible("\u202eTNEGA") == "[U+202E]TNEGA"
    assert visible("Zoë Trading") == "Zoë Trading"
