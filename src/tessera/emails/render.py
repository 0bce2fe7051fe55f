"""Render the e-mail templates in ``templates/``: one HTML body per notification inside a
shared responsive layout, and a plain-text alternative derived from the same values."""

import html
import re
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from tessera.core.mail import Email

_TAGS = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n\s*\n+")


@cache
def template_source(name: str) -> str:
    """The raw HTML of template ``name`` (without the layout)."""
    return (resources.files("tessera.emails") / "templates" / f"{name}.html").read_text("utf-8")


def render(name: str, *, to: str, subject: str, brand: str, **values: Any) -> Email:
    """An e-mail from template ``name``; every value is HTML-escaped."""
    escaped = {key: html.escape(str(value)) for key, value in values.items()}
    escaped["brand"] = html.escape(brand)
    body = Template(template_source(name)).safe_substitute(escaped)
    page = Template(template_source("layout")).safe_substitute(
        brand=escaped["brand"], title=html.escape(subject), body=body
    )
    return Email(to=to, subject=subject, html=page, text=_as_text(body))


def _as_text(body: str) -> str:
    with_links = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2: \1", body, flags=re.S)
    text = html.unescape(_TAGS.sub("", with_links))
    lines = (line.strip() for line in text.splitlines())
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip() + "\n"
