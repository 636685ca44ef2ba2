"""What the CLI prints: an article named once, evidence with the sentence that answers."""

from __future__ import annotations

from search_api.cli.output import answer_text, article_label


def test_an_article_is_named_once_whether_its_id_carries_the_word_or_not() -> None:
    assert article_label("13") == "Điều 13"  # ALQAC ids: the number alone
    assert article_label("Điều 13") == "Điều 13"  # national texts: the label itself
    assert article_label("điều 5a") == "điều 5a"
    assert article_label(None) == "" and article_label("  ") == ""


def test_evidence_shows_the_sentence_that_answers_with_its_span() -> None:
    passage = "Hạ tầng đã cũ. " * 40 + "Có 873/2.166 máy tính được cài phần mềm diệt virus."
    at = passage.index("Có 873")
    evidence = {"doc_id": "kh-a", "passage_id": "p1", "start": 100, "end": 100 + len(passage)}
    marked = evidence | {
        "quote": passage,
        "highlight": {"text": passage[at:], "doc_start": 100 + at, "doc_end": 100 + len(passage)},
    }
    text = answer_text({"answer": "873/2.166", "evidence": [marked]})
    assert f"at {100 + at}-{100 + len(passage)}: “Có 873/2.166 máy tính" in text
    # Without a highlight, the passage's opening.
    text = answer_text({"answer": "873", "evidence": [evidence | {"quote": passage}]})
    assert "“Hạ tầng đã cũ." in text
