"""The participant list as .xlsx and .csv: read back, frozen header, sized columns, BOM, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.unit.digest.conftest import FALUN, reg
from worker.export import write_csv, write_xlsx


@pytest.fixture
def people(registrations):
    # A name a prankster might type: it must stay text in both files.
    return [*registrations, reg("XXXX01", '=HYPERLINK("http://x")', FALUN, waiting=[3], diet=["egg"])]


def test_xlsx_sheets_match_the_registrations(event, people, tmp_path):
    path = tmp_path / "deltagare.xlsx"
    data = write_xlsx(event, people, path)
    assert path.read_bytes() == data
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Sammanställning", "Träff 1", "Träff 2", "Träff 3", "Träff 4", "Alla"]
    first = wb["Träff 1"]
    rows = list(first.iter_rows(values_only=True))
    assert rows[0] == ("Referens", "Namn", "Organisation", "Roll", "E-post", "Status", "Kost")
    by_ref = {r[0]: r for r in rows[1:]}
    confirmed = {ref for ref, r in by_ref.items() if r[5] == "bekräftad"}
    expected = {p.ref for p in people if p.status == "active" and p.seat_status(1) == "confirmed"}
    assert confirmed == expected
    assert by_ref["AAAA04"][5] == "väntelista"
    assert by_ref["CCCC01"][5] == "väntar på godkännande"
    assert "EEEE01" not in by_ref  # cancelled
    assert by_ref["AAAA03"][1:] == (
        "Cecilia Dahl",
        "Falu kommun",
        "chef",
        "cecilia@example.se",
        "bekräftad",
        "glutenfri, laktosfri",
    )
    every = list(wb["Alla"].iter_rows(values_only=True))
    assert len(every) == 1 + len(people)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.b
        assert ws.column_dimensions["B"].width >= max(len(str(c.value or "")) for c in ws["B"])
    summary = list(wb["Sammanställning"].iter_rows(values_only=True))
    assert summary[1][:6] == ("Träff 1", "2024-09-12", "Falun", 5, 1, 1)
    assert ("Falu kommun", "2080", "3/3", "3/3", "1/3", "1/3") in summary


def test_xlsx_keeps_formula_like_names_as_text(event, people):
    wb = load_workbook(io.BytesIO(write_xlsx(event, people)))
    cell = next(c for c in wb["Alla"]["B"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_csv_bom_semicolons_and_injection_neutralised(event, people, tmp_path):
    stream = io.BytesIO()
    data = write_csv(event, people, stream)
    assert stream.getvalue() == data
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "Borlänge kommun" in text and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Referens", "Namn", "Organisation", "Kommunkod"]
    assert rows[0][-4:] == ["Träff 1", "Träff 2", "Träff 3", "Träff 4"]
    assert len(rows) == 1 + len(people)
    prank = next(r for r in rows if r[0] == "XXXX01")
    assert prank[1] == '\'=HYPERLINK("http://x")'
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    falun = next(r for r in rows if r[0] == "AAAA01")
    assert falun[3] == "2080" and falun[-4:] == ["bekräftad"] * 4


def test_csv_written_to_a_path(event, people, tmp_path):
    path = tmp_path / "deltagare.csv"
    assert write_csv(event, people, str(path)) == path.read_bytes()
