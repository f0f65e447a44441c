import random
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.construction_sync.sync import sender
from odoo.addons.construction_sync.tests.common import SECRET

from .outbound_common import CHANGED, OTHER_SECRET, OutboundCase


@tagged("post_install", "-at_install")
class TestOutboundDelivery(OutboundCase):
    """Delivery to the real receiver (Node, standardwebhooks) on loopback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_receiver()

    def test_delivered_signed_and_logged(self):
        message = self.publish(self.contact())
        self.assertEqual(self.send(), 1)
        state = self.receiver.state()
        self.assertEqual(state["delivered"], [message.webhook_id])
        self.assertEqual(state["unverified"], 0)
        self.assertEqual(state["requests"][0]["type"], CHANGED)
        self.assertEqual(message.state, "delivered")
        self.assertEqual(message.attempts, 1)
        attempt = message.attempt_ids
        self.assertEqual((attempt.success, attempt.status, attempt.attempt), (True, 200, 1))
        self.assertIn(message.webhook_id, attempt.response_excerpt)
        self.assertIn("webhook-signature", attempt.request_headers)
        self.assertFalse(self.subscription.failing_since)

    def test_rolled_back_publish_sends_nothing(self):
        with self.assertRaises(ZeroDivisionError):
            with self.env.cr.savepoint():
                self.publish(self.contact())
                raise ZeroDivisionError("the business transaction fails after publishing")
        self.assertEqual(self.send(), 0)
        self.assertEqual(self.receiver.state()["requests"], [])

    def test_retries_after_500_and_timeout_then_success_with_the_same_id(self):
        self.receiver.control(rules=[{"status": 500, "times": 1}, {"status": 200, "delay_ms": 3000, "times": 1}])
        message = self.publish(self.contact())
        self.send()
        self.assertEqual((message.state, message.attempts, message.last_status), ("pending", 1, 500))
        first_wait = message.next_attempt_at - message.attempt_ids.at
        self.assertTrue(timedelta(seconds=4.5) <= first_wait <= timedelta(seconds=5.5), first_wait)
        self.assertTrue(self.subscription.failing_since)
        # Not due yet: the runner leaves it.
        self.assertEqual(self.send(), 0)
        self.make_due(message)
        self.send()  # the receiver answers after 3 s, the subscription waits 2 s
        self.assertEqual((message.state, message.attempts, message.last_status), ("pending", 2, 0))
        self.assertIn("no answer within 2 s", message.last_error)
        second_wait = message.next_attempt_at - message.attempt_ids.sorted("id")[-1].at
        self.assertTrue(timedelta(seconds=270) <= second_wait <= timedelta(seconds=330), second_wait)
        self.make_due(message)
        self.send()
        self.assertEqual((message.state, message.attempts), ("delivered", 3))
        self.assertFalse(self.subscription.failing_since)
        requests = self.receiver.state()["requests"]
        self.assertEqual([r["webhook_id"] for r in requests], [message.webhook_id] * 3)
        self.assertEqual([r["status"] for r in requests], [500, 200, 200])
        self.assertEqual(message.attempt_ids.sorted("id").mapped("status"), [500, 0, 200])
        # The timed-out answer arrived after all: the receiver deduped the third request.
        self.wait_ms(1200)
        self.assertEqual(self.receiver.state()["delivered"], [message.webhook_id])

    def test_dead_after_the_schedule_then_manual_retry(self):
        self.receiver.control(default={"status": 500})
        message = self.publish(self.contact())
        for _attempt in range(8):
            self.make_due(message)
            self.send()
        self.assertEqual((message.state, message.attempts), ("dead", 8))
        self.assertEqual(len(message.attempt_ids), 8)
        self.receiver.control(default={"status": 204})
        self.assertEqual(self.send(), 0)
        message.with_user(self.user_manager).action_retry()
        self.send()
        self.assertEqual(message.state, "delivered")

    def test_410_disables_the_subscription_and_tells_the_managers(self):
        self.receiver.control(default={"status": 410})
        message = self.publish(self.contact())
        self.send()
        self.assertFalse(self.subscription.active)
        self.assertIn("410", self.subscription.disabled_reason)
        self.assertEqual(message.state, "pending", "kept, not lost")
        activities = self.subscription.activity_ids
        self.assertIn(self.user_manager, activities.user_id)
        self.assertNotIn(self.user_integration, activities.user_id)
        # Disabled: nothing more is sent, and new publications skip it.
        self.assertEqual(self.send(), 0)
        self.assertFalse(self.publish(self.contact()))
        self.receiver.control(default={"status": 200})
        self.subscription.with_user(self.user_manager).action_enable()
        self.send()
        self.assertEqual(message.state, "delivered")

    def test_429_with_retry_after_waits_that_long(self):
        self.receiver.control(rules=[{"status": 429, "retry_after": 7, "times": 1}])
        message = self.publish(self.contact())
        self.send()
        self.assertEqual(message.next_attempt_at - message.attempt_ids.at, timedelta(seconds=7))
        self.receiver.control(rules=[{"status": 503, "retry_after": 120, "times": 1}])
        self.make_due(message)
        self.send()
        self.assertEqual(message.next_attempt_at - message.attempt_ids.sorted("id")[-1].at, timedelta(seconds=120))

    def test_per_object_order_holds_while_an_earlier_message_retries(self):
        first_contact, other_contact = self.contact("First"), self.contact("Other")
        self.receiver.control(rules=[{"match": {"object": first_contact.id}, "status": 500, "times": 2}])
        earlier = self.publish(first_contact)
        later = self.publish(first_contact)
        unrelated = self.publish(other_contact)
        self.send()
        self.assertEqual(earlier.state, "pending")
        self.assertEqual(later.state, "pending")
        self.assertEqual(later.attempts, 0, "waits for the earlier message about the same object")
        self.assertEqual(unrelated.state, "delivered")
        self.make_due(earlier | later)
        self.send()
        self.assertEqual((earlier.state, later.attempts), ("pending", 0))
        self.make_due(earlier | later)
        self.send()
        self.send()
        self.assertEqual((earlier.state, later.state), ("delivered", "delivered"))
        self.assertEqual(self.receiver.state()["delivered"],
                         [unrelated.webhook_id, earlier.webhook_id, later.webhook_id])

    def test_endpoint_concurrency_cap(self):
        self.subscription.max_in_flight = 2
        messages = self.publish(self.contact("A") | self.contact("B") | self.contact("C"))
        lock = self.env["construction.sync.queue"]._acquire_runner_lock()
        try:
            claimed, slots = self.Outbox._claim(10, "token-1", lock)
            self.assertEqual((len(claimed), slots), (3, {self.subscription.id: 2}))
            # Being sent to the endpoint: no other runner gets any of its messages meanwhile.
            self.publish(self.contact("D"))
            self.assertEqual(self.Outbox._claim(10, "token-2", lock), (self.Outbox, {}))
            # Still queued while they are sent (the claim holds them), and a person's retry waits
            # for their answer.
            self.assertEqual(set(messages.mapped("state")), {"pending"})
            self.assertEqual(sorted(self.Claim._busy_ids()), messages.ids)
            with self.assertRaisesRegex(UserError, "is being sent"):
                messages[0].action_retry()
        finally:
            self.env["construction.sync.queue"]._release_runner_lock(lock)

    def test_a_dead_runners_claim_is_taken_at_once_and_logged(self):
        """A runner killed while sending leaves its claim; its advisory lock goes with its
        session, so the next claim takes the messages at once, counts the interrupted attempt
        and says so in the delivery log; the first runner, should it record after all, owns
        nothing any more."""
        Queue = self.env["construction.sync.queue"]
        message = self.publish(self.contact())
        dead_lock = Queue._acquire_runner_lock()
        claimed, _slots = self.Outbox._claim(10, "token-dead", dead_lock)
        self.assertEqual(claimed, message)
        self.assertEqual(self.Outbox._ready_count(), 0, "being sent by a live runner")
        self.assertIsNone(self.Outbox._next_due_in(), "nothing waits that no runner is sending")
        Queue._release_runner_lock(dead_lock)  # its session ends
        self.assertEqual(self.Outbox._ready_count(), 1)
        lock = Queue._acquire_runner_lock()
        try:
            claimed_again, _slots = self.Outbox._claim(10, "token-next", lock)
        finally:
            Queue._release_runner_lock(lock)
        self.assertEqual(claimed_again, message)
        self.assertEqual((message.state, message.attempts, message.last_status), ("pending", 1, 0))
        self.assertEqual(len(message.attempt_ids), 1)
        self.assertIn("runner stopped while sending", message.attempt_ids.error)
        self.assertFalse(message.attempt_ids.success)
        self.assertEqual(self.Claim._release("token-dead"), set(), "the dead runner's claim is gone")
        self.assertEqual(self.Claim._release("token-next"), {message.id})

    def test_a_claim_past_its_lease_is_taken_again(self):
        """A live runner hung past its lease (its endpoint's timeout for each round, and a
        minute) loses its messages to the next runner."""
        message = self.publish(self.contact())
        lock = self.env["construction.sync.queue"]._acquire_runner_lock()
        try:
            self.Outbox._claim(10, "token-hung", lock)
            self.assertEqual(self.Outbox._claim(10, "token-other", lock), (self.Outbox, {}))
            self.env.cr.execute("UPDATE construction_sync_outbox_claim SET lease_expires_at = %s WHERE token = %s",
                                (fields.Datetime.now() - timedelta(seconds=1), "token-hung"))
            claimed, _slots = self.Outbox._claim(10, "token-other", lock)
        finally:
            self.env["construction.sync.queue"]._release_runner_lock(lock)
        self.assertEqual(claimed, message)
        self.assertEqual(message.attempts, 1)

    def test_a_runner_whose_claim_was_taken_records_nothing(self):
        """The answers of a runner whose claim another runner found stale belong to that runner:
        the first one's results (a failure here) change nothing and log nothing."""
        message = self.publish(self.contact())
        Queue = self.env["construction.sync.queue"]
        first_lock = Queue._acquire_runner_lock()
        rows, _slots = self.Outbox._claim_rows(10, "token-first", first_lock)
        Queue._release_runner_lock(first_lock)
        second_lock = Queue._acquire_runner_lock()
        try:
            self.assertEqual([row.id for row in self.Outbox._claim_rows(10, "token-second", second_lock)[0]],
                             message.ids)
        finally:
            Queue._release_runner_lock(second_lock)
        failure = sender.Result(False, 500, 3, None, "boom", "HTTP 500", {})
        self.Outbox._record(rows, "token-first", [failure], random.Random(1))
        self.assertEqual((message.state, message.last_status, message.attempts), ("pending", 0, 1))
        self.assertEqual(len(message.attempt_ids), 1, "only the interrupted attempt")

    def test_the_next_claim_made_while_one_is_sent_keeps_the_cap_and_the_order(self):
        """More messages than one claim takes (max_in_flight x 32): the runner claims the next
        batch while the first is being sent; its requests start when those end."""
        self.subscription.max_in_flight = 2
        self.receiver.control(default={"status": 200, "delay_ms": 10})
        contacts = self.Contact.create([{"name": "Batch %d" % index} for index in range(70)])
        messages = self.publish(contacts)
        # A second message about the first contact waits for the first one, whichever claim.
        later = self.publish(contacts[0])
        self.assertEqual(self.send(), 71)
        self.assertEqual(set((messages | later).mapped("state")), {"delivered"})
        state = self.receiver.state()
        self.assertEqual(state["max_concurrency"], 2)
        delivered = state["delivered"]
        self.assertEqual(sorted(delivered), sorted((messages | later).mapped("webhook_id")))
        self.assertLess(delivered.index(messages[0].webhook_id), delivered.index(later.webhook_id))

    def test_a_message_behind_its_objects_retry_is_not_ready(self):
        """The runner's count of ready messages is what a claim could take: a later message about
        an object whose earlier message waits for its retry is not counted (the runner would
        otherwise come back for it in a loop until the retry)."""
        self.receiver.control(rules=[{"status": 500, "times": 1}])
        contact = self.contact()
        earlier = self.publish(contact)
        self.assertEqual(self.send(), 1)
        self.assertEqual((earlier.state, earlier.last_status), ("pending", 500))
        self.publish(contact)
        self.assertEqual(self.Outbox._ready_count(), 0)
        self.publish(self.contact("Another"))
        self.assertEqual(self.Outbox._ready_count(), 1)

    def test_a_message_far_behind_a_long_run_of_blocked_ones_is_claimed(self):
        """A claim reads the queue in pages (of 64 for a claim of one): 100 due messages about an
        object whose first waits for its retry fill the first pages, and the message about
        another object after them is still claimed, alone."""
        self.receiver.control(rules=[{"status": 500, "times": 1}])
        contact = self.contact()
        earlier = self.publish(contact)
        self.assertEqual(self.send(), 1)
        self.assertEqual(earlier.state, "pending")
        self.publish(contact.browse([contact.id] * 100))
        other = self.publish(self.contact("Another"))
        lock = self.env["construction.sync.queue"]._acquire_runner_lock()
        try:
            claimed, _slots = self.Outbox._claim(1, "token-far", lock)
        finally:
            self.env["construction.sync.queue"]._release_runner_lock(lock)
        self.assertEqual(claimed, other)

    def test_the_delivery_log_keeps_any_answer_as_answered(self):
        """The log is written with COPY: tabs, line breaks and backslashes in an answer or a
        header arrive unchanged, and a NUL (the sender replaces it) does not fail the log."""
        message = self.publish(self.contact())
        excerpt = sender._text(b'{"error": "x\\ty"}\t\\N\r\n\x00end')
        result = sender.Result(False, 500, 12, None, excerpt, "HTTP 500\tdetail",
                               {"webhook-id": message.webhook_id, "x-path": "C:\\hooks\\in"})
        Attempt = self.env["construction.sync.outbox.attempt"]
        Attempt._insert([Attempt._row(message.id, message.subscription_id.id, message.company_id.id, 1, result,
                                      fields.Datetime.now())])
        attempt = message.attempt_ids
        self.assertEqual((attempt.success, attempt.status, attempt.latency_ms, attempt.attempt), (False, 500, 12, 1))
        self.assertEqual(attempt.response_excerpt, '{"error": "x\\ty"}\t\\N\r\n\ufffdend')
        self.assertEqual(attempt.error, "HTTP 500\tdetail")
        self.assertEqual(attempt.request_headers, "webhook-id: %s\nx-path: C:\\hooks\\in" % message.webhook_id)

    def test_webhook_ids_are_opaque_and_ordered_by_time(self):
        first = self.publish(self.contact("A"))
        self.wait_ms(5)
        second = self.publish(self.contact("B"))
        for message in first | second:
            self.assertRegex(message.webhook_id, r"^msg_[0-9a-f]{32}$")
        self.assertLess(first.webhook_id, second.webhook_id)

    def test_endpoint_receives_at_most_its_cap_at_once(self):
        self.subscription.max_in_flight = 2
        self.receiver.control(default={"status": 200, "delay_ms": 300})
        messages = self.publish(self.contact("A") | self.contact("B") | self.contact("C") | self.contact("D")
                                | self.contact("E"))
        self.send()
        self.assertEqual(set(messages.mapped("state")), {"delivered"})
        self.assertEqual(self.receiver.state()["max_concurrency"], 2)

    def test_disabled_after_failing_for_the_configured_period(self):
        self.subscription.disable_after_hours = 24
        self.receiver.control(default={"status": 502})
        message = self.publish(self.contact())
        self.send()
        self.assertTrue(self.subscription.active)
        self.subscription.failing_since = fields.Datetime.now() - timedelta(hours=23)
        self.make_due(message)
        self.send()
        self.assertTrue(self.subscription.active, "23 h of failures: still trying")
        self.subscription.failing_since = fields.Datetime.now() - timedelta(hours=24, minutes=1)
        self.make_due(message)
        self.send()
        self.assertFalse(self.subscription.active)
        self.assertIn("24 hours", self.subscription.disabled_reason)
        self.assertIn(self.user_manager, self.subscription.activity_ids.user_id)

    def test_replay_of_a_range(self):
        before = fields.Datetime.now() - timedelta(seconds=1)
        first, second = self.publish(self.contact("A")), self.publish(self.contact("B"))
        self.receiver.control(rules=[{"match": {"webhook_id": second.webhook_id}, "status": 500}])
        for _attempt in range(8):
            self.make_due(second)
            self.send()
        self.assertEqual((first.state, second.state), ("delivered", "dead"))
        later = self.publish(self.contact("C"))
        # Published a minute later (timestamps are to the second: the test runs within one).
        later.sudo().created_at = second.created_at + timedelta(minutes=1)
        self.send()
        self.receiver.reset()
        Outbox = self.Outbox.with_user(self.user_manager)
        # Dead ones only by default; the range ends before the third message.
        self.assertEqual(Outbox.replay_range(self.subscription.id, before, second.created_at), 1)
        self.send()
        self.assertEqual(self.receiver.state()["delivered"], [second.webhook_id])
        self.assertEqual(Outbox.replay_range(self.subscription.id, before, second.created_at,
                                             include_delivered=True), 2)
        self.send()
        state = self.receiver.state()
        # About two records: sent side by side (max_in_flight), so in either order.
        self.assertCountEqual([r["webhook_id"] for r in state["requests"][1:]], [first.webhook_id, second.webhook_id])
        self.assertEqual(state["duplicates"], 1, "the replayed id the receiver already had is deduped")
        self.assertEqual(later.attempts, 1)

    def test_rotation_both_signatures_verify_at_the_receiver(self):
        self.subscription.sudo().secret = OTHER_SECRET
        self.subscription.with_user(self.user_manager).action_rotate_secret()
        new_secret = self.subscription.sudo().secret
        self.receiver.control(secrets=[OTHER_SECRET, new_secret])
        message = self.publish(self.contact())
        self.send()
        request = self.receiver.state()["requests"][0]
        self.assertEqual((request["verified"], request["signatures"]), (True, 2))
        self.assertEqual(message.state, "delivered")
        # A receiver that knows only the old secret fails once the grace is over.
        self.subscription.sudo().previous_secret_valid_until = fields.Datetime.now() - timedelta(seconds=1)
        self.receiver.control(secrets=[OTHER_SECRET])
        message = self.publish(self.contact())
        self.send()
        self.assertEqual(message.last_status, 401)
        self.assertNotEqual(SECRET, new_secret)

    def test_send_test_event(self):
        self.subscription.with_user(self.user_manager).action_send_test_event()
        self.send()
        request = self.receiver.state()["requests"][0]
        self.assertEqual(request["type"], "subscription.test")
        self.assertTrue(request["verified"])

    def test_health_and_failed_deliveries_for_the_cockpit(self):
        self.receiver.control(rules=[{"status": 500, "times": 1}])
        failing = self.publish(self.contact("A"))
        self.send()
        self.publish(self.contact("B"))
        health = self.env["construction.sync.subscription"].with_user(self.user_integration).get_outbound_health()
        row = next(row for row in health if row["id"] == self.subscription.id)
        self.assertEqual((row["queue_depth"], row["failing"], row["dead"], row["failures_24h"], row["active"]),
                         (2, 1, 0, 1, True))
        self.assertIsNotNone(row["oldest_queued_seconds"])
        failed = self.Outbox.with_user(self.user_integration).get_failed_deliveries()
        self.assertEqual([r["id"] for r in failed["rows"]], [failing.id])
        self.assertEqual(failed["rows"][0]["last_status"], 500)
        self.Outbox.with_user(self.user_manager).act("retry", [failing.id])
        self.send()
        self.assertEqual(failing.state, "delivered")
