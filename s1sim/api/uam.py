"""The Unified Alert Management GraphQL endpoint, 2.1 only: POST /web/api/v2.1/unifiedalerts/graphql.

Executed by graphql-core (the reference GraphQL implementation) against `s1sim/uam_schema.graphql`. As GraphQL
servers do, every answer to a well-formed request is HTTP 200: `{"data": ...}`, or `{"errors": [...], "data": null
or partial}` for a document that does not parse or validate, variables of the wrong type, and arguments the API
refuses (an unknown filter fieldId, `first` out of range, a cursor that does not decode). Each error carries
`extensions.code`: GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, NOT_FOUND or
INTERNAL_SERVER_ERROR (Apollo's codes; not in the published facts). Auth, faults, rate limits and the request log
are the app's, as for every REST path; a body that is not a JSON object with a `query` string is HTTP 400.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from flask import Response
from graphql import (
    ExecutionResult,
    Executor,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    IntValueNode,
    ObjectValueNode,
    build_schema,
    execute,
    parse,
    validate,
    value_from_ast_untyped,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.language import DocumentNode, ValueNode
from graphql.pyutils import Path as ResponsePath

from s1sim.api.routing import V21, Call, Routes
from s1sim.store import Store
from s1sim.uam import (
    MAX_FIRST,
    SORT_FIELDS,
    Cursor,
    Page,
    Query,
    UamInputError,
    parse_conditions,
    scope_predicate,
    view_predicate,
)

routes = Routes()
log = logging.getLogger("s1sim")

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "uam_schema.graphql"
LONG_RANGE = 2**63
DOCUMENT_CACHE_SIZE = 128


# --- scalars ------------------------------------------------------------------------------------------------------
def long_value(value: Any) -> int:
    """`Long` takes integers only (the contract: an ISO string is an error, not a date)."""
    if type(value) is not int or not -LONG_RANGE <= value < LONG_RANGE:
        raise ValueError(f"Long cannot represent a non-integer value: {value!r}")
    return value


def long_literal(node: ValueNode, _variables: Any = None) -> int:
    if not isinstance(node, IntValueNode):
        raise ValueError("Long cannot represent a non-integer value")
    return long_value(int(node.value))


def json_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"JSON payload must be an object, got {value!r}")
    return value


def json_literal(node: ValueNode, variables: Any = None) -> dict[str, Any]:
    if not isinstance(node, ObjectValueNode):
        raise ValueError("JSON payload must be an object")
    return json_object(value_from_ast_untyped(node, variables))


def set_scalar(schema: GraphQLSchema, name: str, coerce: Any, literal: Any) -> None:
    scalar = schema.type_map[name]
    assert isinstance(scalar, GraphQLScalarType)
    scalar.parse_value = scalar.coerce_input_value = coerce  # type: ignore[method-assign]
    scalar.parse_literal = literal  # type: ignore[method-assign]
    scalar.coerce_input_literal = literal
    scalar.serialize = scalar.coerce_output_value = coerce  # type: ignore[method-assign]


# --- resolvers ----------------------------------------------------------------------------------------------------
@dataclass
class Context:
    store: Store


@dataclass
class Connection:
    """`AlertConnection`: totalCount is counted only when the query selects it."""

    page: Page

    @property
    def edges(self) -> list[dict[str, Any]]:
        return [{"node": alert, "cursor": cursor} for alert, cursor in zip(self.page.alerts, self.page.cursors, strict=True)]

    @property
    def pageInfo(self) -> dict[str, Any]:
        cursors = self.page.cursors
        return {
            "hasNextPage": self.page.has_next,
            "hasPreviousPage": self.page.has_previous,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        }

    @property
    def totalCount(self) -> int:
        return self.page.total()


def resolve_alerts(_root: Any, info: Any, **args: Any) -> Connection:
    first = args.get("first")
    if first is None or not 1 <= first <= MAX_FIRST:
        raise UamInputError(f"first: must be from 1 to {MAX_FIRST}, got {first}")
    sort = args.get("sort") or {}
    sort_by = sort.get("by", "createdAt")
    if sort_by not in SORT_FIELDS:
        raise UamInputError(f'sort.by: cannot sort by "{sort_by}"; expected one of {", ".join(SORT_FIELDS)}')
    after = args.get("after")
    query = Query(
        conditions=parse_conditions(args.get("filters"), "filters"),
        view=args.get("viewType") or "ALL",
        sort_by=sort_by,
        order=sort.get("order") or "DESC",
        after=Cursor.decode(after) if after is not None else None,
        first=first,
    )
    return Connection(info.context.store.uam.page(query))


def resolve_alert(_root: Any, info: Any, id: str) -> dict[str, Any] | None:
    return info.context.store.uam.alerts.get(id)


def resolve_alert_notes(_root: Any, info: Any, alertId: str) -> dict[str, Any]:
    uam = info.context.store.uam
    if alertId not in uam.alerts:
        raise UamInputError(f"alertId: alert {alertId} does not exist", code="NOT_FOUND")
    return {"data": list(uam.notes.get(alertId, []))}


def resolve_trigger_actions(_root: Any, info: Any, **args: Any) -> dict[str, Any]:
    store: Store = info.context.store
    raw_filter = args.get("filter")
    groups = None
    if raw_filter is not None:
        groups = [parse_conditions(group["and"], f"filter.or[{index}].and") for index, group in enumerate(raw_filter["or"])]
    view = args.get("viewType")
    author = {"userId": store.user.id, "fullName": store.user.full_name, "email": store.user.email}
    return store.uam.trigger_actions(
        args["actions"],
        groups,
        (scope_predicate(args.get("scope")), view_predicate(view) if view else None),
        author,
        store.now(),
    )


def response_type(value: Mapping[str, Any], *_: Any) -> str:
    if "errors" in value:
        return "TriggerActionsError"
    return "TriggerActionsScheduled" if "executionId" in value else "ActionsTriggered"


def provider_type(value: Mapping[str, Any], *_: Any) -> str:
    """The cloud provider details member, told apart by the fields only it has."""
    if "projectId" in value:
        return "DetectionGcp"
    return "DetectionAzure" if "subscriptionId" in value else "DetectionAws"


def build_uam_schema() -> GraphQLSchema:
    schema = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))
    set_scalar(schema, "Long", long_value, long_literal)
    set_scalar(schema, "JSON", json_object, json_literal)
    query_type, mutation_type = schema.query_type, schema.mutation_type
    assert isinstance(query_type, GraphQLObjectType) and isinstance(mutation_type, GraphQLObjectType)
    query_type.fields["alerts"].resolve = resolve_alerts
    query_type.fields["alert"].resolve = resolve_alert
    query_type.fields["alertNotes"].resolve = resolve_alert_notes
    mutation_type.fields["alertTriggerActions"].resolve = resolve_trigger_actions
    for name, resolve_type in (("TriggerActionsResponse", response_type), ("CloudProviderDetails", provider_type)):
        union = schema.type_map[name]
        assert isinstance(union, GraphQLUnionType)
        union.resolve_type = resolve_type
    return schema


SCHEMA = build_uam_schema()


# --- a shortcut for stored data -----------------------------------------------------------------------------------
FAIL = object()  # "the shortcut does not apply here"
PLAIN_LEAVES: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}
PLAIN_TYPES = frozenset(
    name
    for name, named_type in SCHEMA.type_map.items()
    if isinstance(named_type, GraphQLObjectType)
    and not name.startswith("__")
    and all(field.resolve is None for field in named_type.fields.values())
)


class StoredDataExecutor(Executor):
    """graphql-core's executor with a shortcut for stored alerts: an object whose fields all use the default resolver
    on a dict (the alert node and everything under it) is completed straight from the dict, without the per-field
    machinery (about 4x faster on a page of 1000 full nodes). Whatever the shortcut does not take exactly as it is
    (a null in a non-null field, a value of an unexpected type) falls back to graphql-core's own execution of that
    object, which reports the error where the spec says; the result is otherwise the same (tests compare the two)."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: ResponsePath | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if parent_type.name in PLAIN_TYPES and isinstance(source_value, dict):
            result = self.plain_object(parent_type, source_value, grouped_field_set)
            if result is not FAIL:
                return result
        return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)

    def plain_object(self, object_type: GraphQLObjectType, source: dict[str, Any], grouped_field_set: GroupedFieldSet) -> Any:
        results: dict[str, Any] = {}
        for response_name, details in grouped_field_set.items():
            field_name = details[0].node.name.value
            if field_name == "__typename":
                results[response_name] = object_type.name
                continue
            value = self.plain_value(object_type.fields[field_name].type, details, source.get(field_name))
            if value is FAIL:
                return FAIL
            results[response_name] = value
        return results

    def plain_value(self, value_type: Any, details: FieldDetailsList, value: Any) -> Any:
        if isinstance(value_type, GraphQLNonNull):
            if value is None:
                return FAIL
            value_type = value_type.of_type
        if value is None:
            return None
        if isinstance(value_type, GraphQLScalarType):
            return value if type(value) is PLAIN_LEAVES.get(value_type.name) else FAIL
        if isinstance(value_type, GraphQLList):
            if not isinstance(value, list):
                return FAIL
            items = [self.plain_value(value_type.of_type, details, item) for item in value]
            return FAIL if any(item is FAIL for item in items) else items
        if isinstance(value_type, GraphQLUnionType) and isinstance(value, dict) and value_type.resolve_type is not None:
            value_type = self.schema.get_type(str(value_type.resolve_type(value, None, value_type)))  # type: ignore[arg-type]
        if isinstance(value_type, GraphQLObjectType) and value_type.name in PLAIN_TYPES and isinstance(value, dict):
            grouped_field_set = self.collect_subfields(value_type, details)[0]
            return self.plain_object(value_type, value, grouped_field_set)
        return FAIL


# --- execution ----------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def checked_document(source: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...], str]:
    """The parsed document, or the errors that stop it, and their code. Cached: clients repeat the same text."""
    try:
        document = parse(source)
    except GraphQLError as error:
        return None, (error,), "GRAPHQL_PARSE_FAILED"
    errors = validate(SCHEMA, document)
    if errors:
        return None, tuple(errors), "GRAPHQL_VALIDATION_FAILED"
    return document, (), ""


def formatted(error: GraphQLError, default_code: str) -> dict[str, Any]:
    """The error as GraphQL formats it, with `extensions.code`: the argument error's own code, INTERNAL_SERVER_ERROR
    for a resolver that failed unexpectedly (logged), else `default_code`."""
    result: dict[str, Any] = dict(error.formatted)  # type: ignore[call-overload]
    extensions = dict(result.get("extensions") or {})
    original = error.original_error
    if "code" not in extensions:
        unexpected = error.path is not None and original is not None and not isinstance(original, GraphQLError)
        if unexpected:
            log.error("UAM GraphQL resolver failed", exc_info=original)
        extensions["code"] = "INTERNAL_SERVER_ERROR" if unexpected else default_code
    result["extensions"] = extensions
    return result


def never_awaitable(_value: Any) -> TypeGuard[Awaitable[Any]]:
    """Every resolver here is synchronous: spare graphql-core its check of every value."""
    return False


def run(store: Store, source: str, variables: dict[str, Any] | None, operation_name: str | None) -> dict[str, Any]:
    document, errors, code = checked_document(source)
    if document is None:
        return {"errors": [formatted(error, code) for error in errors], "data": None}
    result = execute(
        SCHEMA,
        document,
        variable_values=variables,
        operation_name=operation_name,
        context_value=Context(store),
        executor_class=StoredDataExecutor,
        is_awaitable=never_awaitable,
    )
    assert isinstance(result, ExecutionResult)  # every resolver is synchronous
    if not result.errors:
        return {"data": result.data}
    return {"errors": [formatted(error, "BAD_USER_INPUT") for error in result.errors], "data": result.data}


def bad_request(message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}], "data": None}
    return Response(json.dumps(body), status=400, mimetype="application/json")


@routes.route("unifiedalerts/graphql", methods=("POST",), versions=V21)
def graphql_endpoint(call: Call) -> dict[str, Any] | Response:
    body = call.request.get_json(force=True, silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return bad_request("The body must be a JSON object with a 'query' string")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        return bad_request("'variables' must be a JSON object")
    operation_name = body.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        return bad_request("'operationName' must be a string")
    return run(call.store, body["query"], variables, operation_name)
