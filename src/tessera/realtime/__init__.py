"""The realtime API (fact sheet §6): websocket connections, topics, and the event log that
carries pushes between workers."""
