"""Chinese full-text search of suggestions: one tokenizer for the stored words and the query
(`similarity.tokens`, jieba), one indexed match per database.

- The services store `search_tokens`: the title and content segmented into words,
  space-joined (`similarity.search_text`).
- PostgreSQL: a GIN index on `to_tsvector('simple', search_tokens)` (migration 0002); a query
  is `to_tsvector('simple', search_tokens) @@ plainto_tsquery('simple', <its words>)`.
- SQLite: an FTS5 table (`unicode61`) kept by triggers on the suggestion table (migration
  0002); a query matches every word of the query as a phrase.
- A query with no word the tokenizer keeps (only stop words or numbers) falls back to a plain
  substring match on the title (LIKE, no index): still correct, never an error.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from wulian.suggestions import similarity

FTS_TABLE = "suggestions_suggestion_fts"
MAX_QUERY_WORDS = 8
MAX_QUERY_CHARS = 100


def tokens_for(title: str, content: str) -> str:
    """What the `search_tokens` column holds for a suggestion."""
    return similarity.search_text(f"{title}\n{content}")


def query_words(q: str) -> list[str]:
    words = list(dict.fromkeys(similarity.query_tokens((q or "").strip()[:MAX_QUERY_CHARS])))
    return words[:MAX_QUERY_WORDS]


def _fts5_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def matching(qs: QuerySet, q: str) -> QuerySet:
    """The suggestions of `qs` whose title or content contains every word of `q`."""
    q = (q or "").strip()[:MAX_QUERY_CHARS]
    if not q:
        return qs
    words = query_words(q)
    if not words:
        return qs.filter(Q(title__icontains=q))
    # The table name comes from the model; the words are bound parameters.
    table = qs.model._meta.db_table
    if connection.vendor == "postgresql":
        return qs.filter(
            RawSQL(  # noqa: S611
                f'to_tsvector(\'simple\'::regconfig, "{table}"."search_tokens") '
                "@@ plainto_tsquery('simple'::regconfig, %s)",
                [" ".join(words)],
                output_field=BooleanField(),
            )
        )
    if connection.vendor == "sqlite":
        return qs.filter(
            RawSQL(  # noqa: S611
                f'"{table}"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)',  # noqa: S608
                [" ".join(_fts5_phrase(w) for w in words)],
                output_field=BooleanField(),
            )
        )
    condition = Q()
    for word in words:
        condition &= Q(search_tokens__contains=word)
    return qs.filter(condition)


# --- Keeping the SQLite index -------------------------------------------------------------------

_SQLITE_TRIGGERS = (f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au")


def ensure_index(using: str = "default", **kwargs: object) -> bool:
    """After `migrate` (post_migrate): on SQLite, a later migration that rebuilds the
    suggestion table drops its triggers with it; put them back and rebuild the FTS table from
    the column. Returns whether anything had to be repaired. PostgreSQL's index survives."""
    from importlib import import_module

    from django.db import connections

    m = import_module("wulian.suggestions.migrations.0002_search_index")

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{FTS_TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        if {FTS_TABLE, *_SQLITE_TRIGGERS} <= present:
            return False
        table_exists = conn.introspection.table_names(cursor)
        if "suggestions_suggestion" not in table_exists:
            return False
        for sql in m.SQLITE_FORWARD:
            cursor.execute(sql)
    return True
