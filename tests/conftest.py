"""Shared fixtures: a tiny local sentence-transformers model and small cancu Documents."""

from __future__ import annotations

import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_process import OxigraphServer, oxigraph_binary, start_oxigraph

from ingest.model import Document, DocumentMeta, Passage, content_id

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

TINY_VOCAB = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "query",
    "passage",
    ":",
    "công",
    "nghệ",
    "thông",
    "tin",
    "kế",
    "hoạch",
    "luật",
    "điều",
]


def build_tiny_st_model(path: Path, prompts: dict[str, str] | None = None) -> Path:
    """A randomly initialised 2-layer BERT with a WordLevel tokenizer, saved as a
    sentence-transformers model at ``path`` (no download: everything is built here)."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    raw = path / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    vocab = {tok: i for i, tok in enumerate(TINY_VOCAB)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=64,
    )
    fast.save_pretrained(raw)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(raw)
    transformer = Transformer(str(raw), max_seq_length=64)
    pooling = Pooling(transformer.get_embedding_dimension(), "mean")
    model = SentenceTransformer(modules=[transformer, pooling], prompts=prompts or {})
    out = path / "model"
    model.save(str(out))
    return out


@pytest.fixture(scope="session")
def tiny_st_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_st_model(tmp_path_factory.mktemp("tiny-st"))


def make_doc(
    doc_id: str,
    texts: list[str],
    *,
    kind: str = "plan",
    passage_kind: str = "body",
    province: str | None = None,
    date: str | None = None,
    doc_type: str | None = "Kế hoạch",
    title: str | None = None,
) -> Document:
    """A Document whose passages are ``texts`` (one each), with content-based ids."""
    text = "\n\n".join(texts)
    passages: list[Passage] = []
    offset = 0
    for i, t in enumerate(texts):
        passages.append(
            Passage(
                id=content_id(doc_id, t),
                doc_id=doc_id,
                text=t,
                start=offset,
                end=offset + len(t),
                kind=passage_kind,
                section=f"Điều {i + 1}" if kind == "legal" else "",
                article_id=str(i + 1) if kind == "legal" else None,
            )
        )
        offset += len(t) + 2
    meta = DocumentMeta(doc_type=doc_type, date=date, province=province, title=title or doc_id)
    return Document(
        id=doc_id,
        source=f"{doc_id}.txt",
        text=text,
        kind=kind,
        meta=meta,
        passages=passages,
        content_hash=content_id(text),
    )


@pytest.fixture()
def plan_docs() -> list[Document]:
    """Two small plans of different provinces and years."""
    return [
        make_doc(
            "tq-2016",
            [
                "Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước.",
                "Mục tiêu: 100% văn bản được trao đổi dưới dạng điện tử giữa các cơ quan nhà nước.",
                "Xây dựng cổng dịch vụ công trực tuyến mức độ 3 và 4 cho người dân và doanh nghiệp.",
            ],
            province="Tuyên Quang",
            date="2016-01-20",
        ),
        make_doc(
            "bg-2019",
            [
                "Thực hiện Nghị quyết 36a/NQ-CP về Chính phủ điện tử, tỉnh triển khai hệ thống quản lý văn bản.",
                "Đào tạo kỹ năng an toàn thông tin cho cán bộ chuyên trách công nghệ thông tin.",
                "Nâng cấp trung tâm dữ liệu của tỉnh và hạ tầng mạng diện rộng.",
            ],
            province="Bắc Giang",
            date="2019-03-05",
        ),
    ]


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request it gets: a SPARQL
    SERVICE that got through would show up in its list."""
    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real Oxigraph server per test module, stopped when the module ends (tests
    elsewhere check that no child process of theirs is left running)."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is absent (pip install oxigraph)")
    server = start_oxigraph(binary, tmp_path_factory.mktemp("oxigraph"))
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
