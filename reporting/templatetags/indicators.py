from django import template

from reporting.views import STATUS_CSS

register = template.Library()


@register.filter
def status_css(value) -> str:
    return STATUS_CSS.get(getattr(value, "status", "") or "", "secondary")


@register.filter
def fmt_value(value, unit="") -> str:
    """A stored number as the dashboards show it: shares with one decimal, counts whole."""
    v = getattr(value, "value", value)
    if v is None:
        return "—"
    if unit in ("%",):
        return f"{v:.1f} %"
    if unit == "×":
        return f"{v:.2f}×"
    return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"
