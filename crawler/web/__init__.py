"""``govnews serve``: a read-only web application over the archive (Starlette + Jinja2, rendered on the server).

- :mod:`crawler.web.store`: the archive as the pages read it (one DuckDB snapshot, cached per snapshot)
- :mod:`crawler.web.sqlworker`: user SQL in a child process the server can end (the sandbox engine)
- :mod:`crawler.web.charts`: small SVG charts drawn on the server (no JavaScript, no CDN)
- :mod:`crawler.web.inputs`: the allow-lists every URL parameter passes
- :mod:`crawler.web.routes`: one module per page, plus the JSON API
"""
