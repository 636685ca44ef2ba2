"""Which plotly.js the server sends: the basic bundle npm installed when present, else the
full one from the plotly wheel, else a named error saying how to install either."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_api.api.routes.web import BASIC_PLOTLY, basic_plotly_path, chart_library
from search_api.errors import MissingDependencyError


def script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_basic_bundle_found_where_npm_puts_it(tmp_path: Path) -> None:
    assert basic_plotly_path(tmp_path) is None
    basic = script(tmp_path / BASIC_PLOTLY, "/* plotly.js (basic) */")
    assert basic_plotly_path(tmp_path) == basic


def test_prefers_the_basic_bundle_then_falls_back_to_the_full_one(tmp_path: Path) -> None:
    full = script(tmp_path / "wheel" / "plotly.min.js", "/* plotly.js full */")
    basic = script(tmp_path / "vendor" / BASIC_PLOTLY, "/* plotly.js (basic) */")
    chosen = chart_library([basic_plotly_path(tmp_path / "vendor"), full])
    assert chosen.path == basic and chosen.plain == basic.read_bytes()
    assert chart_library([basic_plotly_path(tmp_path / "nowhere"), full]).path == full
    # A candidate named but absent on disk is skipped too.
    assert chart_library([tmp_path / "gone.js", full]).path == full


def test_bundle_is_compressed_and_tagged_by_content(tmp_path: Path) -> None:
    import gzip

    one = script(tmp_path / "a.js", "var a = 1;" * 100)
    bundle = chart_library([one])
    assert gzip.decompress(bundle.packed) == bundle.plain and len(bundle.packed) < len(bundle.plain)
    other = script(tmp_path / "b.js", "var b = 2;" * 100)
    assert chart_library([other]).etag != bundle.etag
    assert chart_library([script(tmp_path / "c.js", "var a = 1;" * 100)]).etag == bundle.etag


def test_neither_bundle_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(MissingDependencyError, match="npm ci --prefix .*pip install plotly"):
        chart_library([basic_plotly_path(tmp_path), None, tmp_path / "plotly.min.js"])
