"""The HTTP service: ``create_app(settings)`` with one router per resource, RFC 9457
errors, the SPARQL 1.1 endpoint, upload jobs and the web page (``static/``)."""
