"""The participant list as files organisers open in Excel: .xlsx (openpyxl) and .csv; returns the bytes too."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rules.digest import organisation_rows, sv_key, wanted_meetings
from rules.event import Event
from rules.model import Registration
from worker.render.formatting import DIET, ROLE

Target = str | Path | BinaryIO | None

STATUS_SV = {
    "active": "aktiv",
    "pending_approval": "väntar på godkännande",
    "pending_info": "väntar på uppgifter",
    "cancelled": "avanmäld",
    "rejected": "nekad",
}
SEAT_SV = {"confirmed": "bekräftad", "waitlisted": "väntelista", "cancelled": "avanmäld"}
PERSON_HEADER = ["Referens", "Namn", "Organisation", "Roll", "E-post", "Status", "Kost"]
# Excel runs a cell that begins with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60


def neutralise(value: object) -> object:
    """A text cell that Excel would evaluate, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _diet(reg: Registration) -> str:
    return ", ".join(DIET["sv"].get(d, d) for d in reg.diet or [])


def _person_cells(reg: Registration, status: str) -> list[str]:
    org = reg.organisation.name if reg.organisation else ""
    return [
        reg.ref,
        reg.name or "",
        org,
        ROLE["sv"].get(reg.role or "", ""),
        reg.email or "",
        status,
        _diet(reg),
    ]


def _ordered(registrations: Sequence[Registration]) -> list[Registration]:
    return sorted(
        registrations,
        key=lambda r: (sv_key(r.organisation.name if r.organisation else "~"), sv_key(r.name or "")),
    )


def meeting_rows(event: Event, registrations: Sequence[Registration], number: int) -> list[list[str]]:
    """Who is on one meeting's sheet: confirmed first, then the waitlist in its order, then those pending."""
    confirmed, waiting, pending = [], [], []
    for reg in _ordered(registrations):
        seat = reg.seats.get(number)
        if reg.status == "active" and seat and seat.status == "confirmed":
            confirmed.append(_person_cells(reg, SEAT_SV["confirmed"]))
        elif reg.status == "active" and seat and seat.status == "waitlisted":
            waiting.append((seat.since, _person_cells(reg, SEAT_SV["waitlisted"])))
        elif reg.status in ("pending_approval", "pending_info") and number in wanted_meetings(reg):
            pending.append(_person_cells(reg, STATUS_SV[reg.status]))
    return confirmed + [cells for _, cells in sorted(waiting, key=lambda w: w[0])] + pending


def all_rows(event: Event, registrations: Sequence[Registration]) -> list[list[str]]:
    """Every registration, one row each, with its seat at each meeting: the .csv and the last sheet."""
    rows = []
    for reg in _ordered(registrations):
        cells = _person_cells(reg, STATUS_SV.get(reg.status, reg.status))
        code = (reg.organisation.code or "") if reg.organisation else ""
        seats = [SEAT_SV.get(reg.seat_status(n) or "", "") for n in event.meeting_numbers]
        rows.append([*cells[:3], code, *cells[3:], *seats])
    return rows


def all_header(event: Event) -> list[str]:
    return [
        *PERSON_HEADER[:3],
        "Kommunkod",
        *PERSON_HEADER[3:],
        *(f"Träff {n}" for n in event.meeting_numbers),
    ]


def _sheet(ws: Worksheet, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    # openpyxl stores any string beginning with "=" as a formula: force text so nothing runs when opened.
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    for index, _ in enumerate(header, start=1):
        letter = get_column_letter(index)
        longest = max(len(str(c.value)) for c in ws[letter] if c.value is not None)
        ws.column_dimensions[letter].width = min(longest + 2, _MAX_WIDTH)


def _summary(ws: Worksheet, event: Event, registrations: Sequence[Registration]) -> None:
    numbers = event.meeting_numbers
    rows: list[list[object]] = []
    for meeting in event.meetings:
        n = meeting.number
        active = [r for r in registrations if r.status == "active"]
        rows.append(
            [
                f"Träff {n}",
                meeting.date.isoformat(),
                meeting.place or "meddelas senare",
                sum(r.seat_status(n) == "confirmed" for r in active),
                sum(r.seat_status(n) == "waitlisted" for r in active),
                sum(
                    r.status in ("pending_approval", "pending_info") and n in wanted_meetings(r)
                    for r in registrations
                ),
            ]
        )
    rows.append([])
    rows.append(["Organisation", "Kod", *(f"Träff {n}" for n in numbers)])
    for org in organisation_rows(event, registrations):
        rows.append([org.name, org.code or "", *(c.text for c in org.cells)])
    _sheet(ws, ["Träff", "Datum", "Plats", "Bekräftade", "Väntelista", "Väntar"], rows)
    ws.cell(row=len(event.meetings) + 3, column=1).font = Font(bold=True)


def _emit(data: bytes, target: Target) -> bytes:
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    elif target is not None:
        target.write(data)
    return data


def write_xlsx(event: Event, registrations: Sequence[Registration], target: Target = None) -> bytes:
    """Sheets "Sammanställning", "Träff 1" … and "Alla"; each with a frozen, bold header and sized columns."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Sammanställning"
    _summary(summary, event, registrations)
    for meeting in event.meetings:
        ws = wb.create_sheet(f"Träff {meeting.number}")
        _sheet(ws, PERSON_HEADER, meeting_rows(event, registrations, meeting.number))
    _sheet(wb.create_sheet("Alla"), all_header(event), all_rows(event, registrations))
    buffer = io.BytesIO()
    wb.save(buffer)
    return _emit(buffer.getvalue(), target)


def write_csv(event: Event, registrations: Sequence[Registration], target: Target = None) -> bytes:
    """All registrations as ';'-separated UTF-8 with BOM: what Swedish Excel opens by double-click.

    Swedish Excel takes ';' as the list separator (the comma is the decimal sign) and needs the BOM to read
    UTF-8; a "sep=;" line would make it ignore the BOM, so there is none.
    """
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(all_header(event))
    for row in all_rows(event, registrations):
        writer.writerow([neutralise(cell) for cell in row])
    return _emit(text.getvalue().encode("utf-8-sig"), target)
