"""Utilities and diagnostics (§5.28): request lookup, link previews, test-auth routes and
monthly usage (``quotes``)."""
