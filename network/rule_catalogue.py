"""The rule IDs of docs/RULES.md with a one-line statement each, in the reader's language.

Pages show a rule ID as a small badge (``{% rule "PRC-2" %}``, network/templatetags/portal.py) whose hover text is
the statement below and whose link opens the legend (``network:rule_legend``); the ID is never the only label.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RULES = {
    "NET-1": _("One city social-work development centre sets the standards and runs supervision and training."),
    "NET-2": _("One guidance centre per county, in the civil-affairs bureau, guides its stations."),
    "NET-3": _("One social-work station per township or street, with the six haves."),
    "NET-3a": _("A station's sign text is fixed: the county, the township, then “social-work service station”."),
    "NET-4": _("Village or community rooms where conditions allow, inside the community service centre."),
    "TGT-COV": _("Station coverage: townships with an established or operating station, of all townships."),
    "TGT-STD": _("By 2023 every station meets the standard (six haves, catalogue, staffing)."),
    "TGT-CERT": _("Certified social workers, each person counted once."),
    "TGT-EVERY": _("Every township has at least one certified social worker."),
    "TGT-SPEC": _("Four specialised worker categories, each at least 10 per cent of certified workers."),
    "TGT-ORG": _("Each county incubates at least 3 social-work service organisations."),
    "SRV-1": _("The ten target groups a station serves."),
    "SRV-2": _("The service fields and each station's published service catalogue."),
    "SRV-3": _("Service methods: home visits, needs assessment and scheduled follow-up."),
    "SRV-4": _("Five-society linkage: community, organisations, workers, volunteers, charity."),
    "PRC-1": _("Stations' services are bought by the county and awarded on scores, not on lowest price."),
    "PRC-2": _("At least 2 stationed workers per station, each certified within the deadline."),
    "PRC-3": _("Monthly pay floors of stationed workers, as shares of the city minimum wage."),
    "PRC-4": _("Projects are evaluated by the purchaser and an independent third party."),
    "PRC-5": _("A service contract states its terms and runs 1 to 3 years."),
    "SUP-1": _("At least one supervision of 16 hours a month per station; a supervisor covers 2 to 8 stations."),
    "SUP-2": _("At least 48 hours of training a year for each stationed worker."),
    "SUP-3": _("The city keeps a pool of trainers by field."),
    "SUP-4": _("Each county plans supervision, training and evaluation with its projects."),
    "PLAN-1": _("Each county files an implementation plan."),
    "FUND-1": _("Who uses, buys: the funds of a project by source."),
    "EVAL-1": _("Inspections of counties and the oversight of purchasers and providers."),
    "PUB-1": _("Publicise the stations' results and service stories."),
}


def rule_text(rule_id: str) -> str:
    """The one-line statement of a rule (or the family's, for a sub-ID such as ``PRC-2.deadline``)."""
    if rule_id in RULES:
        return str(RULES[rule_id])
    base = rule_id.split(".")[0]
    return str(RULES.get(base, ""))
