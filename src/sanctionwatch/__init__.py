"""sanctionwatch: reads the news and finds the stories that matter to sanctions enforcement."""

__version__ = "0.1.0"
