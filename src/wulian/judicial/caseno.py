"""Chinese case numbers (案号): parse, validate, write canonically. Pure: stdlib only.

Court case numbers follow 《最高人民法院关于人民法院案件案号的若干规定》 (法〔2015〕137号,
in force 2016-01-01): "（" + 收案年度 + "）" + 法院代字 + 类型代字 + 案件编号 + "号",
e.g. ``（2023）鄂02民初123号``.

- 收案年度: four digits, in (full-width) round brackets.
- 法院代字: the province's abbreviation (``鄂``: the high court), then 2 digits for an intermediate
  court (``鄂02``: Huangshi; the digits are the city's administrative division code) or 4 for a
  basic court (``鄂0202``), or ``最高法`` for the Supreme People's Court; ``兵`` is the Xinjiang
  Production and Construction Corps branch. Specialised courts use the same shape (``鄂71``).
- 类型代字: at most three characters from 《人民法院案件类型及其代字标准》 (``CASE_TYPES``).
- 案件编号: the serial in the year, no leading zeros (不编虚位), no "第".

Input is forgiving: half-width or full-width brackets ``()（）`` (also ``〔〕[]【】``),
spaces, full-width digits, and a stray "第" before the serial are accepted; ``canonical`` is the
standard form with full-width brackets. Pre-2016 numbers (``(2015)鄂民二终字第00123号``) are
refused with a message that says so: the reviews this app files are 2016 or later. There is
no 商初: since 2016 commercial cases are numbered as civil ones (民初, 民终 …).

Procuratorate document numbers (``黄检民监〔2023〕12号``: 院代字 + 检 + 业务代字 + 〔年度〕 +
序号 + 号) are parsed too, with a small table of the business codes this app meets
(``PROCURATORATE_TYPES``); their canonical form keeps the 六角括号.

Every refusal is a ``CaseNumberError`` whose text (Chinese) says what is wrong.

Sources and versions of the tables (issue 14; docs/adr/0019-domain-rules.md):

- 《关于人民法院案件案号的若干规定》 and 《人民法院案件类型及其代字标准》, 法〔2015〕137号, in
  force 2016-01-01 (10 classes, 52 middle classes, 131 types as announced by the court).
- 法〔2016〕37号 《最高人民法院关于确定人身安全保护令案件及其类型代字的通知》: adds 民保令
  (人身安全保护令申请审查案件) and 民保更 (人身安全保护令变更案件), from 2016-03-01.
- 法〔2018〕335号 《关于修改〈关于人民法院案件案号的若干规定〉的决定》: adds the 专门审判代字
  (one character, placed before the 类型代字; 知 for the intellectual-property cases listed by
  the court), hence 知民初 / 知民终 / 知行初 / 知行终 (kept as whole codes in ``CASE_TYPES``).
- The codes of the consolidated table as later extended (停止执行死刑 刑止 …, 安置教育 刑教 …,
  the 国家赔偿与司法救助 class, 司法制裁, 非诉保全, 强制清算与破产) were checked against a public
  transcription of the consolidated table that gives each type's number (0100–1114), name
  and code; the revision notice that introduced 刑止 and 刑教 was not found, so their labels
  follow that transcription. Codes we could not confirm are not in the table (a refusal is
  better than a guess).

Renamed codes. Earlier versions of this module had 强清申 and 强清终, which are not in the
standard: it has 清申 (强制清算申请审查案件), 清终 (强制清算上诉案件) and 清监 (强制清算监督案件),
and keeps 强清 for the 强制清算案件 itself. Case numbers already stored with 强清申 / 强清终 are
accepted on input as aliases (``CASE_TYPE_ALIASES``) and written canonically with the
standard's code, with no data migration: the stored text is what the user typed and the
court's own number never had 强清申, so re-reading it yields the court's number; a migration
rewriting stored numbers would change records in a table another change is reworking, for no
gain over reading them right.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: 法院代字 prefixes → province-level division (court numbering abbreviations: Yunnan is 云,
#: Inner Mongolia 内; the common 滇/蒙/贵 are accepted as aliases).
PROVINCES: dict[str, str] = {
    "京": "北京市",
    "津": "天津市",
    "冀": "河北省",
    "晋": "山西省",
    "内": "内蒙古自治区",
    "蒙": "内蒙古自治区",
    "辽": "辽宁省",
    "吉": "吉林省",
    "黑": "黑龙江省",
    "沪": "上海市",
    "苏": "江苏省",
    "浙": "浙江省",
    "皖": "安徽省",
    "闽": "福建省",
    "赣": "江西省",
    "鲁": "山东省",
    "豫": "河南省",
    "鄂": "湖北省",
    "湘": "湖南省",
    "粤": "广东省",
    "桂": "广西壮族自治区",
    "琼": "海南省",
    "渝": "重庆市",
    "川": "四川省",
    "黔": "贵州省",
    "贵": "贵州省",
    "云": "云南省",
    "滇": "云南省",
    "藏": "西藏自治区",
    "陕": "陕西省",
    "甘": "甘肃省",
    "青": "青海省",
    "宁": "宁夏回族自治区",
    "新": "新疆维吾尔自治区",
    "兵": "新疆生产建设兵团",
}
SUPREME_COURT = "最高法"

#: 类型代字 → case type (人民法院案件类型及其代字标准: 法〔2015〕137号 and its revisions, see
#: the module docstring). Grouped as the standard's classes (一级类型) are.
CASE_TYPES: dict[str, str] = {
    # 01 管辖
    "刑辖": "刑事管辖案件",
    "民辖": "民事管辖案件",
    "民辖终": "民事管辖上诉案件",
    "民辖监": "民事管辖监督案件",
    "行辖": "行政管辖案件",
    "行辖终": "行政管辖上诉案件",
    "赔辖": "行政赔偿管辖案件",
    "赔辖终": "行政赔偿管辖上诉案件",
    # 02 刑事
    "刑初": "刑事一审案件",
    "刑终": "刑事二审案件",
    "刑监": "刑事依职权再审审查案件",
    "刑申": "刑事申诉再审审查案件",
    "刑抗": "刑事抗诉再审审查案件",
    "刑再": "刑事再审案件",
    "刑核": "刑事复核案件",
    "刑更": "刑罚与执行变更审查案件",
    "刑更监": "刑罚与执行变更监督案件",
    "刑更备": "刑罚与执行变更备案案件",
    "刑医": "强制医疗审查案件",
    "刑医解": "解除强制医疗审查案件",
    "刑医复": "强制医疗复议案件",
    "刑医监": "强制医疗监督案件",
    "刑没": "申请没收违法所得案件",
    "刑止": "停止执行死刑案件",
    "刑止调": "停止执行死刑调查案件",
    "刑止核": "停止执行死刑调查审核案件",
    "刑教": "申请安置教育审查案件",
    "刑教解": "解除安置教育审查案件",
    "刑教复": "安置教育复议案件",
    "刑教监": "安置教育监督案件",
    "刑他": "其他刑事案件",
    # 03 民事
    "民初": "民事一审案件",
    "民终": "民事二审案件",
    "民监": "民事依职权再审审查案件",
    "民申": "民事申请再审审查案件",
    "民抗": "民事抗诉再审审查案件",
    "民再": "民事再审案件",
    "民撤": "第三人撤销之诉案件",
    "民特": "特别程序案件",
    "民特监": "特别程序监督案件",
    "民催": "公示催告案件",
    "民督": "申请支付令审查案件",
    "民督监": "支付令监督案件",
    "民保令": "人身安全保护令申请审查案件",  # 法〔2016〕37号
    "民保更": "人身安全保护令变更案件",  # 法〔2016〕37号
    "民他": "其他民事案件",
    # 知识产权 (专门审判代字 知 + 类型代字, 法〔2018〕335号)
    "知民初": "知识产权民事一审案件",
    "知民终": "知识产权民事二审案件",
    "知行初": "知识产权行政一审案件",
    "知行终": "知识产权行政二审案件",
    # 04 行政
    "行初": "行政一审案件",
    "行终": "行政二审案件",
    "行监": "行政依职权再审审查案件",
    "行申": "行政申请再审审查案件",
    "行抗": "行政抗诉再审审查案件",
    "行再": "行政再审案件",
    "行审": "非诉行政行为申请执行审查案件",
    "行审复": "非诉行政行为申请执行审查复议案件",
    "行他": "其他行政案件",
    # 05 国家赔偿与司法救助: 行政赔偿
    "行赔初": "行政赔偿一审案件",
    "行赔终": "行政赔偿二审案件",
    "行赔监": "行政赔偿依职权再审审查案件",
    "行赔申": "行政赔偿申请再审审查案件",
    "行赔抗": "行政赔偿抗诉再审审查案件",
    "行赔再": "行政赔偿再审案件",
    "行赔他": "其他行政赔偿案件",
    # 司法赔偿
    "法赔": "法院作为赔偿义务机关自赔案件",
    "委赔": "赔偿委员会审理赔偿案件",
    "委赔监": "司法赔偿监督审查案件",
    "赔确监": "赔偿确认申诉审查案件",
    "委赔提": "司法赔偿监督上级法院赔偿委员会重审案件",
    "委赔再": "司法赔偿监督本院赔偿委员会重审案件",
    "赔他": "其他赔偿案件",
    # 司法救助
    "司救刑": "刑事司法救助案件",
    "司救民": "民事司法救助案件",
    "司救行": "行政司法救助案件",
    "司救赔": "国家赔偿司法救助案件",
    "司救执": "执行司法救助案件",
    "司救访": "涉诉信访司法救助案件",
    "司救他": "其他司法救助案件",
    # 08 司法制裁
    "司惩": "司法制裁审查案件",
    "司惩复": "司法制裁复议案件",
    # 09 非诉保全审查
    "财保": "非诉财产保全审查案件",
    "行保": "非诉行为保全审查案件",
    "行保复": "非诉行为保全复议案件",
    "证保": "非诉证据保全审查案件",
    # 10 执行
    "执": "首次执行案件",
    "执恢": "恢复执行案件",
    "执保": "财产保全执行案件",
    "执异": "执行异议案件",
    "执复": "执行复议案件",
    "执监": "执行监督案件",
    "执协": "执行协调案件",
    "执他": "其他执行案件",
    # 11 强制清算与破产
    "清申": "强制清算申请审查案件",
    "破申": "破产申请审查案件",
    "清终": "强制清算上诉案件",
    "破终": "破产上诉案件",
    "清监": "强制清算监督案件",
    "破监": "破产监督案件",
    "强清": "强制清算案件",
    "破": "破产案件",
}

#: Codes this module once accepted that the standard does not have → the standard's code.
#: Accepted on input so that numbers stored with them still read (module docstring).
CASE_TYPE_ALIASES: dict[str, str] = {
    "强清申": "清申",
    "强清终": "清终",
}

#: 业务代字 of procuratorate document numbers this app meets (not an official exhaustive list).
PROCURATORATE_TYPES: dict[str, str] = {
    "民监": "民事诉讼监督案件",
    "行监": "行政诉讼监督案件",
    "民执监": "民事执行监督案件",
    "行执监": "行政执行监督案件",
    "刑抗": "刑事抗诉案件",
    "刑申": "刑事申诉案件",
    "控申": "控告申诉案件",
    "民建": "民事检察建议",
    "行建": "行政检察建议",
    "刑建": "刑事检察建议",
    "检建": "检察建议",
}

_OPEN = "(（[［【〔"
_CLOSE = ")）]］】〕"
_HAN = r"\u4e00-\u9fff"
_COURT_BODY = re.compile(rf"^(?P<court>{SUPREME_COURT}|[{_HAN}])(?P<digits>[0-9]*)(?P<rest>.*)$")
_PROCURATORATE = re.compile(
    rf"^(?P<org>[{_HAN}]{{1,8}}?)检(?P<type>[{_HAN}]{{1,4}})\((?P<year>[^)]*)\)(?P<rest>.*)$"
)
FIRST_YEAR, LAST_YEAR = 1949, 2100
_DIGITS = frozenset("0123456789")
COURT_LEVELS = {0: "高级人民法院", 2: "中级人民法院", 4: "基层人民法院"}


class CaseNumberError(ValueError):
    """A malformed case number; ``str(error)`` is a Chinese sentence that says what is wrong."""


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str  # 法院代字 ("鄂02"), or the procuratorate's prefix ("黄检")
    court_province: str  # "湖北省"; "" for the Supreme People's Court or when unknown
    case_type_code: str  # 类型代字 ("民初")
    case_type: str  # "民事一审案件"
    serial: int
    canonical: str  # "（2023）鄂02民初123号"
    authority: str = "court"  # "court" or "procuratorate"

    @property
    def court_level(self) -> str:
        """高级/中级/基层人民法院 (from the digits of the 法院代字); "" when not a local court."""
        if self.authority != "court" or self.court_code == SUPREME_COURT:
            return ""
        digits = len(self.court_code) - 1
        return COURT_LEVELS.get(digits, "")

    def __str__(self) -> str:
        return self.canonical


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(text.split())
    for o in _OPEN:
        text = text.replace(o, "(")
    for c in _CLOSE:
        text = text.replace(c, ")")
    return text


def _year(raw: str) -> int:
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit()):
        raise CaseNumberError("年份应为四位数字，写在括号内")
    year = int(raw)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CaseNumberError(f"年份「{raw}」不合理")
    return year


def _serial(after: str) -> int:
    """The serial and the closing 号 (whatever follows the 类型代字 and an optional 第)."""
    end = next((i for i, ch in enumerate(after) if ch not in _DIGITS), len(after))
    serial, tail = after[:end], after[end:]
    if not serial:
        raise CaseNumberError("缺少序号")
    if tail != "号":
        if not tail:
            raise CaseNumberError("应以「号」结尾")
        if tail.startswith("号"):
            raise CaseNumberError(f"「号」之后不应再有「{tail[1:]}」")
        raise CaseNumberError(f"序号后应只有「号」字，多出了「{tail}」")
    number = int(serial)
    if number < 1:
        raise CaseNumberError("序号应为正整数")
    return number


def parse(text: str) -> CaseNumber:
    """Parse a court case number or a procuratorate document number; raise ``CaseNumberError``."""
    s = _clean(text)
    if not s:
        raise CaseNumberError("请填写案号")
    if not s.startswith("("):
        if (m := _PROCURATORATE.match(s)) is not None:
            return _procuratorate(m)
        if re.match(r"^[0-9]{4}", s):
            raise CaseNumberError("年份应为四位数字，写在括号内")
        if "检" in s and "(" in s:
            raise CaseNumberError("检察院文号应为「院代字＋检＋业务代字〔年份〕序号号」")
        raise CaseNumberError("案号应以括号内的四位年份开头，例如「(2023)鄂02民初123号」")
    close = s.find(")")
    if close < 0:
        raise CaseNumberError("年份应为四位数字，写在括号内")
    year = _year(s[1:close])
    body = s[close + 1 :]
    if not body:
        raise CaseNumberError("缺少法院代字")
    m = _COURT_BODY.match(body)
    if m is None:
        raise CaseNumberError(f"法院代字应以省份简称开头，而不是「{body[0]}」")
    court, digits, rest = m["court"], m["digits"], m["rest"]
    if court != SUPREME_COURT and court not in PROVINCES:
        raise CaseNumberError(f"未知的省份简称「{court}」")
    if court == SUPREME_COURT and digits:
        raise CaseNumberError("最高人民法院的代字「最高法」后不跟数字")
    if rest in ("", "号") or rest[0] in _DIGITS:
        raise CaseNumberError("缺少案件类型代字")
    if len(digits) not in COURT_LEVELS:
        raise CaseNumberError(
            f"法院代字「{court}{digits}」有误：省份简称后应为2位（中级法院）或4位（基层法院）数字"
        )
    first_digit = next((i for i, ch in enumerate(rest) if ch in _DIGITS), len(rest))
    code, after = rest[:first_digit], rest[first_digit:]
    if "字第" in code or code.endswith("字"):
        raise CaseNumberError("这是2016年以前的旧案号格式（含「字第」），请填写现行案号")
    code = code.removesuffix("第")
    if not after:
        code = code.removesuffix("号")
    if not code:
        raise CaseNumberError("缺少案件类型代字")
    code = CASE_TYPE_ALIASES.get(code, code)
    if code not in CASE_TYPES:
        raise CaseNumberError(f"未知的案件类型代字「{code}」")
    serial = _serial(after)
    court_code = f"{court}{digits}"
    return CaseNumber(
        year=year,
        court_code=court_code,
        court_province=PROVINCES.get(court, "") if court != SUPREME_COURT else "",
        case_type_code=code,
        case_type=CASE_TYPES[code],
        serial=serial,
        canonical=f"（{year}）{court_code}{code}{serial}号",
    )


def _procuratorate(m: re.Match) -> CaseNumber:
    org, code = m["org"], m["type"]
    year = _year(m["year"])
    if code not in PROCURATORATE_TYPES:
        raise CaseNumberError(f"未知的检察业务代字「{code}」")
    serial = _serial(m["rest"].removeprefix("第"))
    return CaseNumber(
        year=year,
        court_code=f"{org}检",
        court_province=PROVINCES.get(org[0], "") if len(org) > 1 else "",
        case_type_code=code,
        case_type=PROCURATORATE_TYPES[code],
        serial=serial,
        canonical=f"{org}检{code}〔{year}〕{serial}号",
        authority="procuratorate",
    )


def canonical(text: str) -> str:
    """The standard form of a case number (raises ``CaseNumberError`` when malformed)."""
    return parse(text).canonical
