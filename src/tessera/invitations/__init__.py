"""Pending invitations of people who have no account yet: ``/:pid/pendinginvitations``."""
