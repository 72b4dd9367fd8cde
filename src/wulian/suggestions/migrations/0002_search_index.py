"""Full-text search of suggestions (see wulian/suggestions/search.py): a GIN index on the
`simple` tsvector of `search_tokens` on PostgreSQL; an FTS5 table kept by triggers on SQLite."""

from django.db import migrations

PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS sugg_search_gin ON suggestions_suggestion "
    "USING gin (to_tsvector('simple'::regconfig, search_tokens))",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS sugg_search_gin"]

# Literal statements (no interpolation): suggestions_suggestion and its FTS5 shadow table.
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS suggestions_suggestion_fts USING fts5("
    "search_tokens, content='suggestions_suggestion', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS suggestions_suggestion_fts_ai "
    "AFTER INSERT ON suggestions_suggestion BEGIN "
    "INSERT INTO suggestions_suggestion_fts(rowid, search_tokens) "
    "VALUES (new.id, new.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS suggestions_suggestion_fts_ad "
    "AFTER DELETE ON suggestions_suggestion BEGIN "
    "INSERT INTO suggestions_suggestion_fts(suggestions_suggestion_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS suggestions_suggestion_fts_au "
    "AFTER UPDATE OF search_tokens ON suggestions_suggestion BEGIN "
    "INSERT INTO suggestions_suggestion_fts(suggestions_suggestion_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); "
    "INSERT INTO suggestions_suggestion_fts(rowid, search_tokens) "
    "VALUES (new.id, new.search_tokens); END",
    "INSERT INTO suggestions_suggestion_fts(suggestions_suggestion_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS suggestions_suggestion_fts_ai",
    "DROP TRIGGER IF EXISTS suggestions_suggestion_fts_ad",
    "DROP TRIGGER IF EXISTS suggestions_suggestion_fts_au",
    "DROP TABLE IF EXISTS suggestions_suggestion_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
