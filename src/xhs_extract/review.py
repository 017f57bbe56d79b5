"""Review view: an article with its extracted figures marked, through spaCy's displaCy.

The records become spans of a spaCy `Doc` whose text is the original text, character for
character, so what a reviewer sees highlighted is exactly `text[value_span]`.
"""

from __future__ import annotations

import html
from typing import Iterable

import regex

from xhs_extract.models import Statistic

_TOKENS = regex.compile(r"\s+|\w+|[^\w\s]", regex.UNICODE)
SPANS_KEY = "xhs"


def to_doc(text: str, records: Iterable[Statistic]):
    """A spaCy Doc of `text` (doc.text == text) with one span per record in doc.spans["xhs"]."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    words: list[str] = []
    spaces: list[bool] = []
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token.isspace():
            if words and not spaces[-1] and not words[-1].isspace() and token[0] == " ":
                spaces[-1] = True
                token = token[1:]
            if not token:
                continue
        words.append(token)
        spaces.append(False)
    doc = Doc(Vocab(), words=words, spaces=spaces)
    if doc.text != text:  # spaCy cannot hold this text token for token; keep it plain
        raise ValueError("the text could not be represented as a spaCy Doc without change")
    spans = []
    for record in records:
        span = doc.char_span(*record.value_span, label=_label(record), alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[SPANS_KEY] = spans
    return doc


def _label(record: Statistic) -> str:
    parts = [record.indicator, record.unit]
    if record.qualifier != "exact":
        parts.append(record.qualifier)
    if record.status == "target":
        parts.append("target")
    if record.period:
        parts.append(record.period)
    return " · ".join(parts)


def render_html(text: str, records: list[Statistic], title: str = "") -> str:
    """A self-contained HTML page: the article with every figure marked and labelled."""
    from spacy import displacy

    doc = to_doc(text, records)
    body = displacy.render(
        doc, style="span", options={"spans_key": SPANS_KEY}, page=False, jupyter=False
    )
    rows = "".join(
        f"<tr><td>{html.escape(r.indicator)}</td><td>{r.value:g}</td><td>{r.unit}</td>"
        f"<td>{r.qualifier}</td><td>{r.status}</td><td>{html.escape(str(r.period or ''))}</td>"
        f"<td>{html.escape(r.geo.name if r.geo else '')}</td>"
        f"<td>{html.escape(text[r.value_span[0]:r.value_span[1]])}</td></tr>"
        for r in records
    )
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>"
        f"</head><body><h1>{html.escape(title)}</h1>"
        "<table><tr><th>indicator</th><th>value</th><th>unit</th><th>qualifier</th>"
        f"<th>status</th><th>period</th><th>place</th><th>as written</th></tr>{rows}</table>"
        f"<div style='white-space:pre-wrap'>{body}</div></body></html>"
    )
