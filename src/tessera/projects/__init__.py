"""Projects (a business's workspace): ``/projects`` and the ``/:pid`` project check."""
