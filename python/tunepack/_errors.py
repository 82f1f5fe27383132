"""The exceptions tunepack raises: one class per kind of failure, all under tunepack.Error.

The message is the library's, the one the command line prints after "tunepack: ", with
option names spelled as keyword arguments (max_tokens rather than --max-tokens). Template
errors start with "<name>:<line>:<column>: ".
"""


class Error(Exception):
    """Base class of every error tunepack raises. `code` names the kind ("invalid_argument")."""

    code = "unknown"


class InvalidArgumentError(Error, ValueError):
    """Bad input or option: a template that does not parse, a value outside its choices."""

    code = "invalid_argument"


class NotFoundError(Error, FileNotFoundError):
    """A named file, tokenizer, field or entry does not exist."""

    code = "not_found"


class AlreadyExistsError(Error, FileExistsError):
    """An output that must not be overwritten (see the overwrite option)."""

    code = "already_exists"


class PermissionDeniedError(Error, PermissionError):
    """The caller may not do this."""

    code = "permission_denied"


class ResourceExhaustedError(Error):
    """A size or count limit was reached (a template's loop or output limit, a huge record)."""

    code = "resource_exhausted"


class FailedPreconditionError(Error):
    """The system is not in the state the call needs (an output folder holding another export)."""

    code = "failed_precondition"


class OutOfRangeError(Error, IndexError):
    """A position or value past the valid range (a token id outside the vocabulary)."""

    code = "out_of_range"


class UnimplementedError(Error, NotImplementedError):
    """A feature or conversion that is not supported."""

    code = "unimplemented"


class CancelledError(Error):
    """The operation was stopped on request."""

    code = "cancelled"


class InternalError(Error):
    """A broken invariant: a bug in tunepack."""

    code = "internal"


class DataLossError(Error):
    """Unrecoverable loss or corruption of data."""

    code = "data_loss"


_BY_CODE = {cls.code: cls for cls in Error.__subclasses__()}


def error_class(code):
    """Returns the class raised for the status code named `code` (Error when none is specific)."""
    return _BY_CODE.get(code, Error)

# Shown as tunepack.InvalidArgumentError, the name a caller catches.
for _cls in [Error, *_BY_CODE.values()]:
    _cls.__module__ = "tunepack"
