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
- The public page searches only what it shows (`matching(..., public=True)`): the column
  `public_search_tokens` (the approved title, content and replies as shown, redacted), with
  its own index (migration 0008: a GIN index on published rows on PostgreSQL, a second FTS5
  table on SQLite) and the approved title for the fallback. It never reads `search_tokens`:
  a search for a deputy's name must not tell which suggestions name them.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from wulian.suggestions import similarity

FTS_TABLE = "suggestions_suggestion_fts"
PUBLIC_FTS_TABLE = "suggestions_suggestion_public_fts"
MAX_QUERY_WORDS = 8
MAX_QUERY_CHARS = 100


def tokens_for(title: str, content: str) -> str:
    """What the `search_tokens` column holds for a suggestion."""
    return similarity.search_text(f"{title}\n{content}")


def public_tokens_for(*texts: str) -> str:
    """What the `public_search_tokens` column holds: the texts as the public page shows them
    (already redacted), the mask itself left out."""
    from wulian.suggestions import redact

    return similarity.search_text("\n".join(t.replace(redact.mark(), " ") for t in texts))


def query_words(q: str) -> list[str]:
    words = list(dict.fromkeys(similarity.query_tokens((q or "").strip()[:MAX_QUERY_CHARS])))
    return words[:MAX_QUERY_WORDS]


def _fts5_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def matching(qs: QuerySet, q: str, *, public: bool = False) -> QuerySet:
    """The suggestions of `qs` whose title or content contains every word of `q`; with
    `public`, whose approved public texts do (and nothing else)."""
    q = (q or "").strip()[:MAX_QUERY_CHARS]
    if not q:
        return qs
    column, fts_table, title = (
        ("public_search_tokens", PUBLIC_FTS_TABLE, "public_title")
        if public
        else ("search_tokens", FTS_TABLE, "title")
    )
    words = query_words(q)
    if not words:
        return qs.filter(Q(**{f"{title}__icontains": q}))
    # The table and column names come from the model and the two choices above; the words
    # are bound parameters.
    table = qs.model._meta.db_table
    if connection.vendor == "postgresql":
        return qs.filter(
            RawSQL(  # noqa: S611
                f'to_tsvector(\'simple\'::regconfig, "{table}"."{column}") '
                "@@ plainto_tsquery('simple'::regconfig, %s)",
                [" ".join(words)],
                output_field=BooleanField(),
            )
        )
    if connection.vendor == "sqlite":
        return qs.filter(
            RawSQL(  # noqa: S611
                f'"{table}"."id" IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s)',  # noqa: S608
                [" ".join(_fts5_phrase(w) for w in words)],
                output_field=BooleanField(),
            )
        )
    condition = Q()
    for word in words:
        condition &= Q(**{f"{column}__contains": word})
    return qs.filter(condition)


# --- Keeping the SQLite index -------------------------------------------------------------------

_SQLITE_INDEXES = (
    # (migration, FTS table, its column): each migration's SQLITE_FORWARD creates its table
    # and triggers.
    ("0002_search_index", FTS_TABLE, "search_tokens"),
    ("0008_publication_approval", PUBLIC_FTS_TABLE, "public_search_tokens"),
)


def ensure_index(using: str = "default", **kwargs: object) -> bool:
    """After `migrate` (post_migrate): on SQLite, a later migration that rebuilds the
    suggestion table drops its triggers with it; put them back and rebuild the FTS tables from
    their columns. Returns whether anything had to be repaired. PostgreSQL's indexes survive."""
    from importlib import import_module

    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    repaired = False
    with conn.cursor() as cursor:
        if "suggestions_suggestion" not in conn.introspection.table_names(cursor):
            return False
        columns = {
            c.name
            for c in conn.introspection.get_table_description(cursor, "suggestions_suggestion")
        }
        for migration, table, column in _SQLITE_INDEXES:
            if column not in columns:
                continue  # migrated back before the column (and its index) existed
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
                "AND name IN (%s, %s, %s, %s)",
                [table, f"{table}_ai", f"{table}_ad", f"{table}_au"],
            )
            if len(cursor.fetchall()) == 4:
                continue
            m = import_module(f"wulian.suggestions.migrations.{migration}")
            for sql in m.SQLITE_FORWARD:
                cursor.execute(sql)
            repaired = True
    return repaired
