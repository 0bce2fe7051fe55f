"""Tessera: a live-chat and helpdesk server that speaks the Tiledesk REST and realtime API."""

__version__ = "0.1.0"
