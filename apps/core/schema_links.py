"""OpenAPI links from the operations that create or list things to the operations that take their ids.

A drf-spectacular post-processing hook (:func:`add_links`) infers them from the URL layout, so a new
endpoint is linked as soon as it is mounted: ``POST .../products/`` (201) and ``GET .../products/``
(200, a page whose ``results`` are products) link to every operation under ``.../products/{id}/``,
passing ``id`` from the response body and the path parameters they share (``tenant_slug``) from the
request. A path parameter is found in the response by name (``slug``, ``token``), as ``id`` when it
ends in ``_id`` (``variant_id``), or nested by its prefix (``tenant_slug`` -> ``tenant.slug``).

Apps add what the layout cannot show: :func:`alias_collection` (``/tenants`` creates what
``/t/{tenant_slug}/`` serves) and :func:`register_link` (an invitation's ``token`` feeds
``/invitations/{token}/accept``). Clients generated from the schema, and schemathesis' stateful
phase, follow these links.
"""

from __future__ import annotations

import re

JSON = "application/json"
HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
PARAMETER = re.compile(r"\{(\w+)\}")

COLLECTION_ALIASES: dict[str, str] = {}
EXTRA_LINKS: list[tuple[str, str, str, dict[str, str]]] = []


def alias_collection(collection_path: str, item_prefix: str) -> None:
    """Say that what ``collection_path`` creates or lists is served under ``item_prefix`` + ``{param}``."""
    COLLECTION_ALIASES[collection_path] = item_prefix


def register_link(source_operation_id: str, status: str, target_operation_id: str, **parameters: str) -> None:
    """An explicit link: ``parameters`` map the target's parameter names to runtime expressions."""
    EXTRA_LINKS.append((source_operation_id, status, target_operation_id, parameters))


def _resolve(schema: dict | None, components: dict) -> dict:
    """Follow ``$ref`` (and the one-element ``allOf`` drf-spectacular wraps read-only refs in)."""
    while schema and ("$ref" in schema or len(schema.get("allOf", ())) == 1):
        schema = schema["allOf"][0] if "allOf" in schema else components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema or {}


def _response_item(operation: dict, status: str, components: dict) -> tuple[dict, str] | None:
    """The schema of the thing a response carries, and the JSON pointer prefix to reach it."""
    content = operation.get("responses", {}).get(status, {}).get("content", {}).get(JSON)
    schema = _resolve((content or {}).get("schema"), components)
    if schema.get("type") == "array":
        return _resolve(schema.get("items"), components), "0/"
    results = schema.get("properties", {}).get("results")
    if results and _resolve(results, components).get("type") == "array":
        return _resolve(_resolve(results, components).get("items"), components), "results/0/"
    return (schema, "") if schema.get("properties") else None


def _pointer(parameter: str, item: dict, components: dict) -> str | None:
    """Where ``parameter``'s value sits in ``item``: ``slug``, ``id``, ``tenant/slug``; ``None`` if nowhere."""
    properties = item.get("properties", {})
    if parameter in properties:
        return parameter
    prefix, _, suffix = parameter.rpartition("_")
    if prefix and prefix in properties and suffix in _resolve(properties[prefix], components).get("properties", {}):
        return f"{prefix}/{suffix}"
    return suffix if suffix in properties else None


def _collection_links(path: str, paths: dict, item: dict, pointer_prefix: str, components: dict) -> dict:
    prefix = COLLECTION_ALIASES.get(path) or (path if path.endswith("/") else f"{path}/")
    shared = set(PARAMETER.findall(path))
    links = {}
    for target_path, target_operations in paths.items():
        rest = target_path[len(prefix) :] if target_path.startswith(prefix) else ""
        match = PARAMETER.match(rest)
        if not match:
            continue
        pointer = _pointer(match.group(1), item, components)
        if pointer is None:
            continue
        parameters = {match.group(1): f"$response.body#/{pointer_prefix}{pointer}"}
        parameters |= {name: f"$request.path.{name}" for name in PARAMETER.findall(target_path) if name in shared}
        for method, target in target_operations.items():
            if method in HTTP_METHODS and target.get("operationId"):
                links[target["operationId"]] = {"operationId": target["operationId"], "parameters": parameters}
    return links


def add_links(result: dict, generator=None, request=None, public=None) -> dict:
    """drf-spectacular post-processing hook: links from creating/listing operations (see module doc)."""
    paths = result.get("paths", {})
    components = result.get("components", {}).get("schemas", {})
    by_id = {}
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            by_id[operation.get("operationId")] = operation
            status = {"post": "201", "get": "200"}.get(method)
            found = _response_item(operation, status, components) if status else None
            if found is None:
                continue
            links = _collection_links(path, paths, *found, components)
            if links:
                operation["responses"][status].setdefault("links", {}).update(links)
    for source_id, status, target_id, parameters in EXTRA_LINKS:
        source = by_id.get(source_id)
        if source and target_id in by_id and status in source.get("responses", {}):
            link = {"operationId": target_id, "parameters": dict(parameters)}
            source["responses"][status].setdefault("links", {})[target_id] = link
    return result
