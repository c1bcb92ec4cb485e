"""Imports every model module so metadata (and Alembic) knows all tables."""

from .audit import AuditEvent  # noqa: F401
from .auth.models import LoginSession, User, UserRole  # noqa: F401
from .citizens.models import Citizen, Course, GuideConversation, Meeting, Relative  # noqa: F401
from .documentation.models import CourseDocumentation, MunicipalOffer, ShadowLine  # noqa: F401
from .groups.models import GroupAttendance, GroupEnrolment, GroupMeeting, GroupRun, GroupTheme  # noqa: F401
from .handover.models import Consent, DirectAuthorityProposal, Handover  # noqa: F401
from .meeting.models import MeetingDecision  # noqa: F401
from .messages.models import OutboxMessage  # noqa: F401
from .outcomes.models import FitScore, ScaleWording  # noqa: F401
from .outreach.models import OutreachRequest, OutreachVisit  # noqa: F401
from .plans.models import Plan, PlanDraft, PlanFollowUp, PlanVersion  # noqa: F401
from .privacy.models import PrivacyRequest  # noqa: F401
from .volunteers.models import VolunteerActivity, VolunteerOrganisation  # noqa: F401
from .welcome.models import ChangeCounter, Contact, HostDuty  # noqa: F401
