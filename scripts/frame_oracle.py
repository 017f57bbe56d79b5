"""Measure the frame classifier on its own, figure by figure, against gold.

For every figure `numbers.find_figures` finds in a corpus's sentences, the frame classifier
(`frames.frame_of` + `frames.indicators_for`) names its indicators; gold says which it
should have (the gold records whose value span overlaps the figure's; none when no record
does). Records marked "borderline" are optional: naming them is no error, missing them is
none either. The same is measured for today's rules (the records `pipeline.process_text`
writes, put on the same figures), and for two ways of using both, first estimates of the
frame classifier plugged in as the rules' own-subject strategy: the frame wherever the
sentence names one (a population, a property or a change) and the rules elsewhere; the
frame where it settles the figure (see `_decisive`) and the rules elsewhere. A pair
(figure, indicator) is the unit counted.

    .venv/bin/python scripts/frame_oracle.py            # the three corpora, side by side
    .venv/bin/python scripts/frame_oracle.py --show 40  # and the frame errors by kind
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from xhs_extract.frames import Frame, accepted_populations, frame_of, indicators_for
from xhs_extract.normalise import normalise
from xhs_extract.numbers import Figure, find_figures
from xhs_extract.pipeline import process_text
from xhs_extract.sentences import paragraphs, split_paragraph

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
CORPORA = {
    "real-dev": (SHARED / "real-dev", SHARED / "real-dev-gold.jsonl"),
    "seeds": (SHARED / "seeds", SHARED / "seeds-gold.jsonl"),
    "corpus": (ROOT / "corpus", ROOT / "gold" / "corpus-gold.jsonl"),
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[str], required: set[str], optional: set[str]) -> None:
        self.tp += len(predicted & required)
        self.fp += len(predicted - required - optional)
        self.fn += len(required - predicted)

    def line(self) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {self.tp} fp {self.fp} fn {self.fn})"


@dataclass
class Result:
    frames: Score = field(default_factory=Score)
    rules: Score = field(default_factory=Score)
    named: Score = field(default_factory=Score)
    settled: Score = field(default_factory=Score)
    kinds: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    unfound: int = 0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gold(path: Path) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                out[row["doc_id"]] = row["statistics"]
    return out


def _shift(figure: Figure, offset: int) -> Figure:
    from dataclasses import replace

    def at(x: int | None) -> int | None:
        return None if x is None else x + offset

    return replace(
        figure, start=figure.start + offset, end=figure.end + offset,
        noun_start=at(figure.noun_start), noun_end=at(figure.noun_end),
        qualifier_span=None if figure.qualifier_span is None else (
            figure.qualifier_span[0] + offset, figure.qualifier_span[1] + offset),
    )


def _decisive(frame: Frame, predicted: set[str]) -> bool:
    """Does the sentence settle the figure: indicators found, or refused for a reason (a
    change, a lacking property, a survey answer, a population no indicator counts)? Else
    the rules' other strategies (the sentence before, a list's heading …) may know more."""
    if predicted or frame.how == "change" or frame.negative or frame.opinion:
        return True
    return frame.population is not None and frame.population not in accepted_populations()


def _kind(predicted: set[str], required: set[str]) -> str:
    if not required:
        return "spurious"
    if not predicted:
        return "missed"
    return "confused" if not predicted & required else "partly"


def _document(raw: str, gold: list[dict], result: Result, name: str) -> None:
    norm = normalise(raw)
    text = norm.text
    records = process_text(raw).records
    used: set[int] = set()
    for p_start, p_end in paragraphs(text):
        for s_start, s_end in split_paragraph(text, p_start, p_end):
            figures = [_shift(f, s_start) for f in find_figures(text[s_start:s_end])]
            for figure in figures:
                raw_span = norm.raw_span(figure.start, figure.end)
                mine = [i for i, g in enumerate(gold) if _overlap(tuple(g["value_span"]), raw_span)]
                used.update(mine)
                required = {gold[i]["indicator"] for i in mine if not gold[i].get("borderline")}
                optional = {gold[i]["indicator"] for i in mine if gold[i].get("borderline")}
                frame = frame_of(text, (s_start, s_end), figure, figures)
                predicted = set(indicators_for(frame, figure.unit))
                rules = {r.indicator for r in records if _overlap(tuple(r.value_span), raw_span)}
                result.frames.add(predicted, required, optional)
                result.rules.add(rules, required, optional)
                named = frame.population is not None or frame.properties or frame.how == "change"
                result.named.add(predicted if named else rules, required, optional)
                settled = _decisive(frame, predicted)
                result.settled.add(predicted if settled else rules, required, optional)
                if (predicted - required - optional) or (required - predicted):
                    kind = _kind(predicted - optional, required)
                    result.kinds[kind] += 1
                    lo, hi = max(s_start, figure.start - 90), min(s_end, figure.end + 70)
                    snippet = text[lo:hi].replace("\n", " ")
                    result.errors.append(
                        f"[{kind}] {name} {text[figure.start:figure.end]!r} "
                        f"pop={frame.population}/{frame.how} props={list(frame.properties)} "
                        f"got={sorted(predicted)} gold={sorted(required)}"
                        f"{' opt=' + str(sorted(optional)) if optional else ''}\n      …{snippet}…"
                    )
    result.unfound += sum(
        1 for i, g in enumerate(gold) if i not in used and not g.get("borderline")
    )


def measure(corpus: Path, gold_path: Path) -> Result:
    gold = _gold(gold_path)
    result = Result()
    for path in sorted(corpus.glob("*.txt")):
        doc_id = path.stem
        _document(path.read_text(encoding="utf-8"), gold.get(doc_id, []), result, doc_id)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="list up to N frame errors per corpus")
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    args = parser.parse_args(argv)
    for name in args.corpus or list(CORPORA):
        corpus, gold_path = CORPORA[name]
        if not gold_path.exists():
            print(f"{name}: {gold_path} not found, skipped")
            continue
        result = measure(corpus, gold_path)
        print(f"{name}")
        print(f"  frames {result.frames.line()}")
        print(f"  rules  {result.rules.line()}")
        print(f"  frame where named, else rules   {result.named.line()}")
        print(f"  frame where settled, else rules {result.settled.line()}")
        kinds = ", ".join(f"{k} {n}" for k, n in result.kinds.most_common())
        print(f"  frame errors by kind: {kinds}; gold records on no figure: {result.unfound}")
        for line in result.errors[: args.show]:
            print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
