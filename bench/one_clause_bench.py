"""Time one clause holding many figures and no full stop (a scraped table flattened into
one line): the work per clause must grow linearly with its length.

    .venv/bin/python bench/one_clause_bench.py [--figures 500 1000 2000 4000]

Prints, for each size, the seconds `extract_text` takes and the records it finds (one per
figure). Models and patterns are loaded before the first measurement. Target: 4,000
figures in at most 15 s. A benchmark to run by hand, not a timed test.
"""

from __future__ import annotations

import argparse
import time


def one_clause(figures: int) -> str:
    """A headline, then one sentence: a subject and `figures` places with a share each."""
    items = ", ".join(f"xã Chiềng {i} đạt {i % 90 + 1},5%" for i in range(figures))
    return "Tin tức\nTỷ lệ hộ gia đình có Internet cáp quang tại tỉnh Sơn La đạt " + items + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--figures", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    args = parser.parse_args()
    from xhs_extract.pipeline import extract_text

    extract_text(one_clause(5))  # load models and compile patterns first
    print(f"{'figures':>8} {'seconds':>8} {'records':>8} {'ms/figure':>10}")
    for figures in args.figures:
        text = one_clause(figures)
        started = time.perf_counter()
        records = extract_text(text)
        seconds = time.perf_counter() - started
        print(f"{figures:>8} {seconds:>8.2f} {len(records):>8} {1000 * seconds / figures:>10.2f}")


if __name__ == "__main__":
    main()
