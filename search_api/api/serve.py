"""``serve(settings, host, port)``: run the cancu app under uvicorn and say where it listens."""

from __future__ import annotations

from search_api.api.app import create_app
from search_api.settings import Settings


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API, SPARQL endpoint and web page over ``settings.home`` until interrupted.

    One worker process: the RDF store (RocksDB) admits one process per home directory.
    """
    import uvicorn

    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    print(f"cancu serving on http://{shown}:{port}", flush=True)
    if not settings.api_key:
        print("uploads are off: set CANCU_API_KEY to allow POST/DELETE /documents", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
