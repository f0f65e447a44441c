from odoo.tests.common import BaseCase, tagged

from ..sync import flood


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@tagged("post_install", "-at_install")
class TestFailureBudget(BaseCase):
    """The per-address budget of refusals before authentication (sync.flood), with explicit
    addresses and a clock the test moves: the HTTP side is in test_construction_sync's
    test_preauth_http."""

    def setUp(self):
        super().setUp()
        self.clock = Clock()
        self.budget = flood.FailureBudget(clock=self.clock, max_addresses=50, trusted_seconds=300)

    def flood(self, address, count, per_minute=10):
        """Sends `count` requests that fail before authentication; returns how many were looked at
        (the others were answered 429) and the last Retry-After."""
        looked_at, wait = 0, None
        for _i in range(count):
            wait = self.budget.retry_after(address, per_minute)
            if wait is None:
                looked_at += 1
                self.budget.charge(address, per_minute)
        return looked_at, wait

    def test_an_address_gets_its_budget_then_429_with_retry_after(self):
        looked_at, wait = self.flood("203.0.113.7", 100)
        self.assertEqual(looked_at, 10)
        self.assertEqual(wait, 6, "one refusal more in 60 / 10 s")
        # Another address is not affected by the first one's flood.
        self.assertIsNone(self.budget.retry_after("198.51.100.1", 10))

    def test_the_budget_refills_per_minute(self):
        self.flood("203.0.113.7", 20)
        self.clock.now += 6
        self.assertEqual(self.flood("203.0.113.7", 5), (1, 6))
        self.clock.now += 60
        self.assertEqual(self.flood("203.0.113.7", 20)[0], 10, "never more than a minute's budget at once")

    def test_an_address_that_authenticated_is_not_throttled(self):
        # A sender behind the flood's NAT: once it has signed a delivery, its failures do not
        # shut it out (its system's own rate limit applies to it).
        self.flood("203.0.113.7", 20)
        self.assertIsNotNone(self.budget.retry_after("203.0.113.7", 10))
        self.budget.trust("203.0.113.7")
        self.assertEqual(self.flood("203.0.113.7", 50)[0], 50)
        self.clock.now += 301
        self.assertEqual(self.flood("203.0.113.7", 50)[0], 10, "trust lasts trusted_seconds")

    def test_zero_turns_the_budget_off(self):
        self.assertEqual(self.flood("203.0.113.7", 500, per_minute=0)[0], 500)

    def test_ipv6_counts_per_64_and_ipv4_mapped_as_ipv4(self):
        self.assertEqual(flood.address_key("2001:db8:1:2:aaaa::1"), flood.address_key("2001:db8:1:2:bbbb::9"))
        self.assertNotEqual(flood.address_key("2001:db8:1:2::1"), flood.address_key("2001:db8:1:3::1"))
        self.assertEqual(flood.address_key("::ffff:203.0.113.7"), "203.0.113.7")
        self.assertEqual(flood.address_key("203.0.113.7"), "203.0.113.7")
        self.assertEqual(flood.address_key(None), "unknown")

    def test_memory_is_bounded(self):
        for n in range(200):
            self.flood("10.0.%d.%d" % (n // 250, n % 250), 3)
        self.assertLessEqual(len(self.budget._buckets), 50)
        for n in range(200):
            self.budget.trust("10.1.0.%d" % n)
        self.assertLessEqual(len(self.budget._trusted), 50)
