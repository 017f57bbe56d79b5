"""Gold and predictions to and from annotation tools: Label Studio, doccano and brat.

The round trip this serves: pre-annotate a corpus with xhs-extract, correct the figures in
the tool a researcher already uses, convert back, and evaluate. Every format is read into
`Document` (doc_id, text, statistics in our gold layout with code-point offsets) and
written from it, so any format converts to any other.

What each tool holds:

- Label Studio (JSON list of tasks): `data.text`, `data.doc_id`; one `labels` region per
  figure whose label is the indicator code; unit, qualifier and status as per-region
  `choices`; value, period, geo and denominator as per-region `textarea`s (see
  `labelstudio_config`); other record fields under the region's `meta.xhs`. Label Studio
  has counted offsets in UTF-16 code units (JavaScript string indices), so a character
  outside the Basic Multilingual Plane (an emoji) counts two. Offsets are written in
  UTF-16 units by default and, on reading, each region's own `text` decides which counting
  it used.
- doccano (JSONL): `{"text", "label": [[start, end, code]], "doc_id", "xhs": [attributes]}`;
  doccano counts code points, as we do.
- brat standoff (a folder): `<doc_id>.txt` and `<doc_id>.ann` per document, a `T` line per
  figure (type = indicator code), `A` lines for Unit, Qualifier and Status, and an
  `AnnotatorNotes` line holding the other fields as JSON; `annotation.conf` declares them.
  brat counts code points.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from xhs_extract.errors import AnnotationInputError
from xhs_extract.gold import iter_jsonl, parse_span, read_corpus
from xhs_extract.jsonl import inside_folder, write_jsonl
from xhs_extract.models import QUALIFIERS, STATUSES, UNITS
from xhs_extract.numbers import find_figures
from xhs_extract.read import doc_id_for

FORMATS: tuple[str, ...] = ("xhs", "labelstudio", "doccano", "brat")

# Fields the tools show as editable controls; everything else rides along unchanged.
_EDITABLE = ("indicator", "value", "unit", "qualifier", "status", "period", "geo",
             "value_span", "denominator")
_GEO_KEYS = ("name", "level", "province", "province_2025")

LS_TEXT = "text"
LS_LABELS = "indicator"
LS_CHOICES = ("unit", "qualifier", "status")
LS_TEXTAREAS = ("value", "period", "geo", "denominator")

BRAT_ATTRIBUTES = {"unit": "Unit", "qualifier": "Qualifier", "status": "Status"}


@dataclass
class Document:
    """One document in transit: its text (when known) and its gold-layout statistics."""

    doc_id: str
    text: Optional[str]
    statistics: list[dict[str, Any]] = field(default_factory=list)


# --------------------------------------------------------------------------- offsets


def utf16_table(text: str) -> list[int]:
    """UTF-16 offset of every code-point offset 0..len(text) (astral characters count 2)."""
    table = [0]
    for char in text:
        table.append(table[-1] + (2 if ord(char) > 0xFFFF else 1))
    return table


def from_utf16(text: str, offset: int, table: Optional[list[int]] = None) -> Optional[int]:
    """UTF-16 code-unit offset -> code-point offset; None inside a surrogate pair or past
    the end."""
    table = table or utf16_table(text)
    index = bisect.bisect_left(table, offset)
    if index < len(table) and table[index] == offset:
        return index
    return None


# --------------------------------------------------------------------------- values


def format_number(value: Any) -> str:
    """A value for a text field: integral numbers without ".0", floats as Python writes them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def parse_number(raw: Any) -> Optional[float | int]:
    """A number typed into a tool ("92", "98.5", "98,5"); None when blank or not a number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() and abs(raw) < 2**53 else raw
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def format_geo(geo: Optional[Mapping[str, Any]]) -> str:
    """`name | level | province | province_2025`, blanks for missing parts; "" for no geo."""
    if not geo:
        return ""
    return " | ".join(str(geo.get(key) or "") for key in _GEO_KEYS)


def parse_geo(raw: str, *, source: str, line: Optional[int]) -> Optional[dict[str, Any]]:
    """The inverse of `format_geo`; a JSON object is accepted too."""
    raw = raw.strip()
    if not raw:
        return None
    if raw.startswith("{"):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            raise AnnotationInputError(
                source, line, f"the geo field {raw!r} is not valid JSON"
            ) from error
        if not isinstance(value, dict):
            raise AnnotationInputError(source, line, f"the geo field {raw!r} is not an object")
        return value
    parts = [part.strip() for part in raw.split("|")]
    if len(parts) > len(_GEO_KEYS):
        raise AnnotationInputError(
            source, line, f"the geo field {raw!r} has more than four parts "
            "(name | level | province | province_2025)",
        )
    parts += [""] * (len(_GEO_KEYS) - len(parts))
    return {key: (part or None) for key, part in zip(_GEO_KEYS, parts, strict=False)}


def _ordered_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Contract order (the gold layout, docs/evaluation.md) with any further fields after it."""
    ordered: dict[str, Any] = {}
    for key in ("indicator", "value", "unit", "qualifier", "status", "period", "geo",
                "value_span"):
        ordered[key] = record.get(key)
    if record.get("denominator") is not None:
        ordered["denominator"] = record["denominator"]
    for key, value in record.items():
        if key not in ordered and key not in ("doc_id", "denominator"):
            ordered[key] = value
    return ordered


def _extras(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _EDITABLE and k != "doc_id"}


def _guess_unit(span_text: str) -> str:
    """A unit for a figure a researcher added without one: "%" percent, money vnd, else count."""
    from xhs_extract.language import numbers_data

    words = numbers_data()
    folded = span_text.casefold()
    if "%" in folded or any(w.casefold() in folded for w in words.percent_words):
        return "percent"
    # a currency word of one letter ("đ") is inside too many other words to be looked for
    if any(w.casefold() in folded for w in words.vnd_words if len(w) > 1):
        return "vnd"
    if "mbps" in folded or "mb/s" in folded:
        return "mbps"
    return "count"


def _complete(
    record: dict[str, Any], span_text: str, *, source: str, line: Optional[int], where: str
) -> dict[str, Any]:
    """Fill what a researcher may leave out when adding a figure in a tool, check the rest.

    A missing value (and unit) is read from the span by the project's number reader.
    """
    if record.get("value") is None or record.get("unit") is None:
        value, unit = read_span(span_text)
        if record.get("value") is None:
            if value is None:
                raise AnnotationInputError(
                    source, line, f"{where} ({span_text!r}) has no value; fill in its value field"
                )
            record["value"] = value
        if record.get("unit") is None:
            record["unit"] = unit or _guess_unit(span_text)
    if record["unit"] not in UNITS:
        raise AnnotationInputError(source, line, f"{where} has the unknown unit {record['unit']!r}")
    record["qualifier"] = record.get("qualifier") or "exact"
    record["status"] = record.get("status") or "achieved"
    if record["qualifier"] not in QUALIFIERS:
        raise AnnotationInputError(
            source, line, f"{where} has the unknown qualifier {record['qualifier']!r}"
        )
    if record["status"] not in STATUSES:
        raise AnnotationInputError(
            source, line, f"{where} has the unknown status {record['status']!r}"
        )
    record.setdefault("period", None)
    record.setdefault("geo", None)
    return _ordered_record(record)


def read_span(span_text: str) -> tuple[Optional[float | int], Optional[str]]:
    """Value and unit of a figure's span ("94,8%" -> 94.8, "percent"), by the number reader."""
    figures = find_figures(span_text)
    if not figures:
        return None, None
    figure = figures[0]
    unit = getattr(figure, "unit", None)
    return parse_number(getattr(figure, "value", None)), unit if unit in UNITS else None


# --------------------------------------------------------------------------- xhs


def read_xhs(path: Path) -> list[Document]:
    """Our JSONL: gold layout (a document per line) or output records (a record per line)."""
    documents: dict[str, Document] = {}
    source = str(path)
    for number, obj in iter_jsonl(path):
        if not isinstance(obj, dict) or not isinstance(obj.get("doc_id"), str):
            raise AnnotationInputError(source, number, 'is not a JSON object with a "doc_id"')
        doc = documents.setdefault(obj["doc_id"], Document(obj["doc_id"], None))
        records = obj.get("statistics") if "statistics" in obj else [obj]
        if not isinstance(records, list):
            raise AnnotationInputError(source, number, '"statistics" is not a list')
        for index, record in enumerate(records, start=1):
            if not isinstance(record, dict) or parse_span(record.get("value_span")) is None:
                raise AnnotationInputError(
                    source, number, f"statistic {index} has no valid value_span; the tools "
                    "need the figure's position in the text",
                )
            doc.statistics.append(_ordered_record(record))
    return list(documents.values())


def write_xhs(documents: Iterable[Document], path: Path) -> None:
    """Gold layout: one document per line, records in contract field order."""
    lines = (
        {"doc_id": doc.doc_id, "statistics": [_ordered_record(r) for r in doc.statistics]}
        for doc in documents
    )
    write_jsonl(path, lines, compact=False)


# --------------------------------------------------------------------------- Label Studio


def labelstudio_config() -> str:
    """The labeling config (XML) matching what `write_labelstudio` writes."""
    from xhs_extract.gold import indicator_units

    labels = "\n".join(f'    <Label value="{code}"/>' for code in sorted(indicator_units()))

    def choices(name: str, values: Iterable[str]) -> str:
        items = "".join(f'<Choice value="{v}"/>' for v in values)
        return (f'  <Choices name="{name}" toName="{LS_TEXT}" perRegion="true" '
                f'choice="single" showInline="true">{items}</Choices>')

    textareas = "\n".join(
        f'  <TextArea name="{name}" toName="{LS_TEXT}" perRegion="true" editable="true" '
        f'maxSubmissions="1" placeholder="{hint}"/>'
        for name, hint in (("value", "value, e.g. 98.5"), ("period", "2021, 2021-12, 2023/2024"),
                           ("geo", "name | level | province | province_2025"),
                           ("denominator", "209 for 209/209"))
    )
    return "\n".join([
        "<View>",
        '  <Style>.htx-text{ white-space: pre-wrap; }</Style>',
        f'  <Labels name="{LS_LABELS}" toName="{LS_TEXT}">',
        labels,
        "  </Labels>",
        f'  <Text name="{LS_TEXT}" value="$text"/>',
        choices("unit", UNITS),
        choices("qualifier", QUALIFIERS),
        choices("status", STATUSES),
        textareas,
        "</View>",
        "",
    ])


def write_labelstudio(
    documents: Iterable[Document], path: Path, *, offsets: str = "utf16",
    target: str = "predictions",
) -> None:
    """Label Studio import JSON: one task per document, regions as predictions or annotations."""
    tasks = []
    for task_id, doc in enumerate(documents, start=1):
        if doc.text is None:
            raise AnnotationInputError(path, None, f'no text for "{doc.doc_id}" (give --corpus)')
        table = utf16_table(doc.text)
        results = []
        for index, record in enumerate(doc.statistics, start=1):
            start, end = record["value_span"]
            span = {
                "start": table[start] if offsets == "utf16" else start,
                "end": table[end] if offsets == "utf16" else end,
                "text": doc.text[start:end],
            }
            region = f"xhs{index}"
            common = {"id": region, "to_name": LS_TEXT, "origin": "prediction"}
            labels = {**common, "from_name": LS_LABELS, "type": "labels",
                      "value": {**span, "labels": [record["indicator"]]}}
            extras = _extras(record)
            if extras:
                labels["meta"] = {"xhs": extras}
            results.append(labels)
            for name in LS_CHOICES:
                if record.get(name) is not None:
                    results.append({**common, "from_name": name, "type": "choices",
                                    "value": {**span, "choices": [record[name]]}})
            for name in LS_TEXTAREAS:
                raw = record.get(name)
                text = format_geo(raw) if name == "geo" else (
                    "" if raw is None else format_number(raw))
                if text:
                    results.append({**common, "from_name": name, "type": "textarea",
                                    "value": {**span, "text": [text]}})
        task: dict[str, Any] = {"id": task_id, "data": {"text": doc.text, "doc_id": doc.doc_id}}
        if target == "annotations":
            task["annotations"] = [{"result": results, "was_cancelled": False}]
        else:
            task["predictions"] = [{"model_version": "xhs-extract", "result": results}]
        tasks.append(task)
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_labelstudio(path: Path, *, offsets: str = "utf16") -> list[Document]:
    """Label Studio export JSON (a list of tasks, or one task, or JSONL of tasks).

    Takes the last non-cancelled annotation of a task, or its first prediction when nobody
    has annotated it. Each region's offsets are read as UTF-16 units or code points,
    whichever makes them cover the region's own `text`; `offsets` decides when the region
    has no text.
    """
    source = str(path)
    tasks = _load_json_or_jsonl(path)
    documents = []
    for number, task in enumerate(tasks, start=1):
        where = f"task {task.get('id', number) if isinstance(task, dict) else number}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise AnnotationInputError(
                source, None, f"{where} is not a Label Studio task with \"data\""
            )
        text = task["data"].get(LS_TEXT)
        if not isinstance(text, str):
            raise AnnotationInputError(source, None, f'{where} has no "data.text" string')
        doc_id = task["data"].get("doc_id")
        results = _chosen_results(task)
        table = utf16_table(text)
        regions: dict[str, dict[str, Any]] = {}
        order: list[str] = []
        for result in results:
            if not isinstance(result, dict) or not isinstance(result.get("value"), dict):
                continue
            region_id = str(result.get("id", len(order)))
            region = regions.setdefault(region_id, {})
            if region_id not in order:
                order.append(region_id)
            kind, name, value = result.get("type"), result.get("from_name"), result["value"]
            if kind == "labels" or "labels" in value:
                labels = value.get("labels") or []
                if len(labels) != 1:
                    raise AnnotationInputError(
                        source, None, f"{where}: region {region_id} has {len(labels)} labels; "
                        "give each figure exactly one indicator code",
                    )
                region["indicator"] = labels[0]
                region["_span"] = _ls_span(value, text, table, offsets, source, where, region_id)
                meta = result.get("meta")
                if isinstance(meta, dict) and isinstance(meta.get("xhs"), dict):
                    region["_extras"] = meta["xhs"]
            elif kind == "choices" and name in LS_CHOICES:
                chosen = value.get("choices") or []
                region[name] = chosen[0] if chosen else None
            elif kind == "textarea" and name in LS_TEXTAREAS:
                typed = value.get("text") or []
                raw = typed[-1] if isinstance(typed, list) and typed else typed
                region[name] = raw if isinstance(raw, str) else None
        statistics = []
        for region_id in order:
            region = regions[region_id]
            if "indicator" not in region:
                continue
            statistics.append(
                _record_from_fields(region, text, source, None, f"{where}, region {region_id}")
            )
        statistics.sort(key=lambda r: (r["value_span"][0], r["value_span"][1]))
        documents.append(Document(doc_id if isinstance(doc_id, str) else "", text, statistics))
    return documents


def _chosen_results(task: dict[str, Any]) -> list[Any]:
    annotations = [a for a in task.get("annotations") or task.get("completions") or []
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    if annotations:
        return annotations[-1].get("result") or []
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    return (predictions[0].get("result") or []) if predictions else []


def _ls_span(
    value: dict[str, Any], text: str, table: list[int], offsets: str, source: str, where: str,
    region_id: str,
) -> tuple[int, int]:
    """A region's code-point span, deciding UTF-16 versus code points by its own text."""
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise AnnotationInputError(
            source, None, f"{where}: region {region_id} has no integer start/end"
        )
    claimed = value.get("text")
    as_utf16 = (from_utf16(text, start, table), from_utf16(text, end, table))
    as_points = (start, end) if 0 <= start < end <= len(text) else (None, None)
    readings = [as_utf16, as_points] if offsets == "utf16" else [as_points, as_utf16]
    for cp_start, cp_end in readings:
        if cp_start is None or cp_end is None or cp_end <= cp_start:
            continue
        if not isinstance(claimed, str) or text[cp_start:cp_end] == claimed:
            return (cp_start, cp_end)
    raise AnnotationInputError(
        source, None, f"{where}: region {region_id} [{start}, {end}] does not cover its text "
        f"{claimed!r} in the task's text, counted either in UTF-16 units or in characters",
    )


def _record_from_fields(
    fields: dict[str, Any], text: str, source: str, line: Optional[int], where: str
) -> dict[str, Any]:
    """A gold-layout record from the fields read off a tool's region."""
    start, end = fields["_span"]
    record: dict[str, Any] = dict(fields.get("_extras") or {})
    record["indicator"] = fields["indicator"]
    for name in ("unit", "qualifier", "status"):
        if fields.get(name):
            record[name] = fields[name]
    raw_value = fields.get("value")
    if raw_value not in (None, ""):
        value = parse_number(raw_value)
        if value is None:
            raise AnnotationInputError(
                source, line, f"{where}: the value {raw_value!r} is not a number"
            )
        record["value"] = value
    period = fields.get("period")
    record["period"] = period.strip() or None if isinstance(period, str) else period
    geo = fields.get("geo")
    record["geo"] = parse_geo(geo, source=source, line=line) if isinstance(geo, str) else geo
    denominator = fields.get("denominator")
    if denominator not in (None, ""):
        parsed = parse_number(denominator)
        if parsed is None:
            raise AnnotationInputError(
                source, line, f"{where}: the denominator {denominator!r} is not a number"
            )
        record["denominator"] = parsed
    record["value_span"] = [start, end]
    return _complete(record, text[start:end], source=source, line=line, where=where)


def _load_json_or_jsonl(path: Path) -> list[Any]:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise AnnotationInputError(path, None, "the file does not exist") from error
    except (OSError, UnicodeDecodeError) as error:
        raise AnnotationInputError(path, None, f"cannot be read ({error})") from error
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return [obj for _, obj in iter_jsonl(path)]
    return data if isinstance(data, list) else [data]


# --------------------------------------------------------------------------- doccano


def write_doccano(documents: Iterable[Document], path: Path) -> None:
    """doccano sequence-labelling JSONL; attributes travel in "xhs", keyed by the span."""
    write_jsonl(path, (_doccano_line(doc, path) for doc in documents), compact=False)


def _doccano_line(doc: Document, path: Path) -> dict[str, Any]:
    if doc.text is None:
        raise AnnotationInputError(path, None, f'no text for "{doc.doc_id}" (give --corpus)')
    labels, attributes = [], []
    for record in doc.statistics:
        start, end = record["value_span"]
        labels.append([start, end, record["indicator"]])
        attributes.append({"start": start, "end": end, "label": record["indicator"],
                           **{k: v for k, v in record.items()
                              if k not in ("indicator", "value_span", "doc_id")}})
    return {"text": doc.text, "label": labels, "doc_id": doc.doc_id, "xhs": attributes}


def read_doccano(path: Path) -> list[Document]:
    """doccano JSONL: "label"/"labels" as [start, end, code] or "entities" as objects."""
    source = str(path)
    documents = []
    for number, obj in iter_jsonl(path):
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise AnnotationInputError(source, number, 'is not a doccano line with a "text"')
        text = obj["text"]
        spans = _doccano_spans(obj, source, number)
        pool = [a for a in obj.get("xhs") or [] if isinstance(a, dict)]
        statistics = []
        for start, end, label in spans:
            if not (0 <= start < end <= len(text)):
                raise AnnotationInputError(
                    source,
                    number,
                    f"the label [{start}, {end}, {label!r}] lies "
                    f"outside the text ({len(text)} characters)",
                )
            fields: dict[str, Any] = {}
            for index, attrs in enumerate(pool):
                where = (attrs.get("start"), attrs.get("end"), attrs.get("label"))
                if where == (start, end, label):
                    fields = {k: v for k, v in pool.pop(index).items()
                              if k not in ("start", "end", "label")}
                    break
            record = {**fields, "indicator": label, "value_span": [start, end]}
            statistics.append(_complete(record, text[start:end], source=source, line=number,
                                        where=f"the label [{start}, {end}, {label!r}]"))
        statistics.sort(key=lambda r: (r["value_span"][0], r["value_span"][1]))
        doc_id = obj.get("doc_id") or (obj.get("meta") or {}).get("doc_id") or ""
        documents.append(Document(str(doc_id), text, statistics))
    return documents


def _doccano_spans(obj: dict[str, Any], source: str, line: int) -> list[tuple[int, int, str]]:
    raw = obj.get("label", obj.get("labels"))
    spans: list[tuple[int, int, str]] = []
    if isinstance(raw, list):
        for item in raw:
            if (isinstance(item, list) and len(item) == 3 and isinstance(item[0], int)
                    and isinstance(item[1], int) and isinstance(item[2], str)):
                spans.append((item[0], item[1], item[2]))
            else:
                raise AnnotationInputError(
                    source, line, f"the label {item!r} is not [start, end, code]"
                )
    for entity in obj.get("entities") or []:
        try:
            spans.append((int(entity["start_offset"]), int(entity["end_offset"]),
                          str(entity["label"])))
        except (KeyError, TypeError, ValueError) as error:
            raise AnnotationInputError(
                source, line, f"the entity {entity!r} is malformed"
            ) from error
    return spans


# --------------------------------------------------------------------------- brat


def brat_annotation_conf() -> str:
    """annotation.conf declaring the indicator codes and the three attributes."""
    from xhs_extract.gold import indicator_units

    codes = sorted(indicator_units())
    attributes = [
        f"{BRAT_ATTRIBUTES['unit']}\tArg:<ENTITY>, Value:{'|'.join(UNITS)}",
        f"{BRAT_ATTRIBUTES['qualifier']}\tArg:<ENTITY>, Value:{'|'.join(QUALIFIERS)}",
        f"{BRAT_ATTRIBUTES['status']}\tArg:<ENTITY>, Value:{'|'.join(STATUSES)}",
    ]
    return "\n".join(["[entities]", *codes, "", "[relations]", "", "[events]", "",
                      "[attributes]", *attributes, ""])


def write_brat(documents: Iterable[Document], folder: Path) -> None:
    """A brat folder: .txt and .ann per document (sub-folders follow the doc_id). A doc_id
    that would lead outside `folder` is refused (OutputError E404) before anything is
    written."""
    documents = list(documents)
    for doc in documents:
        inside_folder(folder / doc.doc_id, folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "annotation.conf").write_text(brat_annotation_conf(), encoding="utf-8")
    for doc in documents:
        if doc.text is None:
            raise AnnotationInputError(folder, None, f'no text for "{doc.doc_id}" (give --corpus)')
        # A doc_id comes from the input: "../x" or "/etc/x" must not lead out of `folder`.
        base = inside_folder(folder / doc.doc_id, folder)
        base.parent.mkdir(parents=True, exist_ok=True)
        with (base.parent / f"{base.name}.txt").open("w", encoding="utf-8", newline="") as h:
            h.write(doc.text)
        lines: list[str] = []
        attr_no = 0
        for index, record in enumerate(doc.statistics, start=1):
            start, end = record["value_span"]
            span_text = doc.text[start:end]
            if "\n" in span_text or "\r" in span_text:
                raise AnnotationInputError(
                    folder,
                    None,
                    f'"{doc.doc_id}": the figure at [{start}, {end}] '
                    "spans a line break, which brat cannot show as one span",
                )
            lines.append(f"T{index}\t{record['indicator']} {start} {end}\t{span_text}")
            for key, name in BRAT_ATTRIBUTES.items():
                if record.get(key) is not None:
                    attr_no += 1
                    lines.append(f"A{attr_no}\t{name} T{index} {record[key]}")
            notes = {k: v for k, v in record.items()
                     if k not in ("indicator", "value_span", "doc_id", *BRAT_ATTRIBUTES)}
            lines.append(f"#{index}\tAnnotatorNotes T{index}\t"
                         + json.dumps(notes, ensure_ascii=False))
        (base.parent / f"{base.name}.ann").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8")


def read_brat(folder: Path) -> list[Document]:
    """Every .ann (with its .txt) below `folder`; doc_id is the path without extension."""
    if not folder.is_dir():
        raise AnnotationInputError(
            folder, None, "is not a brat folder (a folder of .txt and .ann files)"
        )
    names = {v: k for k, v in BRAT_ATTRIBUTES.items()}
    documents = []
    for ann in sorted(folder.rglob("*.ann")):
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            raise AnnotationInputError(ann, None, f"has no text file {txt.name} beside it")
        with txt.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
        source = str(ann)
        entities: dict[str, dict[str, Any]] = {}
        for number, raw in enumerate(ann.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            kind = raw[0]
            parts = raw.split("\t")
            if kind == "T":
                if len(parts) < 2:
                    raise AnnotationInputError(source, number, "is not a brat text-bound line")
                head = parts[1].split(" ", 1)
                try:
                    fragments = [tuple(int(x) for x in f.split()) for f in head[1].split(";")]
                    start, end = fragments[0][0], fragments[-1][1]
                except (IndexError, ValueError) as error:
                    raise AnnotationInputError(
                        source, number, f"has malformed offsets {parts[1]!r}"
                    ) from error
                if not (0 <= start < end <= len(text)):
                    raise AnnotationInputError(
                        source,
                        number,
                        f"the span [{start}, {end}] lies outside "
                        f"{txt.name} ({len(text)} characters)",
                    )
                entities[parts[0]] = {"indicator": head[0], "_span": (start, end),
                                      "_line": number}
            elif kind == "A" or kind == "M":
                fields = parts[1].split() if len(parts) > 1 else []
                if len(fields) >= 3 and fields[0] in names and fields[1] in entities:
                    entities[fields[1]][names[fields[0]]] = fields[2]
            elif kind == "#":
                fields = parts[1].split() if len(parts) > 1 else []
                if len(fields) >= 2 and fields[0] == "AnnotatorNotes" and fields[1] in entities:
                    note = parts[2] if len(parts) > 2 else ""
                    try:
                        extra = json.loads(note) if note.strip() else {}
                    except json.JSONDecodeError as error:
                        raise AnnotationInputError(
                            source,
                            number,
                            "the annotator note is not the JSON "
                            f"object of the record's other fields: {note!r}",
                        ) from error
                    if not isinstance(extra, dict):
                        raise AnnotationInputError(
                            source, number, "the annotator note is not a JSON object"
                        )
                    entities[fields[1]]["_notes"] = extra
        statistics = []
        for tid, entity in entities.items():
            start, end = entity["_span"]
            record = {**entity.get("_notes", {}), "indicator": entity["indicator"],
                      "value_span": [start, end]}
            for key in BRAT_ATTRIBUTES:
                if key in entity:
                    record[key] = entity[key]
            statistics.append(_complete(record, text[start:end], source=source,
                                        line=entity["_line"], where=f"the figure {tid}"))
        statistics.sort(key=lambda r: (r["value_span"][0], r["value_span"][1]))
        documents.append(Document(doc_id_for(ann, folder), text, statistics))
    return documents


# --------------------------------------------------------------------------- convert


def read_documents(source: Path, fmt: str, *, ls_offsets: str = "utf16") -> list[Document]:
    """Documents from any supported format."""
    if fmt == "xhs":
        return read_xhs(source)
    if fmt == "labelstudio":
        return read_labelstudio(source, offsets=ls_offsets)
    if fmt == "doccano":
        return read_doccano(source)
    if fmt == "brat":
        return read_brat(source)
    raise AnnotationInputError(
        source, None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"
    )


def write_documents(
    documents: list[Document], target: Path, fmt: str, *, ls_offsets: str = "utf16",
    ls_as: str = "predictions",
) -> None:
    """Documents to any supported format."""
    if fmt == "xhs":
        write_xhs(documents, target)
    elif fmt == "labelstudio":
        write_labelstudio(documents, target, offsets=ls_offsets, target=ls_as)
    elif fmt == "doccano":
        write_doccano(documents, target)
    elif fmt == "brat":
        write_brat(documents, target)
    else:
        raise AnnotationInputError(
            target, None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"
        )


def attach_texts(
    documents: list[Document], texts: Mapping[str, str], corpus: Path | str
) -> list[Document]:
    """Give each document its corpus text, or check the text a tool kept against it.

    A document from a tool without a doc_id is identified by its text. A text that differs
    from the corpus text is an error: the offsets would point at the wrong characters.
    """
    by_text = {text: doc_id for doc_id, text in texts.items()}
    for doc in documents:
        if not doc.doc_id and doc.text is not None:
            doc.doc_id = by_text.get(doc.text, "")
            if not doc.doc_id:
                raise AnnotationInputError(
                    corpus,
                    None,
                    "a document from the tool has no doc_id and its "
                    "text matches no corpus document",
                )
        corpus_text = texts.get(doc.doc_id)
        if corpus_text is None:
            raise AnnotationInputError(corpus, None, f'has no document "{doc.doc_id}"')
        if doc.text is None:
            doc.text = corpus_text
        elif doc.text != corpus_text:
            raise AnnotationInputError(
                corpus,
                None,
                f'the text of "{doc.doc_id}" in the tool differs from '
                "the corpus file, so its offsets cannot be trusted",
            )
        for record in doc.statistics:
            start, end = record["value_span"]
            if end > len(doc.text):
                raise AnnotationInputError(
                    corpus,
                    None,
                    f'"{doc.doc_id}": the value_span [{start}, {end}] '
                    f"lies outside the text ({len(doc.text)} characters)",
                )
    return documents


def convert(
    source: Path, target: Path, from_format: str, to_format: str, *,
    corpus: Optional[Path] = None, ls_offsets: str = "utf16", ls_as: str = "predictions",
) -> int:
    """Convert `source` in one format to `target` in another; returns the document count."""
    documents = read_documents(source, from_format, ls_offsets=ls_offsets)
    if corpus is not None:
        attach_texts(documents, read_corpus(corpus), corpus)
    elif to_format != "xhs" and any(doc.text is None for doc in documents):
        raise AnnotationInputError(
            source,
            None,
            f"converting to {to_format} needs the document texts: "
            "give --corpus DIR",
        )
    for doc in documents:
        if not doc.doc_id:
            raise AnnotationInputError(
                source,
                None,
                "a document has no doc_id; give --corpus so that "
                "it can be found by its text",
            )
    write_documents(documents, target, to_format, ls_offsets=ls_offsets, ls_as=ls_as)
    return len(documents)
