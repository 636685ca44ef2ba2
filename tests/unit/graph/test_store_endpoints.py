"""StoreEndpoints: an Oxigraph server from its base URL, other servers from explicit
endpoints; credentials never part of an endpoint, a name or a repr."""

from __future__ import annotations

import pytest

from graph.store_endpoints import StoreEndpoints, redact


def test_an_oxigraph_base_url_is_enough() -> None:
    ep = StoreEndpoints.for_url("http://127.0.0.1:7878/")
    assert (ep.query, ep.update, ep.gsp) == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
    )
    assert ep.union_param and ep.name == "http://127.0.0.1:7878/"


def test_other_servers_take_explicit_endpoints_and_need_query_and_update() -> None:
    base = "https://fuseki.example/cancu"
    ep = StoreEndpoints.for_url(base, query=f"{base}/sparql", update=f"{base}/update")
    assert (ep.query, ep.update, ep.gsp, ep.union_param) == (
        f"{base}/sparql",
        f"{base}/update",
        None,
        False,
    )
    with pytest.raises(ValueError, match="update"):
        StoreEndpoints.for_url(base, query=f"{base}/sparql")


def test_credentials_in_a_url_become_credentials_and_are_never_shown() -> None:
    ep = StoreEndpoints.for_url("https://cancu:p%40ss-w0rd@fuseki.example:3030/ds")
    assert (ep.user, ep.password) == ("cancu", "p@ss-w0rd")
    assert ep.name == "https://fuseki.example:3030/ds"
    assert "w0rd" not in repr(ep) and all("w0rd" not in url for url in (ep.query, ep.update))
    given = StoreEndpoints.for_url("http://h.example", user="u", password="s3cret")
    assert given.password == "s3cret" and "s3cret" not in repr(given)
    assert redact("http://a:b@h.example/x?q=1") == "http://h.example/x?q=1"
