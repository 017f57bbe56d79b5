"""The prefilter: requirements derived from the rules, and their soundness.

Soundness is the point: for every cue of every rule, any text in which the pipeline's
matching form holds a match of the cue must pass the cue's requirement, whatever the
text's case, normal form, spaces or tone-mark placement. Hypothesis draws matches of the
cues themselves and dresses them up.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from xhs_extract import prefilter as pf
from xhs_extract.catalogue import load_catalogue
from xhs_extract.normalise import normalise
from xhs_extract.prefilter import (
    ANY,
    Prefilter,
    clauses,
    lit,
    literal_classes,
    render_literal,
    req_and,
    req_or,
    requirement,
)
from xhs_extract.rules import compile_rules, ruleset

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"
REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def lits(req) -> set[str]:
    return req.literals()


# ---------------------------------------------------------------------------------------
# The walker


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("[2-5]G", req_or(lit(x) for x in ("2g", "3g", "4g", "5g"))),
        ("cáp quang|FTTH", req_or([lit("cáp quang"), lit("ftth")])),
        ("khu vực (?:có )?dân cư", req_or([lit("khu vực có dân cư"), lit("khu vực dân cư")])),
        ("(?:mạng )?internet", lit("internet")),
        ("(?<!bảo )hộ(?! chiếu)", lit("hộ")),
        (r"(?<!\w)(?:thuê bao)(?!\w)", lit("thuê bao")),
        ("x", ANY),
        (r"(\w+) \1", ANY),
        ("[[:alpha:]]+ internet", ANY),  # read differently by the two engines: give up
        (r"[^\s]+ internet", lit("internet")),
        (r"người(?: [^\s,;.]+){0,4} dùng internet", req_and([lit("người"), lit("dùng internet")])),
        ("a*", ANY),
        ("(?:internet)+", lit("internet")),
        (r"4\.0", lit("4.0")),
    ],
)
def test_requirement_of_small_patterns(pattern, expected):
    got = requirement(pattern)
    assert got == expected, (pattern, str(got))


def test_posix_class_is_not_misread():
    # The standard parser reads "[[:alpha:]]" as a set plus "]"; that must not become a
    # required "]".
    assert "]" not in "".join(lits(requirement("[[:alpha:]]")))


def test_unparseable_syntax_is_no_requirement():
    assert requirement(r"\p{L}+ internet") == ANY  # `regex` syntax the standard parser lacks
    assert requirement("(?V1)internet") == ANY


def test_simplification():
    assert req_or([lit("băng rộng"), lit("mạng băng rộng")]) == lit("băng rộng")
    assert req_and([lit("thuê"), lit("thuê bao")]) == lit("thuê bao")
    assert req_or([lit("abc"), ANY]) == ANY
    assert req_and([ANY, ANY]) == ANY
    assert clauses(req_and([lit("ab"), req_or([lit("cd"), lit("ef")])])) == frozenset(
        {frozenset({"ab"}), frozenset({"cd", "ef"})}
    )
    # OR of ANDs distributes
    c = clauses(req_or([req_and([lit("aa"), lit("bb")]), lit("cc")]))
    assert c == frozenset({frozenset({"aa", "cc"}), frozenset({"bb", "cc"})})


def test_literal_classes_cover_the_normalise_stage():
    classes = literal_classes("cáp quang")
    assert "\u00a0" in classes[3] and "\u200b" in classes[3] and " " in classes[3]
    assert {"C", "c"} <= classes[0] and "\uff43" not in classes[0]  # fullwidth: folded first
    hoa = literal_classes("hóa")
    assert "o" in hoa[1] and "á" in hoa[2]  # raw "hoá"
    assert "ð" in literal_classes("định")[0]  # eth typed for đ
    assert "\u212a" in literal_classes("kỹ")[0]  # Kelvin sign folds to k
    # a toned "o" at the end may be the first half of a pair whose tone sits after it
    assert "o" in literal_classes("hó")[1]
    # a bare second vowel at the start may carry the tone moved away from before it
    assert "á" in literal_classes("ai")[0]


def test_case_classes_are_complete_for_every_literal_character():
    """Every character the `regex` module equates with a literal's character, ignoring
    case, is in that character's class (checked over all of Unicode)."""
    chars = sorted({ch for r in pf.prefilter().rules for c in r.clauses for x in c for ch in x})
    chars += [ch for ch in "phần trăm" if ch not in chars]
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    any_of = regex.compile("[" + "".join(regex.escape(c) for c in chars) + "]", regex.I)
    partners = set(any_of.findall(everything))
    for ch in chars:
        cls = literal_classes(ch)[0]
        for t in partners:
            if regex.fullmatch(regex.escape(ch), t, regex.I):
                assert t in cls, (ch, hex(ord(t)))


# ---------------------------------------------------------------------------------------
# Soundness against the real cues, with hypothesis


def strip_lookarounds(pattern: str) -> str:
    """The pattern without its look-arounds (zero-width, often variable-width look-behinds
    the standard library cannot compile), for drawing examples of it."""
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        if pattern.startswith(("(?<!", "(?<=", "(?!", "(?="), i):
            depth = 0
            j = i
            in_class = False
            while j < n:
                ch = pattern[j]
                if ch == "\\":
                    j += 2
                    continue
                if in_class:
                    in_class = ch != "]"
                elif ch == "[":
                    in_class = True
                elif ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
            continue
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


RULES = ruleset()
CATALOGUE = load_catalogue()
CUES = sorted({p.pattern for r in RULES.rules for p in (*r.all, *r.sentence)})
COMPILED = {p.pattern: p for r in RULES.rules for p in (*r.all, *r.sentence)}
WORDS = (
    "Theo báo cáo của Sở Thông tin và Truyền thông, đến nay toàn tỉnh đã có 1.234 "
    "trạm, đạt 95,6% kế hoạch năm 2024; người dân được hỗ trợ kịp thời. Đội bóng "
    "thắng 2-1 trong trận đấu tối qua tại sân vận động."
).split()

context = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)


def dress(text: str, how: str) -> str:
    """A raw spelling the normalise stage maps back to (nearly) the same matching form."""
    if how == "upper":
        return text.upper()
    if how == "title":
        return text.title()
    if how == "nfd":
        return unicodedata.normalize("NFD", text)
    if how == "nbsp":
        return text.replace(" ", "\u00a0")
    if how == "tone":  # old-style tone placement: "hóa" -> "hoá", "thủy" -> "thuỷ"
        pairs, _, _ = pf._tone_pairs()
        for moved, raw in pairs.items():
            text = text.replace(moved, raw).replace(moved.upper(), raw.upper())
        return text
    if how == "wide":  # fullwidth ASCII letters and digits
        return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)
    return text


DRESSES = ["plain", "upper", "title", "nfd", "nbsp", "tone", "wide"]


def holds_on(req, raw: str) -> bool:
    """The requirement evaluated with the standard library, one literal at a time, on the
    text as the gate matches it (composed and folded when it holds an unstable character)."""
    stable = pf._stable_chars()
    text = raw if all(ch in stable for ch in raw) else pf.gate_text(raw)
    return req.holds(lambda x: re.search(render_literal(x, re.escape), text) is not None)


@st.composite
def cue_texts(draw):
    pattern = draw(st.sampled_from(CUES))
    body = draw(st.from_regex(re.compile(strip_lookarounds(pattern), re.I), fullmatch=True))
    how = draw(st.sampled_from(DRESSES))
    text = f"{draw(context)} {body} {draw(context)}"
    return pattern, dress(text, how)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(cue_texts())
def test_every_cue_match_passes_its_requirement(case):
    pattern, raw = case
    assume(COMPILED[pattern].search(normalise(raw).text) is not None)
    assert holds_on(requirement(pattern), raw), (pattern, raw)


# One figure in each unit, for a rule to read.
FIGURES = {
    "percent": "đạt 45%",
    "count": "có 1.234 người",
    "mbps": "đạt 120 Mbps",
    "per_100_people": "đạt 87 thuê bao/100 dân",
    "vnd": "là 3 tỷ đồng",
}


@st.composite
def rule_texts(draw):
    rule = draw(st.sampled_from([r for r in RULES.rules if r.all]))
    parts = [
        draw(st.from_regex(re.compile(strip_lookarounds(p.pattern), re.I), fullmatch=True))
        for p in (*rule.all, *rule.sentence)
    ]
    how = draw(st.sampled_from(DRESSES))
    glue = [draw(context) for _ in parts]
    units = [u for u in FIGURES if CATALOGUE.allows(rule.indicator, u)]
    figure = FIGURES[draw(st.sampled_from(units))]
    text = " ".join(f"{g} {p}" for g, p in zip(glue, parts)) + f" {figure}"
    return rule, dress(text, how)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(rule_texts())
def test_every_rule_passes_on_a_text_holding_all_its_cues(case):
    rule, raw = case
    matching = normalise(raw).text
    assume(all(p.search(matching) for p in (*rule.all, *rule.sentence)))
    gate = pf.prefilter()
    assert rule.indicator in gate.candidates(raw), (rule.indicator, raw)
    assert gate.may_match(raw)


def test_speed_rule_needs_a_speed_unit():
    gate = pf.prefilter()
    assert "broadband_speed" in gate.candidates("Tốc độ truy cập Internet trung bình đạt 120 Mbps.")
    assert "broadband_speed" in gate.candidates("tốc độ tải xuống của mạng 4G là 45,5 Mb/s")
    assert "broadband_speed" not in gate.candidates("Đội bóng thắng 2-1.")


# ---------------------------------------------------------------------------------------
# The gate on whole texts


def test_may_match_needs_a_figure_and_a_rule():
    gate = pf.prefilter()
    assert gate.may_match("Tỷ lệ hộ gia đình có kết nối Internet cáp quang đạt 87,4%.")
    assert not gate.may_match("Các hộ gia đình có kết nối Internet cáp quang rất nhiều.")
    # no digit, but number words the grammar reads as a figure
    assert gate.may_match("Có hai trạm BTS mới.")
    assert not gate.may_match("Trạm BTS mới hoạt động tốt.")
    assert gate.may_match("Tỷ lệ hộ gia đình có kết nối Internet cáp quang đạt chín mươi phần trăm.")
    assert not gate.may_match("Đội bóng thắng 2-1 trong trận đấu tối qua, 30.000 khán giả.")
    assert gate.candidates("Đội bóng thắng 2-1 trong trận đấu tối qua.") == frozenset()


def test_spellings_the_normalise_stage_unifies():
    gate = pf.prefilter()
    base = "Tỷ lệ dân số trưởng thành có điện thoại thông minh đạt 81,5%."
    for how in DRESSES:
        assert "adult_smartphone_rate" in gate.candidates(dress(base, how)), how
    assert "ehr_population_rate" in gate.candidates("HỒ SƠ SỨC KHOẺ điện tử: 70%")  # khoẻ, upper
    assert "eid_account_rate" in gate.candidates("tài khoản ðịnh danh ðiện tử 5.000")  # eth for đ


def test_engine_agrees_with_the_standard_library():
    fast = pf.prefilter()
    slow = Prefilter(fast.rules, prefer=["re"])
    texts = [
        "Tỷ lệ hộ gia đình có kết nối Internet cáp quang đạt 87,4%.",
        "100% BỆNH VIỆN, trường học đã thanh toán không dùng tiền mặt",
        "Đội bóng thắng 2-1 trong trận đấu tối qua.",
        unicodedata.normalize("NFD", "Có 1.200 trạm BTS 4G, phủ sóng 99% thôn bản"),
    ]
    if SEEDS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for text in texts:
        assert fast.candidates(text) == slow.candidates(text)
        assert fast.may_match(text) == slow.may_match(text)


def test_built_from_any_ruleset():
    from xhs_extract.catalogue import load_catalogue

    data = {
        "cues": {"net": "internet|băng rộng"},
        "indicators": {
            "household_internet_rate": {"all": ["hộ gia đình", "@net"]},
            "broadband_speed": {"all": []},
        },
    }
    gate = Prefilter.from_rules(compile_rules(data, load_catalogue()))
    assert gate.candidates("HỘ GIA ĐÌNH dùng Internet") == {"household_internet_rate"}
    assert gate.candidates("hộ gia đình") == frozenset()
    assert gate.candidates("100 Mbps") == {"broadband_speed"}


def _real_texts():
    paths = sorted(REPO_CORPUS.glob("*.txt"))
    if SEEDS.is_dir():
        paths += sorted(SEEDS.glob("*.txt"))
    return paths


@pytest.mark.parametrize("path", _real_texts(), ids=lambda p: p.name)
def test_every_record_of_a_real_article_was_a_candidate(path):
    """End to end on real articles: every record stands in a text the gates let through
    (document, paragraph and sentence level). The frame reader may name an indicator whose
    own cues its sentence lacks ("tỷ lệ phủ sóng 5G" without a rule's cue), but only in a
    sentence holding some rule's cues (`rules._by_frame`)."""
    from xhs_extract.pipeline import process_text

    raw = path.read_text(encoding="utf-8")
    gate = pf.prefilter()
    records = process_text(raw).records
    rule_records = [r for r in records if r.extractor.startswith("rule:")]
    found = gate.candidates(raw)
    for record in rule_records:
        assert found, (record.indicator, record.evidence.text)
        if record.extractor.rsplit("/", 1)[-1] in ("left", "right", "both"):
            # read from its own sentence (a rule's sentence cues may stand outside the
            # figure's clause): the paragraph that holds it passes on its own too
            start = raw.rfind("\n", 0, record.evidence.start) + 1
            end = raw.find("\n", record.evidence.end)
            paragraph = raw[start : end if end >= 0 else len(raw)]
            assert gate.may_match(paragraph), (record.indicator, record.evidence.text)
    if rule_records:
        assert gate.may_match(raw)


def test_unit_requirements_hold_for_every_figure_the_grammar_finds():
    """A rule that cannot take a count needs its unit next to a number; the unit's
    requirement is read from the number grammar, and must hold wherever the grammar gives
    a figure in that unit (a guard against the grammar growing a new way to say it)."""
    from xhs_extract.numbers import find_figures

    texts = [
        "đạt 95,6%", "tăng 12 ％", "chín mươi phần trăm", "đạt 45 phần   trăm", "từ 80 - 90%",
        "tốc độ 120 Mbps", "1 Gbit/s", "87,07 thuê bao/100 dân", "số thuê bao trên 100 dân số đạt 87",
        "số thuê bao di động/100 dân: 120", "3 tỷ đồng", "500.000 VNĐ",
    ]
    texts += [p.read_text(encoding="utf-8") for p in _real_texts()]
    seen = set()
    for raw in texts:
        matching = normalise(raw).text
        for figure in find_figures(matching):
            unit = figure.unit or "count"
            seen.add(unit)
            window = matching[max(0, figure.start - 120) : figure.end + 40]
            assert holds_on(pf.unit_requirement(unit), window), (unit, window)
    assert {"percent", "mbps", "per_100_people", "count"} <= seen


def test_characters_the_gate_does_not_compose_are_nfc_stable():
    """A text made only of the gate's stable characters is NFC: none is changed by NFC,
    none has a combining class, none is the second half of a composition."""
    stable = pf._stable_chars()
    joins_previous = set()
    for code in range(0x110000):
        ch = chr(code)
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2 and unicodedata.normalize("NFC", ch) == ch:
                joins_previous.add(chr(int(parts[1], 16)))
    joins_previous.update(chr(c) for c in range(0x1161, 0x1176))  # Hangul vowels
    joins_previous.update(chr(c) for c in range(0x11A8, 0x11C3))  # Hangul final consonants
    assert not stable & joins_previous
    for ch in stable:
        assert unicodedata.combining(ch) == 0 and unicodedata.normalize("NFC", ch) == ch
    assert "\u0301" not in stable and "\u212b" not in stable  # combining acute, Ångström sign
    assert {"a", "ế", "đ", "“", "%"} <= stable


NUMBER_WORDS = sorted(pf.requirement(__import__("xhs_extract.numbers", fromlist=["_rx"])._rx()["number_words"].pattern).literals())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(NUMBER_WORDS), min_size=1, max_size=4),
    st.sampled_from(["người", "trạm", "phần trăm", "hộ", "tỷ đồng"]),
    st.sampled_from(DRESSES),
    context,
)
def test_figures_written_in_words_pass_without_a_digit(words, noun, how, before):
    from xhs_extract.numbers import find_figures

    raw = dress(f"{before} có {' '.join(words)} {noun} mới", how)
    figures = [f for f in find_figures(normalise(raw).text) if "number-words" in f.notes]
    if figures:
        stable = pf._stable_chars()
        text = raw if all(ch in stable for ch in raw) else pf.gate_text(raw)
        assert pf._number_words().search(text), raw


def test_literals_of_full_case_patterns_have_no_multi_character_folds():
    """The number grammar compiles with `regex.V1`, whose case-insensitive matching folds
    "ß" to "ss", "ﬁ" to "fi"...; per-character classes cannot express that, so its
    literals must hold no such sequence."""
    folds = set()
    for code in range(0x110000):
        folded = chr(code).casefold()
        if len(folded) > 1:
            folds.add(folded)
    literals = set().union(*(pf.unit_requirement(u).literals() for u in pf.UNITS))
    literals |= set(NUMBER_WORDS)
    assert literals
    for literal in literals:
        assert not any(f in literal for f in folds), literal


def test_rare_forms_are_folded_before_matching():
    # Fullwidth letters are in no literal class; a text holding them is folded first.
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in "Internet cáp quang")
    text = "Tỷ lệ hộ gia đình có " + wide + " đạt 92%."
    prefilter = pf.prefilter()
    assert "household_fiber_broadband_rate" in prefilter.candidates(text)
    assert prefilter.may_match(text) and prefilter.may_match(text.replace(" ", "\u3000"))
    assert not any(pf._rare(ch) for cls in pf.literal_classes("cáp quang") for ch in cls)


def test_a_gate_that_cannot_be_built_raises_instead_of_letting_everything_through(monkeypatch):
    def broken():
        raise RuntimeError("no number grammar")

    monkeypatch.setattr(pf, "_rx", broken)
    pf.unit_requirement.cache_clear()
    pf._number_words.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="no number grammar"):
            pf.Prefilter.from_rules(ruleset())
        with pytest.raises(RuntimeError, match="no number grammar"):
            pf._number_words()
    finally:
        pf.unit_requirement.cache_clear()
        pf._number_words.cache_clear()
