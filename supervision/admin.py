"""Admin of the supervision app: each area registers its models in its own module."""

from . import admin_plans, admin_supervision, admin_training  # noqa: F401
