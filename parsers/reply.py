"""What is new in a message: quoted history, signature and disclaimers split off, the signature kept.

mail-parser-reply was evaluated (see docs/parser.md): it reads hyphen lists as signatures, misses the
Swedish "Ursprungligt meddelande" and "Vidarebefordrat meddelande" separators and costs ~4 ms a
message, so the rules below are our own, written for Swedish and English clients, line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.text import EMAIL_RE, Cue, fold

# A line that opens quoted or forwarded history, in the languages of the mail clients a mailbox sees
# (Swedish, English, German, French, Dutch, Danish/Norwegian, Finnish, Spanish).
_SEPARATOR = re.compile(
    r"^[>\s]*-{2,}\s*(ursprungligt meddelande|original message|originalmeddelande|ursprüngliche nachricht"
    r"|message d'origine|oorspronkelijk bericht|oprindelig meddelelse|opprinnelig melding"
    r"|alkuperäinen viesti|mensaje original)\s*-{2,}\s*$",
    re.I,
)
_FORWARD = re.compile(
    r"^[>\s]*(-{2,}\s*(vidarebefordrat meddelande|forwarded message|weitergeleitete nachricht"
    r"|message transféré|doorgestuurd bericht|videresendt meddelelse|videresendt melding"
    r"|välitetty viesti|mensaje reenviado)\s*-{2,}"
    r"|(begin forwarded message|vidarebefordrat meddelande|start på vidarebefordrat meddelande"
    r"|inledning av vidarebefordrat meddelande|anfang der weitergeleiteten nachricht"
    r"|début du message réexpédié|begin doorgestuurd bericht)\s*:)\s*$",
    re.I,
)
_WROTE_WORDS = ("skrev", "wrote", "schrieb", "schreef", "écrit", "kirjoitti", "escribió")
_WROTE = re.compile(r"\b(skrev|wrote|schrieb|schreef|a écrit|kirjoitti|escribió)\b[^:]{0,120}:\s*$", re.I)
# "On Mon, 5 Aug 2024 at 10:12, Anna <anna@x.se> wrote" with the colon left off: the line must also
# open like a quote header and end on the verb or the quoted sender's address.
_WROTE_BARE = re.compile(
    r"\b(skrev|wrote|schrieb|schreef|a écrit|kirjoitti|escribió)(\s+[^.!?:]{0,80}>)?\s*$", re.I
)
_WROTE_START = re.compile(
    r"^(den|on|am|le|op|el|\d{1,2}[ ./]|\d{4}-"
    r"|(mån|tis|ons|tor|fre|lör|sön|mon|tue|wed|thu|fri|sat|sun)\w*\b)",
    re.I,
)
_HEADER_FIELD = re.compile(
    r"^[>*\s]*(från|from|skickat|sent|datum|date|till|to|ämne|subject|kopia|cc|von|gesendet|an|betreff"
    r"|de|envoyé|à|objet|van|verzonden|aan|onderwerp|fra|sendt|til|emne|lähettäjä|lähetetty"
    r"|vastaanottaja|aihe|enviado|para|asunto)\s*:\*?",
    re.I,
)
_HEADER_FROM = re.compile(r"^[>*\s]*(från|from|von|de|van|fra|lähettäjä)\s*:", re.I)
_HEADER_TO = frozenset(["till", "to", "an", "à", "aan", "til", "vastaanottaja", "para"])
_UNDERSCORES = re.compile(r"^[_\-=]{20,}$")
_HAS_DIGIT = re.compile(r"\d")

# A line that closes the message and opens the signature.
_VALEDICTION = re.compile(
    r"^(med\s+)?((vänlig|vänliga|bästa|varma|många|glada|soliga)\s+)?(hälsning|hälsningar)\b"
    r"|^(mvh|m\.?v\.?h\.?|vh|vänligen|hälsar|allt gott|ha det bra)\b"
    r"|^(kind|best|warm|many)?\s*regards\b|^best wishes\b|^(best|cheers|br)\s*[,!.]?\s*$"
    r"|^(yours sincerely|sincerely)\b",
    re.I,
)
_THANKS = re.compile(r"^(tack|thanks|thank you)\b[^?]{0,30}$", re.I)
_SLASH_NAME = re.compile(r"^/\s*[A-ZÅÄÖÉ][\w\-]+(\s+[A-ZÅÄÖÉ][\w\-]+)?\s*$")
_SENT_FROM = re.compile(
    r"^(skickat från|sent from|skickades från|hämta outlook|skaffa outlook|get outlook|skickat via|sent via)\b",
    re.I,
)
# Words that only a disclaimer or a security banner uses, in the languages above.
_DISCLAIMER_WORDS = (
    "konfidentiell|allmän handling|offentlighetsprincip|personuppgift|dataskydd|gdpr|tänk på miljön"
    "|innan du skriver ut|avsett för adressaten|avsedd för adressaten|radera meddelandet|extern avsändare"
    "|confidential|intended recipient|think before you print|mail and any attachments"
    "|received this e-mail in error|received this email in error|originated from outside"
    "|vertraulich|irrtümlich erhalten|dieser e-mail|diese e-mail|confidentiel|destinataire"
    "|vertrouwelijk|geadresseerde|fortrolig|luottamuksellinen|confidencial|destinatario"
)
_DISCLAIMER = Cue(_DISCLAIMER_WORDS.replace("mail and any", "e-?mail and any"), _DISCLAIMER_WORDS)
# A banner a mail gateway puts above the text ("CAUTION: This email originated from outside ...").
_BANNER = Cue(
    r"originated from outside|extern avsändare|externt (e-?post|mejl)|external (sender|email)"
    r"|externe[rn]? (absender|e-mail)|expéditeur externe|externe afzender",
    "originated from outside|extern avsändare|externt|external|externe|expéditeur externe",
)


@dataclass
class Forwarded:
    """A forwarded or quoted message found below the new text."""

    sender: str | None
    sender_name: str | None
    text: str
    forward: bool  # opened by a forward marker, not a reply header
    recipients: tuple[str, ...] = ()  # the quoted header's To addresses


@dataclass
class Split:
    """One message body cut into what the sender wrote now, their signature, and the rest."""

    body: str = ""  # new text without signature and disclaimers
    signature: list[str] = field(default_factory=list)
    disclaimers: list[str] = field(default_factory=list)
    quoted: list[Forwarded] = field(default_factory=list)

    @property
    def new_text(self) -> str:
        parts = [self.body, "\n".join(self.signature)]
        return "\n\n".join(p for p in parts if p).strip()


def _header_block_at(lines: list[str], i: int) -> bool:
    """True when a header block ("Från:/Skickat:/Till:/Ämne:", "Von:/Gesendet:/An:/Betreff:", Hotmail's
    "Date:/Subject:/From:/To:") starts at line i: three fields or more, one of them the sender."""
    if not _HEADER_FIELD.match(lines[i]):
        return False
    fields = 1
    sender = bool(_HEADER_FROM.match(lines[i]))
    for line in lines[i + 1 : i + 7]:
        if _HEADER_FIELD.match(line):
            fields += 1
            sender = sender or bool(_HEADER_FROM.match(line))
        elif line.strip() and len(line) > 120:
            # a wrapped header value is fine; a paragraph of prose is not
            break
    return fields >= 3 and sender


def _wrote_line_at(lines: list[str], i: int) -> int:
    """How many lines (1 or 2) a "Den ... skrev ...:" / "On ... wrote:" header spans at i, else 0."""
    line = lines[i].lstrip("> ").strip()
    if not line or len(line) > 250:
        return 0
    if _WROTE.search(line) and (_WROTE_START.match(line) or "@" in line or len(line) < 160):
        return 1
    if _WROTE_START.match(line) and _WROTE_BARE.search(line) and ("@" in line or _HAS_DIGIT.search(line)):
        return 1
    if i + 1 < len(lines):
        joined = line + " " + lines[i + 1].lstrip("> ").strip()
        if _WROTE_START.match(line) and _WROTE.search(joined) and len(joined) < 250:
            return 2
    return 0


def _boundary(lines: list[str], start: int) -> tuple[int, int, str] | None:
    """The next history boundary at or after start: (line, marker lines, kind)."""
    # Each test runs only on lines holding a word it needs: most lines of a message are plain prose.
    n = len(lines)
    low = lines[start].lower() if start < n else ""
    wrote_here = any(w in low for w in _WROTE_WORDS)
    for i in range(start, n):
        line = lines[i]
        # the next line's words too: a "Den ... skrev ...:" header may wrap onto it
        next_low = lines[i + 1].lower() if i + 1 < n else ""
        wrote_next = any(w in next_low for w in _WROTE_WORDS)
        if ("--" in line or ":" in line) and _FORWARD.match(line):
            return i, 1, "forward"
        if "--" in line and _SEPARATOR.match(line):
            return i, 1, "header"
        if (
            line[:1] in ("_", "-", "=")
            and _UNDERSCORES.match(line)
            and i + 1 < n
            and _header_block_at(lines, i + 1)
        ):
            return i, 1, "header"
        if ":" in line and _header_block_at(lines, i):
            return i, 0, "header"
        if wrote_here or wrote_next:
            span = _wrote_line_at(lines, i)
            if span:
                return i, span, "wrote"
        if line.startswith(">"):
            return i, 0, "quote"
        low, wrote_here = next_low, wrote_next
    return None


def _parse_header_block(lines: list[str]) -> tuple[str | None, str | None, int, tuple[str, ...]]:
    """Sender of a quoted block's header lines, how many lines the header took, and its To addresses."""
    sender = name = None
    to: list[str] = []
    n = 0
    for n, line in enumerate(lines):
        stripped = line.lstrip("> *").strip()
        if not stripped:
            if n == 0:
                continue
            # an HTML client's header puts each field in a paragraph of its own: a blank line before the
            # next field does not end the block
            following = lines[n + 1].lstrip("> *").strip() if n + 1 < len(lines) else ""
            if following and _HEADER_FIELD.match(following) and n < 12:
                continue
            break
        m = _HEADER_FIELD.match(stripped)
        if not m:
            if n > 0 and n < 8 and sender is None:
                continue
            break
        if m.group(1).lower() in {"från", "from"}:
            value = stripped[m.end() :].strip(" *")
            addr = EMAIL_RE.search(value)
            sender = addr.group(0).lower() if addr else None
            raw_name = value[: addr.start()] if addr else value
            name = raw_name.strip(' "<>[]').strip() or None
        elif m.group(1).lower() in _HEADER_TO:
            to.extend(a.lower() for a in EMAIL_RE.findall(stripped[m.end() :]))
    else:
        n = len(lines)
    return sender, name, n, tuple(to)


# marks where answers written inside a quote begin among the sender's own lines (never text of a mail)
_ANSWERS_BELOW = "\x00answers"

# a quoted line this long was likely wrapped by the client: an unquoted line right under it may be its tail
_WRAPPED_QUOTE = 60


def _inline_answers(rest: list[str]) -> tuple[list[str], list[str]]:
    """New text written between or under ">" lines of a quote (answers inline), and the quote without it.

    Only when the quote is ">"-prefixed from its first line: then a line without ">" is the sender's own.
    An unquoted line right under a long quoted line may be that line's wrapped tail, so it must follow a
    blank line or a short quoted line. Another quote header ends the reading: below it is older history.
    """
    first = next((line for line in rest if line.strip()), "")
    if not first.startswith(">"):
        return [], rest
    answers: list[str] = []
    quote: list[str] = []
    previous = ""  # the last line seen, quoted or blank
    in_answer = False
    for i, line in enumerate(rest):
        if line.startswith(">") or not line.strip():
            quote.append(line)
            if in_answer and not line.strip():
                answers.append("")
            in_answer = in_answer and not line.startswith(">")
            previous = line
            continue
        if not in_answer:
            opens = (
                not previous.strip() or not previous.lstrip("> ").strip() or len(previous) < _WRAPPED_QUOTE
            )
            header = _boundary(rest[i : i + 3], 0)
            if not opens or (header is not None and header[0] == 0):
                return [], rest
        answers.append(line)
        in_answer = True
        previous = line
    return answers, quote


def _split_quotes(lines: list[str]) -> tuple[list[str], list[Forwarded]]:
    found = _boundary(lines, 0)
    if found is None:
        return lines, []
    own = lines[: found[0]]
    rest = lines[found[0] + found[1] :]
    quoted: list[Forwarded] = []
    forward = found[2] == "forward"
    if found[2] in {"wrote", "quote"}:
        # "Den ... skrev X <x@y>:" names its sender on the header line itself
        header = " ".join(lines[found[0] : found[0] + found[1]])
        addr = EMAIL_RE.search(header)
        answers, rest = _inline_answers(rest)
        if answers:
            # the sign-off above the quote closes only that part: the answers below it are not signature
            own = [*own, "", _ANSWERS_BELOW, "", *answers]
        body = [line[1:].lstrip() if line.startswith(">") else line for line in rest]
        quoted.append(Forwarded(addr.group(0).lower() if addr else None, None, "\n".join(body), False))
        return own, quoted
    sender, name, used, to = _parse_header_block(rest)
    body = rest[used:]
    if body and all(not line or line.startswith(">") for line in body[:5]):
        body = [line[1:].lstrip() if line.startswith(">") else line for line in body]
    quoted.append(Forwarded(sender, name, "\n".join(body), forward, to))
    return own, quoted


def _is_disclaimer(paragraph: str) -> bool:
    low = paragraph.lower()
    return bool(_DISCLAIMER.search(paragraph, low)) and (len(paragraph) > 60 or "miljön" in low)


_PARTY = re.compile(r"\s*\((?:S|M|C|V|L|KD|MP|SD)\)\s*$")


def _signature_start(lines: list[str], sender_names: tuple[str, ...]) -> int | None:
    """Index of the first signature line, or None when the message has no recognisable signature."""
    n = len(lines)
    dashes = next((i for i in range(n - 1, -1, -1) if lines[i].strip() in {"--", "__"}), None)
    for i in range(n - 1, -1, -1):
        line = lines[i].strip()
        if not line or len(line) > 60:
            continue
        thanks = bool(_THANKS.match(line)) and 0 < sum(1 for r in lines[i + 1 :] if r.strip()) <= 8
        if _VALEDICTION.match(line) or _SLASH_NAME.match(line) or thanks:
            return i if dashes is None else min(i, dashes)
    if dashes is not None:
        return dashes
    # No closing words: a trailing line that is the sender's own name opens the signature.
    names = {fold(n) for n in sender_names if n}
    for i in range(n - 1, max(-1, n - 12), -1):
        # a politician signs with their party after the name: "Bengt Ersson (S)"
        if fold(_PARTY.sub("", lines[i])) in names and i > 0:
            return i
    return None


def split(text: str, sender_names: tuple[str, ...] = ()) -> Split:
    """Cut a decoded body into new text, signature, disclaimers and quoted history."""
    lines = text.split("\n")
    own, quoted = _split_quotes(lines)
    out = Split(quoted=quoted)
    # drop "Skickat från min iPhone" wherever it stands; it says nothing about the sender
    own = [line for line in own if not _SENT_FROM.match(line.strip())]
    paragraphs: list[list[str]] = [[]]
    for line in own:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    kept: list[str] = []
    for para in paragraphs:
        joined = " ".join(para)
        if para and _is_disclaimer(joined) and (len(kept) > 0 or _BANNER.search(joined)):
            out.disclaimers.append(joined)
            continue
        kept.extend([*para, ""])
    bodies: list[str] = []
    # text above a quote and answers written inside it each end on their own sign-off
    for part in _parts(kept):
        start = _signature_start(part, sender_names)
        if start is None:
            bodies.append("\n".join(part).strip())
        else:
            bodies.append("\n".join(part[:start]).strip())
            out.signature.extend(line for line in part[start:] if line.strip())
    out.body = "\n\n".join(b for b in bodies if b)
    return out


def _parts(lines: list[str]) -> list[list[str]]:
    if _ANSWERS_BELOW not in lines:
        return [lines]
    at = lines.index(_ANSWERS_BELOW)
    return [lines[:at], lines[at + 1 :]]
