"""A metadata side file (`extract --metadata`) from a corpus's SOURCE.md table.

The table's rows read `| doc | … | address |`; only the document and its address are
kept (a crawl knows both), one JSON line per document:

    python scripts/source_table_metadata.py ../shared/corpus/real-dev/SOURCE.md -o meta.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

_ROW = re.compile(r"^\|\s*(?P<doc>[\w-]+)\s*\|.*\|\s*(?P<url>https?://\S+)\s*\|\s*$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    rows = []
    for line in args.table.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows.append({"doc_id": match["doc"], "url": match["url"]})
    with open(args.output, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} documents -> {args.output}")


if __name__ == "__main__":
    main()
