"""Phụ lục tables of the wider family (SPEC §1.2), on real .docx files built with python-docx:
a 'Kết quả' value column, one column per plan year under a period group, a year spanning two
measures, section and total rows that carry values, targets written whole in the name cell,
and task tables that hold no targets. Tables and sentences of our own."""
from __future__ import annotations

from chitieu.parsers.formats.docx import read_docx
from chitieu.parsers.layouts.table import header_role, read_tables
from test_table_layout import build_docx


def annex(path, rows, merges=()):
    """A real Word table whose first row is its header; `merges` in the table's coordinates."""
    width = max(len(r) for r in rows)
    padded = [list(r) + [None] * (width - len(r)) for r in rows]
    return read_tables(read_docx(build_docx(path, padded[0], padded[1:], merges)).tables)


def values(result):
    return [(r.section, r.number, r.name, r.target.low and r.target.low.value, r.target.unit, r.year)
            for r in result.rows]


def test_task_columns_and_results_by_role():
    assert header_role("Nội dung nhiệm vụ") == "task"
    assert header_role("Thời gian hoàn thành") == "task"
    assert header_role("Chỉ tiêu, nhiệm vụ") == "name"
    assert header_role("Mặt hàng") == "name"
    assert header_role("Giai đoạn 2026 - 2030 Năm 2028") == "target"


def test_a_result_column_beside_no_plan_column_holds_the_targets_and_horizon_sections_set_the_year(tmp_path):
    got = annex(tmp_path / "ket_qua.docx", [
        ["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì"],
        ["I", "Đến năm 2028", "", "", ""],
        ["1", "Số hợp tác xã kiểu mới", "Hợp tác xã", "Ít nhất 400", "Sở Nông nghiệp và Môi trường"],
        ["II", "Tầm nhìn đến năm 2040", "", "", ""],
        ["1", "Số hợp tác xã kiểu mới", "Hợp tác xã", "Trên 900", ""],
    ], merges=[((1, 1), (1, 4)), ((3, 1), (3, 4))])
    assert values(got) == [("I", "1", "Số hợp tác xã kiểu mới", 400, "hợp tác xã", 2028),
                           ("II", "1", "Số hợp tác xã kiểu mới", 900, "hợp tác xã", 2040)]


def test_a_task_table_gives_no_rows(tmp_path):
    got = annex(tmp_path / "nhiem_vu.docx", [
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Kết quả", "Thời gian hoàn thành"],
        ["1", "Xây dựng kho dữ liệu giống cây trồng", "Sở Nông nghiệp", "Ít nhất 12 giống được lưu giữ", "Năm 2027"],
    ])
    assert got.rows == ()


def test_one_column_per_year_under_a_period_group_gives_the_last_years_targets(tmp_path):
    got = annex(tmp_path / "nam.docx", [
        ["TT", "Sản phẩm", "ĐVT", "Giai đoạn 2026 - 2030", None, None],
        [None, None, None, "Năm 2026", "Năm 2028", "Năm 2030"],
        ["I", "Trái cây tươi", "Tấn", "5.000", "6.200", "8.000"],
        ["1", "Bưởi", "Tấn", "1.200", "1.500", "2.100"],
        ["", "Tổng cộng", "Tấn", "5.000", "6.200", "8.000"],
    ], merges=[((0, 3), (0, 5)), ((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (1, 2))])
    assert got.year == 2030
    assert values(got) == [("I", "I", "Trái cây tươi", 8000, "tấn", 2030), ("I", "1", "Bưởi", 2100, "tấn", 2030),
                           ("I", None, "Tổng cộng", 8000, "tấn", 2030)]
    assert got.rows[1].values == (("target", 2026, "1.200"), ("target", 2028, "1.500"))


def test_a_year_over_two_measures_gives_a_target_for_each(tmp_path):
    got = annex(tmp_path / "luong_gia_tri.docx", [
        ["TT", "Mặt hàng", "Năm 2027", None, "Năm 2030", None],
        [None, None, "Lượng (Tấn)", "Giá trị (Nghìn USD)", "Lượng (Tấn)", "Giá trị (Nghìn USD)"],
        ["1", "Hạt điều nhân", "9.000", "55.000", "12.000", "80.000"],
        ["", "Tổng", "", "70.000", "", "98.000"],
    ], merges=[((0, 2), (0, 3)), ((0, 4), (0, 5)), ((0, 0), (1, 0)), ((0, 1), (1, 1))])
    assert [(n, v, u) for _, _, n, v, u, _ in values(got)] == [
        ("Hạt điều nhân (Lượng)", 12000, "tấn"), ("Hạt điều nhân (Giá trị)", 80000, "nghìn USD"),
        ("Tổng (Giá trị)", 98000, "nghìn USD")]
    # each measure keeps its own earlier years for the actuals, not the other measure's
    assert [r.values for r in got.rows[:2]] == [(("target", 2027, "9.000"),), (("target", 2027, "55.000"),)]


def test_targets_written_whole_in_the_name_cell_are_read_as_statements(tmp_path):
    got = annex(tmp_path / "chu_tri.docx", [
        ["TT", "Chỉ tiêu", "Đơn vị chủ trì"],
        ["1", "Tỷ lệ bệnh viện dùng bệnh án điện tử đạt 100%", "Sở Y tế"],
        ["2", "95% trạm y tế xã kết nối hồ sơ sức khỏe điện tử", ""],
        ["3", "Hoàn thành số hóa hồ sơ người có công", "Sở Nội vụ"],
    ])
    assert [(r.number, r.name, r.target.kind, r.target.low and r.target.low.value, r.agency) for r in got.rows] == [
        ("1", "Tỷ lệ bệnh viện dùng bệnh án điện tử", "numeric", 100, "Sở Y tế"),
        ("2", "Tỷ lệ trạm y tế xã kết nối hồ sơ sức khỏe điện tử", "numeric", 95, "Sở Y tế"),
        ("3", "Số hóa hồ sơ người có công", "completion", None, "Sở Nội vụ"),
    ]
