"""Searches never fail while documents are added and removed: readers see one committed
snapshot of records, lexical and dense indexes, aligned row for row."""

from __future__ import annotations

import random
import sys
import threading
import time
from pathlib import Path

from conftest import make_doc

from ingest.model import Document
from search_api.retrieval.index import SearchIndex

CHURN_SECONDS = 2.5
TOPICS = [
    "công nghệ thông tin",
    "dịch vụ công trực tuyến",
    "trung tâm dữ liệu",
    "an toàn thông tin",
]


def churn_doc(n: int) -> Document:
    """A small plan whose passages all carry the marker term ``mãhiệu{n}`` (no other
    document has it), so a BM25 hit for that term must come from this document."""
    return make_doc(
        f"doc-{n}",
        [
            f"Kế hoạch mãhiệu{n} về {topic}, đoạn {i} của văn bản {n}."
            for i, topic in enumerate(TOPICS)
        ]
        + [f"Mục tiêu mãhiệu{n}: {i * 10}% hồ sơ được xử lý trực tuyến." for i in range(n % 5)],
        province="Tuyên Quang",
        date=f"20{10 + n % 10}-01-01",
    )


def test_searches_never_fail_while_documents_churn(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.add_documents([churn_doc(n) for n in range(6)])
    index.save()
    ever_added = {f"doc-{n}" for n in range(40)}
    stop = threading.Event()
    errors: list[BaseException] = []
    searches = [0]
    wrong: list[str] = []

    def write() -> None:
        rng = random.Random(1)
        present = set(range(6))
        try:
            while not stop.is_set():
                n = rng.randrange(40)
                if n in present and len(present) > 2:
                    index.remove_document(f"doc-{n}")
                    present.discard(n)
                else:
                    index.add_documents([churn_doc(n)])
                    present.add(n)
                if rng.random() < 0.2:
                    index.save()
        except BaseException as err:  # noqa: BLE001 - reported by the test
            errors.append(err)

    def read(seed: int) -> None:
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                snapshot = index.snapshot()
                mode = rng.choice(["hybrid", "dense", "bm25"])
                n = rng.randrange(40)
                hits = index.search(
                    f"mãhiệu{n} {rng.choice(TOPICS)}", k=8, mode=mode, snapshot=snapshot
                )
                present = snapshot.docs
                for hit in hits:
                    if hit.doc_id not in present or hit.doc_id not in ever_added:
                        wrong.append(f"{hit.doc_id} not in the searched snapshot")
                    if f"\x1f{hit.passage_id}" not in "".join(
                        k[len(hit.doc_id) :] for k in present[hit.doc_id]["keys"]
                    ):
                        wrong.append(f"{hit.passage_id} is not a passage of {hit.doc_id}")
                if (
                    mode == "bm25"
                    and hits
                    and hits[0].doc_id != f"doc-{n}"
                    and f"doc-{n}" in present
                ):
                    wrong.append(f"bm25 for marker {n} ranked {hits[0].doc_id} first")
                searches[0] += 1
        except BaseException as err:  # noqa: BLE001 - reported by the test
            errors.append(err)

    threads = [threading.Thread(target=write)] + [
        threading.Thread(target=read, args=(seed,)) for seed in range(4)
    ]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often: races show up in seconds
    try:
        for t in threads:
            t.start()
        time.sleep(CHURN_SECONDS)
        stop.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        sys.setswitchinterval(interval)
    index.close()
    assert not errors, f"{len(errors)} errors in {searches[0]} searches: {errors[:3]!r}"
    assert not wrong, wrong[:5]
    assert searches[0] > 20
