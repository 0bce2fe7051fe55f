"""Segments (saved lead filters): ``/:pid/segments``, and the ``segment`` filter of leads."""
