"""Custom events (``/:pid/events``, fact sheet §5.17): named signals a widget, bot or
integration sends (``typing.start``, ``new_conversation``...), kept for a short time."""
