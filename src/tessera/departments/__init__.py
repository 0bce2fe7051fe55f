"""Departments: how conversations are routed (``/:pid/departments``)."""
