"""Generate many realistic-looking reviews into a data directory, for benchmarks.

``generate(store, reviews=1000)`` builds that many reviews of about 200 notes and timeline
events each (≈ 200,000 in all), with contributing factors, learnings, action ideas and a few
action items with varied owners, statuses and due dates (some of them overdue). The text is
put together from word lists, so it varies like real incident notes without naming anyone:
people are roles or fictional names. The same seed always gives the same reviews.

Each review is written in one transaction (``Store.save_review``).

``cached(1000)`` makes that data directory once under ``bench/.cache`` and reuses it.

Run it as ``python bench/generate.py DIR [N]`` to fill ``DIR`` with ``N`` reviews (default 1000).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import random
import shutil
import string
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    ActionStatus,
    EventKind,
    Factor,
    FactorArea,
    Interview,
    Learning,
    Note,
    Participant,
    Review,
    ReviewSession,
    SessionStatus,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from review_assistant.store.migrations import LATEST

CACHE = Path(__file__).parent / ".cache"

PEOPLE = (
    "Alex Example",
    "Casey Sample",
    "Jordan Demo",
    "Riley Placeholder",
    "Sam Testcase",
    "Morgan Mock",
    "Taylor Fixture",
    "Jamie Stub",
    "Robin Dummy",
    "Avery Specimen",
)
ROLES = (
    "on-call engineer",
    "incident commander",
    "database administrator",
    "site reliability engineer",
    "support lead",
    "product manager",
    "network engineer",
    "release manager",
    "security engineer",
    "team lead",
)
TEAMS = ("platform team", "payments team", "search team", "identity team", "storage team")
SERVICES = (
    "checkout API",
    "payments gateway",
    "search indexer",
    "auth service",
    "edge proxy",
    "billing worker",
    "notification queue",
    "inventory database",
    "session store",
    "image resizer",
    "recommendation service",
    "ledger service",
    "mobile backend",
    "feature-flag service",
    "webhook dispatcher",
    "reporting warehouse",
)
COMPONENTS = (
    "connection pool",
    "cache cluster",
    "load balancer",
    "DNS resolver",
    "TLS certificate",
    "deploy pipeline",
    "read replica",
    "primary database",
    "disk volume",
    "thread pool",
    "rate limiter",
    "cron job",
    "Kafka consumer",
    "message broker",
    "CDN edge",
    "service mesh sidecar",
    "autoscaler",
    "health check",
    "circuit breaker",
    "retry budget",
    "schema migration",
    "config map",
    "secrets store",
    "job scheduler",
)
SYMPTOMS = (
    "saturation",
    "latency spike",
    "timeouts",
    "elevated 5xx errors",
    "OOM kills",
    "replication lag",
    "a retry storm",
    "a failover loop",
    "dropped connections",
    "queue backlog",
    "packet loss",
    "high CPU",
    "disk full alerts",
    "stale reads",
    "a deadlock",
    "certificate expiry warnings",
    "clock skew",
    "throttling",
)
CHANGES = (
    "config change",
    "library upgrade",
    "kernel patch",
    "feature flag rollout",
    "index rebuild",
    "traffic shift",
    "capacity reduction",
    "certificate rotation",
    "schema migration",
    "dependency bump",
    "canary deploy",
    "firewall rule update",
)
SIGNALS = (
    "the p99 latency graph",
    "the error-rate dashboard",
    "a customer ticket",
    "the synthetic probe",
    "a pager alert",
    "the status page",
    "a support chat",
    "the capacity report",
    "the deploy log",
    "the trace view",
)
REGIONS = ("eu-west", "us-east", "ap-south", "eu-central", "us-west")
ERROR_CODES = (
    "ECONNRESET",
    "ETIMEDOUT",
    "ENOSPC",
    "EADDRINUSE",
    "HTTP 503",
    "HTTP 429",
    "SQLSTATE 40001",
    "SIGKILL",
    "x509 unknown authority",
    "NXDOMAIN",
    "deadline exceeded",
    "too many open files",
)
# A sprinkling of accented words, so diacritics-insensitive search has something to find.
FLAVOUR = (
    "the café Wi-Fi dropped during the call",
    "a naïve retry loop made it worse",
    "the rôle of the standby was unclear",
    "we ran the résumé procedure from the runbook",
    "the façade service hid the real error",
    "an entrée in the runbook was out of date",
)
OPENERS = ("", "", "", "Looking back, ", "At first ", "Meanwhile ", "Around then ", "Later ")

NOTE_TEMPLATES = (
    "{who} said the {component} on the {service} looked healthy on {signal}.",
    "We assumed the {symptom} came from the {change}, because it had gone out that morning.",
    "{opener}nobody expected the {component} to be shared between {service} and {service2}.",
    "{who} was paged for {symptom} in {region} but the runbook covered only {component} restarts.",
    "The {team} owns the {component}; the {service} team did not know its limits.",
    "It made sense to wait: {signal} showed recovery for a few minutes.",
    "Errors in the logs were {code}, which usually means the {component} is overloaded.",
    "{opener}the handover between {role} and {role2} lost the context about {symptom}.",
    "The alert for {symptom} on {service} had been noisy for weeks, so it was muted.",
    "Question for the group: why did the {component} not shed load before {symptom}?",
    "{who} noticed that {flavour}.",
    "Capacity for the {component} was sized for last year's traffic in {region}.",
    "The {change} had passed the canary because the canary does not exercise the {component}.",
    "Dashboards for {service} were split across three tools, which slowed diagnosis.",
    "We learned the {component} retries {code} errors without backoff.",
    "Ticket INC-{number} describes a similar {symptom} on the {service}.",
    "Host {host} showed {symptom} first; it runs the {component} for {service}.",
)
EVENT_TEMPLATES: tuple[tuple[EventKind, str], ...] = (
    (EventKind.TRIGGER, "{change} applied to the {service} in {region}"),
    (EventKind.TRIGGER, "Traffic to {service} rose as a marketing email went out"),
    (EventKind.DETECTION, "Alert fired: {symptom} on {service} {component}"),
    (EventKind.DETECTION, "{who} saw {symptom} on {signal}"),
    (EventKind.DETECTION, "Customer reports of {code} from the {service}"),
    (EventKind.ESCALATION, "{who} paged the {team} about {symptom}"),
    (EventKind.ESCALATION, "Incident declared; {role} took the incident commander role"),
    (EventKind.DIAGNOSIS, "{who} found {code} errors in the {component} logs on {host}"),
    (EventKind.DIAGNOSIS, "Suspected the {change}; compared with the previous release"),
    (EventKind.DIAGNOSIS, "Traced the {symptom} to the {component} shared with {service2}"),
    (EventKind.MITIGATION, "Rolled back the {change} on {service}"),
    (EventKind.MITIGATION, "Raised the {component} limit and restarted {host}"),
    (EventKind.MITIGATION, "Shifted traffic away from {region}"),
    (EventKind.RESOLUTION, "{service} error rate back to normal; {symptom} gone"),
    (EventKind.COMMUNICATION, "Status page updated: {service} degraded in {region}"),
    (EventKind.COMMUNICATION, "{who} posted an update for support about {symptom}"),
    (EventKind.OTHER, "{who} joined the call; {flavour}"),
    (EventKind.OTHER, "Checked {signal}; nothing unusual on the {component}"),
)
FACTOR_TEMPLATES: tuple[tuple[FactorArea, str], ...] = (
    (FactorArea.AVOID, "The {change} was not tested against the {component}"),
    (FactorArea.AVOID, "The {component} had no headroom for a traffic peak"),
    (FactorArea.AVOID, "Ownership of the {component} between teams was unclear"),
    (FactorArea.DETECT, "No alert on {symptom} for the {component}"),
    (FactorArea.DETECT, "{signal} was the first signal; our own monitoring was silent"),
    (FactorArea.DETECT, "The alert for {symptom} was muted after weeks of noise"),
    (FactorArea.FIX, "The runbook for the {component} was out of date"),
    (FactorArea.FIX, "Rollback of the {change} took too long without automation"),
    (FactorArea.FIX, "Access to {host} needed an approval nobody on call could give"),
)
FACTOR_TAGS = ("", "tooling", "process", "communication", "capacity", "knowledge", "ownership")
LEARNING_TEMPLATES = (
    "The {component} is a shared dependency of {service} and {service2}",
    "{symptom} on the {component} looks like a {service} problem from the outside",
    "Our canary does not cover the {component}",
    "{role} needs read access to {signal} during incidents",
    "A quiet dashboard is not the same as a healthy {component}",
)
IDEA_TEMPLATES = (
    "Add an alert on {symptom} for the {component}",
    "Write a runbook section on restarting the {component}",
    "Load-test the {service} before each {change}",
    "Automate rollback of the {change}",
)
ACTION_TEMPLATES = (
    "Add an alert on {symptom} for the {component} of the {service}",
    "Update the runbook for the {component} with the {code} case",
    "Give the {team} ownership of the {component}",
    "Add load tests for the {service} before each {change}",
    "Automate the rollback of a {change}",
    "Raise the {component} headroom in {region}",
)
TITLES = (
    "{service} {symptom} in {region}",
    "{symptom} after {change} on {service}",
    "{service} outage: {component} {symptom}",
    "Degraded {service} from {component} {symptom}",
)
TIMEZONES = ("UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
SEVERITIES = ("SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3")
FIRST_REVIEW = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
REVIEW_SPAN = timedelta(days=1400)


class _Words:
    """Fills a template with words picked by one seeded random generator."""

    def __init__(self, rng: random.Random, people: Sequence[str]) -> None:
        self.rng = rng
        self.people = people

    def pick(self, words: Sequence[str]) -> str:
        # Earlier words are more common, as in real incident notes.
        index = int(len(words) * self.rng.random() ** 1.6)
        return words[min(index, len(words) - 1)]

    def fill(self, template: str) -> str:
        values = {name: self.word(name) for name in _fields(template)}
        text = template.format(**values)
        return text[0].upper() + text[1:]

    def word(self, name: str) -> str:
        rng = self.rng
        match name:
            case "who":
                return rng.choice(self.people)
            case "flavour":
                return rng.choice(FLAVOUR)
            case "opener":
                return rng.choice(OPENERS)
            case "number":
                return str(rng.randint(1000, 9999))
            case "host":
                return f"db-{rng.choice(REGIONS)}-{rng.randint(1, 400)}"
        return self.pick(_LISTS[name])


_LISTS: dict[str, Sequence[str]] = {
    "role": ROLES,
    "role2": ROLES,
    "team": TEAMS,
    "service": SERVICES,
    "service2": SERVICES,
    "component": COMPONENTS,
    "symptom": SYMPTOMS,
    "change": CHANGES,
    "signal": SIGNALS,
    "region": REGIONS,
    "code": ERROR_CODES,
}


@functools.cache
def _fields(template: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name)
    )


def ident(rng: random.Random) -> str:
    """A 12-hex-digit id like the app's, but drawn from the seeded generator."""
    return f"{rng.getrandbits(48):012x}"


def _review(rng: random.Random, index: int, total: int) -> Review:
    people = [*rng.sample(PEOPLE, 3), *rng.sample(ROLES, 2)]
    words = _Words(rng, people)
    created = FIRST_REVIEW + REVIEW_SPAN * (index + rng.random()) / total
    timezone = rng.choice(TIMEZONES)
    start = (created - timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 1400))).astimezone(
        ZoneInfo(timezone)
    )
    duration = timedelta(minutes=rng.randint(20, 600))
    session = ReviewSession(
        id=ident(rng),
        title=words.fill(rng.choice(TITLES)),
        severity=rng.choice(SEVERITIES),
        summary=words.fill(rng.choice(NOTE_TEMPLATES)),
        status=rng.choice(list(SessionStatus)),
        phase=rng.choice([p for p in Phase if p is not Phase.INTERVIEW]),
        timezone=timezone,
        incident_start=start,
        incident_end=start + duration,
        created_at=created,
        updated_at=created + timedelta(days=rng.randint(0, 30)),
    )
    participants = [
        Participant(id=ident(rng), name=name, role=rng.choice(ROLES), created_at=created)
        for name in rng.sample(PEOPLE, 4)
    ]
    interviews = [
        Interview(id=ident(rng), participant_id=p.id, conducted_at=created, created_at=created)
        for p in participants[:2]
    ]

    def moment(step: int) -> datetime:
        return created + timedelta(seconds=7 * step + rng.random())

    event_count = rng.randint(70, 110)
    events = []
    for step in range(event_count):
        kind, template = rng.choice(EVENT_TEMPLATES)
        interview = rng.choice(interviews) if rng.random() < 0.1 else None
        events.append(
            TimelineEvent(
                id=ident(rng),
                at=start + duration * step / event_count,
                kind=kind,
                text=words.fill(template),
                who=rng.choice(people),
                source=f"interview: {people[0]}" if interview else "review",
                interview_id=interview.id if interview else None,
                created_at=moment(step),
            )
        )
    review_phases = [p for p in Phase if p is not Phase.INTERVIEW]
    notes = []
    for step in range(200 - event_count + rng.randint(-5, 5)):
        interview = rng.choice(interviews) if rng.random() < 0.1 else None
        phase = Phase.INTERVIEW if interview else rng.choice(review_phases)
        text = " ".join(words.fill(rng.choice(NOTE_TEMPLATES)) for _ in range(rng.randint(1, 3)))
        notes.append(
            Note(
                id=ident(rng),
                phase=phase,
                text=text,
                interview_id=interview.id if interview else None,
                created_at=moment(event_count + step),
            )
        )
    steps = itertools.count(400)

    def later() -> datetime:
        return moment(next(steps))

    factors = [
        Factor(
            id=ident(rng),
            area=area,
            text=words.fill(template),
            tag=rng.choice(FACTOR_TAGS),
            created_at=later(),
        )
        for area, template in rng.sample(FACTOR_TEMPLATES, rng.randint(3, 6))
    ]
    learnings = [
        Learning(id=ident(rng), text=words.fill(template), created_at=later())
        for template in rng.sample(LEARNING_TEMPLATES, rng.randint(2, 4))
    ]
    ideas = [
        ActionIdea(
            id=ident(rng),
            phase=rng.choice(review_phases),
            text=words.fill(t),
            created_at=later(),
        )
        for t in rng.sample(IDEA_TEMPLATES, rng.randint(1, 3))
    ]
    actions = []
    for template in rng.sample(ACTION_TEMPLATES, rng.randint(2, 5)):
        due: date | None = (created + timedelta(days=rng.randint(7, 120))).date()
        actions.append(
            ActionItem(
                id=ident(rng),
                text=words.fill(template),
                area=rng.choice([*FactorArea, None]),
                owner=rng.choice(["", *people, *TEAMS]),
                due=due if rng.random() < 0.8 else None,
                status=rng.choice(list(ActionStatus)),
                created_at=(written := later()),
                updated_at=written + timedelta(days=rng.randint(0, 60)),
            )
        )
    return Review(
        session=session,
        participants=participants,
        interviews=interviews,
        notes=notes,
        events=events,
        learnings=learnings,
        factors=factors,
        ideas=ideas,
        actions=actions,
    )


def generate(store: Store, reviews: int = 1000, *, seed: int = 7) -> list[str]:
    """Write ``reviews`` generated reviews into ``store``; returns their session ids."""
    rng = random.Random(seed)
    return [store.save_review(_review(rng, index, reviews)) for index in range(reviews)]


def cached(reviews: int = 1000, *, seed: int = 7) -> Path:
    """A data directory holding ``reviews`` generated reviews, made once and then reused.

    Kept under ``bench/.cache`` and named for everything that shapes it (the count, the seed,
    the schema version and this file's text), so a change to any of them makes a new one.
    Benchmarks only read it; each one that writes works on a copy.
    """
    key = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    folder = CACHE / f"reviews-{reviews}-seed{seed}-schema{LATEST}-{key}"
    if not (folder / "review.db").exists():
        building = folder.with_name(folder.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        began = time.perf_counter()
        with Store.open(building) as store:
            generate(store, reviews, seed=seed)
        shutil.rmtree(folder, ignore_errors=True)
        building.rename(folder)
        print(f"generated {reviews:,} reviews in {time.perf_counter() - began:.1f} s ({folder})")
    return folder


def main(argv: Sequence[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print("usage: python bench/generate.py DIR [N]", file=sys.stderr)
        return 2
    count = int(argv[1]) if len(argv) == 2 else 1000
    began = time.perf_counter()
    with Store.open(argv[0]) as store:
        ids = generate(store, count)
        items = store.db.execute(
            "SELECT (SELECT count(*) FROM notes) + (SELECT count(*) FROM events)"
        ).fetchone()[0]
        print(f"{len(ids)} reviews, {items} notes and events in {store.path}")
    print(f"generated in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
