from . import test_submittal
