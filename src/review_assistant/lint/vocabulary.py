"""Word lists the linters share: people, pronouns, systems, and words that link them."""

from __future__ import annotations

import re


def starting(first: str, pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """``pattern``, case-insensitive, tried only where the text has one of the ``first`` letters.

    The look-ahead lets the regex engine reject most positions at once, which makes a large
    alternation several times faster.
    """
    return re.compile(f"(?=[{first}])(?:{pattern})", flags | re.IGNORECASE)


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(text.split())


PRONOUNS = word_set(
    "he she they i we you someone somebody nobody everyone everybody anyone anybody who whoever"
)
OBJECT_PRONOUNS = word_set("him her them me us you someone somebody everyone anyone")
PERSON_HEADS = word_set(
    "on-call on-calls oncall on-caller on-callers engineer engineers dev devs developer "
    "developers operator operators sre sres reviewer reviewers ic ics commander "
    "commanders ops team teams hire hires dba dbas author authors approver approvers "
    "admin admins administrator administrators sysadmin sysadmins responder responders "
    "staff manager managers lead leads owner owners person people human humans contractor "
    "contractors intern interns consultant consultants analyst analysts facilitator "
    "facilitators qa tester testers deployer deployers committer committers maintainer "
    "maintainers contributor contributors colleague colleagues teammate teammates support"
)
PERSON_HEADS_2 = frozenset({("on", "call"), ("no", "one"), ("new", "hire"), ("new", "starter")})
DETERMINERS = word_set("the a an our their his her my your this that these those one some another")
PREPOSITIONS = word_set(
    "to for from by with of on at about into onto towards toward via per than like"
)
#: Words allowed between a subject and its verb: adverbs and auxiliaries.
SKIPPABLE = word_set(
    "also just simply then again initially originally still completely totally clearly "
    "apparently unfortunately repeatedly somehow later first had has have did do does "
    "must may might could would probably likely obviously basically accidentally "
    "mistakenly inadvertently unknowingly both all each reportedly evidently subsequently "
    "once already entirely partly briefly"
)
SYSTEM_NOUNS = word_set(
    "alert alerts alarm alarms check checks healthcheck healthchecks probe probes job "
    "jobs cron cronjob deploy deploys deployment deployments pipeline pipelines build "
    "builds ci test tests suite failover replica replicas service services server servers "
    "cluster clusters node nodes pod pods container containers queue queues cache caches "
    "balancer balancers lb router routers proxy proxies gateway gateways pager monitor "
    "monitors monitoring dashboard dashboards script scripts config configs configuration "
    "rollout rollouts rollback rollbacks canary canaries retry retries timeout timeouts "
    "breaker breakers autoscaler autoscalers database databases db dbs migration "
    "migrations backup backups certificate certificates cert certs dns api apis endpoint "
    "endpoints validator validators linter linters rule rules hook hooks webhook webhooks "
    "scheduler schedulers worker workers process processes daemon daemons agent agents "
    "system systems tool tools tooling bot bots release releases flag flags limit limits "
    "quota quotas threshold thresholds version versions index indexes disk disks volume "
    "volumes network networks firewall firewalls lease leases lock locks leader leaders "
    "primary secondary instance instances host hosts vm vms function functions lambda app "
    "apps application applications client clients library libraries sdk driver drivers "
    "handler handlers loop controller controllers page pages notification notifications "
    "email emails sms message messages request requests connection connections query "
    "queries transaction transactions batch batches upload uploads sync replication "
    "election handshake renewal rotation upgrade upgrades patch change changes commit "
    "commits pr prs merge image images schema table tables postgres postgresql mysql "
    "redis kafka nginx envoy haproxy terraform ansible helm kubernetes k8s argo argocd "
    "jenkins vault consul etcd zookeeper elasticsearch rabbitmq s3 ec2 rds cloudflare cdn "
    "prometheus grafana alertmanager datadog sentry pagerduty opsgenie github gitlab "
    "statuspage mongodb cassandra memcached celery sidekiq systemd docker kernel usage "
    "latency traffic load memory cpu throughput metric metrics graph graphs log logs signal "
    "signals spike"
)
NOT_GERUNDS = word_set("during morning evening nothing something anything everything thing")
