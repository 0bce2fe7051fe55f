"""SQL of the search index: documents in, matching document ids (and scores) out."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Subquery,
    and_,
    cast,
    delete,
    false,
    func,
    literal,
    literal_column,
    not_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from tessera.conversations.models import requests
from tessera.core.db import Record, Tx
from tessera.leads.models import leads
from tessera.search.models import FTS_TABLE, search_documents, search_fts
from tessera.search.text import Query

# Rows per INSERT: far below SQLite's limit of bound parameters.
_BATCH = 500


def upsert(tx: Tx, documents: Sequence[dict[str, Any]]) -> None:
    """Store ``documents`` (``project_id``, ``kind``, ``doc_id``, ``body``), replacing the
    text of those already there; an unchanged text is not rewritten (nor reindexed)."""
    dialect = postgresql if tx.conn.dialect.name == "postgresql" else sqlite
    for start in range(0, len(documents), _BATCH):
        statement = dialect.insert(search_documents).values(list(documents[start : start + _BATCH]))
        statement = statement.on_conflict_do_update(
            index_elements=[search_documents.c.kind, search_documents.c.doc_id],
            set_={"body": statement.excluded.body},
            where=search_documents.c.body != statement.excluded.body,
        )
        tx.conn.execute(statement)


def remove(tx: Tx, kind: str, doc_id: str) -> None:
    tx.conn.execute(
        delete(search_documents).where(
            search_documents.c.kind == kind, search_documents.c.doc_id == doc_id
        )
    )


def lead_names(tx: Tx, project_id: str, lead_pk: str) -> Record | None:
    statement = select(leads.c.fullname, leads.c.email).where(
        leads.c.project_id == project_id, leads.c.id == lead_pk
    )
    return tx.first(statement)


def requests_of_lead(tx: Tx, project_id: str, lead_pk: str) -> list[Record]:
    """The indexed fields of the lead's requests."""
    statement = select(
        requests.c.id,
        requests.c.project_id,
        requests.c.subject,
        requests.c.transcript,
        requests.c.rating_message,
        requests.c.tags,
        requests.c.notes,
    ).where(requests.c.project_id == project_id, requests.c.lead_id == lead_pk)
    return tx.all(statement)


def matching(tx: Tx, project_id: str, kind: str, query: Query) -> Subquery:
    """``(doc_id, score)`` of the project's documents of ``kind`` matching ``query``; a
    higher score is a better match (BM25 on SQLite, ``ts_rank`` on PostgreSQL: the values
    differ between databases, the matching documents do not)."""
    documents = search_documents
    if query.matches_nothing:
        nothing = select(documents.c.doc_id, literal(0.0, Float()).label("score"))
        return nothing.where(false()).subquery("search_hits")
    scope = [documents.c.project_id == project_id, documents.c.kind == kind]
    statement = (
        _fts5_matching(query) if tx.conn.dialect.name == "sqlite" else _tsvector_matching(query)
    )
    return statement.where(*scope, *_phrase_conditions(query)).subquery("search_hits")


def _fts5_matching(query: Query) -> Select[Any]:
    # bm25() is "lower is better": negated so that both databases sort descending.
    score = (-func.bm25(literal_column(FTS_TABLE))).label("score")
    return (
        select(search_documents.c.doc_id, score)
        .select_from(search_fts.join(search_documents, search_documents.c.id == search_fts.c.rowid))
        .where(literal_column(FTS_TABLE).op("MATCH")(_fts5_expression(query)))
    )


def _fts5_expression(query: Query) -> str:
    """The FTS5 query: every word a quoted string (``search.text`` words hold letters,
    digits and ``_`` only), so that no input is FTS5 syntax."""
    wanted = _phrase_words(query) or query.terms
    operator = " AND " if query.phrases else " OR "
    expression = "(" + operator.join(f'"{word}"' for word in wanted) + ")"
    if query.excluded:
        expression += " NOT (" + " OR ".join(f'"{word}"' for word in query.excluded) + ")"
    return expression


def _tsvector_matching(query: Query) -> Select[Any]:
    # Must spell the expression of the GIN index of migration 0004 exactly.
    vector = func.array_to_tsvector(
        func.string_to_array(search_documents.c.body, literal_column("' '"))
    )
    tsquery = cast(literal(_tsquery_expression(query)), postgresql.TSQUERY())
    return select(search_documents.c.doc_id, func.ts_rank(vector, tsquery).label("score")).where(
        vector.bool_op("@@")(tsquery)
    )


def _tsquery_expression(query: Query) -> str:
    """The tsquery text: words as quoted lexemes (no quote or backslash in a word), so that
    no input is tsquery syntax."""
    wanted = _phrase_words(query) or query.terms
    operator = " & " if query.phrases else " | "
    expression = "(" + operator.join(f"'{word}'" for word in wanted) + ")"
    return "".join([expression, *(f" & !'{word}'" for word in query.excluded)])


def _phrase_words(query: Query) -> tuple[str, ...]:
    return tuple(dict.fromkeys(word for phrase in query.phrases for word in phrase))


def _phrase_conditions(query: Query) -> list[ColumnElement[bool]]:
    """Phrases are checked on the stored words themselves (the index finds the documents
    having all their words): the same test on both databases."""
    spaced = literal(" ") + search_documents.c.body + literal(" ")
    required = [spaced.contains(f" {' '.join(p)} ", autoescape=True) for p in query.phrases]
    excluded = [
        not_(spaced.contains(f" {' '.join(p)} ", autoescape=True)) for p in query.excluded_phrases
    ]
    return [and_(*required, *excluded)] if required or excluded else []
