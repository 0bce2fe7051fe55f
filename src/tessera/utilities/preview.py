"""Link previews (``POST /:pid/url-preview``, §5.28): fetch each page and read what it says
about itself.

The page is chosen by whoever calls (the route is public), so every request, redirects
included, goes only to public addresses (``core.targets``: checked after resolution and
pinned), is bounded in time and size, and is never retried."""

import asyncio
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import anyio
import httpx

from tessera.core import targets
from tessera.utilities.schemas import PreviewData

NOT_ALLOWED = "URL not allowed"
_MAX_URL_LENGTH = 2048
_MAX_REDIRECTS = 3
_USER_AGENT = "Mozilla/5.0 (compatible; TesseraBot/1.0; link preview)"


@dataclass(frozen=True, slots=True)
class PreviewOptions:
    allow_private: bool
    timeout_seconds: float
    max_bytes: int


class _Refused(Exception):
    """The URL (or a redirect) is not one the server may fetch."""


class _TooLarge(Exception):
    pass


async def previews(urls: list[str], options: PreviewOptions) -> list[dict[str, Any]]:
    """One result per URL, in order: ``{"url", "success": true, "data"}`` or ``{"url",
    "success": false, "error"}``; the pages are fetched at the same time."""
    async with httpx.AsyncClient(follow_redirects=False, timeout=options.timeout_seconds) as http:
        return list(await asyncio.gather(*(_preview(http, url, options) for url in urls)))


async def _preview(http: httpx.AsyncClient, url: str, options: PreviewOptions) -> dict[str, Any]:
    try:
        with anyio.fail_after(options.timeout_seconds):
            page = await _fetch(http, url, options)
    except (_Refused, targets.TargetRefused):
        return _failure(url, NOT_ALLOWED)
    except TimeoutError:
        return _failure(url, f"timeout of {int(options.timeout_seconds * 1000)}ms exceeded")
    except _TooLarge:
        return _failure(url, f"maxContentLength size of {options.max_bytes} exceeded")
    except httpx.InvalidURL:
        return _failure(url, NOT_ALLOWED)
    except (httpx.HTTPError, OSError) as error:
        return _failure(url, str(error) or type(error).__name__)
    return {"url": url, "success": True, "data": page_data(page, url).wire()}


def _failure(url: str, error: str) -> dict[str, Any]:
    return {"url": url, "success": False, "error": error}


async def _fetch(http: httpx.AsyncClient, url: str, options: PreviewOptions) -> str:
    current = _checked(url, options)
    for _hop in range(_MAX_REDIRECTS + 1):
        pinned = (
            targets.unpinned(str(current))
            if options.allow_private
            else await targets.pin_public(str(current))
        )
        headers = {**pinned.headers, "User-Agent": _USER_AGENT, "Accept": "text/html,*/*;q=0.8"}
        request = http.build_request(
            "GET", pinned.url, headers=headers, extensions=pinned.extensions
        )
        response = await http.send(request, stream=True)
        try:
            location = response.headers.get("location")
            if response.is_redirect and location:
                current = _checked(str(current.join(location)), options)
                continue
            if response.status_code >= 400:
                raise httpx.HTTPStatusError(
                    f"Request failed with status code {response.status_code}",
                    request=request,
                    response=response,
                )
            return await _body(response, options.max_bytes)
        finally:
            await response.aclose()
    raise httpx.TooManyRedirects("Maximum number of redirects exceeded")


def _checked(url: str, options: PreviewOptions) -> httpx.URL:
    """``url`` if it is an http(s) URL the server may fetch (its address is checked again
    once resolved)."""
    if len(url) > _MAX_URL_LENGTH:
        raise _Refused
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise _Refused
    if not options.allow_private and targets.names_private_host(url):
        raise _Refused
    return parsed


async def _body(response: httpx.Response, max_bytes: int) -> str:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks).decode(response.encoding or "utf-8", errors="replace")


# ---------------------------------------------------------------- reading the page


def page_data(page: str, url: str) -> PreviewData:
    reader = _MetaReader()
    reader.feed(page)
    reader.close()
    meta = reader.meta

    def first(*names: str) -> str | None:
        return next((meta[name] for name in names if meta.get(name)), None)

    return PreviewData(
        url=url,
        title=first("og:title") or reader.title,
        description=first("og:description", "description"),
        image=first("og:image", "twitter:image"),
        siteName=first("og:site_name"),
        type=first("og:type"),
        locale=first("og:locale"),
        author=first("author", "article:author"),
        keywords=first("keywords"),
        twitterCard=first("twitter:card"),
        twitterTitle=first("twitter:title"),
        twitterDescription=first("twitter:description"),
        twitterImage=first("twitter:image"),
    )


class _MetaReader(HTMLParser):
    """The ``<meta name|property=... content=...>`` values (first one wins) and the
    ``<title>`` text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self._in_title = False
        self._title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {key.lower(): value for key, value in attrs if value is not None}
            name = (values.get("property") or values.get("name") or "").strip().lower()
            content = (values.get("content") or "").strip()
            if name and content:
                self.meta.setdefault(name, content)
        elif tag == "title" and self.title is None:
            self._in_title = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title = "".join(self._title_parts).strip() or None
