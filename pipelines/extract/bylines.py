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
_VALUE_END = re.compile(r"[【\[|丨】\]]|\s{2,}|\u3000|(?:浏览|点击|阅读|访问)(?:次数|量|数)?\s*[：:]|字体|字号|打印|分享")
_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,6}$|^[A-Za-z][A-Za-z .'-]{1,30}$")
_NOT_NAMES = frozenset({"本报", "本网", "记者", "通讯员", "报道", "摄影", "编辑", "实习生", "新华社", "供图", "图文"})
# Organisations, not people (meta Author often holds the site's name).
_ORG_SUFFIX = re.compile(r"(?:政府|办公室|中心|局|委员会|委|网|报|报社|电视台|新闻|融媒体|街道|镇|乡|区|市|县|所|站|院|部|厅|队|处|科)$")
_ROLES = re.compile(r"(见习记者|特约记者|本报记者|记者|通讯员|实习生|摄影|作者|撰稿|文\s*[/／]|图\s*[/／]|(?<=[\u4e00-\u9fff\s])摄$)")
# Credits in parentheses at the end (or start) of the body.
CREDIT_PAREN_END = re.compile(r"[（(]\s*((?:本报)?(?:见习记者|特约记者|记者|通讯员|实习生|摄影|作者|文\s*[/／]|图\s*[/／])[^（）()]{1,60})[）)]\s*$")
# ... also after a dateline: "本报讯（记者 张三）", "新华社北京7月6日电（记者 李四）".
CREDIT_PAREN_START = re.compile(r"^\s*(?:[^（()）。，]{0,20}?[讯电]\s*)?[（(]\s*((?:本报)?(?:见习记者|特约记者|记者|通讯员|实习生|摄影|作者|文\s*[/／]|图\s*[/／])[^（）()]{1,60})[）)]")
# Credit lines of their own: "文/张三", "文／张三 图／李四", "摄影 李四", "李四 摄", "记者 张三".
CREDIT_LINE = re.compile(r"^\s*(?:(?:文|图|摄影|(?:本报)?记者|通讯员|作者)\s*[/／:：\s]\s*[\u4e00-\u9fff·]{2,6}[\s、，,]*)+$"
                         r"|^\s*[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*\s+摄(?:影)?\s*$")


# A credit closing the last paragraph: "……良好氛围。文/王小明", "……（图/李四）".
CREDIT_TAIL = re.compile(r"(?:^|[。！？”\s])((?:文|图|摄影)\s*[/／]\s*[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+(?:(?:文|图|摄影)\s*[/／]\s*)?[\u4e00-\u9fff·]{2,4})*)\s*$")


@dataclass(slots=True)
class Byline:
    date_text: str | None = None
    source: str | None = None
    editor: str | None = None
    authors: list[str] = field(default_factory=list)
    editor_rank: int = 9  # index in _EDITOR_LABELS of the label the editor came from


_EDITOR_LABELS = ("责任编辑", "责编", "编辑")


def split_names(text: str) -> list[str]:
    """``张三 李四``, ``张三、李四``, ``记者 张三 通讯员 李四`` -> names."""
    names: list[str] = []
    for chunk in _ROLES.split(text):
        if not chunk or _ROLES.fullmatch(chunk):
            continue
        for token in re.split(r"[\s、，,;；/／]+", chunk):
            token = token.strip("　 .。:：")
            if token.startswith("本报"):
                token = token[2:]
            if (token and token not in _NOT_NAMES and _NAME.match(token) and not _ORG_SUFFIX.search(token)
                    and token not in names):
                names.append(token)
    return names


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
                out.authors += [n for n in split_names(credit.group(1)) if n not in out.authors]
            out.source = value
        elif kind == "editor" and match.group("label") in _EDITOR_LABELS:
            rank = _EDITOR_LABELS.index(match.group("label"))
            if rank < out.editor_rank:  # 责任编辑 beats a plain 编辑 on the same line
                out.editor, out.editor_rank = value, rank
        elif kind in ("author", "reporter", "correspondent", "photo"):
            for name in split_names(value):
                if name not in out.authors:
                    out.authors.append(name)
    return out


def is_info_line(line: str) -> bool:
    """A short line made of labelled fields (kept out of body_text)."""
    if len(line) > 160:
        return False
    match = LABEL_RE.search(line)
    return bool(match) and match.start() <= 4


def credits_from_body(lines: list[str]) -> list[str]:
    """Authors credited in the first two or last two body lines."""
    names: list[str] = []
    if not lines:
        return names
    candidates: list[str] = []
    for line in lines[-2:]:
        match = CREDIT_PAREN_END.search(line)
        if match:
            candidates.append(match.group(1))
        elif CREDIT_LINE.match(line):
            candidates.append(line)
        elif (tail := CREDIT_TAIL.search(line)):
            candidates.append(tail.group(1))
    for line in lines[:2]:
        match = CREDIT_PAREN_START.match(line)
        if match:
            candidates.append(match.group(1))
        elif CREDIT_LINE.match(line):
            candidates.append(line)
    for text in candidates:
        for name in split_names(text):
            if name not in names:
                names.append(name)
    return names
