from odoo import Command
from odoo.tests import tagged

from .test_commitment import CommitmentCase


@tagged("post_install", "-at_install")
class TestJobCostColumns(CommitmentCase):
    """The forecast columns of the job cost report, worked by hand to the cent.

    Budget (version 1, then revision 2 moving 10 000 from concrete to masonry) and change order:

                       original  revisions  changes   revised
        masonry         200 000    +10 000   12 000   222 000
        concrete         90 000    -10 000        0    80 000

    Commitments, bills and costs without a commitment:

                       committed  billed on commitments  uncommitted cost  actual cost
        masonry          184 940                 45 000            812.40    45 812.40
        concrete          86 500                 30 000          2 500.00    32 500.00

    Forecast (committed not billed = committed - billed on commitments; uncommitted budget =
    max(revised - committed - uncommitted cost, 0); EAC = actual + committed not billed +
    uncommitted budget; cost to complete = EAC - actual; % complete = actual / EAC; projected
    over/under = revised - EAC):

                       not billed  uncommitted budget        EAC  to complete  % complete  over/under
        masonry           139 940           36 247.60    222 000   176 187.60       20.64           0
        concrete           56 500                   0     89 000       56 500       36.52      -9 000

    Masonry: 222 000 - 184 940 - 812.40 = 36 247.60 of budget nothing has consumed yet, so the
    estimate is the budget: 45 812.40 + 139 940 + 36 247.60 = 222 000, 45 812.40 / 222 000 =
    20.636 %. Concrete: 80 000 - 86 500 - 2 500 < 0, so no uncommitted budget is left and the
    estimate is what is spent and committed: 32 500 + 56 500 = 89 000, a projected overrun of
    9 000; 32 500 / 89 000 = 36.517 %. The project: 78 312.40 / 311 000 = 25.18 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.concrete_order = cls.env["purchase.order"].create({
            "partner_id": cls.subcontractor.id, "construction_project_id": cls.project.id, "retention_percent": 10,
            "order_line": [Command.create({
                "product_id": cls.product.id, "name": "Slab on grade", "product_qty": 1, "price_unit": 86500.0,
                "cost_code_id": cls.cc_concrete.id, "taxes_id": [Command.clear()]})],
        })
        cls.concrete_order.button_confirm()
        Budget = cls.env["construction.budget"].with_user(cls.construction_manager)
        Budget.create({"project_id": cls.project.id, "item_ids": [
            Command.create({"cost_code_id": cls.cc_masonry.id, "amount": 200000.0}),
            Command.create({"cost_code_id": cls.cc_concrete.id, "amount": 90000.0}),
        ]}).action_approve()
        Budget.create({"project_id": cls.project.id, "reason": "Concrete bids came in low; masonry scope grew.",
                       "item_ids": [Command.create({"cost_code_id": cls.cc_masonry.id, "amount": 210000.0}),
                                    Command.create({"cost_code_id": cls.cc_concrete.id, "amount": 80000.0})]},
                      ).action_approve()
        change_order = cls.env["construction.change.order"].create({
            "number": "PCO-1", "title": "Feature wall", "project_id": cls.project.id,
            "line_ids": [Command.create({"cost_code_id": cls.cc_masonry.id, "description": "Feature wall",
                                         "amount": 15000.0, "budget_amount": 12000.0})],
        })
        change_order.with_user(cls.finance_manager).action_approve()

    def direct_cost(self, cost_code, amount):
        """A vendor bill with no commitment behind it, on the project and `cost_code`."""
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.subcontractor.id, "invoice_date": "2026-11-16",
            "invoice_line_ids": [Command.create({
                "name": "Site purchase (no PO)", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
                "analytic_distribution": cost_code._analytic_distribution(self.project)})],
        })
        bill.action_post()
        return bill

    def rows(self):
        self.env.flush_all()
        rows = self.env["construction.job.cost"].search([("project_id", "=", self.project.id)])
        return {row.cost_code_id: row for row in rows}

    def assertRow(self, row, **expected):
        self.assertEqual({name: row[name] for name in expected}, expected, row.cost_code_id.display_name)

    def test_forecast_columns_to_the_cent(self):
        self.bill([(self.walls, 45000.0)])
        self.bill([(self.concrete_order.order_line, 30000.0)])
        self.direct_cost(self.cc_masonry, 812.4)
        self.direct_cost(self.cc_concrete, 2500.0)
        rows = self.rows()
        self.assertRow(
            rows[self.cc_masonry], original_budget=200000.0, approved_revisions=10000.0, approved_changes=12000.0,
            revised_budget=222000.0, committed=184940.0, actual_cost=45812.4, uncommitted_cost=812.4,
            open_commitment=139940.0, uncommitted_budget=36247.6, estimate_at_completion=222000.0,
            cost_to_complete=176187.6, percent_complete=20.64, projected_variance=0.0, remaining=36247.6,
        )
        self.assertRow(
            rows[self.cc_concrete], original_budget=90000.0, approved_revisions=-10000.0, approved_changes=0.0,
            revised_budget=80000.0, committed=86500.0, actual_cost=32500.0, uncommitted_cost=2500.0,
            open_commitment=56500.0, uncommitted_budget=0.0, estimate_at_completion=89000.0,
            cost_to_complete=56500.0, percent_complete=36.52, projected_variance=-9000.0, remaining=-9000.0,
        )
        # Retention is a project level figure: 10 % of 45 000 and of 30 000 held from the subcontractor.
        self.assertRow(rows[self.cc_masonry.browse()], retention_payable=7500.0, retention_receivable=0.0,
                       estimate_at_completion=0.0, percent_complete=0.0)
        self.assertEqual(set(rows), {self.cc_masonry, self.cc_concrete, self.cc_masonry.browse()})

    def test_group_percent_complete_is_the_ratio_of_the_totals(self):
        self.bill([(self.walls, 45000.0)])
        self.bill([(self.concrete_order.order_line, 30000.0)])
        self.direct_cost(self.cc_masonry, 812.4)
        self.direct_cost(self.cc_concrete, 2500.0)
        self.env.flush_all()
        group, = self.env["construction.job.cost"].read_group(
            [("project_id", "=", self.project.id)],
            ["actual_cost:sum", "estimate_at_completion:sum", "projected_variance:sum", "percent_complete:avg"],
            ["project_id"])
        self.assertEqual(
            (group["actual_cost"], group["estimate_at_completion"], group["projected_variance"],
             group["percent_complete"]),
            (78312.4, 311000.0, -9000.0, 25.18),
            "78 312.40 / 311 000, not the average of 20.64, 36.52 and the retention row's 0",
        )

    def test_nothing_spent_yet_forecasts_the_budget(self):
        # Before any bill: everything committed is still to be billed, the rest of the budget unspent.
        rows = self.rows()
        self.assertRow(rows[self.cc_concrete], open_commitment=86500.0, uncommitted_budget=0.0,
                       estimate_at_completion=86500.0, cost_to_complete=86500.0, percent_complete=0.0,
                       projected_variance=-6500.0)
        self.assertRow(rows[self.cc_masonry], open_commitment=184940.0, uncommitted_budget=37060.0,
                       estimate_at_completion=222000.0, percent_complete=0.0, projected_variance=0.0)

    def test_rows_where_everything_is_zero_are_left_out(self):
        self.env["construction.budget.line"].create(
            {"project_id": self.project.id, "cost_code_id": self.cc_project_only.id, "original_amount": 0.0})
        self.assertNotIn(self.cc_project_only, self.rows())
        self.direct_cost(self.cc_project_only, 99.99)
        self.assertEqual(self.rows()[self.cc_project_only].estimate_at_completion, 99.99)

    def test_retention_headings_say_which_side(self):
        JobCost = self.env["construction.job.cost"]
        arch = JobCost.get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertNotIn("Retention Held", arch)
        fields = JobCost.fields_get(["retention_receivable", "retention_payable"], ["string"])
        self.assertEqual({name: f["string"] for name, f in fields.items()},
                         {"retention_receivable": "Retention Receivable", "retention_payable": "Retention Payable"})
