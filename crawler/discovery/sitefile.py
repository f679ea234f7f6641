"""A discovered portal as a site file: TOML text that ``govnews crawl`` reads as it is.

Every column gets a comment saying how sure discovery is and why (the links it saw, the list
format and pager it recognised, the articles it extracted); ``verified = false`` until a person
checks the file against the live portal (``govnews check-site``).
"""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import urlsplit

from crawler.discovery.columns import Column
from crawler.discovery.explore import Found
from crawler.discovery.patterns import infer_pattern
from crawler.sites import load_preset
from warehouse.layout import SLUG, SLUG_MAX

_DISTRICT = re.compile(r"([^省市\s]{1,8}?(?:区|县|旗|市))人民政府")


def slug_for(host: str) -> str:
    """``www.bjhd.gov.cn`` -> ``bjhd``; ``haidian.demo.govnews.test`` -> ``haidian-demo-govnews``."""
    labels = [x for x in host.lower().split(".") if x and x not in ("www", "gov", "cn", "com", "net", "org", "test")]
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", x).strip("-") for x in labels)[:SLUG_MAX].strip("-")
    return slug if SLUG.match(slug or "") else "discovered"


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string


def confidence(c: Column) -> tuple[str, str]:
    checked = f"{len(c.confirmed)} of {c.tried} articles extracted with title, date and body" if c.tried \
        else "no article fetched (budget)"
    sure = "high" if len(c.confirmed) >= 2 and c.dated >= len(c.links) / 2 and c.family != "generic" else \
        "medium" if c.confirmed else "low"
    return sure, checked


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_s(k)} = {_value(v)}" for k, v in value.items()) + "}"
    return _s(value)


def column_table(c: Column, site_family: str) -> str:
    sure, checked = confidence(c)
    lines = [f"# {sure}: " + "; ".join(c.why + [checked]) + (f"; newest {c.newest}" if c.newest else "")]
    lines += ["[[columns]]", f"name = {_s(c.name)}", f"url = {_s(c.url)}", "[columns.list]"]
    pattern = infer_pattern([urlsplit(x.url).path for x in c.links])
    lines.append(f"article_pattern = {_s(pattern)}")
    table = dict(c.list_table)
    if c.family != site_family:  # this column's preset is not the site's: spell its list rules out
        preset = {k: v for k, v in load_preset(c.family).get("list", {}).items() if k != "article_pattern"}
        table = {**preset, **table}
    for key, value in table.items():
        lines.append(f"{key} = {_value(value)}")
    return "\n".join(lines) + "\n"


def render(found: Found, slug: str, start_url: str) -> str:
    name = found.name or urlsplit(found.homepage).hostname
    family = _site_family(found)
    m = _DISTRICT.search(name)
    district = m.group(1) if m else name
    head = [f"# Written by `govnews discover {start_url}` on {date.today().isoformat()}: {found.requests} of "
            f"{found.budget} requests, {len(found.columns)} news column(s). Check it against the live portal",
            f"# (`govnews check-site {slug} --sites-dir FOLDER`), then set verified = true."]
    head += [f"# note: {n}" for n in found.notes]
    body = [f"slug = {_s(slug)}", f"name = {_s(name)}", f"district = {_s(district)}"]
    if found.admin_code:
        body.append(f"admin_code = {_s(found.admin_code)}")
    body += [f"homepage = {_s(found.homepage)}", "hosts = [" + ", ".join(_s(h) for h in found.hosts) + "]",
             f"family = {_s(family)}", "verified = false",
             f"note = {_s('discovered automatically; not checked by a person')}",
             f"evidence = [{_s(f'govnews discover {start_url}, {date.today().isoformat()}')}]", "",
             "# a browser reaches the columns from the home page: send it as the Referer (some portals want one)",
             "[headers]", f"Referer = {_s(found.homepage)}", ""]
    return "\n".join(head + body) + "\n" + "\n".join(column_table(c, family) for c in found.columns)


def _site_family(found: Found) -> str:
    """The site's family: the one most of its columns have (a column of another spells its rules out)."""
    counts: dict[str, int] = {}
    for c in found.columns:  # ranked best first: a tie goes to the better column's family
        counts[c.family] = counts.get(c.family, 0) + 1
    return max(counts, key=lambda f: counts[f])
