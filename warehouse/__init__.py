"""The archive on disk: layout, schemas, atomic commits, DuckDB views, export.

This package is the bottom layer: it imports neither ``crawler`` nor
``pipelines`` and knows nothing of Scrapy.
"""
