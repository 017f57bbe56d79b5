"""Measure the prefilter alone against the current gate, on a folder of articles.

    .venv/bin/python bench/prefilter_bench.py [--corpus DIR] [--limit N] [--engines]

Reports, for the current gate (`rules.has_anchor`, `rules.may_match`) and the prefilter
(`prefilter.prefilter().may_match`): MB/s over whole documents, the share of documents that
pass, and the share of paragraphs (of the matching form, as the pipeline gates them) that
pass. With --engines it also times the multi-pattern engines one could use for the same
literals. Documents on which the two gates disagree are run through the pipeline, to show
which gate was right.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "bench-corpus" / "articles"


REPEAT = 3


def _timed(fn, items, repeat: int | None = None) -> tuple[list, float]:
    """Results and the best time of `repeat` runs (the first run also warms caches)."""
    best = float("inf")
    out: list = []
    for _ in range(repeat or REPEAT):
        start = time.perf_counter()
        out = [fn(x) for x in items]
        best = min(best, time.perf_counter() - start)
    return out, best


def _could_fire(text: str) -> bool:
    """An oracle weaker than the rules (so a superset of where they fire): some rule finds
    all its `all` and `sentence` cues in the text, and the number grammar finds a figure
    in a unit the catalogue allows for it."""
    from xhs_extract.catalogue import load_catalogue
    from xhs_extract.numbers import find_figures
    from xhs_extract.rules import ruleset

    units = {f.unit or "count" for f in find_figures(text)}
    catalogue = load_catalogue()
    for rule in ruleset().rules:
        allowed = {u for u in units if catalogue.allows(rule.indicator, u)}
        if not rule.all:
            allowed &= {"mbps"}
        if allowed and all(p.search(text) for p in (*rule.all, *rule.sentence)):
            return True
    return False


def _line(name: str, seconds: float, megabytes: float, passed: int | None = None, total: int = 0) -> str:
    share = f"  pass {passed:6d}/{total} = {100 * passed / total:5.1f}%" if passed is not None else ""
    return f"  {name:42s} {seconds:7.3f} s {megabytes / seconds:8.1f} MB/s{share}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--engines", action="store_true", help="also compare matching engines")
    parser.add_argument("--no-paragraphs", action="store_true", help="skip the paragraph shares")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)
    if not args.corpus.is_dir():
        print(f"prefilter_bench: the corpus folder {args.corpus} does not exist", file=sys.stderr)
        return 2
    paths = sorted(args.corpus.glob("*.txt"))
    if args.limit:
        paths = paths[: args.limit]
    docs = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    megabytes = sum(len(d.encode("utf-8", "surrogatepass")) for d in docs) / 1e6
    print(f"{len(docs)} documents, {megabytes:.1f} MB from {args.corpus}")

    from xhs_extract import rules
    from xhs_extract.prefilter import prefilter

    start = time.perf_counter()
    gate = prefilter()
    print(f"prefilter built in {time.perf_counter() - start:.2f} s, engine {gate.engine}, "
          f"{len(gate._clause_ids)} clauses")
    rules.ruleset()
    rules.has_anchor("warm up 1")
    gate.may_match(docs[0])  # warm the engine's lazily built automaton

    n = len(docs)
    print(f"whole documents (best of {REPEAT} runs; current may_match: one run):")
    old_anchor, t = _timed(rules.has_anchor, docs)
    print(_line("current has_anchor", t, megabytes, sum(old_anchor), n))
    old_may, t = _timed(rules.may_match, docs, repeat=1)  # slow: one run
    print(_line("current may_match (has_anchor + cues)", t, megabytes, sum(old_may), n))
    new_may, t = _timed(gate.may_match, docs)
    print(_line("prefilter may_match", t, megabytes, sum(new_may), n))
    new_cand, t = _timed(gate.candidates, docs)
    print(_line("prefilter candidates", t, megabytes, sum(1 for c in new_cand if c), n))

    if not args.no_paragraphs:
        from xhs_extract.normalise import normalise
        from xhs_extract.sentences import paragraphs

        pars = []
        for doc in docs:
            text = normalise(doc).text
            pars.extend(text[a:b] for a, b in paragraphs(text))
        pmb = sum(len(p.encode("utf-8", "surrogatepass")) for p in pars) / 1e6
        print(f"paragraphs of the matching form ({len(pars)}, {pmb:.1f} MB):")
        old_p, t = _timed(rules.gate, pars, repeat=1)
        print(_line("current gate (may_match)", t, pmb, sum(old_p), len(pars)))
        new_p, t = _timed(gate.may_match, pars)
        print(_line("prefilter may_match", t, pmb, sum(new_p), len(pars)))
        missed = [p for p, o, nw in zip(pars, old_p, new_p) if o and not nw]
        firing = sum(_could_fire(p) for p in missed)
        print(f"  paragraphs the current gate passes and the prefilter does not: {len(missed)}; "
              f"where some rule could fire (cues + a figure in an allowed unit): {firing}")
        late = sum(_could_fire(p) for p, nw in zip(pars, new_p) if not nw)
        print(f"  paragraphs the prefilter rejects where some rule could fire: {late} (must be 0)")

    only_old = [i for i in range(n) if old_may[i] and not new_may[i]]
    only_new = [i for i in range(n) if new_may[i] and not old_may[i]]
    print(f"documents passed by the current gate only: {len(only_old)}; by the prefilter only: {len(only_new)}")
    if only_old or only_new:
        from xhs_extract.pipeline import process_text

        for label, idx in (("current only", only_old), ("prefilter only", only_new)):
            with_records = [
                paths[i].name for i in idx[:300] if any(r.extractor.startswith("rule:") for r in process_text(docs[i]).records)
            ]
            print(f"  {label}: {len(with_records)} of {min(len(idx), 300)} checked give rule records"
                  + (f" ({', '.join(with_records[:8])})" if with_records else ""))

    if args.engines:
        _engines(gate, docs, megabytes)
    return 0


def _engines(gate, docs: list[str], megabytes: float) -> None:
    """The same literals in other engines. Only `re2` and `re` (used by the prefilter) see
    the full character classes; the Aho-Corasick ones run over `str.lower()` with the
    literals as written, which is cheaper than a sound gate and shows an upper bound."""
    import re
    import unicodedata

    from xhs_extract.prefilter import Prefilter

    literals = sorted({x for r in gate.rules for c in r.clauses for x in c} | {"phần trăm"})
    print(f"engines over the same {len(literals)} literals:")
    _, t = _timed(lambda d: unicodedata.is_normalized("NFC", d), docs)
    print(_line("is_normalized (part of every sound gate)", t, megabytes))
    _, t = _timed(lambda d: d.encode("utf-8"), docs)
    print(_line("str.encode utf-8 (part of re2)", t, megabytes))
    _, t = _timed(str.lower, docs)
    print(_line("str.lower (needed by Aho-Corasick)", t, megabytes))
    engine = gate._engine
    _, t = _timed(engine.found, docs)
    print(_line(f"{engine.name}: found (classes, sound)", t, megabytes))
    sample = docs[: max(1, len(docs) // 20)]
    smb = sum(len(d.encode()) for d in sample) / 1e6
    slow = Prefilter(gate.rules, prefer=["re"])
    _, t = _timed(slow._engine.found, sample)
    print(_line("re: one search per clause (sound, 5% sample)", t, smb))
    lowered = [d.lower() for d in docs]
    alternation = re.compile("|".join(re.escape(x) for x in sorted(literals, key=len, reverse=True)))
    _, t = _timed(lambda d: set(alternation.findall(d)), lowered[: len(sample)])
    print(_line("re alternation on lower() (5% sample)", t, smb))
    _, t = _timed(lambda d: [x for x in literals if x in d], lowered)
    print(_line("str.__contains__ loop on lower()", t, megabytes))
    try:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for i, x in enumerate(literals):
            automaton.add_word(x, i)
        automaton.make_automaton()
        _, t = _timed(lambda d: {v for _, v in automaton.iter(d)}, lowered)
        print(_line("pyahocorasick iter on lower()", t, megabytes))
    except ImportError:
        print("  pyahocorasick: not installed")
    try:
        import ahocorasick_rs

        ac = ahocorasick_rs.BytesAhoCorasick([x.encode() for x in literals])
        encoded = [d.encode() for d in lowered]
        _, t = _timed(lambda d: {i for i, _, _ in ac.find_matches_as_indexes(d, overlapping=True)}, encoded)
        print(_line("ahocorasick_rs (bytes, overlapping) on lower()", t, megabytes))
    except ImportError:
        print("  ahocorasick_rs: not installed")


if __name__ == "__main__":
    raise SystemExit(main())
