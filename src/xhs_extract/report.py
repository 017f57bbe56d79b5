"""The report: one static HTML page over a run's records that opens offline.

`index.html` holds an overview of what was read, a province × indicator heat map of the latest
achieved shares, one bar chart per indicator by province with the national targets drawn in,
and for each province (grouped under its province after the 2025 merger) its facts, gaps and
sources. Sources link to the review pages (`review/`), written beside it when the articles are
at hand. Charts are Plotly figures with plotly.js inlined once, so nothing is fetched.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence

from xhs_extract.catalogue import NationalTarget, load_catalogue
from xhs_extract.consolidate import (
    Fact,
    by_province_2025,
    consolidate,
    name_key,
    period_year,
    read_published,
    read_records,
)
from xhs_extract.gaps import Gap, gap_table
from xhs_extract.models import Statistic
from xhs_extract.review import environment, marks, page_name, write_site

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

REVIEW_DIR = "review"
MISSING_EXTRA = (
    "the report needs plotly: install the report extra (pip install 'xhs-extract[report]')"
)


class MissingExtra(RuntimeError):
    """An optional dependency of the report is not installed."""


def _plotly() -> Any:
    try:
        import plotly.graph_objects as go
        import plotly.offline
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise MissingExtra(MISSING_EXTRA) from error
    return go, plotly.offline


@dataclass(frozen=True)
class ReportInput:
    """What a report is made of: the run's records, its documents' dates, and facts."""

    records: list[Statistic]
    published: dict[str, Optional[str]]
    titles: dict[str, str]
    facts: list[Fact]
    gaps: list[Gap]


def read_input(statistics: Path, documents: Optional[Path]) -> ReportInput:
    records = read_records(statistics)
    published = read_published(documents)
    titles = _read_titles(documents)
    facts = consolidate(records, published)
    return ReportInput(records, published, titles, facts, gap_table(facts))


def _read_titles(documents: Optional[Path]) -> dict[str, str]:
    import json

    if documents is None or not documents.exists():
        return {}
    titles = {}
    with documents.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                data = json.loads(line)
                titles[data["doc_id"]] = data.get("title") or data["doc_id"]
    return titles


# --------------------------------------------------------------------------- charts


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    return dict(
        height=height,
        margin=dict(l=10, r=10, t=36, b=10),
        font=dict(family="system-ui, sans-serif", size=12),
        plot_bgcolor="#ffffff",
        **extra,
    )


def heatmap(gaps: Sequence[Gap]) -> Optional["go.Figure"]:
    """Province × indicator: the latest achieved share (percent) of each province."""
    go, _ = _plotly()
    shares = [g for g in gaps if g.unit == "percent" and g.achieved is not None]
    if not shares:
        return None
    provinces = sorted({g.province for g in shares}, key=name_key)
    indicators = sorted({g.indicator for g in shares})
    cells = {(g.province, g.indicator): g for g in shares}
    z, text = [], []
    for province in provinces:
        row_z, row_text = [], []
        for indicator in indicators:
            gap = cells.get((province, indicator))
            fact = gap.achieved if gap else None
            row_z.append(fact.value if fact else None)
            row_text.append(f"{fact.value:g}% ({fact.as_of or 'no date'})" if fact else "")
        z.append(row_z)
        text.append(row_text)
    figure = go.Figure(
        go.Heatmap(
            z=z, x=indicators, y=provinces, text=text, zmin=0, zmax=100,
            colorscale="Viridis", colorbar=dict(title="%"), hoverongaps=False,
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
            texttemplate="%{z:.0f}", textfont=dict(size=10),
        )
    )
    figure.update_layout(
        **_layout(max(360, 22 * len(provinces) + 260))
    )
    figure.update_xaxes(tickangle=-40, automargin=True, side="top")
    figure.update_yaxes(autorange="reversed", automargin=True)
    return figure


def bar_chart(indicator: str, unit: str, gaps: Sequence[Gap]) -> "go.Figure":
    """One indicator by province, with each national target as a dashed line."""
    go, _ = _plotly()
    rows = sorted((g for g in gaps if g.achieved is not None), key=lambda g: name_key(g.province))
    figure = go.Figure(
        go.Bar(
            x=[g.province for g in rows],
            y=[g.achieved.value for g in rows if g.achieved],
            text=[f"{g.achieved.value:g}" for g in rows if g.achieved],
            customdata=[g.achieved.as_of or "no date" for g in rows if g.achieved],
            hovertemplate="%{x}: %{y} " + unit + " (%{customdata})<extra></extra>",
            marker_color="#4c78a8",
            textposition="outside",
            cliponaxis=False,
        )
    )
    drawn = drawn_targets(indicator, unit, rows)
    top = max([g.achieved.value for g in rows if g.achieved] + [t.value for t in drawn] + [0])
    figure.update_yaxes(range=[0, top * 1.2 or 1], automargin=True)
    for side, target in enumerate(drawn):
        figure.add_hline(
            y=target.value, line_dash="dash", line_color="#e45756",
            annotation_text=f"national target {target.year}: {target.value:g}",
            annotation_position="top right" if side % 2 else "top left",
            annotation_bgcolor="rgba(255,255,255,0.8)",
        )
    figure.update_layout(**_layout(300, title=f"{indicator} ({unit})", showlegend=False))
    figure.update_xaxes(tickangle=-40, automargin=True)
    return figure


def drawn_targets(indicator: str, unit: str, rows: Sequence[Gap]) -> list[NationalTarget]:
    """The national targets a chart draws: those due in or after the year of its latest
    value (all of them when no value is dated), at most two."""
    targets = load_catalogue().national.for_indicator(indicator, unit)
    years = [period_year(g.achieved.as_of) for g in rows if g.achieved is not None]
    latest = max((y for y in years if y is not None), default=None)
    due = [t for t in targets if latest is None or t.year >= latest] or list(targets[-1:])
    return due[-2:] if latest is None else due[:2]


def _figure_html(figure: Optional["go.Figure"], div_id: str) -> str:
    if figure is None:
        return ""
    return str(
        figure.to_html(
            full_html=False, include_plotlyjs=False, div_id=div_id,
            config={"displayModeBar": False, "responsive": True},
        )
    )


def chart_unit(indicator: str, units: Iterable[str]) -> str:
    """The unit an indicator is charted in: that of its national targets, else a share,
    else the first of the units reported (in catalogue order of units)."""
    present = sorted(units, key=UNIT_ORDER.index)
    for target in load_catalogue().national.targets:
        if target.indicator == indicator and target.unit in present:
            return target.unit
    return present[0]


UNIT_ORDER = ("percent", "per_100_people", "mbps", "count", "vnd")


def charts(gaps: Sequence[Gap]) -> list[dict[str, Any]]:
    """One bar chart per indicator that some province has an achieved value of."""
    grouped: dict[str, dict[str, list[Gap]]] = defaultdict(lambda: defaultdict(list))
    for gap in gaps:
        if gap.achieved is not None:
            grouped[gap.indicator][gap.unit].append(gap)
    out = []
    for indicator, by_unit in sorted(grouped.items()):
        unit = chart_unit(indicator, by_unit)
        figure = bar_chart(indicator, unit, by_unit[unit])
        out.append(
            {"indicator": indicator, "unit": unit, "html": _figure_html(figure, f"bar-{indicator}")}
        )
    return out


# --------------------------------------------------------------------------- page


def _anchors(records: Iterable[Statistic]) -> dict[str, str]:
    """record id -> the id of the mark that shows it on its review page."""
    by_doc: dict[str, list[Statistic]] = defaultdict(list)
    for record in records:
        by_doc[record.doc_id].append(record)
    anchors = {}
    for doc_records in by_doc.values():
        for mark in marks(doc_records):
            for record in mark.records:
                anchors[record.id] = "m-" + mark.records[0].id
    return anchors


def overview(data: ReportInput) -> dict[str, Any]:
    per_indicator = Counter(record.indicator for record in data.records)
    provinces = Counter(fact.province for fact in data.facts if fact.province)
    return {
        "documents": len(data.published) or len({r.doc_id for r in data.records}),
        "records": len(data.records),
        "facts": len(data.facts),
        "conflicts": sum(fact.conflict for fact in data.facts),
        "per_indicator": sorted(per_indicator.items()),
        "provinces": sorted(provinces.items(), key=lambda item: name_key(item[0])),
    }


def province_sections(data: ReportInput) -> list[dict[str, Any]]:
    """Merged province -> old provinces, each with its facts and gap rows."""
    gaps_by_province: dict[str, list[Gap]] = defaultdict(list)
    for gap in data.gaps:
        gaps_by_province[gap.province].append(gap)
    return [
        {
            "name": merged,
            "provinces": [
                {"name": old, "facts": facts, "gaps": gaps_by_province.get(old, [])}
                for old, facts in olds.items()
            ],
        }
        for merged, olds in by_province_2025(data.facts).items()
    ]


def render_report(data: ReportInput, review_href: Optional[str]) -> str:
    """The report page as HTML, plotly.js inlined."""
    _, offline = _plotly()
    from markupsafe import Markup

    national = load_catalogue().national
    context = {
        "overview": overview(data),
        "heatmap": Markup(_figure_html(heatmap(data.gaps), "heatmap-chart")),
        "charts": [dict(c, html=Markup(c["html"])) for c in charts(data.gaps)],
        "sections": province_sections(data),
        "targets": national.targets,
        "review": review_href,
        "anchors": _anchors(data.records),
        "titles": data.titles,
        "page_name": page_name,
        "plotly_js": Markup(offline.get_plotlyjs().replace("</script", "<\\/script")),
    }
    return environment().get_template("report.html.j2").render(**context)


def write_report(
    statistics: Path,
    documents: Optional[Path],
    out_dir: Path,
    corpus: Optional[Path] = None,
    jobs: int = 1,
) -> Path:
    """Write `out_dir/index.html` (and `out_dir/review/` when `corpus` is given)."""
    _plotly()  # fail before any work when the extra is missing
    data = read_input(statistics, documents)
    out_dir.mkdir(parents=True, exist_ok=True)
    review_href = None
    if corpus is not None:
        write_review_site(corpus, out_dir / REVIEW_DIR, jobs)
        review_href = REVIEW_DIR
    page = out_dir / "index.html"
    page.write_text(render_report(data, review_href), encoding="utf-8")
    return page


def write_review_site(corpus: Path, site: Path, jobs: int = 1) -> int:
    """Review pages for every article under `corpus` (or the one file); returns how many."""
    from xhs_extract.pipeline import run_files
    from xhs_extract.read import iter_input_files

    if corpus.is_file():
        paths, root = [corpus], corpus.parent
    else:
        paths, root = iter_input_files(corpus), corpus
    return len(write_site(run_files(paths, root, jobs=jobs, keep_text=True), site))
