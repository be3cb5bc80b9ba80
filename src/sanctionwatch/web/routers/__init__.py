"""One router per area of the API and the dashboard; `app.create_app` includes them all."""
