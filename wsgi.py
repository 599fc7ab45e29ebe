"""WSGI entry point: gunicorn 'wsgi:app' (waitress-serve --call 'tisc:create_app' on Windows)."""

from tisc import create_app

app = create_app()
