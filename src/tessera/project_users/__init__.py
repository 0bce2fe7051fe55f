"""Project memberships (teammates and end users): ``/:pid/project_users``."""
