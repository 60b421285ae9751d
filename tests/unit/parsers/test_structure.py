"""Structure before words: tables, separated rows and lists read as one row per person."""

from __future__ import annotations

from parsers import parse
from parsers.structure import Row, read_structure, unwrap
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
    text = "Hej, vi anmäler två personer.\n\nlena.berg@borlange.se Lena Berg - 1, 3\n"
    text += "jonas.ek@borlange.se Jonas Ek glutenfri alla\n\nHälsningar"
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


def test_hard_wrapped_prose_is_joined_but_rows_fields_and_short_lines_keep_their_breaks() -> None:
    text = (
        "Hej!\n\nKarin Ström från oss kan inte komma på träffen den 3 december. I stället\n"
        "skickar vi Olof Falk, bygglovschef.\n\n"
        "Vi anmäler följande två personer från kommunen till lärprojektet nu:\n"
        "Anna Ek, näringslivschef, anna.ek@sater.se\nfredrik sundin, planarkitekt, fredrik.sundin@sater.se\n"
        "Namn: Per Berg\nKost: vegan"
    )
    assert unwrap(text).split("\n") == [
        "Hej!",
        "",
        "Karin Ström från oss kan inte komma på träffen den 3 december. I stället skickar vi Olof Falk, bygglovschef.",
        "",
        "Vi anmäler följande två personer från kommunen till lärprojektet nu:",
        "Anna Ek, näringslivschef, anna.ek@sater.se",
        "fredrik sundin, planarkitekt, fredrik.sundin@sater.se",
        "Namn: Per Berg",
        "Kost: vegan",
    ]


def test_a_wrapped_pipe_table_is_joined_back_into_rows() -> None:
    text = (
        "| Namn | Roll | E-post\n| Träffar |\n|---|---|---|---|\n"
        "| Lena Berg | Planarkitekt |\nlena.berg@borlange.se | 1, 3 |\n\nTack!"
    )
    found = read_structure(text)
    assert found.rows == (Row("Lena Berg", "lena.berg@borlange.se", "Planarkitekt", meetings="1, 3"),)
    assert found.prose == "Tack!"


def test_an_html_table_without_a_header_row_is_read_by_what_its_cells_hold() -> None:
    html = (
        "<p>Vi kommer två:</p><table><tr><td>Lena Berg</td><td>planarkitekt</td>"
        "<td>lena.berg@borlange.se</td></tr><tr><td>Jonas Ek</td><td>jonas.ek@borlange.se</td>"
        "<td>vegan</td></tr></table>"
    )
    text = (
        "Vi kommer två:\n\nLena Berg planarkitekt lena.berg@borlange.se\nJonas Ek jonas.ek@borlange.se vegan"
    )
    found = read_structure(text, html)
    assert found.rows == (
        Row("Lena Berg", "lena.berg@borlange.se", "planarkitekt"),
        Row("Jonas Ek", "jonas.ek@borlange.se", diet="vegan"),
    )
    assert found.prose == "Vi kommer två:"


def test_an_html_table_in_the_quoted_history_is_not_read() -> None:
    html = "<p>Jag anmäler mig.</p><blockquote><table><tr><td>Namn</td><td>E-post</td></tr>"
    html += "<tr><td>Per Berg</td><td>per.berg@falun.se</td></tr></table></blockquote>"
    assert read_structure("Jag anmäler mig.", html).rows == ()


def test_a_format_flowed_message_is_read_with_its_soft_breaks_joined() -> None:
    body = "Hej!\n\nNamn\tTitel\tE-post\tTräffar\nLena Berg\tBiträdande \nsamhällsbyggnadschef\t"
    body += "lena.berg@ludvika.se\t1 och \n2\n\nHälsningar\nLena Berg\n"
    raw = mail("x", sender="Lena Berg <lena.berg@ludvika.se>").decode()
    head, _, _ = raw.partition("\n\n")
    head = head.replace(
        'Content-Type: text/plain; charset="utf-8"', "Content-Type: text/plain; charset=utf-8; format=flowed"
    )
    head = head.replace("Content-Transfer-Encoding: 7bit", "Content-Transfer-Encoding: 8bit")
    assert "format=flowed" in head
    parsed = parse(f"{head}\n\n{body}".encode(), MEETINGS)
    assert [(p.name, p.role, p.meetings) for p in parsed.people] == [("Lena Berg", "manager", [1, 2])]
