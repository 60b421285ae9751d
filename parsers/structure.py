"""Structure before words: people written as table rows, separated columns or list items, and the prose left.

A sign-up for several people is usually a small table: an HTML table, the one-cell-per-line text Outlook
makes of it, tab- or pipe-separated rows pasted from a spreadsheet, or a bullet or numbered list with one
person per item. Each row carries its own cells (name, address, title, organisation, meetings, diet);
reading them as rows keeps one person's meetings and food needs from leaking onto the next. Pure: text in,
cells out; what the cells mean (which role, which meetings) is decided by the callers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from parsers.diet import diet_in
from parsers.roles import role_of, title_in
from parsers.text import EMAIL_RE, NAME_RE, first_char_checked, fold, name_matches_address, proper_name

Column = Literal["name", "email", "role", "organisation", "meetings", "diet", "mark"]


@dataclass(frozen=True)
class Row:
    """One person's cells as written; None where the row says nothing."""

    name: str | None = None
    email: str | None = None
    role: str | None = None
    organisation: str | None = None
    meetings: str | None = None
    diet: str | None = None


@dataclass(frozen=True)
class Structure:
    """The rows found in a body and the body without them."""

    rows: tuple[Row, ...] = ()
    prose: str = ""


# What a header cell says its column holds, matched on the folded cell (diacritics gone).
_HEADERS: tuple[tuple[Column, re.Pattern[str]], ...] = (
    ("email", re.compile(r"^(e-?post\w*|e-?mail\w*|mejl\w*|mail\w*|adress\w*|address\w*)$")),
    ("name", re.compile(r"^(namn|name|full name|deltagare|participant|person|fornamn och efternamn)$")),
    (
        "role",
        re.compile(r"^(titel|title|befattning|roll|role|tjanst|position|funktion|yrkesroll|job title)$"),
    ),
    ("organisation", re.compile(r"^(organisation|organization|kommun|forvaltning|myndighet|arbetsplats)$")),
    (
        "meetings",
        re.compile(r"^(traff\w*|deltar\w*|meeting\w*|tillfalle\w*|datum|dates?|narvaro|sessions?)$"),
    ),
    (
        "diet",
        re.compile(r"^(\w*kost\w*|allergi\w*|allergies|mat\w*|diet\w*|food\w*|specialkost/allergier)$"),
    ),
)
# A header cell that is one meeting ("12 sep", "23/10", "Träff 2", "Träff II"): its column is ticked per person
_MEETING_HEADER = re.compile(
    r"^(?:\d{1,2}\s*(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-z]*\.?(?:\s+\d{4})?"
    r"|\d{1,2}/\d{1,2}|\d{4}-\d\d-\d\d|(?:traff|tillfalle|meeting|session)\s*(?:\d|[ivx]+))$"
)
_TICKED = re.compile(r"^(?:x|ja|yes|✓|✔|☑|\*|deltar)$", re.I)
_UNTICKED = re.compile(r"^(?:|-+|–|—|nej|no|0)$", re.I)
_NO_DIET = re.compile(r"^(-+|–|—|nej|no|none|ingen|inget|inga|nix|n/?a|x|0|normal\w*|vanlig\w*|allt)$", re.I)
_MAILTO = re.compile(r"<mailto:[^>]*>|\[mailto:[^\]]*\]")
_BULLET = re.compile(r"^\s*(?:[-•*·–]|\d{1,2}[.)])\s+")
_PIPE_RULE = re.compile(r"^[\s|:+-]+$")
_ITEM_CELL = re.compile(r",\s+|(?<=[a-zåäö]):\s+|\s+[–—-]\s+|\s*\(([^)]*)\)\s*|\t+|\s*\|\s*|;\s*")
_ITEM_CELL = first_char_checked(_ITEM_CELL)  # speed only: same matches
_WRITER_CELL = re.compile(r"^(?:(?:jag|mig|mej)(?:\s+själv)?|själv|myself|me|undertecknad)$", re.I)
_SENTENCE_IN = re.compile(r"[.!?]\s+\S")  # cells holding a sentence's end are prose, not one row
_MEETING_WORDS = re.compile(
    r"träff|möte|meeting|session|\balla\b|\bhela\b|\bsamtliga\b|\ball\b|\bbara\b|\bonly\b|\d"
    r"|januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    r"|\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec)\b|höst|vår|vinter|autumn|spring|winter",
    re.I,
)


def column_of(cell: str) -> Column | None:
    """Which column a header cell names ("E-post" → email, "Specialkost" → diet), else None."""
    folded = fold(cell).strip(" :*")
    if not folded or len(folded) > 40:
        return None
    if _MEETING_HEADER.match(folded):
        return "mark"
    for column, pattern in _HEADERS:
        if pattern.match(folded):
            return column
    return None


def _clean(cell: str) -> str:
    return " ".join(_MAILTO.sub("", cell).split()).strip(" *")


def _header(cells: list[str]) -> list[Column | None] | None:
    """Columns a header row names; None unless it names a person column and one more, each once."""
    columns = [column_of(c) for c in cells]
    named = [c for c in columns if c]
    marks = named.count("mark")
    if marks and "meetings" in named:
        return None  # a meetings column and ticked meetings both: which one counts is not clear
    distinct = len(set(named)) - (1 if marks else 0) == len(named) - marks
    if len(named) < 2 or not distinct or not {"name", "email"} & set(named):
        return None
    if len(named) < len([c for c in cells if c.strip()]) - 1:
        return None  # a header names (nearly) every column; a sentence with a comma in it does not
    return columns


def _row_from(columns: list[Column | None], cells: list[str], labels: list[str] | None = None) -> Row | None:
    """``labels``: the header's cells, which name the meeting of each ticked column ("12 sep")."""
    values: dict[str, str] = {}
    ticked: list[str] = []
    for at, (column, cell) in enumerate(zip(columns, cells, strict=False)):
        text = _clean(cell)
        if column == "mark":
            if _TICKED.match(text):
                ticked.append(_clean(labels[at]) if labels and at < len(labels) else "?")
            elif not _UNTICKED.match(text):
                ticked.append("?")  # "kanske", "em": not a plain tick, for a person to read
        elif column and text:
            if column == "email":
                found = EMAIL_RE.search(text)
                text = found.group(0).lower() if found else text
            values[column] = text
        elif column == "diet":
            values["diet"] = ""  # an empty diet cell says "nothing special"
    if not values.get("name") and not values.get("email"):
        return None
    if "mark" in columns:
        # the ticked meetings, read like a meetings cell ("12 sep, 23 okt"); none ticked, or a cell that is no
        # plain tick, is for a person to read (the cell is left unreadable, which flags it)
        values["meetings"] = "?" if "?" in ticked or not ticked else ", ".join(ticked)
    return Row(**values)


def _looks_like_name(cell: str) -> bool:
    text = _clean(cell)
    if not text or EMAIL_RE.search(text) or role_of(text) or len(text) > 50:
        return False
    return bool(NAME_RE.fullmatch(proper_name(text)))


# A cell that holds a sentence's end and the next one's start is prose, not a row's cell
_PROSE_CELL = re.compile(r"[a-zåäö]{2}[.!?]\s+[A-ZÅÄÖ]")


def _row_by_content(cells: list[str]) -> Row | None:
    """A row without a header: the first cell is the name, the others are told apart by what they hold."""
    cells = [_clean(c) for c in cells if _clean(c)]
    if len(cells) < 2 or not _looks_like_name(cells[0]):
        return None
    if not NAME_RE.fullmatch(cells[0]):
        # a name written in lower case is a name only when the row's address is made of it
        found = EMAIL_RE.search(" ".join(cells[1:]))
        if found is None or not name_matches_address(cells[0], found.group(0)):
            return None
    values: dict[str, str] = {"name": cells[0]}
    writer = False
    for cell in cells[1:]:
        if _PROSE_CELL.search(cell) or len(cell.split()) > 9:
            return None  # "Linnea Berg, vår planarkitekt, har sagt upp sig och slutar i oktober. Stryk …": a sentence
        found = EMAIL_RE.search(cell)
        if _WRITER_CELL.match(cell):
            writer = True  # "Sanna Ekholm (jag själv)": the writer's own row, their address is the sender's
        elif found and "email" not in values:
            values["email"] = found.group(0).lower()
        elif "role" not in values and (role_of(cell) or title_in(cell)):
            values["role"] = cell
        elif diet_in(cell):
            values["diet"] = f"{values['diet']}, {cell}" if "diet" in values else cell
        elif _MEETING_WORDS.search(cell) and "meetings" not in values:
            values["meetings"] = cell
        elif _MEETING_WORDS.search(cell) and not _SENTENCE_IN.search(f"{values['meetings']} {cell}"):
            # a list of dates split at its commas, or an exception in brackets, is one cell of clauses
            values["meetings"] = f"{values['meetings']}; {cell}"
        else:
            return None  # a cell we cannot place: this is prose with commas, not a row
    if "email" not in values and "role" not in values and not writer:
        return None
    return Row(**values)


def _split_cells(line: str) -> list[str] | None:
    """Cells of a tab- or pipe-separated line, None when the line is not one."""
    if "\t" in line and len([c for c in line.split("\t") if c.strip()]) >= 2:
        return [c.strip() for c in line.split("\t")]
    if line.count("|") >= 2:
        return [c.strip() for c in line.strip().strip("|").split("|")]
    if line.count(";") >= 2:
        # a spreadsheet pasted as semicolon-separated text ("Namn;Titel;E-post"): a header or a row with an
        # address, not prose that happens to use semicolons
        cells = [c.strip() for c in line.split(";")]
        if "@" in line or _header(cells) is not None:
            return cells
    return None


def _separated(lines: list[str], used: set[int]) -> list[Row]:
    rows: list[Row] = []
    lines = _join_pipe_rows(lines, used)
    columns: list[Column | None] | None = None
    labels: list[str] = []
    for i, line in enumerate(lines):
        if i in used:
            continue
        if "|" in line and _PIPE_RULE.match(line):
            if columns is not None:
                used.add(i)
            continue
        cells = _split_cells(line)
        if cells is None:
            columns = None if line.strip() else columns
            continue
        header = _header(cells)
        if header is not None:
            columns, labels = header, cells
            used.add(i)
            continue
        span = [i]
        # "… | 1, 2 |" wrapped right after a separator (no leading pipe): its last cell begins on the next line
        pending = bool(
            columns is not None
            and len(cells) == len(columns) - 1
            and line.rstrip().endswith("|")
            and not line.lstrip().startswith("|")
        )
        if pending:
            cells.append("")
        if columns is not None:
            # a row the client wrapped: its cells continue on the next lines until the header's count
            while (
                (len(cells) < len(columns) or pending)
                and i + len(span) < len(lines)
                and lines[i + len(span)].strip()
            ):
                pending = False
                following = _split_cells(lines[i + len(span)])
                if following is not None and (
                    len(following) >= len(columns)
                    or (any("@" in c for c in cells) and any("@" in c for c in following))
                ):
                    break  # the next line is a row of its own: this one ended in empty cells
                more = following or [lines[i + len(span)].strip()]
                cells = [*cells[:-1], f"{cells[-1]} {more[0]}".strip(), *more[1:]]
                span.append(i + len(span))
        if columns is not None and len(cells) < len(columns):
            cells = cells + [""] * (len(columns) - len(cells))  # trailing empty cells lose their tabs
        row = _row_from(columns, cells, labels) if columns is not None else _row_by_content(cells)
        if row is not None:
            rows.append(row)
            used.update(span)
    return rows


def _join_pipe_rows(lines: list[str], used: set[int]) -> list[str]:
    """Pipe rows the client wrapped, joined onto their first line (indexes kept; joined lines emptied).

    The first row of a block ends in a pipe when whole; every later row has as many pipes as the first."""
    out = list(lines)
    width = 0
    i = 0
    while i < len(out):
        line = out[i].strip()
        if not line.startswith("|") or i in used:
            width = 0 if not line else width
            i += 1
            continue
        j = i + 1
        while j < len(out) and out[j].strip() and j - i < 5 and not out[j].strip().startswith("|-"):
            whole = out[i].count("|") >= width if width else out[i].rstrip().endswith("|")
            if whole:
                break
            out[i] = f"{out[i].rstrip()} {out[j].strip()}"
            out[j] = ""
            used.add(j)
            j += 1
        width = width or out[i].count("|")
        i = j
    return out


def _cell_per_line(lines: list[str], used: set[int]) -> list[Row]:
    """Outlook's text of a table: every header cell on a line of its own, then every row's cells likewise."""
    rows: list[Row] = []
    i, n = 0, len(lines)
    while i < n:
        k = 0
        while i + k < n and lines[i + k].strip() and column_of(lines[i + k]) is not None:
            k += 1
        columns = _header(lines[i : i + k]) if k >= 2 else None
        if columns is None:
            i += max(k, 1)
            continue
        block = [*range(i, i + k)]
        j = i + k
        # a ticked meeting or a food need may be left empty (Outlook writes an empty line for the cell)
        may_be_empty = {x for x, column in enumerate(columns) if column in {"mark", "diet"}}
        # the last row's trailing empty cells may have been cut with the text's end
        padded = lines + [""] * k if may_be_empty else lines
        while j + k <= len(padded) and j < n:
            cells = padded[j : j + k]
            if not all(cells[x].strip() for x in range(k) if x not in may_be_empty):
                break
            row = _row_from(columns, cells, lines[i : i + k])
            if row is None or (row.name and not _looks_like_name(row.name)):
                break
            rows.append(row)
            block.extend(range(j, j + k))
            j += k
        if len(block) > k:
            used.update(block)
        i = j
    return rows


def _list_items(lines: list[str], used: set[int]) -> list[Row]:
    """Bullet or numbered items, and bare "Name, title, address" lines; a wrapped item's next lines join it."""
    rows: list[Row] = []
    i, n = 0, len(lines)
    while i < n:
        if i in used or not lines[i].strip():
            i += 1
            continue
        bullet = _BULLET.match(lines[i])
        text = lines[i][bullet.end() :] if bullet else lines[i]
        span = [i]
        while (
            bullet
            and i + len(span) < n
            and lines[i + len(span)].strip()
            and not _BULLET.match(lines[i + len(span)])
            and i + len(span) not in used
        ):
            text += " " + lines[i + len(span)].strip()
            span.append(i + len(span))
        cells = [c for c in _ITEM_CELL.split(text) if c is not None]
        row = _row_by_content(cells)
        if row is not None:
            rows.append(row)
            used.update(span)
        i += len(span)
    return rows


def _html_rows(html: str) -> list[list[str]]:
    """Cells of every row of the HTML tables, in document order (lxml, which inscriptis already needs)."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return []
    out: list[list[str]] = []
    for table in root.iter("table"):
        if table.find(".//table") is not None:
            continue  # a layout table holding other tables; its inner tables are read themselves
        for tr in table.iter("tr"):
            out.append([" ".join(td.text_content().split()) for td in tr if td.tag in {"td", "th"}])
    return out


def _html_table(html: str) -> tuple[list[Row], set[str]]:
    rows: list[Row] = []
    texts: set[str] = set()
    columns: list[Column | None] | None = None
    labels: list[str] = []
    for cells in _html_rows(html):
        header = _header(cells)
        if header is not None:
            columns, labels = header, cells
            texts.update(fold(c) for c in cells if c)
            continue
        # a table without a header row: its cells are told apart by what they hold
        if columns is not None and len(cells) < len(columns):
            cells = cells + [""] * (len(columns) - len(cells))  # trailing empty cells lose their tabs
        row = _row_from(columns, cells, labels) if columns is not None else _row_by_content(cells)
        if row is not None:
            rows.append(row)
            texts.update(fold(_clean(c)) for c in cells if _clean(c))
            texts.add(fold(" ".join(_clean(c) for c in cells if _clean(c))))
    return rows, texts


def _drop_table_text(lines: list[str], texts: set[str], used: set[int]) -> None:
    """Mark the longest run of lines that are the table's cells (or whole rows) as used."""
    best: list[int] = []
    run: list[int] = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if fold(_clean(line)) in texts:
            run.append(i)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    used.update(best)


# A line this long that runs on into the next one was broken by the client, not by the writer.
WRAPPED_AT = 55
_FIELD_LINE = re.compile(r"^\s*[\w][\w /-]{0,30}:(\s|$)")


def _hard_break(line: str) -> bool:
    """A line that keeps its break whatever precedes or follows it: blank, list item, field, quote, table."""
    return bool(
        not line.strip()
        or _BULLET.match(line)
        or _FIELD_LINE.match(line)
        or line.lstrip().startswith((">", "|"))
        or line.count("|") >= 2  # a pipe row written without its outer pipes ("Namn | Titel | E-post")
        or "\t" in line
        or (line.count(";") >= 2 and "@" in line)  # a semicolon-separated row
        or "   " in line.strip()  # columns aligned with spaces, as a table rendered to text is
        or column_of(line) is not None
    )


def _is_row(line: str) -> bool:
    return _row_by_content([c for c in _ITEM_CELL.split(line) if c is not None]) is not None


def unwrap(text: str) -> str:
    """Prose lines a client hard-wrapped (at 72 or 76 columns) joined again; lists, fields, tables and
    short lines (greetings, names) keep their breaks. The words are then read the same however wrapped."""
    out: list[str] = []
    for line in text.split("\n"):
        previous = out[-1].rstrip() if out else ""
        wrapped = (
            len(previous) >= WRAPPED_AT
            and " " in previous.strip()
            and not _hard_break(previous)
            and not _hard_break(line)
            # a line ending a sentence may end where the writer broke it; a wrap cuts a sentence mid-way
            and not previous.endswith((".", "!", "?", ":"))
            and not _is_row(previous)
        )
        if wrapped:
            out[-1] = f"{previous} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


def read_structure(text: str, html: str | None = None) -> Structure:
    """People rows of a body (its HTML part, when it has one with a table, decides the cells)."""
    lines = text.split("\n")
    used: set[int] = set()
    rows: list[Row] = []
    if html and "<td" in html.lower():
        rows, texts = _html_table(html)
        # the HTML holds the signature and quoted history too: only rows the new text shows are read
        folded = fold(text)
        rows = [r for r in rows if fold(r.email or r.name or "") in folded]
        if rows:
            _drop_table_text(lines, texts, used)
    if not rows:
        rows = _cell_per_line(lines, used)
    found = rows + _separated(lines, used) + _list_items(lines, used)
    if not found:
        return Structure((), text)
    prose = "\n".join(line for i, line in enumerate(lines) if i not in used)
    return Structure(tuple(found), re.sub(r"\n{3,}", "\n\n", prose).strip())


def no_diet(text: str) -> bool:
    """A diet cell that says "nothing special" ("-", "ingen", "nej", empty)."""
    return not text.strip() or bool(_NO_DIET.match(text.strip()))
