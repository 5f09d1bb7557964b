"""Every deadline phrase of the five source plans maps to a rule of its profile.

The phrases are copied verbatim from the plans' "Thời gian thực hiện" / "Thời gian hoàn thành"
columns (An Giang: also "Ghi chú" where the real deadline is there; Thanh Hóa: the text, which has
no table). A phrase split over two lines of a table is joined; each distinct phrase appears once.
"""

from __future__ import annotations

import pytest

from app.data.rules import load_catalog

PHRASES: dict[str, list[str]] = {
    "nghe-an-2023": [
        "Tháng 02/2023",
        "Trước ngày 21/02/2023",
        "Thường xuyên",
        "Ngay sau khi văn bản QPPL được ban hành.",
        "Chậm nhất 10 ngày kể từ ngày ban hành Quyết định công bố TTHC hoặc Quyết định công bố "
        "danh mục TTHC của Chủ tịch UBND tỉnh.",
        "Công khai đúng ngày Quyết định công bố có hiệu lực thi hành",
        "Ngay sau khi có Quyết định công bố TTHC của Chủ tịch UBND tỉnh",
        "Trong năm 2023",
        "Theo Kế hoạch của UBND tỉnh",
        "Theo Quyết định số 1085/QĐ-TTg ngày 15/9/2022 của Thủ tướng Chính phủ và Kế hoạch số "
        "793/QĐ-UBND ngày 14/11/2022 của UBND tỉnh",
        "Thường xuyên khi có sự thay đổi",
        "Quý III/2023",
        "Quý 1/2023",
        "Hàng tháng",
        "Quý II/2023",
        "Quý I/2023",
        "Sau khi có Báo cáo kết quả giải quyết",
        "Quý II, III/2023",
        "Trong năm",
        "Theo Kế hoạch của UBND tỉnh và Kiểm tra đột xuất theo yêu cầu.",
        "Sau kiểm tra",
        "Hàng quý và đột xuất khi có yêu cầu",
    ],
    "ha-tinh-2022": [
        "Tháng 03 năm 2022",
        "Thường xuyên trong năm 2022",
        "Tháng 3 đến tháng 7 năm 2022",
        "Tháng 8 năm 2022",
        "Quý IV năm 2022",
        "Theo kế hoạch cụ thể",
        "Quý l, II năm 2022",
    ],
    "quang-nam-2024": [
        "Trước ngày 05/03/2024",
        "Trước ngày 15/3/2024",
        "Trước ngày 31/3/2024",
        "Quý I/2024",
        "Hoàn thành trước 10 ngày thông thường kể từ ngày Bộ trưởng, Thủ trưởng cơ quan ngang bộ "
        "ký ban hành Danh mục TTHC",
        "Ngay sau khi văn bản QPPL được ban hành",
        "Hoàn thành trước 10 ngày thông thường kể từ ngày ký ban hành Quyết định công bố thừa ủy "
        "quyền của Chủ tịch UBND tỉnh:",
        "Phê duyệt quy trình nội bộ trước 07 ngày;",
        "Thiết lập quy trình điện tử chậm nhất là 03 ngày.",
        "Chậm nhất là 03 ngày làm việc kể từ ngày quyết định công bố",
        "Trước 05 ngày thông thường kể từ ngày Quyết định công bố thừa ủy quyền của Chủ tịch UBND "
        "tỉnh;",
        "Hoặc trước 15 ngày thông thường tính từ thời gian Bộ trưởng, Thủ trưởng cơ quan ngang bộ "
        "ban hành Danh mục TTHC.",
        "Chậm nhất là 05 ngày thông thường kể từ ngày quyết định công bố",
        "Ngay sau khi có Quyết định công bố TTHC của Chủ tịch UBND tỉnh",
        "Định kỳ hằng quý",
        "Quý I/2024 hoặc theo Quyết định phê duyệt của Bộ, ngành",
        "Theo lộ trình Thủ tướng Chính phủ, Chủ tịch UBND tỉnh giao",
        "Thường xuyên theo thời gian thực",
        "Theo kế hoạch",
        "Thường xuyên",
        "Thường xuyên: đảm bảo theo Kế hoạch số 7781/KH-UBND ngày 24/11/2022 của UBND tỉnh",
        "Theo Kế hoạch số 1080/KH-UBND ngày 17/02/2024 về Tiếp tục triển khai thực hiện nhiệm vụ "
        "Đề án 06 năm 2024 của UBND tỉnh",
        "Định kỳ trước ngày 10 hằng tháng",
        "Định kỳ trước ngày 15 hằng tháng",
        "Quý II/2024",
        "Theo Kế hoạch số 8067/KH-UBND ngày 02/12/2022 của UBND tỉnh và Công văn số "
        "1271/UBND-NCKS ngày 26/02/2024 của UBND tỉnh",
        "Theo thời gian tại Kế hoạch số 7384/KH-UBND ngày 30/10/2023 của UBND tỉnh",
        "Theo Đề án phê duyệt tại Quyết định số 2114/QĐ-UBND ngày 12/8/2022 của UBND tỉnh",
        "Quý I, II/2024",
        "Theo tiến độ tại Kế hoạch 8079/KH-UBND ngày 12/11/2021 của UBND tỉnh",
        "Theo Kế hoạch số 2693/KH-UBND ngày 10/5/2021 của UBND tỉnh",
        "Sau khi có báo cáo kết quả giải quyết",
        "Quý I, II, III, IV/2024",
        "Quý III/2024",
        "Theo kế hoạch của UBND tỉnh hoặc Tổ chức kiểm tra đột xuất khi có phản ánh, kiến nghị của "
        "người dân, doanh nghiệp",
        "Thời gian chậm nhất là ngày 17 của tháng cuối quý.",
        "Thời gian chậm nhất là ngày 19 của tháng cuối quý.",
        "Thời gian chậm nhất là ngày 22 của tháng cuối quý.",
    ],
    "thanh-hoa-district-2021": [
        "Tháng 01/2021",
        "ngày sau khi Quyết định công bố của các Sở được đăng tải công khai",
        "Thường xuyên",
        "Thường xuyên, bảo đảm 100% TTHC còn hiệu lực, được niêm yết công khai trên bảng treo "
        "tường, trên trang điện tử hoặc các hình thức khác.",
        "ngay sau khi quyết định được công bố",
        "trước tháng 02/2021",
        "Thường xuyên, bảo đảm không có phản ánh kiến nghị nào quá hạn trên hệ thống.",
        "trong thời hạn 20 ngày làm việc, kể từ ngày ban hành Kế hoạch này",
        "trước ngày 17 của tháng cuối kỳ báo cáo",
    ],
    "an-giang-construction-2023": [
        "15/02/2023",
        "Tham dự Hội nghị, Hội thảo, tọa đàm, ...",
        "Theo Kế hoạch của Cơ quan Trung ương",
        "Trong thời gian 10 ngày kể từ ngày tiếp nhận",
        "Thường xuyên",
        "Trước ngày 15/9/2023",
        "Chậm nhất sau 10 ngày kể từ ngày có quyết định Công bố DM TTHC;",
        "Chậm nhất sau 10 ngày sau khi có Quyết định phê duyệt",
        "Thực hiện theo lộ trình tại Nghị định 107/2021/NĐ-CP;",
        "Ngày 05 hàng tháng",
        "Năm 2023",
        "Sau khi VPCP ban hành thông tư hướng dẫn",
        "Hàng tháng",
        "Quý I/2023",
        "Hàng quý (Theo Kế hoạch số 712/KH-UBND ngày 18/11/2020)",
        "chậm nhất là ngày 19 của tháng cuối quý",
        "Theo yêu cầu",
        "Theo văn bản của Trung ương",
    ],
}

CASES = [(profile, phrase) for profile, phrases in PHRASES.items() for phrase in phrases]


@pytest.mark.parametrize(("profile", "phrase"), CASES, ids=[f"{p}: {t[:40]}" for p, t in CASES])
def test_the_phrase_maps_to_a_rule_of_its_profile(profile: str, phrase: str) -> None:
    rules = [r for r in load_catalog().effective_rules(profile) if phrase in r.phrases_vi]
    assert rules, f"no rule of {profile} implements {phrase!r}"


def test_no_rule_claims_a_phrase_the_plans_do_not_have() -> None:
    catalog = load_catalog()
    for profile, phrases in PHRASES.items():
        claimed = {p for r in catalog.profile(profile).rules for p in r.phrases_vi}
        assert claimed == set(phrases), profile
