"""Python's cyclic garbage collector held off during bulk work.

A publish of 10 000 vendors, or a runner's drain, creates hundreds of thousands of objects that
outlive the collector's youngest generations (payloads, cached field values, request headers,
log rows). Every so often that growth starts a full collection, and a full collection walks
every object of the Odoo worker, its registry and caches included: a fifth of a 10 000-vendor
publish and a twelfth of a drain went to it, measured, the drain's sending thread waiting
meanwhile. Nothing built in these sections is cyclic garbage worth collecting on the spot; the
collector runs again as soon as the section ends (reference counting frees everything else
as usual, collector or not).
"""

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """A with-block, or a function decorator, that runs without the cyclic collector."""
    # gc.disable() is process-wide: a section that finds the collector already off (another
    # thread's section, or the process's own choice) leaves it as it found it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
