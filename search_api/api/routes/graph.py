"""The graph explorer's data (``/graph/neighbours``) and whole-graph export (``/export``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from search_api.api.problems import problems
from search_api.api.routes.common import StoreDep, example_response

router = APIRouter(tags=["graph"])

EXPORT_TYPES = {
    "turtle": ("text/turtle; charset=utf-8", "ttl"),
    "trig": ("application/trig; charset=utf-8", "trig"),
    "nquads": ("application/n-quads", "nq"),
    "jsonld": ("application/ld+json", "jsonld"),
}


@router.get(
    "/graph/neighbours",
    summary="A node and its neighbours",
    responses={
        200: example_response(
            {
                "center": "https://cancu.vn/eli/vn/cp/2007/nd/64",
                "nodes": [
                    {
                        "id": "https://cancu.vn/eli/vn/cp/2007/nd/64",
                        "label": "64/2007/NĐ-CP",
                        "types": ["eli:LegalResource"],
                    }
                ],
                "edges": [
                    {
                        "source": "https://cancu.vn/eli/vn/tay-ninh/ubnd/2019/kh/112",
                        "target": "https://cancu.vn/eli/vn/cp/2007/nd/64",
                        "predicate": "http://data.europa.eu/eli/ontology#cites",
                        "label": "eli:cites",
                    }
                ],
                "attributes": {"eli:id_local": ["64/2007/NĐ-CP"]},
                "truncated": False,
            }
        ),
        **problems(422),
    },
)
def neighbours(
    store: StoreDep,
    uri: Annotated[
        str,
        Query(
            min_length=1,
            description="Node IRI.",
            openapi_examples={"nd64": {"value": "https://cancu.vn/eli/vn/cp/2007/nd/64"}},
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=500, description="Maximum edges.")] = 60,
) -> dict[str, Any]:
    """Nodes and edges around ``uri`` (both directions) plus its literal attributes."""
    from graph import queries

    return queries.neighbours(store, uri, limit=limit)  # InvalidIriError: 422 (problems.py)


@router.get(
    "/export",
    summary="Export the graph",
    responses={
        200: {
            "description": "The whole graph",
            "content": {
                "text/turtle": {
                    "example": '@prefix eli: <http://data.europa.eu/eli/ontology#> .\n<https://cancu.vn/eli/vn/cp/2007/nd/64> eli:id_local "64/2007/NĐ-CP" .'
                },
                "application/trig": {
                    "example": "<https://cancu.vn/graph/kh-tay-ninh-2019> { ... }"
                },
                "application/n-quads": {
                    "example": '<https://cancu.vn/eli/vn/cp/2007/nd/64> <http://data.europa.eu/eli/ontology#id_local> "64/2007/NĐ-CP" <https://cancu.vn/graph/kh-tay-ninh-2019> .'
                },
                "application/ld+json": {
                    "example": [{"@id": "https://cancu.vn/eli/vn/cp/2007/nd/64"}]
                },
            },
        },
        **problems(422),
    },
)
def export(
    store: StoreDep,
    format: Annotated[
        Literal["turtle", "trig", "nquads", "jsonld"], Query(description="Serialisation.")
    ] = "turtle",
) -> Response:
    """All documents' graphs (TriG/N-Quads keep the named graphs; Turtle/JSON-LD merge them)."""
    media, ext = EXPORT_TYPES[format]
    return Response(
        store.export(format),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="cancu.{ext}"'},
    )
