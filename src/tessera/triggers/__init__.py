"""Triggers (fact sheet §5.29): rules that act on conversations when events happen."""
