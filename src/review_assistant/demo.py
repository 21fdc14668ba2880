"""A fictional but realistic review, used by ``make run`` and ``review-assistant demo``.

Every name, service and figure here is invented.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    ActionStatus,
    EventKind,
    Factor,
    FactorArea,
    Impact,
    Interview,
    Learning,
    Note,
    Participant,
    Question,
    Review,
    ReviewSession,
    SessionStatus,
    TimelineEvent,
    WentWell,
)
from review_assistant.domain.phases import Phase

TZ = ZoneInfo("Europe/London")
DAY = date(2026, 3, 12)

_EVENTS: list[tuple[str, EventKind, str, str]] = [
    (
        "13:52",
        EventKind.TRIGGER,
        "Config rollout lowers the checkout-api database pool from 50 to "
        "20 connections, part of a cost-saving change reviewed the day before",
        "platform engineer",
    ),
    (
        "14:03",
        EventKind.OTHER,
        "p95 checkout latency starts to climb on the service dashboard; "
        "nobody is looking at it yet",
        "",
    ),
    (
        "14:09",
        EventKind.COMMUNICATION,
        "Support sees three tickets about payments 'spinning "
        "forever' and asks in the support escalation channel",
        "support lead",
    ),
    (
        "14:21",
        EventKind.DETECTION,
        "Error-rate alert for checkout-api fires and pages on-call",
        "on-call engineer",
    ),
    (
        "14:24",
        EventKind.ESCALATION,
        "On-call acknowledges the page and opens an incident channel",
        "on-call engineer",
    ),
    (
        "14:31",
        EventKind.DIAGNOSIS,
        "On-call suspects the payment provider (last month's incident "
        "looked the same); the provider's status page is green",
        "on-call engineer",
    ),
    (
        "14:38",
        EventKind.ESCALATION,
        "Incident commander joins and asks the database team to look",
        "incident commander",
    ),
    (
        "14:47",
        EventKind.DIAGNOSIS,
        "Database engineer sees long connection waits: the pool is "
        "saturated while the database itself is idle",
        "database engineer",
    ),
    (
        "14:52",
        EventKind.DIAGNOSIS,
        "The pool change is found in the deploy log for 13:52",
        "platform engineer",
    ),
    (
        "14:58",
        EventKind.MITIGATION,
        "Pool limit rolled back to 50; latency drops within a minute",
        "platform engineer",
    ),
    (
        "15:04",
        EventKind.COMMUNICATION,
        "Status page updated: checkout degraded, recovering",
        "incident commander",
    ),
    (
        "15:20",
        EventKind.RESOLUTION,
        "Error rate back to baseline for 15 minutes; incident closed",
        "incident commander",
    ),
    (
        "15:35",
        EventKind.COMMUNICATION,
        "Support sends an apology to customers whose orders failed",
        "support lead",
    ),
]


def _at(clock: str, day: date = DAY) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def build_demo() -> Review:
    """A complete review, through every phase, ready for its action pass."""
    review_day = _at("10:00", DAY + timedelta(days=2))
    tick = iter(review_day + timedelta(seconds=i * 7) for i in range(10_000))

    session = ReviewSession(
        title="Checkout errors after a database pool change",
        severity="SEV2",
        summary=(
            "For about an hour, roughly one checkout in five failed or timed out after a "
            "configuration rollout lowered the checkout service's database connection pool."
        ),
        status=SessionStatus.REVIEWED,
        phase=Phase.ACTIONS,
        timezone=TZ.key,
        incident_start=_at("13:52"),
        incident_end=_at("15:20"),
        anonymise=True,
        impact=Impact(
            users_affected="about 4,100 checkout attempts failed (≈ 19% of attempts)",
            duration="68 minutes from rollout to recovery; 37 of them with customer errors",
            money="about €38,000 in orders not completed, some recovered by retries",
            team_load="5 people for 90 minutes; support answered 140 tickets the next morning",
        ),
        created_at=review_day - timedelta(days=1),
        updated_at=review_day + timedelta(hours=1),
    )
    people = {
        "on-call engineer": Participant(
            name="Alex Example", role="on-call engineer", alias="Engineer A", created_at=next(tick)
        ),
        "incident commander": Participant(
            name="Casey Sample",
            role="incident commander",
            alias="Incident lead",
            created_at=next(tick),
        ),
        "database engineer": Participant(
            name="Jordan Demo", role="database engineer", alias="Engineer B", created_at=next(tick)
        ),
        "platform engineer": Participant(
            name="Sam Placeholder",
            role="platform engineer",
            alias="Engineer C",
            created_at=next(tick),
        ),
        "support lead": Participant(
            name="Riley Fixture", role="support lead", alias="Support lead", created_at=next(tick)
        ),
    }
    events = [
        TimelineEvent(at=_at(clock), kind=kind, text=text, who=who, created_at=next(tick))
        for clock, kind, text, who in _EVENTS
    ]
    by_clock = {clock: event for (clock, *_), event in zip(_EVENTS, events, strict=True)}

    oncall, support = people["on-call engineer"], people["support lead"]
    interviews = [
        Interview(
            participant_id=oncall.id,
            conducted_at=review_day - timedelta(hours=20),
            created_at=next(tick),
        ),
        Interview(
            participant_id=support.id,
            conducted_at=review_day - timedelta(hours=19),
            created_at=next(tick),
        ),
    ]

    def account(
        interview: Interview, who: Participant, clock: str, kind: EventKind, text: str
    ) -> TimelineEvent:
        return TimelineEvent(
            at=_at(clock),
            kind=kind,
            text=text,
            who=who.name,
            source=f"interview: {who.name}",
            interview_id=interview.id,
            created_at=next(tick),
        )

    interview_events = [
        account(
            interviews[0],
            oncall,
            "14:20",
            EventKind.DETECTION,
            "Pager went off while I was in a planning meeting",
        ),
        account(
            interviews[0],
            oncall,
            "14:30",
            EventKind.DIAGNOSIS,
            "Errors looked exactly like the payment-provider outage last month, so I "
            "checked their status page first",
        ),
        account(
            interviews[0],
            oncall,
            "14:45",
            EventKind.ESCALATION,
            "Asked for help in the incident channel once the provider looked healthy",
        ),
        account(
            interviews[1],
            support,
            "14:05",
            EventKind.COMMUNICATION,
            "First ticket about a payment that never finished",
        ),
        account(
            interviews[1],
            support,
            "14:12",
            EventKind.ESCALATION,
            "Posted in the support escalation channel; no engineer answered for ten minutes",
        ),
    ]

    def note(phase: Phase, text: str, interview: Interview | None = None) -> Note:
        return Note(
            phase=phase,
            text=text,
            created_at=next(tick),
            interview_id=interview.id if interview else None,
        )

    notes = [
        note(
            Phase.INTERVIEW,
            "Did not know a config rollout had happened; nothing in the "
            "incident channel mentioned it",
            interviews[0],
        ),
        note(
            Phase.INTERVIEW,
            "Thinks the support escalation channel is not watched by on-call during meetings",
            interviews[1],
        ),
        note(
            Phase.LEVEL_SET,
            "checkout-api takes payments for the web shop and the mobile app; "
            "it talks to one Postgres primary through a per-pod connection pool",
        ),
        note(
            Phase.LEVEL_SET,
            "Ground rules agreed: we look at the system, not at people; "
            "fixes go to the parking lot",
        ),
        note(
            Phase.TIMELINE, "The latency climb at 14:03 was visible for 18 minutes before any alert"
        ),
        note(Phase.TIMELINE, "Support knew about the problem 12 minutes before engineering did"),
        note(
            Phase.SENSE_MAKING,
            "The cost-saving review looked at average connections in use "
            "(about 12), not at peaks during the lunchtime rush",
        ),
        note(Phase.WENT_WELL, "Rollback of the config took under a minute once found"),
        note(Phase.FACTORS, "Two people hold most of the knowledge of the pool settings"),
    ]
    questions = [
        Question(
            phase=Phase.SENSE_MAKING,
            event_id=by_clock["14:31"].id,
            created_at=next(tick),
            text="What made the payment provider the most likely suspect at that moment?",
            answer="Same symptoms as last month's provider outage, and the provider had "
            "emailed about maintenance that week",
        ),
        Question(
            phase=Phase.SENSE_MAKING,
            event_id=by_clock["13:52"].id,
            created_at=next(tick),
            text="What did the pool change look like to the people who reviewed it?",
            answer="A one-line config diff with a cost estimate; the peak connection graph "
            "was not part of the review template",
        ),
        Question(
            phase=Phase.SENSE_MAKING,
            event_id=by_clock["14:09"].id,
            created_at=next(tick),
            text="How did support decide where to raise the tickets?",
            answer="The runbook names the escalation channel; paging engineering directly "
            "is reserved for a full outage",
        ),
        Question(
            phase=Phase.TIMELINE,
            created_at=next(tick),
            text="What was happening between 13:52 and 14:09?",
        ),
    ]
    went_well = [
        WentWell(
            text="The incident commander pulled in the database engineer within 15 "
            "minutes of joining",
            created_at=next(tick),
        ),
        WentWell(
            text="Config rollbacks are one command and were rehearsed last quarter",
            created_at=next(tick),
        ),
        WentWell(
            text="Support's customer apology went out before the end of the day",
            created_at=next(tick),
        ),
        WentWell(
            text="The rollout happened after the lunchtime peak had started to fade",
            lucky=True,
            created_at=next(tick),
        ),
    ]
    learnings = [
        Learning(
            text="A saturated pool looks like a slow dependency from inside the service",
            created_at=next(tick),
        ),
        Learning(
            text="Cost reviews of capacity settings use averages; peaks are what break",
            created_at=next(tick),
        ),
    ]
    factors = [
        Factor(
            area=FactorArea.AVOID,
            created_at=next(tick),
            text="Pool limits are changed like any config value, with no check against peak usage",
        ),
        Factor(
            area=FactorArea.AVOID,
            tag="knowledge",
            created_at=next(tick),
            text="Knowledge of safe pool sizes sits with two people on the database team",
        ),
        Factor(
            area=FactorArea.AVOID,
            tag="load",
            created_at=next(tick),
            text="The cost-saving programme set a deadline that bundled many changes at once",
        ),
        Factor(
            area=FactorArea.DETECT,
            created_at=next(tick),
            text="No alert on connection wait time or pool saturation",
        ),
        Factor(
            area=FactorArea.DETECT,
            tag="communication",
            created_at=next(tick),
            text="Support's escalation channel is not routed to on-call",
        ),
        Factor(
            area=FactorArea.FIX,
            created_at=next(tick),
            text="Recent config rollouts are not shown in the incident channel",
        ),
        Factor(
            area=FactorArea.FIX,
            tag="knowledge",
            created_at=next(tick),
            text="The previous provider outage primed everyone to look outside first",
        ),
    ]
    ideas = [
        ActionIdea(
            phase=Phase.TIMELINE,
            created_at=next(tick),
            text="Post every config rollout into the incident channel automatically",
        ),
        ActionIdea(
            phase=Phase.FACTORS,
            created_at=next(tick),
            text="Alert on pool wait time above 100 ms for five minutes",
        ),
        ActionIdea(
            phase=Phase.FACTORS,
            created_at=next(tick),
            text="Route the support escalation channel to the on-call pager",
        ),
        ActionIdea(
            phase=Phase.FACTORS,
            created_at=next(tick),
            text="Pair a second engineer with the database team on pool sizing",
        ),
    ]
    actions = [
        ActionItem(
            text="Add a pool-saturation alert (wait time > 100 ms for 5 min)",
            area=FactorArea.DETECT,
            owner="database engineer",
            due=DAY + timedelta(days=14),
            status=ActionStatus.IN_PROGRESS,
            idea_id=ideas[1].id,
            created_at=next(tick),
        ),
        ActionItem(
            text="Show the last hour of config rollouts when an incident channel opens",
            area=FactorArea.FIX,
            owner="platform engineer",
            due=DAY + timedelta(days=21),
            idea_id=ideas[0].id,
            created_at=next(tick),
        ),
        ActionItem(
            text="Add peak-usage graphs to the capacity change review template",
            area=FactorArea.AVOID,
            owner="incident commander",
            due=DAY + timedelta(days=10),
            status=ActionStatus.DONE,
            created_at=next(tick),
        ),
    ]
    ideas[1].action_id, ideas[0].action_id = actions[0].id, actions[1].id
    for action in actions:
        action.updated_at = action.created_at
    return Review(
        session=session,
        participants=list(people.values()),
        interviews=interviews,
        notes=notes,
        events=[*events, *interview_events],
        questions=questions,
        went_well=went_well,
        learnings=learnings,
        factors=factors,
        ideas=ideas,
        actions=actions,
    )
