"""Supervision API: permission matrix (each area adds its endpoints' cases here)."""

from tests.permkit import READ_CITY_WIDE, Case, permission_matrix_test

API_PERMISSION_MATRIX = [Case("supervision-api:api-root", READ_CITY_WIDE, api=True)]

test_api_permission_matrix = permission_matrix_test(API_PERMISSION_MATRIX)
