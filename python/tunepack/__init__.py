"""tunepack from Python: exact tokenizers, Jinja2 and chat templates, and dataset exports.

    >>> import tunepack
    >>> tunepack.Tokenizer("cl100k_base").encode("hello world")
    [15339, 1917]

Every call that does real work releases the GIL; batch calls run on tunepack's own threads.
Errors raise tunepack.Error subclasses carrying the command line's messages.
"""

from tunepack._errors import (
    AlreadyExistsError,
    CancelledError,
    DataLossError,
    Error,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnimplementedError,
)
from tunepack._export import ExportWarning, convert, export
from tunepack._native import ChatTemplate, Tokenizer, __version__, render, tokenizers
from tunepack._read import read
from tunepack._validate import validate

__all__ = [
    "AlreadyExistsError",
    "CancelledError",
    "ChatTemplate",
    "DataLossError",
    "Error",
    "ExportWarning",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "Tokenizer",
    "UnimplementedError",
    "__version__",
    "convert",
    "export",
    "read",
    "render",
    "tokenizers",
    "validate",
]
