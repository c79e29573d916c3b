"""Fails if any page or API route of the portal has no permission-matrix case (CONVENTIONS 8)."""

import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).resolve().parent
# Framework pages that are not the portal's own: Django admin (staff only, its own permission system),
# DRF's format-suffix twins of routes already covered, and static/media serving.
EXEMPT_NAMESPACES = {"admin"}


def _route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            yield from _route_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _covered_names():
    covered = set()
    for path in TESTS.rglob("test_*.py"):
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(module_name)
        for attr in ("PERMISSION_MATRIX", "API_PERMISSION_MATRIX"):
            covered.update(case.url for case in getattr(module, attr, []))
    return covered


def test_every_route_has_a_permission_case():
    missing = sorted(set(_route_names()) - _covered_names())
    assert not missing, f"routes without a permission-matrix case: {missing}"
