"""The monitor: watch feeds and directories, ingest what is new, alert on new flags (webhook and
the dashboard's inbox), survive restarts without alerting twice."""

from .alerts import Webhook
from .monitor import Monitor, MonitorConfig, PollResult, SourceResult, parse_interval

__all__ = ["Monitor", "MonitorConfig", "PollResult", "SourceResult", "Webhook", "parse_interval"]
