"""Full-text search behind the ``full_text`` filters of requests and leads (no HTTP surface):
one normalized text per document, FTS5 on SQLite, a GIN index on PostgreSQL."""
