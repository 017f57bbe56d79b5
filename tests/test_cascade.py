"""The cheap gates of the cascade change no result: they only skip text no rule can use."""

from pathlib import Path

import pytest

import xhs_extract.pipeline as pipeline
from xhs_extract.read import iter_input_files, read_document

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"


def _texts():
    folders = [REPO / "corpus"] + ([SEEDS] if SEEDS.is_dir() else [])
    for folder in folders:
        for path in iter_input_files(folder):
            yield read_document(path, folder).text
    from tests.test_rules import CASES

    for text, _ in CASES.values():
        yield text


def _records(text):
    return [r.to_json_dict() for r in pipeline.process_text(text, "doc").records]


def test_gates_change_no_result(monkeypatch):
    texts = list(_texts())
    assert len(texts) > 40
    with_gates = [_records(t) for t in texts]
    monkeypatch.setattr(pipeline, "gate", lambda text, utf8=None: True)
    without_gates = [_records(t) for t in texts]
    assert with_gates == without_gates
    assert sum(map(len, with_gates)) > 100


@pytest.mark.parametrize(
    "text, name, level, province",
    [
        # A figure named for a district takes the district, not the article's province.
        (
            "Tỉnh Sơn La đẩy mạnh chuyển đổi số.\nHuyện Mộc Châu có 92% hộ gia đình có Internet cáp quang.",
            "Mộc Châu",
            "district",
            "Sơn La",
        ),
        (
            "Tỉnh Sơn La đẩy mạnh chuyển đổi số.\nToàn tỉnh có 85% hộ gia đình có Internet cáp quang.",
            "Sơn La",
            "province",
            "Sơn La",
        ),
        (
            "Tỉnh Sơn La đẩy mạnh chuyển đổi số.\nCả nước có 85% hộ gia đình có Internet cáp quang.",
            "Việt Nam",
            "nation",
            None,
        ),
        # A district inside an organisation's name is not the figure's subject.
        (
            "Tỉnh Sơn La đẩy mạnh chuyển đổi số.\nTheo Bệnh viện đa khoa huyện Mộc Châu, toàn tỉnh có 85% dân số có hồ sơ sức khỏe điện tử.",
            "Sơn La",
            "province",
            "Sơn La",
        ),
    ],
)
def test_place_of_a_figure(text, name, level, province):
    (record,) = pipeline.extract_text(text)
    assert (record.geo.name, record.geo.level, record.geo.province) == (name, level, province)
