"""Hypothesis profiles for the fuzz tests: `ci` (the default) is bounded and repeatable; `long`
searches for as long as one cares to wait: HYPOTHESIS_PROFILE=long pytest tests/hostile."""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

# A deadline generous enough for a loaded machine, short enough to catch a reader that goes
# quadratic (the parse of 20 KB of "(" took 37 s). The readers are warmed up before (their
# first call loads data: a first example would take seconds).
DEADLINE = timedelta(seconds=20)
settings.register_profile("ci", max_examples=60, deadline=DEADLINE, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=DEADLINE,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
