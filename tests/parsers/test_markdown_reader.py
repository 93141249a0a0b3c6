"""The .md reader (SPEC §1.2, text saved from the web): '#' headings, '**bold**', pipe tables,
'---' rules and links read as the HTML page Markdown stands for."""
from __future__ import annotations

from chitieu.pipeline.extract import extract_document
from chitieu.parsers.formats import read_document

PROGRAMME = """| ỦY BAN NHÂN DÂN<br>TỈNH MẪU | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
|---|---|
| Số: 12/KH-UBND | *Tỉnh Mẫu, ngày 3 tháng 2 năm 2026* |

# KẾ HOẠCH

**Phát triển thư viện cộng đồng giai đoạn 2026 - 2030**

Căn cứ [Quyết định số 45/2025/QĐ-TTg](https://example.org/van-ban/45-2025) của Thủ tướng;

---

## 1. Mục tiêu tổng quát

Mở rộng mạng lưới đọc sách, phấn đấu mỗi xã có 2 điểm đọc.

## 2. Mục tiêu cụ thể

**2.1.** Tỷ lệ thôn, tổ dân phố có tủ sách cộng đồng đạt 75%.

**2.2.** Số lượt bạn đọc tại thư viện tỉnh đạt trên 300 nghìn lượt/năm.

| TT | Chỉ tiêu | Năm 2028 | Năm 2030 |
|---|---|---|---|
| 1 | Tỷ lệ thôn, tổ dân phố có tủ sách cộng đồng (%) | 60 | 75 |
"""


def test_a_markdown_programme_reads_its_headings_items_and_table(tmp_path):
    path = tmp_path / "ke_hoach.md"
    path.write_text(PROGRAMME, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "md"
    texts = [l.full_text for l in doc.lines]
    assert "KẾ HOẠCH" in texts and not any("https://" in t or t.strip("-") == "" for t in texts)
    assert any(l.heading and l.text.startswith("2. Mục tiêu cụ thể") or l.marker == "2." and l.heading for l in doc.lines)
    assert [c.text for c in doc.tables[-1].rows[0].cells] == ["TT", "Chỉ tiêu", "Năm 2028", "Năm 2030"]
    result = extract_document(path, tmp_path)
    assert result.document["status"] == "ok" and result.document["doc_number"] == "12/KH-UBND"
    by_name = {r["name"]: r for r in result.targets}
    assert by_name["Tỷ lệ thôn, tổ dân phố có tủ sách cộng đồng"]["value_low"] == 75
    assert not any("2 điểm đọc" in (r["target_text"] or "") for r in result.targets)  # a general objective
