"""Words as the search index sees them, and MongoDB's ``$search`` syntax (fact sheet §5.4.2).

Both databases must return the same documents, so Python does all the linguistics once:
case folding, diacritic folding and word splitting happen here, for the stored text and for
the query alike. The stored body is a list of normalized words separated by single spaces
(and ``|`` between fields), and each database only splits it on spaces (FTS5's ``ascii``
tokenizer on SQLite, ``string_to_array`` on PostgreSQL): neither database's own Unicode
tables can make the two disagree.

Tiledesk's text indexes use the language ``none`` (no stemming, no stop words), which is what
this does. Words are runs of letters, digits and ``_`` after folding (MongoDB also splits on
punctuation such as ``@`` and ``.``, so ``ada@example.com`` is the words ``ada``, ``example``,
``com``).
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Longer "words" are hashes, tokens or base64 nobody types; PostgreSQL also refuses lexemes
# above 2 KiB. Dropped from the text and from queries alike.
MAX_WORD = 100
# A PostgreSQL tsvector holds at most 1 MiB; this bound keeps the widest text (4-byte
# characters, short distinct words) below it. Text beyond it is not searchable.
MAX_BODY = 200_000

_WORD = re.compile(r"\w+")
_FIELD_SEPARATOR = "|"
# A query splits into double-quoted phrases, ``-`` signs and everything else.
_QUERY_PART = re.compile(
    r'"(?P<phrase>[^"]*)(?:"|$)|(?P<minus>-)|(?P<text>[^"\s-]+)|(?P<space>\s+)'
)


def fold(text: str) -> str:
    """Lower case without diacritics: ``Crème`` and ``CREME`` fold alike. Decomposed before
    case folding too, since compatibility forms may decompose to capitals (U+210C, U+1D2C)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))


def words(text: str | None) -> list[str]:
    """The searchable words of ``text``, in order."""
    if not text:
        return []
    return [word for word in _WORD.findall(fold(text)) if len(word) <= MAX_WORD]


def body(parts: Sequence[str | None]) -> str:
    """The stored text of a document made of ``parts``: their words joined by spaces, parts
    apart by a ``|`` (a separator to FTS5, a lexeme no query holds on PostgreSQL), so that a
    phrase never spans two fields, as MongoDB matches phrases field by field."""
    text = f" {_FIELD_SEPARATOR} ".join(" ".join(found) for found in map(words, parts) if found)
    if len(text) <= MAX_BODY:
        return text
    return text[: text.rfind(" ", 0, MAX_BODY + 1)]


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed ``$search`` string.

    A document matches when it contains every phrase of ``phrases`` (or, without phrases, any
    word of ``terms``), no word of ``excluded`` and no phrase of ``excluded_phrases``. A query
    with nothing positive matches nothing, as in MongoDB.
    """

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    excluded_phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def matches_nothing(self) -> bool:
        return not self.terms


def parse(search: str) -> Query:
    """MongoDB's ``$search`` rules: words are alternatives; ``"a phrase"`` is required; a
    ``-`` after a space (or first) excludes the next word or phrase. Anything else (``*``,
    ``(``, ``AND``, ``NEAR``...) is an ordinary word or a separator, never an error."""
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    excluded_phrases: list[tuple[str, ...]] = []
    negate = False
    after_space = True
    for part in _QUERY_PART.finditer(search):
        if part["minus"] is not None:
            negate = after_space
            after_space = False
            continue
        if part["space"] is not None:
            after_space = True
            negate = False
            continue
        found = words(part["phrase"] if part["phrase"] is not None else part["text"])
        if part["phrase"] is not None and found:
            (excluded_phrases if negate else phrases).append(tuple(found))
            if not negate:
                terms.extend(found)
        elif found:
            (excluded if negate else terms).append(found[0])
            terms.extend(found[1:])
        negate = False
        after_space = False
    return Query(
        terms=tuple(dict.fromkeys(terms)),
        phrases=tuple(dict.fromkeys(phrases)),
        excluded=tuple(dict.fromkeys(excluded)),
        excluded_phrases=tuple(dict.fromkeys(excluded_phrases)),
    )
