"""The API's error answers in the OpenAPI schema: every operation documents the one error shape.

drf-spectacular documents the success answers of each view; the errors every endpoint can give
(bad input, no or expired token, outside the caller's scope, rate limit) are added here once.
"""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the caller's language"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Per field: its messages (validation errors only)",
        },
    },
    "required": ["detail"],
}
ERRORS = {
    "400": "Invalid input: `errors` names each field and the rule it breaks",
    "401": "No valid credentials (missing, wrong or expired token)",
    "403": "The role may not do this, or the record may be read but not changed",
    "404": "No such record within the caller's places",
    "429": "Too many requests: wait the seconds of Retry-After",
}
WRITE_METHODS = {"post", "put", "patch"}


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: the error answers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = ["401", "403", "404", "429"]  # 404: outside the caller's places, or a page past the end
            if method in WRITE_METHODS or "{" in path or method == "get":
                codes.append("400")  # a malformed filter or body
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code, {"description": ERRORS[code], "content": {"application/json": {"schema": ref}}}
                )
    return result
