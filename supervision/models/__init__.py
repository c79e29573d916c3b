"""Supervision (SUP-1), training (SUP-2, SUP-3) and county plans (PLAN-1, SUP-4), one module each."""

from .plans import *  # noqa: F403
from .supervision import *  # noqa: F403
from .training import *  # noqa: F403
