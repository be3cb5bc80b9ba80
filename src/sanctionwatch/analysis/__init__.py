"""Across articles: incidents (the reports of one act, corroborated) and relations between states
over time. See `incidents` and `relations` for the API."""
