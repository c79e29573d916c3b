"""The legend of rule IDs: every ID the pages show as a badge, with its statement (docs/RULES.md)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from .rule_catalogue import RULES


def _families() -> dict:
    shared = _("Plans, funds, evaluation and publicity")
    return {
        "NET": _("Places and the four-level network"),
        "TGT": _("Targets for 2023"),
        "SRV": _("Services"),
        "PRC": _("Purchase of services"),
        "SUP": _("Supervision and training"),
        "PLAN": shared,
        "FUND": shared,
        "EVAL": shared,
        "PUB": shared,
    }


@login_required
def rule_legend(request):
    families = _families()
    groups: dict[str, list] = {}
    for rule_id, text in RULES.items():
        family = str(families.get(rule_id.split("-")[0], ""))
        groups.setdefault(family, []).append((rule_id, text))
    return render(request, "network/rule_legend.html", {"title": _("Rules and their IDs"), "groups": groups})
