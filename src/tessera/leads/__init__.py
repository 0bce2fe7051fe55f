"""Leads (contacts): ``/:pid/leads``."""
