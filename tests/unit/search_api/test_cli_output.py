"""The CLI's hit lines name an article once, however its id is stored."""

from __future__ import annotations

from search_api.cli.output import article_label


def test_an_article_is_named_once_whether_its_id_carries_the_word_or_not() -> None:
    assert article_label("13") == "Điều 13"  # ALQAC ids: the number alone
    assert article_label("Điều 13") == "Điều 13"  # national texts: the label itself
    assert article_label("điều 5a") == "điều 5a"
    assert article_label(None) == "" and article_label("  ") == ""
