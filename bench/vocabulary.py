"""Words the synthetic corpus is made of, taken from the seeds (seeds/000: a target table,
seeds/004: a resolution) and from the usual wording of Vietnamese provincial plans.

Everything here is data; `bench.documents` decides how to combine it. Names may hold `{year}`
(the plan year) and `{prev}` (the year before), filled in per document. Agencies say `tỉnh`;
a centrally-run city gets `thành phố` instead (see `bench.documents.localize`).
"""
from __future__ import annotations

from dataclasses import dataclass

# The 63 provinces and centrally-run cities of 2023-2025 (before the 2025 merger).
CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ")
PROVINCES = CITIES + (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam",
    "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang",
    "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định",
    "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
YEARS = (2023, 2024, 2025, 2026)

# District names that occur in many provinces; long tables repeat indicators per district.
DISTRICTS = (
    "Châu Thành", "Phú Tân", "Tân Phú", "Long Hồ", "Bình Minh", "Cai Lậy", "Chợ Gạo",
    "Mỏ Cày Nam", "Ba Tri", "Gò Công", "Hòa Thành", "Trảng Bàng", "Đức Hòa", "Bến Lức",
    "Tam Nông", "Thanh Bình", "Lấp Vò", "Cái Bè", "Thoại Sơn", "Tịnh Biên",
)
AREA_QUALIFIERS = ("khu vực thành thị", "khu vực nông thôn", "cấp huyện", "cấp xã")

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
AGENCY_HEADERS = ("Cơ quan báo cáo", "Cơ quan chủ trì", "Cơ quan báo báo", "Cơ quan chủ trì báo cáo")


@dataclass(frozen=True)
class Value:
    """How a target is drawn: a number in [low, high] written in one of `forms` (names from
    `bench.phrases.FORMS`, space-separated; a repeated name is drawn more often), or a fixed
    `text` for completion and qualitative targets."""

    low: float = 0.0
    high: float = 0.0
    decimals: int = 0
    forms: str = "eq"
    text: str | None = None


def pct(low: float, high: float, decimals: int = 1, forms: str = "eq eq range gt") -> Value:
    return Value(low, high, decimals, forms)


def num(low: float, high: float, decimals: int = 0, forms: str = "eq eq ge approx") -> Value:
    return Value(low, high, decimals, forms)


def fixed(text: str) -> Value:
    return Value(text=text)


COMPLETED = fixed("Hoàn thành")
WITHIN_BUDGET = fixed("Đạt dự toán được giao")


@dataclass(frozen=True)
class Indicator:
    """One table row's content. `value=None` is a heading row (`…, trong đó:`) with no target;
    `agency=None` means the row has no agency of its own."""

    name: str
    unit: str
    value: Value | None
    agency: str | None = None


@dataclass(frozen=True)
class TableEntry:
    """A numbered row and the unnumbered sub-rows printed under it. Sub-rows share the head's
    agency through a vertically merged cell unless `own_agencies`; `merged_target` makes the
    head's target cell span the sub-rows too (seed 000, row 29)."""

    head: Indicator
    subs: tuple[Indicator, ...] = ()
    own_agencies: bool = False
    merged_target: bool = False


def row(name: str, unit: str, value: Value | None, agency: str | None = None, *subs: Indicator,
        own_agencies: bool = False, merged_target: bool = False) -> TableEntry:
    return TableEntry(Indicator(name, unit, value, agency), subs, own_agencies, merged_target)


def sub(name: str, unit: str, value: Value | None, agency: str | None = None) -> Indicator:
    return Indicator(name, unit, value, agency)


STATS = "Cục Thống kê tỉnh"
FINANCE = "Sở Tài chính"
TRADE = "Sở Công Thương"
PLANNING = "Sở Kế hoạch và Đầu tư"
ENVIRONMENT = "Sở Tài nguyên và Môi trường"
AGRICULTURE = "Sở Nông nghiệp và Phát triển nông thôn"
LABOUR = "Sở Lao động - Thương binh và Xã hội"
HEALTH = "Sở Y tế"
INSURANCE = "Bảo hiểm xã hội tỉnh"
CONSTRUCTION = "Sở Xây dựng"
CULTURE = "Sở Văn hóa, Thể thao và Du lịch"
EDUCATION = "Sở Giáo dục và Đào tạo"
POLICE = "Công an tỉnh"
MILITARY = "Bộ Chỉ huy Quân sự tỉnh"
JUDGEMENTS = "Cục Thi hành án dân sự tỉnh"

# Table sections: the title options (the declared count is added per document) and entries.
TABLE_SECTIONS: tuple[tuple[tuple[str, ...], tuple[TableEntry, ...]], ...] = (
    (("Về kinh tế", "Các chỉ tiêu kinh tế"), (
        row("Tốc độ tăng trưởng kinh tế (GRDP) tăng so với năm {prev}", "%",
            pct(5.0, 9.5, 1, "range range eq approx"), STATS),
        row("GRDP bình quân đầu người (giá hiện hành) đạt", "Triệu đồng/người",
            num(55, 210, 0, "eq eq range"), STATS),
        row("Kim ngạch xuất khẩu tăng so với năm {prev}", "%", pct(4, 15, 1, "eq eq range"),
            f"{TRADE}, {STATS}"),
        row("Tổng vốn đầu tư phát triển toàn xã hội khoảng", "1.000 tỷ đồng", num(30, 260, 0, "eq"), STATS),
        row("Tổng thu ngân sách", "Tỷ đồng", WITHIN_BUDGET, FINANCE),
        row("Tổng thu ngân sách nhà nước trên địa bàn", "Tỷ đồng", num(3000, 60000, 0, "eq approx"), FINANCE),
        row("Tổng kim ngạch xuất khẩu", "Triệu USD", num(400, 9500, 0, "eq range approx"), TRADE),
        row("Cơ cấu kinh tế, trong đó:", "%", None, STATS,
            sub("Khu vực nông, lâm nghiệp và thủy sản", "%", pct(8, 30, 1, "range eq")),
            sub("Khu vực công nghiệp - xây dựng", "%", pct(20, 45, 1, "range eq")),
            sub("Khu vực dịch vụ", "%", pct(25, 45, 1, "range eq"))),
        row("Số doanh nghiệp thành lập mới", "Doanh nghiệp", num(300, 3500, 0, "eq ge approx"), PLANNING),
        row("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng tăng", "%", pct(8, 14, 1, "eq range"), TRADE),
        row("Tổng lượt khách du lịch", "Nghìn lượt", num(500, 9000, 0, "eq approx ge"), CULTURE),
        row("Tỷ lệ đô thị hóa", "%", pct(20, 60, 1, "eq ge"), CONSTRUCTION),
        row("Năng suất lao động tăng", "%", pct(4.5, 8, 1, "eq range"), STATS),
    )),
    (("Về môi trường", "Các chỉ tiêu về môi trường"), (
        row("Phân loại và xử lý rác thải sinh hoạt tại nguồn, trong đó:", " ", None, ENVIRONMENT,
            sub("Ở các hộ gia đình đạt", "%", pct(15, 60, 0, "eq")),
            sub("Ở cơ quan đơn vị đạt", "%", pct(80, 100, 0, "eq eq ge"))),
        row("Thu gom và xử lý chất thải y tế", "%", pct(100, 100, 0, "eq"), ENVIRONMENT,
            sub("Thu gom và xử lý chất thải nguy hại", "%", pct(95, 100, 0, "eq")),
            sub("Thu gom và xử lý chất thải công nghiệp không nguy hại", "%", pct(95, 100, 0, "eq")),
            sub("Thu gom và xử lý chất thải rắn sinh hoạt", "%", pct(90, 100, 0, "eq gt"))),
        row("Tỷ lệ các khu công nghiệp đang hoạt động trên địa bàn có trạm xử lý nước thải tập "
            "trung đạt chuẩn môi trường", "%", pct(100, 100, 0, "eq"), ENVIRONMENT,
            sub("Tỷ lệ khu công nghiệp có nước thải ổn định được lắp đặt hệ thống quan trắc nước thải "
                "tự động, hoạt động hiệu quả đạt yêu cầu theo quy định", "%", pct(90, 100, 0, "eq"))),
        row("Duy trì tỷ lệ che phủ cây xanh", "%", pct(40, 55, 0, "eq"), AGRICULTURE,
            sub("Duy trì tỷ lệ che phủ của rừng", "%", pct(10, 55, 1, "eq ge"))),
        row("Tỷ lệ chất thải rắn đô thị được thu gom và xử lý", "%", pct(95, 99.5, 1, "gt eq"), CONSTRUCTION),
        row("Tỷ lệ dân số nông thôn sử dụng nước hợp vệ sinh", "%", pct(95, 100, 1, "eq ge"), AGRICULTURE),
        row("Tỷ lệ cơ sở gây ô nhiễm môi trường nghiêm trọng được xử lý", "%", pct(90, 100, 0, "eq gt"), ENVIRONMENT),
    )),
    (("Về an sinh - xã hội", "Về an sinh -xã hội", "Các chỉ tiêu xã hội"), (
        row("Phấn đấu trong năm {year} toàn tỉnh có thêm:", " ", None, AGRICULTURE,
            sub(" Xã đạt chuẩn nông thôn mới nâng cao ", " Xã ", num(2, 15, 0, "ge eq")),
            sub(" Xã đạt chuẩn nông thôn mới kiểu mẫu", " Xã ", num(1, 7, 0, "eq ge")),
            sub("Huyện hoàn thành nông thôn mới nâng cao", "Huyện", num(1, 3, 0, "eq"))),
        row("Giảm tỷ lệ hộ nghèo A trên tổng số hộ nghèo A", "%", pct(20, 40, 0, "eq"), LABOUR),
        row("Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều giảm", "Điểm %", pct(0.1, 1.5, 1, "eq range"), LABOUR),
        row("Tỷ lệ lao động không có việc làm ở khu vực thành thị ở mức ", "%", pct(1.5, 4.5, 1, "lt lt le"), LABOUR),
        row("Tỷ lệ trạm y tế xã, phường, thị trấn đủ điều kiện khám, chữa bệnh bảo hiểm y tế đạt", "%",
            pct(85, 100, 1, "eq ge"), HEALTH,
            sub("Tỷ lệ trạm y tế xã, phường, thị trấn có bác sĩ làm việc", "%", pct(90, 100, 0, "eq"))),
        row("Tỷ lệ trẻ em suy dinh dưỡng cân nặng theo độ tuổi giảm", "%", pct(5, 12, 1, "eq le lt"), HEALTH),
        row("Tỷ lệ trẻ em suy dinh dưỡng chiều cao theo độ tuổi giảm", "%", pct(15, 25, 1, "eq le"), HEALTH),
        row("Số bác sĩ/vạn dân", "Bác sĩ", num(7, 14, 1, "eq ge"), HEALTH,
            sub("Số giường bệnh/vạn dân", "Giường", num(22, 36, 0, "eq ge"))),
        row("Tỷ suất tử vong trẻ em dưới 1 tuổi", "‰", pct(6, 13, 1, "le le lt"), HEALTH),
        row("Tỷ lệ dân số tham gia bảo hiểm y tế ", "%", pct(90, 96, 1, "eq eq ge"), f"{INSURANCE}, {HEALTH}"),
        row("Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội đạt", "%",
            pct(25, 60, 0, "eq"), f"{INSURANCE}, {LABOUR}",
            sub("Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm thất nghiệp đạt ", "%",
                pct(20, 50, 0, "eq"))),
        row("Hoàn thành và đưa vào sử dụng nhà ở xã hội", "Căn", num(150, 2500, 0, "eq ge"), CONSTRUCTION),
        row("Tỷ lệ dân số sử dụng nước sạch đạt chuẩn ", " ", None, " ",
            sub("Dân số đô thị đạt ", "%", pct(85, 100, 1, "eq"), CONSTRUCTION),
            sub("Dân số nông thôn đạt", "%", pct(70, 95, 1, "eq"), AGRICULTURE),
            own_agencies=True),
        row("Phấn đấu tỷ lệ cai nghiện ma túy tập trung đạt", "%", pct(5, 15, 1, "eq"), LABOUR,
            sub("Phấn đấu tỷ lệ cai nghiện ma túy tại gia đình, cộng đồng đạt", "%", pct(8, 20, 0, "eq")),
            sub("Phấn đấu tỷ lệ cai nghiện ma túy tự nguyện tại các cơ sở cai nghiện ma túy đạt", "%",
                pct(4, 12, 1, "eq"))),
        row("Giải quyết việc làm cho người lao động", "Lao động", num(8000, 45000, 0, "eq ge approx"), LABOUR),
    )),
    (("Các chỉ tiêu văn hóa, giáo dục- đào tạo", "Về văn hóa, giáo dục - đào tạo"), (
        row("Tỷ lệ ấp (khu phố) đạt chuẩn văn hóa", "%", pct(85, 95, 0, "gt gt eq"), CULTURE,
            sub("Tỷ lệ hộ gia đình đạt danh hiệu gia đình văn hóa", "%", pct(85, 95, 0, "gt")),
            sub("Tỷ lệ cơ quan, đơn vị đạt chuẩn văn hóa", "%", pct(95, 99, 0, "gt")),
            sub("Tỷ lệ doanh nghiệp đạt chuẩn văn hóa", "%", pct(60, 80, 0, "gt eq")),
            sub("Tỷ lệ thiết chế văn hóa cấp huyện và cấp xã hoạt động hiệu quả", "%", pct(90, 100, 0, "eq")),
            sub("Tỷ lệ nhà văn hóa ấp (khu phố) hoạt động hiệu quả", "%", pct(80, 95, 0, "eq"))),
        row("Tỷ lệ lao động qua đào tạo nghề", "%", pct(55, 80, 1, "eq"), "Sở Lao động, Thương binh và Xã hội",
            sub("Tỷ lệ tuyển sinh đào tạo từ trung cấp nghề trở lên trên tổng số người được tuyển sinh "
                "trong năm ", "%", pct(20, 35, 1, "eq"))),
        row("Tỷ lệ  lao động qua đào tạo có bằng,\nchứng chỉ đạt", "%", pct(18, 40, 0, "eq"), "Cục Thống kê"),
        row("Tỷ lệ trường học đạt chuẩn quốc gia", "%", pct(50, 85, 1, "eq ge"), EDUCATION),
        row("Tỷ lệ huy động trẻ 5 tuổi ra lớp", "%", pct(98, 100, 1, "ge eq"), EDUCATION),
        row("Tỷ lệ xã, phường, thị trấn có thiết chế văn hóa, thể thao", "%", pct(90, 100, 0, "eq ge"), CULTURE),
    )),
    (("Về quốc phòng -an ninh, trật tự an toàn xã hội", "Về quốc phòng - an ninh"), (
        row("Hoàn thành chỉ tiêu giao quân do Quân khu giao", "Hoàn thành", COMPLETED, MILITARY),
        row("Hoàn thành chỉ tiêu bồi dưỡng kiến thức quốc phòng, an ninh cho các đối tượng theo kế hoạch",
            "Hoàn thành", COMPLETED, None),
        row("Không để xảy ra điểm nóng về an ninh, trật tự, khủng bố, phá hoại", "Hoàn thành", COMPLETED, POLICE),
        row("Số vụ phạm tội về trật tự xã hội ", "Số vụ ",
            fixed("Phấn đấu kéo giảm số vụ về trật tự xã hội; kiềm chế làm giảm số vụ tai nạn giao thông "
                  "nghiêm trọng và cháy nổ lớn và phát hiện số vụ ma túy theo Nghị quyết của Đảng ủy Công an "
                  "Trung ương."), POLICE,
            sub("Số vụ tai nạn giao thông nghiêm trọng ", "Số vụ ", None),
            sub("Số vụ cháy nổ lớn", "Số vụ ", None),
            sub("Phát hiện số vụ ma túy", "Số vụ ", None),
            merged_target=True),
        row("Tin báo tố giác tội phạm và kiến nghị khởi tố được tiếp nhận, thụ lý, xử lý", "%",
            pct(100, 100, 0, "eq"), POLICE,
            sub("Tỷ lệ giải quyết đạt ", "%", pct(85, 95, 0, "gt"), "Công an tỉnh "), own_agencies=True),
        row("Tỷ lệ điều tra, khám phá án hình sự đạt", "%", pct(70, 80, 0, "gt"), POLICE,
            sub("Trong đó án rất nghiêm trọng và đặc biệt nghiêm trọng đạt ", "%",
                fixed("Trên 90% tổng số án khởi tố"))),
        row(" Chỉ tiêu, nhiệm vụ thi hành án dân sự", "Hoàn thành",
            fixed(" Hoàn thành chỉ tiêu, nhiệm vụ thi hành án dân sự được Tổng cục Thi hành án dân sự giao "
                  "trong năm {year}"), "Cục Thi hành án \ndân sự tỉnh"),
        row("Tỷ lệ giải quyết khiếu nại, tố cáo thuộc thẩm quyền", "%", pct(85, 95, 0, "ge gt eq"),
            "Thanh tra tỉnh"),
    )),
)


@dataclass(frozen=True)
class Clause:
    """One target in prose: `text` holds `{t}` where the target phrase goes (with its unit)."""

    text: str
    unit: str
    value: Value
    sub: Clause | None = None  # the `trong đó` sub-target this clause may carry


def clause(text: str, unit: str, value: Value, sub: Clause | None = None) -> Clause:
    return Clause(text, unit, value, sub)


# Resolution bullets. Units follow the number: `%`/`‰` attached, words after a space.
PROSE_CLAUSES: tuple[Clause, ...] = (
    clause("Tăng trưởng kinh tế (GRDP theo giá so sánh 2010) đạt {t}", "%", pct(5.5, 9.5, 1, "range range eq")),
    clause("Tốc độ tăng trưởng kinh tế (GRDP) {t}", "%", pct(5.5, 9.5, 1, "range approx eq")),
    clause("GRDP bình quân đầu người đạt {t}", "triệu đồng", num(55, 210, 1, "range eq")),
    clause("Tổng kim ngạch xuất khẩu đạt {t}", "tỷ USD", num(1, 30, 0, "eq approx")),
    clause("Kim ngạch xuất khẩu tăng {t} so với năm {prev}", "%", pct(4, 15, 1, "eq range")),
    clause("Tổng vốn đầu tư phát triển toàn xã hội đạt {t}", "tỷ đồng", num(20000, 160000, 0, "range approx eq")),
    clause("Tổng thu ngân sách nhà nước trên địa bàn đạt {t}", "tỷ đồng", num(3000, 60000, 0, "eq eq ge")),
    clause("Tổng chi ngân sách địa phương đạt {t}", "tỷ đồng", num(8000, 40000, 0, "eq")),
    clause("Số doanh nghiệp đăng ký thành lập mới đạt {t}", "doanh nghiệp", num(300, 3500, 0, "eq ge")),
    clause("Giải quyết việc làm cho {t}", "lao động", num(8000, 45000, 0, "eq ge"),
           clause("đưa {t} làm việc ở nước ngoài", "lao động", num(150, 2500, 0, "eq"))),
    clause("Giảm tỷ lệ thất nghiệp khu vực thành thị còn {t}", "%", pct(1.8, 4.5, 1, "lt")),
    clause("Tỷ lệ lao động qua đào tạo là {t}", "%", pct(55, 80, 1, "eq"),
           clause("tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ là {t}", "%", pct(20, 40, 0, "eq"))),
    clause("Tỷ lệ hộ nghèo (theo chuẩn nghèo đa chiều giai đoạn 2021 - 2025) giảm {t} so với năm {prev}",
           "điểm %", pct(0.1, 1.5, 1, "eq")),
    clause("Phấn đấu có {t} số xã đã được công nhận đạt chuẩn nông thôn mới đảm bảo đạt chuẩn theo Bộ tiêu "
           "chí quốc gia về xây dựng nông thôn mới các cấp giai đoạn 2022-2025", "%", pct(80, 100, 0, "eq")),
    clause("{t} đạt chuẩn nông thôn mới nâng cao", "xã", num(2, 15, 0, "eq")),
    clause("{t} đạt chuẩn nông thôn mới kiểu mẫu", "xã", num(1, 9, 0, "eq")),
    clause("{t} được công nhận đạt chuẩn huyện nông thôn mới", "huyện", num(1, 3, 0, "eq")),
    clause("Tỷ lệ dân số tham gia bảo hiểm y tế đạt {t}", "%", pct(90, 96, 1, "eq eq ge")),
    clause("Tỷ lệ dân số trong độ tuổi lao động tham gia bảo hiểm xã hội đạt {t}", "%", pct(25, 60, 0, "eq")),
    clause("Số bác sĩ/vạn dân đạt {t}", "bác sĩ", num(7, 14, 1, "eq")),
    clause("số giường bệnh/vạn dân đạt {t}", "giường bệnh", num(22, 36, 0, "eq")),
    clause("giảm tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng {t}", "%", pct(8, 16, 1, "le")),
    clause("tỷ suất tử vong trẻ em dưới 1 tuổi {t}", "‰", pct(6, 13, 1, "le")),
    clause("tỷ suất tử vong trẻ em dưới 5 tuổi {t}", "‰", pct(8, 20, 1, "le")),
    clause("tỷ lệ xã đạt tiêu chí quốc gia về y tế đạt {t}", "%", pct(90, 100, 0, "eq")),
    clause("Tỷ lệ hộ dân nông thôn được sử dụng nước hợp vệ sinh đạt {t}", "%", pct(97, 100, 0, "eq"),
           clause("tỷ lệ hộ dân nông thôn sử dụng nước từ hệ thống cấp nước tập trung đạt {t}", "%",
                  pct(60, 99, 2, "eq"))),
    clause("Tỷ lệ dân số đô thị được cung cấp nước sạch qua hệ thống cấp nước tập trung đạt {t}", "%",
           pct(95, 100, 2, "eq")),
    clause("Tỷ lệ chất thải rắn đô thị được thu gom và xử lý đạt {t}", "%", pct(95, 99.5, 1, "gt eq")),
    clause("Tỷ lệ cơ sở sản xuất kinh doanh dịch vụ xử lý chất thải đạt tiêu chuẩn môi trường {t}", "%",
           pct(85, 95, 0, "gt")),
    clause("Tỷ lệ che phủ rừng duy trì ở mức {t}", "%", pct(10, 55, 1, "eq approx")),
    clause("Chỉ tiêu tuyển quân đạt {t}, đảm bảo chất lượng giao quân", "%", pct(100, 100, 0, "eq")),
    clause("Kết nạp {t} mới", "đảng viên", num(600, 3000, 0, "eq ge")),
    clause("{t} đảng viên đủ tư cách, hoàn thành nhiệm vụ trở lên", "%", pct(95, 99, 0, "gt")),
    clause("{t} tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", pct(80, 90, 0, "gt")),
    clause("Năng suất lao động tăng {t}", "%", pct(4.5, 8, 1, "eq range")),
    clause("Tỷ lệ đô thị hóa đạt {t}", "%", pct(20, 60, 1, "eq approx")),
    clause("Tổng lượt khách du lịch đạt {t}", "lượt khách", num(500000, 9000000, 0, "approx_range approx eq")),
    clause("Tỷ lệ giải quyết khiếu nại, tố cáo thuộc thẩm quyền đạt {t}", "%", pct(85, 95, 0, "ge gt")),
)

# Enumerations: a lead, then `item value` pairs separated by commas (`nhà trẻ 17,5%, …`).
ENUMERATIONS: tuple[tuple[str, str, tuple[tuple[str, float, float], ...]], ...] = (
    ("Tỷ lệ huy động học sinh trong độ tuổi", "", (
        ("nhà trẻ", 15, 35), ("mẫu giáo", 80, 98), ("tiểu học", 99, 100), ("trung học cơ sở", 95, 99.5),
        ("trung học phổ thông và tương đương", 60, 90))),
    ("Tỷ lệ trường học đạt chuẩn quốc gia", " đạt", (
        ("mầm non", 50, 80), ("tiểu học", 70, 95), ("trung học cơ sở", 60, 85), ("trung học phổ thông", 50, 80))),
    ("Tỷ lệ che phủ", " đạt", (("cây xanh", 40, 55), ("rừng", 10, 55))),
)

# Sentences without targets: the body of long resolutions and the frame of every one.
NARRATIVE = (
    "Tập trung lãnh đạo, chỉ đạo thực hiện quyết liệt, đồng bộ các nhiệm vụ, giải pháp phát triển "
    "kinh tế - xã hội đã đề ra.",
    "Đẩy mạnh cải cách hành chính, cải thiện môi trường đầu tư kinh doanh, nâng cao chỉ số năng lực "
    "cạnh tranh cấp tỉnh (PCI).",
    "Tiếp tục thực hiện có hiệu quả Nghị quyết số 15-NQ/TU về chuyển đổi số giai đoạn 2021 - 2025, "
    "định hướng đến năm 2030.",
    "Huy động và sử dụng có hiệu quả các nguồn lực cho đầu tư phát triển kết cấu hạ tầng, nhất là hạ "
    "tầng giao thông, thủy lợi và đô thị.",
    "Phát triển nông nghiệp theo hướng ứng dụng công nghệ cao, nông nghiệp hữu cơ, gắn với xây dựng "
    "nông thôn mới nâng cao, kiểu mẫu.",
    "Quan tâm chăm lo đời sống vật chất, tinh thần của Nhân dân, nhất là người có công, hộ nghèo, hộ "
    "cận nghèo và đồng bào dân tộc thiểu số.",
    "Nâng cao chất lượng giáo dục và đào tạo, phát triển nguồn nhân lực chất lượng cao đáp ứng yêu cầu "
    "công nghiệp hóa, hiện đại hóa.",
    "Tăng cường công tác quản lý nhà nước về tài nguyên, môi trường; chủ động phòng, chống thiên tai, "
    "thích ứng với biến đổi khí hậu.",
    "Giữ vững quốc phòng, an ninh, bảo đảm trật tự an toàn xã hội; nâng cao hiệu quả công tác đối ngoại.",
    "Thực hiện tốt công tác xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh toàn diện.",
    "Đẩy mạnh phòng, chống tham nhũng, tiêu cực, lãng phí; thực hành tiết kiệm trong chi tiêu công.",
    "Nâng cao chất lượng khám, chữa bệnh, y tế dự phòng; kiểm soát tốt dịch bệnh, không để dịch lớn "
    "xảy ra.",
    "Tổ chức thực hiện tốt các chính sách an sinh xã hội, giải quyết việc làm, giảm nghèo bền vững.",
    "Các sở, ban, ngành, địa phương chủ động xây dựng kế hoạch cụ thể, phân công rõ trách nhiệm, thời "
    "gian hoàn thành.",
    "Hàng tháng, quí, 6 tháng và cuối năm tổ chức sơ kết, tổng kết, báo cáo kết quả thực hiện về Ủy ban "
    "nhân dân tỉnh.",
)
TASK_HEADINGS = (
    "Về phát triển kinh tế", "Về văn hóa - xã hội", "Về tài nguyên và môi trường",
    "Về quốc phòng, an ninh", "Về xây dựng Đảng và hệ thống chính trị", "Về cải cách hành chính",
    "Về giáo dục và đào tạo", "Về y tế và chăm sóc sức khỏe Nhân dân",
)
ORDINALS = ("mười", "mười một", "mười hai", "mười ba", "mười bốn", "mười lăm", "mười sáu", "mười bảy",
            "mười tám", "mười chín", "hai mươi")
TERMS = ("XI", "XII", "XIII", "XIV", "XV", "XVI")

RECIPIENTS = (
    "- VPTW Đảng (HN, T78),", "- Các ban đảng TW (HN, TP.HCM),", "- Các Ủy viên BCH Đảng bộ tỉnh,",
    "- Các ban đảng, BCS Đảng, Đảng đoàn,", "- Các sở, ban, ngành, MTTQ, đoàn thể tỉnh,",
    "- Cấp ủy huyện (tương đương),", "- Các Ủy viên UBKT Tỉnh ủy,", "- Phòng Tổng hợp,",
    "- Lưu Văn phòng Tỉnh ủy.",
)
SIGNERS = ("Nguyễn Văn Danh", "Trần Thị Mai", "Lê Văn Hùng", "Phạm Minh Tuấn", "Võ Thị Hồng",
           "Huỳnh Văn Nam", "Đặng Quốc Bảo", "Bùi Thị Thu")
