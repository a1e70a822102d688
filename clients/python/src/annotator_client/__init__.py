"""annotator-client: a typed Python client for the annotator REST API, with a command line
(``annotator``). Offsets are Unicode code points everywhere."""

from .client import Client
from .errors import (
    AnnotatorError,
    Conflict,
    InvalidInput,
    JobFailed,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ServerUnavailable,
    StaleVersion,
    Throttled,
    TooLarge,
    VersionRequired,
)
from .exports import ExportStream
from .frames import to_hf_dataset, to_pandas, to_spacy
from .mirror import open_mirror

__all__ = [
    "AnnotatorError",
    "Client",
    "Conflict",
    "ExportStream",
    "InvalidInput",
    "JobFailed",
    "NotAuthenticated",
    "NotFound",
    "PermissionDenied",
    "ServerUnavailable",
    "StaleVersion",
    "Throttled",
    "TooLarge",
    "VersionRequired",
    "open_mirror",
    "to_hf_dataset",
    "to_pandas",
    "to_spacy",
]
__version__ = "0.1.0"
