"""The site registry: ``crawler/sites/*.toml`` loaded and validated into frozen dataclasses.

One data file per district portal; a site names its CMS family and the
family's preset (``crawler/sites/presets/<family>.toml``) fills in what the
site does not override. No Scrapy here: the CLI, the spider and the tests
all load sites through :func:`load_registry`. The dataclasses are
:mod:`crawler.site_model`, the reading of a file's tables :mod:`crawler.site_toml`.

Errors name the file, the key and the problem::

    SiteError: crawler/sites/beijing-haidian.toml: columns[0].url: must be an http(s) URL on one of hosts
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.site_model import DEFAULT_STOP_AFTER_KNOWN, Column, ListRules, Site, SiteError
from crawler.site_toml import Reader, headers, list_rules, read_toml, where
from warehouse.layout import SLUG, SLUG_MAX

__all__ = ["Column", "ListRules", "Site", "SiteError", "load_preset", "load_registry", "load_registry_with",
           "load_site", "registry_warnings", "select", "shared_hosts"]

SITES_DIR = Path(__file__).parent / "sites"
PRESETS_DIR = SITES_DIR / "presets"

_ADMIN = re.compile(r"\A[0-9]{6}\Z")  # ASCII digits only: \d takes full-width ones, $ a trailing newline
_NONEMPTY = re.compile(r"^\S")
_FAMILY = re.compile(r"^[a-z0-9_-]+$")


def load_preset(family: str, presets_dir: Path = PRESETS_DIR) -> dict[str, Any]:
    path = presets_dir / f"{family}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in presets_dir.glob("*.toml"))
        raise SiteError(f"no preset for family {family!r} (known: {', '.join(known)})")
    return read_toml(path)



SITE_KEYS = {
    "slug", "name", "district", "city", "province", "admin_code", "homepage", "hosts",
    "family", "verified", "demo", "note", "stop_after_known", "columns", "list", "extract",
    "headers", "evidence", "unknown",
}
COLUMN_KEYS = {"name", "url", "list"}


def load_site(path: Path, presets_dir: Path = PRESETS_DIR) -> Site:
    data = read_toml(path)
    r = Reader(path, data)
    r.check_known(SITE_KEYS)
    slug = r.str("slug", pattern=SLUG)
    if len(slug) > SLUG_MAX:
        raise r.fail("slug", f"is {len(slug)} characters long: at most {SLUG_MAX}")
    if slug != path.stem:
        raise r.fail("slug", f"{slug!r} must equal the file name {path.stem!r}")
    hosts = tuple(h.lower() for h in r.strs("hosts"))
    homepage = r.str("homepage")
    if urlsplit(homepage).scheme not in ("http", "https") or urlsplit(homepage).hostname not in hosts:
        raise r.fail("homepage", "must be an http(s) URL on one of hosts")
    family = r.str("family", "generic", pattern=_FAMILY)
    try:
        preset = load_preset(family, presets_dir)
    except SiteError as exc:
        raise r.fail("family", str(exc)) from None
    site_list = r.table("list")
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        raise r.fail("columns", "needs at least one [[columns]] table")
    columns = []
    seen_urls: set[str] = set()
    for i, raw in enumerate(raw_columns):
        if not isinstance(raw, dict):
            raise r.fail(f"columns[{i}]", "must be a table")
        cr = Reader(path, raw, f"columns[{i}].")
        cr.check_known(COLUMN_KEYS)
        url = cr.str("url")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname not in hosts:
            raise cr.fail("url", "must be an http(s) URL on one of hosts")
        rules = list_rules(cr, preset, site_list, cr.table("list"))
        if url in seen_urls:
            raise cr.fail("url", f"{url} is already the url of another column")
        seen_urls.add(url)
        columns.append(Column(name=cr.str("name"), url=url, rules=rules))
    extract = {**preset.get("extract", {}), **r.table("extract")}
    er = Reader(path, extract, "extract.")
    er.check_known({"body"})
    admin_code = r.str("admin_code", "")
    if admin_code and not _ADMIN.match(admin_code):
        raise r.fail("admin_code", f"{admin_code!r} must be 6 digits")
    return Site(
        slug=slug,
        name=r.str("name", pattern=_NONEMPTY),
        district=r.str("district", pattern=_NONEMPTY),
        city=r.str("city", ""),
        province=r.str("province", ""),
        admin_code=admin_code,
        homepage=homepage,
        hosts=hosts,
        family=family,
        columns=tuple(columns),
        body_selectors=er.strs("body", []),
        stop_after_known=r.int("stop_after_known", DEFAULT_STOP_AFTER_KNOWN, minimum=1),
        verified=r.bool("verified", False),
        demo=r.bool("demo", False),
        note=r.str("note", ""),
        headers=headers(r),
        evidence=r.strs("evidence", []),
        unknown=r.strs("unknown", []),
        path=path,
    )



def load_registry(*dirs: Path) -> dict[str, Site]:
    """All sites in ``dirs`` (default: the bundled registry), keyed by slug."""
    sites: dict[str, Site] = {}
    for d in dirs or (SITES_DIR,):
        for path in sorted(Path(d).glob("*.toml")):
            site = load_site(path)
            if site.slug in sites:
                raise SiteError(f"{where(path)}: slug: {site.slug!r} is already defined in {sites[site.slug].path}")
            sites[site.slug] = site
    return sites


def shared_hosts(registry: dict[str, Site]) -> dict[str, list[str]]:
    """Hosts that more than one site lists: ``host -> slugs``."""
    owners: dict[str, list[str]] = {}
    for slug, site in registry.items():
        for host in site.hosts:
            owners.setdefault(host, []).append(slug)
    return {h: sorted(slugs) for h, slugs in sorted(owners.items()) if len(slugs) > 1}


def registry_warnings(registry: dict[str, Site]) -> list[str]:
    """What is legal but probably wrong in a registry, one line each."""
    return [f"host {host} is listed by sites {', '.join(slugs)}: import-warc cannot tell whose pages it holds "
            f"and skips them" for host, slugs in shared_hosts(registry).items()]


def load_registry_with(extra_dirs=()) -> dict[str, Site]:
    """The bundled registry plus the site files in ``extra_dirs`` (``--sites-dir`` / GOVNEWS_SITES_DIRS)."""
    return load_registry(SITES_DIR, *map(Path, extra_dirs))


def select(registry: dict[str, Site], slugs: list[str] | None, *, all_sites: bool = False) -> list[Site]:
    """Sites named by ``slugs`` (comma lists allowed) or every non-demo site with ``all_sites``."""
    if all_sites:
        return [s for s in registry.values() if not s.demo]
    wanted = [s for arg in slugs or [] for s in arg.split(",") if s]
    unknown = [s for s in wanted if s not in registry]
    if unknown:
        raise SiteError(f"unknown site(s): {', '.join(unknown)} (see `govnews sites`)")
    return [registry[s] for s in wanted]
