"""Two `newsletter send --now --yes` started together, 20 times per provider: one campaign, one delivery.

Not a timing: the stress check behind the workspace lock (newsletter/lock.py). Each trial is a
fresh workspace and fresh fake Brevo and Mailjet servers on 127.0.0.1 whose look-up by name is
slow, so that without the lock both commands would create and send their own campaign.
Run: .venv/bin/python bench/race.py [TRIALS]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.send.conftest import make_workspace  # noqa: E402
from tests.support.providers import FakeBrevo, FakeMailjet  # noqa: E402
from tests.test_lock import send_now_together  # noqa: E402


def trial(provider: str, folder: Path) -> tuple[int, int]:
    with FakeBrevo() as brevo, FakeMailjet() as mailjet:
        fake = brevo if provider == "brevo" else mailjet
        fake.inject("GET", r"/emailCampaigns|/campaigndraft", after=True, delay=0.25, times=2)
        ws = make_workspace(folder, provider=provider, brevo_url=brevo.url, mailjet_url=mailjet.url)
        send_now_together(ws.root)
        campaigns = len(brevo.campaigns) if provider == "brevo" else len(mailjet.drafts)
        return campaigns, sum(fake.deliveries.values())


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print("## Two sends at once (bench/race.py)\n")
    print(f"Two `newsletter send ISSUE --now --yes` started together on a fresh issue, {trials} trials per provider, the provider's look-up by name slowed to 0.25 s.\n")
    print("| provider | trials | exactly one campaign | exactly one delivery | verdict |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for provider in ("brevo", "mailjet"):
            results = [trial(provider, Path(tmp) / f"{provider}-{n}") for n in range(trials)]
            one_campaign = sum(1 for campaigns, _ in results if campaigns == 1)
            one_delivery = sum(1 for _, deliveries in results if deliveries == 1)
            verdict = "ok" if one_campaign == one_delivery == trials else "FAILED"
            print(f"| {provider} | {trials} | {one_campaign} | {one_delivery} | {verdict} |")


if __name__ == "__main__":
    main()
