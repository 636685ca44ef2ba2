"""Document ids are unique by construction: ids that ``slugify`` folds together keep their
own stored file and their own URIs; ids of the shipped corpus keep their old URIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_doc

from ontology import uris
from search_api.docstore import DocStore

COLLIDING = [
    ("002_38245e7efbbbc304", "002-38245e7efbbbc304"),
    ("64/2007/NĐ-CP", "64/2007/ND-CP"),
    ("05/2017/QĐ-TTg", "05/2017/QĐ-TTG"),
    ("Kế hoạch 5", "ke-hoach-5"),
    ("KH_5", "kh_5"),
    ("64/2007/NĐ-CP", "64_2007_nd_cp"),
    ("a" * 200, "a" * 199 + "b"),
]
PER_DOCUMENT_URIS = [
    uris.document_uri,
    uris.named_graph_uri,
    lambda d: uris.project_uri(d, "p"),
    lambda d: uris.target_uri(d, "t"),
    lambda d: uris.passage_uri(d, "p1"),
    lambda d: uris.responsibility_uri("https://cancu.vn/org/vn/x", d, "k"),
    lambda d: uris.budget_check_uri(d, "t1", "total"),
    lambda d: uris.mention_annotation_uri("https://cancu.vn/x", d, "p1", 0, 4),
]


@pytest.mark.parametrize(("first", "second"), COLLIDING)
def test_colliding_ids_get_distinct_slugs_and_uris(first: str, second: str) -> None:
    assert uris.document_slug(first) != uris.document_slug(second)
    for uri in PER_DOCUMENT_URIS:
        assert uri(first) != uri(second)


@pytest.mark.parametrize(
    ("doc_id", "slug"),
    [
        ("002_38245e7efbbbc304", "002-38245e7efbbbc304"),
        ("kh_tay_ninh_2019", "kh-tay-ninh-2019"),
        ("64/2007/NĐ-CP", "64-2007-nd-cp"),
        ("05/2017/QĐ-TTg", "05-2017-qd-ttg"),
        ("86/2015/QH13", "86-2015-qh13"),
    ],
)
def test_shipped_id_families_keep_their_old_slug(doc_id: str, slug: str) -> None:
    assert uris.document_slug(doc_id) == slug == uris.slugify(doc_id)
    assert uris.legacy_document_slug(doc_id) is None


def test_hashed_slugs_are_readable_and_short() -> None:
    slug = uris.document_slug("Kế hoạch số 12/KH-UBND" + " dài" * 100)
    assert slug.startswith("ke-hoach-so-12-kh-ubnd-dai") and "--" in slug
    assert len(slug) <= 64 + 2 + uris.SLUG_HASH_LENGTH


@pytest.mark.parametrize(("first", "second"), COLLIDING[:3])
def test_colliding_ids_coexist_in_the_store(tmp_path: Path, first: str, second: str) -> None:
    store = DocStore(tmp_path)
    store.put(make_doc(first, ["Đoạn của văn bản thứ nhất."]), {"n": 1})
    store.put(make_doc(second, ["Đoạn của văn bản thứ hai."]), {"n": 2})
    one, two = store.get(first), store.get(second)
    assert one is not None and one.document.id == first and one.extraction == {"n": 1}
    assert two is not None and two.document.id == second and two.extraction == {"n": 2}
    assert store.remove(first)
    assert store.get(first) is None
    kept = store.get(second)
    assert kept is not None and kept.document.id == second
    assert store.remove(second) and store.ids() == []
    assert [p.name for p in tmp_path.glob("*.json")] == ["_catalogue.json"]


def test_a_file_stored_under_the_old_slug_is_still_read_then_replaced(tmp_path: Path) -> None:
    store = DocStore(tmp_path)
    doc = make_doc("ke-hoach-5", ["Một đoạn văn."])
    store.put(doc, {"n": 1})
    new_file = tmp_path / f"{uris.document_slug(doc.id)}.json"
    old_file = tmp_path / f"{uris.slugify(doc.id)}.json"
    new_file.rename(old_file)  # as an older version wrote it
    reopened = DocStore(tmp_path)
    stored = reopened.get(doc.id)
    assert stored is not None and stored.extraction == {"n": 1}
    reopened.put(doc, {"n": 2})
    assert new_file.exists() and not old_file.exists()
    assert json.loads(new_file.read_text("utf-8"))["extraction"] == {"n": 2}


def test_an_old_file_of_another_id_is_not_taken(tmp_path: Path) -> None:
    store = DocStore(tmp_path)
    store.put(make_doc("ke_hoach_5", ["Văn bản A."]), {"n": "a"})  # plain slug ke-hoach-5
    store.put(make_doc("ke-hoach-5", ["Văn bản B."]), {"n": "b"})
    assert (tmp_path / "ke-hoach-5.json").exists()  # A's file is not B's old file
    a, b = store.get("ke_hoach_5"), store.get("ke-hoach-5")
    assert a is not None and a.extraction == {"n": "a"}
    assert b is not None and b.extraction == {"n": "b"}
