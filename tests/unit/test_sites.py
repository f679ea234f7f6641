"""The site registry: bundled Beijing site files and the loader's error messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

try:
    from crawler.sites import Column, ListRules, SiteError, load_registry, load_site, select
except ModuleNotFoundError as exc:  # pipelines.extract may still be under construction
    if not (exc.name or "").startswith("pipelines.extract"):
        raise
    pytest.skip(f"crawler.sites not importable yet: {exc}", allow_module_level=True)


BEIJING = {
    "beijing-dongcheng": ("东城区", "110101"),
    "beijing-xicheng": ("西城区", "110102"),
    "beijing-chaoyang": ("朝阳区", "110105"),
    "beijing-fengtai": ("丰台区", "110106"),
    "beijing-shijingshan": ("石景山区", "110107"),
    "beijing-haidian": ("海淀区", "110108"),
    "beijing-mentougou": ("门头沟区", "110109"),
    "beijing-fangshan": ("房山区", "110111"),
    "beijing-tongzhou": ("通州区", "110112"),
    "beijing-shunyi": ("顺义区", "110113"),
    "beijing-changping": ("昌平区", "110114"),
    "beijing-daxing": ("大兴区", "110115"),
    "beijing-huairou": ("怀柔区", "110116"),
    "beijing-pinggu": ("平谷区", "110117"),
    "beijing-miyun": ("密云区", "110118"),
    "beijing-yanqing": ("延庆区", "110119"),
}


# --------------------------------------------------------------------------- bundled registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_bundled_registry_loads(registry):
    assert registry
    for slug, site in registry.items():
        assert site.slug == slug
        assert site.path is not None and site.path.stem == slug
        assert site.columns
        for col in site.columns:
            assert col.rules.article_re.pattern  # compiles


def test_exactly_the_sixteen_beijing_districts(registry):
    beijing = {slug: s for slug, s in registry.items() if slug.startswith("beijing-")}
    assert set(beijing) == set(BEIJING)
    for slug, (district, code) in BEIJING.items():
        site = beijing[slug]
        assert site.district == district
        assert site.admin_code == code
        assert site.city == "北京市" and site.province == "北京市"
        assert site.name == f"北京市{district}人民政府"
        assert 1 <= len(site.columns) <= 4  # Dongcheng and Xicheng: four columns on the evidence page


def test_beijing_hosts_are_distinct(registry):
    hosts = [h for slug in BEIJING for h in registry[slug].hosts]
    assert len(hosts) == len(set(hosts))
    for slug in BEIJING:
        site = registry[slug]
        assert all(h.endswith(".gov.cn") for h in site.hosts)


def test_admin_codes_are_unique(registry):
    codes = [s.admin_code for s in registry.values() if s.admin_code and not s.demo]
    assert len(codes) == len(set(codes))


def test_non_demo_sites_are_unverified_unless_the_note_says_how(registry):
    """Nothing could be checked offline: a site may only claim ``verified = true``
    with a note describing the check; an unverified one must say so in its note."""
    for site in registry.values():
        if site.demo:
            continue
        if site.verified:
            assert site.note and not site.note.lower().startswith("unverified"), site.slug
        else:
            assert site.note.lower().startswith("unverified"), site.slug


def test_beijing_sites_are_all_unverified(registry):
    assert not any(registry[slug].verified for slug in BEIJING)


def test_select_all_sites_from_bundled_registry_has_beijing(registry):
    slugs = {s.slug for s in select(registry, None, all_sites=True)}
    assert set(BEIJING) <= slugs


# --------------------------------------------------------------------------- loader errors

GOOD = """\
slug = "{slug}"
name = "测试区人民政府"
district = "测试区"
city = "测试市"
province = "测试省"
admin_code = "110108"
homepage = "https://www.example.gov.cn/"
hosts = ["www.example.gov.cn"]
family = "trs"
verified = false
note = "unverified: test fixture"

[[columns]]
name = "要闻"
url = "https://www.example.gov.cn/xwzx/yw/index.html"
"""


def write(tmp_path: Path, text: str, slug: str = "test-site") -> Path:
    path = tmp_path / f"{slug}.toml"
    path.write_text(text.replace("{slug}", slug), encoding="utf-8")
    return path


def replace_line(text: str, key: str, new: str | None) -> str:
    """Replace (or drop, with None) the first top-level ``key = ...`` line."""
    pat = re.compile(rf"^{re.escape(key)} = .*$", re.M)
    assert pat.search(text), key
    if new is None:
        return pat.sub("", text, count=1)
    return pat.sub(lambda _: new, text, count=1)


def assert_error(path: Path, key: str, problem: str) -> None:
    with pytest.raises(SiteError) as info:
        load_site(path)
    msg = str(info.value)
    assert path.name in msg, msg
    assert f": {key}: " in msg, msg
    assert re.search(problem, msg), msg


def test_good_fixture_loads(tmp_path):
    site = load_site(write(tmp_path, GOOD))
    assert site.slug == "test-site"
    assert site.family == "trs"
    assert site.hosts == ("www.example.gov.cn",)
    assert site.body_selectors[0] == ".TRS_Editor"
    assert site.hints().site_names == ("测试区人民政府",)


def test_bad_toml(tmp_path):
    path = write(tmp_path, GOOD + "\nthis is not = = toml\n")
    with pytest.raises(SiteError) as info:
        load_site(path)
    assert path.name in str(info.value)
    assert "not valid TOML" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(SiteError, match="file not found"):
        load_site(tmp_path / "nope.toml")


def test_missing_name(tmp_path):
    assert_error(write(tmp_path, replace_line(GOOD, "name", None)), "name", "is required")


def test_missing_district(tmp_path):
    assert_error(write(tmp_path, replace_line(GOOD, "district", None)), "district", "is required")


def test_unknown_top_level_key(tmp_path):
    assert_error(write(tmp_path, replace_line(GOOD, "note", 'nots = "typo"')), "nots", "unknown key")


def test_unknown_column_key(tmp_path):
    path = write(tmp_path, GOOD + 'titel = "typo"\n')
    assert_error(path, "columns[0].titel", "unknown key")


def test_slug_must_equal_file_name(tmp_path):
    path = write(tmp_path, GOOD.replace("{slug}", "other-slug"), slug="test-site")
    assert_error(path, "slug", "must equal the file name 'test-site'")


def test_slug_pattern(tmp_path):
    path = tmp_path / "Bad_Slug.toml"
    path.write_text(GOOD.replace("{slug}", "Bad_Slug"), encoding="utf-8")
    assert_error(path, "slug", "does not match")


@pytest.mark.parametrize("code", ["11010", "1101080", "11o108", "110108 "])
def test_admin_code_must_be_six_digits(tmp_path, code):
    path = write(tmp_path, replace_line(GOOD, "admin_code", f'admin_code = "{code}"'))
    assert_error(path, "admin_code", "must be 6 digits")


def test_admin_code_must_be_a_string(tmp_path):
    path = write(tmp_path, replace_line(GOOD, "admin_code", "admin_code = 110108"))
    assert_error(path, "admin_code", "must be a string")


def test_column_url_off_host(tmp_path):
    text = GOOD.replace("https://www.example.gov.cn/xwzx", "https://evil.example.com/xwzx")
    assert_error(write(tmp_path, text), "columns[0].url", "on one of hosts")


def test_column_url_not_http(tmp_path):
    text = GOOD.replace("https://www.example.gov.cn/xwzx", "ftp://www.example.gov.cn/xwzx")
    assert_error(write(tmp_path, text), "columns[0].url", "http")


def test_homepage_off_host(tmp_path):
    path = write(tmp_path, replace_line(GOOD, "homepage", 'homepage = "https://www.other.gov.cn/"'))
    assert_error(path, "homepage", "on one of hosts")


def test_hosts_compare_case_insensitively(tmp_path):
    path = write(tmp_path, replace_line(GOOD, "hosts", 'hosts = ["WWW.Example.GOV.cn"]'))
    assert load_site(path).hosts == ("www.example.gov.cn",)


def test_unknown_family(tmp_path):
    path = write(tmp_path, replace_line(GOOD, "family", 'family = "nosuchcms"'))
    assert_error(path, "family", r"no preset for family 'nosuchcms' \(known: .*trs")


def test_no_columns(tmp_path):
    text = GOOD.split("[[columns]]")[0]
    assert_error(write(tmp_path, text), "columns", "at least one")


def test_bad_regex_in_column_list(tmp_path):
    text = GOOD + "\n[columns.list]\narticle_pattern = '/t(\\d{8}_\\d+\\.html'\n"
    assert_error(write(tmp_path, text), "columns[0].list.article_pattern", "bad regular expression")


def test_bad_page_count_regex(tmp_path):
    text = GOOD + "\n[columns.list]\npage_count_pattern = 'createPageHTML((\\d+)'\n"
    assert_error(write(tmp_path, text), "columns[0].list.page_count_pattern", "bad regular expression")


def test_page_url_without_n(tmp_path):
    text = GOOD + '\n[columns.list]\npage_url = "index_1.html"\n'
    assert_error(write(tmp_path, text), "columns[0].list.page_url", r"must contain \{n\}")


def test_site_level_page_url_without_n(tmp_path):
    text = GOOD.replace("[[columns]]", '[list]\npage_url = "more.html"\n\n[[columns]]')
    assert_error(write(tmp_path, text), "list.page_url", r"must contain \{n\}")


def test_generic_family_requires_article_pattern(tmp_path):
    path = write(tmp_path, replace_line(GOOD, "family", 'family = "generic"'))
    assert_error(path, "list.article_pattern", "is required for this family")


def test_unknown_extract_key(tmp_path):
    text = GOOD.replace("[[columns]]", '[extract]\nbodyy = ["#x"]\n\n[[columns]]')
    assert_error(write(tmp_path, text), "extract.bodyy", "unknown key")


def test_bad_verified_type(tmp_path):
    path = write(tmp_path, replace_line(GOOD, "verified", 'verified = "no"'))
    assert_error(path, "verified", "true or false")


def test_duplicate_slug_across_dirs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        d.mkdir()
        write(d, GOOD)
    with pytest.raises(SiteError, match="slug: 'test-site' is already defined"):
        load_registry(a, b)


def test_registry_error_names_the_broken_file(tmp_path):
    write(tmp_path, GOOD, slug="good-one")
    bad = write(tmp_path, replace_line(GOOD, "name", None), slug="bad-one")
    with pytest.raises(SiteError) as info:
        load_registry(tmp_path)
    assert bad.name in str(info.value) and ": name: " in str(info.value)


# --------------------------------------------------------------------------- page URLs


def test_trs_column_page_urls(tmp_path):
    col = load_site(write(tmp_path, GOOD)).columns[0]
    assert col.page_url(0) == "https://www.example.gov.cn/xwzx/yw/index.html"
    assert col.page_url(1) == "https://www.example.gov.cn/xwzx/yw/index_1.html"
    assert col.page_url(2) == "https://www.example.gov.cn/xwzx/yw/index_2.html"
    assert col.rules.article_re.search("https://www.example.gov.cn/xwzx/yw/202007/t20200706_1234567.html")


def test_trs_column_without_index_html(tmp_path):
    text = GOOD.replace("/xwzx/yw/index.html", "/xwzx/yw/")
    col = load_site(write(tmp_path, text)).columns[0]
    assert col.page_url(0) == "https://www.example.gov.cn/xwzx/yw/"
    assert col.page_url(2) == "https://www.example.gov.cn/xwzx/yw/index_2.html"


def test_hanweb_column_page_urls(tmp_path):
    text = replace_line(GOOD, "family", 'family = "hanweb"').replace(
        "/xwzx/yw/index.html", "/col/col123/index.html"
    )
    site = load_site(write(tmp_path, text))
    col = site.columns[0]
    assert col.page_url(0) == "https://www.example.gov.cn/col/col123/index.html"
    assert col.page_url(1) == "https://www.example.gov.cn/col/col123/index.html?uid=0&pageNum=2"
    assert col.page_url(2) == "https://www.example.gov.cn/col/col123/index.html?uid=0&pageNum=3"
    assert col.rules.article_re.search("https://www.example.gov.cn/art/2020/7/6/art_123_456.html")
    assert site.body_selectors[0] == "#zoom"


def test_column_list_overrides_site_list_overrides_preset(tmp_path):
    text = GOOD.replace(
        "[[columns]]", '[list]\npage_url = "list_{n}.shtml"\nfirst_page_number = 2\n\n[[columns]]'
    ) + (
        '\n[[columns]]\nname = "公告"\nurl = "https://www.example.gov.cn/tzgg/index.html"\n'
        '[columns.list]\npage_url = "p{n}.html"\n'
    )
    a, b = load_site(write(tmp_path, text)).columns
    assert a.page_url(1) == "https://www.example.gov.cn/xwzx/yw/list_2.shtml"
    assert b.page_url(1) == "https://www.example.gov.cn/tzgg/p2.html"
    assert b.rules.article_pattern == a.rules.article_pattern  # still the trs preset's


def test_column_page_url_direct():
    rules = ListRules(article_pattern="x", page_url="index_{n}.html", first_page_number=1, page_count_pattern="")
    col = Column(name="c", url="http://h.gov.cn/a/index.html", rules=rules)
    assert [col.page_url(i) for i in range(3)] == [
        "http://h.gov.cn/a/index.html",
        "http://h.gov.cn/a/index_1.html",
        "http://h.gov.cn/a/index_2.html",
    ]


# --------------------------------------------------------------------------- select()


@pytest.fixture
def small_registry(tmp_path):
    for slug in ("site-a", "site-b", "site-c"):
        write(tmp_path, GOOD, slug=slug)
    write(tmp_path, GOOD.replace("verified = false", "verified = false\ndemo = true"), slug="demo-site")
    return load_registry(tmp_path)


def test_select_comma_lists(small_registry):
    got = select(small_registry, ["site-a,site-c", "site-b"])
    assert [s.slug for s in got] == ["site-a", "site-c", "site-b"]


def test_select_ignores_empty_parts(small_registry):
    assert [s.slug for s in select(small_registry, ["site-a,", ",site-b"])] == ["site-a", "site-b"]


def test_select_can_name_a_demo_site(small_registry):
    assert [s.slug for s in select(small_registry, ["demo-site"])] == ["demo-site"]


def test_select_unknown_slug(small_registry):
    with pytest.raises(SiteError, match=r"unknown site\(s\): nope, zzz"):
        select(small_registry, ["site-a,nope", "zzz"])


def test_select_all_sites_excludes_demo(small_registry):
    assert small_registry["demo-site"].demo
    got = select(small_registry, None, all_sites=True)
    assert sorted(s.slug for s in got) == ["site-a", "site-b", "site-c"]


def test_select_nothing(small_registry):
    assert select(small_registry, None) == []
    assert select(small_registry, []) == []


# --------------------------------------------------------------------------- list-table keys


def test_unknown_key_in_column_list(tmp_path):
    text = GOOD + "\n[columns.list]\narticle_patern = 'x'\n"
    assert_error(write(tmp_path, text), "columns[0].list.article_patern", "unknown key")



def test_page_url_with_other_placeholder(tmp_path):
    text = GOOD + "\n[columns.list]\npage_url = 'p_{n}_{x}.html'\n"
    assert_error(write(tmp_path, text), "columns[0].list.page_url", "only the placeholder")


# --------------------------------------------------------------------------- hostile site files
# Every refusal is an allow-list: ASCII-only patterns matched whole (``\d`` takes full-width
# digits and ``$`` a trailing newline, which is how these once passed).

@pytest.mark.parametrize("code", ["１１０１０８", "١١٠١٠٨", "110108\n", "110108\r", "\n110108", " 110108", "+11010",
                                  "11010８", "110\u200b108", "0x1101"])
def test_admin_code_is_six_ascii_digits_and_nothing_else(tmp_path, code):
    path = write(tmp_path, replace_line(GOOD, "admin_code", f"admin_code = {json.dumps(code)}"))
    before = sorted(tmp_path.rglob("*"))
    assert_error(path, "admin_code", "must be 6 digits")
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("slug", ["a" * 65, "beijing-" + "x" * 240, "Beijing-haidian", "beijing_haidian", "海淀",
                                  "beijing--haidian", "-beijing", "beijing-", "110108", "1beijing", "beijing.haidian",
                                  "beijing-haidian\n", "beijing haidian", "ｂｅｉｊｉｎｇ"])
def test_hostile_slugs_are_refused(tmp_path, slug):
    path = tmp_path / f"{slug}.toml"
    path.write_text(GOOD.replace('"{slug}"', json.dumps(slug)), encoding="utf-8")
    with pytest.raises(SiteError) as info:
        load_site(path)
    assert ": slug: " in str(info.value)
    assert "does not match" in str(info.value) or "at most 64" in str(info.value)


def test_the_longest_slug_allowed_still_makes_every_file_name(tmp_path):
    from warehouse.layout import SLUG_MAX, Layout, new_run_id

    slug = "a" * SLUG_MAX
    assert load_site(write(tmp_path, GOOD, slug=slug)).slug == slug
    layout = Layout.at(tmp_path / "archive")
    for path in (layout.runs_file(new_run_id(), slug, "crashed"), layout.data_file("articles", slug, "2020-01", new_run_id(), 1)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")  # no ENAMETOOLONG
        assert len(path.name) < 255


def test_a_slug_too_long_for_a_file_name_stops_the_crawl_before_the_archive_exists(tmp_path):
    from tests.conftest import govnews

    sites = tmp_path / "sites"
    sites.mkdir()
    slug = "beijing-" + "x" * 200
    write(sites, GOOD, slug=slug)
    archive = tmp_path / "archive"
    proc = govnews("crawl", "--sites-dir", str(sites), "--site", slug, "--archive", str(archive), check=False)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "slug" in proc.stderr and "Traceback" not in proc.stderr
    assert not archive.exists()


def test_two_sites_sharing_a_host_get_a_warning_and_import_files_neither(tmp_path):
    from pipelines.importer import host_sites
    from tests.conftest import govnews

    sites = tmp_path / "sites"
    sites.mkdir()
    write(sites, GOOD, slug="test-one")
    write(sites, GOOD.replace("测试区", "另一区"), slug="test-two")
    proc = govnews("sites", "--sites-dir", str(sites), "--format", "csv")
    warning = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert warning == ["govnews: warning: host www.example.gov.cn is listed by sites test-one, test-two: "
                       "import-warc cannot tell whose pages it holds and skips them"]
    assert "test-one" in proc.stdout and "test-two" in proc.stdout
    mapping = host_sites({"test-one": ["www.example.gov.cn", "a.gov.cn"], "test-two": ["WWW.example.gov.cn"]})
    assert mapping == {"a.gov.cn": "test-one"}


def test_the_bundled_registry_has_no_warning(registry):
    from crawler.sites import registry_warnings

    assert registry_warnings(registry) == []
