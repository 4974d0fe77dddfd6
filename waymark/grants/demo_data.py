"""What the demo borough's small grants say: the council's community wellbeing seed fund, last year's round
(decided, paid, reported) and this year's (open now), and about forty applications at every stage (last year's
thirty in ``demo_data_last_year``, for length). Every group, person, figure and date here is made up.

Groups already in the directory are named by core's demo keys (``core.demo_data.organisations``); the others are
new to Waymark, and submitting creates them as Organisations, as it would for a real applicant. Communities are
named by core's reference names. Dates are days from the day the demo is loaded (negative: in the past), so last
year's round always has reports both in and overdue and this year's is always open. Whatever the small borough
lacks is left out.

Imperfect, as real applications are: drafts left half-written, a postcode typed in lower case without its space,
a charity number typed with a space, an answer written in a hurry with typos, a group that left out where its work
happens, a group outside the borough, an individual applying to a fund for groups, a group that withdrew because the
lottery said yes first, one report that will never come (skipped with a reason) and others simply late.
"""

import enum
from dataclasses import dataclass, field
from decimal import Decimal

FUNDER = "council"  # core's demo key: the London Borough of Riverside runs the fund

# --- People --------------------------------------------------------------------------------------------------------

# The demo accounts (``demo.personas``): (username, full name, role value, organisation key, what they do)
OFFICER = ("demo-grants-officer", "Priya Example", "staff", "council")
ASSESSOR = ("demo-grants-assessor", "Tomasz Example", "staff", "council")
PANEL_MEMBER = ("demo-grants-panel", "Grace Example", "member", "african_caribbean_advocacy")

# Made-up people who assess and never sign in: (username, full name, role value, organisation key, as)
ASSESSORS = (
    ("grants-assessor-ines", "Ines Example", "staff", "council", "staff"),
    ("grants-assessor-kwame", "Kwame Example", "responder", "icb", "staff"),
    ("grants-panel-hana", "Hana Example", "member", "mosque_counselling", "panel"),
    ("grants-panel-dermot", "Dermot Example", "member", "gypsy_traveller_support", "panel"),
)

# --- The programmes ------------------------------------------------------------------------------------------------

ROUND_ONE = "round_one"
ROUND_TWO = "round_two"


@dataclass(frozen=True)
class QuestionPlan:
    key: str
    text: str
    help_text: str
    word_limit: int
    required: bool = True


@dataclass(frozen=True)
class EligibilityPlan:
    text: str
    explanation: str
    required_answer: bool = True


@dataclass(frozen=True)
class CriterionPlan:
    title: str
    guidance: str
    weight: int


@dataclass(frozen=True)
class TierPlan:
    up_to_amount: Decimal | None
    questions: tuple[str, ...]
    months_after_start: int


@dataclass(frozen=True)
class ProgrammePlan:
    key: str
    code: str
    title: str
    summary: str
    criteria: str
    priorities: str
    budget: Decimal
    minimum_award: Decimal
    maximum_award: Decimal
    opens_days: int
    closes_days: int
    decision_days: int
    payment_days: int
    communities: tuple[str, ...]
    languages: tuple[str, ...] = ("ur", "pl", "bn")
    eligible_types: tuple[str, ...] = ("charity", "community_group", "faith_group", "social_enterprise")
    panel_enabled: bool = True
    published: bool = True


QUESTIONS = (
    QuestionPlan(
        "need",
        "What need will the money meet, and how do you know?",
        "Tell us what people have told you. A few lines is enough.",
        150,
    ),
    QuestionPlan(
        "difference",
        "What difference will it make to the people who come?",
        "What will be better for them in a year's time?",
        150,
    ),
    QuestionPlan(
        "led_by",
        "How are the people you serve involved in running your group?",
        "For example: they are your volunteers, your committee, or they choose what you do.",
        100,
    ),
    QuestionPlan("money", "What will you spend the money on?", "A short list with rough costs is fine.", 100),
)

ELIGIBILITY = (
    EligibilityPlan(
        "Is your group based in Riverside, or does most of its work happen here?",
        "This fund is for work in the London Borough of Riverside. Ask us about funds for neighbouring boroughs.",
    ),
    EligibilityPlan(
        "Is your project about people's mental health or wellbeing?",
        "This fund pays for wellbeing work. The council's community chest funds other community activities.",
    ),
    EligibilityPlan(
        "Does your group have a bank account in its own name, with two unrelated people to sign?",
        "We pay grants into a group's own account. If you have none yet, talk to us: a larger local charity may hold "
        "the money for you.",
    ),
)

CRITERIA = (
    CriterionPlan(
        "Need", "People who find mainstream services hard to reach, and evidence that they want this.", weight=3
    ),
    CriterionPlan("Led by the community", "The people served run the group, choose what it does, or both.", weight=2),
    CriterionPlan("A realistic plan and budget", "The costs add up and the group can do what it says.", weight=2),
    CriterionPlan("Reaching people new to support", "People who have had no help so far.", weight=1),
)

TIERS = (
    TierPlan(Decimal("2000.00"), ("What did you do with the grant?", "Roughly how many people took part?"), 6),
    TierPlan(
        None,
        (
            "What did you do with the grant?",
            "Roughly how many people took part?",
            "What changed for the people who came?",
        ),
        9,
    ),
)

_SUMMARY = (
    "Grants of £500 to £5,000 for community groups in Riverside that look after people's mental health and "
    "wellbeing, especially groups run by and for Black, Asian and other minority ethnic communities. Small groups "
    "without a charity number are welcome."
)
_CRITERIA_TEXT = (
    "Community groups, charities, faith groups and social enterprises working in Riverside. You do not need to be "
    "registered. We do not fund individuals, private companies, or work that statutory services must pay for."
)
_PRIORITIES = (
    "Groups run by the communities they serve; work in a community's own language; people who have had no help so "
    "far, including carers, older people and people new to the country."
)

PROGRAMMES = (
    ProgrammePlan(
        key=ROUND_ONE,
        code="wellbeing-seed-1",
        title="Community Wellbeing Seed Fund: first round",
        summary=_SUMMARY,
        criteria=_CRITERIA_TEXT,
        priorities=_PRIORITIES,
        budget=Decimal("30000.00"),
        minimum_award=Decimal("500.00"),
        maximum_award=Decimal("5000.00"),
        opens_days=-330,
        closes_days=-285,
        decision_days=-245,
        payment_days=-230,
        communities=("Somali", "Bangladeshi", "Gypsy, Roma and Traveller", "Black Caribbean", "Afghan"),
    ),
    ProgrammePlan(
        key=ROUND_TWO,
        code="wellbeing-seed-2",
        title="Community Wellbeing Seed Fund: second round",
        summary=_SUMMARY,
        criteria=_CRITERIA_TEXT,
        priorities=_PRIORITIES + " This round also welcomes groups for young people.",
        budget=Decimal("50000.00"),
        minimum_award=Decimal("500.00"),
        maximum_award=Decimal("5000.00"),
        opens_days=-21,
        closes_days=24,
        decision_days=66,
        payment_days=80,
        communities=("Pakistani and Kashmiri", "Eritrean", "Kurdish", "Polish and Eastern European", "Somali"),
    ),
)

# --- The applications ----------------------------------------------------------------------------------------------


class Stage(enum.StrEnum):
    """How far an application got: the demo takes it there through the services, step by step."""

    DRAFT = "draft"
    WITHDRAWN = "withdrawn"
    SUBMITTED = "submitted"
    SCREENED_OUT = "screened_out"
    ASSESSING = "assessing"
    DECLINED = "declined"
    AWARDED = "awarded"


class Report(enum.StrEnum):
    """What became of an award's report."""

    NONE = "none"  # left as the dates make it: due, or overdue
    RECEIVED = "received"
    CONVERSATION = "conversation"  # staff wrote it down from a conversation
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ApplicationPlan:
    key: str
    programme: str
    stage: Stage
    group: str  # as the applicant typed it; "" for a draft that never got that far
    org_type: str
    contact: tuple[str, str]  # (name, e-mail)
    title: str = ""
    summary: str = ""
    amount: Decimal | None = None
    answers: dict[str, str] = field(default_factory=dict)
    communities: tuple[str, ...] = ()
    language: str = "en-gb"
    channel: str = "online"
    existing: str = ""  # core's demo key: a group already in the directory
    charity_number: str = ""  # "{charity}": a well-formed number (the group's own, if it has one); "untidy": spaced
    company_number: str = ""  # "{company}": a well-formed number
    individual: bool = False
    postcode: str = ""  # "" picks a borough postcode; "untidy" types one in lower case without its space
    dei_codes: tuple[str, ...] = ()
    dei_may_publish: bool = False
    start_days: int = -225  # when the project starts (days from today)
    months: int = 12
    submitted_days: int | None = None  # None: some day while the round was open
    # Screening and assessment
    screening: str = ""  # the reason given (eligible or not)
    strength: int = 3  # 0 to 5: how assessors score it
    conflict: str = ""  # an assessor declared this conflict on it, and another took the seat
    # This year's seats, part way: (username, "staff" or "panel", "conflict", "draft", "submitted" or "waiting")
    seats: tuple[tuple[str, str, str], ...] = ()
    panel: tuple[str, int, int, int, str] | None = None  # (recommendation, for, against, abstentions, notes)
    # The decision
    decided_days: int = -250
    reason: str = ""
    awarded: Decimal | None = None  # None: what was asked
    conditions: str = ""
    instalments: int = 1
    paid: int = 0
    report: Report = Report.NONE
    story: str = ""
    skip_reason: str = ""


def made_up_email(name: str) -> str:
    """A made-up contact e-mail address that cannot receive mail."""
    return f"{name.lower().replace(' ', '.')}@example.org"


def contact(name: str) -> tuple[str, str]:
    """A made-up applicant: (name, e-mail)."""
    return (name, made_up_email(name))


D = Decimal
FUND = "fund"
FUND_WITH_CONDITIONS = "fund_with_conditions"
DO_NOT_FUND = "do_not_fund"

THIS_YEAR: tuple[ApplicationPlan, ...] = (
    # --- This year's round, open now -----------------------------------------------------------------------------
    ApplicationPlan(
        "keep_fit_again",
        ROUND_TWO,
        Stage.DRAFT,
        "Parkfield Pakistani Women's Keep Fit",
        "community_group",
        contact("Rubina Example"),
        language="ur",
        title="Keep fit and talk",
        summary="Women-only exercise classes, then tea and a talk about how we are feeling.",
        amount=D("2800.00"),
        answers={
            "need": "Last time you asked how the classes help women's wellbeing. Women tell us the class is the only "
            "hour in the week that is theirs, and after it they talk.",
        },
        communities=("Pakistani and Kashmiri",),
    ),
    ApplicationPlan(
        "polish_draft",
        ROUND_TWO,
        Stage.DRAFT,
        "Klub Seniora Riverside",
        "community_group",
        contact("Zbigniew Example"),
        language="pl",
        title="Klub seniora",
        summary="Spotkania dla starszych Polaków mieszkających samotnie. Meetings for older Poles who live alone.",
        communities=("Polish and Eastern European",),
    ),
    ApplicationPlan(
        "bengali_draft",
        ROUND_TWO,
        Stage.DRAFT,
        "Sylhet Youth Link",
        "community_group",
        contact("Tanvir Example"),
        language="bn",
    ),
    ApplicationPlan("name_only", ROUND_TWO, Stage.DRAFT, "", "", contact("Precious Example")),
    ApplicationPlan(
        "by_phone",
        ROUND_TWO,
        Stage.SUBMITTED,
        "Kingsmead Somali Elders",
        "community_group",
        contact("Hassan Example"),
        channel="phone",
        title="Tea and talk for elders",
        summary="A weekly afternoon for Somali elders, with a GP practice nurse once a month.",
        amount=D("1400.00"),
        answers={
            "need": "Elders told our officer on the phone that they have nowhere to meet since the café closed.",
            "difference": "Company, and health checks they would not otherwise have.",
            "led_by": "The elders' committee.",
            "money": "Room £1,000, refreshments £400.",
        },
        communities=("Somali",),
        submitted_days=-6,
    ),
    ApplicationPlan(
        "on_paper",
        ROUND_TWO,
        Stage.SUBMITTED,
        "Eritrean Mothers' Coffee Ceremony",
        "community_group",
        contact("Senait Example"),
        channel="paper",
        title="Coffee ceremony",
        summary="A fortnightly coffee ceremony for Eritrean mothers, to talk about life here.",
        amount=D("700.00"),
        answers={
            "need": "Mothers who arrived alone with children.",
            "difference": "Friendship and advice from mothers who came before.",
            "led_by": "Mothers.",
            "money": "Coffee, room.",
        },
        communities=("Eritrean",),
        postcode="untidy",
        submitted_days=-4,
    ),
    ApplicationPlan(
        "too_much",
        ROUND_TWO,
        Stage.SUBMITTED,
        "Riverside Kurdish Youth",
        "community_group",
        contact("Rojda Example"),
        title="Youth wellbeing programme",
        summary="A year-long programme of activities and mentoring for Kurdish young people.",
        amount=D("5000.00"),  # the most the fund gives, for a year's programme
        answers={
            "need": "Young Kurdish people in Riverside have high levels of anxiety and nowhere to go.",
            "difference": "Young people with mentors, and some of them mentors themselves by the end.",
            "led_by": "A youth committee of eight.",
            "money": "Mentor training £2,500, activities £3,500, room £1,500.",
        },
        communities=("Kurdish",),
        submitted_days=-2,
    ),
    ApplicationPlan(
        "assessing_conflict",
        ROUND_TWO,
        Stage.ASSESSING,
        "Riverside African-Caribbean Men's Circle",
        "community_group",
        contact("Delroy Example"),
        title="Men's circle",
        summary="A monthly men's circle with a Black therapist, and a WhatsApp group between meetings.",
        amount=D("3000.00"),
        answers={
            "need": "Black men in Riverside are detained far more often and offered therapy far less.",
            "difference": "Men who talk before things reach a crisis.",
            "led_by": "Men who have been through services run it.",
            "money": "Therapist £2,100; room £600; refreshments £300.",
        },
        communities=("Black Caribbean", "Black African"),
        dei_codes=("DEI010100",),
        dei_may_publish=True,
        submitted_days=-15,
        screening="Eligible: a community group in Riverside, within the award range.",
        conflict="I was a volunteer with this group until last year.",
        seats=(
            (ASSESSOR[0], "staff", "conflict"),
            ("grants-assessor-ines", "staff", "draft"),
            (PANEL_MEMBER[0], "panel", "waiting"),
        ),
    ),
    ApplicationPlan(
        "assessing_scores",
        ROUND_TWO,
        Stage.ASSESSING,
        "Pahari Grandmothers' Garden",
        "community_group",
        contact("Zarina Example"),
        title="A garden for grandmothers",
        summary="Growing vegetables from home on the estate's unused plot, with Pahari-speaking volunteers.",
        amount=D("1900.00"),
        answers={
            "need": "Grandmothers who look after grandchildren all day and never go out for themselves.",
            "difference": "Time outside, with friends, growing food they know.",
            "led_by": "Grandmothers choose what to grow and who leads each week.",
            "money": "Tools and seeds £600, raised beds £900, water butts £400.",
        },
        communities=("Pakistani and Kashmiri",),
        language="ur",
        submitted_days=-13,
        screening="Eligible.",
        strength=4,
        seats=(
            (ASSESSOR[0], "staff", "draft"),
            ("grants-assessor-kwame", "staff", "submitted"),
            ("grants-panel-hana", "panel", "submitted"),
        ),
    ),
    ApplicationPlan(
        "assessing_new",
        ROUND_TWO,
        Stage.ASSESSING,
        "Riverside Deaf BSL Coffee Club",
        "community_group",
        contact("Megan Example"),
        title="BSL coffee club",
        summary="A weekly coffee club in BSL with a Deaf wellbeing worker.",
        amount=D("2400.00"),
        answers={
            "need": "Deaf people wait months for a BSL interpreter and are cut off from talking therapies.",
            "difference": "A place to talk in their own language, and help to get support in BSL.",
            "led_by": "Deaf volunteers run it.",
            "money": "Wellbeing worker £1,800; room £600.",
        },
        submitted_days=-11,
        screening="Eligible.",
        seats=(
            ("grants-assessor-ines", "staff", "submitted"),
            (ASSESSOR[0], "staff", "waiting"),
            (PANEL_MEMBER[0], "panel", "waiting"),
        ),
    ),
)
