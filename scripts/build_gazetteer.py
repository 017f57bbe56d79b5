#!/usr/bin/env python
"""Build patterns/gazetteer.json from the administrative data that underthesea ships.

underthesea carries `underthesea/address/data/mapping.json` (from the vietnamadminunits
project): the 63 provinces before the 1 July 2025 merger, their districts and communes, and
the province each one belongs to after the merger. The runtime must not depend on that
file's layout or on underthesea being importable, so this script distils it into a small,
stable JSON file under patterns/ that the project commits:

    {"about": {...},
     "provinces": [{"name", "type", "code", "province_2025"}, ...],
     "districts": [{"name", "type", "province", "communes": {"xã": [...], ...}}, ...]}

Names carry no administrative prefix; `type` holds the prefix in lower case (tỉnh,
thành phố, huyện, quận, thị xã, xã, phường, thị trấn).

Usage: python scripts/build_gazetteer.py [--source PATH] [--output PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from xhs_extract.language import places_data

# The unit types of each level, from patterns/places.yaml.
PROVINCE_TYPES = places_data().province_types
DISTRICT_TYPES = places_data().district_types
COMMUNE_TYPES = places_data().commune_types

_TYPES = sorted(
    dict.fromkeys((*PROVINCE_TYPES, *DISTRICT_TYPES, *COMMUNE_TYPES)), key=len, reverse=True
)
_PREFIX = re.compile(rf"^({'|'.join(re.escape(t) for t in _TYPES)})\s+(.+)$", re.I)


def split_prefix(full_name: str, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    """("Thị Xã Việt Yên") -> ("thị xã", "Việt Yên"): the source capitalises prefixes unevenly."""
    text = unicodedata.normalize("NFC", " ".join(full_name.split()))
    match = _PREFIX.match(text)
    if not match:
        return None
    kind = match.group(1).lower()
    if kind not in allowed:
        return None
    return kind, match.group(2).strip()


def default_source() -> Path:
    """The mapping file inside the installed underthesea package."""
    try:
        import underthesea  # noqa: PLC0415 - only the build step needs the package
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise SystemExit(
            "build_gazetteer: underthesea is not installed in this Python; install it or "
            "pass --source PATH to its address/data/mapping.json"
        ) from error
    return Path(underthesea.__file__).resolve().parent / "address" / "data" / "mapping.json"


def build(mapping: dict) -> dict:
    """The compact gazetteer from underthesea's mapping (pure: dict in, dict out)."""
    new_names = {key: value["short"] for key, value in mapping["province_names"].items()}
    provinces = []
    old_short: dict[str, str] = {}
    for key, value in mapping["old_province_names"].items():
        parsed = split_prefix(value["name"], PROVINCE_TYPES)
        if parsed is None:
            raise ValueError(
                f"province name {value['name']!r} has no {'/'.join(PROVINCE_TYPES)} prefix"
            )
        kind, _ = parsed
        old_short[key] = value["short"]
        provinces.append(
            {
                "name": value["short"],
                "type": kind,
                "code": value["code"],
                "province_2025": new_names[mapping["province_mapping"][key]],
            }
        )
    provinces.sort(key=lambda item: item["code"])

    districts: dict[tuple[str, str], dict] = {}
    communes: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in mapping["ward_mapping"]:
        province = old_short[row["old_province_key"]]
        parsed = split_prefix(row["old_district"], DISTRICT_TYPES)
        if parsed is None:
            print(f"build_gazetteer: skipped district {row['old_district']!r}", file=sys.stderr)
            continue
        kind, name = parsed
        districts.setdefault((province, name), {"name": name, "type": kind, "province": province})
        if row.get("old_ward"):
            ward = split_prefix(row["old_ward"], COMMUNE_TYPES)
            if ward is None:
                print(f"build_gazetteer: skipped commune {row['old_ward']!r}", file=sys.stderr)
                continue
            communes[(province, name)][ward[0]].add(ward[1])

    code_of = {item["name"]: item["code"] for item in provinces}
    rows = []
    for key in sorted(districts, key=lambda k: (code_of[k[0]], k[1])):
        entry = dict(districts[key])
        entry["communes"] = {
            kind: sorted(names) for kind, names in sorted(communes[key].items()) if names
        }
        rows.append(entry)

    meta = mapping.get("metadata", {})
    return {
        "about": {
            "built_by": "scripts/build_gazetteer.py",
            "source": "underthesea address/data/mapping.json",
            "source_data": meta.get("source"),
            "source_version": meta.get("version"),
            "merger_effective": meta.get("effective_date"),
            "counts": {
                "provinces": len(provinces),
                "districts": len(rows),
                "communes": sum(len(v) for d in rows for v in d["communes"].values()),
            },
        },
        "provinces": provinces,
        "districts": rows,
    }


def dump(gazetteer: dict) -> str:
    """JSON with one entry per line: small on disk and readable in a diff."""
    lines = ["{", f'"about": {json.dumps(gazetteer["about"], ensure_ascii=False)},']
    for section in ("provinces", "districts"):
        items = gazetteer[section]
        lines.append(f'"{section}": [')
        for index, item in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            lines.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + comma)
        lines.append("]," if section == "provinces" else "]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="underthesea mapping.json")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "patterns" / "gazetteer.json",
    )
    args = parser.parse_args(argv)
    source = args.source or default_source()
    try:
        mapping = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"build_gazetteer: cannot read {source}: {error}", file=sys.stderr)
        return 1
    try:
        gazetteer = build(mapping)
    except (KeyError, ValueError) as error:
        print(f"build_gazetteer: {source} does not have the expected layout: {error}",
              file=sys.stderr)
        return 1
    args.output.write_text(dump(gazetteer), encoding="utf-8")
    counts = gazetteer["about"]["counts"]
    print(
        f"wrote {args.output} ({args.output.stat().st_size:,} bytes): {counts['provinces']} "
        f"provinces, {counts['districts']} districts, {counts['communes']} communes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
