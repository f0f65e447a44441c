"""The budget of unauthenticated refusals per source address, kept in the memory of each Odoo
process.

Every webhook request refused before its signature was verified (401, 404, 405, 413 and 415
answered before authentication, and the 503 of a secret the server cannot decrypt) costs its
source address one unit of a token bucket that holds `per_minute` units and refills `per_minute`
per minute. An address whose bucket is empty is answered 429 `unauthenticated_rate_limited` with
Retry-After before anything else is looked at: no query of the engine, no body read, no HMAC.
Authenticated deliveries cost nothing (the system's own `rate_limit_per_minute` limits them), so a
system's signed traffic keeps flowing while garbage arrives from other addresses.

Why in memory rather than in PostgreSQL like the authenticated limit: counting a refusal in the
database is a write per garbage request, the very load a flood should not cause. The price is that
each Odoo process keeps its own buckets: with N HTTP workers an address may be refused up to
N x per_minute times per minute before every worker answers 429, and a worker's buckets are lost
when it is recycled. The threaded server (one process) has a single set.

An address that sent an authenticated delivery in the last TRUSTED_SECONDS is not throttled:
it holds a system's secret, so what it sends is that system's, limited by the system's own rate
limit. Otherwise a sender behind the same NAT or proxy address as a flood would be shut out with
it. The other side of that choice: behind a reverse proxy, Odoo must run with proxy_mode (and the
proxy must send X-Forwarded-For and X-Forwarded-Host), else every request has the proxy's address,
which trusts or throttles everyone at once; and Odoo must not run with proxy_mode when it is
reachable without the proxy, else a client chooses its own address.

IPv6 addresses count per /64, the block a single host usually holds. Buckets are kept for at most
MAX_ADDRESSES addresses per process, least recently seen forgotten first.
"""

import ipaddress
import math
import threading
import time
from collections import OrderedDict

# System parameter construction_sync.unauthenticated_per_minute when unset.
DEFAULT_PER_MINUTE = 60
MAX_ADDRESSES = 10000
TRUSTED_SECONDS = 300


def address_key(remote_addr):
    """The unit an address is counted in: the IPv4 address, or the /64 of an IPv6 address."""
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return remote_addr or "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network("%s/64" % address, strict=False))
    return str(address)


class FailureBudget:
    def __init__(self, clock=time.monotonic, max_addresses=MAX_ADDRESSES, trusted_seconds=TRUSTED_SECONDS):
        self._clock = clock
        self._max = max_addresses
        self._trusted_seconds = trusted_seconds
        self._lock = threading.Lock()
        # address -> [tokens, when they were counted]; address -> trusted until
        self._buckets = OrderedDict()
        self._trusted = OrderedDict()

    def reset(self):
        with self._lock:
            self._buckets.clear()
            self._trusted.clear()

    def retry_after(self, address, per_minute):
        """None when a request from `address` may be looked at, else the seconds to wait."""
        if per_minute <= 0:
            return None
        with self._lock:
            now = self._clock()
            if self._trusted.get(address, 0) > now:
                return None
            tokens = self._refill(address, per_minute, now)
            if tokens >= 1:
                return None
            return max(1, math.ceil((1 - tokens) * 60.0 / per_minute))

    def charge(self, address, per_minute):
        """Counts one unauthenticated refusal of a request from `address`."""
        if per_minute <= 0:
            return
        with self._lock:
            now = self._clock()
            if self._trusted.get(address, 0) > now:
                return
            tokens = self._refill(address, per_minute, now)
            self._buckets[address] = [max(tokens - 1, 0.0), now]

    def trust(self, address):
        """`address` just sent a delivery signed with a system's secret."""
        with self._lock:
            self._trusted[address] = self._clock() + self._trusted_seconds
            self._trusted.move_to_end(address)
            self._buckets.pop(address, None)
            while len(self._trusted) > self._max:
                self._trusted.popitem(last=False)

    def _refill(self, address, per_minute, now):
        bucket = self._buckets.get(address)
        if bucket is None:
            bucket = self._buckets[address] = [float(per_minute), now]
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(address)
        tokens, then = bucket
        # A lowered per_minute applies at once, a raised one as the bucket refills.
        bucket[0] = min(float(per_minute), tokens + (now - then) * per_minute / 60.0)
        bucket[1] = now
        return bucket[0]


# The process's budget: the webhook controller's, for every database this process serves (the
# source address is the same whatever the database).
GUARD = FailureBudget()
