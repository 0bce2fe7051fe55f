"""Canned responses: ``/:pid/canned``."""
