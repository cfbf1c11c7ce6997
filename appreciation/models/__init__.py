"""The appreciation app's models: the yearly waardering (`waardering.py`) and the seasonal
campaigns such as the summer swimming tickets and the December attentie (`campaigns.py`)."""

from .campaigns import *  # noqa: F403
from .letters import *  # noqa: F403
from .payments import *  # noqa: F403
from .renewals import *  # noqa: F403
from .vouchers import *  # noqa: F403
from .waardering import *  # noqa: F403
