"""The blameless-language linter: what it flags, what it must leave alone, how it rewords."""

from __future__ import annotations

import pytest

from review_assistant.domain.language import find_blame, neutral_wording
from review_assistant.domain.models import Participant
from review_assistant.lint import TextFinding, lint_text

PEOPLE = (
    Participant(name="Alex Example", role="on-call engineer", alias="Engineer A"),
    Participant(name="Casey Sample", role="incident commander"),
    Participant(name="Jordan Demo", role="database engineer"),
)


def lint(text: str) -> list[TextFinding]:
    return lint_text(text, people=PEOPLE)


def pairs(text: str) -> list[tuple[str, str]]:
    return [(f.rule, f.words) for f in lint(text)]


# (sentence, rule, the exact words that trigger it)
FLAGGED: list[tuple[str, str, str]] = [
    # a participant as the subject of a failure
    ("Alex Example failed to check the dashboard before deploying.", "person-failure",
     "Alex Example failed to"),
    ("Casey forgot to post the status page update.", "person-failure", "Casey forgot to"),
    ("Engineer A neglected to renew the certificate.", "person-failure",
     "Engineer A neglected to"),
    ("Jordan Demo ignored the disk space warning.", "person-failure", "Jordan Demo ignored"),
    ("Alex broke the login flow with the config push.", "person-failure", "Alex broke"),
    ("The deploy was botched by Casey Sample.", "person-failure",
     "was botched by Casey Sample"),
    ("Jordan then missed the replication lag alert.", "person-failure", "Jordan then missed"),
    # a role or pronoun as the subject of a failure
    ("The on-call engineer missed the first page.", "blame-verb", "missed"),
    ("We ignored the queue depth alert for twenty minutes.", "blame-verb", "ignored"),
    ("The reviewer failed to spot the missing index.", "blame-verb", "failed to"),
    ("They didn't bother to read the runbook.", "blame-verb", "didn't bother to"),
    ("Someone dropped the ball on the certificate renewal.", "blame-verb", "dropped the ball"),
    ("The new hire messed up the DNS change.", "blame-verb", "messed up"),
    ("I didn't check the replica lag before failing over.", "blame-verb", "didn't check"),
    ("The alert was ignored by the on-call.", "blame-verb", "was ignored by the on-call"),
    ("The IC never followed the escalation policy.", "blame-verb", "never followed"),
    ("Forgot to update the status page until 14:30.", "blame-verb", "Forgot to"),
    ("Ops overlooked the disk usage warning.", "blame-verb", "overlooked"),
    ("He made a mistake in the firewall rule.", "blame-verb", "made a mistake"),
    ("The developer screwed up the feature flag rollout.", "blame-verb", "screwed up"),
    ("She failed to escalate when the error rate doubled.", "blame-verb", "failed to"),
    # hindsight
    ("We should have rolled back straight away.", "hindsight", "should have"),
    ("The team shouldn't have deployed on a Friday afternoon.", "hindsight", "shouldn't have"),
    ("Someone should've caught this in code review.", "hindsight", "should've"),
    ("This should have been caught by the reviewer.", "hindsight", "should have"),
    ("The SRE ought to have paged the network team.", "hindsight", "ought to have"),
    ("Obviously the cache was stale.", "hindsight", "Obviously"),
    ("The graph clearly showed the pool running out of connections.", "hindsight", "clearly"),
    ("In hindsight, the threshold was far too high.", "hindsight", "In hindsight"),
    ("It was obvious that the certificate had expired.", "hindsight", "was obvious"),
    # judgement and blame
    ("It was a careless change to the load balancer.", "judgement", "careless"),
    ("The rollout was sloppy.", "judgement", "sloppy"),
    ("Alex was not paying attention during the handover.", "judgement",
     "was not paying attention"),
    ("Honestly, we should have known better.", "judgement", "should have known better"),
    ("The outage came down to a lack of attention during the migration.", "judgement",
     "lack of attention"),
    ("It was a reckless decision to skip the canary.", "judgement", "reckless"),
    ("The on-call was to blame for the delay.", "judgement", "was to blame"),
    ("It was the DBA's fault that the index was dropped.", "judgement", "DBA's fault"),
    ("Management blamed the new engineer for the outage.", "judgement", "blamed"),
    ("We were careless with the retention settings.", "judgement", "careless"),
    # human error
    ("The outage was caused by human error.", "human-error", "human error"),
    ("Operator error during the failover extended the outage.", "human-error",
     "Operator error"),
    ("Support closed the ticket as user error.", "human-error", "user error"),
    # counterfactuals
    ("If only we had added the alert last quarter.", "counterfactual", "If only"),
    ("If the on-call had checked the logs, we would have found it sooner.", "counterfactual",
     "If the on-call had"),
    ("Had we paged the database team earlier, recovery would have been faster.",
     "counterfactual", "Had we"),
    ("The whole outage could have been prevented with a simple check.", "counterfactual",
     "could have been prevented"),
    ("This incident was entirely preventable.", "counterfactual", "was entirely preventable"),
    ("If we'd rolled back first, nobody would have noticed.", "counterfactual", "If we'd"),
    ("With a canary it would never have happened.", "counterfactual",
     "would never have happened"),
    # single-cause thinking
    ("The root cause was the expired intermediate certificate.", "root-cause", "root cause"),
    ("We root-caused it to a bad config push.", "root-cause", "root-caused"),
]  # fmt: skip

MUST_NOT_FLAG: list[str] = [
    "The health check failed to start after the config reload.",
    "The deploy failed to roll back because the previous image was pruned.",
    "The pager failed to deliver the second notification.",
    "Postgres failed to elect a new leader for four minutes.",
    "The cron job missed its 02:00 window.",
    "The pool should have 3 replicas.",
    "Each region should have its own alarm on error rate.",
    "The alert should have fired at 80% disk usage.",
    "Disk usage should have triggered a warning at 85%.",
    "The service should have dedicated capacity for batch jobs.",
    "The team should have an owner for the certificate inventory.",
    "The failover script should have a dry-run mode.",
    "The dashboards are clearly labelled by region.",
    "The runbook explains clearly how to fail over.",
    "We could see clearly that latency was rising in one region only.",
    "Nothing looked obviously wrong on the latency graph.",
    "It wasn't obvious from the graphs that the pool was exhausted.",
    "The error rate climbed to 12% at 13:52.",
    "Customers saw the user error page instead of the login form.",
    "User errors (4xx) stayed flat throughout.",
    "A human factors review of the paging setup is planned.",
    "We used the root cause analysis template from the wiki.",
    "There was no single cause; several factors lined up.",
    "This is a blameless review; we focus on the system.",
    "Nobody was careless; the tooling made the wrong step easy.",
    "This is not about blame.",
    "We first blamed the CDN, but the origin was returning 502s.",
    "If the retry had fired, the queue would have drained on its own.",
    "Had the alert fired, the on-call would have been paged at 13:50.",
    "Lazy loading of the config meant the bad value was read late.",
    "The replicas missed two heartbeats and were fenced.",
    "The canary missed the regression because it only served internal traffic.",
    "The migration ignored rows with a null tenant id.",
    "The alert was ignored by the router because of a bad label match.",
    "They were restarted twice but failed to become ready.",
    "The pods came back, then they failed to pass the readiness probe.",
    "The load balancer was at fault for the uneven traffic.",
    "Fault injection in staging did not cover this path.",
    "The build broke after the dependency upgrade.",
    "The retry storm broke the rate limiter.",
    "Alex Example restarted the pods at 14:05.",
    "Casey Sample took the incident commander role at 13:58.",
    "The on-call engineer checked the dashboard and saw normal latency.",
    "Looking back at the timeline, the first error appears at 13:41.",
    "We rolled back at 14:10 and errors dropped within two minutes.",
    "What made the rollback look risky at the time?",
    "The change was reviewed and approved by two engineers.",
    "Clearing the cache fixed the errors within a minute.",
    "Those who missed the meeting can read the notes.",
    "The team missed the SLO for March by 0.2%.",
    "It describes what made sense at the time, not who was at fault.",
    "Nobody ignored anything; the alert went to an archived channel.",
    "The incident commander asked whether the cache could be flushed safely.",
]


@pytest.mark.parametrize(("text", "rule", "words"), FLAGGED, ids=[f[0][:40] for f in FLAGGED])
def test_flagged_sentences_name_the_rule_and_the_words(text: str, rule: str, words: str) -> None:
    found = lint(text)
    assert (rule, words) in [(f.rule, f.words) for f in found], found
    for finding in found:
        assert text[finding.start : finding.end] == finding.words
        assert finding.why and finding.suggestion


@pytest.mark.parametrize("text", MUST_NOT_FLAG, ids=[t[:40] for t in MUST_NOT_FLAG])
def test_sentences_that_must_not_be_flagged(text: str) -> None:
    assert lint(text) == []


def test_the_sentence_sets_are_large_enough() -> None:
    assert len(FLAGGED) >= 40 and len(MUST_NOT_FLAG) >= 40
    assert len({t for t, _, _ in FLAGGED}) == len(FLAGGED)
    assert len(set(MUST_NOT_FLAG)) == len(MUST_NOT_FLAG)


def test_person_failure_is_reworded_by_role_with_a_question() -> None:
    [finding] = lint("Alex Example failed to check the dashboard.")
    assert finding.rule == "person-failure" and finding.severity == "warning"
    assert finding.suggestion == "The on-call engineer did not check the dashboard."
    assert finding.question == "What made checking the dashboard hard or unlikely at the time?"
    assert "Alex Example" in finding.why


def test_first_names_and_aliases_count_as_the_participant() -> None:
    [by_first] = lint("Yesterday Casey forgot to page the database team.")
    assert by_first.suggestion == "Yesterday the incident commander did not page the database team."
    [by_alias] = lint("Engineer A broke the nightly export.")
    assert by_alias.suggestion == "A change by the on-call engineer broke the nightly export."


def test_an_unknown_name_is_not_taken_for_a_person() -> None:
    """A documented limit: only participants' names are known to be people."""
    assert lint("Sam failed to connect to the VPN.") == []
    assert pairs("Sam forgot to renew the certificate.") == [("blame-verb", "forgot to")]


def test_the_same_verbs_with_a_system_subject_are_not_blame() -> None:
    assert lint("The health check failed to start.") == []
    assert pairs("The on-call failed to start the failover.") == [("blame-verb", "failed to")]
    assert pairs("The alert to the on-call failed to send.") == []


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("We should have rolled back sooner.", "We could have rolled back sooner."),
        ("We shouldn't have deployed on a Friday.", "We deployed on a Friday."),
        ("It was an obviously wrong value.", "It was a wrong value."),
        ("In hindsight, the threshold was too high.", "The threshold was too high."),
        ("The timeout, in hindsight, was too short.", "The timeout was too short."),
        ("The root cause was the expired certificate.",
         "A contributing factor was the expired certificate."),
        ("We found the root cause of the outage.",
         "We found a contributing factor in the outage."),
        ("It was human error.", "It was a step the system made easy to get wrong."),
        ("The engineer wasn't paying attention.", "The engineer was focused elsewhere."),
        ("The on-call missed the page.", "The on-call did not notice the page."),
        ("We ignored the alert.", "We did not act on the alert."),
        ("We had missed the alert.", "We had not noticed the alert."),
        ("Alex had failed to check the graph.", "The on-call engineer did not check the graph."),
        ("A careless config push took down checkout.", "A config push took down checkout."),
        ("Jordan Demo carelessly dropped the index.",
         "The database engineer dropped the index."),
        ("We broke the checkout page.", "A change by us broke the checkout page."),
    ],
)  # fmt: skip
def test_rewordings(text: str, suggestion: str) -> None:
    found = lint(text)
    assert found and found[0].suggestion == suggestion


def test_findings_without_a_rewording_give_an_instruction() -> None:
    [finding] = lint("If only we had added the alert.")
    assert finding.rule == "counterfactual"
    assert finding.suggestion.startswith("describe what happened")
    [sloppy] = lint("The rollout was sloppy.")
    assert sloppy.suggestion.startswith("describe what the person did")


def test_several_findings_share_one_full_rewording() -> None:
    found = lint("Alex Example should have checked the graph; it was human error.")
    assert [(f.rule, f.words) for f in found] == [
        ("hindsight", "should have"),
        ("human-error", "human error"),
    ]
    expected = (
        "The on-call engineer could have checked the graph; it was a step the system made easy "
        "to get wrong."
    )
    assert {f.suggestion for f in found} == {expected}


def test_severities() -> None:
    assert {f.rule: f.severity for f in lint("The root cause was DNS. In hindsight, yes.")} == {
        "root-cause": "info",
        "hindsight": "info",
    }
    assert lint("We ignored the alert.")[0].severity == "warning"


def test_untrusted_text_is_just_text() -> None:
    assert lint("[@click=app.quit] [/] failed to start") == []
    assert lint("") == []
    assert pairs("x" * 10_000 + " we ignored the alert") == [("blame-verb", "ignored")]


def test_the_assistant_interface_keeps_working() -> None:
    assert [f.words for f in find_blame("Be more careful; it was human error.")] == [
        "Be more careful",
        "human error",
    ]
    text, changes = neutral_wording(
        "Jordan Demo should have checked the pool graph", [("Jordan Demo", "database engineer")]
    )
    assert text == "The database engineer could have checked the pool graph"
    assert (
        changes[0]
        == "'Jordan Demo' → 'the database engineer': describe roles and situations, not people"
    )
    assert neutral_wording("The pool drained at 14:05.") == ("The pool drained at 14:05.", [])
    reworded, changes = neutral_wording("If only we had paged sooner.")
    assert reworded == "If only we had paged sooner."
    assert changes and "describe what happened" in changes[0]
