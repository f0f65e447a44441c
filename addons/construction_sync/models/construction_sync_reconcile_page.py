from odoo import fields, models


class ConstructionSyncReconcilePage(models.Model):
    """A page of a snapshot that was compared: a replayed page is not compared twice, and the run
    is finished when all its pages are here."""

    _name = "construction.sync.reconcile.page"
    _description = "Reconciliation Snapshot Page"
    _order = "run_id, page"

    run_id = fields.Many2one("construction.sync.reconcile.run", required=True, readonly=True, index=True,
                             ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    page = fields.Integer(required=True, readonly=True)
    objects = fields.Integer(readonly=True)

    _sql_constraints = [
        ("page_uniq", "unique(run_id, page)", "This page of the snapshot was already compared."),
    ]
