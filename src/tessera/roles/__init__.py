"""Custom roles (fact sheet §5.29, §4.4): named lists of permissions for project members."""
