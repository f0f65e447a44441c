from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class ConstructionSyncCase(TransactionCase):
    """The shared world of construction_sync tests: one user per access level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_plain = new_test_user(cls.env, login="csync_plain", groups="base.group_user")
        cls.user_integration = new_test_user(
            cls.env, login="csync_user", groups="construction_sync.group_user"
        )
        cls.user_manager = new_test_user(
            cls.env, login="csync_manager", groups="construction_sync.group_manager"
        )
