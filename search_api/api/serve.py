"""``serve(home, host, port)``: run the cancu app under uvicorn and say where it listens."""

from __future__ import annotations

from pathlib import Path

from search_api.api.app import Settings, create_app


def serve(
    home: Path, host: str = "127.0.0.1", port: int = 8000, embedder: str | None = None
) -> None:
    """Serve the API, SPARQL endpoint and web page over ``home`` until interrupted.

    One worker process: the RDF store (RocksDB) admits one process per home directory.
    """
    import uvicorn

    settings = Settings(home=Path(home), embedder=embedder)
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    print(f"cancu serving on http://{shown}:{port}", flush=True)
    if not settings.api_key:
        print("uploads are off: set CANCU_API_KEY to allow POST/DELETE /documents", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
