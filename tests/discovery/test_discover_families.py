"""``govnews discover`` from the home page of every fixture family, with the family's preset hidden.

One fixture server for everything (the demo sites, the tests/fixture_sites families with the home
pages of :mod:`tests.discovery.homes`, and the decoy portal of :mod:`tests.discovery.portal`).
Per family: one discovery (its requests read from the server's log: within the budget, within the
family's hosts), then one crawl of all discovered site files and one of all hand-written ones,
each into its own archive; each test compares one family: the discovered file archives >= 95% of
what the hand-written one archives, and nothing the hand-written one does not.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from crawler.demo.server import DEMO_ROOT
from crawler.sites import SITES_DIR, load_site
from tests.conftest import crawl, govnews, start_fixture_server
from tests.discovery import portal
from tests.discovery.homes import add_homes
from tests.fixture_sites import build_all
from tests.fixture_sites.common import site_toml
from warehouse.db import connect
from warehouse.layout import Layout

pytestmark = pytest.mark.slow

BUDGET = 60
FIXTURE_FAMILIES = ["fixture-docwrite", "fixture-jsonapi", "fixture-trsdynamic", "fixture-eportal", "fixture-hanwebnext",
                    "fixture-jpage", "fixture-undated", "fixture-gbk", "fixture-stubs", "fixture-shell"]
DEMO = {"demo-haidian": ("haidian.demo.govnews.test",), "demo-yanqing": ("yanqing.demo.govnews.test",)}
FAMILIES = list(DEMO) + FIXTURE_FAMILIES + [portal.SLUG]
# site files with format = "generic" and nothing else: links, titles, dates and the next page by the generic rule
GENERIC = {"fixture-eportal": ("大兴动态", "http://eportal.fixture.govnews.test/eportal/ui?pageId=1841022"),
           "fixture-stubs": ("东城要闻", "http://stubs.fixture.govnews.test/ywdt/dcyw/index.html"),
           "fixture-hanwebnext": ("审计公告", "http://next.fixture.govnews.test/zwxx/sjgg/index.html")}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("discover")
    fams = build_all(root)
    fam = portal.build()
    for (host, rel), data in fam.files.items():
        (root / "www" / host / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "www" / host / rel).write_bytes(data)
    (root / "sites" / f"{fam.slug}.toml").write_text(fam.site_toml, encoding="utf-8")
    fams[fam.slug] = fam
    for host_dir in DEMO_ROOT.iterdir():
        shutil.copytree(host_dir, root / "www" / host_dir.name)
    for slug in DEMO:
        shutil.copy(SITES_DIR / f"{slug}.toml", root / "sites" / f"{slug}-hand.toml")
    starts = add_homes(root, FIXTURE_FAMILIES + ["fixture-robots"])
    starts[portal.SLUG] = f"http://{portal.HOST}/"
    starts.update({slug: f"http://{hosts[0]}/" for slug, hosts in DEMO.items()})
    hosts = {slug: fams[slug].hosts for slug in fams} | DEMO
    server = start_fixture_server(root / "www", root / "requests.jsonl")
    found_dir, hand_dir = root / "found", root / "hand"
    found_dir.mkdir()
    hand_dir.mkdir()
    runs = {}
    try:
        for slug in FAMILIES + ["fixture-robots"]:
            before = len(server.requests())
            proc = govnews("discover", starts[slug], "--via", server.url, "--budget", str(BUDGET),
                           "--out", str(found_dir / f"{slug}-found.toml"), check=False)
            runs[slug] = (proc, server.requests()[before:])
        for slug in FAMILIES:
            src = root / "sites" / (f"{slug}-hand.toml" if slug in DEMO else f"{slug}.toml")
            text = src.read_text(encoding="utf-8")
            text = text.replace(f'slug = "{slug}"', f'slug = "{slug}-hand"')
            (hand_dir / f"{slug}-hand.toml").write_text(text, encoding="utf-8")
        for slug, column in GENERIC.items():  # the same columns read by the generic rule alone
            (hand_dir / f"{slug}-generic.toml").write_text(site_toml(
                f"{slug}-generic", fams[slug].hosts[0], "generic", [column], list_table='format = "generic"'),
                encoding="utf-8")
        found = [s for s in FAMILIES if (found_dir / f"{s}-found.toml").exists()]
        before = len(server.requests())
        crawl(root / "a-found", server, ",".join(f"{s}-found" for s in found),
              extra=("--sites-dir", str(found_dir)), check=False)
        found_crawl_log = server.requests()[before:]
        crawl(root / "a-hand", server, ",".join([f"{s}-hand" for s in FAMILIES] + [f"{s}-generic" for s in GENERIC]), extra=("--sites-dir", str(hand_dir)),
              check=False)
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    return {"root": root, "fams": fams, "runs": runs, "hosts": hosts, "found_dir": found_dir,
            "found_log": found_crawl_log, "counts": {}}


def _urls(archive: Path, site: str) -> set[str]:
    if not (archive / "articles").exists():
        return set()
    con = connect(Layout.at(archive))
    return {u for (u,) in con.execute("SELECT url FROM articles WHERE site = ?", [site]).fetchall()}


@pytest.mark.parametrize("slug", FAMILIES)
def test_discovered_site_file_crawls_what_the_hand_written_one_does(world, slug):
    proc, requests = world["runs"][slug]
    assert proc.returncode == 0, proc.stderr[-2000:]
    path = world["found_dir"] / f"{slug}-found.toml"
    site = load_site(path)  # govnews crawl's own loader accepts it as it is
    assert not site.verified
    text = path.read_text(encoding="utf-8")
    assert text.count("[[columns]]") == len(site.columns)
    comments = [ln for ln in text.splitlines() if ln.startswith(("# high:", "# medium:", "# low:"))]
    assert len(comments) == len(site.columns), "a comment per column saying how sure and why"
    # politeness: within the budget, within the family's hosts
    assert 0 < len(requests) <= BUDGET
    assert {r["host"] for r in requests} <= set(world["hosts"][slug]), {r["host"] for r in requests}
    got = _urls(world["root"] / "a-found", f"{slug}-found")
    want = _urls(world["root"] / "a-hand", f"{slug}-hand")
    print(f"\n{slug:22} discovered {len(got):4d}  hand-written {len(want):4d}  "
          f"columns {len(site.columns)}  discovery requests {len(requests)}")
    assert want, "the hand-written site file archives nothing: the comparison would mean nothing"
    assert len(got & want) >= 0.95 * len(want), f"missing {sorted(want - got)[:5]}"
    assert not got - want, f"pages from outside the news columns: {sorted(got - want)[:5]}"


def test_decoys_are_neither_discovered_nor_crawled(world):
    fam = world["fams"][portal.SLUG]
    _, requests = world["runs"][portal.SLUG]
    asked = {f"http://{r['host']}{r['path']}" for r in requests}
    site = load_site(world["found_dir"] / f"{portal.SLUG}-found.toml")
    assert sorted(c.name for c in site.columns) == ["区政要闻", "通知公告"]
    assert set(site.hosts) == {portal.HOST, portal.SUB}
    assert site.admin_code == portal.CODE[:6] and site.name == portal.NAME and site.district == "示例区"
    assert not {r["host"] for r in requests} & set(fam.expect["other_hosts"]), "discovery left the portal"
    assert not asked & set(fam.expect["decoys"]) and not any("/bsfw/" in u for u in asked), "a decoy was fetched"
    crawled = {f"http://{r['host']}{r['path']}" for r in world["found_log"]}
    assert not crawled & set(fam.expect["decoys"])


def test_robots_disallow_is_one_line_and_nothing_but_robots_txt(world):
    proc, requests = world["runs"]["fixture-robots"]
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "robots.txt" in lines[0], proc.stderr
    assert [r["path"] for r in requests] == ["/robots.txt"]
    assert not (world["found_dir"] / "fixture-robots-found.toml").exists()


def test_a_small_budget_is_never_exceeded(world, tmp_path):
    server = start_fixture_server(world["root"] / "www", tmp_path / "requests.jsonl")
    try:
        out = tmp_path / "small-found.toml"
        proc = govnews("discover", "http://haidian.demo.govnews.test/", "--via", server.url, "--budget", "6",
                       "--out", str(out), check=False)
        requests = server.requests()
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    assert len(requests) <= 6, requests
    if proc.returncode == 0:
        assert tomllib.loads(out.read_text(encoding="utf-8"))["columns"]
    else:
        assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1 and not out.exists()


@pytest.mark.parametrize("slug", sorted(GENERIC))
def test_a_generic_list_format_site_file_needs_no_preset(world, slug):
    got = _urls(world["root"] / "a-hand", f"{slug}-generic")
    want = _urls(world["root"] / "a-hand", f"{slug}-hand")
    print(f"\n{slug:22} format=generic {len(got):4d}  hand-written {len(want):4d}")
    assert want and got == want
