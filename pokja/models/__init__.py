"""ORM models. Importing this package registers every table on ``Base.metadata``."""

from pokja.models.access_log import PersonalDataRead
from pokja.models.base import Base
from pokja.models.case import (
    CASE_CATEGORIES,
    CASE_SOURCES,
    DISMISSAL_REASONS,
    ELECTION_KINDS,
    EVIDENCE_KINDS,
    EXTERNAL_SYSTEMS,
    STAGES,
    SUBJECT_TYPES,
    VIOLATION_TYPES,
    Case,
    CaseViolationType,
    Evidence,
    ExternalRef,
    Reporter,
    Subject,
)
from pokja.models.event import (
    REGISTER_KINDS,
    Event,
    EventChainHead,
    IdempotencyKey,
    RegisterCounter,
)
from pokja.models.handoff import (
    DECLINE_REASONS,
    HANDOFF_PURPOSES,
    HANDOFF_STATUSES,
    AuthorityRule,
    Handoff,
    Share,
)
from pokja.models.pokja import (
    AGENCY_KINDS,
    MEMBER_AGENCY_KINDS,
    POKJA_LEVELS,
    POKJA_TIMEZONES,
    Agency,
    Pokja,
)
from pokja.models.service_token import ServiceToken
from pokja.models.settings import POKJA_DAY_KINDS, CaseClockExtension, PokjaDay
from pokja.models.user import (
    AGENCY_ROLES,
    ROLES,
    AuthSession,
    LoginThrottle,
    RefreshToken,
    User,
)
from pokja.models.webhook import (
    OUTBOX_STATUSES,
    WEBHOOK_EVENT_TYPES,
    OutboxMessage,
    WebhookSubscription,
)

__all__ = [
    "AGENCY_KINDS",
    "AGENCY_ROLES",
    "CASE_CATEGORIES",
    "CASE_SOURCES",
    "DECLINE_REASONS",
    "DISMISSAL_REASONS",
    "ELECTION_KINDS",
    "EVIDENCE_KINDS",
    "EXTERNAL_SYSTEMS",
    "HANDOFF_PURPOSES",
    "HANDOFF_STATUSES",
    "MEMBER_AGENCY_KINDS",
    "OUTBOX_STATUSES",
    "POKJA_DAY_KINDS",
    "POKJA_LEVELS",
    "POKJA_TIMEZONES",
    "REGISTER_KINDS",
    "ROLES",
    "STAGES",
    "SUBJECT_TYPES",
    "VIOLATION_TYPES",
    "WEBHOOK_EVENT_TYPES",
    "Agency",
    "AuthSession",
    "AuthorityRule",
    "Base",
    "Case",
    "CaseClockExtension",
    "CaseViolationType",
    "Event",
    "EventChainHead",
    "Evidence",
    "ExternalRef",
    "Handoff",
    "IdempotencyKey",
    "LoginThrottle",
    "OutboxMessage",
    "Pokja",
    "PokjaDay",
    "RefreshToken",
    "RegisterCounter",
    "Reporter",
    "ServiceToken",
    "Share",
    "Subject",
    "User",
    "WebhookSubscription",
]

from pokja.models.meeting import (
    ATTENDANCE_STATES,
    DECISION_STATUSES,
    MEETING_STATUSES,
    AgendaItem,
    Decision,
    Meeting,
    MeetingInvitation,
)
from pokja.models.recommendation import Escalation, Recommendation, Sanction

__all__ += ["Escalation", "Recommendation", "Sanction"]
__all__ += ["PersonalDataRead"]
__all__ += [
    "ATTENDANCE_STATES",
    "DECISION_STATUSES",
    "MEETING_STATUSES",
    "AgendaItem",
    "Decision",
    "Meeting",
    "MeetingInvitation",
]
