"""Lines above the body that are not body.

Seen on real pages (../shared/corpus): the headline repeated inside the
content block, once or twice, sometimes over several lines (ncwgxj, neac,
xicheng, lfyfcgs, wjmoe); a kicker or subtitle line right under it
(lfyfcgs ``刘宁宣布建设启动 蓝天立刘明胜讲话``, jchgz); the 文号 of a notice
(``教思政厅函〔2024〕10号``, djsc); the date/source line (neac); a photo caption
at the top (``图为…``, ``（某某 摄）``). Pure functions over the body's lines.
"""

from __future__ import annotations

import re

from pipelines.extract.bylines import CREDIT_LINE

_WS = re.compile(r"\s+")
# 川卫函〔2025〕46号, 沪卫基层〔2024〕5号, 京政发[2020]3号
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,14}\s*[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*第?\s*\d{1,5}\s*号$")
_CAPTION = re.compile(r"^(?:图为|图：|上图|下图|▲)|[（(][^（）()]{0,30}摄(?:影)?[）)]$|^\S{2,4}(?:\s+\S{2,4})*\s+摄$")
_DATE_ONLY = re.compile(r"^[\[【(（]?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
                        r"(?:\s*\d{1,2}[:：时]\d{2}分?(?::\d{2})?)?\s*[\]】)）]?$")
# A sentence, a salutation or a numbered heading: body, never a subtitle.
_SENTENCE = re.compile(r"[，。；：！？,;:!?]|^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")
_SUBTITLE_MAX = 40


def _squash(text: str | None) -> str:
    return _WS.sub("", text or "")


def _title_lines(lines: list[str], start: int, title: str) -> int:
    """How many lines from ``start`` spell ``title`` (0 when they do not)."""
    want = _squash(title)
    got = ""
    for k in range(start, min(start + 4, len(lines))):
        got += _squash(lines[k])
        if got == want:
            return k - start + 1
        if not want.startswith(got):
            return 0
    return 0


def trim_lead(lines: list[str], titles: tuple[str | None, ...], is_info_line) -> tuple[list[str], str | None, str | None]:
    """(body lines, subtitle, doc_number): the headline repeats, a subtitle under
    the headline or opening the body, the 文号, date/info lines and top captions
    are cut from the first lines."""
    titles = tuple(t for t in titles if t and len(_squash(t)) >= 4)
    subtitle = doc_number = None
    i = 0
    saw_title = False
    while i < len(lines) and i < 8:
        line = lines[i].strip()
        span = max((_title_lines(lines, i, t) for t in titles), default=0)
        if span:
            i += span
            saw_title = True
            continue
        if DOC_NUMBER.match(line):
            doc_number = doc_number or line
        elif not (_DATE_ONLY.match(line) or _CAPTION.search(line) or is_info_line(line)):
            if subtitle is None and _is_subtitle(lines, i, saw_title):
                subtitle = line
            else:
                break
        i += 1
    return lines[i:], subtitle, doc_number


def _is_subtitle(lines: list[str], i: int, saw_title: bool) -> bool:
    """A short line without sentence punctuation right before prose: under a
    repeated headline, or opening the body."""
    line = lines[i].strip()
    if (len(line) > _SUBTITLE_MAX or len(line) < 4 or _SENTENCE.search(line) or "\t" in line
            or CREDIT_LINE.match(line)):
        return False
    rest = [l for l in lines[i + 1:i + 4] if not _CAPTION.search(l.strip())]
    following = rest[0] if rest else ""
    return (saw_title or i == 0) and len(following) > 2 * len(line) and bool(_SENTENCE.search(following))


# --- the tail ----------------------------------------------------------------
# Lines that close a content block on real pages and are not body: the
# publishing unit and correction links in 【】 (shunyi), print/close links
# (ncwgxj ``·【打印页面】``), QR prompts and the site's WeChat account
# (zxw1wuhan, wjmoe), an ``附件：``/``相关附件`` label with nothing after it, a
# compiler's credit (``文章综合自：…``, lysctcmsc; ``图文来源：…``, cxwxa) and
# the ``编辑：`` line (which names the editor).
_TAIL_FURNITURE = re.compile(
    r"^[·•\s]*(?:【[^】]{1,24}】[\s·•]*)+$"
    r"|^[·•\s]*[【\[]?\s*(?:打印|关闭)(?:本页|页面|当前页面|此页|窗口)\s*[】\]]?$"
    r"|扫一扫|点击右上角|微信公众号$|手机上?(?:查看|打开|浏览)"
    r"|^(?:[\[【]?\s*(?:\d{1,3}|上一页|下一页|首页|尾页|末页)\s*[\]】]?\s*){2,}$"  # a pager: [1] [2] 下一页
    r"|^(?:相关)?附件\s*[:：]?$|^(?:文章|图文|内容|信息)?(?:综合自|来源于?|图文来源)\s*[:：]"
)
_EDITOR = re.compile(r"^[（(]?\s*(?:责任编辑|责编|编辑)\s*[:：]\s*[（(]?\s*([\u4e00-\u9fff·]{2,4})\s*[）)]?\s*$")


def trim_tail(lines: list[str]) -> tuple[list[str], str | None]:
    """(body lines, editor): furniture and the editor line cut from the last lines."""
    editor = None
    end = len(lines)
    while end > 0 and len(lines) - end < 8:
        line = lines[end - 1].strip()
        if len(line) <= 80 and _TAIL_FURNITURE.search(line):
            end -= 1
            continue
        match = _EDITOR.match(line)
        if match:
            editor = editor or match.group(1)
            end -= 1
            continue
        break
    return lines[:end], editor
