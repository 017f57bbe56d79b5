"""underthesea's sentence splitter is loaded on its own: the same splitter, without the
rest of the package (joblib, its text normaliser) that costs half a second to import."""

from __future__ import annotations

import subprocess
import sys

from xhs_extract.sentences import _sent_tokenize_alone

TEXT = (
    "Tỉnh có 1.250 trạm BTS. TP. Hà Nội đạt 92,5%! Còn lại... Ông Nguyễn Văn A cho biết: "
    "«Đến nay, 80% hộ có cáp quang». Ngày 1.1.2025 xong."
)


def test_the_splitter_alone_splits_as_the_package_does() -> None:
    from underthesea import sent_tokenize

    alone = _sent_tokenize_alone()
    assert alone is not None
    for text in (TEXT, "", "Một câu", TEXT.replace(". ", ".\n")):
        assert alone(text) == sent_tokenize(text)


def test_splitting_does_not_import_the_whole_package() -> None:
    code = (
        "import sys; from xhs_extract.sentences import _tokenizer; "
        "print(_tokenizer()('Một câu. Hai câu.')); "
        "print('joblib' in sys.modules, 'underthesea' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.splitlines() == ["['Một câu.', 'Hai câu.']", "False False"]
