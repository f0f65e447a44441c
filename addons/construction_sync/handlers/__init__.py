"""Event handlers, one small module per event family. Importing a module registers its handlers."""

from . import partner
from . import project
from . import cost_code
from . import equipment
from . import rental
from . import submittal
