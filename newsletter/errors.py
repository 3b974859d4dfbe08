"""One base error to catch, its kinds, and the exit codes they map to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, listed in the README."""

    OK = 0
    FAILURE = 1  # network, provider, a check at error level, an issue that does not parse
    USAGE = 2  # a bad command line, a missing file, a bad configuration
    INTERRUPTED = 130  # Ctrl-C, as shells report it


class NewsletterError(Exception):
    """Base of every error the core raises on purpose; the CLI prints it without a traceback.

    `message` says what happened on which input, `problems` one line per detail (a config field,
    a line of the issue), `hint` what to do next, all in plain words.
    """

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, problems: list[str] | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.hint = hint


class UsageError(NewsletterError):
    """The command was given something it cannot use (a missing file, a bad option value)."""

    exit_code = ExitCode.USAGE


class ConfigError(NewsletterError):
    """newsletter.toml is missing, unreadable or invalid; `problems` holds one line per field."""

    exit_code = ExitCode.USAGE


class IssueError(NewsletterError):
    """The issue file cannot be read or parsed; `problems` are 'file:line: message' lines."""


class TemplateError(NewsletterError):
    """A theme template failed to render or produced MJML that does not compile."""


class OutputError(NewsletterError):
    """A result could not be written (permissions, disk full, a file where a folder should be)."""


class SourceError(NewsletterError):
    """A feed or the actor map could not be fetched or read.

    `unreachable` says the site could not be reached at all (name resolution, connection
    refused): when every source fails that way, the computer is probably offline.
    """

    def __init__(self, message: str, *, hint: str | None = None, unreachable: bool = False) -> None:
        super().__init__(message, hint=hint)
        self.unreachable = unreachable


class ProviderError(NewsletterError):
    """The mailing provider refused a call or could not be reached."""


class StateError(NewsletterError):
    """A state file is corrupt or belongs to something else."""


class NoCampaignError(NewsletterError):
    """An issue asked for has no campaign in the state."""


class SendCancelledError(NewsletterError):
    """The user answered no to the confirmation."""


class CampaignRefusedError(ProviderError):
    """The campaign's status forbids what was asked (already sent, scheduled for --now, unknown)."""


class WorkspaceBusyError(NewsletterError):
    """Another newsletter command holds the workspace lock and did not finish in time."""


class PublishError(NewsletterError):
    """The site could not be put online: the server refused, could not be reached, or failed.

    Nothing is half-published: a file is uploaded under a temporary name and renamed, and the
    manifest in the state records only the files that arrived, so the next publish completes it.
    """


class HostKeyError(PublishError):
    """The SFTP server's host key is not known (or changed): nothing was sent, not even the password."""


class ImagesOfflineError(NewsletterError):
    """Images the email links under web_url do not answer: sending now would mail broken images."""


class DefiDataError(NewsletterError):
    """A Défi input file has bad rows or columns; `problems` holds one line per problem, with its row."""
