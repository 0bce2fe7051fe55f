"""The built-in label sets: 15 languages with the same keys, written for Tessera (§5.12).

``Tiledesk`` in a text stands for the product name: it is replaced by the ``BRAND_NAME``
setting (and ``tiledesk`` by its lower-case form), as Tiledesk's ``fetchLabels`` does.
``ARRAY_DAYS`` starts on Sunday because the widget indexes it with JavaScript's
``Date.getDay()``.
"""

from functools import lru_cache
from typing import Any

import orjson

from tessera.labels.defaults import ar, az, de, en, es, fr, it, kk, pt, ru, sr, sv, tr, uk, uz

FALLBACK_LANGUAGE = "EN"

# Tiledesk's order (config/labels/widget.json): English first, the pivot of every fallback.
_SETS = {
    "EN": en.TEXTS,
    "IT": it.TEXTS,
    "FR": fr.TEXTS,
    "ES": es.TEXTS,
    "DE": de.TEXTS,
    "PT": pt.TEXTS,
    "RU": ru.TEXTS,
    "TR": tr.TEXTS,
    "SR": sr.TEXTS,
    "AR": ar.TEXTS,
    "UK": uk.TEXTS,
    "SV": sv.TEXTS,
    "KK": kk.TEXTS,
    "UZ": uz.TEXTS,
    "AZ": az.TEXTS,
}
LANGUAGES = tuple(_SETS)

_SERIALISED = orjson.dumps([{"lang": lang, "data": texts} for lang, texts in _SETS.items()])


def builtin_sets(brand: str) -> list[dict[str, Any]]:
    """Every built-in set, ``[{"lang": "EN", "data": {...}}, ...]``, a fresh copy per call."""
    sets: list[dict[str, Any]] = orjson.loads(_branded(brand))
    return sets


def builtin_set(lang: str, brand: str) -> dict[str, Any] | None:
    """The built-in set of ``lang`` (upper-case code), None for a language without one."""
    return next((entry for entry in builtin_sets(brand) if entry["lang"] == lang), None)


@lru_cache(maxsize=8)
def _branded(brand: str) -> bytes:
    # The brand goes in JSON-escaped, so that any name keeps the document valid.
    escaped = orjson.dumps(brand)[1:-1]
    lowered = orjson.dumps(brand.lower())[1:-1]
    return _SERIALISED.replace(b"Tiledesk", escaped).replace(b"tiledesk", lowered)
