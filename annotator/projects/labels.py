"""The rules of label names, beside the Label model: every writer of a label (the schema
editor's services, the import) applies them.

Pure: no Django imports, so the importer can check a file's names before it writes anything.
"""

from annotator.common.errors import InvalidInput
from annotator.common.text import check_storable

LABEL_NAME_MAX_LENGTH = 100


def label_name_normal(name: str) -> str:
    """A label name as it is stored and looked up: without surrounding whitespace."""
    return (name or "").strip()


def label_name_fits(name: str) -> bool:
    """Whether a normalised label name is 1 to 100 characters long."""
    return 0 < len(name) <= LABEL_NAME_MAX_LENGTH


def label_name_clean(name: str, field: str = "name") -> str:
    """The normalised label name, once it fits and is storable; else InvalidInput on ``field``."""
    name = label_name_normal(name)
    if not name:
        raise InvalidInput(f"{field} may not be blank", fields={field: ["may not be blank"]})
    if not label_name_fits(name):
        raise InvalidInput(
            f"{field} is too long", fields={field: [f"at most {LABEL_NAME_MAX_LENGTH} characters"]}
        )
    check_storable(name, field)
    return name
