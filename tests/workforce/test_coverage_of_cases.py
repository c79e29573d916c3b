"""Every workforce page and API route has a permission-matrix case."""

from django.urls import get_resolver

from . import test_api, test_views


def _names(namespace):
    resolver = get_resolver()
    sub = resolver.namespace_dict[namespace][1]
    return {f"{namespace}:{name}" for name in sub.reverse_dict.keys() if isinstance(name, str)}


def test_every_workforce_url_has_a_permission_case():
    pages = {c.url for c in test_views.PERMISSION_MATRIX}
    assert _names("workforce") <= pages, _names("workforce") - pages
    api = {c.url for c in test_api.PERMISSION_MATRIX}
    routes = {n for n in _names("workforce-api") if n.endswith(("-list", "-detail"))}
    assert routes <= api, routes - api
