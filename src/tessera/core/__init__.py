"""Plumbing that knows no domain: storage, HTTP conventions, errors, events, mail, rate limits."""
