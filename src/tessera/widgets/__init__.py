"""Widget settings (``/:pid/widgets``) and the widget loader (``/widgets``, ``/w``)."""
