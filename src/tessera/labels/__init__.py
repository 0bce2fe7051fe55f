"""Labels: the texts of the web widget, per language, with built-in defaults (fact sheet §5.12)."""
