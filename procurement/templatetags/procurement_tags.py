from django import template

from network.roles import is_city_admin

register = template.Library()


@register.filter
def city_admin(user) -> bool:
    """The city administrator keeps the organisation accounts (network.roles decides)."""
    return is_city_admin(user)
