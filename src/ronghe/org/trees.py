"""Pure helpers for materialized-path trees (no queries)."""


def child_path(parent_path: str, node_id: int) -> str:
    return f"{parent_path}{node_id}/"


def depth_of(path: str) -> int:
    return path.count("/") - 1


def would_cycle(node_path: str, new_parent_path: str) -> bool:
    """Moving a node under its own subtree would make a cycle."""
    return new_parent_path.startswith(node_path)


def parent_of_path(path: str) -> str:
    parts = path.rstrip("/").split("/")
    return "/".join(parts[:-1]) + "/" if len(parts) > 1 else ""


def build_forest(states: dict[int, dict]) -> list[dict]:
    """Nest flat node states ({id: {..., "parent": parent id}}, as OrgChange keeps them) into a
    forest; each node gets a "children" list. Nodes whose parent is absent become roots."""
    nodes = {node_id: {**state, "id": node_id, "children": []} for node_id, state in states.items()}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.get("parent"))
        (parent["children"] if parent else roots).append(node)
    key = lambda n: (n.get("sort_order") or 0, n.get("code") or "")  # noqa: E731
    for node in nodes.values():
        node["children"].sort(key=key)
    roots.sort(key=key)
    return roots
