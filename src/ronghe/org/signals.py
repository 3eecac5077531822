"""Signals of organisation changes, for modules whose data hangs off the unit tree (org imports
none of them). Sent inside the change's transaction, after the paths are rewritten, so a
receiver's writes commit or roll back with the change.

- ``unit_moved(sender=Unit, actor, unit, old_parent, new_parent)``: a unit and its subtree now lie
  under `new_parent` (either parent may be None: the top level).
- ``units_merged(sender=Unit, actor, unit, into, children)``: `unit` ended, merged into `into`; its
  active `children` were moved under `into` first (no ``unit_moved`` is sent for them)."""
from django.dispatch import Signal

unit_moved = Signal()
units_merged = Signal()
