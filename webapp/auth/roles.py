"""Roles and the groups of roles that views name in their access rules."""

STAFF = "staff"
PEER = "peer"
SKP = "skp"
VOLUNTEER_COORDINATOR = "volunteer_coordinator"
LEADER = "leader"
AUTHORITY = "authority"
SECRETARIAT = "secretariat"
ADMIN = "admin"

ROLE_LABELS = {
    STAFF: "Medarbejder",
    PEER: "Peer-medarbejder",
    SKP: "SKP-medarbejder",
    VOLUNTEER_COORDINATOR: "Frivilligkoordinator",
    LEADER: "Leder",
    AUTHORITY: "Myndighedsafdelingen",
    SECRETARIAT: "Sekretariat",
    ADMIN: "Administrator",
}
ALL_ROLES = tuple(ROLE_LABELS)

# Everyone who works with citizens in the house (may log contacts, host, hold conversations, and
# sees every citizen). The volunteer coordinator is not among them (#12, need to know): she sees a
# citizen only through a volunteer request, a match or a kick-off (webapp/volunteers).
STAFF_LIKE = frozenset({STAFF, PEER, SKP, LEADER})
# Everyone who works in the house: may be picked as staff on a meeting or a group (the coordinator
# joins the kick-off meeting as staff2) and browses the volunteer world.
HOUSE_STAFF = STAFF_LIKE | {VOLUNTEER_COORDINATOR}
USER_ADMINS = frozenset({LEADER, ADMIN})
# Need to know: the full CPR number (reveal, journal copy of Min Plan) is for medarbejdere and the leader.
CPR_READERS = frozenset({STAFF, LEADER})
# Need to know: the handover to the authority department (Bilag 4) is a case document, written,
# sent and read in the house by medarbejdere and the leader.
CASE_WRITERS = frozenset({STAFF, LEADER})
# Need to know (#11): the documentation form (Bilag 6), the shadow assessment and the disability
# category are set and seen by the roles that report – medarbejdere, the leader and the secretariat.
REPORTERS = frozenset({STAFF, LEADER, SECRETARIAT})
# The economics of the shadow assessment, the disability counts and the offer catalogue's upkeep are
# the leader's and the secretariat's; medarbejdere see the key figures without them.
ECONOMICS_READERS = frozenset({LEADER, SECRETARIAT})
# The volunteer world (#12): the volunteer coordinator and the leader keep the organisations and
# their activities and work the queue of volunteer requests and the matches; HOUSE_STAFF browse and
# search them; STAFF_LIKE (who see the citizen page) ask for an activity for a citizen.
VOLUNTEER_KEEPERS = frozenset({VOLUNTEER_COORDINATOR, LEADER})
VOLUNTEER_REQUESTERS = STAFF_LIKE
# A group run may be marked as carrying on in a volunteer organisation by medarbejdere, the leader
# and the coordinator.
CONTINUATION_MARKERS = frozenset({STAFF, LEADER, VOLUNTEER_COORDINATOR})
# The kick-off meeting (#12): booked by the course's medarbejdere, the leader or the coordinator herself.
KICKOFF_BOOKERS = frozenset({STAFF, LEADER, VOLUNTEER_COORDINATOR})
