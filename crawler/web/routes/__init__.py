"""One module per page (each a ``ROUTES`` list of ``(path, handler)``, all GET), plus the JSON API."""
