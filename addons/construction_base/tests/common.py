"""The shared world of the construction addons' tests: the engine's sync world (an external
system with a known secret, a user per integration role) plus a contractor's books."""

from odoo.tests import new_test_user

from odoo.addons.construction_sync.tests.common import (
    SECRET, CommittedCase, SyncCase, SyncHttpCase, SyncWorldMixin, envelope, signed_headers,
)

# The engine's test helpers are re-exported: the apps' tests import everything from here.
__all__ = [
    "SECRET", "CommittedCase", "SyncCase", "SyncHttpCase", "SyncWorldMixin", "envelope", "signed_headers",
    "FinanceWorldMixin", "FinanceCase",
]


class FinanceWorldMixin:
    """A contractor's books on top of the sync world: a customer, a subcontractor, a project
    with cost codes, and users who may invoice. Amounts in tests are exact, in USD."""

    @classmethod
    def _build_finance_world(cls):
        cls.currency = cls.company.currency_id
        cls.customer = cls.env["res.partner"].create({"name": "Lakeview Health Trust", "customer_rank": 1})
        cls.subcontractor = cls.env["res.partner"].create(
            {"name": "Granite Line Masonry", "supplier_rank": 1, "is_subcontractor": True}
        )
        cls.project = cls.env["project.project"].create({
            "name": "Lakeshore Library Renovation", "partner_id": cls.customer.id,
            "original_contract_value": 1000000.0, "retention_percent": 10.0,
        })
        CostCode = cls.env["construction.cost.code"]
        cls.cc_concrete = CostCode.create({"code": "93 30 00", "name": "Cast-in-Place Concrete"})
        cls.cc_masonry = CostCode.create({"code": "94 20 00", "name": "Unit Masonry"})
        cls.cc_project_only = CostCode.create(
            {"code": "91 50 00", "name": "Temporary Facilities", "project_id": cls.project.id}
        )
        # Construction roles, apart from the integration roles of the sync world: a site or
        # project user, and a construction manager who also works the integration's approval queue.
        cls.construction_user = new_test_user(cls.env, login="csync_construction_user",
                                              groups="construction_base.group_user")
        cls.construction_manager = new_test_user(cls.env, login="csync_construction_manager",
                                                 groups="construction_base.group_manager,construction_sync.group_user")
        cls.accountant = new_test_user(cls.env, login="csync_accountant", groups=cls._installed_groups(
            "construction_sync.group_user", "construction_base.group_user", "account.group_account_invoice",
            "purchase.group_purchase_user", "project.group_project_user",
        ))
        cls.finance_manager = new_test_user(cls.env, login="csync_finance_manager", groups=cls._installed_groups(
            "construction_sync.group_manager", "construction_base.group_manager", "account.group_account_manager",
            "purchase.group_purchase_manager", "project.group_project_manager",
        ))

    @classmethod
    def _installed_groups(cls, *xmlids):
        """The groups among `xmlids` that exist here: the same world serves each construction
        addon's tests, installed alone with only its own dependencies (purchase or not)."""
        return ",".join(x for x in xmlids if cls.env.ref(x, raise_if_not_found=False))

    def assertBalances(self, moves, expected):
        """`expected` maps account codes to balances (debit - credit) over the posted `moves`."""
        lines = moves.line_ids
        actual = {}
        for line in lines:
            actual[line.account_id.code] = self.currency.round(actual.get(line.account_id.code, 0.0) + line.balance)
        self.assertEqual({code: balance for code, balance in actual.items() if balance}, expected)


class FinanceCase(FinanceWorldMixin, SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_finance_world()
