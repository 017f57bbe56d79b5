"""Measure: the cue words of the gate found by spaCy's PhraseMatcher or by one regex.

Both find which documents hold one of the cue words the rules need (the literals the
prefilter derives from patterns/phrasings.yaml) on the same files; the script prints MB/s
for each and whether they agree. Run:
    .venv/bin/python bench/phrasematcher_vs_regex.py ../shared/bench-corpus/articles 2000
"""

import re
import sys
import time
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher

from xhs_extract.prefilter import prefilter


def main(folder: str, limit: int) -> None:
    files = sorted(Path(folder).glob("*.txt"))[:limit]
    texts = [f.read_text(encoding="utf-8") for f in files]
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    literals = {word for rule in prefilter().rules for clause in rule.clauses for word in clause}
    words = sorted({w.lower().strip() for w in literals if len(w.strip()) >= 3}, key=len, reverse=True)

    pattern = re.compile("|".join(re.escape(w) for w in words))
    start = time.perf_counter()
    by_regex = [pattern.search(t.lower()) is not None for t in texts]
    regex_seconds = time.perf_counter() - start

    nlp = spacy.blank("xx")  # rule tokenizer only: Vietnamese syllables are space-separated
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("GATE", [nlp.make_doc(w) for w in words])
    start = time.perf_counter()
    by_spacy = [bool(matcher(nlp.make_doc(t))) for t in texts]
    spacy_seconds = time.perf_counter() - start

    agree = sum(a == b for a, b in zip(by_regex, by_spacy))
    print(f"{len(texts)} files, {size:.1f} MB")
    print(f"regex (stdlib re, one alternation): {size / regex_seconds:8.1f} MB/s, {sum(by_regex)} documents pass")
    print(f"spaCy make_doc + PhraseMatcher:     {size / spacy_seconds:8.1f} MB/s, {sum(by_spacy)} documents pass")
    print(f"agreement: {agree}/{len(texts)} (regex also finds words inside tokens such as '4g/5g')")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
