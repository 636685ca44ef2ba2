"""One router per resource; ``search_api.api.app.create_app`` includes them all."""
