"""Issue 14: actuals read from review sentences and table columns, indicators linked across
years and documents, the scorecard's verdicts, and the Data Package's links checked by the
real frictionless library. The documents here are our own, written for these rules."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from chitieu.normalizers.indicators import indicator_id, indicator_key, unit_key
from chitieu.parsers.layouts.actuals import read_review_sentence
from chitieu.pipeline.linking import judge
from chitieu.pipeline.run import Settings, run_extract

PLAN_2024 = """HỘI ĐỒNG NHÂN DÂN
TỈNH NINH BÌNH

Số: 45/NQ-HĐND

NGHỊ QUYẾT
Về kế hoạch phát triển kinh tế - xã hội năm 2024

Điều 1. Thông qua kế hoạch phát triển kinh tế - xã hội năm 2024 như sau:

1. Các chỉ tiêu chủ yếu năm 2024

- Tỷ lệ che phủ rừng đạt 20,5%.

- Số giường bệnh trên 1 vạn dân đạt 30 giường.

- Kim ngạch xuất khẩu đạt 3.000 triệu USD.

- Tỷ lệ hộ nghèo giảm 0,5 - 0,7 điểm %.
"""

REPORT_2025 = """ỦY BAN NHÂN DÂN
TỈNH NINH BÌNH

Số: 310/BC-UBND

BÁO CÁO
Tình hình thực hiện kế hoạch năm 2024 và kế hoạch phát triển kinh tế - xã hội năm 2025

I. TÌNH HÌNH THỰC HIỆN KẾ HOẠCH NĂM 2024

1. Kết quả thực hiện các chỉ tiêu chủ yếu

- Tỷ lệ che phủ của rừng ước đạt 20,8% (kế hoạch 20,5%).

- Số giường bệnh trên 1 vạn dân ước đạt 29,5 giường bệnh.

- Kim ngạch xuất khẩu ước tăng 12%, bằng 96% kế hoạch.

- Tỷ lệ hộ nghèo ước giảm 0,9 điểm %.

II. KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2025

1. Các chỉ tiêu chủ yếu

- Tỷ lệ che phủ của rừng đạt 21%.

- Kim ngạch xuất khẩu đạt 3.400 triệu USD.
"""

OTHER_PROVINCE = """HỘI ĐỒNG NHÂN DÂN
TỈNH GIA LAI

Số: 12/NQ-HĐND

NGHỊ QUYẾT
Về kế hoạch phát triển kinh tế - xã hội năm 2024

Điều 1. Thông qua kế hoạch năm 2024 như sau:

1. Các chỉ tiêu chủ yếu

- Tỷ lệ che phủ rừng đạt 47%.
"""

DOCUMENTS = {"ninh_binh_2024.txt": PLAN_2024, "ninh_binh_2025.txt": REPORT_2025, "gia_lai_2024.txt": OTHER_PROVINCE}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def extract(tmp_path: Path, names: dict[str, str], jobs: int = 1) -> Path:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name, text in names.items():
        (raw / name).write_text(text, encoding="utf-8")
    run_extract(Settings(raw=raw, out=out, jobs=jobs, use_cache=False))
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    return extract(tmp_path_factory.mktemp("batch"), DOCUMENTS)


# ---------------------------------------------------------------------------- reading review sentences


def test_a_review_sentence_gives_estimates_a_quoted_plan_and_leaves_shares_of_the_plan_out():
    rows, _ = read_review_sentence(
        "Sản lượng thủy sản ước đạt 52.300 tấn (kế hoạch 50.000 tấn); tỷ lệ trẻ em suy dinh dưỡng giảm "
        "0,5 điểm %; giải ngân vốn đầu tư công đạt 80% kế hoạch; đứng thứ 3/14 tỉnh trong vùng.",
        line=7, page=None, label="line", year=2024, kind=None)
    got = [(r.kind, r.name, r.value.low.value, r.value.unit, r.value.approximate) for r in rows]
    assert got == [
        ("estimate", "Sản lượng thủy sản", 52300.0, "tấn", False),  # 'ước đạt' is an estimate, not 'khoảng'
        ("plan", "Sản lượng thủy sản", 50000.0, "tấn", False),
        ("estimate", "Tỷ lệ trẻ em suy dinh dưỡng", 0.5, "điểm %", False),  # no verb of its own: the kind before
    ]
    assert rows[2].value.measure == "change" and rows[2].value.direction == "decrease"
    assert {r.year for r in rows} == {2024} and {r.location for r in rows} == {"line 7"}


def test_a_sentence_reporting_without_uoc_is_an_actual_and_a_sub_target_names_itself():
    rows, _ = read_review_sentence(
        "Tổng thu ngân sách nhà nước đạt 9.120 tỷ đồng, trong đó thu nội địa đạt 7.400 tỷ đồng.",
        line=3, page=2, label="line", year=2023, kind=None)
    assert [(r.kind, r.name, r.value.low.value) for r in rows] == [
        ("actual", "Tổng thu ngân sách nhà nước", 9120.0), ("actual", "Thu nội địa", 7400.0)]
    assert rows[0].page == 2


@pytest.mark.parametrize("opening", [
    "Điều 1. Hội đồng nhân dân thành phố nhất trí với đánh giá kết quả thực hiện kế hoạch năm 2025. "
    "Năm 2025, thu ngân sách ước đạt 8.200 tỷ đồng; năm 2023 thành phố xếp thứ 5.",
    "Điều 1. Về kết quả thực hiện kế hoạch năm 2025\nNăm 2025, thu ngân sách ước đạt 8.200 tỷ đồng.",
])
def test_a_review_part_opened_by_an_assent_or_by_ve_ket_qua(tmp_path, opening):
    """An article that assents to a review and gives it in its own paragraph, or a heading
    'Về kết quả …': their figures are estimates of the year the first sentence names."""
    from chitieu.parsers.formats.txt import read_txt
    from chitieu.parsers.layouts.document import read_layout

    path = tmp_path / "nq.txt"
    path.write_text("\n".join(["NGHỊ QUYẾT", opening, "Điều 2. Các chỉ tiêu chủ yếu năm 2026",
                               "- Thu ngân sách đạt 9.000 tỷ đồng.", "Điều 3. Tổ chức thực hiện"]), encoding="utf-8")
    layout = read_layout(read_txt(path))
    assert [(r.name, r.target.low.value) for r in layout.rows] == [("Thu ngân sách", 9000)]
    assert [(a.kind, a.year, a.name, a.value.low.value) for a in layout.actuals] == [
        ("estimate", 2025, "Thu ngân sách", 8200)]


# ---------------------------------------------------------------------------- keys and ids


def test_renamed_indicators_across_years_share_a_key():
    assert indicator_key("Tỷ lệ che phủ rừng") == indicator_key("Tỷ lệ che phủ của rừng năm 2025")
    assert indicator_key("Tốc độ tăng trưởng kinh tế (GRDP)") == indicator_key("Tốc độ tăng trưởng GRDP")
    assert indicator_key("Số bác sỹ trên 1 vạn dân") == indicator_key("Số bác sĩ/vạn dân")
    assert indicator_key("Giảm tỷ lệ hộ nghèo") == indicator_key("Tỷ lệ hộ nghèo (theo chuẩn nghèo đa chiều)")
    # what tells indicators apart stays
    assert indicator_key("Tỷ lệ tăng dân số tự nhiên") != indicator_key("Tỷ lệ dân số tự nhiên")
    assert indicator_key("Số xã đạt chuẩn nông thôn mới nâng cao") != indicator_key("Số xã đạt chuẩn nông thôn mới")


def test_an_elliptical_sub_row_is_keyed_under_its_parent():
    parent = "Tỷ lệ lao động qua đào tạo"
    assert indicator_key("Trong đó: có bằng cấp, chứng chỉ", parent) == indicator_key("Bằng cấp, chứng chỉ", parent)
    assert indicator_key("Trong đó: có bằng cấp, chứng chỉ", parent) == indicator_key(f"{parent} có bằng cấp, chứng chỉ")
    assert indicator_key("Thu nội địa", "Tổng thu ngân sách") == indicator_key("Thu nội địa")


def test_ids_never_merge_units_or_jurisdictions_but_fold_unit_spellings():
    key = indicator_key("Số giường bệnh trên 1 vạn dân")
    assert indicator_id("Ninh Bình", key, "giường") == indicator_id("Ninh Bình", key, "giường bệnh")
    assert unit_key("giường bệnh") == unit_key("giường")
    assert indicator_id("Ninh Bình", key, "giường") != indicator_id("Gia Lai", key, "giường")
    export = indicator_key("Kim ngạch xuất khẩu")
    assert indicator_id("Ninh Bình", export, "triệu USD") != indicator_id("Ninh Bình", export, "%")
    assert indicator_id("Ninh Bình", "", "%") is None


# ---------------------------------------------------------------------------- verdicts


def _t(op, low, high, measure="level", direction=None, unit="%", kind="numeric"):
    return dict(target_type=kind, comparator=op, value_low=low, value_high=high, measure=measure,
                direction=direction, unit=unit)


def _a(x, measure="level", direction=None, unit="%", kind="estimate", target_type="numeric", text=None):
    return dict(target_type=target_type, value_low=x, value_high=x, measure=measure, direction=direction, unit=unit,
                kind=kind, value_text=text)


@pytest.mark.parametrize("target, actual, expected", [
    # SPEC §2.1: the verdict reads the target as a promise, one bound deciding
    (_t(">=", 800, None), _a(845), ("met", 45.0)),
    (_t(">", 94, None), _a(94), ("not_met", 0.0)),  # 'trên 94' is not reached by 94
    (_t("<=", None, 3.5), _a(3.0), ("met", 0.5)),
    (_t("<", None, 2.0), _a(1.6), ("met", 0.4)),  # SPEC's '< 2 %' against 1,6
    (_t("<", None, 2.0), _a(2.4), ("not_met", -0.4)),
    (_t("between", 6.5, 7.0), _a(6.9), ("met", 0.4)),  # SPEC's '6,5 – 7,0 %' against 6,9: the low bound decides
    (_t("between", 7.0, 7.5), _a(6.6), ("not_met", -0.4)),
    (_t("between", 6.0, 6.5), _a(6.9), ("met", 0.9)),  # past the range in the promised direction
    (_t("between", 33000, 34000), _a(33850), ("met", 850.0)),  # SPEC's example
    (_t("=", 72, 72), _a(73.2), ("met", 1.2)),
    (_t("=", 14.5, 14.5, direction="decrease"), _a(13.9), ("met", 0.6)),  # 'giảm xuống còn 14,5%': the high bound
    (_t("=", 14.5, 14.5, direction="decrease"), _a(15.0), ("not_met", -0.5)),
    (_t("between", 1.5, 2.0, direction="decrease"), _a(1.8), ("met", 0.2)),  # 'giảm còn 1,5 - 2%'
    (_t("between", 0.8, 1.0, "change", "decrease", "điểm %"), _a(0.92, "change", "decrease", "điểm %"),
     ("met", 0.12)),  # SPEC's 'giảm 0,8 – 1' against 'giảm 0,92': a change, the low bound decides
    (_t("=", 1.2, 1.2, "change", "decrease", "điểm %"), _a(0.3, "change", "increase", "điểm %"), ("not_met", -1.5)),
    (_t("=", 10, 10, "change", "increase"), _a(52.0), ("unknown", None)),  # a change promised, a level reported
    (_t("=", 30, 30, unit="giường"), _a(29.5, unit="giường bệnh"), ("not_met", -0.5)),
    (_t("=", 30, 30, unit="giường"), _a(29.5, unit="%"), ("unknown", None)),  # units that differ
    (_t(None, None, None, kind="qualitative"), _a(1.0), ("unknown", None)),
    (_t(None, None, None, unit=None, kind="completion"), _a(None, unit=None, kind="actual", target_type="completion",
                                                          text="Hoàn thành"), ("met", None)),
    (_t(None, None, None, unit=None, kind="completion"), _a(None, unit=None, kind="actual", target_type="completion",
                                                          text="Không hoàn thành"), ("not_met", None)),
    (_t(None, None, None, unit=None, kind="completion"), _a(None, unit=None, target_type="completion",
                                                          text="Hoàn thành"), ("met", None)),  # a year-end estimate
])
def test_verdicts_and_margins(target, actual, expected):
    assert judge(target, actual) == expected


# ---------------------------------------------------------------------------- the batch


def test_a_batch_links_years_and_scores_the_targets(batch):
    targets = read_csv(batch / "targets.csv")
    actuals = read_csv(batch / "actuals.csv")
    indicators = {r["indicator_id"]: r for r in read_csv(batch / "indicators.csv")}
    forest = {r["indicator_id"] for r in targets if "che phủ" in r["name"] and r["source"].startswith("ninh_binh")}
    assert len(forest) == 1  # renamed in the next year's report, one indicator
    (forest_id,) = forest
    assert indicators[forest_id]["names"] == "Tỷ lệ che phủ của rừng|Tỷ lệ che phủ rừng"
    assert (indicators[forest_id]["first_year"], indicators[forest_id]["last_year"]) == ("2024", "2025")
    other = [r["indicator_id"] for r in targets if r["source"] == "gia_lai_2024.txt"]
    assert other and forest_id not in other  # the same indicator in another province is another one
    export = {r["unit"]: r["indicator_id"] for r in targets + actuals if r["name"] == "Kim ngạch xuất khẩu"}
    assert set(export) == {"triệu USD", "%"} and len(set(export.values())) == 2  # units differ: never merged
    assert {(r["kind"], r["name"], r["value_low"]) for r in actuals} == {
        ("estimate", "Tỷ lệ che phủ của rừng", "20.8"), ("plan", "Tỷ lệ che phủ của rừng", "20.5"),
        ("estimate", "Số giường bệnh trên 1 vạn dân", "29.5"), ("estimate", "Kim ngạch xuất khẩu", "12"),
        ("estimate", "Tỷ lệ hộ nghèo", "0.9")}
    card = {r["name"]: (r["year"], r["verdict"], r["margin"], r["actual_kind"]) for r in read_csv(batch / "scorecard.csv")}
    assert card == {
        "Tỷ lệ che phủ rừng": ("2024", "met", "0.3", "estimate"),
        "Số giường bệnh trên 1 vạn dân": ("2024", "not_met", "-0.5", "estimate"),  # giường = giường bệnh
        "Tỷ lệ hộ nghèo": ("2024", "met", "0.4", "estimate"),
    }


def test_ids_do_not_change_with_batch_order_or_jobs(batch, tmp_path):
    renamed = {f"{k:02d}_{name}": DOCUMENTS[name] for k, name in enumerate(reversed(DOCUMENTS))}
    again = extract(tmp_path, renamed, jobs=2)

    def ids(out: Path, table: str, key) -> dict:
        return {key(r): r["indicator_id"] for r in read_csv(out / f"{table}.csv")}

    by_row = lambda r: (r["doc_id"], r["seq"])  # noqa: E731
    assert ids(batch, "targets", by_row) == ids(again, "targets", by_row)
    assert ids(batch, "actuals", by_row) == ids(again, "actuals", by_row)
    assert (batch / "indicators.csv").read_bytes() == (again / "indicators.csv").read_bytes()
    assert (batch / "scorecard.csv").read_bytes() == (again / "scorecard.csv").read_bytes()


def test_a_changed_document_relinks_from_the_cache(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for name, text in DOCUMENTS.items():
        (raw / name).write_text(text, encoding="utf-8")
    run_extract(Settings(raw=raw, out=out, jobs=1))
    (raw / "ninh_binh_2025.txt").write_text(REPORT_2025.replace("20,8%", "20,1%"), encoding="utf-8")
    summary = run_extract(Settings(raw=raw, out=out, jobs=1))
    assert summary.from_cache == 2  # only the changed document was read again
    card = {r["name"]: (r["verdict"], r["margin"]) for r in read_csv(out / "scorecard.csv")}
    assert card["Tỷ lệ che phủ rừng"] == ("not_met", "-0.4")


# ---------------------------------------------------------------------------- the Data Package


def test_frictionless_validates_the_package_and_its_foreign_keys(batch, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(batch / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((batch / "datapackage.json").read_text(encoding="utf-8"))
    keys = {r["name"]: r["schema"].get("foreignKeys", []) for r in package["resources"]}
    assert {fk["fields"]: fk["reference"]["resource"] for fk in keys["targets"]} == {
        "doc_id": "documents", "indicator_id": "indicators"}
    # a link to an indicator that is not there is caught
    broken = tmp_path / "broken"
    shutil.copytree(batch, broken, ignore=shutil.ignore_patterns(".cache", "report_files"))
    text = (broken / "actuals.csv").read_text(encoding="utf-8-sig")
    first_id = read_csv(broken / "actuals.csv")[0]["indicator_id"]
    (broken / "actuals.csv").write_text("\ufeff" + text.replace(first_id, "000000000000", 1), encoding="utf-8")
    report = frictionless.validate(str(broken / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {e[0] for e in report.flatten(["type"])}


@pytest.mark.parametrize("review", [
    "Năm 2025, thu ngân sách ước đạt 6.100 tỷ đồng; tỷ lệ hộ nghèo ước còn 2,1%.",
    "Ngày 20/12/2025, Hội nghị đánh giá nhiệm vụ năm 2025 và bàn nhiệm vụ năm 2026. Hội nghị nhận thấy: năm "
    "2025 kinh tế của tỉnh tăng trưởng khá, nhiều lĩnh vực có chuyển biến: thu ngân sách ước đạt 6.100 tỷ đồng; "
    "tỷ lệ hộ nghèo ước còn 2,1%.",
])
def test_a_paragraph_opening_on_the_past_year_with_estimates_is_a_review(tmp_path, review):
    """No review heading: 'Năm 2025, … ước đạt …' (or a sentence or a colon's part opening so)
    before the list is a review all the same; 'Năm 2026, …' (the plan year) is not."""
    from chitieu.parsers.formats.txt import read_txt
    from chitieu.parsers.layouts.document import read_layout

    path = tmp_path / "cv.txt"
    path.write_text("\n".join([
        "CÔNG VĂN", review,
        "Năm 2026, dự kiến đạt mức tăng trưởng cao hơn.",
        "Các chỉ tiêu chủ yếu năm 2026 như sau:", "- Thu ngân sách đạt 6.800 tỷ đồng.",
    ]), encoding="utf-8")
    layout = read_layout(read_txt(path))
    assert [(a.kind, a.year, a.name, a.value.low.value) for a in layout.actuals] == [
        ("estimate", 2025, "Thu ngân sách", 6100), ("estimate", 2025, "Tỷ lệ hộ nghèo", 2.1)]
