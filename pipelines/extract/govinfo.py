"""政府信息公开 tables: document metadata, never body text.

Open-government pages put a table above the title or at the top of the
body: 索引号 / 分类 / 发文机关 / 成文日期 / 发文字号 / 发布日期. Seen on real
pages in three layouts: a label cell then its value cell (ctzj, wjmoe,
shushan: ``<th>索引号：</th><td>…</td>``), ``label: value`` inside each cell
(zjjyt), and a header row of labels over a row of values (shwsjkw). The
table is read into label -> value pairs and taken out of the tree, so
neither the body nor the info-line search sees it.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from pipelines.extract.dom import drop_tree, text_content

# label (whitespace removed) -> column; labels not named here go to ``meta`` as written.
COLUMNS = {
    "索引号": "index_no", "索取号": "index_no", "信息索引": "index_no", "索引": "index_no",
    "发文字号": "doc_number", "文号": "doc_number", "文件编号": "doc_number", "发文号": "doc_number",
    "发文机关": "issuer", "发布机构": "issuer", "发文机构": "issuer", "发文单位": "issuer", "办文部门": "issuer",
    "成文日期": "written_at", "发文日期": "written_at",
    "发布日期": "published", "发布时间": "published",
}
OTHER_LABELS = frozenset({
    "分类", "公开分类", "主题分类", "信息分类", "信息类别", "体裁分类", "组配分类", "公开方式", "公开范围",
    "信息名称", "名称", "公文名称", "主题词", "内容概述", "生成日期", "有效性", "备注", "公开时限", "所属主题",
})
LABELS = frozenset(COLUMNS) | OTHER_LABELS
_SPACE = re.compile(r"[\s\u3000\u00a0\u2002\u2003]+")
_LABEL_VALUE = re.compile(r"^(?P<label>[^:：]{2,8})[:：](?P<value>.*)$")
_MAX_CHARS = 1500


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def _label(text: str) -> str | None:
    bare = _squash(text).rstrip(":：")
    return bare if bare in LABELS else None


def _cell_texts(row) -> list[str]:
    return [_SPACE.sub(" ", text_content(c)).strip() for c in row.xpath("./td|./th")]


def _pairs(table) -> list[tuple[str, str]]:
    rows = [_cell_texts(r) for r in table.xpath(".//tr")]
    pairs: list[tuple[str, str]] = []
    for i, cells in enumerate(rows):
        labels = [_label(c) for c in cells]
        nonempty = [c for c in cells if c]
        # a header row of labels over a row of values
        if nonempty and all(_label(c) for c in nonempty) and len(nonempty) >= 2 and i + 1 < len(rows) \
                and len(rows[i + 1]) == len(cells) and not any(_label(c) for c in rows[i + 1] if c):
            pairs += [(lab, value.strip()) for lab, value in zip(labels, rows[i + 1]) if lab]
            continue
        j = 0
        while j < len(cells):
            label = labels[j]
            if label and j + 1 < len(cells) and not labels[j + 1] and not _labelled(cells[j + 1]):
                pairs.append((label, cells[j + 1].strip()))
                j += 2
                continue
            if _labelled(cells[j]):  # "索引号: 002482082/2024-00332" in one cell
                label, value = re.split(r"[:：]", cells[j], maxsplit=1)
                pairs.append((_label(label), value.strip()))
            j += 1
    return pairs


def _labelled(cell: str) -> bool:
    match = _LABEL_VALUE.match(_squash(cell))
    return bool(match) and _label(match["label"]) is not None


def _is_info_table(table) -> bool:
    if table.find(".//table") is not None:
        return False
    text = text_content(table)
    if len(text) > _MAX_CHARS:
        return False
    squashed = _squash(text)
    found = {label for label in LABELS if label in squashed}
    return len(found & set(COLUMNS)) >= 1 and len(found) >= 3


def take_info_tables(tree: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    """(label, value) pairs of every 信息公开 table, in order; the tables leave the tree."""
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for table in list(tree.iter("table")):
        if not _is_info_table(table):
            continue
        for label, value in _pairs(table):
            if label not in seen:  # desktop and mobile copies repeat the table
                seen.add(label)
                pairs.append((label, value))
        drop_tree(table)
    return pairs


def columns(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """(column -> value, label -> value for ``meta``); empty values dropped."""
    named: dict[str, str] = {}
    rest: dict[str, str] = {}
    for label, value in pairs:
        if not value:
            continue
        column = COLUMNS.get(label)
        if column and column not in named:
            named[column] = value
        rest[label] = value
    return named, rest
