"""Review pages: an article shown character for character with its records marked.

The article goes into an `<article>` element exactly as it was read (line breaks kept by
`white-space: pre-wrap`), cut only where records start and end. Records whose figures share
or overlap a span become one `<mark>` that lists them all (`data-indicator`, `data-records`);
its tooltip gives value, unit, qualifier, status, period, place and subject. Beside the
article: a legend of the indicators present, the records, and the figures validation rejected
with their reasons. Pages are rendered from jinja2 templates (`templates/`), which escape
every piece of text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence

from xhs_extract.jsonl import inside_folder
from xhs_extract.models import Statistic

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

    from xhs_extract.pipeline import FileResult
    from xhs_extract.validate import Rejection

# Colour-blind-friendly light colours (Okabe-Ito, lightened), one per indicator present.
PALETTE = (
    "#f6c97f", "#9fd3f5", "#8fe0c3", "#f7f09a", "#9cc3e6", "#f2b38a", "#e6b3d1",
    "#c9c9c9", "#c7e39a", "#d9c2f0", "#f5a3a3", "#a8e6e0",
)


@functools.cache
def environment() -> "jinja2.Environment":
    """The templates under `templates/`, loaded once, with every value escaped."""
    import jinja2
    from markupsafe import Markup, escape

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )

    def exact(text: str) -> Markup:
        # An HTML parser turns CR and CR LF into LF; a character reference keeps the CR.
        return Markup(str(escape(text)).replace("\r", "&#13;"))

    env.filters["exact"] = exact
    env.filters["number"] = format_number
    return env


def format_number(value: Optional[float]) -> str:
    """92 for 92.0, 98.5 for 98.5, 706,105 for 706105: how a reader expects figures."""
    if value is None:
        return ""
    number = float(value)
    if number.is_integer() and abs(number) < 2**53:
        return f"{int(number):,}"
    return f"{number:,.6g}"


@dataclass
class Mark:
    """One highlighted span of the article and every record on it."""

    start: int
    end: int
    records: list[Statistic] = field(default_factory=list)

    @property
    def ids(self) -> str:
        return " ".join(record.id for record in self.records)

    @property
    def indicators(self) -> str:
        return " ".join(dict.fromkeys(record.indicator for record in self.records))


@dataclass(frozen=True)
class Segment:
    """A piece of the article: plain text, or the text of a mark."""

    text: str
    mark: Optional[Mark] = None


def marks(records: Iterable[Statistic]) -> list[Mark]:
    """Records grouped into marks: records whose spans overlap share one mark."""
    out: list[Mark] = []
    for record in sorted(records, key=lambda r: (r.value_span[0], r.value_span[1], r.id)):
        start, end = record.value_span
        if out and start < out[-1].end:
            out[-1].end = max(out[-1].end, end)
            out[-1].records.append(record)
        else:
            out.append(Mark(start, end, [record]))
    return out


def segments(text: str, spans: Sequence[Mark]) -> list[Segment]:
    """The whole text, cut at every mark; joined, the pieces give `text` back."""
    pieces: list[Segment] = []
    position = 0
    for mark in spans:
        start, end = max(mark.start, position), min(mark.end, len(text))
        if start >= end:
            continue
        if start > position:
            pieces.append(Segment(text[position:start]))
        pieces.append(Segment(text[start:end], mark))
        position = end
    if position < len(text):
        pieces.append(Segment(text[position:]))
    return pieces


def note(record: Statistic) -> str:
    """The tooltip of one record: every attribute a reviewer checks."""
    place = record.geo
    where = "—"
    if place is not None:
        where = place.name + (f" ({place.level}, {place.province})" if place.province else "")
    lines = [
        f"{record.indicator}: {format_number(record.value)} {record.unit}",
        f"qualifier {record.qualifier} · status {record.status} · period {record.period or '—'}",
        f"place {where}",
    ]
    lines.append(f"subject {subject_text(record)}")
    return "\n".join(lines)


def subject_text(record: Statistic) -> str:
    """What the figure counts: the record's `subject` when the extractor gives one (records
    version 2), else the clause that carries the figure."""
    subject = getattr(record, "subject", None)
    text = getattr(subject, "text", None) if subject is not None else None
    return text or f"(clause) {record.evidence.text}"


def legend(records: Sequence[Statistic]) -> list[dict[str, Any]]:
    """The indicators present, each with its colour, name and number of records."""
    from xhs_extract.catalogue import load_catalogue

    catalogue = load_catalogue()
    counts: dict[str, int] = {}
    for record in records:
        counts[record.indicator] = counts.get(record.indicator, 0) + 1
    return [
        {
            "code": code,
            "name": catalogue[code].name_vi if code in catalogue else code,
            "colour": PALETTE[index % len(PALETTE)],
            "count": counts[code],
        }
        for index, code in enumerate(sorted(counts))
    ]


def page_context(
    text: str,
    records: Sequence[Statistic],
    rejected: Sequence["Rejection"] = (),
    title: str = "",
    meta: Optional[dict[str, Any]] = None,
) -> dict[str, Any]:
    """Everything the review template needs for one article."""
    items = legend(records)
    colours = {item["code"]: item["colour"] for item in items}
    spans = marks(records)
    ordered = _in_text_order(spans)
    numbers = {record.id: index for index, record in enumerate(ordered, 1)}
    views = {id(mark): _mark_view(mark, colours, numbers) for mark in spans}
    return {
        "title": title,
        "meta": {key: None for key in _META} | (meta or {}),
        "segments": [
            (piece.text, views[id(piece.mark)] if piece.mark else None)
            for piece in segments(text, spans)
        ],
        "records": [
            {
                "record": record,
                "number": numbers[record.id],
                "anchor": "m-" + mark.records[0].id,
                "colour": colours[record.indicator],
            }
            for mark in spans
            for record in mark.records
        ],
        "legend": items,
        "rejected": sorted(rejected, key=lambda r: (r.value_span, r.indicator)),
        "n_chars": len(text),
    }


_META = ("index", "doc_id", "published", "source", "place", "warnings")


def _mark_view(mark: Mark, colours: dict[str, str], numbers: dict[str, int]) -> dict[str, str]:
    first = mark.records[0]
    return {
        "id": "m-" + first.id,
        "class": "many" if len(mark.records) > 1 else "one",
        "colour": colours[first.indicator],
        "indicators": mark.indicators,
        "records": mark.ids,
        "n": ",".join(str(numbers[record.id]) for record in mark.records),
        "title": "\n\n".join(note(record) for record in mark.records),
    }


def _in_text_order(spans: Sequence[Mark]) -> list[Statistic]:
    return [record for mark in spans for record in mark.records]


def render_html(
    text: str,
    records: Sequence[Statistic],
    title: str = "",
    rejected: Sequence["Rejection"] = (),
    meta: Optional[dict[str, Any]] = None,
) -> str:
    """A self-contained HTML page: the article exactly as read, every record marked."""
    context = page_context(text, records, rejected, title, meta)
    return environment().get_template("review.html.j2").render(**context)


def render_result(result: "FileResult", index_href: Optional[str] = None) -> str:
    """The review page of one processed file."""
    document = result.document
    meta: dict[str, Any] = {"doc_id": result.doc_id, "index": index_href}
    if document is not None:
        meta.update(published=document.published, source=document.source)
        meta["place"] = document.place.name if document.place else None
        meta["warnings"] = document.warnings
    title = (document.title if document and document.title else None) or result.doc_id
    return render_html(result.text or "", result.records, title, result.rejected, meta)


def page_name(doc_id: str) -> str:
    """The file name of a document's review page inside a site (doc ids may hold '/')."""
    return doc_id.replace("/", "__") + ".html"


def write_site(results: Iterable["FileResult"], site: Path) -> list["FileResult"]:
    """One page per readable file plus `index.html` listing them all; returns the results."""
    site.mkdir(parents=True, exist_ok=True)
    done = []
    for result in results:
        if result.status == "ok" and result.text is not None:
            page = render_result(result, index_href="index.html")
            target = inside_folder(site / page_name(result.doc_id), site)
            target.write_text(page, encoding="utf-8")
        result.text = None  # keep memory flat over large folders
        done.append(result)
    rows = [
        {
            "doc_id": r.doc_id,
            "href": page_name(r.doc_id) if r.status == "ok" else None,
            "title": r.document.title if r.document else None,
            "published": r.document.published if r.document else None,
            "records": len(r.records),
            "rejected": len(r.rejected),
            "warnings": (r.document.warnings if r.document else [])
            or ([r.reason] if r.reason else []),
        }
        for r in done
    ]
    index = environment().get_template("review_index.html.j2").render(documents=rows)
    (site / "index.html").write_text(index, encoding="utf-8")
    return done
