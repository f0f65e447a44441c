from . import res_company
from . import project_project
from . import construction_change_order
from . import account_move
from . import account_move_line
from . import construction_budget
from . import construction_budget_item
from . import construction_budget_line
from . import construction_change_order_line
from . import construction_pay_application
from . import construction_pay_application_line
from . import construction_retention_balance
from . import construction_sync_handler
from . import purchase_order
from . import purchase_order_line
from . import res_config_settings
# The job cost view reads the tables of the models above: it is created last.
from . import construction_job_cost
