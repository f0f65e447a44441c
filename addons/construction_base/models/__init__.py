from . import project_project
from . import construction_cost_code
from . import construction_sync_handler
from . import res_partner
from . import res_company
from . import res_config_settings
from . import account_move
from . import construction_sync_publisher
