"""What every fixture family shares: deterministic articles, the article page, expected rows, the file set.

A family module builds a :class:`Family`: the files of its host(s) (served by
:mod:`crawler.demo.server`), its site file (TOML text) and the articles a
correct crawl must find. Everything is derived from fixed seeds and counters:
no clock, no randomness, so a family is the same bytes on every run.

The article page copies the TRS templates of Beijing district portals as the
evidence page describes them (``../shared/evidence/beijing-districts.md``):
meta ``ArticleTitle``/``PubDate``/``ContentSource`` and the site/column metas
(Shijingshan's template carries SiteName, SiteIDCode, ColumnName, ColumnType),
a visible ``发布时间 … 来源 …`` line, and the body in a container whose id the
site file names (``#mainText`` on Dongcheng/Haidian, ``#zoom`` on Changping,
``#div_zhengwen`` on Fengtai [bjrb]).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timedelta

PLACES = ["东华门街道", "景山街道", "交道口街道", "安定门街道", "北新桥街道", "东四街道", "朝阳门街道",
          "建国门街道", "东直门街道", "和平里街道", "前门街道", "崇文门外街道", "东花市街道", "龙潭街道"]
TOPICS = ["接诉即办", "垃圾分类", "老旧小区改造", "营商环境", "防汛安全", "背街小巷整治", "养老服务", "冬季供暖"]
SOURCES = ["区融媒体中心", "区政府办公室", "区发展改革委", "区城市管理委"]


@dataclass
class Art:
    url: str  # absolute
    column: str
    title: str
    dt: datetime
    source: str
    paragraphs: list[str]

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def expected(self) -> dict:
        text = self.body_text
        return {"url": self.url, "column": self.column, "title": self.title,
                "published_at": f"{self.dt:%Y-%m-%dT%H:%M:00}+08:00", "source": self.source,
                "body_start": text[:20], "body_end": text[-20:]}


@dataclass
class Family:
    slug: str
    hosts: tuple[str, ...]
    site_toml: str
    files: dict[tuple[str, str], bytes]  # (host, path under the host, with @query) -> bytes
    articles: list[Art]
    evidence: str  # the real structure this family copies
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # host -> _headers.json
    require: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # host -> _require.json
    list_pages: list[str] = field(default_factory=list)  # every list URL a full crawl requests
    expect: dict = field(default_factory=dict)  # family-specific expectations (stats, fetched paths)


def make_articles(seed: int, column: str, count: int, url_of, start: datetime) -> list[Art]:
    """``count`` distinct articles, newest first; ``url_of(i, dt)`` gives the i-th article's URL."""
    arts = []
    for i in range(count):
        dt = start - timedelta(days=2 * i, hours=(seed + i) % 7, minutes=(seed * 7 + i * 13) % 60)
        place = PLACES[(seed + i) % len(PLACES)]
        topic = TOPICS[(seed * 3 + i) % len(TOPICS)]
        title = f"{place}推进{topic}工作（{column}第{seed}-{i + 1}期）"
        paras = [
            f"{dt.month}月{dt.day}日，{place}召开{topic}专题会议，部署第{seed}批第{i + 1}项重点任务。",
            f"会议要求，各部门要把{topic}作为为民办实事的重要内容，逐项明确责任单位和完成时限。",
            f"下一步，{place}将持续跟踪问效，确保{topic}各项措施在{dt.year}年内落地见效（编号{seed:02d}{i:03d}）。",
        ]
        arts.append(Art(url=url_of(i, dt), column=column, title=title, dt=dt,
                        source=SOURCES[(seed + i) % len(SOURCES)], paragraphs=paras))
    return arts


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def article_page(a: Art, *, site_name: str, body_id: str = "mainText", charset: str = "utf-8",
                 meta_charset: bool = True) -> str:
    metas = [("SiteName", site_name), ("ColumnName", a.column), ("ColumnType", "新闻"),
             ("ArticleTitle", a.title), ("PubDate", f"{a.dt:%Y-%m-%d %H:%M}"), ("ContentSource", a.source)]
    meta = "".join(f'<meta name="{k}" content="{esc(v)}">\n' for k, v in metas)
    head = f'<meta charset="{charset}">\n' if meta_charset else ""
    body = "\n".join(f"<p>\u3000\u3000{esc(p)}</p>" for p in a.paragraphs)
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{head}{meta}<title>{esc(a.title)}_{esc(site_name)}</title>\n</head>\n"
            f"<body>\n<div class=\"header\"><a href=\"/\">{esc(site_name)}</a></div>\n"
            f"<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; {esc(a.column)}</div>\n"
            f"<div class=\"article\">\n<h1>{esc(a.title)}</h1>\n"
            f"<div class=\"info\">发布时间：{a.dt:%Y-%m-%d %H:%M}\u3000来源：{esc(a.source)}</div>\n"
            f"<div id=\"{body_id}\">\n{body}\n</div>\n</div>\n"
            f"<div class=\"footer\">主办：{esc(site_name)}办公室</div>\n</body>\n</html>\n")


def li(a: Art, href: str) -> str:
    return f'<li><a href="{esc(href)}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a><span>{a.dt:%Y-%m-%d}</span></li>'


def list_page(title: str, items: str, extra: str = "", charset: str = "utf-8", meta_charset: bool = True) -> str:
    head = f'<meta charset="{charset}">\n' if meta_charset else ""
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{head}<meta name=\"ColumnName\" content=\"{esc(title)}\">\n"
            f"<meta name=\"ColumnType\" content=\"列表\">\n<title>{esc(title)}</title>\n</head>\n<body>\n"
            f"<div class=\"header\"><a href=\"/\">首页</a></div>\n<h2>{esc(title)}</h2>\n"
            f"<ul class=\"list\">\n{items}\n</ul>\n{extra}\n</body>\n</html>\n")


def path_of(url: str) -> str:
    """The server-side file of an absolute fixture URL (``/`` -> index.html, ``?q`` -> ``@q``)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    rel = parts.path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return f"{rel}@{parts.query}" if parts.query else rel


def site_toml(slug: str, host: str, family: str, columns: list[tuple[str, str]], *, extra: str = "",
              hosts: tuple[str, ...] | None = None, name: str = "北京市测试区人民政府", district: str = "测试区",
              list_table: str = "", body: str = "#mainText") -> str:
    cols = "".join(f'\n[[columns]]\nname = "{n}"\nurl = "{u}"\n' for n, u in columns)
    hosts_list = ", ".join(f'"{h}"' for h in (hosts or (host,)))
    lst = f"\n[list]\n{list_table}\n" if list_table else ""
    return (f'slug = "{slug}"\nname = "{name}"\ndistrict = "{district}"\ncity = "北京市"\nprovince = "北京市"\n'
            f'homepage = "http://{host}/"\nhosts = [{hosts_list}]\nfamily = "{family}"\nverified = true\n'
            f'demo = true\n{extra}\n[extract]\nbody = ["{body}"]\n{lst}{cols}')
