"""Liveness and readiness probes, outside Tiledesk's namespace rules."""
