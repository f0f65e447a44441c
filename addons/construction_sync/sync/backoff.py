"""Retry policy for transient failures: exponential backoff with full jitter, capped, so that many
events failing together (a database restart, a lock storm) do not all come back at the same
second."""

import random
from datetime import timedelta

BASE_SECONDS = 10
CAP_SECONDS = 3600


def retry_delay(attempts, rng=random):
    """Delay before the next attempt after `attempts` failed ones (1 → up to 10 s, 2 → 20 s ...).
    Full jitter: uniformly between half the exponential step and the step itself, so a retry is
    never immediate yet retries spread out."""
    step = min(CAP_SECONDS, BASE_SECONDS * 2 ** max(0, attempts - 1))
    return timedelta(seconds=step / 2 + rng.random() * step / 2)
