"""Prometheus text exposition format (version 0.0.4), written by hand: the format is a few lines
of text and Odoo ships no client library (no PyPI dependency). Pure, no Odoo."""
import math

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds from reception to applied (inbound), from creation to delivery (outbound).
LATENCY_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600)


def escape_label(value):
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def format_value(value):
    if value is None:
        return "NaN"
    if isinstance(value, float):
        if math.isinf(value):
            return "+Inf" if value > 0 else "-Inf"
        if math.isnan(value):
            return "NaN"
        return repr(value)
    return str(int(value))


def format_bucket(bound):
    return "+Inf" if math.isinf(bound) else repr(float(bound))


class Family:
    """One metric family: its HELP and TYPE lines and its samples."""

    def __init__(self, name, kind, help_text):
        self.name, self.kind, self.help = name, kind, help_text
        self.samples = []

    def add(self, value, suffix="", **labels):
        self.samples.append((self.name + suffix, labels, value))
        return self

    def histogram(self, rows, buckets=LATENCY_BUCKETS):
        """rows: {labels as a tuple of (name, value) pairs: (cumulative counts, one per bucket of
        `buckets` (observations <= its bound), sum, count)}."""
        for labels, (cumulative, total, count) in sorted(rows.items()):
            for bound, observed in zip(buckets, cumulative):
                self.add(observed, "_bucket", **dict(labels, le=format_bucket(bound)))
            self.add(count, "_bucket", **dict(labels, le="+Inf"))
            self.add(float(total or 0.0), "_sum", **dict(labels))
            self.add(count, "_count", **dict(labels))
        return self

    def render(self):
        lines = ["# HELP %s %s" % (self.name, self.help.replace("\\", "\\\\").replace("\n", " ")),
                 "# TYPE %s %s" % (self.name, self.kind)]
        for name, labels, value in self.samples:
            if labels:
                text = ",".join('%s="%s"' % (key, escape_label(val)) for key, val in labels.items())
                lines.append("%s{%s} %s" % (name, text, format_value(value)))
            else:
                lines.append("%s %s" % (name, format_value(value)))
        return "\n".join(lines)


def render(families):
    return "\n".join(family.render() for family in families) + "\n"
