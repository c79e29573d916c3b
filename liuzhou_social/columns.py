"""Declarative table columns, shared by list pages and their exports (what is on screen is exported)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class Column:
    label: Any
    accessor: str | Callable[[Any], Any]
    link: bool = False  # link the cell to the row's detail page

    def value(self, obj):
        if callable(self.accessor):
            return self.accessor(obj)
        value = obj
        for part in self.accessor.split("__"):
            if value is None:
                return ""
            display = getattr(value, f"get_{part}_display", None)
            value = display() if display else getattr(value, part)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return "" if value is None else value
