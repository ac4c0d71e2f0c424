"""The CLI's CSV output is safe to open in a spreadsheet."""

import csv
import io

from exodus.cli.output import Format, emit


def _csv(rows, columns, capsys):
    emit(rows, columns, Format.CSV)
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_text_that_looks_like_a_formula_is_written_as_text(capsys):
    rows = [{"name": '=HYPERLINK("http://x","y")'}, {"name": "@SUM(A1)"}, {"name": "+1-2"}]
    out = _csv(rows, ["name"], capsys)
    assert [r["name"] for r in out] == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "'+1-2"]


def test_numbers_and_ordinary_text_are_unchanged(capsys):
    rows = [{"name": "Acme GmbH", "delta": -3, "score": -0.5, "text": "-12.5"}]
    out = _csv(rows, ["name", "delta", "score", "text"], capsys)
    assert out == [{"name": "Acme GmbH", "delta": "-3", "score": "-0.50", "text": "-12.5"}]


def test_mappings_are_written_as_json(capsys):
    out = _csv([{"detail": {"b": 1, "a": "x"}}], ["detail"], capsys)
    assert out[0]["detail"] == '{"a": "x", "b": 1}'


def test_tables_show_names_as_filed_with_bidi_controls_visible(capsys):
    emit([{"name": "ACME [/foo] Ltd [bold]x", "other": "Hanse \u202eHbmG"}], ["name", "other"], Format.TABLE)
    out = capsys.readouterr().out
    assert "ACME [/foo] Ltd [bold]x" in out  # brackets are text, not console markup
    assert "Hanse [U+202E]HbmG" in out and "\u202e" not in out
    emit([{"name": "Hanse \u202eHbmG"}], ["name"], Format.JSON)
    assert "\u202e" in capsys.readouterr().out  # machines get the text as filed
