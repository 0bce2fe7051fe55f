"""Agent groups used by routing: ``/:pid/groups``."""
