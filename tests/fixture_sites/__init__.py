"""Fixture families: one deterministic loopback site per list format the presets know.

Each module copies one real structure (its docstring names the site and the evidence in
``../shared/evidence/beijing-districts.md`` or ``../shared/corpus/pingtan``) and builds a
:class:`~tests.fixture_sites.common.Family`. :func:`build_all` writes them all under one
root (``www/<host>/…`` for :mod:`crawler.demo.server`, ``sites/<slug>.toml`` for
``--sites-dir``) and returns the families with their expected articles.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.fixture_sites import (docwrite, eportal, gbk, hanwebnext, jpage, jsonapi, robots, shell, stubs,
                                 trsdynamic, undated)
from tests.fixture_sites.common import Family

MODULES = [docwrite, jsonapi, trsdynamic, eportal, hanwebnext, jpage, undated, gbk, robots, stubs, shell]


def write_family(fam: Family, root: Path) -> None:
    """One family's files under ``root/www/<host>/…`` and its site file as ``root/sites/<slug>.toml``."""
    for (host, rel), data in sorted(fam.files.items()):
        path = root / "www" / host / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for host, rules in fam.headers.items():
        (root / "www" / host / "_headers.json").write_text(json.dumps(rules), encoding="utf-8")
    for host, rules in fam.require.items():
        (root / "www" / host / "_require.json").write_text(json.dumps(rules), encoding="utf-8")
    (root / "sites").mkdir(parents=True, exist_ok=True)
    (root / "sites" / f"{fam.slug}.toml").write_text(fam.site_toml, encoding="utf-8")


def build_all(root: Path) -> dict[str, Family]:
    families = {}
    for module in MODULES:
        fam = module.build()
        write_family(fam, root)
        families[fam.slug] = fam
    return families
