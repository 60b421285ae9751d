"""Structure before words: tables, separated rows and lists read as one row per person."""

from __future__ import annotations

from parsers import parse
from parsers.structure import Row, read_structure
from tests.unit.parsers.parserkit import MEETINGS, mail

_OUTLOOK_CELLS = """Hej,

Vi blir två och deltar på alla träffar.

Namn
Befattning
E-post
Specialkost
Lena Berg
Planarkitekt
lena.berg@borlange.se
Ingen
Jonas Ek
Näringslivschef
jonas.ek@borlange.se
Vegetarisk

Hör av dig om något saknas!"""

_HTML_TABLE = """<p>Hej, vi anmäler två personer.</p>
<table><tr><td><b>E-post</b></td><td><b>Namn</b></td><td><b>Kost</b></td><td><b>Träffar</b></td></tr>
<tr><td><a href="mailto:lena.berg@borlange.se">lena.berg@borlange.se</a></td><td>Lena Berg</td>
<td>-</td><td>1, 3</td></tr>
<tr><td>jonas.ek@borlange.se</td><td>Jonas Ek</td><td>glutenfri</td><td>alla</td></tr></table>
<p>Hälsningar</p>"""


def test_outlook_one_cell_per_line_is_read_as_rows_and_left_out_of_the_prose() -> None:
    found = read_structure(_OUTLOOK_CELLS)
    assert found.rows == (
        Row("Lena Berg", "lena.berg@borlange.se", "Planarkitekt", diet="Ingen"),
        Row("Jonas Ek", "jonas.ek@borlange.se", "Näringslivschef", diet="Vegetarisk"),
    )
    assert "Lena Berg" not in found.prose
    assert "alla träffar" in found.prose and "saknas" in found.prose


def test_html_table_header_cells_say_which_column_holds_what() -> None:
    text = "Hej, vi anmäler två personer.\n\nlena.berg@borlange.se Lena Berg - 1, 3\n\nHälsningar"
    found = read_structure(text, _HTML_TABLE)
    assert [(r.name, r.email, r.diet, r.meetings) for r in found.rows] == [
        ("Lena Berg", "lena.berg@borlange.se", "-", "1, 3"),
        ("Jonas Ek", "jonas.ek@borlange.se", "glutenfri", "alla"),
    ]
    assert "Lena Berg" not in found.prose


def test_tab_and_pipe_separated_rows_with_a_header() -> None:
    tabbed = "Namn\tE-post\tTräffar\nLena Berg\tlena.berg@borlange.se\t2"
    piped = "| Namn | E-post | Träffar |\n|---|---|---|\n| Lena Berg | lena.berg@borlange.se | 2 |"
    for text in (tabbed, piped):
        assert read_structure(text).rows == (Row("Lena Berg", "lena.berg@borlange.se", meetings="2"),)


def test_bullet_and_numbered_items_carry_their_own_cells_across_a_wrapped_line() -> None:
    text = (
        "Vi anmäler:\n\n- Lena Berg, planarkitekt, lena.berg@borlange.se\n(nötallergi)\n"
        "2. Jonas Ek, näringslivschef, jonas.ek@borlange.se – bara träff 2\n\nTack!"
    )
    rows = read_structure(text).rows
    assert [(r.name, r.diet, r.meetings) for r in rows] == [
        ("Lena Berg", "nötallergi", None),
        ("Jonas Ek", None, "bara träff 2"),
    ]


def test_prose_with_commas_is_not_a_row() -> None:
    text = "Anna Lind, som du träffade i våras, vill gärna vara med.\n- Kan vi komma fyra?"
    assert read_structure(text).rows == ()


def test_each_table_row_keeps_its_own_meetings_and_diet_through_the_parser() -> None:
    body = "Hej!\n\nNamn\tE-post\tTräffar\tKost\nLena Berg\tlena.berg@ludvika.se\t1, 3\tvegan\n"
    body += "Jonas Ek\tjonas.ek@ludvika.se\talla\t-\n\nHälsningar\nLena Berg"
    parsed = parse(mail(body, sender="Lena Berg <lena.berg@ludvika.se>"), MEETINGS)
    people = {p.name: (p.meetings, p.diet) for p in parsed.people}
    assert people == {"Lena Berg": ([1, 3], ["vegan"]), "Jonas Ek": ([1, 2, 3, 4], [])}
