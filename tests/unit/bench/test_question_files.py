"""The benchmark's question readers: options as an exam prints them, several gold folders."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_doc

from bench.bench_retrieval import exam_questions, feature_sets, option_lines
from bench.common import Question, gold_questions, named_by_number
from search_api.retrieval.fusion_model import shipped_models


def test_options_are_lettered_lines_whatever_their_container() -> None:
    assert option_lines({"A": "Vợ  chồng\ntự thỏa thuận", "B": "Ngang nhau"}) == [
        "A. Vợ chồng tự thỏa thuận",
        "B. Ngang nhau",
    ]
    # A list is lettered in order; an option that carries its own label keeps it.
    assert option_lines(["A. Có", "Không"]) == ["A. Có", "B. Không"]
    assert option_lines(None) == [] and option_lines("A") == []


def test_a_multiple_choice_question_is_searched_with_its_options(tmp_path: Path) -> None:
    train = tmp_path / "train.json"
    rows = [
        {
            "question_id": "TN-1",
            "question_type": "Trắc nghiệm",
            "text": "Hành vi nào sau đây bị cấm? ",
            "choices": {"A": "Đặt thùng ong gần trường học", "B": "Nuôi ong"},
            "relevant_articles": [{"law_id": "Luật Nuôi ong", "article_id": 3}],
        },
        {
            "question_id": "DS-1",
            "question_type": "Đúng/Sai",
            "text": "Nuôi ong phải đăng ký, đúng hay sai?",
            "relevant_articles": [{"law_id": "Luật Nuôi ong", "article_id": 2}],
        },
    ]
    train.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    with_options, stem_only = exam_questions(train), exam_questions(train, choices=False)
    assert with_options[0].text == (
        "Hành vi nào sau đây bị cấm?\nA. Đặt thùng ong gần trường học\nB. Nuôi ong"
    )
    assert stem_only[0].text == "Hành vi nào sau đây bị cấm? "
    assert with_options[1].text == stem_only[1].text
    assert with_options[0].gold == {("Luật Nuôi ong", "3")}


def test_plan_questions_come_from_every_folder_given(tmp_path: Path) -> None:
    for folder, plan in (("dev-gold", "002_a"), ("plan_qa", "000_b")):
        (tmp_path / folder).mkdir()
        qa = [{"id": f"{plan}-q1", "question": "Ai?", "evidence": "Sở TT&TT", "kind": "x"}]
        (tmp_path / folder / f"{plan}.json").write_text(
            json.dumps({"doc_file": f"{plan}.txt", "qa": qa}), encoding="utf-8"
        )
    both = gold_questions([tmp_path / "dev-gold", tmp_path / "plan_qa"])
    assert [(q.id, q.doc_id) for q in both] == [("002_a-q1", "002_a"), ("000_b-q1", "000_b")]
    assert [q.id for q in gold_questions(tmp_path / "plan_qa")] == ["000_b-q1"]


def test_plan_questions_are_also_asked_by_the_plans_number() -> None:
    numbered = make_doc("kh-a", ["Nội dung."], province="Bắc Giang")
    numbered.meta.number = "15/KH-UBND"
    unnumbered = make_doc("kh-b", ["Nội dung."], province="Tây Ninh")
    questions = [
        Question("a1", "Tỉnh Bắc Giang đặt chỉ tiêu gì cho năm 2017?", doc_id="kh-a"),
        Question("a2", "Chỉ tiêu của Kế hoạch 15/KH-UBND là gì?", doc_id="kh-a"),
        Question("b1", "Ở Tây Ninh, ai chủ trì?", doc_id="kh-b"),
    ]
    variants = named_by_number(questions, [numbered, unnumbered])
    # The place is removed (the number alone says which plan); a question that names the
    # number already, or a plan without one, gives no variant.
    assert [(q.id, q.text) for q in variants] == [
        ("a1/number", "Theo Kế hoạch 15/KH-UBND, đặt chỉ tiêu gì cho năm 2017?")
    ]
    assert variants[0].doc_id == "kh-a"


def test_the_ablations_convex_row_is_the_convex_fusion() -> None:
    # The default hybrid method is the learned model: a row named "convex" must ask for
    # convex, or it reports the shipped model (trained on every benchmark question).
    sets = dict(feature_sets(shipped_models()))
    question = Question("q", "Ong đặt ở đâu?")
    assert sets["convex"](question).method == "convex"
    assert sets["learned:all"](question).method == "learned"
