"""Render the e-mail templates in ``templates/``: one HTML body per notification inside a
shared responsive layout, and a plain-text alternative derived from the same values.

Templates use the part of Handlebars' syntax that Tiledesk's own templates use, so that a
template a project stored in ``settings.email.templates`` for Tiledesk renders here too:
``{{path.to.value}}`` (HTML-escaped), ``{{{path}}}`` (inserted as it is: only for HTML the
code built and escaped itself, such as ``msgText``), ``{{#if path}}…{{else}}…{{/if}}``,
``{{#unless path}}…{{/unless}}`` and Tiledesk's ``{{#ifEquals path "text"}}…{{/ifEquals}}``.
Any other tag (``{{#each}}``, comments, helpers) renders as nothing.
"""

import html
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from tessera.core.mail import Email

_TAGS = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n\s*\n+")

# An innermost block: its body holds no other opening block tag.
_BLOCK = re.compile(
    r"\{\{#(if|unless|ifEquals)\s+([^}]*?)\s*\}\}"
    r"((?:(?!\{\{#(?:if|unless|ifEquals)\s).)*?)"
    r"\{\{/\1\s*\}\}",
    re.S,
)
_ELSE = re.compile(r"\{\{\s*else\s*\}\}")
# One pass over the template for every value tag, so that text inserted from a value is
# never read as a tag itself: ``{{{raw}}}``, ``{{escaped}}``, or any other tag (dropped).
_VALUE = re.compile(r"\{\{\{\s*([\w.@$-]+)\s*\}\}\}|\{\{\s*([\w.@$-]+)\s*\}\}|\{\{\{?[^}]*\}\}\}?")
_ARGUMENT = re.compile(r'"([^"]*)"|\'([^\']*)\'|(\S+)')


class Markup(str):
    """HTML the code built itself (already escaped where it holds user text)."""

    __slots__ = ()


@cache
def template_source(name: str) -> str:
    """The raw HTML of template ``name`` (without the layout)."""
    return (resources.files("tessera.emails") / "templates" / f"{name}.html").read_text("utf-8")


def fill(source: str, context: Mapping[str, Any]) -> str:
    """``source`` with its tags replaced by values of ``context`` (see the module docstring)."""
    previous = None
    while previous != source:
        previous = source
        source = _BLOCK.sub(lambda match: _block(match, context), source)
    return _VALUE.sub(lambda match: _value(match, context), source)


def lookup(context: Mapping[str, Any], path: str) -> Any:
    value: Any = context
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def message_html(text: object) -> Markup:
    """User text as HTML: escaped, line breaks kept (Tiledesk: ``encode`` then markdown)."""
    escaped = html.escape(str(text or ""))
    return Markup(escaped.replace("\r\n", "\n").replace("\n", "<br>\n"))


def page(body: str, *, title: str, brand: str) -> str:
    """``body`` inside the shared responsive layout."""
    return fill(template_source("layout"), {"title": title, "brand": brand, "body": Markup(body)})


def render(name: str, *, to: str, subject: str, brand: str, **values: Any) -> Email:
    """An e-mail from template ``name``; every value is HTML-escaped unless it is Markup."""
    body = fill(template_source(name), {**values, "brand": brand})
    return Email(
        to=to, subject=subject, html=page(body, title=subject, brand=brand), text=as_text(body)
    )


def as_text(body: str) -> str:
    """The plain-text alternative of an HTML body: links spelled out, tags dropped."""
    with_links = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2: \1", body, flags=re.S)
    without_head = re.sub(r"<(style|head|title)[^>]*>.*?</\1>", "", with_links, flags=re.S | re.I)
    without_head = re.sub(r"</td>\s*<td[^>]*>", ": ", without_head)
    text = html.unescape(_TAGS.sub("", without_head))
    lines = (line.strip() for line in text.splitlines())
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip() + "\n"


def _block(match: re.Match[str], context: Mapping[str, Any]) -> str:
    helper, arguments, content = match.group(1), match.group(2), match.group(3)
    parts = _ELSE.split(content, maxsplit=1)
    when_true, when_false = parts[0], parts[1] if len(parts) > 1 else ""
    values = [_argument(context, found) for found in _ARGUMENT.finditer(arguments)]
    if helper == "ifEquals":
        holds = len(values) == 2 and _text(values[0]) == _text(values[1])
    else:
        holds = bool(values and values[0])
        if helper == "unless":
            holds = not holds
    return when_true if holds else when_false


def _value(match: re.Match[str], context: Mapping[str, Any]) -> str:
    raw, escaped = match.group(1), match.group(2)
    if raw is not None:
        return _text(lookup(context, raw))
    if escaped is not None:
        return html.escape(_text(lookup(context, escaped)))
    return ""


def _argument(context: Mapping[str, Any], found: re.Match[str]) -> Any:
    if found.group(3) is None:
        return found.group(1) if found.group(1) is not None else found.group(2)
    return lookup(context, found.group(3))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
