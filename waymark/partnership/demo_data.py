"""What the demo borough's partnership working says: two partnerships, their decisions, the consultation calendar
and the community development team. Every person, date and figure here is made up.

Organisations are named by core's demo keys (``core.demo_data.organisations``), communities and themes by their
reference names and slugs, plan actions by their code in the PCREF plan (``plans.demo_data``), issues by their title
in voice's demo. Dates are days from the day the demo is loaded (negative: in the past), so the calendar always has
something open, something coming and a year behind it. Whatever the small borough lacks is left out.
"""

from dataclasses import dataclass, field

from waymark.partnership.choices import ConsultationMethod as M
from waymark.partnership.choices import ConsultationStatus as S

# --- The partnerships --------------------------------------------------------------------------------------------

RACE_EQUALITY = "Riverside Race Equality and Mental Health Partnership"
ENGAGEMENT_FORUM = "Riverside Community Engagement Forum"


@dataclass(frozen=True)
class MemberPlan:
    organisation: str  # demo key
    lead: str = ""  # a username from STAFF below, a persona's ("demo-responder"), or "" when none is named yet
    deputy: str = ""
    joined_days_ago: int | None = None  # None: a founder, date not recorded
    left_days_ago: int | None = None


@dataclass(frozen=True)
class PartnershipPlan:
    name: str
    purpose: str
    terms_of_reference: str  # empty: meets as the demo network and uses its terms
    meets_as_network: bool
    delivers_plans: bool
    members: tuple[MemberPlan, ...]


# Made-up people who lead or deputise for their organisation and never sign in: (username, full name, organisation
# key). Those plans' demo already made (plans-lead-…) are found, not made again.
STAFF = (
    ("partnership-lead-ayo", "Ayo Example", "healthwatch"),
    ("partnership-lead-bilal", "Bilal Example", "mosque_counselling"),
    ("partnership-lead-rosa", "Rosa Example", "gypsy_traveller_support"),
    ("partnership-lead-faisal", "Faisal Example", "refugee_drop_in"),
    ("partnership-lead-dana", "Dana Example", "peer_support_cic"),
    ("partnership-deputy-mei", "Mei Example", "council"),
    ("partnership-deputy-olu", "Olu Example", "icb"),
)

PARTNERSHIPS = (
    PartnershipPlan(
        name=RACE_EQUALITY,
        purpose=(
            "The trust, the ICB, the council and community organisations working together on race equality in "
            "mental health care: one shared plan (the trust's PCREF plan and the council's partnership plan), "
            "decisions resting on what communities say and on the monitoring figures."
        ),
        terms_of_reference="",
        meets_as_network=True,
        delivers_plans=True,
        members=(
            MemberPlan("mental_health_trust", lead="plans-lead-priya", deputy="demo-responder"),
            MemberPlan("icb", lead="plans-lead-grace", deputy="partnership-deputy-olu"),
            MemberPlan("council", lead="plans-lead-sam", deputy="partnership-deputy-mei"),
            MemberPlan("african_caribbean_advocacy", lead="plans-lead-kofi"),
            MemberPlan("bangladeshi_carers", lead="plans-lead-rina", deputy="demo-worker"),
            MemberPlan("somali_womens_wellbeing", lead="plans-lead-hodan"),  # no deputy yet
            MemberPlan("healthwatch", lead="partnership-lead-ayo"),
            MemberPlan("refugee_drop_in", lead="partnership-lead-faisal", joined_days_ago=200),
            # The police came to the first meetings and left when the crisis pathway moved to its own group.
            MemberPlan("police", joined_days_ago=420, left_days_ago=150),
        ),
    ),
    PartnershipPlan(
        name=ENGAGEMENT_FORUM,
        purpose=(
            "Statutory bodies and community organisations agreeing who consults whom, and when, so that "
            "communities are asked once, properly, and told what came of it."
        ),
        terms_of_reference=(
            "1. Purpose: co-ordinate consultation and engagement with Riverside's communities across the NHS, the "
            "council and the voluntary sector.\n"
            "2. Members: one named lead and a deputy from each member organisation.\n"
            "3. Every member records planned consultations on the shared calendar before fixing dates, and "
            "talks to the other lead when the calendar warns of a clash.\n"
            "4. Decisions by consensus of the members present; between meetings, by the chair after asking "
            "members by e-mail.\n"
            "5. Reviewed every year."
        ),
        meets_as_network=False,
        delivers_plans=False,
        members=(
            MemberPlan("healthwatch", lead="partnership-lead-ayo"),
            MemberPlan("council", lead="partnership-deputy-mei"),
            MemberPlan("icb", lead="partnership-deputy-olu", deputy="plans-lead-grace"),
            MemberPlan("mosque_counselling", lead="partnership-lead-bilal", joined_days_ago=300),
            MemberPlan("gypsy_traveller_support", lead="partnership-lead-rosa", joined_days_ago=300),
            MemberPlan("refugee_drop_in", lead="partnership-lead-faisal", joined_days_ago=250),
            MemberPlan("peer_support_cic", lead="partnership-lead-dana", joined_days_ago=90),
            MemberPlan("somali_womens_wellbeing"),  # joined, nobody named yet
        ),
    ),
)

# --- The consultation calendar ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationPlan:
    key: str  # how decisions and tests refer to it
    title: str
    lead: str  # organisation key
    communities: tuple[str, ...]
    themes: tuple[str, ...]  # theme slugs
    starts: int  # days from today
    days: int  # how long it runs: 0 for a one-day event
    method: str
    status: str
    partnership: str = ""  # a partnership's name, or "" for none
    contact: str = "Engagement lead"
    email: str = ""  # "" when the lead body gave none
    phone: str = ""
    published: bool = False
    public_link: str = ""
    purpose: str = ""
    reported_days_ago: int | None = None
    report_summary: str = ""
    report_url: str = ""
    issues: tuple[str, ...] = ()  # issues it produced, by title
    actions: tuple[str, ...] = ()  # PCREF plan actions it feeds, by code
    extra: dict[str, str] = field(default_factory=dict)


BLACK = ("Black Caribbean", "Black African")
WE_ASKED = (
    "We asked people who had rung the crisis line at a weekend, and their families, what happened when they called "
    "and what would have helped."
)
YOU_SAID_WE_DID = (
    "You said: calls at weekends often went unanswered or were passed to a recorded message; several of you gave up "
    "and went to A&E or rang the police; you wanted someone who understood your culture, and a call-back you could "
    "trust.\n\n"
    "We did: the trust has added weekend staff to the line and now publishes how quickly calls are answered; the "
    "partnership has funded a weekend crisis café run with community organisations; we will ask again in a year "
    "whether it has made a difference."
)

CONSULTATIONS = (
    # --- A year behind: closed, reported or cancelled --------------------------------------------------------
    ConsultationPlan(
        "equality_objectives", "Equality objectives: what should the council focus on?", "council",
        ("Black Caribbean", "Black African", "Bangladeshi", "Somali", "Polish and Eastern European",
         "Gypsy, Roma and Traveller", "Pakistani and Kashmiri", "Indian"),
        ("data-and-monitoring",), -340, 30, M.SURVEY, S.REPORTED, RACE_EQUALITY,
        email="equalities@riverside.example.org", reported_days_ago=280, published=True,
        report_summary="We asked which inequalities matter most. You said mental health care, housing and being "
                       "heard. We did: three of the council's four equality objectives now name them.",
        report_url="https://council.example.org/equality-objectives-report",
    ),
    ConsultationPlan(
        "detention_listening", "Detention and the Mental Health Act: listening events", "mental_health_trust",
        (*BLACK, "Mixed heritage"), ("detention", "police-involvement"), -330, 28, M.PUBLIC_MEETING, S.REPORTED,
        RACE_EQUALITY, email="engagement@trust.example.org", phone="020 7946 0311", reported_days_ago=250,
        report_summary="Families told us how detention happened and what they were told. The partnership now "
                       "reviews detention rates by ethnic group every quarter.",
        issues=("Black patients on the wards feel treated as dangerous",), actions=("G.2", "C3.2"),
    ),
    ConsultationPlan(
        "prayer_space", "Prayer space and food on the wards", "mental_health_trust",
        ("Muslim", "Somali", "Bangladeshi", "Jewish"), ("faith-and-spiritual-needs", "dignity-and-respect"),
        -300, 30, M.INTERVIEWS, S.REPORTED, RACE_EQUALITY, email="engagement@trust.example.org",
        reported_days_ago=210,
        report_summary="Patients and visitors said there was nowhere to pray and little halal or kosher food. "
                       "Prayer rooms are being opened unit by unit and menus checked every month.",
        issues=("No prayer space and poor halal food on the wards",), actions=("C1.3", "C1.4"),
    ),
    ConsultationPlan(
        "somali_women", "Somali women: counsellors who speak our language", "somali_womens_wellbeing",
        ("Somali",), ("women", "interpreting"), -260, 30, M.FOCUS_GROUP, S.REPORTED, RACE_EQUALITY,
        contact="Women's group co-ordinator", reported_days_ago=200,
        report_summary="Women could not see a female counsellor who speaks Somali. A women-only drop-in is "
                       "being co-designed with them.",
        issues=("Women cannot get a female counsellor who speaks their language",), actions=("C6.4", "C1.2"),
    ),
    ConsultationPlan(
        "ramadan", "Ramadan and mental health: an afternoon at the mosque", "mosque_counselling",
        ("Muslim",), ("faith-and-spiritual-needs",), -240, 0, M.DROP_IN, S.CLOSED, ENGAGEMENT_FORUM,
        contact="Counselling service", email="counselling@example.org",
    ),
    ConsultationPlan(
        "crisis_line", "Weekend crisis line: your experience", "healthwatch",
        (*BLACK, "Somali"), ("crisis-lines",), -230, 30, M.SURVEY, S.REPORTED, ENGAGEMENT_FORUM,
        contact="Healthwatch engagement officer", email="engagement@healthwatch.example.org",
        phone="020 7946 0415", published=True, reported_days_ago=150, purpose=WE_ASKED,
        report_summary=YOU_SAID_WE_DID,
        report_url="https://healthwatch-riverside.example.org/reports/weekend-crisis-line",
        issues=("The crisis line goes unanswered at weekends",), actions=("F.4", "C2.6"),
    ),
    ConsultationPlan(
        "hostels_gp", "GP registration for people living in hostels", "refugee_drop_in",
        ("Refugees and people seeking asylum", "Afghan", "Eritrean"), ("gp-registration", "housing-and-homelessness"),
        -200, 15, M.DROP_IN, S.REPORTED, "", contact="Drop-in manager", reported_days_ago=160,
        report_summary="People in hostels were turned away by surgeries asking for proof of address. The ICB has "
                       "reminded every surgery that none is needed.",
        issues=("People in hostels cannot register with a GP",), actions=("C3.5",),
    ),
    ConsultationPlan(
        "talking_therapies", "Talking therapies: how long did you wait?", "icb",
        ("Bangladeshi", "Pakistani and Kashmiri", "Indian"), ("waiting-times",), -180, 30, M.SURVEY, S.CLOSED,
        RACE_EQUALITY, email="engagement@icb.example.org",
        # Closed six months ago and still not reported: the partnership has asked for the report.
    ),
    ConsultationPlan(
        "young_people_camhs", "Young people's trust in children's mental health services",
        "african_caribbean_advocacy", (*BLACK, "Mixed heritage"), ("young-people",), -150, 30, M.WORKSHOP,
        S.CLOSED, RACE_EQUALITY, contact="Youth worker", email="youth@example.org",
    ),
    ConsultationPlan(
        "homelessness", "Homelessness strategy: mental health and a home", "council",
        ("Refugees and people seeking asylum", "Somali", "Eritrean"), ("housing-and-homelessness",), -120, 30,
        M.ONLINE, S.REPORTED, RACE_EQUALITY, email="housing.strategy@riverside.example.org", reported_days_ago=40,
        report_summary="Reported to the council's cabinet; a joint discharge protocol is being drafted.",
    ),
    ConsultationPlan(
        "older_people", "Older people's mental health", "icb",
        ("Irish", "Black Caribbean", "Chinese"), ("older-people",), -100, 30, M.FOCUS_GROUP, S.CLOSED, "",
        email="engagement@icb.example.org",
    ),
    ConsultationPlan(
        "stop_and_search", "Stop and search and mental health", "police",
        ("Black Caribbean", "Somali"), ("police-involvement",), -90, 30, M.PUBLIC_MEETING, S.CANCELLED, "",
        contact="Neighbourhood inspector",
    ),
    ConsultationPlan(
        "interpreting_past", "Interpreting at appointments: the patient's view", "healthwatch",
        ("Bangladeshi", "Polish and Eastern European", "Turkish and Turkish Cypriot"), ("interpreting",), -60, 20,
        M.INTERVIEWS, S.CLOSED, ENGAGEMENT_FORUM, contact="Healthwatch engagement officer",
        email="engagement@healthwatch.example.org",
    ),
    ConsultationPlan(
        "ae_discharge", "Leaving A&E after a mental health crisis", "acute_trust",
        ("Somali", "Refugees and people seeking asylum"), ("discharge-and-aftercare",), -50, 20, M.INTERVIEWS,
        S.CLOSED, "", contact="Patient experience team", email="patient.experience@acute.example.org",
    ),
    # Nobody closed it when it ended, four weeks ago.
    ConsultationPlan(
        "womens_drop_in", "Women-only drop-in: co-design sessions", "somali_womens_wellbeing",
        ("Somali",), ("women",), -40, 14, M.WORKSHOP, S.OPEN, RACE_EQUALITY, contact="Women's group co-ordinator",
    ),
    # --- Open now and coming: these still ask, so these can clash ---------------------------------------------
    ConsultationPlan(
        "asylum_isolation", "Asylum and mental health: what gets in the way", "refugee_drop_in",
        ("Refugees and people seeking asylum", "Afghan", "Kurdish"), ("isolation",), -20, 30, M.DROP_IN, S.OPEN,
        ENGAGEMENT_FORUM, contact="Drop-in manager", published=True,
        public_link="https://open-door.example.org/have-your-say",
    ),
    # Clash 2 (nearby weeks): the council and Healthwatch both ask Somali people about leaving hospital.
    ConsultationPlan(
        "housing_after_hospital", "Housing support after a hospital stay", "council",
        ("Somali", "Refugees and people seeking asylum"), ("housing-and-homelessness", "discharge-and-aftercare"),
        -10, 30, M.SURVEY, S.OPEN, RACE_EQUALITY, email="housing.strategy@riverside.example.org",
        phone="020 7946 0288", published=True, public_link="https://council.example.org/consult/housing-after-hospital",
    ),
    ConsultationPlan(
        "gp_travellers", "GP registration for Traveller families", "gypsy_traveller_support",
        ("Gypsy, Roma and Traveller",), ("gp-registration",), -5, 30, M.DROP_IN, S.OPEN, ENGAGEMENT_FORUM,
        contact="Site liaison worker", published=True,
    ),
    # Clash 1: three bodies plan to ask Black African and Caribbean people about crisis care within weeks.
    ConsultationPlan(
        "ae_experience", "Mental health in the emergency department", "acute_trust",
        ("Black African", "Mixed heritage"), ("emergency-department",), 5, 14, M.SURVEY, S.PLANNED, "",
        contact="Patient experience team", email="patient.experience@acute.example.org",
    ),
    ConsultationPlan(
        "accessible_bsl", "Accessible information for Deaf BSL users", "healthwatch",
        ("BSL users",), ("accessible-information",), 15, 30, M.FOCUS_GROUP, S.PLANNED, ENGAGEMENT_FORUM,
        contact="Healthwatch engagement officer", email="engagement@healthwatch.example.org",
    ),
    ConsultationPlan(
        "crisis_help", "What would help you in a mental health crisis?", "mental_health_trust",
        BLACK, ("crisis-lines", "crisis-and-acute-care"), 20, 28, M.FOCUS_GROUP, S.PLANNED, RACE_EQUALITY,
        contact="Community engagement manager", email="engagement@trust.example.org", phone="020 7946 0311",
    ),
    ConsultationPlan(
        "discharge_experience", "Leaving hospital: your experience", "healthwatch",
        ("Somali", "Eritrean"), ("discharge-and-aftercare",), 25, 25, M.INTERVIEWS, S.PLANNED, ENGAGEMENT_FORUM,
        contact="Healthwatch engagement officer", email="engagement@healthwatch.example.org",
    ),
    ConsultationPlan(
        "urgent_care_review", "Urgent and emergency mental health care review", "icb",
        ("Black Caribbean", "Mixed heritage"), ("emergency-department",), 30, 30, M.ONLINE, S.PLANNED,
        RACE_EQUALITY, email="engagement@icb.example.org",
    ),
    ConsultationPlan(
        "faith_mental_health", "Faith and mental health: what helps", "mosque_counselling",
        ("Muslim", "Pakistani and Kashmiri"), ("faith-and-spiritual-needs",), 40, 30, M.FOCUS_GROUP, S.PLANNED,
        ENGAGEMENT_FORUM, contact="Counselling service", email="counselling@example.org",
    ),
    # Clash 3: the same trust twice, two teams asking Bangladeshi families about access in the same weeks.
    ConsultationPlan(
        "interpreters", "Interpreters at appointments", "mental_health_trust",
        ("Bangladeshi", "Sylheti speakers"), ("interpreting",), 60, 30, M.INTERVIEWS, S.PLANNED, RACE_EQUALITY,
        contact="Interpreting services manager", email="interpreting@trust.example.org",
    ),
    ConsultationPlan(
        "therapy_letters", "Talking therapies: waiting and the letters we send", "mental_health_trust",
        ("Bangladeshi",), ("waiting-times", "community-languages"), 70, 30, M.SURVEY, S.PLANNED, RACE_EQUALITY,
        contact="Talking therapies service lead", email="talking.therapies@trust.example.org",
    ),
    ConsultationPlan(
        "street_triage", "Street triage: community views", "police",
        BLACK, ("police-involvement",), 100, 30, M.PUBLIC_MEETING, S.PLANNED, "", contact="Neighbourhood inspector",
    ),
    ConsultationPlan(
        "carers_voices", "Carers' voices", "bangladeshi_carers",
        ("Bangladeshi", "Sylheti speakers"), ("carers",), 110, 15, M.FOCUS_GROUP, S.PLANNED, RACE_EQUALITY,
        contact="TBC",  # not decided yet
    ),
    ConsultationPlan(
        "womens_clinicians", "Women's mental health: female clinicians and language", "icb",
        ("Somali", "Arab"), ("women", "cultural-competence"), 120, 30, M.FOCUS_GROUP, S.PLANNED, RACE_EQUALITY,
        email="engagement@icb.example.org",
    ),
    ConsultationPlan(
        "young_black_men", "Young Black men and mental health services", "african_caribbean_advocacy",
        (*BLACK, "Mixed heritage"), ("young-people", "men"), 150, 30, M.WORKSHOP, S.PLANNED, RACE_EQUALITY,
        contact="Youth worker", email="youth@example.org",
    ),
    ConsultationPlan(
        "suicide_prevention", "Suicide prevention strategy refresh", "council",
        ("Turkish and Turkish Cypriot", "Irish", "Polish and Eastern European"), ("suicide-prevention",), 180, 60,
        M.SURVEY, S.PLANNED, "", email="public.health@riverside.example.org",
    ),
    ConsultationPlan(
        "peer_support_men", "Peer support for Eastern European men: work and money", "peer_support_cic",
        ("Polish and Eastern European",), ("employment", "poverty"), 200, 30, M.DROP_IN, S.PLANNED,
        ENGAGEMENT_FORUM, contact="Peer support lead",
    ),
    ConsultationPlan(
        "cost_of_living", "Cost of living and wellbeing", "council",
        ("Bangladeshi", "Pakistani and Kashmiri"), ("poverty", "welfare-benefits"), 250, 30, M.SURVEY, S.PLANNED,
        "", email="public.health@riverside.example.org",
    ),
)  # fmt: skip

# The clashes the calendar must show, as pairs of keys (the tests check them).
CLASHES = (
    ("ae_experience", "crisis_help"),
    ("ae_experience", "urgent_care_review"),
    ("crisis_help", "urgent_care_review"),
    ("housing_after_hospital", "discharge_experience"),
    ("interpreters", "therapy_letters"),
)

# --- Decisions ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionPlan:
    partnership: str
    days_ago: int  # the partnership that meets as the network decides at its meeting nearest this day
    decision: str
    rationale: str
    decided_by: str
    issues: tuple[str, ...] = ()
    snapshot: bool = False  # rests on the published monitoring figures
    consultations: tuple[str, ...] = ()
    evidence_actions: tuple[str, ...] = ()
    following: tuple[str, ...] = ()
    at_meeting: bool = True


BOARD = "The partnership board, by consensus"
CHAIR = "The chair, between meetings, after asking members by e-mail"
FORUM = "The forum's members present"

DECISIONS = (
    DecisionPlan(
        RACE_EQUALITY, 360, "Adopt the trust's PCREF plan as the partnership's shared plan",
        "One plan that every member signs up to, rather than four plans that overlap.", BOARD, snapshot=True,
        evidence_actions=("G.1",), following=("G.1",),
    ),
    DecisionPlan(
        RACE_EQUALITY, 315, "Review detention rates by ethnic group at every meeting",
        "Black Caribbean and Black African people are detained at several times the rate of White British people "
        "in the published figures, and families said the same at the listening events.", BOARD, snapshot=True,
        issues=("Black patients on the wards feel treated as dangerous",), consultations=("detention_listening",),
        following=("G.2",),
    ),
    DecisionPlan(
        RACE_EQUALITY, 270, "Ask the police and the trust to agree a crisis pathway in which health staff arrive first",
        "People described police arriving before any health worker; the figures show detentions under section 136 "
        "rising.", BOARD, issues=("Police arrive before health staff in a mental health crisis",),
        consultations=("detention_listening",), snapshot=True, following=("C3.2",),
    ),
    DecisionPlan(
        RACE_EQUALITY, 225, "Make prayer rooms and faith meals a standard on every ward",
        "", BOARD,  # nobody wrote the rationale down
        issues=("No prayer space and poor halal food on the wards",), consultations=("prayer_space",),
        following=("C1.3", "C1.4"),
    ),
    DecisionPlan(
        RACE_EQUALITY, 190, "Fund a women-only drop-in co-designed with Somali women",
        "Women could not see a female counsellor who speaks their language; they asked to design the service.",
        BOARD, issues=("Women cannot get a female counsellor who speaks their language",),
        consultations=("somali_women",), following=("C6.4", "C1.2"),
    ),
    DecisionPlan(
        RACE_EQUALITY, 160, "Remind every GP surgery that registration needs no proof of address",
        "Agreed between meetings so that the reminder went out before the winter.", CHAIR,
        issues=("People in hostels cannot register with a GP",), consultations=("hostels_gp",), following=("C3.5",),
        at_meeting=False,
    ),
    DecisionPlan(
        RACE_EQUALITY, 140, "Staff the crisis line at weekends and fund a weekend crisis café",
        "The Healthwatch survey heard that weekend calls go unanswered; the trust's own figures agree.", BOARD,
        issues=("The crisis line goes unanswered at weekends",), consultations=("crisis_line",),
        evidence_actions=("F.4",), following=("F.4", "C2.6"),
    ),
    DecisionPlan(
        RACE_EQUALITY, 95, "Book professional interpreters for every appointment that needs one",
        "Appointments went ahead with family members interpreting, or none.", BOARD,
        issues=("Appointments go ahead without the interpreter people need",), consultations=("interpreting_past",),
        following=("C2.4",),
    ),
    DecisionPlan(
        RACE_EQUALITY, 50, "Ask the ICB for the talking therapies consultation's report by the next meeting",
        "It closed months ago and people who took part have heard nothing.", BOARD,
        consultations=("talking_therapies",), snapshot=True,
    ),
    DecisionPlan(
        RACE_EQUALITY, 20, "Combine the trust's, the ICB's and the acute trust's crisis care consultations",
        "The calendar shows three bodies about to ask Black African and Caribbean people about crisis care within "
        "weeks of each other. One set of sessions, run with Roots and Wings, will serve all three.", BOARD,
        consultations=("crisis_help", "urgent_care_review", "ae_experience"),
    ),
    DecisionPlan(
        ENGAGEMENT_FORUM, 330, "Keep one shared consultation calendar for the borough",
        "Members found out about each other's consultations from the people they were asking.", FORUM,
        consultations=("equality_objectives", "detention_listening"), at_meeting=False,
    ),
    DecisionPlan(
        ENGAGEMENT_FORUM, 240, "Pay community members for their time in consultations",
        "Community organisations are asked for free, again and again.", FORUM, following=("C6.1",), at_meeting=False,
    ),
    DecisionPlan(
        ENGAGEMENT_FORUM, 130, "Publish what was heard within three months of a consultation closing",
        "Closing the loop is what makes people willing to be asked again.", FORUM,
        consultations=("crisis_line", "talking_therapies"), at_meeting=False,
    ),
    DecisionPlan(
        ENGAGEMENT_FORUM, 30, "Give Somali women's groups a rest from consultation until the spring",
        "Somali people were asked by five bodies this year; the next asks should be combined.", CHAIR,
        consultations=("somali_women", "homelessness", "ae_discharge", "housing_after_hospital"), at_meeting=False,
    ),
)  # fmt: skip

# --- The community development team -------------------------------------------------------------------------------

TEAM_NAME = "Riverside community development workers"
TEAM_EMPLOYER = "council"
MANAGER = ("demo-cdw-manager", "Lee Example")
# (username, full name, what their year looks like)
WORKERS = (
    ("demo-cdw-amira", "Amira Example", "drifts"),  # into access-facilitator casework in the last two quarters
    ("demo-cdw-jo", "Jo Example", "balanced"),  # with a month's leave and some entries left thin
    ("demo-cdw-dev", "Dev Example", "mapping"),  # one winter quarter on community mapping: no service development
)

VENUES = (
    "Sylheti Community Association hall",
    "Market Hill library",
    "Open Door drop-in",
    "Hooyo Wellbeing Circle",
    "Trust headquarters",
    "Council offices, Northgate",
    "Online",
    "",
)
OUTCOMES = {
    "outreach": ("Met new families at the market stall; three asked for the carers' group.", ""),
    "group_meeting": ("Group agreed to run a monthly wellbeing session.", "Helped the group plan its AGM."),
    "one_to_one": (
        "Helped a man register with a GP and book an interpreter.",
        "Went with a woman to her assessment; explained the Mental Health Act leaflet in Somali.",
        "Chased a housing referral for someone leaving hospital.",
        "Supported a family to make a complaint about discharge.",
    ),
    "partnership": ("Raised the weekend crisis line at the partnership meeting.", "Agreed a referral route."),
    "training": ("Co-delivered cultural awareness training on a ward.", "Mental health first aid course."),
    "event": ("Ran a stall at the community festival.",),
    "consultation": ("Helped the trust run a focus group in Bengali.", ""),
    "mapping": ("Mapped the faith groups in Northgate that offer befriending.",),
    "other": ("",),
}
