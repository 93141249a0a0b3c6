"""The development corpus (../shared/corpus, or its verbatim copy in tests/corpus): 24
documents in the structures real offices use, each read against its hand-labelled gold with
the project's own scorer (compare.py, vendored beside the copy).

Every document must give rows and read every gold row exactly (the core fields compare.py
scores: type, bounds, inclusivity, unit, approximate, and the text of qualitative targets),
so a rule that helps one office's habit at another's cost fails here.
"""
from __future__ import annotations

import csv
import importlib.util

import pytest

from conftest import ROOT
from chitieu.pipeline.extract import extract_document

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS = SHARED_CORPUS if SHARED_CORPUS.is_dir() else ROOT / "tests" / "corpus"
VENDORED = ROOT / "tests" / "corpus"


def _scorer():
    spec = importlib.util.spec_from_file_location("corpus_compare", VENDORED / "compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _documents():
    return sorted(p for p in (CORPUS / "raw").iterdir() if p.is_file())


def _as_csv_row(record: dict) -> dict:
    out = {}
    for k, v in record.items():
        out[k] = "" if v is None else ("true" if v is True else "false" if v is False else
                                      (f"{v:g}" if isinstance(v, float) else str(v)))
    return out


# The blind set (tests/blind): ten documents a helper wrote from real resolutions without
# seeing these rules or tests, labelled by SPEC. First scored at 121/153 exact; the rules that
# close the gap were written and tested on sentences of our own, not the set's.
# tests/blind2: a second set of eight, from a second helper, on kinds the corpus lacks
# (district, city, ministry, Party congress, Government, six-month report); first scored at
# 122/146 (score_first.txt beside each set).
# tests/blind3: a third set of eight (a commune, Hà Nội with Word numbering, an Excel plan
# table, a Party congress with inline items, a department's PDF, a report reviewing the past
# year in a table, articles 'name (unit): value', a ministry's programme); first scored at
# 153/211, with one document giving no rows.
# tests/blind4: a fourth set (a decision with an annex table of agencies, in .docx and the PDF
# LibreOffice makes of it, an action programme to 2030, a health plan in Excel, a city under a
# province, a letter with no list, a portal's web page, a Party committee's PDF); first scored
# at 212/233, all misses but one in a .doc whose table was lost (left out; see its README).
# tests/blind5: a fifth set of six (Word numbering through a LibreOffice PDF, a 42-row annex,
# unmarked paragraphs, a ward's inline items, a Government table with units in its names, a
# commune Party committee); first scored at 104/129, every unambiguous row exact after one rule.
# tests/blind6 – blind9: yearly plans (6, 8) and the wider family of SPEC §1.2 (7, 9), this
# session's; 8 and 9 were first scored on the rules written after 6 and 7 (score_first.txt).
BLIND_SETS = (ROOT / "tests" / "blind", ROOT / "tests" / "blind2", ROOT / "tests" / "blind3",
              ROOT / "tests" / "blind4", ROOT / "tests" / "blind5", ROOT / "tests" / "blind6",
              ROOT / "tests" / "blind7", ROOT / "tests" / "blind8", ROOT / "tests" / "blind9",
              ROOT / "tests" / "blind10")
# Rows a gold file marks ambiguous and reads otherwise than the pipeline (and than another
# set's gold): strict xfails, so a change of reading is seen.
TARGET_LIMITS = {
    "e04_cam_duong_2026_ke_hoach_ubnd_phuong": "'Hoàn thành 100% chỉ tiêu giao quân': this gold a completion, blind3's "
                                               "gold and the pipeline 100 %",
    "e06_gia_lai_bien_ho_2026_nq_dang_uy": "'từ 120 bóng đèn … trở lên' (unit 'bóng' from the noun) and the compound "
                                           "unit 'thôn, làng': ambiguous rows the pipeline reads without and as 'thôn'",
}
# New corpus documents (the wider family of SPEC §1.2, year-end reports) that do not read yet:
# strict xfails with the reason, each removed as its document comes right.
CORPUS_LIMITS = {
    "d27_chinh_phu_2025_nq_chuong_trinh_hanh_dong": "'1,8 triệu' under ĐVT 'Doanh nghiệp': the scale word of the value "
                                                    "cell is not folded into the unit (an ambiguous row of the gold)",
}
TARGET_LIMITS.update(CORPUS_LIMITS)
# Rows of this session's blind sets that do not read yet (each flagged for review but f05's and
# g02's, which the README's table counts): strict xfails, so a change of reading is seen.
TARGET_LIMITS.update({
    "f01_thanh_hoa_2026_nq_hdnd_xa": "'Hoàn thành chỉ tiêu giao quân năm 2026': the gold names 'Chỉ tiêu giao quân', "
                                     "the pipeline strips 'chỉ tiêu' with 'Hoàn thành' and keeps the year",
    "f05_lam_dong_2025_bao_cao_ubnd_huyen": "'Giảm tai nạn giao thông … trên cả 3 tiêu chí' gives no row; the body "
                                            "table's six targets align with the prose's",
    "g02_lao_cai_2026_2030_chuong_trinh_du_lich": "'Có 1.200 cơ sở … với khoảng 22.000 buồng': the count after 'với' "
                                                  "gives no row (an ambiguous row of the gold)",
    "g03_chinh_phu_2030_2045_nq_chuong_trinh_giao_duc": "'Hoàn thành phổ cập … cho trẻ em từ 3 đến 5 tuổi': the ages "
                                                        "read as the value (flagged odd_name)",
    "g04_bo_chinh_tri_2030_2045_nq_moi_truong": "'Việt Nam thuộc nhóm 60 quốc gia dẫn đầu về Chỉ số …': the rank's "
                                                "indicator after 'về' is not its name (flagged odd_name)",
    "k01_dien_chau_2026_ke_hoach_bieu_scan": "a scan whose section heading 'I' OCR reads as '1' in the STT column: "
                                             "the section is read as a row (flagged review)",
    "h03_van_ban_lao_cai_2025_bao_cao_ubnd_huyen": "'giảm 4 - 4,5 điểm phần trăm theo chuẩn nghèo …': the unit's words "
                                                   "stay in the name (flagged odd_name)",
})
YEAR_LIMITS = {stem: reason for stem, reason in CORPUS_LIMITS.items() if not stem.startswith("d32")}
YEAR_LIMITS["g02_lao_cai_2026_2030_chuong_trinh_du_lich"] = "a rate 'bình quân giai đoạn 2026 - 2030' under a list " \
                                                          "heading 'đến năm 2030': the gold gives it no year"
YEAR_LIMITS["g05_tuyen_quang_2026_2030_qd_ke_hoach_nong_thon_moi"] = "a Phụ lục that restates the prose's targets " \
    "names no horizon: its rows get no year, the gold the prose list's 2030"
CASES = [(CORPUS, p) for p in _documents()] + \
        [(base, p) for base in BLIND_SETS for p in sorted((base / "raw").iterdir())]


@pytest.mark.parametrize("base,path", [
    pytest.param(base, p, id=p.stem[:3], marks=[pytest.mark.xfail(strict=True, reason=TARGET_LIMITS[p.stem])]
                 if p.stem in TARGET_LIMITS else []) for base, p in CASES])
def test_document_reads_its_gold(base, path):
    result = extract_document(path, base / "raw")
    assert result.document["status"] == "ok", result.document["error"]
    with open(base / "gold" / f"{path.stem}.csv", encoding="utf-8", newline="") as f:
        gold = list(csv.DictReader(f))
    score = _scorer().score_doc(gold, [_as_csv_row(r) for r in result.targets])
    assert score["exact"] == score["gold"], (score["misses"], score["unmatched"], score["extra"])


def test_corpus_as_a_whole():
    scorer = _scorer()
    exact = total = 0
    for path in _documents():
        result = extract_document(path, CORPUS / "raw")
        with open(CORPUS / "gold" / f"{path.stem}.csv", encoding="utf-8", newline="") as f:
            gold = list(csv.DictReader(f))
        score = scorer.score_doc(gold, [_as_csv_row(r) for r in result.targets])
        exact, total = exact + score["exact"], total + score["gold"]
    assert (exact, total) == (566, 568)


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="no ../shared beside this clone")
def test_vendored_corpus_is_the_shared_corpus():
    for sub in ("raw", "gold"):
        for path in (SHARED_CORPUS / sub).iterdir():
            assert (VENDORED / sub / path.name).read_bytes() == path.read_bytes(), path.name
    assert (VENDORED / "compare.py").read_bytes() == (ROOT.parent / "shared" / "tools" / "compare.py").read_bytes()


DOCUMENT_FIELDS = ("layout", "year", "period", "jurisdiction", "doc_number", "kind", "issuer", "date")
# Readings the SPEC leaves open where the pipeline chooses otherwise than a gold file.
DOCUMENT_LIMITS = {
    "c03_lao_cai_2025_2030_nq_dai_hoi_dang_bo": "a Party congress: the pipeline names the Party committee (TỈNH ỦY), the gold its Đảng bộ",
    "c04_quang_binh_2025_ke_hoach_so_y_te": "a department's plan with no letterhead: the pipeline names the province's UBND from the body",
    "k04_lao_cai_2026_2030_nq_dai_hoi": "a Party congress of a term 2025-2030 planning 2026-2030: the issuer is the "
                                        "Party organisation, not the congress; "
           "the golds differ from each other and from the pipeline on term vs plan period",
    "e06_gia_lai_bien_ho_2026_nq_dang_uy": "a commune's Party committee under the province's Party organisation: the "
                                           "pipeline names the upper body, not 'ĐẢNG ỦY XÃ BIỂN HỒ' below it",
    "k04_gia_lai_2026_ke_hoach_nganh_y_te": "a department's letterhead: two golds print it as 'SỞ Y TẾ', this one "
                                            "adds the province",
}
DOCUMENT_LIMITS["d31_thua_thien_hue_2045_ke_hoach_xe_buyt_xanh"] = "the issuer printed without 'TỈNH'"
# SPEC §2 and the corpus (d29) name a district's province as its jurisdiction; three older
# blind golds named the district or the city under the province.
for _stem in ("c01_quynh_luu_2025_nq_hdnd_huyen", "c02_buon_ma_thuot_2025_ke_hoach_ubnd_tp",
              "k05_bao_loc_2025_nq_hdnd_thanh_pho"):
    DOCUMENT_LIMITS[_stem] = "this gold names the district as the jurisdiction; SPEC §2 and the corpus its province"
DOCUMENT_LIMITS["f01_thanh_hoa_2026_nq_hdnd_xa"] = "a commune whose name several provinces have: no province named"
DOCUMENT_LIMITS["f03_phu_tho_2026_nq_dang_uy_phuong"] = DOCUMENT_LIMITS["e06_gia_lai_bien_ho_2026_nq_dang_uy"]
DOCUMENT_LIMITS["d36_cao_bang_2026_bao_cao_6_thang"] = "a six-month report: its plan column is quoted, not its own targets"
# blind10 (legacy fonts and scans, issue 22): what its first reading showed of the documents' facts
for _form in ("scan", "tcvn3", "tcvn3_print", "vni"):
    DOCUMENT_LIMITS[f"k01_dien_chau_2026_ke_hoach_bieu_{_form}"] = (
        "this gold leaves a district's jurisdiction empty; SPEC §2 gives it its province (Nghệ An)")
for _form in ("tcvn3", "tcvn3_print", "vni"):
    DOCUMENT_LIMITS[f"k02_my_duc_2026_nq_hdnd_xa_{_form}"] = (
        "a commune council's letterhead in legacy capitals (.VnTimeH): no issuer read")
for _stem in ("k02_my_duc_2026_nq_hdnd_xa_scan", "k04_hung_yen_2026_nq_hdnd_bieu_scan"):
    DOCUMENT_LIMITS[_stem] = "a scan: the law the preamble cites (72/2025/QH15) taken for the document's number"
for _form in ("tcvn3", "tcvn3_print", "vni"):
    DOCUMENT_LIMITS[f"k03_quang_ngai_2026_ke_hoach_so_y_te_{_form}"] = (
        "a department's plan under the province's letterhead: the pipeline names the upper body (or, "
        "printed in legacy capitals, none)")
DOC_CASES = [pytest.param(base, p, id=f"{base.name}-{p.stem[:3]}",
                          marks=[pytest.mark.xfail(strict=True, reason=DOCUMENT_LIMITS[p.stem])]
                          if p.stem in DOCUMENT_LIMITS else []) for base, p in CASES]


@pytest.mark.parametrize("base,path", DOC_CASES)
def test_document_metadata_matches_its_gold(base, path):
    with open(base / "gold" / "documents.csv", encoding="utf-8", newline="") as f:
        gold = next(r for r in csv.DictReader(f) if r["stem"] == path.stem)
    document = extract_document(path, base / "raw").document
    got = {f: "" if document[f] is None else str(document[f]) for f in DOCUMENT_FIELDS if f in gold}
    assert got == {f: gold[f] for f in got}


def _term_plans():
    for base, path in CASES:
        with open(base / "gold" / "documents.csv", encoding="utf-8", newline="") as f:
            if any(r["stem"] == path.stem and r.get("period") for r in csv.DictReader(f)):
                yield base, path


@pytest.mark.parametrize("base,path", [
    pytest.param(base, p, id=p.stem[:3], marks=[pytest.mark.xfail(strict=True, reason=YEAR_LIMITS[p.stem])]
                 if p.stem in YEAR_LIMITS else []) for base, p in _term_plans()])
def test_a_term_plans_rows_carry_the_year_they_name(base, path):
    """SPEC §2: in a term plan, `year` is the year a target names ('đến năm 2030'), else null."""
    scorer = _scorer()
    with open(base / "gold" / f"{path.stem}.csv", encoding="utf-8", newline="") as f:
        gold = list(csv.DictReader(f))
    rows = [_as_csv_row(r) for r in extract_document(path, base / "raw").targets]
    pairs = scorer.align(gold, rows)
    assert len(pairs) == len(gold)
    assert [rows[p]["year"] for _, p in pairs] == [gold[g]["year"] for g, _ in pairs]
