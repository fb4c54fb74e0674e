"""Structured logs with a request id that follows a request into the Celery tasks it enqueues.

- RequestIdMiddleware takes the id from the X-Request-ID header (the balancer's, when it sets one and
  it looks like an id) or makes one up, keeps it in a context variable for the request and answers
  it in the X-Request-ID response header.
- Celery: a task published while the variable is set carries it in the message header `request_id`
  (signal before_task_publish); the worker sets the variable around the task (task_prerun /
  task_postrun), so the task's log lines carry the id of the request that caused them.
- RequestIdFilter puts the id on every log record (`-` outside a request or task); JsonFormatter
  writes one JSON object per line (LOG_FORMAT=json, settings.LOGGING).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


def _valid(value: str | None) -> str | None:
    return value if value and _ID.match(value) else None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _valid(request.headers.get(HEADER)) or uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get() or "-"
        return True


# Attributes every LogRecord has; anything else on a record was passed in `extra` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get() or None,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


@before_task_publish.connect(weak=False)
def _publish_request_id(headers=None, **kwargs) -> None:
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


_task_tokens: dict[str, contextvars.Token] = {}


@task_prerun.connect(weak=False)
def _task_started(task_id=None, task=None, **kwargs) -> None:
    request_id = _valid(getattr(task.request, "request_id", None)) if task is not None else None
    if request_id is None and task is not None:
        headers = getattr(task.request, "headers", None) or {}
        request_id = _valid(headers.get("request_id"))
    if task_id:
        # An eager task (no broker) runs inside its request: it keeps the request's id.
        _task_tokens[task_id] = request_id_var.set(request_id or request_id_var.get())


@task_postrun.connect(weak=False)
def _task_finished(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (eager task inside a request): just clear it
            request_id_var.set(None)
