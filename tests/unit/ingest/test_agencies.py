"""Agency recognition, alias merging, scoping and roles on invented plan snippets."""

from __future__ import annotations

from ingest.extract.agencies import extract_agencies, province_committee_uri
from ingest.lang.agency_gazetteer import name_key
from ingest.model import Document, DocumentMeta
from ontology.uris import agency_uri


def _doc(text: str, province: str | None = "Lạng Sơn") -> Document:
    return Document(
        id="kh-test", source="kh-test.txt", text=text, meta=DocumentMeta(province=province)
    )


def _by_name(doc: Document) -> dict:
    return {a.name: a for a in extract_agencies(doc)}


def test_aliases_merge_into_one_agency() -> None:
    text = (
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\n"
        "Sở Thông tin và Truyền thông tỉnh Lạng Sơn chủ trì triển khai. Sở TT&TT báo cáo, STTTT tổng hợp.\n"
        "Văn phòng UBND tỉnh, VP UBND tỉnh và Văn phòng Uỷ ban nhân dân tỉnh phối hợp.\n"
        "Gửi UBND tỉnh và Ủy ban nhân dân tỉnh Lạng Sơn.\n"
    )
    agencies = _by_name(_doc(text))
    stt = agencies["Sở Thông tin và Truyền thông"]
    assert len(stt.mentions) == 4
    assert {"SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Sở TT&TT", "STTTT"} <= set(stt.aliases)
    assert len(agencies["Văn phòng Ủy ban nhân dân tỉnh"].mentions) == 3
    assert len(agencies["Ủy ban nhân dân tỉnh"].mentions) == 2
    assert name_key("Sở Thông tin và Truyền thông tỉnh Lạng Sơn", "Lạng Sơn") == name_key("STTTT")


def test_provincial_scope_and_national_bodies() -> None:
    agencies = _by_name(_doc("Sở Tài chính phối hợp với Bộ Tài chính và Thủ tướng Chính phủ."))
    so = agencies["Sở Tài chính"]
    assert so.province == "Lạng Sơn" and so.level == "tỉnh"
    assert so.uri == agency_uri("Sở Tài chính", "Lạng Sơn")
    assert so.parent_uri == province_committee_uri("Lạng Sơn")
    bo = agencies["Bộ Tài chính"]
    assert (
        bo.province is None
        and bo.level == "trung ương"
        and bo.uri == agency_uri("Bộ Tài chính", None)
    )
    assert "Thủ tướng Chính phủ" in agencies and "Chính phủ" not in agencies


def test_shared_prefix_lists_are_split() -> None:
    text = "Giao UBND các huyện Văn Lãng, Cao Lộc, thành phố Lạng Sơn thực hiện; các Sở: Tài chính, Kế hoạch và Đầu tư theo dõi."
    names = set(_by_name(_doc(text)))
    assert {
        "Ủy ban nhân dân huyện Văn Lãng",
        "Ủy ban nhân dân huyện Cao Lộc",
        "Ủy ban nhân dân thành phố Lạng Sơn",
        "Sở Tài chính",
        "Sở Kế hoạch và Đầu tư",
    } <= names
    levels = {a.name: a.level for a in extract_agencies(_doc(text))}
    assert levels["Ủy ban nhân dân huyện Cao Lộc"] == "huyện"


def test_names_with_commas_stay_whole() -> None:
    text = (
        "Sở Bưu chính, Viễn thông chủ trì; Bộ Lao động - Thương binh và Xã hội hướng dẫn; "
        "Sở Văn hóa, Thể thao và Du lịch phối hợp."
    )
    names = set(_by_name(_doc(text)))
    assert {
        "Sở Bưu chính, Viễn thông",
        "Bộ Lao động - Thương binh và Xã hội",
        "Sở Văn hóa, Thể thao và Du lịch",
    } <= names
    assert "Sở Du lịch" not in names and "Sở Thể thao" not in names


def test_office_codes_are_not_agencies_and_plurals_are_collective_bodies() -> None:
    # Plural groups are collective agents of the province (issue 10), office codes never.
    text = (
        "Các sở, ban, ngành và UBND các huyện, thành phố triển khai; UBND cấp xã báo cáo.\n"
        "Nơi nhận:\n- Bộ Thông tin và Truyền thông (b/c);\n- Lưu: VT, LĐVP, TKCT.\n"
        "Số: 15/KH-UBND\n"
    )
    by_name = _by_name(_doc(text))
    assert set(by_name) == {
        "Bộ Thông tin và Truyền thông",
        "Các sở, ban, ngành",
        "Ủy ban nhân dân cấp huyện",
        "Ủy ban nhân dân cấp xã",
    }
    assert by_name["Ủy ban nhân dân cấp huyện"].collective == "district-committees"


def test_heading_agency_leads_tasks_and_partners_are_named() -> None:
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Thông tin và Truyền thông\n"
        "a) Chủ trì, phối hợp với Sở Nội vụ, Sở Tài chính xây dựng kế hoạch hằng năm.\n"
        "b) Phối hợp với Văn phòng UBND tỉnh nâng cấp phần mềm quản lý văn bản.\n"
        "2. Sở Nội vụ\n"
        "a) Chủ trì đào tạo cán bộ.\n"
    )
    agencies = _by_name(_doc(text))
    stt_roles = [
        (r["role"], r["task"][:20]) for r in agencies["Sở Thông tin và Truyền thông"].roles
    ]
    assert ("lead", "Chủ trì, phối hợp vớ") in stt_roles
    assert ("partner", "Phối hợp với Văn phò") in stt_roles
    assert all(
        not r["task"].startswith("Chủ trì đào tạo")
        for r in agencies["Sở Thông tin và Truyền thông"].roles
    )
    noi_vu = {(r["role"], r["task"][:16]) for r in agencies["Sở Nội vụ"].roles}
    assert ("partner", "Chủ trì, phối hợ") in noi_vu and ("lead", "Chủ trì đào tạo ") in noi_vu


def test_inline_lead_and_labels() -> None:
    text = "Sở Y tế chủ trì, phối hợp với Sở Tư pháp triển khai.\nCơ quan chủ trì: Công an tỉnh\n"
    agencies = _by_name(_doc(text))
    assert agencies["Sở Y tế"].roles[0]["role"] == "lead"
    assert agencies["Sở Tư pháp"].roles[0]["role"] == "partner"
    assert agencies["Công an tỉnh"].roles[0]["role"] == "lead"


def test_province_inferred_when_header_is_silent() -> None:
    text = "Kế hoạch của tỉnh Cao Bằng. Sở Nội vụ tỉnh Cao Bằng chủ trì."
    agencies = _by_name(_doc(text, province=None))
    assert agencies["Sở Nội vụ"].province == "Cao Bằng"
