"""Registered users: ``/users`` (the caller's own account) and ``/users_util`` (public profiles)."""
