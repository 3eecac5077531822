"""Which importer handles which kind of file. Each app declares its importers in its own
`importers.py` with `@register`; the registry imports those modules on first use, so core never
imports the apps that build on it."""
from django.utils.module_loading import autodiscover_modules

_importers: dict = {}
_discovered = False


def register(importer_class):
    """Class decorator: make `importer_class` available under its `kind`."""
    if not importer_class.kind:
        raise ValueError(f"{importer_class.__name__} has no kind")
    _importers[importer_class.kind] = importer_class
    return importer_class


def _discover():
    global _discovered
    if not _discovered:
        autodiscover_modules("importers")
        _discovered = True


def importer_for(kind):
    """The importer class registered for `kind`, or None."""
    _discover()
    return _importers.get(kind)


def all_importers() -> dict:
    _discover()
    return dict(_importers)
