"""Reading from the network within limits: which addresses, how much, how long."""

from .addresses import Allowance, refusal
from .fetch import Fetched, Fetcher, FetchError, FetchPolicy, FetchRefused, system_resolver

__all__ = ["Allowance", "FetchError", "FetchPolicy", "FetchRefused", "Fetched", "Fetcher",
           "refusal", "system_resolver"]
