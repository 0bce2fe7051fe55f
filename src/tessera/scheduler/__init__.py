"""Automatic background work (fact sheet §8.3): closing unresponsive conversations and
purging expired events and activities."""
