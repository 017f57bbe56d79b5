"""Document metadata: headline, publication date, source line and place of one article.

Scraped provincial articles carry their metadata as loose text: a headline on the first
line (or not: some files run it into the lead, some start with the body), a date line
("Ngày đăng: 18-12-2023", "Thứ tư, 1/5/2024", "Cập nhật: 10:20 01/05/2024"), and a byline
or source line at either end ("BDK - …", "Nguồn: baodongkhoi.vn", "Theo Phan Trang(Báo Sơn
La)"). Only the article's head and foot are read for dates and sources, never the body
or the related-news lists after it, whose dates and outlets belong to other articles.

The words of these lines come from patterns/metadata.yaml (outlet codes' letters from
sources.yaml); the patterns are built from them here, once per process. `Article` is what
the pipeline knows of an article: its title at once, the rest only when asked for.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import regex

from xhs_extract import regexes
from xhs_extract.errors import METADATA_LINES
from xhs_extract.geo import (
    Place,
    article_end,
    as_named_on,
    commune_named_after_district,
    document_place,
    figure_place,
    fold,
    named_commune_in,
    topic_place,
)
from xhs_extract.jsonl import read_lines
from xhs_extract.language import metadata_data, places_data, sources_data
from xhs_extract.models import Geo

__all__ = [
    "Article",
    "ArticleMeta",
    "DocumentMeta",
    "document_metadata",
    "find_published",
    "find_source",
    "find_title",
    "read_metadata",
]


@dataclass(frozen=True)
class DocumentMeta:
    """What an article says about itself. `published` is ISO ("2023-12-18") or None."""

    title: str | None
    published: str | None
    source: str | None
    place: Place | None
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------
# Title

TITLE_MAX_CHARS = 220
TITLE_MAX_WORDS = 40
HEAD_LINES = 6  # lines at the top that may hold the headline, dateline and byline
FOOT_LINES = 6  # lines at the bottom of the article that may hold the source line

_WORDS = metadata_data()  # the words of patterns/metadata.yaml; the patterns are built here


_SPACES = r"\s+"  # a run of spaces
_ANY_SPACES = r"\s*"  # any spaces, or none


def _either(phrases: Iterable[str], space: str = " ") -> str:
    """Phrases as regex alternatives, in the order given. Within a phrase, a space between
    words stands for `space`; punctuation ("bài, ảnh", "bài / ảnh") may have any spaces
    around it."""
    alternatives = []
    for phrase in phrases:
        tokens = regexes.findall(r"[\p{L}\p{M}\d]+|[^\s\p{L}\p{M}\d]", phrase)
        pattern = regex.escape(tokens[0])
        for before, token in itertools.pairwise(tokens):
            words = before[-1].isalnum() and token[0].isalnum()
            pattern += (space if words else _ANY_SPACES) + regex.escape(token)
        alternatives.append(pattern)
    return "|".join(alternatives)


_DATE = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d{2})"
_DATE_WORDS = (
    rf"(?i:{_either([_WORDS.day_word])})\s+(?P<d>\d{{1,2}})"
    rf"\s+(?i:{_either([_WORDS.month_word])})\s+(?P<m>\d{{1,2}})"
    rf"\s+(?i:{_either([_WORDS.year_word])})\s+(?P<y>(?:19|20)\d{{2}})"
)
_TIME = (
    rf"\d{{1,2}}\s*[:hg]\s*\d{{2}}(?:\s*:\s*\d{{2}})?(?:\s*(?i:{_either(_WORDS.time_suffixes)}))?"
    rf"(?:\s*\(?(?:{_either(_WORDS.time_zones)})\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?\)?)?"
)
# "Thứ tư", "Thứ 4", "Chủ nhật", "CN", "T4"
_WEEKDAY = (
    rf"(?i:{_either([_WORDS.weekday_word])}\s*(?:{_either(_WORDS.weekday_names)}|[2-7])"
    rf"|{_either(_WORDS.sunday_names, _ANY_SPACES)}|{_either(_WORDS.weekday_abbreviations)}"
    rf"|{_either([_WORDS.weekday_number_prefix])}[2-7])"
)

_METADATA_LINE = regexes.compile(
    rf"^\s*(?:(?i:{_either(_WORDS.metadata_line_labels)})\b"
    rf"|{_WEEKDAY}\s*,|{_DATE}\s*(?:[-|,]\s*)?(?:{_TIME})?\s*$|(?:{_TIME})\s*[-|,]?\s*{_DATE}\s*$"
    rf"|(?i:{_either(_WORDS.breadcrumb_home)})\s*[>»/|])"
)
# Breadcrumbs: "Trang chủ > Tin tức > Chuyển đổi số". Apart, and only on lines with a ">" or
# "»": scanning every headline for it took nine tenths of the time spent on titles.
_BREADCRUMB = regexes.compile(r"^[^\n]*\s[>»]\s[^\n]*\s[>»]\s")


def _is_metadata_line(line: str) -> bool:
    """A dateline, counter, category or breadcrumb line above the headline."""
    if _METADATA_LINE.match(line):
        return True
    return ("»" in line or ">" in line) and _BREADCRUMB.match(line) is not None


def _nonempty_lines(text: str) -> list[tuple[int, str]]:
    """(offset, stripped line) for each line with text."""
    return list(_iter_nonempty_lines(text))


def _iter_nonempty_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, stripped line) for each line with text, as `str.splitlines` cuts lines,
    produced lazily: a headline needs the first lines of an article, not all of them.
    Lines are cut at "\\n" first (a fast search), then at any other line break inside."""
    offset = 0
    length = len(text)
    while offset < length:
        newline = text.find("\n", offset)
        stop = length if newline < 0 else newline + 1
        segment = text[offset:stop]
        for line in segment.splitlines(keepends=True):
            stripped = line.strip()
            if stripped:
                yield offset, stripped
            offset += len(line)


def find_title(text: str) -> str | None:
    """The headline: the first line with text, when it reads like one.

    A headline is short (at most ~220 characters and 40 words), is followed by more
    text, starts with a capital or digit and does not end like a sentence (".", ",",
    ";", ":"). Date and counter lines above it are skipped. Files that start straight
    with the body, or run the headline into the lead, give None.
    """
    lines = _iter_nonempty_lines(text)  # only the first few are cut from the text
    for _, line in itertools.islice(lines, 3):
        if _is_metadata_line(line):
            continue
        if next(lines, None) is None:
            return None  # the whole file is one paragraph: body, not a headline
        words = line.split()
        if (
            len(line) <= TITLE_MAX_CHARS
            and 2 <= len(words) <= TITLE_MAX_WORDS
            and (line[0].isupper() or line[0].isdigit() or line[0] in "\"“'‘")
            and line[-1] not in ".,;:"
        ):
            return line
        return None
    return None


# ---------------------------------------------------------------------------------------
# Publication date

# "Cập nhật lúc 15:30 ngày 02/03/2026": the day word between a time and its date
_DAY_WORD = rf"(?:(?i:{_either([_WORDS.day_word])})\s+)?"
_LABELLED_STRONG = regexes.compile(
    rf"(?i:{_either(_WORDS.published_labels)})\s*:?\s*"
    rf"(?:{_WEEKDAY}\s*,?\s*)?(?:{_TIME}\s*[-|,]?\s*{_DAY_WORD})?(?:{_DATE}|{_DATE_WORDS})"
)
_LABELLED_UPDATE = regexes.compile(
    rf"(?i:{_either(_WORDS.updated_labels)})\s*:?\s*"
    rf"(?:{_WEEKDAY}\s*,?\s*)?(?:{_TIME}\s*[-|,]?\s*{_DAY_WORD})?(?:{_DATE}|{_DATE_WORDS})"
)
# "Thứ tư, 1/5/2024", "Thứ Năm, 14:25, 21/08/2025"
_DATELINE = regexes.compile(
    rf"(?<![\p{{L}}\p{{M}}]){_WEEKDAY}\s*,?\s*(?:{_TIME}\s*[,|-]?\s*)?"
    rf"(?i:{_either([_WORDS.day_word])}\s*)?{_DATE}"
)
_DATE_ONLY_LINE = regexes.compile(
    rf"^\s*(?:(?:{_TIME})\s*[-|,]?\s*)?{_DATE}\s*(?:[-|,]?\s*{_TIME})?\s*$"
)


def _iso(match: regex.Match) -> str | None:
    """The match's day, month and year as ISO, or None when they are no real date."""
    try:
        day = _dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None
    return day.isoformat()


HEAD_CHARS = 2_000  # the head's lines are looked for in this much text …
FOOT_CHARS = 3_000  # … and the foot's in this much before the page furniture


@functools.lru_cache(maxsize=4)
def _edges(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The article's first and last few lines (the foot ends where page furniture starts).

    Only the two ends of the text are read and folded: this runs on every document of a
    crawl. Cached, because the date and the source are both looked for in the same lines.
    """
    end = article_end(text)
    head_text = fold(text[: min(end, HEAD_CHARS)])
    head_lines = [line for _, line in _nonempty_lines(head_text)]
    if end > HEAD_CHARS:
        head_lines = head_lines[:-1]  # the last line may be cut by the window
    foot_start = max(0, end - FOOT_CHARS)
    foot_lines = [line for _, line in _nonempty_lines(fold(text[foot_start:end]))]
    if foot_start > 0:
        foot_lines = foot_lines[1:]
    head = head_lines[:HEAD_LINES]
    # The foot never includes the first line (the headline) and does not repeat the head
    # in long articles; a short article's lines can be both.
    if foot_start == 0:
        foot = foot_lines[max(1, len(foot_lines) - FOOT_LINES) :]
    else:
        foot = foot_lines[-FOOT_LINES:]
    return tuple(head), tuple(foot)


def find_published(text: str) -> str | None:
    """The publication date as ISO "YYYY-MM-DD", from the article's head or foot.

    In order of trust: a labelled date ("Ngày đăng: 18-12-2023", "Xuất bản: …"), a weekday
    dateline ("Thứ tư, 1/5/2024"), an update stamp ("Cập nhật: 10:20 01/05/2024"), a line
    that is only a date. A date inside a sentence ("ngày 31/03/2022 của Thủ tướng") is not
    a publication date, nor is any date in the related news after the article.
    """
    head, foot = _edges(text)
    # Datelines and stamps are short lines; a paragraph is no place for them.
    lines = list(head) + [line for line in foot if line not in head]
    edge_lines = [line for line in lines if len(line) <= 300]
    for pattern in (_LABELLED_STRONG, _DATELINE, _LABELLED_UPDATE):
        for line in edge_lines:
            if pattern is _LABELLED_STRONG and len(line) > 160:
                continue  # a long line is a sentence: "Ngày 18/12/2023, UBND tỉnh …"
            for match in pattern.finditer(line):
                if pattern is _LABELLED_STRONG and not _is_label(line, match):
                    continue
                iso = _iso(match)
                if iso:
                    return iso
    for line in edge_lines:
        match = _DATE_ONLY_LINE.match(line)
        if match and (iso := _iso(match)):
            return iso
    for line in head[1:]:  # "Báo Gia Lai - 09/01/2024" under the headline
        match = _OUTLET_DATE_LINE.match(line)
        if match and (iso := _iso(match)):
            return iso
    for line in edge_lines:
        match = _PLACE_DATE_LINE.match(line)
        if match and (iso := _iso(match)):
            return iso
    for line in foot:
        match = _BYLINE_DATE_LINE.match(line)
        if match and (iso := _iso(match)):
            return iso
    return None


# "Báo Gia Lai - 09/01/2024": an outlet's name and the date, alone on a line under the headline.
_OUTLET_DATE_LINE = regexes.compile(
    rf"^(?:[\p{{Lu}}][\p{{L}}\p{{M}}.]*\s*){{1,6}}[-–|,]\s*{_DATE}(?:\s*[-|,]?\s*{_TIME})?\s*$"
)


# "Khánh Thiện, ngày 08 tháng 10 năm 2024": the place and date line of an official notice.
_PLACE_DATE_LINE = regexes.compile(
    rf"^\s*(?:[\p{{Lu}}][\p{{L}}\p{{M}}.]*\s*){{1,5}},\s*(?:{_DATE_WORDS}|{_DAY_WORD}{_DATE})\s*\.?\s*$"
)


# "Ngọc Trâm – Minh Tâm | Đài PT&TH Đồng Tháp | 23/05/2025", "Thu Hằng – 23/10/2025": a
# byline ending with the date.
_BYLINE_DATE_LINE = regexes.compile(rf"^[^\n.!?;]{{1,100}}[|–-]\s*{_DATE}\s*$")


def _is_label(line: str, match: regex.Match) -> bool:
    """A bare "Ngày" counts as a label only as "Ngày: …" or at the start of a short line."""
    label = match.group(0).split(":")[0].strip().lower()
    if not label.startswith(_WORDS.day_word) or label.startswith(_WORDS.full_day_labels):
        return True
    return ":" in match.group(0) or (match.start() == 0 and len(line) <= 40)


# ---------------------------------------------------------------------------------------
# Source

_NGUON = regexes.compile(
    rf"(?:(?:^|[(|–-])\s*(?i:{_either(_WORDS.source_labels, _SPACES)})\s*:"
    rf"|(?i:{_either(_WORDS.quoted_source_labels, _SPACES)})\s*:?)"
    r"\s*(?P<v>[^()\n|]+?)\s*(?:\)|\||$)"
)
# Lines holding one of these are looked at for a source line at all.
_SOURCE_WORDS = tuple(label.lower() for label in _WORDS.source_labels)
_THEO_LINE = regexes.compile(rf"^(?i:{_either(_WORDS.according_to)})\s+(?P<v>[^\n]{{2,100}})$")
_THEO_TAIL = regexes.compile(
    rf"\(\s*(?i:{_either(_WORDS.according_to)})\s+(?P<v>[^()\n]{{2,60}})\)\s*$"
)
# "TTXVN - …", "(BDK) - …", "(GLO)- …", "(CMO) Ở …", "(Báo Thái Nguyên) - …", "(Baodongthap.vn) - …"
_CODE = f"[{sources_data().code_letters}][{sources_data().code_letters}.]{{1,7}}"
_BYLINE_CODE = regexes.compile(
    rf"^\s*(?:(?P<v>{_CODE})\s*[-–—]\s*\S"
    rf"|\((?P<v>{_CODE}|(?:{_either(_WORDS.byline_outlet_kinds)})\s[^()]{{2,40}}"
    r"|[\w.-]+\.(?:vn|com|net))\)"
    r"\s*(?:[-–—]\s*)?\S)"
)
_AUTHOR = regexes.compile(
    rf"^(?i:{_either(_WORDS.author_labels, _SPACES)})\s*:\s*"
    r"(?P<v>[^\n|]{2,60}?)\s*$"
)
# "Thu Hằng (Báo Quảng Ninh)": an author's name with the outlet in brackets, on its own line.
_AUTHOR_OUTLET = regexes.compile(
    r"^\p{Lu}[\p{L}\p{M} .]{1,40}\s*\(\s*"
    rf"(?:{_either(_WORDS.author_outlet_heads)})[^()\n]{{0,40}}\)$"
)


def find_source(text: str) -> str | None:
    """The byline or source line: the outlet when one is named, else the author.

    In order: "Nguồn: baodongkhoi.vn" or "(Trích nguồn binhthuan.gov.vn)"; a closing
    "Theo Phan Trang(Báo Sơn La)" line or "(Theo TTXVN)"; an agency code opening the lead
    ("TTXVN - …", "BDK - …"); an author line ("Bài, ảnh: Việt Anh"). Only the article's
    head and foot are read.
    """
    head, foot = _edges(text)
    for line in reversed(list(foot) + list(head)):
        lowered = line.lower()
        if not any(word in lowered for word in _SOURCE_WORDS):
            continue
        for match in _NGUON.finditer(line):
            value = match.group("v").strip(" .:-–")
            if value and len(value) <= 80 and _looks_like_source(value):
                return value
    for line in reversed(foot):
        match = _THEO_TAIL.search(line) if "(" in line else None
        if match:
            return match.group("v").strip(" .")
        match = _THEO_LINE.match(line)
        if match and not line.endswith(".") and "," not in match.group("v"):
            return match.group("v").strip()
    for line in reversed(foot):
        match = _AUTHOR_OUTLET.match(line)
        if match:
            return line
    for line in head:
        match = _BYLINE_CODE.match(line)
        if match:
            return match.group("v").strip(".")
    for line in reversed(list(foot) + list(head)):
        match = _AUTHOR.match(line)
        if match:
            value = match.group("v").split("|")[0].strip()
            if value.lower() not in _WORDS.not_authors:
                return value
    return None


def _looks_like_source(value: str) -> bool:
    """A source is a name or an address, not the rest of a sentence ("nguồn lực …")."""
    if regexes.search(r"[\w-]+\.(?:vn|com|net|org)\b", value, regex.I):
        return True
    first = value.split()[0]
    return first[:1].isupper() or first[:1].isdigit()


# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleMeta:
    """What a crawl knows of an article besides its text (`extract --metadata FILE`): its
    address, publication date (ISO), outlet and province. Each supplies what the text
    lacks; the address's domain and words name a province through patterns/sources.yaml."""

    doc_id: str
    url: str | None = None
    published: str | None = None
    source: str | None = None
    province: str | None = None


_META_FIELDS = ("url", "published", "source", "province")


# An address's last part opening with a date and a time stamp: "…-20220615221843937.htm".
_URL_DATE = regexes.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)\d{4,12}(?!\d)")


def url_date(url: str) -> str | None:
    """The publication date an article's address carries, ISO, or None."""
    match = _URL_DATE.search(url.rstrip("/").rsplit("/", 1)[-1])
    if match is None:
        return None
    try:
        return _dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def read_metadata(path: Path) -> dict[str, ArticleMeta]:
    """The side file of article metadata, by doc_id: CSV with a header line (a `.csv`
    file) or JSON Lines, each row with `doc_id` and any of url, published, source,
    province. Empty values count as missing; a row without a doc_id is skipped."""
    path = Path(path)
    rows: list[Mapping[str, object]]
    if path.suffix.lower() == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    else:
        rows = [row for _, row in read_lines(path)]
    out: dict[str, ArticleMeta] = {}
    for row in rows:
        doc_id = str(row.get("doc_id") or "").strip()
        if not doc_id:
            continue
        values = {key: (str(row.get(key) or "").strip() or None) for key in _META_FIELDS}
        out[doc_id] = ArticleMeta(doc_id, **values)
    return out


# "xã Lộc Ninh", "phường Long Xuyên" opening an article
_COMMUNE_IN_LEAD = regexes.compile(
    r"(?<!\w)(?:xã|phường)\s+(\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*){0,3})"
)
_LEAD_CHARS = 1_000


class Article:
    """What is known of one article: its title always; its date, source and place only
    when asked for, each read once.

    The pipeline asks for them only for articles that have records. Most documents of a
    large crawl have none, and reading their head and foot for dates and bylines would
    cost more than the gate that passed over them (see the README's Performance section).
    `meta`, from a crawl's side file, supplies the date and outlet the text lacks, and
    its address and province count as evidence of the article's place.
    """

    def __init__(self, text: str, meta: ArticleMeta | None = None) -> None:
        self.text = text
        self.title = find_title(text)
        self.meta = meta
        self._topics: dict[str, Place | None] = {}  # paragraph -> the place it opens with

    @functools.cached_property
    def published(self) -> str | None:
        """The publication date, ISO, or None: the text's, else the side file's, else the
        one its address carries ("…-20220615221843937.htm")."""
        found = find_published(self.text)
        if found is not None or self.meta is None:
            return found
        return self.meta.published or (url_date(self.meta.url) if self.meta.url else None)

    @functools.cached_property
    def source(self) -> str | None:
        """The outlet or author of the byline or source line, or None."""
        found = find_source(self.text)
        return found if found is not None or self.meta is None else self.meta.source

    @functools.cached_property
    def place(self) -> Place | None:
        """The place the whole article is about, or None; after the 2025 reform, a commune
        named like a former district is the commune at that district's seat."""
        meta = self.meta
        place = document_place(
            self.text,
            title=self.title,
            source=self.source,
            url=meta.url if meta else None,
            province=meta.province if meta else None,
        )
        if not self._after_reform():
            return place
        if place is not None and place.level == "commune":
            seat = commune_named_after_district(place.name)
            return seat if seat is not None else place
        named = _COMMUNE_IN_LEAD.search(self.text, 0, _LEAD_CHARS)
        seat = commune_named_after_district(named.group(1)) if named else None
        if place is None or (seat is not None and place.level == "province" and named_commune_in(
            named.group(1), place.province
        )):
            # the province was read off an old commune of that name, not the new one
            return seat if seat is not None else place
        return place

    def _after_reform(self) -> bool:
        published = self.published
        return published is not None and published >= places_data().merger_date

    def geo_for(self, clause: str, after: str = "", paragraph: str = "") -> Geo | None:
        """The place of a figure whose clause before it is `clause` and whose next words
        are `after`: the nation for "… trên toàn quốc" and for a list of provinces, the
        place that clause names, else the place its `paragraph` opens with
        (`geo.topic_place`), else the article's (`geo.figure_place`)."""
        topic = self._topic(paragraph) if paragraph else None
        place = figure_place(clause, after, topic or self.place)
        doc = self.place
        if (
            place is not None and place.level == "commune" and doc is not None
            and place.province_2025 != doc.province_2025 and self._after_reform()
        ):
            seat = commune_named_after_district(place.name)  # "xã Định Hóa" in 2026
            if seat is not None and seat.province_2025 == doc.province_2025:
                place = seat
        return as_named_on(place.to_geo(), self.published) if place is not None else None

    def _topic(self, paragraph: str) -> Place | None:
        if paragraph not in self._topics:
            self._topics[paragraph] = topic_place(paragraph, self.place)
        return self._topics[paragraph]

    def warnings(self, read: bool) -> list[str]:
        """M001 no title; then, for an article `read` beyond its title, M002 no date and
        M003 no place, else M004 (only the title was read)."""
        out = [METADATA_LINES["M001"]] if self.title is None else []
        if not read:
            return out + [METADATA_LINES["M004"]]
        if self.published is None:
            out.append(METADATA_LINES["M002"])
        if self.place is None:
            out.append(METADATA_LINES["M003"])
        return out

    def metadata(self) -> DocumentMeta:
        """Everything at once (reads the date, source and place)."""
        return DocumentMeta(
            self.title, self.published, self.source, self.place, tuple(self.warnings(read=True))
        )


def document_metadata(text: str) -> DocumentMeta:
    """Title, publication date, source and place of one article's decoded text."""
    return Article(text).metadata()
