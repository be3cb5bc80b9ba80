"""The web service and the analysts' dashboard (FastAPI): `create_app()` in `app`."""
