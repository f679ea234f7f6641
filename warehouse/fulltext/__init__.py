"""A Chinese full-text index of the latest article versions, beside the Parquet files.

``archive/index/`` (tantivy) is always derivable from the Parquet files:
:mod:`.update` absorbs committed files into it, :mod:`.search` answers queries
(:mod:`.grammar` parses them), :mod:`.hits` hands matches to DuckDB as a relation;
:mod:`.text` makes index terms, :mod:`.store` holds the schema and the update lock,
:mod:`.fresh` tells cheaply whether the index is up to the archive.
"""
