"""Transcript documents: which messages each one shows, the time zone, and the HTML, CSV,
text and PDF renderings (Tiledesk: routes/public-request.js, utils/transcriptTimezone.js)."""

import html
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tessera.core.csv import render_csv
from tessera.core.db import Record

_OPENING_TEXTS = frozenset({"welcome", "/start"})
_SYSTEM = "system"
CSV_COLUMNS = ("createdAt", "senderFullname", "text")
# A Unicode font when the system has one (Debian's fonts-dejavu-core); otherwise the PDF's
# built-in Helvetica, which has Latin-1 only (other characters print as "?").
_FONT_DIRECTORY = Path("/usr/share/fonts/truetype/dejavu")


# ---------------------------------------------------------------- which messages


def without_system(messages: Iterable[Record]) -> list[Record]:
    """What the visitor saw: the server's own info messages removed (``-user`` documents)."""
    return [message for message in messages if message.sender != _SYSTEM]


def agent_view(messages: Sequence[Record]) -> list[Record]:
    """``messages.html`` and ``messages.csv``: also without the bot's opening trigger
    (a first message ``welcome`` or ``/start``)."""
    if messages and messages[0].text in _OPENING_TEXTS:
        messages = messages[1:]
    return without_system(messages)


# ---------------------------------------------------------------- time zone


def zone_of(requested: str | None, configured: str | None, operating_hours: str | None) -> tzinfo:
    """The first valid IANA zone among the query's, the server's setting and the project's
    operating hours (``tzname``); UTC otherwise."""
    for name in (requested, configured, _hours_zone(operating_hours)):
        found = _zone(name)
        if found is not None:
            return found
    return UTC


def _hours_zone(operating_hours: str | None) -> str | None:
    if not operating_hours:
        return None
    try:
        hours = orjson.loads(operating_hours)
    except orjson.JSONDecodeError:
        return None
    name = hours.get("tzname") if isinstance(hours, dict) else None
    return name if isinstance(name, str) else None


def _zone(name: str | None) -> tzinfo | None:
    name = (name or "").strip()
    if not name or name.upper() == "UTC":
        return UTC if name else None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def instant(created_at: int, zone: tzinfo) -> str:
    """``2026-11-26 10:15:00 CET`` (``... UTC`` in UTC), as Tiledesk's transcripts print it."""
    moment = datetime.fromtimestamp(created_at / 1000, UTC).astimezone(zone)
    label = "UTC" if zone is UTC else moment.tzname()
    return f"{moment:%Y-%m-%d %H:%M:%S} {label}"


# ---------------------------------------------------------------- documents


def as_csv(messages: Iterable[Record], zone: tzinfo) -> str:
    rows = (
        {
            "createdAt": instant(message.created_at, zone),
            "senderFullname": message.sender_fullname or "",
            "text": message.text or "",
        }
        for message in messages
    )
    return render_csv(rows, CSV_COLUMNS)


def as_text(messages: Iterable[Record], zone: tzinfo) -> str:
    lines = [
        f"[ {instant(m.created_at, zone)}] {m.sender_fullname or ''}: {m.text or ''}\n"
        for m in messages
    ]
    return "Chat transcript:\n" + "".join(lines)


def as_html(messages: Iterable[Record], zone: tzinfo, brand: str) -> str:
    items = "".join(
        '<li class="message">'
        f'<div class="sender">{html.escape(m.sender_fullname or "")}</div>'
        f'<div class="text">{html.escape(m.text or "")}</div>'
        f'<div class="time">{html.escape(instant(m.created_at, zone))}</div>'
        "</li>"
        for m in messages
    )
    return _page("Chat transcript", f'<ul class="messages">{items}</ul>', brand)


def error_page(message: str, brand: str) -> str:
    return _page("Error", f'<p class="error">{html.escape(message)}</p>', brand)


def _page(title: str, body: str, brand: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(brand)} - {html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}"
        f"<footer>Powered by {html.escape(brand)}</footer></body></html>\n"
    )


_STYLE = (
    "body{font-family:sans-serif;max-width:48rem;margin:2rem auto;color:#0f172a}"
    "h1{text-align:center;font-size:1.4rem}.messages{list-style:none;padding:0}"
    ".message{border-bottom:1px solid #e2e8f0;padding:.6rem 0}.sender{font-weight:bold}"
    ".text{white-space:pre-wrap;margin:.3rem 0;color:#334155}"
    ".time{text-align:right;font-size:.75rem;color:#64748b}"
    "footer{text-align:center;font-size:.8rem;color:#64748b;margin-top:2rem}"
)


def as_pdf(messages: Iterable[Record], zone: tzinfo, brand: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(14, 15, 14)
    pdf.add_page()
    family, clean = _font(pdf)
    pdf.set_font(family, "B", 18)
    pdf.cell(0, 12, clean("Chat transcript"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for message in messages:
        pdf.set_draw_color(226, 232, 240)
        pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
        pdf.ln(4)
        pdf.set_text_color(15, 23, 42)
        pdf.set_font(family, "B", 11)
        sender = clean(message.sender_fullname or "Unknown")
        pdf.cell(0, 6, sender, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(family, "", 10)
        pdf.set_text_color(51, 65, 85)
        pdf.multi_cell(0, 5, clean(message.text or ""), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(family, "", 8)
        pdf.set_text_color(100, 116, 139)
        when = clean(instant(message.created_at, zone))
        pdf.cell(0, 5, when, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    pdf.set_font(family, "", 9)
    pdf.cell(0, 6, clean(f"Powered by {brand}"), align="C")
    return bytes(pdf.output())


def _font(pdf: FPDF) -> tuple[str, Callable[[str], str]]:
    regular = _FONT_DIRECTORY / "DejaVuSans.ttf"
    bold = _FONT_DIRECTORY / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu", _keep
    return "Helvetica", _latin1


def _keep(text: str) -> str:
    return text


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")
