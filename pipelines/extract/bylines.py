"""Visible bylines: the info line under the title and credits in the body.

``发布时间：2020-07-06 08:57　来源：北京日报　作者：张三 【字体：大 中 小】`` is cut at
each label, so one field never swallows the next; ``（记者唐炜）`` at the end of
the body and ``（通讯员 张三 李四）`` at its start give authors too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Labels of an info line, longest first so 发布时间 wins over 时间, 信息来源 over 来源.
_LABELS = {
    "date": ("发布时间", "发布日期", "发稿时间", "发表时间", "更新时间", "时间", "日期"),
    "source": ("信息来源", "文章来源", "稿件来源", "新闻来源", "来源单位", "来源"),
    "author": ("作者", "撰稿人", "撰稿", "文字"),
    "reporter": ("见习记者", "特约记者", "记者"),
    "correspondent": ("通讯员",),
    "photo": ("摄影", "图片"),
    "editor": ("责任编辑", "责编", "编辑", "审核", "校对"),
}
_LABEL_KIND = {label: kind for kind, labels in _LABELS.items() for label in labels}
# A label, then a colon (required for the ambiguous short ones).
LABEL_RE = re.compile(
    "(?P<label>" + "|".join(sorted(_LABEL_KIND, key=len, reverse=True)) + r")\s*[：:]\s*"
)
# Where a value stops even without a following label.
_VALUE_END = re.compile(r"[【\[|丨】\]]|\s{2,}|\u3000|(?:浏览|点击|阅读|访问)(?:次数|量|数)?\s*[：:]|字体|字号|打印|分享"
                        r"|\s+(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}"  # "来源：广西日报 2024-10-17 08:03"
                        r"|\s+[\u4e00-\u9fff]{2,6}\s*[：:]")  # any next label: "来源：某局 文章类型：原创" (nfra)
_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,6}$|^[A-Za-z][A-Za-z .'-]{1,30}$")
_NOT_NAMES = frozenset({"本报", "本网", "记者", "通讯员", "报道", "摄影", "编辑", "实习生", "新华社", "供图", "图文",
                        "特约", "见习", "融媒体", "全媒体", "首席", "通讯", "文字", "图片"})
# Organisations, not people (meta Author often holds the site's name).
_ORG_SUFFIX = re.compile(r"(?:政府|办公室|中心|局|委员会|委|网|报|报社|电视台|新闻|融媒体|街道|镇|乡|区|市|县|所|站|院|部|厅|队|处|科|馆|社|办)$")
# A reporter's role, with the newsroom's own prefixes: 融媒体记者, 特约通讯员, 本报见习记者.
_REPORTER = r"(?:本报|本网|本台)?(?:融媒体|全媒体|特约|见习|首席|实习)?(?:记者|通讯员)"
_PHOTO_ROLE = r"(?:摄影|图\s*[/／]|(?<=[\u4e00-\u9fff\s])摄$|摄(?=[\s:：]))"
_ROLES = re.compile("(" + _REPORTER + r"|实习生|作者|撰稿|文\s*[/／]|" + _PHOTO_ROLE + ")")
_PHOTO = re.compile(_PHOTO_ROLE)
# Credits in parentheses at the end (or start) of the body.
_CREDIT = "(?:" + _REPORTER + r"|实习生|摄影|作者|文\s*[/／]|图\s*[/／])"
CREDIT_PAREN_END = re.compile(r"[（(]\s*(" + _CREDIT + r"[^（）()]{1,60})[）)]\s*$")
# ... also after a dateline: "本报讯（记者 张三）", "平潭网8月18日讯（融媒体记者 某某）", "新华社北京7月6日电（记者 李四）".
CREDIT_PAREN_START = re.compile(r"^\s*(?:[^（()）。，]{0,20}?[讯电]\s*)?[（(]\s*(" + _CREDIT + r"[^（）()]{1,60})[）)]")
# A dateline's reporter without parentheses: "记者梁爽报道　6月10日，……" (cut from the body).
REPORTED_BY = re.compile(r"^\s*(?:本报|本网)?(?:" + _REPORTER + r")\s*([\u4e00-\u9fff·]{2,4}(?:[\s、]+[\u4e00-\u9fff·]{2,4})*)\s*报道[\s\u3000]*")
# Names alone in parentheses closing the body: "……重要意义。（李晟 韦鑫）", "……自信。(图书馆 魏乐禹）",
# "白云时事讯（全碧芳）": after a sentence or a dateline, 2-3 character names, units allowed beside them.
CREDIT_NAMES_END = re.compile(r"(?:^|[。！？!?”\s]|[讯电])[（(]\s*((?:[\u4e00-\u9fff]{2,8}[\s、，,]+){0,3}[\u4e00-\u9fff]{2,3})\s*[）)]\s*$")
# A photo credit closing the body: "（张三 摄）", "（记者 张三 摄）".
CREDIT_PHOTO_END = re.compile(r"[（(]\s*([^（）()]{2,40}?\s摄(?:影)?)\s*[）)]\s*$")
# Credit lines of their own: "文/张三", "文／张三 图／李四", "摄影 李四", "李四 摄", "见习记者 王一凡".
CREDIT_LINE = re.compile(r"^\s*(?:(?:文|图|摄影|" + _REPORTER + r"|作者)\s*[/／:：\s]\s*[\u4e00-\u9fff·]{2,6}[\s、，,]*)+$"
                         r"|^\s*[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*\s+摄(?:影)?\s*$")


# A credit closing the last paragraph: "……良好氛围。文/王小明", "……（图/李四）".
CREDIT_TAIL = re.compile(r"(?:^|[。！？”\s])((?:文|图|摄影)\s*[/／]\s*[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+(?:(?:文|图|摄影)\s*[/／]\s*)?[\u4e00-\u9fff·]{2,4})*)\s*$")


@dataclass(slots=True)
class Byline:
    date_text: str | None = None
    source: str | None = None
    editor: str | None = None
    authors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    editor_rank: int = 9  # index in _EDITOR_LABELS of the label the editor came from


_EDITOR_LABELS = ("责任编辑", "责编", "编辑")


def _name_tokens(chunk: str) -> list[str]:
    names = []
    for token in re.split(r"[\s、，,;；/／:：]+", chunk):
        token = token.strip("　 .。:：")
        if token.startswith("本报"):
            token = token[2:]
        if (token and token not in _NOT_NAMES and _NAME.match(token) and not _ORG_SUFFIX.search(token)
                and token not in names):
            names.append(token)
    return names


def split_credits(text: str) -> tuple[list[str], list[str]]:
    """``记者 张三 通讯员 李四 摄影 王五`` -> (authors, photographers).

    A name after 摄影/图/ or before a trailing 摄 took the pictures; the others
    wrote. Units (区图书馆, 某某县统计局) are nobody."""
    authors: list[str] = []
    photographers: list[str] = []
    photo = False
    authors_before: list[str] = []
    for i, chunk in enumerate(_ROLES.split(text)):
        if not chunk:
            continue
        if i % 2:  # the split's captured roles sit at odd places
            role = chunk.strip()
            if role == "摄" or role.endswith("摄"):  # "李四 摄": the names before it
                photographers += [n for n in authors_before if n not in photographers]
                authors = [n for n in authors if n not in authors_before]
                photo = False
            else:
                photo = bool(_PHOTO.fullmatch(role))
            continue
        authors_before = _name_tokens(chunk)
        target = photographers if photo else authors
        target += [n for n in authors_before if n not in target]
    return authors, photographers


def split_names(text: str) -> list[str]:
    """``张三 李四``, ``张三、李四``, ``记者 张三 通讯员 李四`` -> names (photographers included)."""
    authors, photographers = split_credits(text)
    return authors + [n for n in photographers if n not in authors]


def _clean_value(value: str) -> str | None:
    cut = _VALUE_END.search(value)
    if cut:
        value = value[: cut.start()]
    value = value.strip(" \t\u3000\u00a0|丨")
    return value or None


def parse_info_line(line: str) -> Byline:
    """Fields of one info line; labels without a value are ignored."""
    out = Byline()
    matches = list(LABEL_RE.finditer(line))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        raw = line[match.end():end]
        kind = _LABEL_KIND[match.group("label")]
        if kind == "date":
            value = raw.strip() or None
            if value and out.date_text is None:
                out.date_text = value
            continue
        value = _clean_value(raw)
        if not value:
            continue
        if kind == "source" and out.source is None:
            credit = CREDIT_PAREN_END.search(value)  # 来源：北京日报（记者 王五）
            if credit and credit.start() > 0:
                value = value[: credit.start()].strip()
                _add(out, *split_credits(credit.group(1)))
            out.source = value
        elif kind == "editor" and match.group("label") in _EDITOR_LABELS:
            rank = _EDITOR_LABELS.index(match.group("label"))
            if rank < out.editor_rank:  # 责任编辑 beats a plain 编辑 on the same line
                out.editor, out.editor_rank = value, rank
        elif kind == "photo":
            _add(out, [], split_names(value))
        elif kind in ("author", "reporter", "correspondent"):
            _add(out, *split_credits(value))
    return out


def _add(byline: Byline, authors: list[str], photographers: list[str]) -> None:
    byline.authors += [n for n in authors if n not in byline.authors]
    byline.photographers += [n for n in photographers if n not in byline.photographers]


def is_info_line(line: str) -> bool:
    """A short line made of labelled fields (kept out of body_text)."""
    if len(line) > 160:
        return False
    match = LABEL_RE.search(line)
    return bool(match) and match.start() <= 4


def body_credits(lines: list[str]) -> tuple[list[str], list[str]]:
    """(authors, photographers) credited in the first two or last two body lines."""
    found = Byline()
    if not lines:
        return [], []
    candidates: list[str] = []
    for line in lines[-2:]:
        match = CREDIT_PAREN_END.search(line) or CREDIT_PHOTO_END.search(line)
        if match:
            candidates.append(match.group(1))
        elif CREDIT_LINE.match(line):
            candidates.append(line)
        elif (tail := CREDIT_TAIL.search(line)):
            candidates.append(tail.group(1))
        elif (names := CREDIT_NAMES_END.search(line)):
            candidates.append("作者 " + names.group(1))
    for line in lines[:2]:
        match = CREDIT_PAREN_START.match(line) or REPORTED_BY.match(line)
        if match:
            candidates.append(match.group(1))
        elif CREDIT_LINE.match(line):
            candidates.append(line)
    for text in candidates:
        _add(found, *split_credits(text))
    return found.authors, found.photographers


def credits_from_body(lines: list[str]) -> list[str]:
    """Authors credited in the first two or last two body lines (photographers apart)."""
    return body_credits(lines)[0]
