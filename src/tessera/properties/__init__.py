"""Properties (custom contact fields): ``/:pid/properties``."""
