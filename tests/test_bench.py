"""The benchmark runs and reports what it promises (its numbers are measurements, not tested)."""

from pathlib import Path

import pytest

from xhs_extract.bench import report, run_bench

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.slow
def test_bench_measures_floor_pipeline_and_parallel_on_the_same_files():
    measurements = run_bench(CORPUS, limit=4, jobs=2)
    assert [m.name.split(",")[0].split(":")[0] for m in measurements] == [
        "floor", "full pipeline", "full pipeline", "whole command", "whole command"
    ]
    assert measurements[3].name.endswith("--jobs 1") and measurements[4].name.endswith("--jobs 2")
    assert {m.files for m in measurements} == {4}
    assert len({m.bytes for m in measurements}) == 1
    assert len({m.records for m in measurements[1:]}) == 1 and measurements[1].records > 0
    assert {m.failed for m in measurements[1:]} == {0}
    assert set(measurements[1].stages) >= {"read", "gate", "rules"}
    assert 0 < sum(measurements[1].stages.values()) <= measurements[1].stages_seconds
    data = report(measurements)
    assert data["full_over_floor"] > 0 and data["parallel_speedup"] > 0
    assert data["command_over_floor"] > 0 and data["command_over_floor_jobs"] > 0
    assert all(m["peak_rss_mb"] > 0 for m in data["measurements"])
    assert data["command_cpu_over_floor_cpu"] > 0
    assert all(m.cpu_seconds > 0 for m in measurements if m.name.startswith(("floor", "whole")))
