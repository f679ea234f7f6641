"""Deterministic generator of the evaluation corpus (``tests/eval/corpus/`` + ``tests/eval/truth.json``).

``python -m tests.eval.make_corpus`` rewrites both byte for byte (fixed seed, no
clock reads); ``python -m tests.eval.make_corpus --check`` exits 1 when the
files on disk differ from what the script writes.

Each page is built from a *spec* (what the article is) rendered through one of
the page templates district and city portals use:

``trs``       TRS WCM: GB/T 42147 meta tags, ``div.TRS_Editor``, ``./YYYYMM/tYYYYMMDD_N.html``
``hanweb``    Hanweb (大汉): table layout, ``div#zoom``, ``/art/Y/M/D/art_C_N.html``
``jiyue``     政府网站集约化平台 template: ``div.article`` / ``h1`` / ``div#UCAP-CONTENT``
``oldtable``  pre-2012 table layouts: ``<font>`` headings, nested tables, ``<br>`` paragraphs,
              no known container (trafilatura fallback) or one named in the site file
``mobile``    a responsive ``article-content`` template with share bar and QR code

and through page kinds: plain news, reposts (来源：北京日报 …), image news with
captions, one-sentence notices, attachment-only pages, pages with data tables,
meta tags disagreeing with the visible text, dates only in the URL, relative
dates, no date at all, GBK-encoded pages.

The truth of each page is written from the spec, never from an extractor's
output: it is what a careful reader sees on the page, under these rules
(also stored in ``truth.json["rules"]``):

- title: the article's headline. When meta ``ArticleTitle`` disagrees with the
  visible heading, meta wins (DESIGN.md: government meta tags first). 引题 and
  副标题 are not part of the title; ``subtitle`` holds the 副标题, else the 引题.
- published_at: ``YYYY-MM-DD`` when the page gives a day, full ISO with
  ``+08:00`` when it gives the minute. A visible ``发布时间`` wins over a meta
  ``PubDate`` that disagrees (CMSs re-stamp PubDate on migration; issue 13). A relative date
  (``3天前``) is resolved against ``fetched_at``. Only-in-the-URL dates count.
  No date anywhere: null.
- source: the visible ``来源：`` value > meta ``ContentSource``; null if none.
- authors: people credited (记者, 作者, 文/, 通讯员, a trailing ``（某某）``) in the info
  line or in credits at the start or end of the body; organisations are not
  authors. photographers: 摄影/图/``某某 摄`` credits, apart from the authors.
- editor: 责任编辑 (or 责编); plain ``编辑：`` only when there is no 责任编辑.
- body_text: the article's paragraphs as published, one per line; parenthesised
  credits and 文/图 lines are part of the text; image captions are text (but a
  ``图为…`` caption never starts the body); tables
  are rows of tab-separated cells; headline, info line, editor line, share and
  print bars, prev/next, related links, footers and ``附件：`` link lists are not.
- attachments: every document link of the article (absolute url + link text).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
TRUTH = HERE / "truth.json"
SEED = 20240517

RULES = {
    "title": "meta ArticleTitle > visible headline; 引题/副标题 never glued to the title",
    "published_at": "visible 发布时间/date line > meta PubDate > URL; relative dates against fetched_at; "
                    "YYYY-MM-DD = day labelled, full ISO +08:00 = minute labelled; null when the page has no date",
    "source": "visible 来源 > meta ContentSource",
    "authors": "people credited in the info line or in credits at the body's start or end; photographers apart",
    "editor": "责任编辑/责编, else 编辑",
    "body_text": "paragraphs as published, tables as tab-separated rows, no boilerplate, no 附件 link lists",
}

# --------------------------------------------------------------------------- pools

SITES = [
    # site name, district, city, province, host, admin code
    ("北京市海淀区人民政府", "海淀区", "北京市", "北京市", "www.bjhd.gov.cn", "110108"),
    ("北京市延庆区人民政府", "延庆区", "北京市", "北京市", "www.bjyq.gov.cn", "110119"),
    ("上海市浦东新区人民政府", "浦东新区", "上海市", "上海市", "www.pudong.gov.cn", "310115"),
    ("杭州市西湖区人民政府", "西湖区", "杭州市", "浙江省", "www.hzxh.gov.cn", "330106"),
    ("成都市武侯区人民政府", "武侯区", "成都市", "四川省", "www.cdwh.gov.cn", "510107"),
    ("广州市天河区人民政府", "天河区", "广州市", "广东省", "www.thnet.gov.cn", "440106"),
    ("南京市鼓楼区人民政府", "鼓楼区", "南京市", "江苏省", "www.njgl.gov.cn", "320106"),
    ("武汉市江汉区人民政府", "江汉区", "武汉市", "湖北省", "www.jianghan.gov.cn", "420103"),
    ("西安市雁塔区人民政府", "雁塔区", "西安市", "陕西省", "www.yanta.gov.cn", "610113"),
    ("长沙市岳麓区人民政府", "岳麓区", "长沙市", "湖南省", "www.yuelu.gov.cn", "430104"),
    ("合肥市蜀山区人民政府", "蜀山区", "合肥市", "安徽省", "www.shushan.gov.cn", "340104"),
    ("济南市历下区人民政府", "历下区", "济南市", "山东省", "www.lixia.gov.cn", "370102"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉志宏晓东晨雪琳婷颖浩宇欣怡子轩思远梓涵雨桐嘉豪俊杰文博天佑一鸣书瑶诗琪"

NEWSPAPERS = ["北京日报", "人民日报", "浙江日报", "成都日报", "南方日报", "新华日报", "长江日报",
              "西安日报", "长沙晚报", "合肥日报", "济南日报", "解放日报", "新华社", "光明日报"]
LOCAL_SOURCES = ["区融媒体中心", "区政府办公室", "区委宣传部", "区发展改革委", "区生态环境局", "区教委",
                 "区卫生健康委", "区应急管理局", "区市场监管局", "区住房城乡建设委", "区农业农村局", "区人力社保局"]
COLUMNS = ["区政要闻", "部门动态", "街镇动态", "通知公告", "图片新闻", "媒体关注", "政务要闻", "工作动态"]

TOPICS = {
    "防汛": {
        "titles": ["{d}召开{y}年防汛工作部署会", "{d}开展汛期安全隐患排查整治", "{d}组织防汛应急演练"],
        "sentences": [
            "会议通报了今年以来全区防汛准备工作情况，分析了当前面临的形势和任务。",
            "会议强调，要牢固树立底线思维和极限思维，坚决克服麻痹思想和侥幸心理。",
            "各街镇要对辖区内的低洼院落、地下空间、在建工地逐一开展拉网式排查，建立问题台账，做到整改到位。",
            "区应急管理局现场检查了抢险物资储备库，详细了解了排水泵车、沙袋、救生衣等物资的储备情况。",
            "演练模拟了强降雨导致下凹式立交桥积水、车辆被困的险情，各救援力量接到指令后迅速到达现场。",
            "下一步，全区将严格落实二十四小时值班和领导带班制度，确保信息报送及时准确。",
            "截至目前，全区共排查各类风险点位一百二十六处，已完成整改一百一十八处，其余点位正在抓紧整改。",
        ],
    },
    "营商环境": {
        "titles": ["{d}出台优化营商环境二十条措施", "{d}召开民营企业座谈会", "{d}政务服务中心推出“一件事一次办”"],
        "sentences": [
            "座谈会上，来自科技、制造、商贸等领域的十二家企业负责人先后发言，就融资、用工、用地等问题提出意见建议。",
            "区相关部门负责同志现场回应企业诉求，对能够当场解决的问题明确了办理时限。",
            "措施围绕市场准入、要素保障、政务服务、法治保障等方面，提出了二十条具体举措。",
            "区政务服务中心将企业开办、变更、注销等高频事项进行集成，申请材料平均压减百分之四十。",
            "今年以来，全区新设市场主体一万三千余户，同比增长百分之十一点六。",
            "区领导表示，将持续打造市场化、法治化、国际化一流营商环境，做到有求必应、无事不扰。",
            "企业可通过区政府门户网站“政企直通车”栏目反映问题，相关部门将在三个工作日内予以答复。",
        ],
    },
    "乡村振兴": {
        "titles": ["{d}推进美丽乡村建设工作现场会召开", "{d}特色农产品展销会开幕", "{d}实施农村人居环境整治提升行动"],
        "sentences": [
            "与会人员先后实地观摩了三个村的农村人居环境整治和产业发展情况。",
            "今年全区计划完成二十个村的污水治理工程，目前已开工十四个，完工九个。",
            "展销会共设置展位八十余个，集中展示了本区及对口帮扶地区的特色农产品。",
            "活动现场人头攒动，不少市民拎着大包小包满载而归。",
            "区农业农村局相关负责人介绍，今年将重点扶持十家农民专业合作社，带动周边农户增收。",
            "各村要结合实际制定村庄清洁行动方案，建立长效管护机制，防止垃圾反弹。",
            "通过土地流转和订单农业，该村村集体经济收入去年突破一百万元。",
        ],
    },
    "教育": {
        "titles": ["{d}新建三所中小学秋季开学", "{d}召开教育工作大会", "{d}推进集团化办学提质扩容"],
        "sentences": [
            "新学期全区新增中小学学位四千二百个，有效缓解了部分片区入学压力。",
            "会议表彰了一批优秀教师和先进集体，部署了新学年教育重点工作。",
            "区教委负责人介绍，全区已组建十二个教育集团，覆盖中小学五十六所。",
            "开学第一天，区领导深入学校检查校园安全、食堂卫生和课后服务准备情况。",
            "学校配备了标准化实验室、图书馆和室内体育馆，可满足学生多样化学习需求。",
            "下一步，全区将加大优质教育资源供给，持续推进义务教育优质均衡发展。",
        ],
    },
    "医疗": {
        "titles": ["{d}开展基层卫生健康服务提升行动", "{d}第二批家庭医生签约服务启动", "{d}举办全民健康生活方式宣传周活动"],
        "sentences": [
            "活动现场，医务人员为居民免费测量血压、血糖，并提供健康咨询服务。",
            "截至目前，全区家庭医生签约服务覆盖居民三十二万人，重点人群签约率达百分之八十五。",
            "各社区卫生服务中心将延长门诊服务时间，方便上班族就医。",
            "区卫生健康委相关负责人表示，将进一步推动优质医疗资源下沉基层。",
            "宣传周期间，全区共开展健康讲座四十余场，发放宣传资料一万余份。",
            "居民可通过社区卫生服务中心的微信公众号预约挂号和查询检验结果。",
        ],
    },
    "生态": {
        "titles": ["{d}召开生态环境保护委员会全体会议", "{d}启动秋冬季大气污染综合治理攻坚行动", "{d}河长制工作会议召开"],
        "sentences": [
            "会议听取了今年以来全区大气、水、土壤污染防治工作情况汇报。",
            "今年一至九月，全区细颗粒物平均浓度为每立方米三十一微克，同比下降百分之八点八。",
            "各级河长要定期巡河，及时发现和解决河道管理保护中存在的问题。",
            "攻坚行动期间，将重点加强施工扬尘、道路遗撒和餐饮油烟的执法检查。",
            "全区将持续推进重点河道综合治理，确保断面水质稳定达标。",
            "会议要求，要坚持精准治污、科学治污、依法治污，推动生态环境质量持续改善。",
        ],
    },
    "安全生产": {
        "titles": ["{d}部署安全生产大检查", "{d}开展消防安全专项整治", "{d}召开安全生产委员会全体会议"],
        "sentences": [
            "检查组一行先后来到商场、建筑工地和老旧小区，详细检查消防通道、灭火器材和电气线路。",
            "对检查中发现的问题，检查组当场指出并要求相关单位限期整改。",
            "会议强调，要压紧压实企业主体责任、部门监管责任和属地管理责任。",
            "专项整治期间，全区共检查单位二千三百余家，发现并督促整改隐患四千一百余处。",
            "各街镇要加强对电动自行车违规停放充电等突出问题的治理。",
            "区应急管理局将组织开展安全生产月系列宣传活动，提升群众安全意识。",
        ],
    },
    "民生": {
        "titles": ["{d}老旧小区综合整治项目全面开工", "{d}新增十处社区养老服务驿站", "{d}举办春风行动专场招聘会"],
        "sentences": [
            "今年全区计划完成三十六个老旧小区综合整治，涉及居民一万二千余户。",
            "整治内容包括楼体节能改造、加装电梯、管线更新和小区环境提升等。",
            "养老服务驿站为周边老年人提供助餐、助浴、助洁和精神慰藉等服务。",
            "招聘会共吸引一百二十家用人单位参会，提供就业岗位三千余个。",
            "现场设置了政策咨询台，工作人员为求职者讲解就业创业扶持政策。",
            "区民政局相关负责人表示，将按照“一刻钟养老服务圈”的目标持续完善设施布局。",
            "居民纷纷表示，改造后小区环境明显改善，出行更方便了。",
        ],
    },
}

GENERAL = [
    "区委常委、副区长出席会议并讲话。",
    "区政府有关部门、各街道办事处和乡镇政府主要负责同志参加会议。",
    "会议指出，要提高政治站位，切实增强做好这项工作的责任感和紧迫感。",
    "各部门要加强协调配合，形成工作合力，确保各项任务落地见效。",
    "会上，相关部门负责同志就下一步重点工作作了发言。",
]

NOTICE_TEXTS = [
    "定于{m}月{day}日上午九时在区政府第一会议室召开全区安全生产工作会议，请各单位主要负责同志准时参加。",
    "因供水管线改造施工，{m}月{day}日八时至二十时{d}部分地区将暂停供水，请居民提前做好储水准备。",
    "{d}{y}年公开招聘社区工作者笔试成绩已经公布，考生可登录区人力资源和社会保障局网站查询。",
    "根据工作安排，区政务服务中心将于{m}月{day}日暂停对外办公一天，由此带来的不便敬请谅解。",
    "现将{d}{y}年第二批老旧小区综合整治项目名单予以公示，公示期为五个工作日。",
    "{d}将于{m}月{day}日组织开展防空警报试鸣，届时请广大市民保持正常生产生活秩序。",
]


@dataclass
class Spec:
    """What one article is; the truth is written from this."""

    pid: str
    kind: str
    template: str
    site: tuple
    url: str
    title: str
    paragraphs: list[str]
    published: datetime | None
    minute: bool
    source: str | None
    authors: list[str]
    editor: str | None
    column: str
    subtitle: str | None = None
    yinti: str | None = None
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (absolute url, name)
    images: list[tuple[str, str]] = field(default_factory=list)  # (absolute url, caption)
    photographers: list[str] = field(default_factory=list)  # 摄影/图/…摄 credits (not authors)
    encoding: str = "utf-8"
    # how the page shows things
    meta: dict[str, str] = field(default_factory=dict)
    visible_title: str | None = None
    visible_date: str | None = None  # the info-line date text (may differ from the truth)
    visible_source: str | None = None
    info_authors: str | None = None  # e.g. "作者：张三" / "记者：张三 通讯员：李四"
    editor_line: str | None = None
    body_selectors: tuple[str, ...] = ()
    list_column: str = ""
    breadcrumb: bool = True
    fetched_at: datetime = datetime(2024, 5, 20, 10, 0)
    tables: list[tuple[int, list[list[str]]]] = field(default_factory=list)  # (insert after paragraph i, rows)
    date_line_alone: bool = False  # the date sits on its own line under the title
    br_paragraphs: bool = False  # old pages: paragraphs split by <br><br>
    share_in_body: bool = False


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def name(self) -> str:
        given = self.r.choice(GIVEN) + (self.r.choice(GIVEN) if self.r.random() < 0.6 else "")
        return self.r.choice(SURNAMES) + given

    def names(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            x = self.name()
            if x not in out:
                out.append(x)
        return out

    def date(self) -> datetime:
        base = datetime(2019, 1, 1)
        d = base + timedelta(days=self.r.randrange(0, 5 * 365 - 60))
        return d.replace(hour=self.r.choice([8, 9, 10, 11, 14, 15, 16, 17]), minute=self.r.randrange(0, 60))

    def article(self, short: str, when: datetime, n: int | None = None) -> tuple[str, list[str]]:
        topic = TOPICS[self.r.choice(sorted(TOPICS))]
        title = self.r.choice(topic["titles"]).format(d=short, y=when.year)
        n = n or self.r.randint(3, 6)
        pool = topic["sentences"][:]
        self.r.shuffle(pool)
        general = GENERAL[:]
        self.r.shuffle(general)
        paragraphs = [f"{when.month}月{when.day}日，{title}。" + pool.pop()]
        for _ in range(n - 1):
            k = self.r.randint(1, 2)
            sentences = [pool.pop() if pool else general.pop() for _ in range(k) if pool or general]
            if self.r.random() < 0.3 and general:
                sentences.append(general.pop())
            if sentences:
                paragraphs.append("".join(sentences))
        return title, paragraphs


# --------------------------------------------------------------------------- rendering helpers

def _short(site: tuple) -> str:
    return site[1]


def _fmt_date(when: datetime, form: str) -> str:
    return {
        "dash_min": when.strftime("%Y-%m-%d %H:%M"),
        "dash_sec": when.strftime("%Y-%m-%d %H:%M:%S"),
        "dash": when.strftime("%Y-%m-%d"),
        "slash": when.strftime("%Y/%m/%d"),
        "dot": when.strftime("%Y.%m.%d"),
        "cn_pad": when.strftime("%Y年%m月%d日"),
        "cn": f"{when.year}年{when.month}月{when.day}日",
        "cn_min": when.strftime("%Y年%m月%d日 %H:%M"),
        "bracket": when.strftime("[%Y-%m-%d]"),
    }[form]


def _paragraphs_html(spec: Spec, indent: str = "\u3000\u3000") -> str:
    parts: list[str] = []
    tables = dict(spec.tables)
    images = list(spec.images)
    for i, p in enumerate(spec.paragraphs):
        if spec.br_paragraphs:
            parts.append(f"{indent}{escape(p)}<br><br>\n")
        elif spec.kind == "image" and images and i % 2 == 0:
            src, caption = images.pop(0)
            parts.append(f'<p style="text-align:center"><img src="{src}" border="0" alt=""></p>\n'
                         f'<p style="text-align:center">{escape(caption)}</p>\n')
            parts.append(f"<p>{indent}{escape(p)}</p>\n")
        else:
            parts.append(f'<p style="text-indent:2em">{escape(p)}</p>\n' if i % 3 == 2
                         else f"<p>{indent}{escape(p)}</p>\n")
        if i in tables:
            parts.append(_table_html(tables[i]))
    for src, caption in images:
        parts.append(f'<p style="text-align:center"><img src="{src}"></p><p style="text-align:center">{escape(caption)}</p>\n')
    return "".join(parts)


def _table_html(rows: list[list[str]]) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0" width="600"><tbody>\n']
    for i, row in enumerate(rows):
        tag = "th" if i == 0 else "td"
        out.append("<tr>" + "".join(f'<{tag}><p align="center"><span>{escape(c)}</span></p></{tag}>' for c in row)
                   + "</tr>\n")
    out.append("</tbody></table>\n")
    return "".join(out)


def _attachments_html(spec: Spec, base: str) -> str:
    if not spec.attachments:
        return ""
    items = "".join(f'<li><a href="{escape(rel)}" target="_blank">{escape(name)}</a></li>'
                    for rel, name in spec.attachments)
    return f'<div class="fj"><span>附件：</span><ul>{items}</ul></div>\n'


def _meta_html(spec: Spec) -> str:
    return "".join(f'<meta name="{k}" content="{escape(v)}">\n' for k, v in spec.meta.items())


def _info_line(spec: Spec, sep: str = "\u3000") -> str:
    parts = []
    if spec.visible_date and not (spec.date_line_alone and spec.template in ("trs", "hanweb")):
        parts.append(spec.visible_date)
    if spec.visible_source:
        parts.append(f"来源：{spec.visible_source}")
    if spec.info_authors:
        parts.append(spec.info_authors)
    return sep.join(parts)


def _boiler_after(spec: Spec, prev_title: str, next_title: str) -> str:
    return (f'<div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>\n'
            f'<div class="ewm"><img src="/images/qrcode.png">扫一扫在手机打开当前页</div>\n'
            f'<div class="pre_next"><p>上一篇：<a href="./t1.html">{escape(prev_title)}</a></p>'
            f'<p>下一篇：<a href="./t2.html">{escape(next_title)}</a></p></div>\n'
            '<div class="xglj"><h4>相关链接</h4><ul><li><a href="http://www.gov.cn/">中国政府网</a></li></ul></div>\n')


def _footer(spec: Spec) -> str:
    site = spec.site
    return ('<div class="footer"><p>主办：' + site[0] + '办公室　承办：' + site[1] + '政务服务和数据管理局</p>'
            f'<p>网站标识码：{site[5]}0001　京ICP备05060933号　京公网安备 11010802017806号</p>'
            '<p><a href="/lxwm/">联系我们</a> | <a href="/wzdt/">网站地图</a></p></div>\n')


def _editor_html(spec: Spec) -> str:
    return f'<div class="zrbj">{escape(spec.editor_line)}</div>\n' if spec.editor_line else ""


def _title_block(spec: Spec) -> str:
    out = ""
    if spec.yinti:
        out += f'<h3 class="yinti">{escape(spec.yinti)}</h3>\n'
    out += f"<h1>{escape(spec.visible_title or spec.title)}</h1>\n"
    if spec.subtitle and spec.subtitle != spec.yinti:
        out += f'<h2 class="subtitle">{escape(spec.subtitle)}</h2>\n'
    return out


def render_trs(spec: Spec) -> str:
    site = spec.site
    crumb = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="../../">新闻中心</a> &gt; '
             f'<a href="../">{escape(spec.column)}</a></div>\n') if spec.breadcrumb else ""
    info = _info_line(spec)
    date_alone = f'<div class="time">{escape(spec.visible_date)}</div>\n' if spec.date_line_alone else ""
    info_html = (f'<div class="info"><span>{escape(info)}</span>　<span class="font">【字体：'
                 '<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> '
                 '<a href="javascript:doZoom(12)">小</a>】</span>'
                 '<a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>\n')
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={_charset(spec)}">\n'
            f"<title>{escape(_head_title(spec))}_{escape(spec.column)}_{escape(site[0])}</title>\n"
            f"{_meta_html(spec)}"
            '<link rel="stylesheet" href="/images/style.css">\n<script src="/js/jquery.min.js"></script>\n</head>\n<body>\n'
            f'<div class="header"><div class="logo"><img src="/images/logo.png" alt="{escape(site[0])}"></div>'
            '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>\n'
            f"{crumb}"
            f'<div class="article">\n{_title_block(spec)}{date_alone}{info_html}'
            f'<div class="view TRS_UEDITOR trs_paper_default trs_web">\n<div class="TRS_Editor">\n'
            f"{_paragraphs_html(spec)}</div>\n</div>\n"
            f"{_attachments_html(spec, spec.url)}{_editor_html(spec)}"
            f"{_boiler_after(spec, '全区召开经济运行调度会', '区领导调研重点项目建设')}</div>\n"
            f"{_footer(spec)}</body>\n</html>\n")


def render_hanweb(spec: Spec) -> str:
    site = spec.site
    info = _info_line(spec)
    crumb = (f'<td class="wz">您现在的位置：<a href="/">首页</a> &gt; <a href="/col/col1/">新闻中心</a> &gt; '
             f'<a href="/col/col2/">{escape(spec.column)}</a></td>') if spec.breadcrumb else "<td></td>"
    yin = f'<tr><td class="yt" align="center">{escape(spec.yinti)}</td></tr>\n' if spec.yinti else ""
    sub = (f'<tr><td class="fbt" align="center">{escape(spec.subtitle)}</td></tr>\n'
           if spec.subtitle and spec.subtitle != spec.yinti else "")
    date_alone = (f'<tr><td align="center">{escape(spec.visible_date)}</td></tr>\n' if spec.date_line_alone else "")
    info_row = (f'<tr><td class="xx" align="center">{escape(info)}　浏览次数：<script language="javascript" '
                'src="/module/visitcount/articlehits.jsp?colid=2&artid=5"></script></td></tr>\n') if info else ""
    body = _paragraphs_html(spec)
    return (f'<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={_charset(spec)}">\n'
            f"<title>{escape(_head_title(spec))} - {escape(site[0])}</title>\n{_meta_html(spec)}"
            '<script language="javascript" src="/script/0/1.js"></script>\n</head>\n'
            '<body leftmargin="0" topmargin="0">\n'
            '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td>'
            f'<img src="/picture/0/banner.jpg" alt="{escape(site[0])}"></td></tr></table>\n'
            '<table width="1000" align="center" class="nav"><tr><td><a href="/">网站首页</a></td>'
            '<td><a href="/col/col1/">新闻中心</a></td><td><a href="/col/col3/">政务公开</a></td></tr></table>\n'
            f'<table width="1000" align="center"><tr>{crumb}</tr></table>\n'
            '<table width="1000" align="center" cellpadding="0" cellspacing="0" class="bt_content"><tr><td>\n'
            '<table width="100%" border="0" cellspacing="0" cellpadding="0">\n'
            f'{yin}<tr><td class="title" align="center">{escape(spec.visible_title or spec.title)}</td></tr>\n{sub}'
            f"{date_alone}{info_row}"
            '<tr><td class="bt_content" style="font-size:16px;line-height:2">\n'
            f'<div id="zoom">{body}</div>\n'
            f"{_attachments_html(spec, spec.url)}</td></tr>\n"
            f'<tr><td>{_editor_html(spec)}</td></tr>\n'
            '<tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>\n'
            "</table>\n</td></tr></table>\n"
            f'<table width="1000" align="center"><tr><td class="foot">{_footer(spec)}</td></tr></table>\n'
            "</body>\n</html>\n")


def render_jiyue(spec: Spec) -> str:
    site = spec.site
    info = []
    if spec.visible_date:
        info.append(f"<span>{escape(spec.visible_date)}</span>")
    if spec.visible_source:
        info.append(f"<span>来源：{escape(spec.visible_source)}</span>")
    if spec.info_authors:
        info.append(f"<span>{escape(spec.info_authors)}</span>")
    crumb = (f'<div class="breadcrumb"><a href="/">首页</a><span>&gt;</span><a href="/xwzx/">新闻中心</a>'
             f'<span>&gt;</span><a href="/xwzx/{spec.pid}/">{escape(spec.column)}</a></div>\n') if spec.breadcrumb else ""
    share = ('<div class="share">分享到：<a class="weixin"></a><a class="weibo"></a><a class="qzone"></a></div>\n'
             if spec.share_in_body else "")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="{_charset(spec)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(_head_title(spec))}-{escape(site[0])}</title>\n{_meta_html(spec)}"
            '<link rel="stylesheet" href="/common/css/base.css">\n</head>\n<body>\n'
            f'<header class="top"><div class="w1200"><a class="logo" href="/">{escape(site[0])}</a>'
            '<div class="search"><form action="/search"><input name="q"><button>搜索</button></form></div></div></header>\n'
            '<nav class="mainnav"><ul><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li>'
            '<li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul></nav>\n'
            f'<div class="w1200">{crumb}<div class="article">\n'
            + (f'<p class="article-yinti">{escape(spec.yinti)}</p>\n' if spec.yinti else "")
            + f'<h1 class="article-title">{escape(spec.visible_title or spec.title)}</h1>\n'
            + (f'<p class="article-subtitle">{escape(spec.subtitle)}</p>\n'
               if spec.subtitle and spec.subtitle != spec.yinti else "")
            + f'<div class="article-info">{"".join(info)}<span class="font">字号：<a>大</a><a>中</a><a>小</a></span></div>\n'
            f'<div id="UCAP-CONTENT" class="article-content">\n{_paragraphs_html(spec)}{share}</div>\n'
            f"{_attachments_html(spec, spec.url)}{_editor_html(spec)}"
            '<div class="article-tools"><a href="javascript:window.print()">【打印】</a>'
            '<a href="javascript:window.close()">【关闭】</a></div>\n'
            f"{_boiler_after(spec, '区政府召开常务会议', '区领导开展节前安全检查')}</div></div>\n"
            f"<footer>{_footer(spec)}</footer>\n</body>\n</html>\n")


def render_oldtable(spec: Spec) -> str:
    site = spec.site
    info = _info_line(spec, sep="　　")
    cell_class = spec.body_selectors[0].lstrip(".") if spec.body_selectors else "nr14"
    body = _paragraphs_html(spec) if not spec.br_paragraphs else _paragraphs_html(spec).replace("<br><br>\n", "<br><br>")
    left = "".join(f'<tr><td height="26"><a href="/list{i}.asp">{n}</a></td></tr>'
                   for i, n in enumerate(["政务动态", "通知公告", "部门信息", "街乡动态", "政策法规"]))
    return (f'<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={_charset(spec)}">\n'
            f"<title>{escape(site[0])}--{escape(spec.visible_title or spec.title)}</title>\n{_meta_html(spec)}"
            '<style>td{font-size:12px}</style>\n</head>\n<body bgcolor="#FFFFFF">\n'
            '<table width="778" border="0" cellspacing="0" cellpadding="0" align="center"><tr>'
            f'<td><img src="/images/top.jpg" width="778" height="120" alt="{escape(site[0])}"></td></tr></table>\n'
            '<table width="778" border="0" cellspacing="0" cellpadding="0" align="center"><tr>\n'
            f'<td width="180" valign="top"><table width="100%">{left}</table></td>\n'
            '<td width="598" valign="top">\n'
            + (f'<table width="100%"><tr><td class="dqwz">当前位置：首页 &gt;&gt; {escape(spec.column)}</td></tr></table>\n'
               if spec.breadcrumb else "")
            + '<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">\n'
            f'<tr><td height="40" align="center"><font size="4" color="#CC0000"><b>{escape(spec.visible_title or spec.title)}</b></font></td></tr>\n'
            + (f'<tr><td align="center">{escape(spec.subtitle)}</td></tr>\n' if spec.subtitle else "")
            + (f'<tr><td align="center" height="25">{escape(info)}</td></tr>\n' if info else "")
            + '<tr><td><hr size="1" color="#CCCCCC"></td></tr>\n'
            f'<tr><td class="{cell_class}" style="line-height:180%">\n{body}\n</td></tr>\n'
            + (f'<tr><td>{_attachments_html(spec, spec.url)}</td></tr>\n' if spec.attachments else "")
            + (f'<tr><td align="right">{escape(spec.editor_line)}</td></tr>\n' if spec.editor_line else "")
            + '<tr><td align="center"><a href="javascript:window.print()">[打印本页]</a> '
            '<a href="javascript:window.close()">[关闭窗口]</a></td></tr>\n'
            "</table>\n</td></tr></table>\n"
            '<table width="778" align="center"><tr><td align="center">'
            f'版权所有：{escape(site[0])}　地址：{escape(site[2])}{escape(site[1])}政府路1号<br>'
            "京ICP备05012345号</td></tr></table>\n</body>\n</html>\n")


def render_mobile(spec: Spec) -> str:
    site = spec.site
    meta_line = []
    if spec.visible_date:
        meta_line.append(f'<span class="date">{escape(spec.visible_date)}</span>')
    if spec.visible_source:
        meta_line.append(f'<span class="source">来源：{escape(spec.visible_source)}</span>')
    if spec.info_authors:
        meta_line.append(f'<span class="author">{escape(spec.info_authors)}</span>')
    crumb = (f'<div class="location"><a href="/">首页</a> &gt; <a href="/xw/">{escape(spec.column)}</a> &gt; 正文</div>\n'
             if spec.breadcrumb else "")
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="{_charset(spec)}">\n'
            f"<title>{escape(_head_title(spec))} | {escape(site[0])}</title>\n{_meta_html(spec)}"
            '<meta name="viewport" content="width=device-width">\n</head>\n<body>\n'
            f'<div class="topbar">{escape(site[0])}　<a href="/wza/">无障碍</a>　<a href="/en/">English</a></div>\n'
            f'{crumb}<div class="detail">\n'
            + (f'<div class="ytitle">{escape(spec.yinti)}</div>\n' if spec.yinti else "")
            + f'<div class="detail-title">{escape(spec.visible_title or spec.title)}</div>\n'
            + (f'<div class="sub-title">{escape(spec.subtitle)}</div>\n' if spec.subtitle and spec.subtitle != spec.yinti else "")
            + f'<div class="detail-info">{" ".join(meta_line)}</div>\n'
            f'<div class="article-content">\n{_paragraphs_html(spec)}</div>\n'
            f"{_attachments_html(spec, spec.url)}{_editor_html(spec)}"
            '<div class="qrcode"><img src="/images/ewm.png"><p>扫一扫在手机打开当前页</p></div>\n'
            f"{_boiler_after(spec, '区长主持召开区政府常务会议', '全区重点工作推进会召开')}</div>\n"
            f"{_footer(spec)}</body>\n</html>\n")


RENDER = {"trs": render_trs, "hanweb": render_hanweb, "jiyue": render_jiyue, "oldtable": render_oldtable,
          "mobile": render_mobile}


def _head_title(spec: Spec) -> str:
    """What <title> shows: some CMSs cut long titles to 12 characters and '...'."""
    title = spec.visible_title or spec.title
    return title[:12] + "..." if spec.kind == "hard2" and spec.authors == [] and spec.published else title


def _charset(spec: Spec) -> str:
    return "gb2312" if spec.encoding == "gbk" else "utf-8"


# --------------------------------------------------------------------------- specs


def _url(template: str, site: tuple, when: datetime, n: int, dated: bool = True) -> str:
    host = site[4]
    if template == "trs":
        return (f"http://{host}/xwzx/qzyw/{when:%Y%m}/t{when:%Y%m%d}_{4400000 + n}.html" if dated
                else f"http://{host}/xwzx/qzyw/content_{4400000 + n}.html")
    if template == "hanweb":
        return (f"http://{host}/art/{when.year}/{when.month}/{when.day}/art_{1200 + n % 7}_{58000 + n}.html" if dated
                else f"http://{host}/module/web/jpage/art_{58000 + n}.html")
    if template == "jiyue":
        return (f"https://{host}/xwzx/bmdt/{when:%Y%m}/t{when:%Y%m%d}_{7100000 + n}.html" if dated
                else f"https://{host}/xwzx/bmdt/content/post_{7100000 + n}.html")
    if template == "oldtable":
        return (f"http://{host}/news/{when.year}-{when.month:02d}/{when.day:02d}/{n}.htm" if dated
                else f"http://{host}/ShowNews.asp?id={3000 + n}")
    return (f"https://{host}/mobile/{when:%Y%m%d}/c_{900000 + n}.html" if dated
            else f"https://{host}/mobile/detail.html?id={900000 + n}")


def build_specs() -> list[Spec]:
    g = Gen(SEED)
    r = g.r
    specs: list[Spec] = []
    templates = ["trs", "hanweb", "jiyue", "oldtable", "mobile"]
    date_forms = ["dash_min", "dash_sec", "dash", "slash", "dot", "cn_pad", "cn", "cn_min", "bracket"]
    minute_forms = {"dash_min", "dash_sec", "cn_min"}
    labels = {"dash_min": "发布时间：", "dash_sec": "发布时间：", "dash": "发布日期：", "slash": "日期：",
              "dot": "时间：", "cn_pad": "发布日期：", "cn": "", "cn_min": "", "bracket": ""}

    def base(n: int, kind: str, template: str, *, encoding: str = "utf-8", dated_url: bool = True,
             paragraphs: int | None = None) -> Spec:
        site = SITES[n % len(SITES)]
        when = g.date()
        title, paras = g.article(_short(site), when, paragraphs)
        form = date_forms[n % len(date_forms)]
        minute = form in minute_forms
        column = COLUMNS[n % len(COLUMNS)] if kind not in ("notice", "image") else \
            ("通知公告" if kind == "notice" else "图片新闻")
        spec = Spec(pid=f"{n:03d}-{kind}-{template}", kind=kind, template=template, site=site,
                    url=_url(template, site, when, n, dated_url), title=title, paragraphs=paras,
                    published=when if minute else when.replace(hour=0, minute=0), minute=minute,
                    source=None, authors=[], editor=None, column=column, encoding=encoding)
        label = labels[form]
        spec.visible_date = f"{label}{_fmt_date(when, form)}"
        if not label:
            spec.date_line_alone = True
        spec.fetched_at = when + timedelta(days=r.randint(1, 30))
        return spec

    def with_meta(spec: Spec, *, title=True, date=True, source=True) -> None:
        site = spec.site
        spec.meta["SiteName"] = site[0]
        spec.meta["SiteDomain"] = site[4]
        spec.meta["SiteIDCode"] = site[5] + "0001"
        if title:
            spec.meta["ArticleTitle"] = spec.title
        if date and spec.published is not None:
            spec.meta["PubDate"] = spec.published.strftime("%Y-%m-%d %H:%M" if spec.minute else "%Y-%m-%d")
        spec.meta["ColumnName"] = spec.column
        if source and spec.source:
            spec.meta["ContentSource"] = spec.source
        spec.meta["Keywords"] = spec.column
        spec.meta["Description"] = spec.paragraphs[0][:60]

    n = 0

    # --- plain news on every template, with the byline forms -------------------------
    byline_forms = ["info_author", "info_reporter", "end_paren", "start_paren", "wen_tu", "none", "meta_author",
                    "end_reporter_correspondent", "benbao"]
    for i in range(30):
        template = templates[i % len(templates)]
        spec = base(n, "news", template)
        spec.source = r.choice(LOCAL_SOURCES) if i % 3 else r.choice(NEWSPAPERS)
        spec.visible_source = spec.source
        form = byline_forms[i % len(byline_forms)]
        people = g.names(3)
        if form == "info_author":
            spec.info_authors = f"作者：{people[0]}"
            spec.authors = people[:1]
        elif form == "info_reporter":
            spec.info_authors = f"记者：{people[0]} 通讯员：{people[1]}"
            spec.authors = people[:2]
        elif form == "end_paren":
            spec.paragraphs[-1] += f"（记者{people[0]}）"
            spec.authors = people[:1]
        elif form == "start_paren":
            spec.paragraphs[0] = f"（通讯员 {people[0]} {people[1]}）" + spec.paragraphs[0]
            spec.authors = people[:2]
        elif form == "wen_tu":
            spec.paragraphs.append(f"文/{people[0]} 图/{people[1]}")
            spec.authors = people[:1]
            spec.photographers = people[1:2]
        elif form == "meta_author":
            spec.meta["Author"] = people[2]
            spec.authors = [people[2]]
        elif form == "end_reporter_correspondent":
            spec.paragraphs[-1] += f"（记者 {people[0]} 通讯员 {people[1]}）"
            spec.authors = people[:2]
        elif form == "benbao":
            spec.paragraphs.insert(0, f"本报记者 {people[0]}")
            spec.authors = people[:1]
        if i % 4 == 0:
            spec.editor = g.name()
            spec.editor_line = f"责任编辑：{spec.editor}"
        elif i % 4 == 1:
            spec.editor = g.name()
            spec.editor_line = f"【责任编辑：{spec.editor}】"
        if template in ("trs", "jiyue") and i % 2 == 0:
            with_meta(spec)
        if template == "oldtable":
            spec.br_paragraphs = i % 2 == 1
            if i % 3 == 0:
                spec.body_selectors = (".news_text",)
        if template == "jiyue":
            spec.share_in_body = True
        specs.append(spec)
        n += 1

    # --- reposts from newspapers ---------------------------------------------------------
    for i in range(8):
        template = templates[(i + 1) % len(templates)]
        spec = base(n, "repost", template)
        spec.source = NEWSPAPERS[i % len(NEWSPAPERS)]
        spec.visible_source = spec.source
        people = g.names(2)
        if i % 2:
            spec.paragraphs[-1] += f"（记者 {people[0]}）"
            spec.authors = people[:1]
        else:
            spec.info_authors = f"作者：{people[0]}、{people[1]}"
            spec.authors = people[:2]
        spec.column = "媒体关注"
        if i % 3 == 0:
            with_meta(spec)
        specs.append(spec)
        n += 1

    # --- image news with captions ----------------------------------------------------------
    for i in range(7):
        template = templates[i % len(templates)]
        spec = base(n, "image", template, paragraphs=r.randint(2, 4))
        host = spec.site[4]
        caps = [f"图为{r.choice(['活动现场', '检查现场', '会议现场', '演练现场', '展销会现场'])}。",
                f"{r.choice(['工作人员', '志愿者', '医务人员'])}正在为居民{r.choice(['讲解政策', '测量血压', '发放宣传资料'])}。"]
        prefix = {"trs": f"http://{host}/xwzx/qzyw/{spec.published:%Y%m}/W0{spec.published:%Y%m%d}{n}",
                  "hanweb": f"http://{host}/picture/0/{spec.published:%y%m%d}{n}",
                  "jiyue": f"https://{host}/xwzx/bmdt/{spec.published:%Y%m}/W0{spec.published:%Y%m%d}{n}",
                  "oldtable": f"http://{host}/uploadfile/{spec.published:%Y%m}/{n}",
                  "mobile": f"https://{host}/mobile/images/{n}"}[template]
        spec.images = [(f"{prefix}_{k}.jpg", cap) for k, cap in enumerate(caps[: 1 + i % 2])]
        photographer = g.name()
        spec.source = r.choice(LOCAL_SOURCES)
        spec.visible_source = spec.source
        spec.paragraphs.append(f"{photographer} 摄" if i % 2 else f"（摄影：{photographer}）")
        spec.authors = []
        spec.photographers = [photographer]
        specs.append(spec)
        n += 1

    # --- one-sentence notices -----------------------------------------------------------
    for i in range(8):
        template = templates[(i + 2) % len(templates)]
        spec = base(n, "notice", template, encoding="gbk" if i % 2 else "utf-8")
        short = _short(spec.site)
        when = spec.published
        text = NOTICE_TEXTS[i % len(NOTICE_TEXTS)].format(d=short, y=when.year, m=(when + timedelta(days=3)).month,
                                                           day=(when + timedelta(days=3)).day)
        spec.title = r.choice(["关于召开全区安全生产工作会议的通知", "关于临时停水的通知", "公开招聘社区工作者笔试成绩公告",
                               "关于区政务服务中心暂停对外办公的通知", "老旧小区综合整治项目名单公示", "关于防空警报试鸣的通告"])
        spec.paragraphs = [text] if i % 3 else [text, f"{short}人民政府办公室", f"{when.year}年{when.month}月{when.day}日"]
        spec.source = f"{short}人民政府办公室" if i % 2 == 0 else None
        spec.visible_source = spec.source
        if i % 4 == 3:
            with_meta(spec, source=False)
        specs.append(spec)
        n += 1

    # --- attachment-only pages (some with one intro line) --------------------------------
    for i in range(7):
        template = templates[i % len(templates)]
        spec = base(n, "attachment", template, encoding="gbk" if i == 3 else "utf-8")
        short = _short(spec.site)
        when = spec.published
        doc = r.choice([f"{short}{when.year}年政府信息公开工作年度报告", f"{short}{when.year}年重点建设项目计划",
                        f"{short}{when.year}年部门预算公开说明", f"{short}政府采购意向公开表"])
        spec.title = doc
        ext = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "zip"][i]
        base_url = spec.url.rsplit("/", 1)[0] + "/"
        file_url = f"{base_url}P0{when:%Y%m%d}{n:04d}.{ext}"
        spec.attachments = [(file_url, f"{doc}.{ext}")]
        if i % 2:
            spec.attachments.append((f"{base_url}P0{when:%Y%m%d}{n:04d}_2.pdf", "附表：项目明细.pdf"))
        spec.paragraphs = [f"现将《{doc}》予以公开，详见附件。"] if i % 3 == 0 else []
        spec.source = r.choice(LOCAL_SOURCES)
        spec.visible_source = spec.source
        specs.append(spec)
        n += 1

    # --- pages with data tables --------------------------------------------------------------
    for i in range(7):
        template = templates[(i + 3) % len(templates)]
        spec = base(n, "table", template, encoding="gbk" if i == 2 else "utf-8")
        rows = [["序号", "项目名称", "建设单位", "计划投资（万元）"]]
        for k in range(r.randint(3, 6)):
            rows.append([str(k + 1), r.choice(["道路提升工程", "污水管网改造", "学校新建工程", "社区服务中心", "公园绿化提升",
                                               "停车场建设", "老旧小区改造"]) + f"（{k + 1}期）",
                         r.choice(["区住房城乡建设委", "区水务局", "区教委", "区城管委", "区园林绿化局"]),
                         str(r.randrange(300, 9000))])
        spec.tables = [(min(1, len(spec.paragraphs) - 1), rows)]
        spec.source = r.choice(LOCAL_SOURCES)
        spec.visible_source = spec.source
        specs.append(spec)
        n += 1

    # --- meta tags disagreeing with the visible text (visible date and source win, meta title) ---
    for i in range(7):
        template = ["trs", "jiyue", "trs", "hanweb", "mobile", "jiyue", "trs"][i]
        spec = base(n, "metaconflict", template)
        spec.source = r.choice(LOCAL_SOURCES)
        spec.visible_source = spec.source
        with_meta(spec)
        when = spec.published
        if i % 3 == 0:  # meta PubDate re-stamped a day later than the visible 发布时间 (real: fengtai, mhmiit)
            stamped = when + timedelta(days=1, hours=2)
            spec.visible_date = f"发布时间：{when:%Y-%m-%d %H:%M}"
            spec.date_line_alone = False
            spec.published = when.replace(second=0)
            spec.minute = True
            spec.meta["PubDate"] = f"{stamped:%Y-%m-%d %H:%M:%S}"
        elif i % 3 == 1:  # meta ArticleTitle (full) vs a visible heading with a prefix
            spec.visible_title = "【" + r.choice(["聚焦", "关注", "动态"]) + "】" + spec.title
        else:  # meta ContentSource vs visible 来源 (real: bjfgw): the visible one wins
            spec.meta["ContentSource"] = spec.source
            spec.source = spec.visible_source = r.choice(NEWSPAPERS)
        specs.append(spec)
        n += 1

    # --- dates only in the URL, relative dates, no date -----------------------------------------
    for i in range(5):
        template = ["trs", "hanweb", "jiyue", "oldtable", "mobile"][i]
        spec = base(n, "urldate", template)
        spec.visible_date = None
        spec.date_line_alone = False
        spec.published = spec.published.replace(hour=0, minute=0)
        spec.minute = False
        spec.source = r.choice(LOCAL_SOURCES)
        spec.visible_source = spec.source
        specs.append(spec)
        n += 1
    for i in range(3):
        template = ["trs", "jiyue", "mobile"][i]
        spec = base(n, "relative", template, dated_url=False)
        days = [2, 5, 1][i]
        spec.fetched_at = spec.published.replace(hour=11, minute=20) + timedelta(days=days)
        spec.visible_date = f"发布时间：{days}天前" if days > 1 else "发布时间：昨天"
        spec.date_line_alone = False
        spec.published = spec.published.replace(hour=0, minute=0)
        spec.minute = False
        spec.source = r.choice(LOCAL_SOURCES)
        spec.visible_source = spec.source
        specs.append(spec)
        n += 1
    for i in range(4):
        template = ["oldtable", "hanweb", "jiyue", "mobile"][i]
        spec = base(n, "nodate", template, dated_url=False)
        spec.visible_date = None
        spec.date_line_alone = False
        spec.published = None
        spec.source = r.choice(LOCAL_SOURCES) if i % 2 else None
        spec.visible_source = spec.source
        if template == "oldtable":
            spec.body_selectors = (".content_td",)
        specs.append(spec)
        n += 1

    # --- hard pages: 副标题/引题, 编辑 vs 责任编辑, nested tables, credits at the start -----------
    for i in range(8):
        template = templates[i % len(templates)]
        spec = base(n, "hard", template, encoding="gbk" if i in (2, 6) else "utf-8")
        spec.source = r.choice(LOCAL_SOURCES + NEWSPAPERS)
        spec.visible_source = spec.source
        people = g.names(4)
        if i % 4 == 0:
            spec.subtitle = "——" + r.choice(["记全区基层治理工作", "写在项目开工之际", "访区人大代表" + people[3]])
        elif i % 4 == 1:
            spec.yinti = r.choice(["落实“十四五”规划", "聚焦民生实事", "践行为民初心"])
            spec.subtitle = spec.yinti
        elif i % 4 == 2:
            spec.yinti = r.choice(["打好污染防治攻坚战", "建设幸福宜居城区"])
            spec.subtitle = r.choice(["全区今年计划完成重点任务一百项", "首批二十个项目已经开工"])
        if i % 2 == 0:
            spec.editor_line = f"编辑：{people[1]}　责任编辑：{people[2]}"
            spec.editor = people[2]
        else:
            spec.editor_line = f"编辑：{people[1]}"
            spec.editor = people[1]
        spec.paragraphs[0] = f"（记者 {people[0]}）" + spec.paragraphs[0]
        spec.authors = [people[0]]
        if template == "hanweb":
            spec.tables = [(1, [["指标", "目标值", "完成值"], ["新建公园（个）", "5", "6"], ["改造管网（公里）", "12", "12.5"]])]
        if template in ("trs", "jiyue") and i % 3 == 0:
            with_meta(spec)
        specs.append(spec)
        n += 1
    # --- harder still: 本报讯 credits, dates in the body of undated pages, short <title> ----------
    for i in range(8):
        template = ["trs", "jiyue", "hanweb", "oldtable", "mobile", "trs", "hanweb", "jiyue"][i]
        spec = base(n, "hard2", template, dated_url=i not in (2, 3), encoding="gbk" if i == 4 else "utf-8")
        spec.source = r.choice(NEWSPAPERS)
        spec.visible_source = spec.source
        people = g.names(3)
        if i in (0, 1, 5):  # newspaper lead credit
            spec.paragraphs[0] = f"本报讯（记者 {people[0]} 通讯员 {people[1]}）" + spec.paragraphs[0]
            spec.authors = people[:2]
        elif i in (2, 3):  # no publication date, but the text names dates
            spec.visible_date = None
            spec.date_line_alone = False
            spec.published = None
            spec.paragraphs.insert(1, f"本办法自{spec.fetched_at.year + 1}年1月1日起施行，"
                                      f"有效期至{spec.fetched_at.year + 3}年12月31日。")
            spec.authors = []
        elif i in (4, 6):  # a <title> cut short by the CMS; the page's heading is whole
            spec.visible_title = spec.title
            spec.paragraphs[-1] += f"（{people[2]}）"  # a trailing name credit (real: lfygxzf, baiyun)
            spec.authors = people[2:3]
        else:  # 引题 + 副标题 + 编辑/责任编辑 on separate lines
            spec.yinti = "坚持人民至上"
            spec.subtitle = "全年完成民生实事二十件"
            spec.editor_line = f"编辑：{people[0]}　审核：{people[1]}　责任编辑：{people[2]}"
            spec.editor = people[2]
        specs.append(spec)
        n += 1
    return specs


# --------------------------------------------------------------------------- truth + writing


def _truth_date(spec: Spec) -> str | None:
    if spec.published is None:
        return None
    if spec.minute:
        return spec.published.strftime("%Y-%m-%dT%H:%M:00+08:00")
    return spec.published.strftime("%Y-%m-%d")


def _body_truth(spec: Spec) -> str:
    lines: list[str] = []
    tables = dict(spec.tables)
    images = list(spec.images)
    for i, p in enumerate(spec.paragraphs):
        if spec.kind == "image" and images and i % 2 == 0:
            lines.append(images.pop(0)[1])
        lines.append(p)
        if i in tables:
            lines.extend("\t".join(row) for row in tables[i])
    lines.extend(caption for _, caption in images)
    while lines and lines[0].startswith("图为"):  # a caption at the top never starts the body (issue 13)
        lines.pop(0)
    return "\n".join(lines)


def truth_of(spec: Spec) -> dict:
    site = spec.site
    return {
        "file": f"{spec.pid}.html",
        "kind": spec.kind,
        "template": spec.template,
        "encoding": spec.encoding,
        "url": spec.url,
        "fetched_at": spec.fetched_at.strftime("%Y-%m-%dT%H:%M:00+08:00"),
        "hints": {"slug": "", "district": site[1], "city": site[2], "province": site[3], "admin_code": "",
                  "site_names": [site[0]], "body_selectors": list(spec.body_selectors), "family": ""},
        "list_hints": {"column": spec.list_column or spec.column},
        "title": spec.title,
        "subtitle": spec.subtitle,
        "published_at": _truth_date(spec),
        "source": spec.source,
        "authors": spec.authors,
        "photographers": spec.photographers,
        "editor": spec.editor,
        "column": spec.column,
        "body_text": _body_truth(spec),
        "attachments": [{"url": u, "name": name} for u, name in spec.attachments],
        "images": [u for u, _ in spec.images],
    }


def build() -> tuple[dict[str, bytes], bytes]:
    files: dict[str, bytes] = {}
    pages = []
    for spec in build_specs():
        html = RENDER[spec.template](spec)
        files[f"{spec.pid}.html"] = html.encode("gbk" if spec.encoding == "gbk" else "utf-8")
        pages.append(truth_of(spec))
    truth = {"rules": RULES, "pages": pages}
    return files, (json.dumps(truth, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="exit 1 if the files on disk differ")
    args = p.parse_args(argv)
    files, truth = build()
    if args.check:
        on_disk = {f.name: f.read_bytes() for f in CORPUS.glob("*.html")} if CORPUS.exists() else {}
        same = on_disk == files and TRUTH.exists() and TRUTH.read_bytes() == truth
        print("corpus up to date" if same else "corpus differs from make_corpus.py output")
        return 0 if same else 1
    CORPUS.mkdir(parents=True, exist_ok=True)
    for old in CORPUS.glob("*.html"):
        if old.name not in files:
            old.unlink()
    for name, data in files.items():
        (CORPUS / name).write_bytes(data)
    TRUTH.write_bytes(truth)
    print(f"wrote {len(files)} pages to {CORPUS} and {TRUTH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
