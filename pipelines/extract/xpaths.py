"""Selectors and patterns for Chinese government pages, in one place.

Named and commented like trafilatura's ``xpaths.py``: the other modules hold
logic only. Everything here is a constant compiled once at import time.
"""

from __future__ import annotations

import re

from lxml import etree

# --- Government meta tags --------------------------------------------------
# GB/T 42147 (2017 government-website guideline) names, plus the common
# publishing-system / OpenGraph ones. Matched case-insensitively on
# ``name=`` or ``property=``; the page's own spelling is kept in ``meta``.
GOV_META_NAMES = frozenset(
    n.lower()
    for n in (
        "ArticleTitle", "PubDate", "ContentSource", "ColumnName", "ColumnDescription",
        "ColumnKeywords", "ColumnType", "SiteName", "SiteDomain", "SiteIDCode",
        "Keywords", "Author", "Description", "Url", "Image",
        "pubtime", "publishdate", "PublishTime", "firstpublishedtime", "lastmodifiedtime",
        "createDate", "subtitle", "source",
        "article:published_time", "article:modified_time", "article:author",
        "og:title", "og:description", "og:url", "og:site_name", "og:type",
    )
)
# Meta names holding the publication date, best first.
META_DATE_NAMES = (
    "pubdate", "pubtime", "publishdate", "publishtime", "firstpublishedtime",
    "article:published_time", "createdate",
)
META_TITLE_NAMES = ("articletitle",)
META_SOURCE_NAMES = ("contentsource", "source")
META_COLUMN_NAMES = ("columnname",)
META_AUTHOR_NAMES = ("author", "article:author")
META_SUBTITLE_NAMES = ("subtitle",)

# --- Body containers -------------------------------------------------------
# Tried after ``SiteHints.body_selectors``: the containers of the CMS families
# that run most district sites (TRS WCM, Hanweb/大汉, 拓尔思 "UCAP", 博达,
# generic ``article-content``). CSS, translated once by cssselect.
DEFAULT_BODY_SELECTORS = (
    ".TRS_Editor", "#zoom", "#UCAP-CONTENT", "#mainText", ".pages_content",
    ".view.TRS_UEDITOR", ".TRS_UEDITOR", "#vsb_content", ".article-content",
    ".articleContent", "#article-content", ".wzcon", "#Zoom",
)

# --- Title -----------------------------------------------------------------
# class/id values naming a title, a subtitle (副标题/引题) or a breadcrumb;
# matched in Python against " class id " of elements that have either.
TITLE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:article[_-]?title|arti[_-]?title|detail[_-]?title|news[_-]?title|content[_-]?title|"
    r"title|tit|bt|biaoti|wzbt|dbt|xl[_-]?title)(?:[\s_-]|$)", re.I)
SUBTITLE_CLASS = re.compile(r"(?:^|[\s_-])(?:sub[_-]?title|subhead|fbt|fu[_-]?title)(?:[\s_-]|$)", re.I)
# 引题: the lead line above a headline; the subtitle only when there is no 副标题.
LEAD_TITLE_CLASS = re.compile(r"(?:^|[\s_-])(?:ytitle|yt|yinti|lead[_-]?title|pre[_-]?title)(?:[\s_-]|$)", re.I)
BREADCRUMB_CLASS = re.compile(
    r"(?:crumb|position|location|weizhi|dqwz|(?:^|[\s_-])wz(?:[\s_-]|$)|bread|navpath|nav[_-]path|curpos|current[_-]?(?:loc|pos))", re.I)
# Title separators before a site name: "标题_北京市海淀区人民政府", "标题 - 门户", "标题|网站".
# After a site name that opens a <title>: "网站名--标题", "网站名 - 标题", "网站名_标题".
TITLE_PREFIX_SEP = re.compile(r"^\s*(?:--|——|[_|｜:：]|\s[-—–]+\s|-)\s*")
# A portal's name opening a <title> (older pages): "合肥市蜀山区人民政府--标题".
TITLE_SITE_PREFIX = re.compile(
    r"^[^_|｜\s-]{2,30}?(?:人民政府|政府网|政府门户网站|门户网站|政府网站|政府)\s*(?:--|——|[_|｜]|\s[-—–]+\s)\s*(?P<rest>.{4,})$")
TITLE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-—–]+\s|--|——)\s*(?P<suffix>[^_|｜]*)$")

# --- Breadcrumb (column) ---------------------------------------------------
BREADCRUMB_LABEL = re.compile(r"^\s*(?:当前位置|您的位置|您现在的位置|你的位置|所在位置|位置)\s*[：:]\s*")
BREADCRUMB_SEP = re.compile(r"\s*(?:>>|>|»|›|＞|→|/|\\|>|〉)\s*")
BREADCRUMB_SKIP = frozenset({"正文", "详情", "内容", "正文内容", "文章详情", "首页", "网站首页", ""})

# --- Elements never part of the text ---------------------------------------
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "object", "embed", "form", "button",
    "select", "input", "textarea", "svg", "canvas", "template", "head",
})
# Descendants of the container dropped whole when their class/id says so and
# they hold little text (share bars, print/close buttons, font-size switches).
BOILERPLATE_CLASS = re.compile(
    r"bdshare|(?<![a-z])(?:share|fenxiang|print|close|fontsize|font-size|zihao|qrcode|ewm|erweima|"
    r"prev|next|pager|pagination|related|xgxx|xglj)", re.I)
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "pre", "center", "address", "figure", "figcaption", "hr",
    "table", "tr", "tbody", "thead", "tfoot", "caption", "form", "fieldset",
})

# --- Boilerplate lines -----------------------------------------------------
# A whole line matching one of these never reaches body_text.
BOILERPLATE_LINE = re.compile(
    r"""^(?:
        .{0,10}(?:打印本页|打印此页|打印文章|【\s*打印\s*】|\[\s*打印\s*\]|关闭窗口|【\s*关闭\s*】|\[\s*关闭\s*\]).{0,30}
      | .{0,20}[【\[]?\s*(?:字体|字号)\s*[：:]\s*[大中小\s]+[】\]]?.{0,30}
      | .{0,6}分享到.{0,40}
      | .{0,6}扫一扫在手机(?:上)?打开当前页.{0,10}
      | .{0,4}(?:上一篇|下一篇|上一条|下一条)\s*[：:]?.{0,80}
      | .{0,4}相关(?:链接|文章|阅读|新闻)\s*[：:]?.{0,10}
      | .{0,4}责任编辑\s*[：:].{0,30}
      | .{0,60}ICP备.{0,60}
      | .{0,60}公网安备.{0,60}
      | .{0,6}(?:主办|承办|协办)(?:单位)?\s*[：:].{0,120}
      | .{0,6}版权所有.{0,80}
      | .{0,6}网站标识码.{0,40}
      | \s*(?:【|\[)?\s*(?:返回顶部|返回|收藏|打印|关闭)\s*(?:】|\])?\s*
    )$""", re.X)
#: Every alternative of BOILERPLATE_LINE holds one of these literally, so a line holding none of them
#: is no boilerplate (tests/unit/test_extract_layouts.py checks the pattern against this list): the
#: check skips the regex, whose bounded prefixes backtrack, on most lines (3x faster over real pages).
BOILERPLATE_KEYS = re.compile("打印|关闭|字体|字号|分享到|扫一扫|上一篇|下一篇|上一条|下一条|相关|责任编辑|ICP备|公网安备"
                              "|主办|承办|协办|版权所有|网站标识码|返回|收藏")
# Inline fragments cut out of an otherwise kept line (an info line's tail).
BOILERPLATE_INLINE = re.compile(
    r"[【\[]\s*(?:字体|字号)\s*[：:]\s*[大中小\s]+[】\]]|[【\[]\s*(?:打印|关闭|收藏|返回)(?:本页|窗口)?\s*[】\]]")
# "附件：" introducing a list of attachment links.
ATTACHMENT_LABEL = re.compile(r"^\s*(?:相关)?附件\s*(?:\d+|[一二三四五六七八九十]+)?\s*[：:]?\s*")
ATTACHMENT_EXT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar|et|txt)$", re.I)
# Images that are not content: tracking pixels, icons, spacers.
IMAGE_SKIP = re.compile(r"(?:spacer|pixel|blank|1x1|icon|logo|share|qrcode|ewm|/images?/(?:common|btn|bg)/)", re.I)

# Characters stripped from both ends of every paragraph (str.strip() covers
# U+3000 and U+00A0 already; zero-width ones are added).
STRIP_CHARS = " \t\r\n\f\v\u3000\u00a0\u200b\u200c\u200d\ufeff\u2002\u2003\u2009"

# A bare date (optionally bracketed, optionally with a time) that opens an info line:
# "[2020-06-06]　信息来源：…", "2020年07月06日 08:57　来源：…"
INFO_DATE_PREFIX = re.compile(
    r"^\s*[\[【(（]?\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）]?[\s\u3000]*$")

# --- Tree helpers ----------------------------------------------------------
# An element's text (its descendants' text nodes, not its tail): what
# lxml.html's ``HtmlElement.text_content()`` returns, for plain lxml elements too.
STRING = etree.XPath("string()", smart_strings=False)

#: inline tags: never a body container of their own when they show only a few characters
INLINE_TAGS = frozenset({"a", "span", "font", "b", "strong", "em", "i", "u", "sup", "sub", "small", "big",
                         "label", "o:p"})
