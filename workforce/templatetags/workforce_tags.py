from django import template

from network.choices import PlaceLevel
from network.models import Place

register = template.Library()


@register.inclusion_tag("workforce/_nav_links.html", takes_context=True)
def workforce_nav(context):
    """The workforce sub-menu, with a link to the workforce page of each county the user may see."""
    user = context["request"].user
    places = list(
        Place.objects.restrict(user)
        .filter(level__in=[PlaceLevel.CITY, PlaceLevel.COUNTY])
        .order_by("code")
        .values_list("code", "name", "level")
    )
    return {
        "counties": [(c, n) for c, n, level in places if level == PlaceLevel.COUNTY],
        "sees_city": any(level == PlaceLevel.CITY for _c, _n, level in places),
    }
