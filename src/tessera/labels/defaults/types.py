"""The shape of one language's built-in texts."""

Texts = dict[str, str | list[str]]
"""Label key -> text; ``ARRAY_DAYS`` is the only list (the seven day names)."""
