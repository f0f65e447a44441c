"""Explainable anomaly scoring: median and median absolute deviation (MAD) of a few past samples.

Why median/MAD and not mean/standard deviation: one holiday or one replayed backlog in the
baseline weeks would drag a mean and inflate a deviation; the median ignores a minority of odd
samples, so the "usual" range stays what an accountant would call usual. Pure functions, no Odoo.
"""

# Scales MAD to a standard deviation for normally distributed samples (1 / Phi^-1(3/4)).
MAD_SCALE = 1.4826
# How many scaled MADs from the median a value may lie before it is flagged.
DEFAULT_SENSITIVITY = 3.0
# A flat baseline (MAD 0) would flag any change: the spread is at least this share of the median...
MIN_RELATIVE_SPREAD = 0.10
# ...and at least this many units (events, or a tenth of the median for amounts).
MIN_ABSOLUTE_SPREAD = 1.0


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        raise ValueError("median of no values")
    middle = n // 2
    return float(ordered[middle]) if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def mad(values, center=None):
    center = median(values) if center is None else center
    return median([abs(value - center) for value in values])


class Baseline:
    """The usual range of a quantity: median ± sensitivity × scaled MAD, floored (see above)."""

    def __init__(self, samples, sensitivity=DEFAULT_SENSITIVITY, min_spread=MIN_ABSOLUTE_SPREAD):
        if not samples:
            raise ValueError("a baseline needs samples")
        self.samples = list(samples)
        self.median = median(self.samples)
        self.mad = mad(self.samples, self.median)
        spread = max(self.mad * MAD_SCALE, abs(self.median) * MIN_RELATIVE_SPREAD, min_spread)
        self.low = max(0.0, self.median - sensitivity * spread)
        self.high = self.median + sensitivity * spread
        self.spread = spread

    def verdict(self, value):
        """'drop', 'surge' or None."""
        if value < self.low:
            return "drop"
        if value > self.high:
            return "surge"
        return None

    def score(self, value):
        """Distance from the median in scaled MADs (signed): how unusual the value is."""
        return (value - self.median) / self.spread

    def usual_range(self):
        """The range the message names: rounded to whole units."""
        return int(round(self.low)), int(round(self.high))


def volume_flags(current, history, sensitivity=DEFAULT_SENSITIVITY, min_samples=3, min_change=5):
    """Scores the volume of each key (e.g. (system, event type)) in a window against the same
    window of past weeks.

    current: {key: count in the window}; history: {key: [count in the same window k weeks ago, ...]}
    (a week without events counts as 0 and must be in the list). Returns [(key, verdict, value,
    Baseline)] for the keys out of their usual range by at least `min_change` events, so that a
    system sending 2 events instead of the usual 0-1 is not an anomaly."""
    flags = []
    for key in sorted(set(current) | set(history), key=repr):
        samples = history.get(key) or []
        if len(samples) < min_samples:
            continue
        baseline = Baseline(samples, sensitivity)
        value = current.get(key, 0)
        verdict = baseline.verdict(value)
        if verdict and abs(value - baseline.median) >= min_change:
            flags.append((key, verdict, value, baseline))
    return flags


def amount_outlier(amount, history, sensitivity=DEFAULT_SENSITIVITY * 2, min_samples=5):
    """Whether an amount lies far outside a party's usual amounts (e.g. a vendor's invoices).
    Returns (verdict, Baseline) or (None, Baseline-or-None). Amounts vary far more than volumes,
    hence the wider default sensitivity, and the floor of the spread is a tenth of the median."""
    if len(history) < min_samples:
        return None, None
    baseline = Baseline(history, sensitivity, min_spread=0.01)
    return baseline.verdict(amount), baseline
