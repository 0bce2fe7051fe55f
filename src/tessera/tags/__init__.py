"""The project's tag library: ``/:pid/tags``."""
