from . import handlers
from . import models
from . import wizards
