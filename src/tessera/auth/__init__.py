"""Authentication (``/auth``), credentials on protected routes, roles and guards."""
