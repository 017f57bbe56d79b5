"""Annotator's helper for the project corpus: find value spans, and check a gold file.

Gold offsets are code-point indices into the decoded article, and counting them by hand
is where annotations go wrong. An annotator writes a draft (YAML) that names each figure
by the short evidence phrase around it and the figure as written; `fill` finds both in
the article and writes gold JSONL with exact `value_span`s. `check` re-reads a gold file
against its corpus and reports every record whose span does not show its value, so an
edited article or a typed value is caught before it reaches evaluation.

Usage (from the repository root):
    python scripts/annotate_helper.py fill DRAFT.yaml > gold/corpus-gold.jsonl
    python scripts/annotate_helper.py check [--corpus corpus] [--gold gold/corpus-gold.jsonl]
    python scripts/annotate_helper.py find corpus/DOC.txt "evidence phrase" "figure"
    python scripts/annotate_helper.py draft > DRAFT.yaml     # gold back to an editable draft

Draft format: a YAML list of documents,
    - doc: 05-namdinh-ke-hoach        # doc_id (file name without .txt, relative to corpus/)
      geo: {name: Nam Định, level: province, province: Nam Định, province_2025: Ninh Bình}
      stats:
        - [indicator, value, unit, "figure as written", "evidence phrase", {optional fields}]
Optional fields: qualifier (default exact), status (achieved), period (null), geo (the
document's), denominator, value_max, borderline (true: a careful annotator could decide
either way, so the record is optional in scoring, records.md §3), occurrence (which match
of the phrase, from 1; needed only when the phrase occurs more than once).
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

RECORD_KEYS: tuple[str, ...] = (
    "indicator", "value", "unit", "qualifier", "status", "period", "geo", "value_span",
)
OPTIONAL_KEYS: tuple[str, ...] = ("denominator", "value_max", "text", "borderline")
QUALIFIERS = {"exact", "approx", "nearly", "over", "under", "at_least", "at_most"}
STATUSES = {"achieved", "target"}
UNITS = {"percent", "count", "per_100_people", "vnd", "mbps"}
GEO_LEVELS = {"nation", "province", "city", "district", "commune", "village"}
GEO_PREFIXES = ("tỉnh ", "thành phố ", "tp. ", "huyện ", "thị xã ", "quận ", "xã ",
                "phường ", "thị trấn ", "thôn ", "bản ")
PERIOD_RE = re.compile(
    r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-Q[1-4]|-H[12]|/\d{4})?$"
)

# Scale words multiply the number before them; the unit words only say what was counted.
SCALE_WORDS = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
DIGIT_WORDS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
    "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
# How a span ends in each unit: the sign or unit word belongs to the figure ("98,5%",
# "98,6 Mbps", "8,5 tỷ đồng"); counts and per-100 rates end at the number or its scale word.
UNIT_ENDINGS = {
    "percent": re.compile(r"(%|phần trăm)$"),
    "mbps": re.compile(r"[MG]bps$", re.IGNORECASE),
    "vnd": re.compile(r"đồng$"),
    "count": re.compile(r"(\d|nghìn|ngàn|triệu|tỷ|tỉ)$"),
    "per_100_people": re.compile(r"\d$"),
}
UNIT_ENDING_HINTS = {
    "percent": "'%' or 'phần trăm'", "mbps": "'Mbps' or 'Gbps'", "vnd": "'đồng'",
    "count": "a digit or a scale word", "per_100_people": "a digit",
}
DASHES = "–—-"  # en dash, em dash, hyphen (hyphen last: literal in a class)


class HelperError(Exception):
    """A problem the annotator can fix: the message names the file and what is wrong."""


# --------------------------------------------------------------------------- figures

def read_article(path: Path) -> str:
    """The article as the pipeline sees it: UTF-8 decoded, nothing else changed."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise HelperError(f"{path}: no such article file") from exc
    except UnicodeDecodeError as exc:
        raise HelperError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc


def number_readings(digits: str) -> set[float]:
    """Every value a run of digits and separators can be read as.

    "12,450" is 12450 (thousands comma) or 12.45 (decimal comma); the checker accepts
    either, since the annotator's value decides and the test only guards against typos.
    """
    digits = digits.replace("\u00a0", " ").strip()
    readings: set[float] = set()
    if re.fullmatch(r"\d+", digits):
        readings.add(float(digits))
    if re.fullmatch(r"\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*", digits):
        readings.add(float(re.sub(r"[.,  ]", "", digits)))
    if re.fullmatch(r"\d+[.,]\d+", digits):
        readings.add(float(digits.replace(",", ".")))
    match = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+),(\d+)", digits)  # 1.234,5
    if match:
        readings.add(float(match.group(1).replace(".", "") + "." + match.group(2)))
    return readings


def words_to_number(words: str) -> Optional[float]:
    """A number written in Vietnamese words ("hai mươi lăm" -> 25); None if not one.

    Handles the forms news text uses: units, "mười"/"mươi", "trăm", "linh"/"lẻ", and the
    scale words; enough to check a gold span, not a general parser.
    """
    tokens = words.lower().split()
    if not tokens:
        return None
    total, group, current = 0.0, 0.0, 0.0
    seen = False
    for token in tokens:
        if token in DIGIT_WORDS:
            current = DIGIT_WORDS[token]
            seen = True
        elif token == "mười":
            group += 10
            seen = True
        elif token == "mươi":
            group += (current or 1) * 10
            current = 0
        elif token == "trăm":
            group += (current or 1) * 100
            current = 0
        elif token in ("linh", "lẻ"):
            continue
        elif token in SCALE_WORDS:
            total += (group + current or 1) * SCALE_WORDS[token]
            group, current = 0.0, 0.0
        else:
            return None
    return total + group + current if seen else None


def figure_values(surface: str) -> list[tuple[set[float], Optional[set[float]]]]:
    """Readings of a gold span: one (values, second values) pair per way to split it.

    The second set holds the denominator ("209/209") or the range end ("27 – 34%");
    None when the span has one number. Units written in the span ("%", "Mbps", "Gbps",
    "đồng", "phần trăm") are removed; scale words multiply.
    """
    text = unicodedata.normalize("NFC", surface).strip()
    factor = 1.0
    for suffix, mult in (("phần trăm", 1.0), ("%", 1.0), ("mbps", 1.0), ("gbps", 1000.0),
                         ("đồng", 1.0)):
        if text.lower().endswith(suffix):
            text = text[: -len(suffix)].strip()
            factor = mult
            break
    parts = re.split(r"\s*[/" + DASHES + r"]\s*", text)
    if len(parts) > 2:
        return []
    readings = [_single_values(part, factor) for part in parts]
    if len(parts) == 1:
        return [(readings[0], None)]
    return [(readings[0], readings[1])]


def _single_values(part: str, factor: float) -> set[float]:
    """Readings of one number, with an optional scale word after it."""
    scale = 1.0
    words = part.split()
    if len(words) > 1 and words[-1].lower() in SCALE_WORDS and re.search(r"\d", part):
        scale = SCALE_WORDS[words[-1].lower()]
        part = " ".join(words[:-1])
    if re.search(r"\d", part):
        base = number_readings(part)
    else:
        value = words_to_number(part)
        base = {value} if value is not None else set()
    return {value * scale * factor for value in base}


def close(a: float, b: float) -> bool:
    """Equal within the matching tolerance of records.md §3 (relative 1e-9)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def span_shows(surface: str, value: float, second: Optional[float]) -> bool:
    """True when the span text can be read as the record's value (and second number)."""
    for first_set, second_set in figure_values(surface):
        if not any(close(value, v) for v in first_set):
            continue
        if second is None or second_set is None:
            return True
        if any(close(second, v) for v in second_set):
            return True
    return False


# --------------------------------------------------------------------------- locating

def find_span(text: str, phrase: str, figure: str,
              occurrence: Optional[int] = None) -> tuple[int, int]:
    """Offsets of `figure` inside the `occurrence`-th match of `phrase` in `text`.

    The phrase pins down which of several equal figures ("100%") is meant, so without an
    occurrence it must occur exactly once; the figure must occur once inside the phrase.
    """
    start = -1
    for _ in range(occurrence or 1):
        start = text.find(phrase, start + 1)
        if start < 0:
            raise HelperError(f"phrase not found (occurrence {occurrence or 1}): {phrase!r}")
    if occurrence is None and text.find(phrase, start + 1) >= 0:
        raise HelperError(f"phrase occurs more than once, give an occurrence: {phrase!r}")
    inner = [m.start() for m in re.finditer(re.escape(figure), phrase)]
    if len(inner) != 1:
        raise HelperError(f"figure {figure!r} occurs {len(inner)} times in phrase {phrase!r}")
    begin = start + inner[0]
    return begin, begin + len(figure)


def fill_document(doc: dict[str, Any], corpus: Path) -> dict[str, Any]:
    """One gold line from one draft document, records sorted by span."""
    doc_id = doc["doc"]
    text = read_article(corpus / f"{doc_id}.txt")
    records = []
    for row in doc.get("stats") or []:
        indicator, value, unit, figure, phrase = row[:5]
        extra = dict(row[5]) if len(row) > 5 else {}
        try:
            span = find_span(text, phrase, figure, extra.pop("occurrence", None))
        except HelperError as exc:
            raise HelperError(f"{doc_id}: {exc}") from exc
        record = {
            "indicator": indicator,
            "value": value,
            "unit": unit,
            "qualifier": extra.pop("qualifier", "exact"),
            "status": extra.pop("status", "achieved"),
            "period": extra.pop("period", None),
            "geo": extra.pop("geo", doc["geo"]),
            "value_span": list(span),
        }
        for key in ("denominator", "value_max", "borderline"):
            if key in extra:
                record[key] = extra.pop(key)
        if extra:
            raise HelperError(f"{doc_id}: unknown fields {sorted(extra)} for {figure!r}")
        record["text"] = phrase
        records.append(record)
    records.sort(key=lambda r: (r["value_span"][0], r["value_span"][1], r["indicator"]))
    return {"doc_id": doc_id, "statistics": records}


def draft_from_gold(line: dict[str, Any], corpus: Path) -> dict[str, Any]:
    """The draft that `fill_document` turns back into this gold line.

    Lets an annotator edit an article and its records without keeping the original draft:
    write the draft out, change the text or the rows, fill again.
    """
    text = read_article(corpus / f"{line['doc_id']}.txt")
    stats = line["statistics"]
    doc_geo = collections.Counter(
        json.dumps(r["geo"], ensure_ascii=False) for r in stats).most_common(1)
    geo = json.loads(doc_geo[0][0]) if doc_geo else None
    rows = []
    for record in stats:
        start, end = record["value_span"]
        figure = text[start:end]
        phrase = record.get("text") or figure
        phrase_start = start - phrase.index(figure)
        extra: dict[str, Any] = {}
        for key, default in (("qualifier", "exact"), ("status", "achieved"), ("period", None)):
            if record[key] != default:
                extra[key] = record[key]
        if record["geo"] != geo:
            extra["geo"] = record["geo"]
        for key in ("denominator", "value_max", "borderline"):
            if key in record:
                extra[key] = record[key]
        if text.find(phrase) != phrase_start or text.find(phrase, phrase_start + 1) >= 0:
            extra["occurrence"] = _occurrence(text, phrase, phrase_start)
        row: list[Any] = [record["indicator"], record["value"], record["unit"], figure, phrase]
        if extra:
            row.append(extra)
        rows.append(row)
    return {"doc": line["doc_id"], "geo": geo, "stats": rows}


def _occurrence(text: str, phrase: str, at: int) -> int:
    """Which match of `phrase` (counting overlapping ones, from 1) starts at `at`."""
    count, start = 0, text.find(phrase)
    while 0 <= start <= at:
        count += 1
        if start == at:
            return count
        start = text.find(phrase, start + 1)
    raise HelperError(f"phrase {phrase!r} does not start at {at}")


# --------------------------------------------------------------------------- checking

def load_catalogue(path: Path) -> dict[str, list[str]]:
    """Indicator code -> allowed units, from the catalogue YAML (groups of entries)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {code: list(entry["units"]) for group in data.values() for code, entry in group.items()}


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Gold lines in file order; a line that is not JSON is reported with its number."""
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise HelperError(f"{path}:{number}: not a JSON object ({exc.msg})") from exc
    return lines


def check_record(record: dict[str, Any], text: str, units: dict[str, list[str]]) -> list[str]:
    """Problems with one gold record, as sentences; empty when it is consistent."""
    problems = []
    missing = [key for key in RECORD_KEYS if key not in record]
    if missing:
        return [f"missing fields {missing}"]
    unknown = set(record) - set(RECORD_KEYS) - set(OPTIONAL_KEYS)
    if unknown:
        problems.append(f"unknown fields {sorted(unknown)}")
    indicator, unit = record["indicator"], record["unit"]
    if indicator not in units:
        problems.append(f"indicator {indicator!r} is not in the catalogue")
    elif unit not in units[indicator]:
        problems.append(f"unit {unit!r} not allowed for {indicator} (allowed {units[indicator]})")
    if unit not in UNITS:
        problems.append(f"unit {unit!r} unknown")
    if record["qualifier"] not in QUALIFIERS:
        problems.append(f"qualifier {record['qualifier']!r} unknown")
    if record["status"] not in STATUSES:
        problems.append(f"status {record['status']!r} unknown")
    period = record["period"]
    if period is not None and not PERIOD_RE.match(str(period)):
        problems.append(f"period {period!r} is not YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, "
                        "YYYY-Hn or YYYY/YYYY")
    problems.extend(check_geo(record["geo"]))
    if "borderline" in record and not isinstance(record["borderline"], bool):
        problems.append(f"borderline {record['borderline']!r} is not true or false")
    span = record["value_span"]
    if not (isinstance(span, list) and len(span) == 2 and 0 <= span[0] < span[1] <= len(text)):
        return problems + [f"value_span {span} is outside the text ({len(text)} code points)"]
    surface = text[span[0]:span[1]]
    second = record.get("denominator", record.get("value_max"))
    if not span_shows(surface, float(record["value"]), None if second is None else float(second)):
        problems.append(f"span {span} shows {surface!r}, which does not read as "
                        f"{record['value']}" + (f" and {second}" if second is not None else ""))
    ending = UNIT_ENDINGS.get(unit)
    if ending and not ending.search(surface):
        problems.append(f"span {span} shows {surface!r}, but a figure in unit {unit} "
                        f"ends with {UNIT_ENDING_HINTS[unit]}")
    if surface != surface.strip():
        problems.append(f"span {span} has spaces at its edges: {surface!r}")
    phrase = record.get("text")
    if phrase is not None and not phrase_covers(text, phrase, span):
        problems.append(f"evidence text {phrase!r} does not occur around span {span}")
    return problems


def check_geo(geo: Any) -> list[str]:
    """Geo must carry a bare name (no tỉnh/huyện prefix) and a known level."""
    if not isinstance(geo, dict) or "name" not in geo or "level" not in geo:
        return [f"geo {geo!r} lacks name or level"]
    problems = []
    if geo["level"] not in GEO_LEVELS:
        problems.append(f"geo level {geo['level']!r} unknown")
    for key in ("name", "province", "province_2025"):
        value = geo.get(key)
        if value and str(value).lower().startswith(GEO_PREFIXES):
            problems.append(f"geo {key} {value!r} keeps its administrative prefix")
    if geo["level"] != "nation" and not (geo.get("province") and geo.get("province_2025")):
        problems.append(f"geo {geo['name']!r} lacks province or province_2025")
    return problems


def phrase_covers(text: str, phrase: str, span: list[int]) -> bool:
    """True when some occurrence of the evidence phrase contains the value span."""
    start = text.find(phrase)
    while start >= 0:
        if start <= span[0] and span[1] <= start + len(phrase):
            return True
        start = text.find(phrase, start + 1)
    return False


def check_gold(corpus: Path, gold: Path, catalogue: Path) -> list[str]:
    """Every inconsistency between a gold file, its corpus and the catalogue."""
    units = load_catalogue(catalogue)
    lines = load_gold(gold)
    problems: list[str] = []
    articles = {p.relative_to(corpus).with_suffix("").as_posix()
                for p in corpus.rglob("*.txt")}
    seen: set[str] = set()
    for line in lines:
        doc_id = line.get("doc_id")
        if doc_id in seen:
            problems.append(f"{gold}: doc_id {doc_id!r} has more than one line")
        seen.add(doc_id)
        if doc_id not in articles:
            problems.append(f"{gold}: doc_id {doc_id!r} has no article {corpus / doc_id}.txt")
            continue
        text = read_article(corpus / f"{doc_id}.txt")
        stats = line.get("statistics")
        if not isinstance(stats, list):
            problems.append(f"{gold}: {doc_id}: statistics is not a list")
            continue
        for index, record in enumerate(stats):
            for problem in check_record(record, text, units):
                problems.append(f"{gold}: {doc_id} record {index}: {problem}")
        spans = [tuple(r.get("value_span", ())) for r in stats]
        if spans != sorted(spans):
            problems.append(f"{gold}: {doc_id}: records are not sorted by value_span")
    for doc_id in sorted(articles - seen):
        problems.append(f"{gold}: article {doc_id}.txt has no gold line")
    return problems


# --------------------------------------------------------------------------- command line

def main(argv: Optional[Iterable[str]] = None) -> int:
    """Entry point; returns the process exit code."""
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fill = sub.add_parser("fill", help="draft YAML -> gold JSONL on standard output")
    fill.add_argument("draft", type=Path)
    fill.add_argument("--corpus", type=Path, default=root / "corpus")
    check = sub.add_parser("check", help="report inconsistencies in a gold file")
    check.add_argument("--corpus", type=Path, default=root / "corpus")
    check.add_argument("--gold", type=Path, default=root / "gold" / "corpus-gold.jsonl")
    check.add_argument("--catalogue", type=Path, default=root / "patterns" / "indicators.yaml")
    draft = sub.add_parser("draft", help="gold JSONL -> draft YAML, to edit and fill again")
    draft.add_argument("--corpus", type=Path, default=root / "corpus")
    draft.add_argument("--gold", type=Path, default=root / "gold" / "corpus-gold.jsonl")
    find = sub.add_parser("find", help="print the span of a figure inside a phrase")
    find.add_argument("article", type=Path)
    find.add_argument("phrase")
    find.add_argument("figure")
    find.add_argument("--occurrence", type=int, default=1)
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        if args.command == "fill":
            draft = yaml.safe_load(args.draft.read_text(encoding="utf-8"))
            for doc in draft:
                line = fill_document(doc, args.corpus)
                print(json.dumps(line, ensure_ascii=False))
        elif args.command == "check":
            problems = check_gold(args.corpus, args.gold, args.catalogue)
            for problem in problems:
                print(problem)
            print(f"{len(problems)} problem(s) in {args.gold}", file=sys.stderr)
            return 1 if problems else 0
        elif args.command == "draft":
            drafts = [draft_from_gold(line, args.corpus) for line in load_gold(args.gold)]
            print(yaml.safe_dump(drafts, allow_unicode=True, sort_keys=False, width=200,
                                 default_flow_style=None), end="")
        else:
            text = read_article(args.article)
            print(list(find_span(text, args.phrase, args.figure, args.occurrence)))
    except HelperError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
