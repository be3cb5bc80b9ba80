"""NLP: the spaCy pipeline, knowledge-base entity ruler, mention resolution, dates, events."""
