"""Deterministic generator of the bundled demo district sites.

``python -m crawler.demo.build`` regenerates ``crawler/demo/www/`` (what
:mod:`crawler.demo.server` serves) and ``crawler/demo/expected/<slug>.json``
(what a correct crawl + extraction must find) byte-identically every time:
fixed-seed RNGs only, no clock reads, sorted output.

Two sites modelled on real district portals:

``demo-haidian`` (TRS WCM, host ``haidian.demo.govnews.test``)
    Columns ``/xwzx/qzyw/`` 区政要闻, ``/xwzx/bmdt/`` 部门动态, ``/xwzx/tzgg/`` 通知公告.
    Lists ``index.html``, ``index_1.html`` … (15 items, newest first) with
    ``createPageHTML(N, current, "index", "html");``; articles
    ``<column>/YYYYMM/tYYYYMMDD_<id>.html`` with government meta tags and the body
    in ``div.TRS_Editor``. 区政要闻 page 1 starts with 2 pinned ``<li class="top">``
    items. 通知公告 is GBK-encoded (meta charset=gb2312, the server sends plain
    ``text/html`` for it via ``_headers.json``). Holds the seed article.

``demo-yanqing`` (Hanweb, host ``yanqing.demo.govnews.test``)
    Columns ``/col/col1001/index.html`` 延庆要闻, ``/col/col1002/index.html`` 乡镇动态.
    Records in a ``<script type="text/xml"><datastore>`` (12 per page, page n >= 2 is
    ``index.html?uid=0&pageNum=n``, stored as ``index.html@uid=0&pageNum=n``); one pinned
    record on page 1; articles ``/art/YYYY/M/D/art_<col>_<id>.html``, body in
    ``div#zoom``, no meta tags, date only in the page text.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
WWW_DIR = HERE / "www"
EXPECTED_DIR = HERE / "expected"

HAIDIAN_HOST = "haidian.demo.govnews.test"
YANQING_HOST = "yanqing.demo.govnews.test"
TRS_PER_PAGE = 15
HANWEB_PER_PAGE = 12
GBK_MARKERS = "镕堃喆祎玥犇"  # in GBK, not in GB2312: a wrong decode shows

# --------------------------------------------------------------------------- text pools

HD_STREETS = [
    "万寿路街道", "羊坊店街道", "甘家口街道", "八里庄街道", "紫竹院街道", "北下关街道",
    "北太平庄街道", "学院路街道", "中关村街道", "海淀街道", "青龙桥街道", "清华园街道",
    "香山街道", "清河街道", "花园路街道", "西三旗街道", "马连洼街道", "田村路街道",
    "上地街道", "曙光街道", "万柳地区", "东升地区", "温泉镇", "四季青镇", "西北旺镇",
    "苏家坨镇", "上庄镇",
]
YQ_TOWNS = [
    "延庆镇", "康庄镇", "八达岭镇", "永宁镇", "旧县镇", "张山营镇", "四海镇", "千家店镇",
    "沈家营镇", "大榆树镇", "井庄镇", "刘斌堡乡", "大庄科乡", "香营乡", "珍珠泉乡",
    "儒林街道", "百泉街道", "香水园街道", "温泉街道",
]
DEPTS = [
    "区发展改革委", "区城市管理委", "区卫生健康委", "区教委", "区民政局", "区市场监管局",
    "区生态环境局", "区科委", "区商务局", "区人力社保局", "区住房城乡建设委", "区应急管理局",
    "区政务服务局", "区园林绿化局", "区文化和旅游局", "区水务局",
]
REPORTERS = ["唐炜", "刘洋", "陈晨", "孙悦", "郭嘉", "马宁"]
CORRESPONDENTS = [("张三", "李四"), ("王磊", "赵敏"), ("周航", "吴倩"), ("郑凯", "冯雪")]
WRITERS = ["李想", "杨帆", "黄静", "徐超"]
EDITORS = ["王五", "钱琳", "何平", "罗毅"]

# Topic: (title templates, sentence templates). Placeholders: {place} {dept} {m} {d} {n} {pct} {k}
TOPICS: dict[str, tuple[list[str], list[str]]] = {
    "接诉即办": (
        ["{place}深化“接诉即办”改革解决群众急难愁盼问题", "{place}“接诉即办”推动{k}个老旧小区难题化解",
         "{dept}召开“接诉即办”工作推进会", "{place}探索“未诉先办”主动治理新路径"],
        ["{m}月以来，{place}共受理12345市民服务热线诉求{n}件，响应率达到100%。",
         "针对群众反映集中的停车难、物业管理等问题，{place}建立“街巷长+网格员”协同处置机制。",
         "{dept}对高频诉求开展专题分析，梳理出{k}类共性问题，逐项明确牵头单位和完成时限。",
         "工作人员坚持“每月一题”，推动解决率和满意率分别提升至{pct}%和{pct2}%。",
         "会议要求，要把“接诉即办”作为检验作风的试金石，坚持闻风而动、接诉即办。",
         "下一步，{place}将持续完善考评机制，推动由“接诉即办”向“未诉先办”转变。",
         "对于涉及多部门的复杂诉求，由街道吹哨、部门报到，共同研究解决方案。",
         "居民王女士说，家门口的问题有人管、管得好，日子过得更舒心了。"],
    ),
    "垃圾分类": (
        ["{place}推进生活垃圾分类工作走深走实", "{place}开展垃圾分类“桶前值守”志愿服务",
         "{dept}部署新修订《北京市生活垃圾管理条例》实施工作", "{place}{k}个小区完成垃圾分类驿站建设"],
        ["新修订的《北京市生活垃圾管理条例》实施以来，{place}累计设置分类驿站{k}座。",
         "{place}组织志愿者开展“桶前值守”，每天早晚高峰指导居民正确投放。",
         "截至{m}月底，辖区厨余垃圾分出量达到每日{n}吨，较条例实施前增长{pct}%。",
         "{dept}会同街镇开展专项执法检查，对混装混运等行为依法查处。",
         "社区通过“积分兑换”等方式，调动居民参与垃圾分类的积极性。",
         "会议强调，要压实各级责任，建立完善常态化机制，持之以恒抓下去。",
         "物业服务企业落实管理责任人制度，做好分类容器的配置和日常维护。",
         "垃圾分类工作纳入“门前三包”责任制，沿街商户签订承诺书{n}份。"],
    ),
    "疫情防控": (
        ["{place}扎实做好常态化疫情防控工作", "区疫情防控工作领导小组召开第{k}次会议",
         "{dept}开展重点场所疫情防控专项检查", "{place}筑牢社区疫情防控防线"],
        ["{m}月{d}日，{place}召开疫情防控工作部署会，对近期重点工作进行再安排。",
         "要继续落实“四方责任”，紧盯重点区域、重点人群，以更加精准的措施抓好防控。",
         "社区卡口严格执行测温、查证、验码、登记等各项防控措施。",
         "{dept}对辖区农贸市场、商超、餐饮单位开展检查{n}家次，督促整改问题{k}项。",
         "要持续抓好核酸检测环节，做到应检尽检、愿检尽检。",
         "下沉干部和社区志愿者共同值守，筑牢基层群防群控的坚实防线。",
         "要开展好爱国卫生运动，做好规范化消毒消杀，营造清洁有序的社区环境。",
         "会议要求，在疫情防控常态化前提下，统筹推进复工复产和经济社会发展。"],
    ),
    "营商环境": (
        ["{place}持续优化营商环境助力企业发展", "{dept}推出{k}项优化营商环境新举措",
         "区政务服务中心实现{k}个事项“一网通办”", "{dept}走访服务重点企业"],
        ["{dept}梳理形成优化营商环境任务清单，共{k}项具体举措。",
         "企业开办实现“一窗办理、一日办结”，平均办理时间压缩至{k}个工作日以内。",
         "截至{m}月，全区已有{n}个政务服务事项实现全程网办。",
         "区领导带队深入企业一线，现场协调解决用地、融资、人才等方面问题。",
         "{place}建立“服务管家”制度，为重点企业提供一对一精准服务。",
         "通过“告知承诺制”审批，企业办理许可的时间平均减少{pct}%。",
         "下一步，将继续深化“放管服”改革，让企业和群众办事更便利。",
         "区市场监管局推行“证照分离”改革，惠及市场主体{n}户。"],
    ),
    "科技创新": (
        ["中关村科学城{k}个重大项目集中签约", "{place}打造科技创新示范街区",
         "{dept}举办科技企业政策宣讲会", "中关村科学城人工智能产业发展取得新进展"],
        ["中关村科学城聚焦人工智能、集成电路、生物医药等领域，集中签约项目{k}个。",
         "{dept}围绕“两新两高”战略，推动科技成果就地转化。",
         "今年以来，全区新认定国家高新技术企业{n}家，同比增长{pct}%。",
         "{place}盘活闲置楼宇{k}万平方米，引进科技型企业入驻。",
         "宣讲会上，相关部门解读了支持企业研发投入、人才引进等政策措施。",
         "下一步，将进一步完善“政产学研用”协同创新机制，提升创新策源能力。",
         "参会企业表示，政策“干货”满满，对企业发展很有帮助。"],
    ),
    "城市更新": (
        ["{place}背街小巷环境精细化整治提升见实效", "{place}老旧小区综合整治项目开工",
         "{dept}推进城市更新试点工作", "{place}拆除违法建设{k}处"],
        ["今年{place}计划完成背街小巷整治提升{k}条，目前已完成{n}米路面修缮。",
         "整治中坚持“十无一创建”标准，同步推进架空线入地、外立面改造和绿化补植。",
         "老旧小区综合整治涉及楼栋{k}栋，惠及居民{n}户。",
         "责任规划师深度参与方案设计，多次召开居民议事会听取意见。",
         "{dept}加大巡查力度，对新生违法建设“零容忍”。",
         "施工单位严格落实扬尘治理措施，尽量减少对居民生活的影响。",
         "改造完成后，小区增设停车位{k}个，配建了无障碍设施和口袋公园。"],
    ),
    "民生保障": (
        ["{place}养老服务驿站实现全覆盖", "{dept}开展“送岗位进社区”活动",
         "{place}为困难群众送去温暖", "{dept}部署{m}月民生重点工作"],
        ["{place}已建成社区养老服务驿站{k}个，为老年人提供助餐、助浴、助医等服务。",
         "{dept}联合辖区企业提供就业岗位{n}个，现场达成就业意向{k}人。",
         "工作人员入户走访困难家庭，详细了解生活情况，送去慰问品和慰问金。",
         "要围绕“七有”“五性”，持续加大民生投入，办好群众家门口的事。",
         "全区城乡居民基本养老保险参保率保持在{pct}%以上。",
         "社区食堂推出老年人优惠套餐，每天服务老人{n}余人次。",
         "下一步，将进一步完善社会救助体系，兜牢民生底线。"],
    ),
    "防汛安全": (
        ["{place}全力做好汛期安全防范工作", "{dept}开展防汛应急演练",
         "区防汛指挥部召开{m}月防汛工作会", "{dept}开展安全生产大检查"],
        ["当前正值主汛期，{place}对辖区{k}处积水点和危旧房屋逐一排查。",
         "要切实做好雨情汛情监测预警和应对处置工作，保障城市运行安全。",
         "演练模拟强降雨导致下凹式立交桥积水，抢险队伍{n}余人参加。",
         "{dept}检查生产经营单位{n}家，发现并督促整改隐患{k}处。",
         "各单位要严格落实领导带班和24小时值班制度，确保信息畅通。",
         "防汛物资储备到位，备有抽水泵{k}台、沙袋{n}余条。"],
    ),
    "生态绿化": (
        ["{place}新增城市绿地{k}公顷", "{dept}推进新一轮百万亩造林绿化工程",
         "{place}打造“口袋公园”扮靓百姓家门口", "{dept}通报{m}月空气质量情况"],
        ["今年{place}实施留白增绿项目{k}处，新增绿地面积{n}平方米。",
         "{dept}持续打好污染防治攻坚战，全区PM2.5累计浓度同比下降{pct}%。",
         "新建的口袋公园设置了健身步道、休闲座椅和儿童游乐设施。",
         "园林绿化部门加强对古树名木的保护，开展病虫害防治工作。",
         "下一步，将继续推进山水林田湖草系统治理，建设和谐宜居的美丽家园。",
         "居民李先生说，出门见绿、推窗见景，生活品质越来越高。"],
    ),
    "乡村振兴": (
        ["{place}以乡村振兴带动农民增收", "{place}民宿产业发展迈上新台阶",
         "{dept}推进美丽乡村建设", "{place}特色农产品走俏市场"],
        ["{place}围绕乡村振兴战略，发展特色种植、精品民宿等产业，带动农户{n}户增收。",
         "今年以来，全区新增精品民宿{k}家，接待游客{n}人次。",
         "美丽乡村建设持续推进，{k}个村完成人居环境整治提升。",
         "合作社采取“合作社+农户”模式，统一种植、统一销售，亩均增收{n}元。",
         "驻村第一书记带领村民发展庭院经济，村集体收入稳步提高。",
         "{dept}组织农业技术人员深入田间地头，开展技术指导和培训{k}场。"],
    ),
    "冬奥服务": (
        ["{place}全力做好冬奥会筹办服务保障工作", "{dept}推进冬奥赛区周边环境整治",
         "延庆赛区基础设施建设取得新进展", "{place}开展冰雪运动进校园活动"],
        ["{place}对标对表冬奥会筹办时间节点，倒排工期、挂图作战。",
         "延庆赛区场馆及配套基础设施建设稳步推进，{k}个项目进入收尾阶段。",
         "{dept}对赛区周边道路、村庄环境开展综合整治，完成立面改造{n}平方米。",
         "全区开展冰雪运动进校园活动，参与学生达到{n}人次。",
         "要以冬奥会筹办为契机，全面提升城市精细化管理水平。",
         "志愿者培训同步展开，已完成通用培训{k}期。"],
    ),
}
# Sentences that fit any district-news topic; drawn after the topic's own pool.
GENERIC_SENTENCES = [
    "会议传达学习了市委市政府有关会议精神，听取了近期重点工作进展情况汇报。",
    "{place}主要负责同志表示，要提高政治站位，切实增强责任感和紧迫感。",
    "与会人员围绕工作中遇到的难点堵点问题进行了深入交流。",
    "要坚持问题导向，建立问题台账，实行销账管理，确保各项任务落地见效。",
    "各部门要加强协调配合，形成工作合力，防止推诿扯皮。",
    "要坚持以人民为中心的发展思想，把群众满意作为工作的出发点和落脚点。",
    "{dept}相关负责人介绍了前期工作开展情况和下一步工作安排。",
    "要加强宣传引导，充分利用社区宣传栏、微信公众号等渠道扩大知晓率。",
    "截至目前，相关工作已完成年度任务的{pct}%。",
    "要加强督查检查，对工作推进不力的单位进行通报。",
    "会后，与会人员实地察看了{place}{k}处点位，现场研究解决具体问题。",
    "要统筹抓好当前和长远，既解决眼前问题，又注重建立长效机制。",
    "下一步，{place}将进一步细化工作措施，确保各项任务按时保质完成。",
    "要发挥党建引领作用，推动党员干部在一线冲锋在前、攻坚克难。",
    "此次活动共吸引{n}余名居民参与，现场气氛热烈。",
    "参会代表纷纷表示，将认真落实会议部署，切实抓好各项工作。",
    "{dept}将定期对工作开展情况进行评估，及时总结推广好的经验做法。",
    "要严格落实工作责任制，层层压实责任，确保责任到岗、任务到人。",
]

HD_TOPICS = ["接诉即办", "垃圾分类", "疫情防控", "营商环境", "科技创新", "城市更新", "民生保障", "防汛安全", "生态绿化"]
YQ_TOPICS = ["接诉即办", "垃圾分类", "疫情防控", "营商环境", "城市更新", "民生保障", "防汛安全", "生态绿化", "乡村振兴", "冬奥服务"]

NOTICE_TITLES = [
    "关于开展2020年{m}月份“接诉即办”考评工作的通知",
    "关于做好{place}生活垃圾分类示范片区创建工作的通知",
    "关于{dept}调整办公地点的公告",
    "关于公布2020年度第{k}批政府信息公开目录的通知",
    "关于印发《海淀区优化营商环境{k}条措施》的通知",
    "关于开展安全生产隐患排查治理专项行动的通知",
    "关于2020年度公开招聘社区工作者的公告",
    "关于征集民生实事项目意见建议的公告",
    "关于做好防汛期间值班值守工作的通知",
    "关于{place}停水停电的公告",
    "关于开展第{k}届“最美家庭”评选活动的通知",
    "关于延长企业复工复产相关政策有效期的通知",
]
# GBK-only names (not in GB2312) for the GBK column
GBK_NAMES = ["王堃", "张喆", "李祎", "刘玥", "赵犇", "朱镕"]
NOTICE_SENTENCES = [
    "各街道、镇，区政府各委、办、局：现将有关事项通知如下。",
    "请各单位高度重视，明确责任人，按时报送相关材料。",
    "本次工作自通知印发之日起开始，至{m}月{d}日结束。",
    "请于{m}月{d}日前将报名表报送至区政府办公室，逾期不予受理。",
    "联系人：{gbk}，联系电话：8250{n4}。",
    "申请人可通过“北京海淀”政务服务平台在线提交材料，也可到区政务服务中心窗口现场办理。",
    "对工作中出现的问题，请及时与{dept}沟通联系。",
    "公示期间如有异议，请以书面形式向{dept}反映，联系人：{gbk}。",
    "各单位要严格执行24小时值班和领导带班制度，确保通讯畅通。",
    "经研究，决定对{gbk}等{k}名同志予以通报表扬。",
    "特此通知。",
]

# --------------------------------------------------------------------------- model


@dataclass
class Article:
    site: str
    host: str
    column: str
    col_key: str
    title: str
    dt: datetime
    has_time: bool
    source: str
    paragraphs: list[str]  # expected body paragraphs (plain text, stripped)
    authors: list[str] = field(default_factory=list)
    author_in_info: str = ""
    editor: str | None = None
    attachments: list[dict] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    body_html: str = ""  # rendered body container inner HTML
    encoding: str = "utf-8"
    pinned: bool = False
    id: int = 0
    url: str = ""
    path: str = ""  # file path under the host dir
    date_style: int = 0
    keywords: str = ""

    @property
    def body_text(self) -> str:
        """Paragraphs as published; an "附件：" link list is not body text (it becomes attachments)."""
        return "\n".join(self.body_paragraphs)

    @property
    def body_paragraphs(self) -> list[str]:
        return [p for p in self.paragraphs if not (self.attachments and p.startswith("附件："))]


def _pick(rng: random.Random, seq):
    return seq[int(rng.random() * len(seq))]


def _int(rng: random.Random, lo: int, hi: int) -> int:
    return lo + int(rng.random() * (hi - lo + 1))


def _fill(rng: random.Random, template: str, ctx: dict) -> str:
    values = {
        "n": _int(rng, 12, 980), "k": _int(rng, 3, 36), "pct": _int(rng, 85, 98),
        "pct2": _int(rng, 90, 99), "n4": f"{_int(rng, 1000, 9999)}",
        "gbk": _pick(rng, GBK_NAMES),
    }
    values.update(ctx)
    return template.format(**values)


def _dates(rng: random.Random, count: int, start: date, end: date) -> list[datetime]:
    """``count`` distinct datetimes spread over [start, end], newest first."""
    span = (end - start).days
    out: set[datetime] = set()
    for i in range(count):
        lo = start + timedelta(days=span * i // count)
        day = lo + timedelta(days=_int(rng, 0, max(0, span // count - 1)))
        dt = datetime(day.year, day.month, day.day, _int(rng, 8, 18), _int(rng, 0, 59))
        while dt in out:
            dt += timedelta(minutes=7)
        out.add(dt)
    return sorted(out, reverse=True)


def _compose(rng: random.Random, topic: str, ctx: dict, n_paras: int, lead: str) -> tuple[str, list[str]]:
    """Title + ``n_paras`` paragraphs; no sentence template is used twice in one article."""
    titles, sentences = TOPICS[topic]
    title = _fill(rng, _pick(rng, titles), ctx)
    topic_pool = list(sentences)
    generic_pool = list(GENERIC_SENTENCES)
    rng.shuffle(topic_pool)
    rng.shuffle(generic_pool)
    pool = topic_pool + generic_pool
    paras = []
    for i in range(n_paras):
        count = 1 if n_paras == 1 else _int(rng, 1, 3)
        chosen = [_fill(rng, pool.pop(0), ctx) for _ in range(min(count, len(pool)))]
        if i == 0:
            chosen.insert(0, lead)
        if chosen:
            paras.append("".join(chosen))
    return title, paras


def _unique_title(seen: set[str], title: str, dt: datetime, place: str) -> str:
    """Deterministically disambiguate a repeated title the way editors do."""
    candidates = [title]
    if not title.startswith(place):
        candidates.append(f"{place}：{title}" if not title.startswith("关于") else f"{title}（{place}）")
    candidates.append(f"{title}（{dt.month}月{dt.day}日）")
    for c in candidates:
        if c not in seen:
            seen.add(c)
            return c
    raise AssertionError(f"cannot make title unique: {title}")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _short(title: str, limit: int = 24) -> str:
    return title if len(title) <= limit else title[:limit] + "..."


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
    return _expected("demo-haidian", HAIDIAN_HOST, arts, list_pages)


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


# --------------------------------------------------------------------------- Yanqing (Hanweb)

YQ_COLUMNS = [
    ("1001", "延庆要闻", 30, ["延庆区融媒体中心", "北京日报", "延庆区政府办", "延庆区融媒体中心"]),
    ("1002", "乡镇动态", 27, None),  # source = the town
]
YQ_FIRST_ID = 4870


def yanqing_articles() -> list[Article]:
    arts: list[Article] = []
    seen_titles: set[str] = set()
    for col, name, count, sources in YQ_COLUMNS:
        rng = random.Random(f"demo-yanqing/{col}")
        dts = _dates(rng, count, date(2020, 3, 3), date(2020, 12, 25))
        for idx, dt in enumerate(dts):
            town = _pick(rng, YQ_TOWNS)
            dept = _pick(rng, DEPTS)
            ctx = {"place": town if col == "1002" or idx % 2 else "延庆区", "dept": dept, "m": dt.month, "d": dt.day}
            topic = YQ_TOPICS[(idx * 3 + int(col)) % len(YQ_TOPICS)]
            lead = f"{dt.month}月{dt.day}日，{ctx['place']}" + _pick(
                rng, ["召开专题会议，研究部署相关工作。", "组织开展集中行动。", "召开工作调度会。",
                      "深入一线开展调研。", "举办专题培训会。"])
            n_paras = 1 if idx % 9 == 4 else _int(rng, 1, 8)
            title, paras = _compose(rng, topic, ctx, n_paras, lead)
            title = _unique_title(seen_titles, title, dt, town)
            old = dt < datetime(2020, 7, 1)
            a = Article(site="demo-yanqing", host=YANQING_HOST, column=name, col_key=col, title=title, dt=dt,
                        has_time=not old, source=(sources[idx % len(sources)] if sources else f"{town}"),
                        paragraphs=paras)
            if not old:
                pass
            else:
                a.dt = datetime(dt.year, dt.month, dt.day)
            a.date_style = idx % 3
            role = idx % 5
            if role == 1:
                rep = REPORTERS[(idx + 2) % len(REPORTERS)]
                a.paragraphs[-1] += f"（记者 {rep}）"
                a.authors = [rep]
            elif role == 3:
                a.author_in_info = WRITERS[(idx + 1) % len(WRITERS)]
                a.authors = [a.author_in_info]
            if idx % 4 == 2:
                a.editor = EDITORS[(idx + 3) % len(EDITORS)]
            arts.append(a)
    arts.sort(key=lambda a: (a.dt, a.col_key))
    rng = random.Random("demo-yanqing/ids")
    cur = YQ_FIRST_ID
    for a in arts:
        cur += _int(rng, 2, 25)
        a.id = cur
        a.path = f"art/{a.dt.year}/{a.dt.month}/{a.dt.day}/art_{a.col_key}_{a.id}.html"
        a.url = f"http://{YANQING_HOST}/{a.path}"
        a.body_html = "\n".join(f"<p style=\"text-indent: 2em;\">{_esc(p)}</p>" for p in a.paragraphs)
    return arts


YQ_NAV = [("首页", "/"), ("走进延庆", "/col/col1000/index.html"), ("延庆要闻", "/col/col1001/index.html"),
          ("乡镇动态", "/col/col1002/index.html"), ("政务公开", "/col/col2001/index.html"), ("政务服务", "/col/col3001/index.html")]
YQ_FOOTER = ("主办：北京市延庆区人民政府办公室　承办：延庆区融媒体中心<br>"
             "京ICP备10034432号　京公网安备 11022902000125号　网站标识码：1101190001")


def _yq_page(title: str, body: str) -> str:
    nav = "".join(f'<td><a href="{h}">{n}</a></td>' for n, h in YQ_NAV)
    return ("<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
            f"<title>{_esc(title)}</title>\n<script type=\"text/javascript\" src=\"/script/jquery.js\"></script>\n</head>\n"
            "<body leftmargin=\"0\" topmargin=\"0\">\n"
            "<table width=\"1000\" border=\"0\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\">\n"
            "<tr><td><img src=\"/images/banner.jpg\" width=\"1000\" height=\"120\"></td></tr>\n"
            f"<tr><td><table class=\"nav\" width=\"100%\"><tr>{nav}</tr></table></td></tr>\n</table>\n"
            f"{body}"
            "<table width=\"1000\" border=\"0\" align=\"center\" class=\"footer\"><tr><td align=\"center\">"
            f"{YQ_FOOTER}</td></tr></table>\n</body>\n</html>\n")


def yanqing_article_page(a: Article) -> str:
    d = a.dt
    cn = f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if a.has_time:
        date_line = (f"发布日期：{cn} {d:%H:%M}" if a.date_style != 1 else f"时间：{d:%Y-%m-%d %H:%M}")
    else:
        date_line = [f"发布日期：{cn}", f"时间：{d:%Y-%m-%d}", f"[{d:%Y-%m-%d}]"][a.date_style]
    info = f"{date_line}\u3000信息来源：{_esc(a.source)}"
    if a.author_in_info:
        info += f"\u3000作者：{a.author_in_info}"
    info += f"\u3000浏览次数：<span id=\"a_hits\"><script src=\"/module/visitcount/articlehits.jsp?colid={a.col_key}&amp;artid={a.id}\"></script></span>"
    editor = f'<tr><td class="editor" align="right">责任编辑：{a.editor}</td></tr>\n' if a.editor else ""
    body = (
        "<table width=\"1000\" border=\"0\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\" class=\"main\">\n"
        f"<tr><td class=\"crumb\">您当前的位置：<a href=\"/\">首页</a> &gt; <a href=\"/col/col{a.col_key}/index.html\">{a.column}</a></td></tr>\n"
        "<tr><td>\n<table width=\"96%\" border=\"0\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\">\n"
        f"<tr><td align=\"center\" class=\"title\" height=\"60\">{_esc(a.title)}</td></tr>\n"
        f"<tr><td align=\"center\" class=\"info\" height=\"30\">{info}</td></tr>\n"
        f"<tr><td class=\"bt_content\">\n<div id=\"zoom\">\n{a.body_html}\n</div>\n</td></tr>\n"
        f"{editor}"
        "<tr><td align=\"right\" class=\"tools\">【字体：<a href=\"javascript:doZoom(16)\">大</a> "
        "<a href=\"javascript:doZoom(14)\">中</a> <a href=\"javascript:doZoom(12)\">小</a>】"
        "【<a href=\"javascript:window.print()\">打印</a>】【<a href=\"javascript:window.close()\">关闭</a>】</td></tr>\n"
        "</table>\n</td></tr>\n</table>\n"
    )
    return _yq_page(f"{a.title}_北京市延庆区人民政府", body)


def yanqing_list_page(col: str, name: str, items: list[Article], page: int, pages: int, total: int,
                      pinned: list[Article]) -> str:
    def record(a: Article, top: bool) -> str:
        cls = ' class="top"' if top else ""
        zd = '<span class="zd">[置顶]</span>' if top else ""
        return (f"<record><![CDATA[<li{cls}>{zd}<a href=\"/{a.path}\" target=\"_blank\" title=\"{_attr(a.title)}\">"
                f"{_esc(_short(a.title, 26))}</a><span>{a.dt:%Y-%m-%d}</span></li>]]></record>\n")

    records = "".join(record(a, True) for a in pinned) + "".join(record(a, False) for a in items)
    datastore = (
        "<script type=\"text/xml\"><datastore>\n"
        f"<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={col}"
        "&unitid=5001&webname=北京市延庆区人民政府&permissiontype=0\"></a>]]></nextgroup>\n"
        f"<recordset>\n{records}</recordset>\n"
        f"<totalrecord>{total}</totalrecord>\n<totalpage>{pages}</totalpage>\n</datastore></script>\n"
    )
    pager = []
    for p in range(1, pages + 1):
        href = "index.html" if p == 1 else f"index.html?uid=0&amp;pageNum={p}"
        pager.append(f"<a href=\"{href}\">{p}</a>" if p != page else f"<span>{p}</span>")
    body = (
        "<table width=\"1000\" border=\"0\" align=\"center\" class=\"main\"><tr>\n"
        "<td width=\"220\" valign=\"top\" class=\"left\"><ul>"
        + "".join(f'<li><a href="/col/col{c}/index.html">{n}</a></li>' for c, n, _, _ in YQ_COLUMNS)
        + "</ul></td>\n<td valign=\"top\">\n"
        f"<div class=\"crumb\">您当前的位置：<a href=\"/\">首页</a> &gt; {name}</div>\n"
        f"<div id=\"{5000 + int(col)}\" class=\"list\">\n{datastore}</div>\n"
        f"<div class=\"pager\">共{total}条 {pages}页 {' '.join(pager)}</div>\n"
        "</td></tr></table>\n"
    )
    return _yq_page(f"{name}_北京市延庆区人民政府", body)


def build_yanqing(out: Path) -> dict:
    arts = yanqing_articles()
    files: dict[str, bytes] = {}
    list_pages: list[str] = []
    for col, name, _, _ in YQ_COLUMNS:
        items = sorted((a for a in arts if a.col_key == col), key=lambda a: a.dt, reverse=True)
        pages = -(-len(items) // HANWEB_PER_PAGE)
        pinned = [items[HANWEB_PER_PAGE + 3]] if col == "1001" else []
        for a in pinned:
            a.pinned = True
        for p in range(1, pages + 1):
            chunk = items[(p - 1) * HANWEB_PER_PAGE:p * HANWEB_PER_PAGE]
            text = yanqing_list_page(col, name, chunk, p, pages, len(items), pinned if p == 1 else [])
            if p == 1:
                fname, url = f"col/col{col}/index.html", f"http://{YANQING_HOST}/col/col{col}/index.html"
            else:
                fname = f"col/col{col}/index.html@uid=0&pageNum={p}"
                url = f"http://{YANQING_HOST}/col/col{col}/index.html?uid=0&pageNum={p}"
            files[fname] = text.encode("utf-8")
            list_pages.append(url)
        for a in items:
            files[a.path] = yanqing_article_page(a).encode("utf-8")
    home_lists = []
    for col, name, _, _ in YQ_COLUMNS:
        items = sorted((a for a in arts if a.col_key == col), key=lambda a: a.dt, reverse=True)[:7]
        lis = "".join(f'<li><a href="/{a.path}" title="{_attr(a.title)}">{_esc(_short(a.title, 20))}</a></li>' for a in items)
        home_lists.append(f'<td valign="top"><h3><a href="/col/col{col}/index.html">{name}</a></h3><ul>{lis}</ul></td>')
    files["index.html"] = _yq_page("北京市延庆区人民政府", "<table width=\"1000\" align=\"center\"><tr>"
                                   + "".join(home_lists) + "</tr></table>\n").encode("utf-8")
    files["robots.txt"] = b"User-agent: *\nDisallow: /search/\nDisallow: /module/\n"
    _write_files(out / YANQING_HOST, files)
    return _expected("demo-yanqing", YANQING_HOST, arts, list_pages)


# --------------------------------------------------------------------------- output


def _write_files(host_dir: Path, files: dict[str, bytes]) -> None:
    for rel in sorted(files):
        path = host_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])


def _expected(slug: str, host: str, arts: list[Article], list_pages: list[str]) -> dict:
    rows = []
    order = {name: i for i, name in enumerate([c[1] for c in HD_COLUMNS] + [c[1] for c in YQ_COLUMNS])}
    for a in sorted(arts, key=lambda a: (order[a.column], -a.dt.timestamp(), a.id)):
        text = a.body_text
        rows.append({
            "url": a.url,
            "column": a.column,
            "title": a.title,
            "published_at": f"{a.dt:%Y-%m-%dT%H:%M:00}+08:00",
            "has_time": a.has_time,
            "source": a.source,
            "authors": a.authors,
            "editor": a.editor,
            "body_start": text[:30],
            "body_end": text[-30:],
            "body_paragraphs": len(a.body_paragraphs),
            "attachments": [{"url": x["url"], "name": x["name"].removeprefix("附件：")} for x in a.attachments],
            "images": a.images,
            "pinned": a.pinned,
            "encoding": a.encoding,
        })
    return {"slug": slug, "host": host, "articles": rows, "list_pages": list_pages,
            "robots": f"http://{host}/robots.txt", "_bodies": [a.body_text for a in arts]}


def build(www: Path = WWW_DIR, expected_dir: Path = EXPECTED_DIR) -> list[dict]:
    """Regenerate both sites under ``www`` and their expectations under ``expected_dir``."""
    seed_title, seed_html = load_seed()
    for host in (HAIDIAN_HOST, YANQING_HOST):
        if (www / host).exists():
            shutil.rmtree(www / host)
    www.mkdir(parents=True, exist_ok=True)
    expected_dir.mkdir(parents=True, exist_ok=True)
    results = [build_haidian(www, seed_title, seed_html), build_yanqing(www)]
    for exp in results:
        bodies = exp.pop("_bodies")
        if len(set(bodies)) != len(bodies):
            raise AssertionError(f"{exp['slug']}: two demo articles share a body text")
        titles = [row["title"] for row in exp["articles"]]
        if len(set(titles)) != len(titles):
            raise AssertionError(f"{exp['slug']}: two demo articles share a title")
        (expected_dir / f"{exp['slug']}.json").write_text(
            json.dumps(exp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo.build", description=__doc__.splitlines()[0])
    parser.add_argument("--www", type=Path, default=WWW_DIR)
    parser.add_argument("--expected", type=Path, default=EXPECTED_DIR)
    args = parser.parse_args(argv)
    results = build(args.www, args.expected)
    for exp in results:
        cols: dict[str, int] = {}
        for row in exp["articles"]:
            cols[row["column"]] = cols.get(row["column"], 0) + 1
        print(f"{exp['slug']}: {len(exp['articles'])} articles {cols}, {len(exp['list_pages'])} list pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
