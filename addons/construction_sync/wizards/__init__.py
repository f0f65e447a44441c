from . import construction_sync_event_action_wizard
from . import construction_sync_replay_wizard
