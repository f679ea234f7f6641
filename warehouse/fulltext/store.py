"""The index's schema and where it lives: ``<archive>/index/v1/`` (a new version is a new folder).

One document per latest article version, with the fields ``body`` and ``title`` (bigrams,
positions; :mod:`.text`), ``url_key``, ``site``, ``district``, ``column``, ``month``
(``YYYY-MM`` of publication, Asia/Shanghai) and ``published`` (epoch seconds), and the
version's place in the archive: ``file`` (path under the archive root) and ``row``.
Stored only: the original ``title_text``/``body_text`` (for display and snippets) and ``url``.

Besides them, one *marker* document per absorbed Parquet file (``kind = file``): the
index's watermark is part of each tantivy commit, so it is never out of step with
the documents (see :mod:`.update`).
"""

from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Iterator
from pathlib import Path

import tantivy

from warehouse.layout import Layout

INDEX_DIR = "index"
VERSION = "v1"
TEXT_FIELDS = ("body", "title")
FACETS = ("site", "district", "column", "month")
KIND_DOC, KIND_FILE = "doc", "file"


class IndexBusy(RuntimeError):
    """Another process is updating the index."""


def index_root(layout: Layout) -> Path:
    return layout.root / INDEX_DIR


def index_path(layout: Layout) -> Path:
    return index_root(layout) / VERSION


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in ("kind", "file", "url_key"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    for name in FACETS:
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("row", stored=True)
    sb.add_integer_field("published", stored=True, indexed=True, fast=True)
    for name in ("title_text", "body_text", "url"):
        sb.add_bytes_field(name, stored=True)
    return sb.build()


SCHEMA = build_schema()


def exists(layout: Layout) -> bool:
    return (index_path(layout) / "meta.json").is_file()


def open_index(layout: Layout, *, create: bool = False) -> tantivy.Index:
    """The index (``create``: an empty one when there is none yet)."""
    path = index_path(layout)
    if not exists(layout):
        if not create:
            raise FileNotFoundError(f"no search index at {path} (build it: govnews index)")
        path.mkdir(parents=True, exist_ok=True)
        return tantivy.Index(SCHEMA, path=str(path), reuse=False)
    return tantivy.Index.open(str(path))


@contextlib.contextmanager
def update_lock(layout: Layout, wait: float = 0.0) -> Iterator[None]:
    """One index update at a time (``flock`` on ``index/.lock``, waiting up to ``wait`` seconds)."""
    root = index_root(layout)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+b") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(f"another process is updating the search index in {root}") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
