"""Scoring predictions against gold annotations, exactly as docs/evaluation.md defines it.

A prediction matches a gold record when both are in the same document, have the same
indicator and unit, values equal within a relative tolerance of 1e-9 and value spans that
overlap (strict mode), or the same without the span condition (relaxed mode, for gold made
without offsets). Each gold record and each prediction takes part in at most one match.

Which pairs are matched is decided by a maximum bipartite matching (augmenting paths, run
separately in each document), so the number of true positives is the largest any one-to-one
assignment allows: a greedy choice could pair a prediction with the "wrong" one of two
overlapping gold figures and lose a match. Among equally large matchings the candidates are
tried in a fixed order of preference (more agreeing attributes, then identical spans, then
more overlap, then file order), so the result is deterministic and attribute accuracy is
not lowered by an arbitrary pairing.

Precision, recall and F1 are micro-averaged over all records of the corpus, and reported
per indicator. A ratio whose denominator is zero is 0.0, except that a corpus with nothing
to find and nothing found scores 1.0 (there is no error to count).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from xhs_extract.errors import AnnotationInputError
from xhs_extract.gold import (
    Entry,
    check_spans_in_texts,
    entries_from_statistics,
    indicator_units,
    load_gold,
    load_predictions,
    read_corpus,
)
from xhs_extract.normalise import strip_marks

MATCH_MODES: tuple[str, ...] = ("strict", "relaxed")
ATTRIBUTES: tuple[str, ...] = ("qualifier", "status", "period", "geo.province")
REL_TOLERANCE = 1e-9
CONTEXT_CHARS = 60

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives, with the ratios they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp, empty=self.fn == 0)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, empty=self.fp == 0)

    @property
    def f1(self) -> float:
        if self.tp + self.fp + self.fn == 0:
            return 1.0
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn, empty=False)

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
        }


def _ratio(numerator: int, denominator: int, *, empty: bool) -> float:
    """numerator/denominator; 0/0 is 1.0 when there is nothing at all to count, else 0.0."""
    if denominator == 0:
        return 1.0 if empty else 0.0
    return numerator / denominator


@dataclass(frozen=True)
class AttributeScore:
    """How often one attribute agrees over the matched pairs."""

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> Optional[float]:
        return self.correct / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {"accuracy": self.accuracy, "correct": self.correct, "total": self.total}


@dataclass(frozen=True)
class Pair:
    """A matched gold record and prediction."""

    gold: Entry
    pred: Entry


@dataclass
class Evaluation:
    """Everything the evaluator found; `to_dict` is the stable machine-readable form."""

    mode: str
    micro: Counts
    per_indicator: dict[str, Counts]
    attributes: dict[str, AttributeScore]
    matched: list[Pair]
    false_positives: list[Entry]
    false_negatives: list[Entry]
    n_documents: int
    n_gold: int
    n_pred: int
    ignored: list[Entry] = field(default_factory=list)
    files: dict[str, Optional[str]] = field(default_factory=dict)

    @property
    def macro(self) -> dict[str, float]:
        """Unweighted mean of the per-indicator ratios (indicators in gold or predictions)."""
        rows = list(self.per_indicator.values())
        if not rows:
            return {"precision": 1.0, "recall": 1.0, "f1": 1.0, "indicators": 0}
        return {
            "precision": sum(r.precision for r in rows) / len(rows),
            "recall": sum(r.recall for r in rows) / len(rows),
            "f1": sum(r.f1 for r in rows) / len(rows),
            "indicators": len(rows),
        }

    def attribute_errors(self) -> list[tuple[str, Pair]]:
        """(attribute, pair) for every matched pair that disagrees on an attribute."""
        return [
            (name, pair)
            for pair in self.matched
            for name in ATTRIBUTES
            if not attribute_agrees(name, pair.gold, pair.pred)
        ]

    def to_dict(self, texts: Mapping[str, str] | None = None) -> dict[str, Any]:
        """JSON-ready result with stable keys; `texts` adds each error's surrounding text."""
        return {
            "mode": self.mode,
            "files": dict(self.files),
            "documents": self.n_documents,
            "gold_records": self.n_gold,
            "predicted_records": self.n_pred,
            "ignored_predictions": len(self.ignored),
            "micro": self.micro.as_dict(),
            "macro": self.macro,
            "per_indicator": {
                code: {**counts.as_dict(), "support": counts.tp + counts.fn}
                for code, counts in sorted(self.per_indicator.items())
            },
            "attributes": {name: score.as_dict() for name, score in self.attributes.items()},
            "false_positives": [entry_report(e, texts) for e in self.false_positives],
            "false_negatives": [entry_report(e, texts) for e in self.false_negatives],
            "attribute_errors": [
                {
                    "attribute": name,
                    "gold": attribute_value(name, pair.gold),
                    "predicted": attribute_value(name, pair.pred),
                    **entry_report(pair.gold, texts),
                }
                for name, pair in self.attribute_errors()
            ],
        }


# --------------------------------------------------------------------------- matching


def values_equal(a: float, b: float) -> bool:
    """Equal within the contract's relative tolerance (1e-9); 0 equals only 0."""
    return math.isclose(a, b, rel_tol=REL_TOLERANCE, abs_tol=0.0)


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Half-open spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def compatible(gold: Entry, pred: Entry, mode: str = "strict") -> bool:
    """Whether the two records may be matched (the matching rules of docs/evaluation.md;
    relaxed drops the span test)."""
    if (gold.doc_id, gold.indicator, gold.unit) != (pred.doc_id, pred.indicator, pred.unit):
        return False
    if not values_equal(gold.value, pred.value):
        return False
    if mode == "relaxed":
        return True
    if gold.span is None or pred.span is None:
        return False
    return spans_overlap(gold.span, pred.span)


def _preference(gold: Entry, pred: Entry, pred_index: int) -> tuple:
    """Sort key for a gold record's candidates: best pairing first, then file order."""
    agree = sum(attribute_agrees(name, gold, pred) for name in ATTRIBUTES)
    if gold.span is not None and pred.span is not None:
        same = gold.span == pred.span
        overlap = max(0, min(gold.span[1], pred.span[1]) - max(gold.span[0], pred.span[0]))
        distance = abs(gold.span[0] - pred.span[0])
    else:
        same, overlap, distance = False, 0, 0
    return (-agree, not same, -overlap, distance, pred_index)


def match_document(
    gold: Sequence[Entry], pred: Sequence[Entry], mode: str = "strict"
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of gold to predictions: (gold index, pred index) pairs.

    Kuhn's augmenting-path algorithm with a breadth-first search (no recursion), which finds
    a maximum matching whatever order the candidates are tried in; the order only chooses
    among maximum matchings, and is fixed by `_preference`.
    """
    candidates: list[list[int]] = []
    for g in gold:
        options = [j for j, p in enumerate(pred) if compatible(g, p, mode)]
        options.sort(key=lambda j: _preference(g, pred[j], j))
        candidates.append(options)
    order = sorted(range(len(gold)), key=lambda i: (gold[i].span or (0, 0), i))
    owner: dict[int, int] = {}  # pred index -> gold index
    for root in order:
        if candidates[root]:
            _augment(root, candidates, owner)
    return sorted((g, p) for p, g in owner.items())


def _augment(root: int, candidates: list[list[int]], owner: dict[int, int]) -> bool:
    """Extend the matching along a shortest augmenting path from gold `root`, if any."""
    came_from: dict[int, tuple[int, Optional[int]]] = {}  # pred -> (gold, previous pred)
    queue: deque[tuple[int, Optional[int]]] = deque([(root, None)])
    visited_gold = {root}
    while queue:
        g, via = queue.popleft()
        for p in candidates[g]:
            if p in came_from:
                continue
            came_from[p] = (g, via)
            if p not in owner:
                while True:  # flip the path back to the root
                    g_here, previous = came_from[p]
                    owner[p] = g_here
                    if previous is None:
                        return True
                    p = previous
            nxt = owner[p]
            if nxt not in visited_gold:
                visited_gold.add(nxt)
                queue.append((nxt, p))
    return False


# --------------------------------------------------------------------------- attributes


@functools.lru_cache(maxsize=1)
def place_prefixes() -> tuple[str, ...]:
    """Administrative prefixes in lower case, longest first, from patterns/places.yaml."""
    from xhs_extract.language import places_data

    words = {unicodedata.normalize("NFC", w).casefold() for w in places_data().prefixes}
    return tuple(sorted(words, key=len, reverse=True))


def strip_diacritics(text: str) -> str:
    """Lower case without diacritics ("Đắk Lắk" -> "dak lak"), spaces collapsed."""
    return " ".join(strip_marks(text.casefold()).split())


def normalise_place(name: Optional[str]) -> Optional[str]:
    """A place name for comparison: prefix removed, then folded ("Tỉnh Sơn La" -> "son la").

    The prefix is removed before the diacritics, so that a name that merely starts like a
    prefix once folded ("Tĩnh Gia") keeps its first word.
    """
    if name is None:
        return None
    lowered = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    for prefix in place_prefixes():
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            rest = lowered[len(prefix):]
            if prefix.endswith(".") or rest[0] == " ":
                lowered = rest.strip()
                break
    return strip_diacritics(lowered) or None


def attribute_value(name: str, entry: Entry) -> Optional[str]:
    """The attribute as recorded (geo.province as written, not normalised)."""
    if name == "geo.province":
        return entry.province
    return getattr(entry, name)


def attribute_agrees(name: str, gold: Entry, pred: Entry) -> bool:
    """docs/evaluation.md: exact for qualifier, status and period; folded places for province."""
    if name == "geo.province":
        return normalise_place(gold.province) == normalise_place(pred.province)
    if name == "period":
        return (gold.period or None) == (pred.period or None)
    return attribute_value(name, gold) == attribute_value(name, pred)


# --------------------------------------------------------------------------- scoring


def is_borderline(entry: Entry) -> bool:
    """A gold record marked `"borderline": true` (records.md §3) is optional: matched, a
    true positive; missed, no false negative."""
    return entry.record.get("borderline") is True


def evaluate(
    gold: Mapping[str, Sequence[Entry]],
    predictions: Sequence[Entry],
    *,
    mode: str = "strict",
    ignore_missing: bool = False,
    gold_source: str = "gold",
) -> Evaluation:
    """Score predictions against gold documents (doc_id -> gold entries).

    Every gold document is scored; a gold document without predictions contributes its
    false negatives; a borderline gold record (`is_borderline`) is optional. Predictions for
    a doc_id that gold does not have are an AnnotationInputError
    ("missing documents": the gold would silently be incomplete), or dropped and counted
    in `Evaluation.ignored` when `ignore_missing` is set.
    """
    if mode not in MATCH_MODES:
        raise ValueError(f"unknown match mode {mode!r}; use one of {', '.join(MATCH_MODES)}")
    by_doc: dict[str, list[Entry]] = defaultdict(list)
    ignored: list[Entry] = []
    for entry in predictions:
        if entry.doc_id in gold:
            by_doc[entry.doc_id].append(entry)
        else:
            ignored.append(entry)
    if ignored and not ignore_missing:
        missing = sorted({e.doc_id for e in ignored})
        shown = ", ".join(f'"{d}"' for d in missing[:5]) + (" …" if len(missing) > 5 else "")
        raise AnnotationInputError(
            ignored[0].source or "predictions", ignored[0].line,
            f"missing documents: {len(missing)} predicted document(s) have no gold line in "
            f"{gold_source} ({shown}); add them to the gold (with \"statistics\": []) or pass "
            "--ignore-missing to leave their predictions out",
        )
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    matched: list[Pair] = []
    false_pos: list[Entry] = []
    false_neg: list[Entry] = []
    for doc_id, gold_entries in gold.items():
        preds = by_doc.get(doc_id, [])
        pairs = match_document(gold_entries, preds, mode)
        matched_gold = {g for g, _ in pairs}
        matched_pred = {p for _, p in pairs}
        for g, p in pairs:
            matched.append(Pair(gold_entries[g], preds[p]))
            tp[gold_entries[g].indicator] += 1
        for i, entry in enumerate(gold_entries):
            if i not in matched_gold and not is_borderline(entry):
                false_neg.append(entry)
                fn[entry.indicator] += 1
        for j, entry in enumerate(preds):
            if j not in matched_pred:
                false_pos.append(entry)
                fp[entry.indicator] += 1
    codes = sorted(set(tp) | set(fp) | set(fn))
    per_indicator = {c: Counts(tp[c], fp[c], fn[c]) for c in codes}
    micro = Counts(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    attributes = {
        name: AttributeScore(
            correct=sum(attribute_agrees(name, pair.gold, pair.pred) for pair in matched),
            total=len(matched),
        )
        for name in ATTRIBUTES
    }
    return Evaluation(
        mode=mode,
        micro=micro,
        per_indicator=per_indicator,
        attributes=attributes,
        matched=matched,
        false_positives=false_pos,
        false_negatives=false_neg,
        n_documents=len(gold),
        n_gold=sum(len(v) for v in gold.values()),
        n_pred=len(predictions) - len(ignored),
        ignored=ignored,
    )


def evaluate_files(
    gold_path: Path,
    pred_path: Optional[Path] = None,
    *,
    corpus: Optional[Path] = None,
    mode: str = "strict",
    ignore_missing: bool = False,
) -> tuple[Evaluation, Optional[dict[str, str]]]:
    """Load, validate and score files; returns the evaluation and the corpus texts if any.

    With `pred_path` the predictions are read from it (and `corpus`, if given, only supplies
    texts for checking spans and showing context). Without it, the extractor is run over
    `corpus` first. Every input problem is an AnnotationInputError naming the file and line.
    """
    codes = indicator_units()
    need_spans = mode == "strict"
    gold = load_gold(gold_path, codes=codes, need_spans=need_spans)
    texts = read_corpus(corpus) if corpus is not None else None
    if pred_path is not None:
        predictions = load_predictions(pred_path, codes=codes, need_spans=need_spans)
        pred_source: Optional[str] = str(pred_path)
    elif corpus is not None:
        predictions = run_extractor(corpus)
        pred_source = f"extractor over {corpus}"
    else:
        raise AnnotationInputError(
            gold_path, None, "nothing to score: give --pred FILE or --corpus DIR"
        )
    if texts is not None:
        missing = sorted(set(gold.documents) - set(texts))
        if missing:
            raise AnnotationInputError(
                gold_path, gold.lines[missing[0]],
                f'the gold document "{missing[0]}" is not in the corpus {corpus}'
                + (f" (nor are {len(missing) - 1} more)" if len(missing) > 1 else ""),
            )
        check_spans_in_texts([e for v in gold.documents.values() for e in v], texts)
        check_spans_in_texts(predictions, texts)
    result = evaluate(
        gold.documents, predictions, mode=mode, ignore_missing=ignore_missing,
        gold_source=str(gold_path),
    )
    result.files = {
        "gold": str(gold_path), "predictions": pred_source,
        "corpus": str(corpus) if corpus is not None else None,
    }
    return result, texts


def run_extractor(corpus: Path) -> list[Entry]:
    """Predictions made by running the extractor over `corpus` in this process."""
    from xhs_extract.pipeline import extract_folder  # only when asked: it loads every stage

    return entries_from_statistics(list(extract_folder(corpus)), source=f"extractor ({corpus})")


# --------------------------------------------------------------------------- reports


def context_of(
    entry: Entry, texts: Mapping[str, str] | None, width: int = CONTEXT_CHARS
) -> Optional[str]:
    """The document text around the figure, the figure in ⟦ ⟧, on one line."""
    if texts is None or entry.span is None or entry.doc_id not in texts:
        return None
    text = texts[entry.doc_id]
    start, end = entry.span
    if end > len(text):
        return None
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    head = "…" if start > width else ""
    tail = "…" if end + width < len(text) else ""
    joined = f"{head}{before}⟦{text[start:end]}⟧{after}{tail}"
    return " ".join(joined.split())


def entry_report(entry: Entry, texts: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One record in an error list: what it claims, where, and the text that carries it."""
    span_text = None
    if texts is not None and entry.span is not None and entry.doc_id in texts:
        span_text = texts[entry.doc_id][entry.span[0]:entry.span[1]]
    return {
        "doc_id": entry.doc_id,
        "indicator": entry.indicator,
        "value": _compact(entry.value),
        "unit": entry.unit,
        "value_span": list(entry.span) if entry.span else None,
        "span_text": span_text,
        "evidence": entry.text,
        "context": context_of(entry, texts),
        "line": entry.line,
    }


def _compact(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _pct(value: Optional[float]) -> str:
    return "–" if value is None else f"{value * 100:.1f}"


def to_markdown(
    result: Evaluation, texts: Mapping[str, str] | None = None, limit: int = 200
) -> str:
    """A report a researcher can paste: settings, scores, and the errors with their text."""
    m = result.micro
    lines = [
        "# xhs-extract evaluation",
        "",
        f"- Matching mode: **{result.mode}** ("
        + ("indicator, unit, value and overlapping value spans"
           if result.mode == "strict" else "indicator, unit and value; spans ignored")
        + ")",
        f"- Gold: `{result.files.get('gold')}`; predictions: `{result.files.get('predictions')}`",
        f"- Documents: {result.n_documents}; gold records: {result.n_gold}; "
        f"predicted records: {result.n_pred}"
        + (f"; predictions ignored (document not in gold): {len(result.ignored)}"
           if result.ignored else ""),
        "",
        "## Scores (micro-averaged over records)",
        "",
        "Precision, recall, F1 and accuracies are percentages.",
        "",
        "| precision | recall | F1 | TP | FP | FN |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {_pct(m.precision)} | {_pct(m.recall)} | {_pct(m.f1)} | {m.tp} | {m.fp} | {m.fn} |",
        "",
        "## Per indicator",
        "",
        "| indicator | precision | recall | F1 | TP | FP | FN |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for code, c in sorted(result.per_indicator.items()):
        lines.append(
            f"| `{code}` | {_pct(c.precision)} | {_pct(c.recall)} | {_pct(c.f1)} "
            f"| {c.tp} | {c.fp} | {c.fn} |"
        )
    lines += [
        "",
        "## Attribute accuracy over matched pairs",
        "",
        "| attribute | accuracy | correct | pairs |",
        "|---|---:|---:|---:|",
    ]
    for name, score in result.attributes.items():
        lines.append(f"| {name} | {_pct(score.accuracy)} | {score.correct} | {score.total} |")
    for title, entries in (
        ("False positives (predicted, not in gold)", result.false_positives),
        ("False negatives (in gold, not predicted)", result.false_negatives),
    ):
        lines += ["", f"## {title}: {len(entries)}", ""]
        for entry in entries[:limit]:
            lines.append(f"- {_markdown_entry(entry, texts)}")
        if len(entries) > limit:
            lines.append(f"- … and {len(entries) - limit} more")
    errors = result.attribute_errors()
    lines += ["", f"## Attribute disagreements: {len(errors)}", ""]
    for name, pair in errors[:limit]:
        lines.append(
            f"- {name}: gold `{attribute_value(name, pair.gold)}`, predicted "
            f"`{attribute_value(name, pair.pred)}`: {_markdown_entry(pair.gold, texts)}"
        )
    if len(errors) > limit:
        lines.append(f"- … and {len(errors) - limit} more")
    return "\n".join(lines) + "\n"


def _markdown_entry(entry: Entry, texts: Mapping[str, str] | None) -> str:
    span = f" [{entry.span[0]}, {entry.span[1]}]" if entry.span else ""
    head = f"`{entry.doc_id}`{span} `{entry.indicator}` {_compact(entry.value)} {entry.unit}"
    shown = context_of(entry, texts) or entry.text
    if shown:
        shown = shown.replace("|", "\\|").replace("⟦", "**").replace("⟧", "**")
        return f"{head}: {shown}"
    return head
