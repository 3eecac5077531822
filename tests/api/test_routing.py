"""The API's paths grouped under their first segment (ronghe.api.urls) resolve as Ninja's flat
list does: every operation's path to the same view, every name to the same path."""
import re

from django.urls import resolve, reverse

from ronghe.api import api


def _sample(route: str) -> str:
    return re.sub(r"<[^>]+>", "1", route)


def test_every_path_resolves_to_the_operation_ninjas_own_list_finds_first():
    patterns, _app, _namespace = api.urls
    assert len(patterns) > 100
    for pattern in patterns:
        sample = _sample(str(pattern.pattern))
        first = next(p for p in patterns if p.pattern.match(sample))
        assert resolve(f"/api/v1/{sample}").url_name == first.name, sample


def test_every_name_reverses_to_its_path():
    patterns, _app, _namespace = api.urls
    for pattern in patterns:
        route = str(pattern.pattern)
        kwargs = {name: "1" for name in re.findall(r"<([^>]+)>", route)}
        assert reverse(f"api:{pattern.name}", kwargs=kwargs) == f"/api/v1/{_sample(route)}", pattern.name
