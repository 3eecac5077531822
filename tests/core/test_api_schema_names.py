"""No two schema classes of the API share a name. Ninja files each schema in the OpenAPI
components under its class name, so the second of two namesakes silently replaces the first and
the documentation of one operation describes another's payload (production's PlanIn had to
become UnitPlanIn for that)."""
import typing
from collections import defaultdict

from ninja import Schema
from pydantic import BaseModel

from ronghe.api import api


def _routers():
    found, stack = [], [router for _prefix, router in api._routers]
    while stack:
        router = stack.pop()
        if all(router is not seen for seen in found):
            found.append(router)
            stack.extend(mount[1] for mount in router._routers)
    return found


def _collect(annotation, out: set):
    """Every pydantic model reachable from `annotation`: itself, its fields' types, list[…],
    X | None, Annotated[…] and so on. Ninja's own wrappers (module "abc") are looked through."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in out:
            return
        if annotation.__module__ != "abc":
            out.add(annotation)
        for field in annotation.model_fields.values():
            _collect(field.annotation, out)
        return
    for argument in typing.get_args(annotation):
        _collect(argument, out)


def _api_models() -> set:
    models = set()
    for router in _routers():
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    if model is not None:
                        _collect(model, models)
    return models


def _schema_classes() -> set:
    """Every Schema subclass defined in the product, whether an operation uses it yet or not."""
    out, stack = set(), [Schema]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("ronghe."):
                out.add(sub)
    return out


def clashes(classes) -> dict[str, set[str]]:
    by_name = defaultdict(set)
    for cls in classes:
        by_name[cls.__name__].add(cls)
    return {name: {cls.__module__ for cls in found} for name, found in by_name.items() if len(found) > 1}


def test_the_walk_sees_every_schema_the_openapi_documents():
    components = set(api.get_openapi_schema()["components"]["schemas"])
    assert components <= {cls.__name__ for cls in _api_models()}


def test_no_two_schema_classes_share_a_name():
    assert clashes(_api_models() | _schema_classes()) == {}
