from . import res_company
from . import res_config_settings
from . import purchase_order_line
from . import stock_picking
from . import account_move
from . import account_move_line
from . import account_payment_register
from . import construction_sync_handler
