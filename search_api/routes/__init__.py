"""One router per resource; ``search_api.app.create_app`` includes them all."""
