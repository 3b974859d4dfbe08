"""Git targets (`git+ssh://`, `git+file://`): the site is committed on a branch and pushed, all at once.

Through the `git` command, so the user's SSH setup (agent, keys, ~/.ssh/config, known_hosts)
applies as it does for her own pushes. The branch is fetched shallow into a temporary folder,
the changed files are written there, and one commit is pushed: a failed push changes nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from newsletter.errors import PublishError
from newsletter.i18n import _
from newsletter.publish.remote import BytesSent, Connection
from newsletter.publish.target import PublishTarget

AUTHOR = ("newsletter", "newsletter@localhost")


def ssh_command(timeout: float) -> str:
    """The ssh that git runs: never asks anything (BatchMode: no password, passphrase or host-key prompt)."""
    return f"ssh -o BatchMode=yes -o ConnectTimeout={max(1, round(timeout))}"


def git_environment(base: Mapping[str, str], timeout: float) -> dict[str, str]:
    """The environment of every git command: no prompt can wait for a person who is not there."""
    return {
        **base,
        "GIT_TERMINAL_PROMPT": "0",  # https: never ask for a user name or password
        "GIT_SSH_COMMAND": ssh_command(timeout),
        "LC_ALL": "C",  # git's messages in English, so the checks in explain_failure hold
    }


def explain_failure(target: PublishTarget, stderr: str, status: int, *, doing: str) -> PublishError:
    """A failed git command in plain words, with git's own lines (the hook's `remote:` ones too) as problems."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    text = "\n".join(lines)
    retry = _("then run `newsletter publish` again")
    if "Host key verification failed" in text:
        return PublishError(
            _("the SSH host key of {host} is unknown or changed, so git refused to connect; nothing was sent").format(host=target.host),
            problems=lines,
            hint=_("connect once with `ssh {where}` in a terminal, check the fingerprint with the server's administrator and accept it; {retry}").format(
                where=f"-p {target.port} {target.user + '@' if target.user else ''}{target.host}" if target.port else f"{target.user + '@' if target.user else ''}{target.host}",
                retry=retry,
            ),
        )
    if "Permission denied (publickey" in text or "Permission denied, please try again" in text:
        return PublishError(
            _("{host} refused your SSH key for user '{user}'; nothing was sent").format(host=target.host, user=target.user or ""),
            problems=lines,
            hint=_("add your key to the SSH agent (`ssh-add`) and check that the repository knows it (a deploy key with write access); {retry}").format(retry=retry),
        )
    if "[remote rejected]" in text or "hook declined" in text:
        said = [line for line in lines if line.startswith("remote:")] or lines
        return PublishError(
            _("the repository {target} refused the push").format(target=target.display),
            problems=said,
            hint=_("the server's hook (or a branch protection) gave its reason: fix that, or ask the repository's administrator; {retry}").format(retry=retry),
        )
    if "[rejected]" in text:
        return PublishError(
            _("the branch {branch} of {target} changed on the server while publishing").format(
                branch=target.branch, target=target.display
            ),
            problems=lines,
            hint=_("someone else pushed to it; {retry}: newsletter starts from the new state of the branch").format(retry=retry),
        )
    reason = lines[-1] if lines else _("exit status {status}").format(status=status)
    return PublishError(
        _("git failed {doing} {target}: {reason}").format(doing=doing, target=target.display, reason=reason),
        problems=lines[:-1],
        hint=_("check the repository address in [publish] target and that you may push to it (try `git ls-remote {url}`)").format(
            url=target.git_url
        ),
    )


class GitRemote:
    """A branch of a Git repository, checked out shallow in a temporary folder until `finish` pushes it."""

    transactional = True

    def __init__(self, target: PublishTarget, work: Path, timeout: float) -> None:
        self.target = target
        self.work = work
        self.timeout = timeout

    def _git(self, *args: str, cwd: Path | None = None, doing: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=cwd or self.work, env=git_environment(os.environ, self.timeout), capture_output=True, text=True,
                stdin=subprocess.DEVNULL, timeout=max(self.timeout * 4, 10), check=False,
            )
        except FileNotFoundError:
            raise PublishError(
                _("the `git` command is not installed, and a git+ target needs it"),
                hint=_("install Git (https://git-scm.com/), or choose an sftp://, ftp:// or file:// target"),
            ) from None
        except subprocess.TimeoutExpired:
            raise PublishError(
                _("git did not finish {doing} on {target} in time").format(doing=doing, target=self.target.display),
                hint=_("check your connection, then run `newsletter publish` again"),
            ) from None
        if done.returncode != 0:
            raise explain_failure(self.target, done.stderr, done.returncode, doing=doing)
        return done.stdout

    @classmethod
    def connect(cls, target: PublishTarget, connection: Connection) -> GitRemote:
        """Fetch the branch (or start it, in a repository that lacks it) in a temporary folder."""
        remote = cls(target, Path(tempfile.mkdtemp(prefix="newsletter-publish-")), connection.timeout)
        try:
            heads = remote._git("ls-remote", "--heads", target.git_url, f"refs/heads/{target.branch}", doing=_("reading"))
            remote._git("init", "-q", doing=_("preparing a copy of"))
            if heads.strip():
                remote._git("fetch", "-q", "--depth", "1", target.git_url, f"refs/heads/{target.branch}", doing=_("fetching"))
                remote._git("checkout", "-q", "-B", target.branch, "FETCH_HEAD", doing=_("checking out"))
            else:
                remote._git("checkout", "-q", "--orphan", target.branch, doing=_("starting the branch of"))
        except PublishError:
            remote.close()
            raise
        return remote

    def put(self, path: str, data: bytes, sent: BytesSent) -> None:
        destination = self.work / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
        sent(len(data))

    def remove(self, path: str) -> None:
        (self.work / path).unlink(missing_ok=True)

    def finish(self, message: str) -> None:
        self._git("add", "-A", doing=_("staging the site for"))
        staged = subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=self.work, check=False, capture_output=True, stdin=subprocess.DEVNULL)
        if staged.returncode == 0:
            return  # the branch already holds exactly this site
        name, email = AUTHOR
        self._git("-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-q", "-m", message, doing=_("committing the site for"))
        self._git("push", "-q", self.target.git_url, f"HEAD:refs/heads/{self.target.branch}", doing=_("pushing to"))

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
