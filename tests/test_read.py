"""The read stage: decoding every encoding we promise, refusing hostile files clearly, HTML."""

from __future__ import annotations

import hashlib
import json
import os
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.legacy import encode_legacy
from xhs_extract.errors import ERRORS, WARNINGS, ArticleInputError
from xhs_extract.read import (
    DEFAULT_MAX_BYTES,
    RawDocument,
    decode_bytes,
    decode_legacy,
    doc_id_for,
    extract_html_text,
    is_vietnamese_syllable,
    iter_input_files,
    looks_like_html,
    read_document,
    vietnamese_score,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"

# Written for these tests; every tone mark, đ and the letters ă â ê ô ơ ư occur.
SENTENCE = (
    "Đến nay, tỷ lệ hộ gia đình có đường Internet cáp quang băng rộng đạt 92%; "
    "gần 60% số thuê bao sử dụng điện thoại thông minh, ước đạt 46,3% người dùng. "
    "Ủy ban nhân dân tỉnh phấn đấu năm 2025 có 706.105 người có tài khoản, "
    "khỏe mạnh, hòa nhập, vững chắc, giữ gìn văn hóa."
)
# TCVN3 cannot write capitals with tone marks ("Ủ"); this one has none.
SENTENCE_NO_TONED_CAPITALS = SENTENCE.replace("Ủy ban", "UBND")


def cp1258_form(text: str) -> str:
    """How Windows-1258 writes Vietnamese: base letters precomposed, tone marks combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        marks = "".join(c for c in decomposed if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + marks)
    return "".join(out)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------
# Encodings


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SENTENCE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + SENTENCE.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + SENTENCE.encode("utf-16-be"), "utf-16-be"),
        (SENTENCE.encode("utf-16"), "utf-16-le" if os.sys.byteorder == "little" else "utf-16-be"),
        (b"\xff\xfe\x00\x00" + SENTENCE.encode("utf-32-le"), "utf-32-le"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-16-native", "utf-32-le"],
)
def test_unicode_encodings_round_trip(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data)
    assert text == SENTENCE
    assert found == encoding


def test_utf16_without_bom_is_recognised() -> None:
    text, found = decode_bytes(SENTENCE.encode("utf-16-le"))
    assert (text, found) == (SENTENCE, "utf-16-le")
    text, found = decode_bytes(SENTENCE.encode("utf-16-be"))
    assert (text, found) == (SENTENCE, "utf-16-be")


def test_cp1258_decodes_and_keeps_combining_marks() -> None:
    data = cp1258_form(SENTENCE).encode("cp1258")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, found = decode_bytes(data)
    assert found == "cp1258"
    assert text == cp1258_form(SENTENCE)  # raw stays as decoded: combining tone marks
    assert not unicodedata.is_normalized("NFC", text)
    assert unicodedata.normalize("NFC", text) == SENTENCE


def test_nfd_text_is_kept_decomposed() -> None:
    nfd = unicodedata.normalize("NFD", SENTENCE)
    text, found = decode_bytes(nfd.encode("utf-8"))
    assert (text, found) == (nfd, "utf-8")


@pytest.mark.parametrize("encoding", ["vni", "tcvn3"])
def test_legacy_encodings_both_directions(encoding: str) -> None:
    data = encode_legacy(SENTENCE_NO_TONED_CAPITALS, encoding)
    assert not data.isascii()
    assert decode_legacy(data, encoding) == SENTENCE_NO_TONED_CAPITALS
    text, found = decode_bytes(data)
    assert (text, found) == (SENTENCE_NO_TONED_CAPITALS, encoding)


def test_legacy_tables_match_known_bytes() -> None:
    # The classic examples: "Xin chào" is "Xin chaøo" in VNI and "Xin chµo" in TCVN3.
    assert encode_legacy("Xin chào", "vni") == b"Xin cha\xf8o"
    assert encode_legacy("Xin chào", "tcvn3") == b"Xin ch\xb5o"
    assert encode_legacy("Đường", "vni") == b"\xd1\xf6\xf4\xf8ng"
    assert encode_legacy("đường", "tcvn3") == b"\xae\xad\xeang"


def test_legacy_every_letter_round_trips() -> None:
    letters = "".join(
        sorted({unicodedata.normalize("NFC", ch) for ch in SENTENCE if not ch.isascii()})
    )
    for encoding in ("vni", "tcvn3"):
        sample = letters if encoding == "vni" else letters.lower()
        assert decode_legacy(encode_legacy(sample, encoding), encoding) == sample


def test_tcvn3_capitals_with_tone_come_out_lower_case() -> None:
    data = encode_legacy(SENTENCE, "tcvn3")
    text, found = decode_bytes(data)
    assert found == "tcvn3"
    assert text == SENTENCE.replace("Ủy", "ủy")


def test_legacy_decoding_refuses_unmapped_bytes() -> None:
    from xhs_extract.read import LegacyDecodeError

    with pytest.raises(LegacyDecodeError, match="0x80"):
        decode_legacy(b"abc\x80", "tcvn3")


@pytest.mark.parametrize("encoding", ["vni", "tcvn3"])
def test_utf8_holding_legacy_mojibake_is_repaired(encoding: str) -> None:
    mojibake = encode_legacy(SENTENCE_NO_TONED_CAPITALS, encoding).decode("latin-1")
    text, found = decode_bytes(mojibake.encode("utf-8"))
    assert text == SENTENCE_NO_TONED_CAPITALS
    assert found == f"{encoding}-in-utf-8"


def test_double_encoded_utf8_is_repaired() -> None:
    undefined = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
    mojibake = "".join(
        chr(b) if b in undefined else bytes([b]).decode("cp1252") for b in SENTENCE.encode("utf-8")
    )
    text, found = decode_bytes(mojibake.encode("utf-8"))
    assert (text, found) == (SENTENCE, "double-utf-8")


def test_correct_utf8_with_latin_letters_is_not_repaired() -> None:
    text = "Ông Nguyễn Văn An nói tiếng Pháp: « café crème » rất ngon, đạt 100% hài lòng."
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


def test_text_that_is_not_vietnamese_gets_a_warning(tmp_path: Path) -> None:
    text = "Ærø ØÅ ñøß œuvre çà et là, hôtel Zürich Ångström fjærland øl " * 5
    doc = read_document(write(tmp_path, "nordic.txt", text.encode("utf-8")), tmp_path)
    assert doc.text == text and doc.encoding == "utf-8"
    assert any(w.startswith("W008") for w in doc.warnings)


def test_html_page_in_its_declared_non_vietnamese_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>{}</p></body></html>'
    body = "Øresund og Ærø: søndag blev 92% af færgerne aflyst, sagde Åse."
    doc = read_document(write(tmp_path, "dk.html", page.format(body).encode("cp1252")), tmp_path)
    assert doc.text == body
    assert doc.encoding == "html+windows-1252"


def test_utf8_with_one_bad_byte_is_read_with_a_warning(tmp_path: Path) -> None:
    data = SENTENCE.encode("utf-8") * 20
    data = data[:500] + b"\xff" + data[500:]
    doc = read_document(write(tmp_path, "a.txt", data), tmp_path)
    assert doc.encoding == "utf-8"
    assert "\ufffd" in doc.text
    assert any(w.startswith("W009") for w in doc.warnings)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200))
def test_any_utf8_text_decodes_to_itself_or_is_refused_as_blank(text: str) -> None:
    try:
        decoded, encoding = decode_bytes(text.encode("utf-8"))
    except ArticleInputError as err:
        # NUL bytes are refused as binary, whitespace as blank, control-heavy text as binary.
        assert err.code in {"E002", "E003"}
        return
    if encoding in ("utf-16-le", "utf-16-be"):
        # NULs in every other byte: UTF-16 without a byte order mark, a fair reading.
        assert decoded == text.encode("utf-8").decode(encoding)
        return
    assert encoding in {"utf-8", "utf-8-sig", "vni-in-utf-8", "tcvn3-in-utf-8", "double-utf-8"}
    if encoding == "utf-8":
        # A few stray NUL bytes are dropped (W010); many make the file binary (E003).
        assert decoded == text.replace("\x00", "")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(min_size=0, max_size=600))
def test_arbitrary_bytes_decode_or_raise_input_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "fuzz.txt")
    except ArticleInputError as err:
        assert err.code in ERRORS
        assert "fuzz.txt" in str(err)
        return
    assert isinstance(text, str) and text.strip()
    assert encoding


# ---------------------------------------------------------------------------------------
# Plausibility


@pytest.mark.parametrize(
    "word", ["người", "Nguyễn", "quyết", "giữa", "khuỷu", "thuở", "ĐƯỜNG", "hoà", "hòa", "Ủy"]
)
def test_vietnamese_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["chaøo", "chµo", "ð", "ñöôøng", "cafés", "hóà"])
def test_not_vietnamese_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)


def test_score_separates_text_from_mojibake() -> None:
    assert vietnamese_score(SENTENCE) == 1.0
    assert vietnamese_score(encode_legacy(SENTENCE, "vni").decode("cp1252")) < 0.3
    assert vietnamese_score(encode_legacy(SENTENCE, "tcvn3").decode("cp1252")) < 0.3
    assert vietnamese_score("plain ASCII only") is None


# ---------------------------------------------------------------------------------------
# Hostile files


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleInputError) as info:
        read_document(write(tmp_path, "empty.txt", b""), tmp_path)
    assert info.value.code == "E001"
    assert "empty.txt" in str(info.value) and "empty" in str(info.value)


@pytest.mark.parametrize("data", [b"   \n\t\r\n ", "\u00a0\u200b\n".encode(), b"\xef\xbb\xbf \n"])
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ArticleInputError) as info:
        read_document(write(tmp_path, "blank.txt", data), tmp_path)
    assert info.value.code == "E002"


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    data = random.Random(7).randbytes(4096)
    with pytest.raises(ArticleInputError) as info:
        read_document(write(tmp_path, "noise.txt", data), tmp_path)
    assert info.value.code == "E003"


def test_high_bytes_without_meaning_are_undecodable(tmp_path: Path) -> None:
    rng = random.Random(11)
    words = [bytes(rng.choice(range(0xA0, 0x100)) for _ in range(rng.randint(2, 6))) for _ in range(300)]
    data = b" ".join(words)
    with pytest.raises(ArticleInputError) as info:
        read_document(write(tmp_path, "garbage.txt", data), tmp_path)
    assert info.value.code in {"E005", "E011"}
    assert "garbage.txt" in str(info.value)


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"%PDF-1.7\n%\xe2\xe3", "PDF"), (b"PK\x03\x04\x14\x00", "ZIP"), (b"\x89PNG\r\n\x1a\n", "PNG")],
)
def test_known_binary_formats_are_named(tmp_path: Path, data: bytes, words: str) -> None:
    with pytest.raises(ArticleInputError) as info:
        read_document(write(tmp_path, "x.txt", data + b"\x00" * 50), tmp_path)
    assert info.value.code == "E003" and words in str(info.value)


def test_noise_after_a_utf16_bom_is_binary() -> None:
    noise = bytes(random.Random(3).randrange(0xE0, 0x100) for _ in range(2000))
    with pytest.raises(ArticleInputError) as info:
        decode_bytes(b"\xff\xfe" + noise)
    assert info.value.code == "E003"


def test_control_characters_mean_binary() -> None:
    with pytest.raises(ArticleInputError) as info:
        decode_bytes(bytes(range(1, 9)) * 50 + b"text")
    assert info.value.code == "E003"


def test_huge_file(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", SENTENCE.encode() * 50)
    with pytest.raises(ArticleInputError) as info:
        read_document(path, tmp_path, max_bytes=1000)
    assert info.value.code == "E004"
    assert "1,000" in str(info.value)
    assert DEFAULT_MAX_BYTES >= 10 * 1024 * 1024


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(ArticleInputError) as info:
        read_document(link, tmp_path)
    assert info.value.code == "E006"
    assert "nowhere.txt" in str(info.value)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", SENTENCE.encode())
    path.chmod(0)
    try:
        with pytest.raises(ArticleInputError) as info:
            read_document(path, tmp_path)
        assert info.value.code == "E007"
    finally:
        path.chmod(0o644)


def test_permission_denied_when_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same path as test_unreadable_file, for runs as root where chmod cannot lock a file.
    path = write(tmp_path, "secret.txt", SENTENCE.encode())

    real_open = os.open

    def refuse(file: object, *args: object, **kwargs: object) -> int:
        if os.fspath(file) == os.fspath(path):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    # read.py opens files with os.open; refuse this one file only.
    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ArticleInputError) as info:
        read_document(path, tmp_path)
    assert info.value.code == "E007" and "permission denied" in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ArticleInputError) as info:
        read_document(tmp_path / "absent.txt", tmp_path)
    assert info.value.code == "E008"
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ArticleInputError) as info:
        read_document(tmp_path / "folder.txt", tmp_path)
    assert info.value.code == "E009"


def test_bad_bom_content() -> None:
    with pytest.raises(ArticleInputError) as info:
        decode_bytes(b"\xef\xbb\xbfabc\xff\xfe\xfd")
    assert info.value.code == "E005"


def test_error_is_one_sentence_with_path_and_code(tmp_path: Path) -> None:
    err = ArticleInputError("E001", tmp_path / "a.txt", ERRORS["E001"])
    message = str(err)
    assert message.startswith("Cannot read ") and message.endswith(".")
    assert str(tmp_path / "a.txt") in message and "[E001]" in message
    assert err.path == tmp_path / "a.txt" and err.reason == ERRORS["E001"]


def test_error_and_warning_codes_are_well_formed() -> None:
    assert all(code.startswith("E") and len(code) == 4 for code in ERRORS)
    assert all(code.startswith("W") and len(code) == 4 for code in WARNINGS)


# ---------------------------------------------------------------------------------------
# Files and ids


def test_read_document_fields(tmp_path: Path) -> None:
    data = SENTENCE.encode("utf-8")
    path = write(tmp_path, "sonla/2024-05-01.txt", data)
    doc = read_document(path, tmp_path)
    assert isinstance(doc, RawDocument)
    assert doc.doc_id == "sonla/2024-05-01"
    assert doc.text == SENTENCE and doc.encoding == "utf-8"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.path == path and doc.warnings == ()


def test_iter_input_files(tmp_path: Path) -> None:
    write(tmp_path, "b/2.txt", b"x")
    write(tmp_path, "b/1.HTML", b"x")
    write(tmp_path, "a.htm", b"x")
    write(tmp_path, "notes.md", b"x")
    write(tmp_path, "c/d/e.txt", b"x")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing.txt")
    files = iter_input_files(tmp_path)
    ids = [doc_id_for(p, tmp_path) for p in files]
    assert ids == ["a", "b/1", "b/2", "broken", "c/d/e"]
    assert iter_input_files(tmp_path / "a.htm") == [tmp_path / "a.htm"]
    with pytest.raises(ArticleInputError) as info:
        iter_input_files(tmp_path / "nothing-here")
    assert info.value.code == "E008"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any folder")
def test_unreadable_folder_is_listed_and_reported(tmp_path: Path) -> None:
    write(tmp_path, "locked/a.txt", b"x")
    (tmp_path / "locked").chmod(0)
    try:
        files = iter_input_files(tmp_path)
        assert tmp_path / "locked" in files
        with pytest.raises(ArticleInputError) as info:
            read_document(tmp_path / "locked", tmp_path)
        assert info.value.code == "E007"
    finally:
        (tmp_path / "locked").chmod(0o755)


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("in/sonla/2024-05-01.txt", "in", "sonla/2024-05-01"),
        ("in/a.b.txt", "in", "a.b"),
        ("in/noext", "in", "noext"),
        ("in/x.html", "in/x.html", "x"),
        ("elsewhere/y.txt", "in", "y"),
    ],
)
def test_doc_id_for(path: str, root: str, expected: str) -> None:
    assert doc_id_for(Path(path), Path(root)) == expected


# ---------------------------------------------------------------------------------------
# HTML

PAGE = """<!DOCTYPE html>
<html><head><title>Báo tỉnh</title><script>var views = 12345;</script>
<style>p { color: red }</style></head>
<body>
<header><a href="/">Trang chủ</a> Tin mới 99</header>
<nav><ul><li>Thời sự</li><li>Kinh tế 2024</li></ul></nav>
<article>
  <h1>Phát triển xã hội số</h1>
  <p>Tỷ lệ hộ gia đình có   cáp quang đạt <b>92%</b>.</p>
  <p>Dòng một<br>dòng hai &amp; ba</p>
  <ul><li>Mục một 10%</li><li>Mục hai 20%</li></ul>
  <div class="box-related-news"><a>Tin liên quan 555</a></div>
  <script>track(777)</script>
  <p style="display:none">ẩn 888</p>
</article>
<aside>Quảng cáo 333</aside>
<form>Bình luận <textarea>444</textarea></form>
<footer>Bản quyền 2024</footer>
</body></html>"""


def test_html_extraction_keeps_paragraphs_and_drops_furniture() -> None:
    text = extract_html_text(PAGE)
    lines = text.split("\n")
    assert lines == [
        "Phát triển xã hội số",
        "Tỷ lệ hộ gia đình có cáp quang đạt 92%.",
        "Dòng một",
        "dòng hai & ba",
        "Mục một 10%",
        "Mục hai 20%",
    ]
    for noise in ("12345", "color", "Trang chủ", "Thời sự", "333", "444", "555", "777", "888", "Bản quyền"):
        assert noise not in text


def test_html_without_article_uses_body() -> None:
    page = "<html><body><nav>Menu 1</nav><div><p>Đoạn một.</p><p>Đoạn hai đạt 50%.</p></div></body></html>"
    assert extract_html_text(page) == "Đoạn một.\nĐoạn hai đạt 50%."


def test_html_file_is_read_as_article_text(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.html", PAGE.encode("utf-8")), tmp_path)
    assert doc.encoding == "html+utf-8"
    assert doc.text.startswith("Phát triển xã hội số\n")
    assert any(w.startswith("W006") for w in doc.warnings)
    # a .txt that is clearly an HTML page is extracted too
    doc = read_document(write(tmp_path, "page.txt", PAGE.encode("utf-8")), tmp_path)
    assert doc.encoding == "html+utf-8" and "12345" not in doc.text


def test_html_in_legacy_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1258"></head><body><p>{}</p></body></html>'
    data = page.format(cp1258_form(SENTENCE)).encode("cp1258")
    doc = read_document(write(tmp_path, "old.htm", data), tmp_path)
    assert doc.encoding.startswith("html+")
    assert unicodedata.normalize("NFC", doc.text) == SENTENCE


def test_html_with_no_article_text(tmp_path: Path) -> None:
    page = b"<html><body><nav>Menu</nav><script>x()</script></body></html>"
    with pytest.raises(ArticleInputError) as info:
        read_document(write(tmp_path, "empty.html", page), tmp_path)
    assert info.value.code == "E012"


def test_deeply_nested_html_does_not_crash() -> None:
    page = "<html><body>" + "<div>" * 5000 + "<p>Sâu 1%</p>" + "</div>" * 5000 + "</body></html>"
    assert extract_html_text(page) == "Sâu 1%"


def test_looks_like_html() -> None:
    assert looks_like_html("  <!doctype html><html><body>x</body></html>")
    assert looks_like_html("<html lang='vi'><body>x</body></html>")
    assert not looks_like_html("Tỷ lệ <b>đạt</b> 92% trong năm <2025>")


# ---------------------------------------------------------------------------------------
# Seeds


def test_seeds_read_as_utf8() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared is absent)")
    gold = {}
    with (SHARED / "corpus" / "seeds-gold.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            gold[row["doc_id"]] = row["statistics"]
    files = iter_input_files(SEEDS)
    assert len(files) == 5
    for path in files:
        doc = read_document(path, SEEDS)
        assert doc.encoding == "utf-8"
        assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        for stat in gold[doc.doc_id]:
            start, end = stat["value_span"]
            assert doc.text[start:end]  # gold offsets point into the decoded text


def test_a_file_that_grows_after_stat_is_read_whole_or_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # read_document asks for the size fstat() reported; a file that grew since is read on,
    # up to the limit, and refused past it.
    path = write(tmp_path, "growing.txt", (SENTENCE + "\n").encode() * 20)
    real_fstat = os.fstat

    def stale_fstat(descriptor, *args, **kwargs):
        fields = list(real_fstat(descriptor, *args, **kwargs))
        fields[6] = 10  # st_size: as it was before the file grew
        return os.stat_result(fields)

    monkeypatch.setattr("xhs_extract.read.os.fstat", stale_fstat)
    assert read_document(path, tmp_path).text == (SENTENCE + "\n") * 20
    with pytest.raises(ArticleInputError) as info:
        read_document(path, tmp_path, max_bytes=100)
    assert info.value.code == "E004"


def test_short_reads_are_read_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # os.read may return fewer bytes than asked for; the reader asks again for the rest.
    path = write(tmp_path, "short.txt", (SENTENCE + "\n").encode() * 50)
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 7)))
    assert read_document(path, tmp_path).text == (SENTENCE + "\n") * 50


@given(st.text(alphabet=st.sampled_from(list("ao à\u00a0°ø¸µ«ÃÆ\u0080\u00ffđươ\n") + ["\U0001f600"]), max_size=60))
@settings(max_examples=300, deadline=None)
def test_mojibake_trigger_on_bytes_agrees_with_text(text: str) -> None:
    # The trigger searched in the UTF-8 bytes (RE2) finds what the pattern over the text finds.
    from xhs_extract.read import _may_be_mojibake, _suspicious_re

    expected = _suspicious_re().search(text) is not None
    assert _may_be_mojibake(text, text.encode("utf-8")) is expected
    assert _may_be_mojibake(text, None) is expected


@pytest.mark.skipif(os.name != "posix", reason="named pipes and Unix sockets are POSIX")
def test_a_pipe_or_socket_is_refused_without_waiting(tmp_path: Path) -> None:
    import socket

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer, unless non-blocking
    with pytest.raises(ArticleInputError) as info:
        read_document(fifo, tmp_path)
    assert info.value.code == "E009"
    sock_path = tmp_path / "sock.txt"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(sock_path))
        with pytest.raises(ArticleInputError) as info:
            read_document(sock_path, tmp_path)
        assert info.value.code == "E009"
    finally:
        server.close()


def test_a_file_read_exactly_to_its_size_needs_one_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "one.txt", (SENTENCE + "\n").encode())
    calls = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: calls.append(n) or real_read(fd, n))
    assert read_document(path, tmp_path).text == SENTENCE + "\n"
    assert len(calls) == 1
