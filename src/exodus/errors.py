"""Exceptions raised by Exodus, each knowing the HTTP status it maps to.

ExodusError
 ├── InvalidInput        (400)  a record or argument is malformed
 │    ├── RecordError           names the record and the field
 │    └── IdMismatch      (422)  a body names another object than the path it is sent to
 ├── NotAuthenticated    (401)  no valid session or token
 ├── NotFound            (404)
 ├── Conflict            (409)
 ├── PreconditionRequired (428) a change must state the version it edits
 ├── PermissionDenied    (403)
 ├── TooLarge            (413)  an upload or request body over its limit
 ├── TooManyAttempts     (429)  sign-in throttled
 ├── DataSourceError     (422)  a list or reference file could not be read
 ├── DatabaseUnavailable (503)  the database cannot be reached
 └── ServiceUnavailable  (503)  another service (e.g. a Dask scheduler) cannot be reached
"""

from __future__ import annotations


class ExodusError(Exception):
    """Base class; `status` is the HTTP status the API answers with."""

    status = 500

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(ExodusError):
    status = 400


class RecordError(InvalidInput):
    """A record of an input file is invalid; says which record and which field."""

    def __init__(self, record: str, field: str, problem: str) -> None:
        super().__init__(f"{record}: field {field!r}: {problem}")
        self.record = record
        self.field = field
        self.problem = problem


class IdMismatch(InvalidInput):
    status = 422


class NotFound(ExodusError):
    status = 404


class Conflict(ExodusError):
    status = 409


class PreconditionRequired(ExodusError):
    status = 428


class PermissionDenied(ExodusError):
    status = 403


class NotAuthenticated(ExodusError):
    status = 401


class TooLarge(ExodusError):
    status = 413


class TooManyAttempts(ExodusError):
    status = 429


class DataSourceError(ExodusError):
    status = 422


class DatabaseUnavailable(ExodusError):
    status = 503


class ServiceUnavailable(ExodusError):
    status = 503
