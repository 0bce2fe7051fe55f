"""E-mail notifications: templates and the messages Tessera sends (``/:pid/emails`` later)."""
