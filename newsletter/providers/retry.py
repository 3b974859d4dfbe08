"""HTTP calls to a provider with bounded retries that never repeat a call unsafe to repeat.

- 429: the request was refused before it acted, so it is retried for every method, after the
  delay the provider asks for (Brevo `x-sib-ratelimit-reset` in seconds, `Retry-After`), or
  after an exponential backoff when it says nothing (Mailjet).
- 5xx, timeouts and dropped connections: retried with backoff and jitter only for `safe` calls
  (reads and full-replace PUTs). For an unsafe call (a create, a send) the outcome is unknown:
  OutcomeUnknownError, and the caller looks before it acts again.
- A connection that could not even be opened never reached the server: always retried.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

import httpx
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from newsletter import formats
from newsletter.errors import ProviderError
from newsletter.i18n import _, ngettext
from newsletter.providers.base import NotFoundError, OutcomeUnknownError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How many times and how long to wait; `sleep` and `rng` are collaborators (a test passes a
    recording `sleep` that does not wait, e.g. `RetryPolicy(sleep=waits.append)`)."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for retry number `attempt` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2.0 ** (attempt - 1)))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


def retry_after(response: httpx.Response) -> float | None:
    """Seconds the provider asks us to wait, from its headers (None when it says nothing)."""
    for header in ("retry-after", "x-sib-ratelimit-reset"):
        value = response.headers.get(header)
        if value is None:
            continue
        try:
            return max(0.0, float(value))
        except ValueError:
            continue
    return None


@dataclass
class ApiClient:
    """One provider's HTTP API: `call` sends, retries what is safe, and counts the calls.

    Safe to share between threads (`newsletter stats` reads several campaigns at once): httpx's
    connection pool is, and the call counter is updated under a lock.
    """

    client: httpx.Client
    provider: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def call(
        self,
        method: str,
        path: str,
        *,
        safe: bool,
        json: object = None,
        params: Mapping[str, str | int] | None = None,
    ) -> httpx.Response:
        """Send one request; return the final response (any status) or raise ProviderError."""
        what = f"{method} {path}"
        last_problem = ""
        for attempt in range(1, self.policy.attempts + 1):
            with self._lock:
                self.calls += 1
            try:
                response = self.client.request(method, path, json=json, params=params)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                last_problem = _("cannot connect ({reason})").format(reason=type(exc).__name__)
            except httpx.TransportError as exc:
                if isinstance(exc, httpx.TimeoutException):
                    last_problem = _("no answer in time")
                else:
                    last_problem = _("connection lost ({reason})").format(reason=type(exc).__name__)
                if not safe:
                    raise OutcomeUnknownError(_unknown_outcome(self.provider, what, last_problem)) from exc
            else:
                if response.status_code == 429:
                    wait = retry_after(response)
                    last_problem = _("rate limited (HTTP 429)")
                    if attempt < self.policy.attempts:
                        delay = self.policy.backoff(attempt) if wait is None else wait + self.policy.rng.uniform(0, 0.1)
                        if delay > self.policy.max_delay:
                            seconds = round(delay)
                            raise ProviderError(
                                ngettext(
                                    "{provider} is rate limiting this account for {n} more second ({what})",
                                    "{provider} is rate limiting this account for {n} more seconds ({what})",
                                    seconds,
                                ).format(provider=self.provider, n=formats.integer(seconds), what=what),
                                hint=_("wait that long and run the same command again; nothing is duplicated"),
                            )
                        logger.info(
                            _("{provider}: {problem}; waiting {seconds} s (attempt {attempt})").format(
                                provider=self.provider, problem=last_problem, seconds=formats.decimal(delay), attempt=attempt
                            )
                        )
                        self.policy.sleep(delay)
                        continue
                    break
                if response.status_code >= 500:
                    last_problem = _("server error (HTTP {status})").format(status=response.status_code)
                    if not safe:
                        raise OutcomeUnknownError(_unknown_outcome(self.provider, what, last_problem))
                else:
                    return response
            if attempt < self.policy.attempts:
                delay = self.policy.backoff(attempt)
                logger.info(
                    _("{provider}: {what}: {problem}; retrying in {seconds} s").format(
                        provider=self.provider, what=what, problem=last_problem, seconds=formats.decimal(delay)
                    )
                )
                self.policy.sleep(delay)
        raise ProviderError(
            ngettext(
                "{provider}: {what} failed after {n} attempt: {problem}", "{provider}: {what} failed after {n} attempts: {problem}", self.policy.attempts
            ).format(provider=self.provider, what=what, n=formats.integer(self.policy.attempts), problem=last_problem),
            hint=_("the provider may be down or slow; wait a few minutes and run the same command again (it never duplicates)"),
        )


def _unknown_outcome(provider: str, what: str, problem: str) -> str:
    return _("{provider}: {what}: {problem}; it may or may not have been done").format(provider=provider, what=what, problem=problem)


def error_detail(response: httpx.Response) -> str:
    """The provider's own words for an error: JSON message/code, or the start of the raw text."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return text[:200] if text and not text.lstrip().startswith("<") else ""
    if isinstance(body, dict):
        message = body.get("message") or body.get("ErrorMessage") or ""
        code = body.get("code") or ""
        return f"{message} ({code})" if code and message else str(message or code)
    return ""


def raise_for_error(response: httpx.Response, *, provider: str, what: str, key_vars: str) -> None:
    """Turn a 4xx answer into a ProviderError in plain words (the key is never part of it)."""
    status = response.status_code
    if status < 400:
        return
    detail = error_detail(response)
    request_id = response.headers.get("sib-request-id")
    if request_id:
        logger.info(_("{provider} request id for the failed call {what}: {id}").format(provider=provider, what=what, id=request_id))
    suffix = f": {detail}" if detail else ""
    if status in (401, 403):
        raise ProviderError(
            _("{provider} refused the API key (HTTP {status}{detail})").format(provider=provider, status=status, detail=suffix),
            hint=_(
                "check {variables}: copy the key again from the provider's account page (and allow this computer's IP address if the provider asks)"
            ).format(variables=key_vars),
        )
    if status == 402:
        raise ProviderError(
            _("{provider} refused {what}: not enough credits on the account (HTTP 402{detail})").format(provider=provider, what=what, detail=suffix),
            hint=_("buy credits or upgrade the plan on the provider's site, then run the same command again"),
        )
    if status == 404:
        raise NotFoundError(_("{provider}: {what}: not found (HTTP 404{detail})").format(provider=provider, what=what, detail=suffix))
    raise ProviderError(_("{provider} refused {what} (HTTP {status}{detail})").format(provider=provider, what=what, status=status, detail=suffix))


# -- the providers' answers, typed ------------------------------------------------------------------


def _to_count(value: object) -> int:
    """A counter: absent, null, negative or unreadable is 0 (providers leave counters out when empty)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0
    try:
        return max(0, int(value))
    except ValueError:
        return 0


def _to_text(value: object) -> object:
    return "" if value is None else value


#: A counter from a statistics or list object (see `_to_count`).
Count = Annotated[int, BeforeValidator(_to_count)]
#: A text field a provider may send as null.
Text = Annotated[str, BeforeValidator(_to_text)]


class Payload(BaseModel):
    """Base of the models of the providers' answers: fields we do not use are ignored, so a
    provider adding one breaks nothing."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Ignored(Payload):
    """An answer whose content we do not use (only that it came, as JSON)."""


P = TypeVar("P", bound=BaseModel)


def parse_payload(model: type[P], data: object, *, provider: str, what: str) -> P:
    """Validate a provider's JSON answer; ProviderError in plain words when it is not what its API documents."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        place = " / ".join(str(part) for part in error["loc"])
        where = place or _("the body")
        if error["type"] == "missing":
            problem = _("{place} is missing").format(place=where)
        else:
            problem = _("{place} = {value} is not the expected kind of value").format(place=where, value=repr(str(error.get("input"))[:60]))
        raise ProviderError(
            _("{provider} answered {what} with a body that is not what its API documents ({problem})").format(provider=provider, what=what, problem=problem),
            hint=_("the provider may have changed its API or be having trouble; try again later, and tell the maintainers if it lasts"),
        ) from None
