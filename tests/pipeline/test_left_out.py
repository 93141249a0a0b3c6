"""Nothing silent end to end (SPEC §4.2): a real .docx built with python-docx, run through the
pipeline; its numbers are counted in documents, the ones that gave no row are in left_out.csv
with their reasons, and the report shows them, misses first."""
from __future__ import annotations

import csv

import docx

from chitieu.pipeline.datapackage import validate_package
from chitieu.pipeline.run import Settings, run_extract


def write_plan(path):
    d = docx.Document()
    for text in ("ỦY BAN NHÂN DÂN TỈNH MẪU SƠN", "Số: 41/KH-UBND", "KẾ HOẠCH",
                 "Phát triển thể thao quần chúng giai đoạn 2026 - 2030",
                 "Căn cứ Nghị quyết số 12/NQ-HĐND ngày 08 tháng 12 năm 2025 của Hội đồng nhân dân tỉnh;",
                 "I. MỤC ĐÍCH, YÊU CẦU", "Huy động 200 câu lạc bộ thể thao cơ sở tham gia các giải đấu.",
                 "II. MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030",
                 "1. Tỷ lệ người dân tập luyện thể thao thường xuyên đạt 42%.",
                 "2. Số giải thể thao quần chúng cấp tỉnh tổ chức hằng năm từ 15 giải trở lên.",
                 "3. Mỗi xã có ít nhất một sân thể thao đạt chuẩn; các trường học sẽ được rà soát theo đợt 3.",
                 "III. NHIỆM VỤ, GIẢI PHÁP", "1. Cải tạo 35 nhà văn hóa thôn thành điểm tập luyện.",
                 "IV. KINH PHÍ", "Tổng kinh phí dự kiến 120 tỷ đồng."):
        d.add_paragraph(text)
    d.save(path)


def test_left_out_numbers_are_counted_listed_with_their_reason_and_shown(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    write_plan(raw / "ke_hoach.docx")
    run_extract(Settings(raw=raw, out=out, jobs=1, use_cache=False, isolate=False))
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        document = next(csv.DictReader(f))
    with open(out / "left_out.csv", encoding="utf-8-sig", newline="") as f:
        left = list(csv.DictReader(f))
    reasons = {row["reason"] for row in left}
    assert {"general objective", "task", "funding"} <= reasons
    assert not any("Căn cứ" in row["text"] for row in left)  # a citation's numbers are no values
    assert int(document["numbers_seen"]) == int(document["numbers_read"]) + len(left)
    assert all(row["source"] == "ke_hoach.docx" and row["location"].startswith("paragraph ") for row in left)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'class="left-out"' in page and "kinh phí" in page
    assert not validate_package(out)
