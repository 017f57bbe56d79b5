"""Write stage: the order of the records and their JSON form (the files: `xhs_extract.jsonl`)."""

from __future__ import annotations

from typing import Any

from xhs_extract.models import DocumentRecord, Statistic


def sort_key(record: Statistic) -> tuple[Any, ...]:
    """Records in deterministic order: by document, then by where their figure stands."""
    span = record.value_span
    return (record.doc_id, span[0], span[1], record.indicator, record.unit)


def record_dict(record: Statistic | DocumentRecord) -> dict[str, Any]:
    """A record as the JSON object of its output line."""
    if isinstance(record, Statistic):
        return record.to_json_dict()
    return record.model_dump(mode="json")
