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
from pathlib import Path

from newsletter.errors import PublishError
from newsletter.i18n import _
from newsletter.publish.remote import BytesSent, Connection
from newsletter.publish.target import PublishTarget

AUTHOR = ("newsletter", "newsletter@localhost")


class GitRemote:
    """A branch of a Git repository, checked out shallow in a temporary folder until `finish` pushes it."""

    transactional = True

    def __init__(self, target: PublishTarget, work: Path, timeout: float) -> None:
        self.target = target
        self.work = work
        self.timeout = timeout

    def _git(self, *args: str, cwd: Path | None = None, doing: str) -> str:
        env = {
            **os.environ,
            "GIT_TERMINAL_PROMPT": "0",  # never wait for a password nobody will type
            "GIT_SSH_COMMAND": f"ssh -o BatchMode=yes -o ConnectTimeout={max(1, round(self.timeout))}",
            "LC_ALL": "C",
        }
        try:
            done = subprocess.run(
                ["git", *args], cwd=cwd or self.work, env=env, capture_output=True, text=True,
                timeout=max(self.timeout * 4, 10), check=False,
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
            reason = (done.stderr.strip().splitlines() or [_("exit status {code}").format(code=done.returncode)])[-1]
            raise PublishError(
                _("git failed {doing} {target}: {reason}").format(doing=doing, target=self.target.display, reason=reason),
                hint=_("check the repository address in [publish] target and that you may push to it (try `git ls-remote {url}`)").format(
                    url=self.target.git_url
                ),
            )
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
        staged = subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=self.work, check=False, capture_output=True)
        if staged.returncode == 0:
            return  # the branch already holds exactly this site
        name, email = AUTHOR
        self._git("-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-q", "-m", message, doing=_("committing the site for"))
        self._git("push", "-q", self.target.git_url, f"HEAD:refs/heads/{self.target.branch}", doing=_("pushing to"))

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
