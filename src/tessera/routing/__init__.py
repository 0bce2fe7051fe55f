"""Routing: who gets a new or re-routed conversation (fact sheet §5.8). No HTTP surface."""
