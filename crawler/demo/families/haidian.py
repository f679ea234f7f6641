"""``demo-haidian``: a TRS WCM district portal (see crawler/demo/build.py for what it holds)."""

from __future__ import annotations

import html
import io
import json
import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from crawler.demo.families.common import (Article, _attr, _compose, _dates, _esc, _expected, _fill, _int,
                                         _pick, _short, _unique_title, _write_files)
from crawler.demo.families.text import (CORRESPONDENTS, DEPTS, EDITORS, GBK_NAMES, HD_STREETS, HD_TOPICS,
                                       NOTICE_SENTENCES, NOTICE_TITLES, REPORTERS, WRITERS)

HAIDIAN_HOST = "haidian.demo.govnews.test"
TRS_PER_PAGE = 15

# --------------------------------------------------------------------------- seed


# The seed article (000_62ebc4b576d8ce4b.txt: line 1 the title, then the body exactly as
# the Haidian CMS stored it), embedded so the build needs nothing outside the repository.
SEED_TITLE = '区新冠肺炎疫情防控工作领导小组召开第九十七次会议'
SEED_BODY_HTML = (
    "<div><span style='font-size:16px;margin-top:15px;line-height:25px;text-indent:30px;display:block'> \u3000\u30007月5日晚，区新冠肺炎疫情防控工作领导小组召开第九十七次会议，传达市委常委会扩大会议精神，认真学习贯彻习近平总书记主持中央政治局常委会会议审议《首都功能核心区控制性详细规划（街区层面）（2018年-2035年）》时的重要讲话精神。同时根据市委市政府最新要求，对全区疫情防控工作进行安排部署。区委书记、防控工作领导小组组长于军主持会议。区委副书记、区长、防控工作领导小组组长曾劲等区领导在视频会主会场出席会议。</span></div>"
    '<div>&nbsp;</div>'
    "<div><span style='font-size:16px;margin-top:15px;line-height:25px;text-indent:30px;display:block'> \u3000\u3000会议指出，要增强“四个意识”、坚定“四个自信”、做到“两个维护”，进一步把思想和行动统一到习近平总书记重要讲话精神上来。要深刻领会核心区控规的特殊重要性，充分认识到核心区控规关系党和国家工作大局，关系城市发展和人民幸福，必须提高政治站位，增强责任感使命感，增强实施核心区控规的行动自觉，为努力建设政务环境优良、文化魅力彰显和人居环境一流的首都功能核心区作出海淀更大贡献。</span></div>"
    '<div>&nbsp;</div>'
    "<div><span style='font-size:16px;margin-top:15px;line-height:25px;text-indent:30px;display:block'> \u3000\u3000会议强调，首都“四个中心”功能定位与海淀所承担的责任使命高度契合，我们要坚决维护核心区控规的严肃性和权威性，突出政治中心服务保障，健全“四个服务”的各项制度机制，坚持首善标准抓好各项工作，为开创核心区发展新局面贡献海淀的智慧和力量。要深化落实“两新两高”战略，聚焦中关村科学城，突出民生改善工作，围绕“七有”“五性”，深化党建引领“吹哨报到”改革，完善“接诉即办”工作机制，推动主动治理、未诉先办，办好群众家门口的事。要提升人居环境和城市品质，加强生态修复和城市修补，持续推动背街小巷环境精细化整治提升，落实责任规划师制度，完善群众参与治理的机制，建设和谐宜居的美丽家园。</span></div>"
    '<div>&nbsp;</div>'
    "<div><span style='font-size:16px;margin-top:15px;line-height:25px;text-indent:30px;display:block'> \u3000\u3000会议指出，当前疫情防控趋稳向好态势持续加强，但防控形势依然严峻复杂。要继续落实“四方责任”，紧盯重点区域重点人群，以更加精准的措施抓好防控工作。要根据风险区变化，对具体防控措施进行动态调整。要全力抓好社区防控，紧盯防控重点，举一反三，查漏补缺。对解除封闭管控的社区，要继续加强封闭式管理，卡口保持24小时值守。对居家隔离人员要加强关心关爱，耐心细心做好各项生活服务。要发挥好下沉干部、社区志愿者等值守力量的作用，筑牢基层群防群控的坚实防线，当好居民健康和城市安全的“守门人”。要加强社区夜间值守，值好“瞪眼班”，严格执行测温、查证、验码、登记等各项防控措施。要开展好爱国卫生运动，做好规范化消毒消杀，营造清洁有序的社区环境。要不断提升社区精细化治理水平和公共卫生服务能力，更好为居民健康和城市安全护航。</span></div>"
    '<div>&nbsp;</div>'
    "<div><span style='font-size:16px;margin-top:15px;line-height:25px;text-indent:30px;display:block'> \u3000\u3000会议强调，要落实主体责任，压实工作细节，加强隐患排查，堵塞防控漏洞。要持续抓好核酸检测环节，做到应检尽检动态清零、愿检尽检做好服务，对集中医学观察点严格按照指引加强规范管理。要持续抓好复工复产防控，对全区建筑工地开展疫情防控专项检查，农贸市场、菜市场、餐饮店等重点场所防疫要持续抓好。要加强统筹调度，做好保供稳价工作，确保市场货源充足、品种丰富，保证居民正常生活需要。</span></div>"
    '<div>&nbsp;</div>'
    "<div><span style='font-size:16px;margin-top:15px;line-height:25px;text-indent:30px;display:block'> \u3000\u3000会议强调，当前，我区正在积极落实新修订的《北京市生活垃圾管理条例》，通过多种渠道广泛深入宣传动员，引导全社会共同参与，增强生活垃圾分类的自觉意识，促进文明习惯养成。要盯紧重点环节，压实各级责任，把疫情防控、复工复产和垃圾分类工作结合起来，建立完善常态化机制，持之以恒抓下去，努力建设和谐宜居的健康美丽海淀。</span></div>"
    '<div>&nbsp;</div>'
    "<div><span style='font-size:16px;margin-top:15px;line-height:25px;text-indent:30px;display:block'> \u3000\u3000会议要求，高考在即，要抓好疫情防控和服务保障，在重要时段防扎堆、不聚集，让考生健康、顺利高考。当前正值汛期，要切实做好雨情汛情监测预警和应对处置工作，保障城市运行安全。要全力统筹推进疫情防控和经济社会发展工作，在疫情防控常态化基础上，组织安排好下半年工作，努力完成全年经济社会发展各项目标任务。（记者唐炜）\xa0</span></div>"
    '<div>&nbsp;</div>'
)


def load_seed() -> tuple[str, str]:
    return SEED_TITLE, SEED_BODY_HTML


def seed_paragraphs(body_html: str) -> list[str]:
    out = []
    for chunk in re.findall(r"<span[^>]*>(.*?)</span>", body_html, flags=re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", chunk)).replace("\xa0", " ").strip(" \t\r\n\u3000")
        if text:
            out.append(text)
    return out


# --------------------------------------------------------------------------- Haidian (TRS)

HD_COLUMNS = [
    # key, name, article count, sources
    ("qzyw", "区政要闻", 38, ["海淀区融媒体中心", "北京日报", "海淀区政府办", "北京晚报", "海淀区融媒体中心"]),
    ("bmdt", "部门动态", 33, None),  # source = department
    ("tzgg", "通知公告", 32, ["海淀区政府办", "区人力社保局", "区政务服务局", "区城市管理委"]),
]
SEED_ID = 4420198
SEED_DT = datetime(2020, 7, 6, 8, 57)
IMAGE_NAME = "W020200706512345.jpg"
ATTACH_PDF = "P020200708123456.pdf"
ATTACH_DOCX = "P020200708123457.docx"


def haidian_articles(seed_title: str, seed_html: str) -> list[Article]:
    arts: list[Article] = []
    seen_titles: set[str] = {seed_title, "关于开展2020年度社区工作者职业技能竞赛的通知"}
    for key, name, count, sources in HD_COLUMNS:
        rng = random.Random(f"demo-haidian/{key}")
        dts = _dates(rng, count, date(2020, 3, 2), date(2020, 12, 28))
        if key == "qzyw":  # the seed article sits at its real date
            i = min(range(len(dts)), key=lambda j: abs(dts[j] - SEED_DT))
            dts[i] = SEED_DT
        for idx, dt in enumerate(dts):
            place = _pick(rng, HD_STREETS)
            dept = _pick(rng, DEPTS)
            ctx = {"place": place, "dept": dept, "m": dt.month, "d": dt.day}
            a = Article(site="demo-haidian", host=HAIDIAN_HOST, column=name, col_key=key, title="",
                        dt=dt, has_time=True, source="", paragraphs=[])
            if key == "tzgg":
                a.encoding = "gb18030"
                a.title = _fill(rng, NOTICE_TITLES[idx % len(NOTICE_TITLES)], ctx)
                if idx % 5 == 2:
                    a.title = f"关于表彰{GBK_NAMES[idx % len(GBK_NAMES)]}等优秀社区工作者的决定"
                n_paras = 1 if idx % 4 == 3 else _int(rng, 2, 5)
                if n_paras == 1:
                    a.paragraphs = [_fill(rng, "经研究，定于{m}月{d}日起对相关事项进行调整，联系人：{gbk}，联系电话：8250{n4}。", ctx)
                                    + f"（第{idx + 1}号）"]
                else:
                    body = [_fill(rng, NOTICE_SENTENCES[0], ctx)]
                    for _ in range(n_paras - 2):
                        body.append(_fill(rng, _pick(rng, NOTICE_SENTENCES[1:-1]), ctx) + _fill(rng, _pick(rng, NOTICE_SENTENCES[1:-1]), ctx))
                    body.append(f"联系人：{GBK_NAMES[idx % len(GBK_NAMES)]}，联系电话：8250{1000 + idx * 37}。特此通知。")
                    body.append("北京市海淀区人民政府办公室")
                    body.append(f"{dt.year}年{dt.month}月{dt.day}日")
                    a.paragraphs = body
                a.source = sources[idx % len(sources)]
            else:
                topic = HD_TOPICS[(idx * 7 + (1 if key == "bmdt" else 0)) % len(HD_TOPICS)]
                if key == "bmdt":
                    ctx["place"] = dept
                    a.source = dept
                else:
                    a.source = sources[idx % len(sources)]
                lead = f"{dt.month}月{dt.day}日，{ctx['place'] if key == 'bmdt' else place}" + _pick(
                    rng, ["召开专题会议研究部署相关工作。", "组织开展现场调研。", "召开工作推进会。",
                          "组织相关部门开展联合检查。", "举行工作动员部署会。"])
                n_paras = _int(rng, 1, 8) if idx % 6 else _int(rng, 1, 3)
                a.title, a.paragraphs = _compose(rng, topic, ctx, n_paras, lead)
            # bylines
            role = (idx + len(key)) % 6
            if key != "tzgg":
                if role == 0:
                    rep = REPORTERS[idx % len(REPORTERS)]
                    a.paragraphs[-1] += f"（记者{rep}）"
                    a.authors = [rep]
                elif role == 1:
                    pair = CORRESPONDENTS[idx % len(CORRESPONDENTS)]
                    a.paragraphs[-1] += f"（通讯员 {pair[0]} {pair[1]}）"
                    a.authors = list(pair)
                elif role == 3:
                    a.author_in_info = WRITERS[idx % len(WRITERS)]
                    a.authors = [a.author_in_info]
            if role in (2, 4):
                a.editor = EDITORS[idx % len(EDITORS)]
            if not (key == "qzyw" and dt == SEED_DT):
                a.title = _unique_title(seen_titles, a.title, dt, place if key != "bmdt" else dept)
            a.keywords = ",".join([name, a.title[:6]])
            arts.append(a)
    # the seed article
    seed = next(a for a in arts if a.col_key == "qzyw" and a.dt == SEED_DT)
    seed.title = seed_title
    seed.paragraphs = seed_paragraphs(seed_html)
    seed.body_html = seed_html
    seed.source = "海淀区融媒体中心"
    seed.authors = ["唐炜"]
    seed.author_in_info = ""
    seed.editor = "王五"
    seed.keywords = "疫情防控,领导小组,会议"
    # the picture article (部门动态, 2020-07-06)
    bm = [a for a in arts if a.col_key == "bmdt"]
    pic = min(bm, key=lambda a: abs(a.dt - SEED_DT))
    pic.dt = datetime(2020, 7, 6, 15, 30)
    pic.paragraphs[0] = re.sub(r"^\d+月\d+日", "7月6日", pic.paragraphs[0])
    pic.images = [IMAGE_NAME]
    pic.paragraphs.insert(1, f"图为{pic.source}工作人员在现场开展检查。")
    # the attachment notice (通知公告, 2020-07-08)
    tz = [a for a in arts if a.col_key == "tzgg"]
    att = min(tz, key=lambda a: abs(a.dt - datetime(2020, 7, 8, 10, 0)))
    att.dt = datetime(2020, 7, 8, 10, 15)
    att.title = "关于开展2020年度社区工作者职业技能竞赛的通知"
    att.paragraphs = [
        "各街道、镇，区政府各委、办、局：",
        "为进一步提升社区工作者专业能力，经区政府同意，定于2020年8月开展社区工作者职业技能竞赛，现将有关事项通知如下。",
        "请各单位于7月20日前将报名表报送至区民政局，联系人：张喆，联系电话：82501234。",
        "特此通知。",
        "附件：关于开展2020年度社区工作者职业技能竞赛的通知.pdf",
        "附件：社区工作者职业技能竞赛报名表.docx",
    ]
    att.attachments = [{"file": ATTACH_PDF, "name": att.paragraphs[4]}, {"file": ATTACH_DOCX, "name": att.paragraphs[5]}]
    att.source = "区民政局"
    # ids: ascending with time across the site, the seed keeps its real id
    arts.sort(key=lambda a: (a.dt, a.col_key))
    rng = random.Random("demo-haidian/ids")
    ids, cur = [], 0
    for _ in arts:
        cur += _int(rng, 3, 60)
        ids.append(cur)
    k = arts.index(seed)
    for a, raw in zip(arts, ids):
        a.id = SEED_ID + raw - ids[k]
        folder = f"{a.dt:%Y%m}"
        a.path = f"xwzx/{a.col_key}/{folder}/t{a.dt:%Y%m%d}_{a.id}.html"
        a.url = f"http://{HAIDIAN_HOST}/{a.path}"
        base = a.url.rsplit("/", 1)[0]
        a.images = [f"{base}/{x}" for x in a.images]
        a.attachments = [{"url": f"{base}/{x['file']}", "name": x["name"], "file": x["file"]} for x in a.attachments]
        if not a.body_html:
            a.body_html = _trs_body(a)
    return arts


def _trs_body(a: Article) -> str:
    lines = []
    for i, p in enumerate(a.paragraphs):
        if a.images and i == 1:
            lines.append(f'<p style="text-align: center;"><img src="./{IMAGE_NAME}" alt="" oldsrc="{IMAGE_NAME}" /></p>')
            # the caption is the paragraph at index 1
        if a.attachments and p.startswith("附件："):
            att = next(x for x in a.attachments if x["name"] == p)
            lines.append(f'<p><a href="./{att["file"]}" OLDSRC="/protect/{att["file"]}">{_esc(p)}</a></p>')
        elif a.images and i == 1:
            lines.append(f'<p style="text-align: center;">{_esc(p)}</p>')
        elif p in ("北京市海淀区人民政府办公室",) or re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", p):
            lines.append(f'<p style="text-align: right;">{_esc(p)}</p>')
        else:
            lines.append(f"<p>\u3000\u3000{_esc(p)}</p>")
    return "\n".join(lines)


HD_NAV = [("首页", "/"), ("新闻中心", "/xwzx/"), ("区政要闻", "/xwzx/qzyw/index.html"),
          ("部门动态", "/xwzx/bmdt/index.html"), ("通知公告", "/xwzx/tzgg/index.html"), ("政务公开", "/zwgk/"),
          ("政务服务", "/zwfw/"), ("互动交流", "/hdjl/")]
HD_FOOTER = ("主办：北京市海淀区人民政府办公室  京ICP备05060933号  京公网安备 11010802017598号<br />"
             "网站标识码：BJ1101080001  地址：北京市海淀区长春桥路17号  邮编：100089")
TRS_PAGING_JS = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("首页 上一页 ");
  else document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a> ");
  for(var i=0; i<_nPageCount; i++){
    if(i == nCurrIndex) document.write(" " + (i+1) + " ");
    else if(i == 0) document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">1</a> ");
    else document.write("<a href=\\"" + _sPageName + "_" + i + "." + _sPageExt + "\\">" + (i+1) + "</a> ");
  }
  if(nCurrIndex < _nPageCount-1) document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex+1) + "." + _sPageExt + "\\">下一页</a>");
}
</script>"""


def _hd_head(title: str, charset: str, extra: str = "") -> str:
    if charset == "utf-8":
        meta = '<meta charset="utf-8" />'
    else:
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'
    return (f"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
            f"\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
            f"<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n{meta}\n"
            f"<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\" />\n{extra}"
            f"<title>{_esc(title)}</title>\n<link rel=\"stylesheet\" href=\"/images/style.css\" />\n</head>\n")


def _hd_header() -> str:
    nav = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in HD_NAV)
    return ('<div class="top"><div class="w1200"><span>北京市海淀区人民政府</span>'
            '<a href="/search/index.html">站内搜索</a> <a href="javascript:void(0)">无障碍浏览</a></div></div>\n'
            '<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="北京市海淀区人民政府" /></a></div>\n'
            f'<ul class="nav">{nav}</ul></div>\n')


def _hd_footer() -> str:
    return (f'<div class="footer"><p>{HD_FOOTER}</p>\n'
            '<p><a href="/zwgk/wzdt/">网站地图</a> | <a href="/hdjl/lxwm/">联系我们</a> | '
            '<a href="/zwgk/yszc/">隐私政策</a></p></div>\n</body>\n</html>\n')


def haidian_article_page(a: Article, prev: Article | None, nxt: Article | None, related: list[Article]) -> str:
    charset = "utf-8" if a.encoding == "utf-8" else "gb2312"
    desc = a.paragraphs[0][:60]
    metas = [
        ("SiteName", "北京市海淀区人民政府"), ("SiteDomain", HAIDIAN_HOST), ("SiteIDCode", "BJ1101080001"),
        ("ColumnName", a.column), ("ColumnType", "新闻"), ("ArticleTitle", a.title),
        ("PubDate", f"{a.dt:%Y-%m-%d %H:%M}"), ("ContentSource", a.source), ("Keywords", a.keywords),
        ("Description", desc), ("Url", a.url),
    ]
    if a.author_in_info:
        metas.append(("Author", a.author_in_info))
    extra = "".join(f'<meta name="{k}" content="{_attr(v)}" />\n' for k, v in metas)
    out = [_hd_head(f"{a.title}_{a.column}_北京市海淀区人民政府", charset, extra), "<body>\n", _hd_header()]
    out.append('<div class="w1200 main">\n<div class="crumb">当前位置：<a href="/">首页</a> &gt; '
               f'<a href="/xwzx/">新闻中心</a> &gt; <a href="../index.html">{a.column}</a></div>\n')
    out.append(f'<div class="article">\n<h1>{_esc(a.title)}</h1>\n')
    info = f"发布时间：{a.dt:%Y-%m-%d %H:%M}\u3000来源：{_esc(a.source)}"
    if a.author_in_info:
        info += f"\u3000作者：{a.author_in_info}"
    info += ('\u3000【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
             '<a href="javascript:doZoom(14)">小</a>】')
    out.append(f'<div class="info">{info}</div>\n')
    out.append(f'<div class="content">\n<div class="TRS_Editor">{a.body_html}</div>\n')
    if a.editor:
        out.append(f'<div class="editor">责任编辑：{a.editor}</div>\n')
    out.append("</div>\n")
    out.append('<div class="share">分享到：<a href="javascript:void(0)" class="wx">微信</a> '
               '<a href="javascript:void(0)" class="wb">微博</a> <a href="javascript:void(0)" class="qq">QQ空间</a></div>\n')
    out.append('<div class="qrcode"><img src="/images/qrcode.png" alt="" /><p>扫一扫在手机打开当前页</p></div>\n')
    out.append('<div class="tools"><a href="javascript:window.print()">打印本页</a> '
               '<a href="javascript:window.close()">关闭窗口</a></div>\n')

    def link(x: Article | None) -> str:
        if x is None:
            return "没有了"
        return f'<a href="../{x.path.split("/")[-2]}/{x.path.split("/")[-1]}">{_esc(x.title)}</a>'

    out.append(f'<div class="prevnext"><p>上一篇：{link(prev)}</p><p>下一篇：{link(nxt)}</p></div>\n')
    rel = "".join(f'<li>{link(x)}</li>' for x in related)
    out.append(f'<div class="xglj"><h3>相关链接</h3><ul>{rel}</ul></div>\n</div>\n</div>\n')
    out.append(_hd_footer())
    return "".join(out)


def haidian_list_page(name: str, key: str, items: list[Article], page: int, pages: int,
                      pinned: list[Article], charset: str) -> str:
    out = [_hd_head(f"{name}_北京市海淀区人民政府", charset), "<body>\n", _hd_header()]
    out.append('<div class="w1200 main">\n<div class="crumb">当前位置：<a href="/">首页</a> &gt; '
               f'<a href="/xwzx/">新闻中心</a> &gt; <a href="./index.html">{name}</a></div>\n')
    on = ' class="on"'
    side = "".join(f'<li{on if k == key else ""}><a href="/xwzx/{k}/index.html">{n}</a></li>'
                   for k, n, _, _ in HD_COLUMNS)
    out.append(f'<div class="left"><h2>新闻中心</h2><ul>{side}</ul></div>\n<div class="right">\n<h2>{name}</h2>\n<ul class="list">\n')
    for a in pinned:
        rel = "./" + "/".join(a.path.split("/")[-2:])
        out.append(f'<li class="top"><span class="zd">[置顶]</span><a href="{rel}" target="_blank" title="{_attr(a.title)}">'
                   f'{_esc(_short(a.title))}</a><span>{a.dt:%Y-%m-%d}</span></li>\n')
    for a in items:
        rel = "./" + "/".join(a.path.split("/")[-2:])
        out.append(f'<li><a href="{rel}" target="_blank" title="{_attr(a.title)}">{_esc(_short(a.title))}</a>'
                   f'<span>{a.dt:%Y-%m-%d}</span></li>\n')
    out.append("</ul>\n")
    out.append(TRS_PAGING_JS + "\n")
    out.append(f'<div class="page"><script type="text/javascript">createPageHTML({pages}, {page}, "index", "html");</script></div>\n')
    out.append("</div>\n</div>\n")
    out.append(_hd_footer())
    return "".join(out)


def build_haidian(out: Path, seed_title: str, seed_html: str) -> dict:
    arts = haidian_articles(seed_title, seed_html)
    host_dir = out / HAIDIAN_HOST
    files: dict[str, bytes] = {}
    list_pages: list[str] = []
    for key, name, _, _ in HD_COLUMNS:
        col = sorted((a for a in arts if a.col_key == key), key=lambda a: a.dt, reverse=True)
        pages = -(-len(col) // TRS_PER_PAGE)
        pinned = []
        if key == "qzyw":
            # two older articles (on later pages) pinned at the top of page 1
            pinned = [col[TRS_PER_PAGE + 4], col[2 * TRS_PER_PAGE + 1]]
            for a in pinned:
                a.pinned = True
        charset = "utf-8" if key != "tzgg" else "gb2312"
        enc = "utf-8" if key != "tzgg" else "gbk"
        for p in range(pages):
            fname = "index.html" if p == 0 else f"index_{p}.html"
            page_items = col[p * TRS_PER_PAGE:(p + 1) * TRS_PER_PAGE]
            text = haidian_list_page(name, key, page_items, p, pages, pinned if p == 0 else [], charset)
            files[f"xwzx/{key}/{fname}"] = text.encode(enc)
            list_pages.append(f"http://{HAIDIAN_HOST}/xwzx/{key}/{fname}")
        for i, a in enumerate(col):
            newer = col[i - 1] if i > 0 else None
            older = col[i + 1] if i + 1 < len(col) else None
            related = [col[(i + j) % len(col)] for j in (3, 5, 8)]
            files[a.path] = haidian_article_page(a, older, newer, related).encode(enc)
            for att in a.attachments:
                files[a.path.rsplit("/", 1)[0] + "/" + att["file"]] = _attachment_bytes(att["file"], att["name"])
            for img in a.images:
                files[a.path.rsplit("/", 1)[0] + "/" + img.rsplit("/", 1)[1]] = _image_bytes()
    files["index.html"] = _haidian_home(arts).encode("utf-8")
    files["xwzx/index.html"] = _haidian_home(arts, hub=True).encode("utf-8")
    files["search/index.html"] = (_hd_head("站内搜索_北京市海淀区人民政府", "utf-8") + "<body>\n" + _hd_header()
                                  + '<div class="w1200 main"><form action="/search/index.html">'
                                  '<input name="q" /> <button>搜索</button></form></div>\n' + _hd_footer()).encode("utf-8")
    files["robots.txt"] = b"User-agent: *\nDisallow: /search/\nDisallow: /protect/\n"
    files["_headers.json"] = (json.dumps({"/xwzx/tzgg/*.html": "text/html"}, indent=2) + "\n").encode("utf-8")
    _write_files(host_dir, files)
    return _expected("demo-haidian", HAIDIAN_HOST, arts, list_pages, [c[1] for c in HD_COLUMNS])


def _haidian_home(arts: list[Article], hub: bool = False) -> str:
    out = [_hd_head("新闻中心_北京市海淀区人民政府" if hub else "北京市海淀区人民政府", "utf-8"), "<body>\n", _hd_header(),
           '<div class="w1200 main">\n']
    for key, name, _, _ in HD_COLUMNS:
        col = sorted((a for a in arts if a.col_key == key), key=lambda a: a.dt, reverse=True)[:6]
        lis = "".join(f'<li><a href="/{a.path}" title="{_attr(a.title)}">{_esc(_short(a.title, 20))}</a>'
                      f'<span>{a.dt:%m-%d}</span></li>' for a in col)
        out.append(f'<div class="box"><h2><a href="/xwzx/{key}/index.html">{name}</a>'
                   f'<a class="more" href="/xwzx/{key}/index.html">更多&gt;&gt;</a></h2><ul>{lis}</ul></div>\n')
    out.append("</div>\n")
    out.append(_hd_footer())
    return "".join(out)


def _attachment_bytes(file: str, name: str) -> bytes:
    if file.endswith(".pdf"):
        return (b"%PDF-1.4\n% govnews demo attachment\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
                b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for arc, data in (
            ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
            ("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><document><body><p>{_esc(name)}</p></body></document>'),
        ):
            info = zipfile.ZipInfo(arc, date_time=(2020, 7, 8, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode("utf-8"))
    return buf.getvalue()


def _image_bytes() -> bytes:
    # A 1x1 grey GIF89a body behind a .jpg name is not realistic; use a JPEG-framed placeholder
    # (SOI, a JFIF APP0 segment, a COM segment, EOI). Browsers may not render it; crawlers do not care.
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = b"govnews demo image placeholder"
    com = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return b"\xff\xd8" + app0 + com + b"\xff\xd9"


