from . import construction_submittal
from . import account_move
from . import construction_submittal_revision
from . import construction_sync_handler
from . import purchase_order
from . import purchase_order_line
from . import stock_picking
from . import construction_sync_publisher
