"""PostgreSQL planner settings for the engine's counting queries."""

from contextlib import contextmanager


@contextmanager
def without_bitmap_scans(cr):
    """Runs the queries of the block without bitmap scans, in the current transaction only.

    The per-system counts of the cockpit, the metrics and the alert rules are answered by partial
    indexes that hold only the rows counted (failed, queued, awaiting...). Whenever the event
    table's visibility map lagged behind (fresh rows, runners' open transactions keeping VACUUM
    from marking pages), PostgreSQL preferred a bitmap of the full state index and a per-system
    index, which reads every counted row's page: 0.3-0.5 s instead of 10-30 ms on 1 M events.
    Without bitmap scans it reads the partial index, visiting the table only for the pages that
    lag. Left on after an error: the transaction ends with it (or the savepoint undoes it)."""
    cr.execute("SET LOCAL enable_bitmapscan = off")
    yield
    cr.execute("SET LOCAL enable_bitmapscan = on")
