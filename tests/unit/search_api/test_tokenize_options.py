"""Query cleaning of exam questions (``tokenize.clean_query``): the options stay, labels go."""

from __future__ import annotations

from search_api.retrieval.tokenize import clean_query, names_content, option_list


def test_a_multiple_choice_question_keeps_what_its_options_say() -> None:
    question = "Hành vi nào sau đây bị cấm?\nA. Nuôi ong gần trường học\nB) Bán mật ong giả"
    assert clean_query(question) == (
        "Hành vi nào sau đây bị cấm?\nNuôi ong gần trường học\nBán mật ong giả"
    )
    # On one line too: the labels are found after any space.
    assert clean_query("Ai cấp phép? A. Bộ Nông nghiệp B. UBND xã") == (
        "Ai cấp phép?\nBộ Nông nghiệp\nUBND xã"
    )


def test_options_that_only_point_at_other_options_and_answer_keys_go() -> None:
    question = (
        "Thùng ong đặt cách nhà dân bao xa?\nA. 10 mét\nB. 50 mét\n"
        "C. Cả A, B đều đúng\nD. Tất cả các phương án trên\nĐáp án: B"
    )
    assert clean_query(question) == "Thùng ong đặt cách nhà dân bao xa?\n10 mét\n50 mét"
    assert not names_content("Cả 3 phương án trên") and names_content("Cả hai vợ chồng")


def test_a_lone_capital_letter_is_not_an_option_list() -> None:
    # "A." without a following "B." is text (a point of a list, a name), kept as it is.
    assert option_list("Theo điểm A. của phụ lục, đàn ong gồm gì?") is None
    assert clean_query("Theo điểm A. của phụ lục, đàn ong gồm gì?") == (
        "Theo điểm A. của phụ lục, đàn ong gồm gì?"
    )
    # Lower-case "a)" is a legal list point, never an option label.
    assert option_list("Gồm: a) ong nội b) ong ngoại") is None


def test_true_false_tags_still_go_and_nothing_is_never_the_result() -> None:
    assert (
        clean_query("Người nuôi ong phải đăng ký, đúng hay sai?") == "Người nuôi ong phải đăng ký"
    )
    assert clean_query("đúng hay sai?") == "đúng hay sai?"
    # Options without a stem: the question is left as it was written.
    assert clean_query("A. Ong\nB. Nấm") == "A. Ong\nB. Nấm"
