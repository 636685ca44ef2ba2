"""Word plans (.docx, python-docx): paragraphs and tables in document order.

Tables are written out in the same flattened form the plain-text seeds use (each cell on
its own tab-prefixed line, rows separated by blank lines) so that one table parser
serves every format.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ingest.errors import UnreadableFileError
from ingest.read.source import (
    CONTAINER_FACTOR,
    MAX_DOCUMENT_BYTES,
    SourceText,
    check_size,
    plan_source,
    read_bytes,
)

__all__ = ["docx_table_text", "read_docx"]


def _cell_lines(text: str) -> list[str]:
    """A cell as lines: the first prefixed with a tab, the rest continuation lines."""
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln] or [""]
    return ["\t" + lines[0], *lines[1:]]


def docx_table_text(rows: Iterable[Iterable[str]]) -> str:
    """Flatten a table the way the seeds are flattened (merged cells stay repeated)."""
    blocks = []
    for row in rows:
        lines: list[str] = []
        for cell in row:
            lines.extend(_cell_lines(cell))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def read_docx(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> list[SourceText]:
    """Paragraphs and tables in document order (python-docx); ``max_bytes`` bounds the
    extracted text (the file may be ``CONTAINER_FACTOR`` times larger)."""
    import docx  # python-docx: imported only when a .docx is read
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    data = read_bytes(path, max_bytes * CONTAINER_FACTOR)
    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                parts.append(Paragraph(block, document).text)
            elif tag == "tbl":
                table = DocxTable(block, document)
                rows = [[c.text for c in row.cells] for row in table.rows]
                parts.append("\n" + docx_table_text(rows) + "\n")
    except (zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise UnreadableFileError(path, f"corrupt or unsupported .docx ({exc})") from exc
    except Exception as exc:  # lxml and python-docx raise many types on broken files
        raise UnreadableFileError(path, f"corrupt .docx ({type(exc).__name__}: {exc})") from exc
    return [plan_source(path, check_size(path, "\n".join(parts), max_bytes), data)]
