"""Renderers: a Report as JSON, as a terminal summary, as HTML."""
