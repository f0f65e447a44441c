from odoo.tests import TransactionCase, tagged

from ..models.construction_sync_rate_bucket import FAR_SHARE, _tally, forget_tallies, worker_shard


@tagged("post_install", "-at_install")
class TestRateLimit(TransactionCase):
    """The per-system delivery limit: what it counts, what leaves the window, what a refusal says."""

    def setUp(self):
        super().setUp()
        System = self.env["construction.sync.system"]
        self.system = System.create({"name": "Field Platform", "code": "field"})
        self.other = System.create({"name": "Rental Yard", "code": "yard"})
        self.Bucket = self.env["construction.sync.rate.bucket"]
        # What this thread counted in memory in earlier tests is no business of this one.
        forget_tallies()
        self.addCleanup(forget_tallies)

    def put(self, system, seconds_ago, hits, shard):
        """A row as another worker (another shard) left it `seconds_ago`."""
        self.env.cr.execute(
            """
            INSERT INTO construction_sync_rate_bucket (system_id, second_at, shard, hits)
            VALUES (%s, date_trunc('second', statement_timestamp() at time zone 'utc')
                        - make_interval(secs => %s), %s, %s)
            """,
            (system.id, seconds_ago, shard, hits),
        )

    def counted(self, system):
        self.env.cr.execute("SELECT coalesce(sum(hits), 0) FROM construction_sync_rate_bucket WHERE system_id = %s",
                            (system.id,))
        return self.env.cr.fetchone()[0]

    def test_counts_up_to_the_limit_then_refuses_without_counting(self):
        self.assertEqual([self.Bucket._take(self.system.id, 3) for _i in range(3)], [None, None, None])
        wait = self.Bucket._take(self.system.id, 3)
        self.assertTrue(59 <= wait <= 61, wait)
        self.assertEqual(self.counted(self.system), 3, "a refused delivery is not counted")

    def test_other_workers_deliveries_count(self):
        other_shard = worker_shard() ^ 1
        self.put(self.system, 50, 2, other_shard)
        self.assertIsNone(self.Bucket._take(self.system.id, 3))
        wait = self.Bucket._take(self.system.id, 3)
        # The oldest counted second leaves the window 10 s from now.
        self.assertTrue(9 <= wait <= 11, wait)

    def test_a_second_older_than_the_window_is_not_counted_and_its_worker_deletes_it(self):
        self.put(self.system, 61, 40, worker_shard())
        self.put(self.system, 61, 50, worker_shard() ^ 1)
        self.assertIsNone(self.Bucket._take(self.system.id, 3))
        # Its own old row went with its first delivery of the second; another worker's stays
        # for that worker (two transactions never delete one row), counted by nobody.
        self.assertEqual(self.counted(self.system), 1 + 50)
        self.assertIsNone(self.Bucket._take(self.system.id, 3))

    def test_the_purge_takes_the_rows_of_workers_gone_for_an_hour(self):
        self.put(self.other, 3601, 50, worker_shard() ^ 1)
        self.put(self.other, 61, 7, worker_shard() ^ 1)
        self.Bucket._purge()
        self.assertEqual(self.counted(self.other), 7, "a worker deletes its own rows of the last hour")

    def test_other_systems_do_not_count(self):
        self.put(self.other, 5, 100, worker_shard())
        self.assertIsNone(self.Bucket._take(self.system.id, 1))
        self.assertEqual(self.Bucket._take(self.system.id, 1) is not None, True)

    def test_a_delivery_rolled_back_is_not_counted(self):
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self.Bucket._take(self.system.id, 3)
            _ = 1 / 0
        self.assertEqual(self.counted(self.system), 0)

    def commit_hooks(self):
        """What happens after a delivery's commit (the test transaction never commits)."""
        self.env.cr.postcommit.run()

    def test_far_from_the_limit_deliveries_are_counted_in_memory_and_written_with_the_next_sync(self):
        taken = [self.Bucket._take(self.system.id, 1000) for _i in range(5)]
        self.assertEqual(taken, [None] * 5)
        self.assertEqual(self.counted(self.system), 0, "counted once their transactions commit")
        self.commit_hooks()
        _tally(self.env.cr.dbname, self.system.id).synced_at = None  # the sync interval has passed
        self.assertIsNone(self.Bucket._take(self.system.id, 1000))
        self.assertEqual(self.counted(self.system), 5, "the next delivery wrote the five to the worker's row")
        self.commit_hooks()
        self.assertEqual(_tally(self.env.cr.dbname, self.system.id).estimate(), 6)

    def test_near_the_limit_each_delivery_is_counted_as_it_is_stored(self):
        self.put(self.system, 10, int(100 * FAR_SHARE), worker_shard() ^ 1)
        self.assertIsNone(self.Bucket._take(self.system.id, 100))
        self.assertEqual(self.counted(self.system), 51, "counted in PostgreSQL at once, not in memory")
        self.put(self.system, 5, 48, worker_shard() ^ 1)
        _tally(self.env.cr.dbname, self.system.id).synced_at = None
        self.assertIsNone(self.Bucket._take(self.system.id, 100))
        wait = self.Bucket._take(self.system.id, 100)
        self.assertTrue(49 <= wait <= 51, wait)
        self.assertEqual(self.counted(self.system), 100, "the refused one is not counted")

    def test_a_sync_rolled_back_is_written_again_by_the_next(self):
        tally = _tally(self.env.cr.dbname, self.system.id)
        for _i in range(3):
            tally.count_one()
        self.assertIsNone(self.Bucket._take(self.system.id, 1000))
        self.assertEqual(self.counted(self.system), 3)
        # The transaction that wrote them rolls back (rollback hooks, then the rows' state).
        self.env.cr.postrollback.run()
        self.env.cr.execute("DELETE FROM construction_sync_rate_bucket WHERE system_id = %s", (self.system.id,))
        self.assertIsNone(self.Bucket._take(self.system.id, 1000))
        self.assertEqual(self.counted(self.system), 3, "the three were still to be written, and were")
