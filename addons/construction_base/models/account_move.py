from odoo import fields, models


class AccountMove(models.Model):
    """Invoices and bills of a construction project: every construction app that bills
    (contracts, rentals) files its documents under the project they belong to."""

    _inherit = "account.move"

    construction_project_id = fields.Many2one(
        "project.project", string="Construction Project", index="btree_not_null",
        check_company=True, tracking=True, copy=True,
    )

    # Outbound events (construction_sync): posted documents and payment status, for the field systems.

    def _construction_outbound_kind(self):
        """"invoice", "bill" or None (journal entries, receipts publish nothing)."""
        if self.move_type in ("out_invoice", "out_refund"):
            return "invoice"
        if self.move_type in ("in_invoice", "in_refund"):
            return "bill"
        return None

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        Outbox = self.env["construction.sync.outbox"]
        for kind in ("invoice", "bill"):
            moves = posted.filtered(lambda m, k=kind: m._construction_outbound_kind() == k)
            if moves:
                Outbox._publish("%s.posted" % kind, moves)
        return posted

    def _compute_payment_state(self):
        # payment_state is a stored computed field: the ORM recomputes it without write(), so the
        # change is seen here, against the value the database holds.
        stored = {}
        ids = [move_id for move_id in self.ids if isinstance(move_id, int)]
        if ids:
            self.env.cr.execute("SELECT id, payment_state FROM account_move WHERE id = ANY(%s)", (ids,))
            stored = dict(self.env.cr.fetchall())
        super()._compute_payment_state()
        # The same change is published once per transaction, however often it is recomputed.
        published = self.env.cr.precommit.data.setdefault("construction_sync.payment_state_published", set())
        changed = {"invoice": self.browse(), "bill": self.browse()}
        for move in self:
            kind = move._construction_outbound_kind()
            # None: never computed yet (a new move's first flush), not a change.
            if (kind and stored.get(move.id) and move.state == "posted" and stored[move.id] != move.payment_state
                    and (move.id, move.payment_state) not in published):
                published.add((move.id, move.payment_state))
                changed[kind] |= move
        for kind, moves in changed.items():
            if moves:
                self.env["construction.sync.outbox"]._publish("%s.payment_changed" % kind, moves)
