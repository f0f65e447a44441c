from odoo import api, fields, models

from ..sync.reconcile import KINDS


class ConstructionSyncReconcileRun(models.Model):
    """One snapshot of one object type from one system, compared page by page as its pages are
    applied (construction.sync.reconcile._apply_page)."""

    _name = "construction.sync.reconcile.run"
    _description = "Reconciliation Run"
    _order = "create_date desc, id desc"
    _rec_name = "snapshot_id"

    system_id = fields.Many2one("construction.sync.system", required=True, readonly=True, index=True,
                                ondelete="cascade")
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    object_type = fields.Char(required=True, readonly=True, index=True)
    snapshot_id = fields.Char(string="Snapshot", required=True, readonly=True)
    as_of = fields.Datetime(string="As Of", required=True, readonly=True)

    state = fields.Selection([("receiving", "Receiving Pages"), ("done", "Compared")], default="receiving",
                             required=True, readonly=True, index=True)
    pages = fields.Integer(readonly=True)
    page_ids = fields.One2many("construction.sync.reconcile.page", "run_id", readonly=True)
    pages_received = fields.Integer(compute="_compute_pages_received")
    finished_at = fields.Datetime(readonly=True)

    compared = fields.Integer(string="Objects Compared", readonly=True)
    skipped = fields.Integer(
        string="Objects Newer in Odoo", readonly=True,
        help="Objects Odoo holds or has queued in a version at least as new as the snapshot's: not compared.")
    difference_ids = fields.One2many("construction.sync.difference", "last_run_id", readonly=True)
    difference_count = fields.Integer(string="Differences", readonly=True)
    missing_in_odoo_count = fields.Integer(readonly=True)
    unknown_at_source_count = fields.Integer(readonly=True)
    older_in_odoo_count = fields.Integer(readonly=True)
    value_mismatch_count = fields.Integer(readonly=True)

    _sql_constraints = [
        ("snapshot_uniq", "unique(system_id, object_type, snapshot_id)",
         "This snapshot was already received from this system."),
    ]

    def init(self):
        # The external ids a run's pages carried, until the run is finished: the set the objects
        # only in Odoo are found against, kept in the database rather than in a Python set so that
        # a 100 000-object snapshot costs no memory. A scratch table, not a model: rows live for
        # the length of one snapshot and nobody reads them.
        self.env.cr.execute("""
            CREATE TABLE IF NOT EXISTS construction_sync_reconcile_seen (
                run_id integer NOT NULL REFERENCES construction_sync_reconcile_run(id) ON DELETE CASCADE,
                external_id varchar NOT NULL,
                PRIMARY KEY (run_id, external_id)
            )
        """)

    @api.depends("page_ids")
    def _compute_pages_received(self):
        for run in self:
            run.pages_received = len(run.page_ids)

    def _store_counts(self):
        Difference = self.env["construction.sync.difference"].sudo()
        for run in self:
            counts = dict(Difference._read_group([("last_run_id", "=", run.id)], ["kind"], ["__count"]))
            values = {"%s_count" % kind: counts.get(kind, 0) for kind, _label in KINDS}
            values["difference_count"] = sum(counts.values())
            run.write(values)

    def action_open_differences(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("construction_sync.construction_sync_difference_action")
        action["domain"] = [("last_run_id", "=", self.id)]
        action["context"] = {}
        return action
