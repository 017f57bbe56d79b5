"""Check that a change of structure changed no output: run `xhs-extract extract` over
fixed folders and compare every output file, byte for byte, with an earlier run.

    python scripts/same_outputs.py snapshot DIR      # run and keep the outputs in DIR
    python scripts/same_outputs.py check DIR         # run again and compare with DIR

Folders: the project's corpus/, and where ../shared is present the seeds, the real-dev
excerpts and the bench corpus. Exit 1 (naming the files) when any output differs.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FOLDERS = {
    "corpus": ROOT / "corpus",
    "seeds": SHARED / "corpus" / "seeds",
    "real-dev": SHARED / "corpus" / "real-dev",
    "bench": SHARED / "bench-corpus" / "articles",
}
OUTPUTS = ("statistics.jsonl", "documents.jsonl", "manifest.jsonl")


def run(target: Path) -> list[str]:
    """Extract every folder present into target/<name>/; the names of the folders run."""
    command = Path(sys.executable).with_name("xhs-extract")
    done = []
    for name, folder in FOLDERS.items():
        if not folder.is_dir():
            print(f"skipped {name}: {folder} is absent", file=sys.stderr)
            continue
        out = target / name
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(command), "extract", str(folder), "-o", str(out / "statistics.jsonl"),
             "--jobs", "2", "--quiet", "--allow-failures"],
            check=True,
        )
        done.append(name)
    return done


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("snapshot", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    kept = Path(argv[1])
    if argv[0] == "snapshot":
        run(kept)
        print(f"outputs kept in {kept}")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        names = run(Path(scratch))
        differing = [
            f"{name}/{output}"
            for name in names
            for output in OUTPUTS
            if not filecmp.cmp(kept / name / output, Path(scratch) / name / output, shallow=False)
        ]
    if differing:
        print("outputs differ: " + ", ".join(differing))
        return 1
    print(f"identical: {len(names) * len(OUTPUTS)} output files of {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
