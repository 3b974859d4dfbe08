"""`newsletter send`: render, preflight, create-or-update the campaign, then test, schedule or send.

Idempotency is ours (neither provider has idempotency keys): the campaign id of each issue and
provider goes into state/campaigns.json the moment it is known; without it the campaign is found
again by its name. Its status is read from the provider before anything that delivers mail, so a
campaign is never sent twice, and a create whose outcome is unknown is looked up before it is
tried again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from newsletter import formats
from newsletter.campaigns import (
    SEND_STATUSES,
    CampaignRecord,
    IssueDigest,
    Observation,
    follow_provider,
    load_state,
    mark_status,
    record_campaign,
    record_test,
)
from newsletter.config import Settings
from newsletter.digest import issue_digest
from newsletter.errors import (
    CampaignRefusedError,
    NewsletterError,
    ProviderError,
    SendCancelledError,
    StateError,
    UsageError,
)
from newsletter.i18n import _
from newsletter.issue import load_issue
from newsletter.message import check_addresses, parse_schedule, prepare_message, sender_of
from newsletter.providers.base import (
    Campaign,
    CampaignProvider,
    MailingList,
    MaybeSentError,
    Message,
    OutcomeUnknownError,
    SendInterruptedError,
    Status,
)
from newsletter.providers.outbox import OutboxProvider

logger = logging.getLogger(__name__)

def _moment(moment: dt.datetime, settings: Settings) -> str:
    """A time as the user reads it, in the newsletter's time zone: 'December 8, 2026 at 09:30'."""
    local = moment.astimezone(settings.tz)
    return _("{date} at {time}").format(date=formats.long_date(local.date()), time=local.strftime("%H:%M"))


CREATE_ATTEMPTS = 2  # a second create only after a lookup by name found nothing
#: Sending is asynchronous on Brevo (sendNow: 204 "has been scheduled") and Mailjet (send:
#: "programmed"): for a while after a send request the campaign may still read as a draft. Only a
#: draft still untouched this long after the request is taken as "not sent".
SEND_GRACE = dt.timedelta(minutes=30)


class Action(StrEnum):
    """What `send` does after the campaign is up to date."""

    push = "push"
    test = "test"
    schedule = "schedule"
    now = "now"


@dataclass(frozen=True)
class Confirmation:
    """What the user is asked before mail goes to the lists."""

    provider: str
    subject: str
    lists: list[MailingList]
    when: dt.datetime | None  # None: now
    moving_from: dt.datetime | None = None
    warnings: tuple[str, ...] = ()  # the check's warnings on the issue, shown before the question

    @property
    def subscribers(self) -> int:
        return sum(lst.subscribers for lst in self.lists)


@dataclass(frozen=True)
class SendReport:
    """What is on the provider after the command (or would be, with --dry-run)."""

    provider: str
    name: str
    subject: str
    sender: str
    lists: list[MailingList]
    campaign_id: str | None
    status: str
    url: str | None
    scheduled_at: dt.datetime | None
    dry_run: bool
    actions: list[str] = field(default_factory=list)  # what was done (or would be done)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Run:
    """One send: the collaborators and what has happened so far (for honest error messages)."""

    settings: Settings
    provider: CampaignProvider
    message: Message
    now: Callable[[], dt.datetime]
    dry_run: bool
    campaign: Campaign | None = None
    status: Status | None = None
    actions: list[str] = field(default_factory=list)
    # Kept in the state when the issue goes to the lists, for `newsletter report`.
    subscribers: int | None = None
    digest: IssueDigest | None = None

    @property
    def state_dir(self) -> Path:
        return self.settings.state_dir

    def remember(self, campaign_id: str, status: Status) -> None:
        if not self.dry_run:
            record_campaign(
                self.state_dir, issue=self.message.issue, provider=self.provider.name,
                campaign_id=campaign_id, name=self.message.name, status=status.value, now=self.now(),
            )

    def where(self) -> str:
        """One sentence on the campaign's state, appended to a provider error."""
        if self.campaign is None:
            record = load_state(self.state_dir).get(self.message.issue, self.provider.name)
            if record is not None:
                return _(
                    "The campaign {name} (id {id}) on {provider} was last known as {status}; nothing was sent to the lists by this command."
                ).format(name=self.message.name, id=record.id, provider=self.provider.name, status=record.status)
            return _("No campaign {name} was created on {provider}.").format(name=self.message.name, provider=self.provider.name)
        status = (self.status or self.campaign.status).value
        return _("The campaign {name} (id {id}) on {provider} is {status}; nothing was sent to the lists by this command.").format(
            name=self.message.name, id=self.campaign.id, provider=self.provider.name, status=status
        )


def _find(run: _Run) -> Campaign | None:
    """The campaign from the state (checked on the provider), else found by its name."""
    record = load_state(run.state_dir).get(run.message.issue, run.provider.name)
    if record is not None:
        if record.name != run.message.name:
            raise StateError(
                _(
                    "the state file {path} records campaign '{recorded}' for issue {issue} on {provider}, but this issue's campaign is '{name}'"
                ).format(path=load_state(run.state_dir).path, recorded=record.name, issue=run.message.issue, provider=run.provider.name, name=run.message.name),
                hint=_("fix or delete that entry by hand; the campaign is then found on the provider by its name"),
            )
        campaign = run.provider.get_campaign(record.id)
        if campaign is not None:
            if campaign.name == run.message.name and not run.dry_run:
                # Whatever happens next, the state follows what the provider shows (a scheduled
                # campaign it has sent since, a send whose answer was lost).
                follow_provider(run.state_dir, [_observation(run, campaign)], now=run.now())
            if campaign.name != run.message.name:
                # A state file copied from another workspace or account: its id names someone
                # else's campaign, which an update, a test or a send would overwrite or mail.
                raise StateError(
                    _(
                        "the state file {path} says campaign {id} on {provider} is issue {issue}'s, but on {provider} that campaign "
                        "is named '{found}', not '{name}': it is another campaign, so nothing was changed or sent"
                    ).format(
                        path=load_state(run.state_dir).path, id=record.id, provider=run.provider.name, issue=run.message.issue,
                        found=campaign.name, name=run.message.name,
                    ),
                    hint=_(
                        "if the state file comes from another workspace or account, delete the entry of issue {issue} "
                        "in it (the campaign is then found by its name), or put this workspace's own state file back"
                    ).format(issue=run.message.issue),
                )
            return campaign
        logger.warning(
            _("{provider} no longer has campaign {id} recorded for {issue}; looking for it by name").format(
                provider=run.provider.name, id=record.id, issue=run.message.issue
            )
        )
    campaign = run.provider.find_campaign(run.message.name)
    if campaign is not None:
        logger.info(_("found campaign {name} (id {id}) on {provider} by its name").format(name=campaign.name, id=campaign.id, provider=run.provider.name))
        run.remember(campaign.id, campaign.status)
    return campaign


def _observation(run: _Run, campaign: Campaign) -> Observation:
    return Observation(run.message.issue, run.provider.name, campaign.status.value, campaign.sent_at, campaign.scheduled_at)


def _refuse_if_maybe_sent(run: _Run, campaign: Campaign, record: CampaignRecord | None) -> str | None:
    """Refuse to touch a campaign this tool asked to send while the provider may still be sending it.

    Returns a warning when the provider still shows an untouched draft after SEND_GRACE (the
    send did not happen, so the command goes on); raises CampaignRefusedError before that.
    """
    if record is None or record.status not in SEND_STATUSES or campaign.status not in (Status.draft, Status.suspended):
        return None
    asked = dt.datetime.fromisoformat(record.send_requested_at or record.updated_at)
    until = asked + SEND_GRACE
    if campaign.sent_at is None and run.now() >= until:
        return _(
            "the state says {state} since {moment}, but {provider} still shows an untouched {status} {minutes} minutes later: that send did not happen"
        ).format(
            state=record.status, moment=_moment(asked, run.settings), provider=run.provider.name, status=campaign.status.value,
            minutes=formats.integer(int(SEND_GRACE.total_seconds() // 60)),
        )
    raise CampaignRefusedError(
        _(
            "a send of campaign {name} (id {id}) was asked of {provider} on {moment} (the state says {state}), and sending is "
            "asynchronous: the list may have been mailed, even though {provider} shows it as {status} for now. Nothing was changed"
        ).format(
            name=campaign.name, id=campaign.id, provider=run.provider.name, moment=_moment(asked, run.settings), state=record.status,
            status=campaign.status.value,
        ),
        hint=_(
            "do not send it another way; check with `newsletter stats` or in {provider}'s interface. If {provider} "
            "still shows an untouched draft after {moment}, the same command sends it then"
        ).format(provider=run.provider.name, moment=_moment(until, run.settings)),
    )


def _refuse_if_sent_but_gone(run: _Run, record: CampaignRecord | None) -> None:
    """The state says the list was (or may have been) mailed, yet the provider has no such
    campaign any more (deleted in its interface, a listing that lags): creating a new one
    could mail the list a second time, so nothing is done until a person has looked."""
    if record is None or record.status not in SEND_STATUSES:
        return
    state = record.status
    if record.send_requested_at:
        asked = _moment(dt.datetime.fromisoformat(record.send_requested_at), run.settings)
        state = _("{status} (asked on {moment})").format(status=record.status, moment=asked)
    raise CampaignRefusedError(
        _(
            "the state says campaign {id} of issue {issue} was {state}, but {provider} no longer has it (by id or by name "
            "'{name}'); nothing was created or sent, so the list is not mailed twice"
        ).format(id=record.id, issue=run.message.issue, state=state, provider=run.provider.name, name=run.message.name),
        hint=_(
            "look in {provider}'s interface whether the issue went out; to send it anyway, delete the entry of "
            "issue {issue} in state/campaigns.json, then run the command again"
        ).format(provider=run.provider.name, issue=run.message.issue),
    )


def _refuse_if_untouchable(campaign: Campaign, action: Action, provider: str, settings: Settings) -> None:
    if campaign.status in (Status.sent, Status.sending):
        raise CampaignRefusedError(
            _(
                "the campaign {name} (id {id}) on {provider} has already been sent (status {status}); "
                "a campaign is never sent twice, and nothing was changed"
            ).format(name=campaign.name, id=campaign.id, provider=provider, status=campaign.raw_status),
            hint=_("to send this issue again, make a new issue file (a new name); to change the state by hand, see state/campaigns.json"),
        )
    if campaign.status is Status.unknown:
        raise CampaignRefusedError(
            _("the campaign {name} (id {id}) on {provider} has the status '{status}', which newsletter does not touch; nothing was changed").format(
                name=campaign.name, id=campaign.id, provider=provider, status=campaign.raw_status
            ),
            hint=_("look at it in the provider's web interface"),
        )
    if action is Action.now and campaign.status is Status.scheduled:
        if campaign.scheduled_at:
            message = _(
                "the campaign {name} (id {id}) on {provider} is already scheduled for {moment}; --now does not send a scheduled campaign"
            ).format(name=campaign.name, id=campaign.id, provider=provider, moment=_moment(campaign.scheduled_at, settings))
        else:
            message = _("the campaign {name} (id {id}) on {provider} is already scheduled; --now does not send a scheduled campaign").format(
                name=campaign.name, id=campaign.id, provider=provider
            )
        raise CampaignRefusedError(
            message,
            hint=_('to send it earlier, move the schedule with --schedule "YYYY-MM-DD HH:MM", for example --schedule "2026-12-08 09:30"'),
        )


def _create(run: _Run, schedule_at: dt.datetime | None) -> Campaign:
    """Create the campaign; a create whose outcome is unknown is looked up by name before any retry."""
    created: list[str] = []

    def on_created(campaign_id: str) -> None:
        created.append(campaign_id)
        run.campaign = Campaign(campaign_id, run.message.name, Status.draft, "draft", run.message.subject)
        run.remember(campaign_id, Status.draft)

    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            run.provider.create_campaign(run.message, schedule_at=schedule_at, on_created=on_created)
        except OutcomeUnknownError as exc:
            if created:
                raise  # the campaign exists (its id is recorded); a later step failed
            logger.warning(_("{reason}; looking the campaign up by its name before anything else").format(reason=exc.message))
            found = run.provider.find_campaign(run.message.name)
            if found is not None:
                run.campaign = found
                run.remember(found.id, found.status)
                run.actions.append(_("found campaign {id} that the interrupted create had made").format(id=found.id))
                if found.status in (Status.draft, Status.suspended, Status.scheduled):
                    # Its content or schedule may be incomplete: write them again (safe to repeat).
                    run.provider.update_campaign(found, run.message, schedule_at=schedule_at)
                return found
            if attempt == CREATE_ATTEMPTS:
                raise ProviderError(
                    _("{reason}; no campaign named {name} exists on {provider}").format(reason=exc.message, name=run.message.name, provider=run.provider.name),
                    hint=_("try again in a few minutes"),
                ) from exc
            continue
        break
    run.actions.append(_("created campaign {id}").format(id=created[0]))
    status = Status.scheduled if schedule_at is not None else Status.draft
    return Campaign(created[0], run.message.name, status, status.value, run.message.subject, scheduled_at=schedule_at)


def check_request(
    settings: Settings, *, action: Action, test_to: Sequence[str], schedule: str | None, now: dt.datetime
) -> tuple[dt.datetime | None, list[str]]:
    """The schedule's moment and the test addresses, or the usage error a typo deserves.

    Cheap and offline: the CLI runs it before `send` publishes the issue's images, so a mistyped
    date never puts anything online."""
    when = parse_schedule(schedule, tz=settings.tz, now=now) if action is Action.schedule and schedule is not None else None
    if action is Action.schedule and when is None:
        raise UsageError(_("--schedule needs a date and time"), hint=_('for example --schedule "2026-12-08 09:30"'))
    test_addresses: list[str] = []
    if action is Action.test:
        test_addresses = check_addresses(test_to) or check_addresses(sender_of(settings)[3])
        if not test_addresses:
            raise UsageError(
                _("no address to send the test to"),
                hint=_("pass --to name@example.org, or set test_emails in the [{section}] section of newsletter.toml").format(
                    section=settings.provider.value
                ),
            )
    return when, test_addresses


def send_issue(
    settings: Settings,
    provider: CampaignProvider,
    issue_path: Path,
    *,
    action: Action,
    test_to: Sequence[str] = (),
    schedule: str | None = None,
    dry_run: bool = False,
    confirm: Callable[[Confirmation], bool],
    now: Callable[[], dt.datetime],
) -> SendReport:
    """Render the issue, check the provider, create or update its campaign, then test, schedule or send.

    `confirm` is asked before mail goes to the lists (schedule, send now, move a schedule) and
    returns False to cancel. With `dry_run`, every check and read-only lookup runs and nothing
    changes anywhere (no campaign, no state, no file).
    """
    when, test_addresses = check_request(settings, action=action, test_to=test_to, schedule=schedule, now=now())
    load_state(settings.state_dir)  # a corrupt state stops us before any call
    message, check_warnings = prepare_message(settings, issue_path)
    run = _Run(settings, provider, message, now, dry_run)
    lists = provider.preflight(message)
    confirmed = action in (Action.schedule, Action.now) and not dry_run
    # The check's warnings come before the question when there is one, else in the report.
    warnings: list[str] = [] if confirmed else list(check_warnings)
    try:
        campaign = _find(run)
        run.campaign = campaign
        if campaign is None:
            _refuse_if_sent_but_gone(run, load_state(settings.state_dir).get(message.issue, provider.name))
        if campaign is not None:
            _refuse_if_untouchable(campaign, action, provider.name, settings)
            not_sent = _refuse_if_maybe_sent(run, campaign, load_state(settings.state_dir).get(message.issue, provider.name))
            if not_sent is not None:
                warnings.append(not_sent)
            if campaign.status is Status.scheduled and action in (Action.push, Action.test):
                if campaign.scheduled_at:
                    still = _("the campaign is still scheduled for {moment}; its content was updated").format(moment=_moment(campaign.scheduled_at, settings))
                else:
                    still = _("the campaign is still scheduled; its content was updated")
                warnings.append(still)
        moving_from = None
        if campaign is not None and campaign.status is Status.scheduled and action is Action.schedule:
            record = load_state(settings.state_dir).get(message.issue, provider.name)
            moving_from = campaign.scheduled_at or (dt.datetime.fromisoformat(record.scheduled_at) if record and record.scheduled_at else None)
            moving_from = moving_from.astimezone(settings.tz) if moving_from else None
        if dry_run:
            plan = _plan(settings, message, campaign, action, when, test_addresses, files_only=provider.name == "outbox")
            return _report(settings, run, lists, campaign, plan=plan, when=when, dry_run=True, warnings=warnings)
        if action in (Action.schedule, Action.now) and not confirm(Confirmation(provider.name, message.subject, lists, when, moving_from, check_warnings)):
            raise SendCancelledError(_("cancelled: nothing was scheduled or sent"), hint=_("run the command again and answer yes, or pass --yes"))
        if campaign is None:
            campaign = _create(run, when)
        else:
            provider.update_campaign(campaign, message, schedule_at=when)
            run.actions.append(_("updated campaign {id}").format(id=campaign.id))
        run.campaign = campaign
        status = campaign.status
        if when is not None:
            status = Status.scheduled
            _note_for_report(run, issue_path, lists)
            record_state = mark_status(settings.state_dir, issue=message.issue, provider=provider.name, status="scheduled", now=now(), scheduled_at=when,
                                       subscribers=run.subscribers, digest=run.digest)
            logger.debug("state: %s", record_state)
            done = _("moved the schedule to {moment}") if moving_from else _("scheduled for {moment}")
            run.actions.append(done.format(moment=_moment(when, settings)))
        run.status = status
        if action is Action.test:
            provider.send_test(campaign, test_addresses)
            record_test(settings.state_dir, issue=message.issue, provider=provider.name, now=now())
            if isinstance(provider, OutboxProvider):
                run.actions.append(
                    _("wrote the test message for {addresses} to {path} (nothing was mailed)").format(
                        addresses=", ".join(test_addresses), path=provider.test_message_path(campaign.id)
                    )
                )
            else:
                run.actions.append(_("sent a test to {addresses}").format(addresses=", ".join(test_addresses)))
        if action is Action.now:
            _note_for_report(run, issue_path, lists)
            _send_now(run, campaign)
            status = Status.sent
        final = Campaign(campaign.id, campaign.name, status, status.value, message.subject, when or campaign.scheduled_at, campaign.url)
        return _report(settings, run, lists, final, plan=run.actions, when=when, dry_run=False, warnings=warnings)
    except (CampaignRefusedError, MaybeSentError, SendInterruptedError):
        raise
    except ProviderError as exc:
        raise ProviderError(_("{reason}. {where}").format(reason=exc.message, where=run.where()), hint=exc.hint) from exc


def _note_for_report(run: _Run, issue_path: Path, lists: list[MailingList]) -> None:
    """The list size (as preflight read it) and the issue's items, stored with the send for the report."""
    if run.provider.name != "outbox":  # the outbox's "list" is a folder: no subscriber count
        run.subscribers = sum(lst.subscribers for lst in lists)
    try:
        run.digest = issue_digest(run.settings, load_issue(issue_path, run.settings.file.sections))
    except NewsletterError as exc:  # the report then lacks this issue's items; the send goes on
        logger.warning(_("the issue's items are not kept for the report ({reason}): the report will lack them; the send goes on").format(reason=exc.message))


def _send_now(run: _Run, campaign: Campaign) -> None:
    """Send, with the state saying `maybe-sent` while the request is out, so that no outcome
    (a lost answer, Ctrl-C, a kill, a failed state write) can lead to a second send."""
    issue, name = run.message.issue, run.provider.name
    previous = campaign.status.value if campaign.status is not Status.unknown else "draft"
    # Written before the request: if this write fails, nothing has been sent.
    mark_status(run.state_dir, issue=issue, provider=name, status="maybe-sent", now=run.now(), send_requested=True,
                subscribers=run.subscribers, digest=run.digest)
    check = _(
        "check with `newsletter stats issues/{issue}.md` or in {provider}'s interface; do not send it another way. The same command "
        "sends it only if {provider} still shows an untouched draft from {moment}"
    ).format(issue=issue, provider=name, moment=_moment(run.now() + SEND_GRACE, run.settings))
    try:
        run.provider.send_now(campaign)
    except KeyboardInterrupt:
        raise SendInterruptedError(
            _(
                "interrupted while the send request of campaign {name} (id {id}) was on its way to {provider}: "
                "the list may have been mailed. The state records 'maybe-sent'"
            ).format(name=campaign.name, id=campaign.id, provider=name),
            hint=check,
        ) from None
    except OutcomeUnknownError as exc:
        fresh = run.provider.get_campaign(campaign.id)
        if fresh is None or fresh.status not in (Status.sending, Status.sent, Status.scheduled):
            # Sending is asynchronous: a draft read right after does not prove nothing was sent.
            shown = fresh.status.value if fresh else _("not found")
            raise MaybeSentError(
                _(
                    "{reason}. {provider} shows campaign {name} (id {id}) as {status} for now, but sending is "
                    "asynchronous: the list may have been mailed. The state records 'maybe-sent'"
                ).format(reason=exc.message, provider=name, name=campaign.name, id=campaign.id, status=shown),
                hint=check,
            ) from exc
        run.actions.append(_("the answer to the send was lost; {provider} shows it {status}").format(provider=name, status=fresh.raw_status))
    except ProviderError:
        # The provider refused the send (it answered): nothing went out.
        mark_status(run.state_dir, issue=issue, provider=name, status=previous, now=run.now(), send_requested=False)
        raise
    try:
        mark_status(run.state_dir, issue=issue, provider=name, status="sent", now=run.now())
    except (NewsletterError, KeyboardInterrupt) as exc:
        if isinstance(exc, KeyboardInterrupt):
            what = _("the command was interrupted")
        else:
            what = _("the state file could not be written ({reason})").format(reason=exc)
        error = SendInterruptedError if isinstance(exc, KeyboardInterrupt) else MaybeSentError
        raise error(
            _(
                "the list was mailed: {provider} accepted the send of campaign {name} (id {id}); then {what}. "
                "The state still says 'maybe-sent', which blocks any second send"
            ).format(provider=name, name=campaign.name, id=campaign.id, what=what),
            hint=_("do not send it again; the next `newsletter send`, `stats` or `archive` records it as sent from what the provider shows"),
        ) from None
    run.actions.append(_("marked it sent in the outbox (nothing was mailed)") if name == "outbox" else _("sent it to the lists"))


def _plan(
    settings: Settings,
    message: Message,
    campaign: Campaign | None,
    action: Action,
    when: dt.datetime | None,
    tests: list[str],
    *,
    files_only: bool = False,
) -> list[str]:
    """What a --dry-run would do, one sentence per step ('would create campaign …')."""
    if campaign is None:
        steps = [_("would create campaign {name}").format(name=message.name)]
    else:
        steps = [_("would update campaign {id} ({name})").format(id=campaign.id, name=message.name)]
    if action is Action.test:
        steps.append(
            _("would write the test message to a file (nothing is mailed)") if files_only
            else _("would send a test to {addresses}").format(addresses=", ".join(tests))
        )
    if action is Action.schedule and when is not None:
        moving = campaign is not None and campaign.status is Status.scheduled
        step = _("would move the schedule to {moment}") if moving else _("would schedule it for {moment}")
        steps.append(step.format(moment=_moment(when, settings)))
    if action is Action.now:
        steps.append(_("would mark it sent in the outbox (nothing is mailed)") if files_only else _("would send it to the lists now"))
    return steps


def _local(moment: dt.datetime | None, settings: Settings) -> dt.datetime | None:
    return moment.astimezone(settings.tz) if moment is not None else None


def _report(
    settings: Settings,
    run: _Run,
    lists: list[MailingList],
    campaign: Campaign | None,
    *,
    plan: list[str],
    when: dt.datetime | None,
    dry_run: bool,
    warnings: list[str],
) -> SendReport:
    message = run.message
    sender = f"{message.sender_name} <{message.sender_email}>"
    return SendReport(
        provider=run.provider.name,
        name=message.name,
        subject=message.subject,
        sender=sender,
        lists=lists,
        campaign_id=campaign.id if campaign else None,
        status=campaign.status.value if campaign else _("not created yet"),
        url=campaign.url if campaign else None,
        scheduled_at=_local(when or (campaign.scheduled_at if campaign else None), settings),
        dry_run=dry_run,
        actions=plan,
        warnings=warnings,
    )
