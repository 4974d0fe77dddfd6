"""What the demo borough's plans say: the mental health trust's PCREF plan, action by action, with the ratings and
reasons its leads gave (imperfect, as real plans are: some not rated, one red with a terse reason, some overdue,
some not updated for months), the issues communities raised that each answers, and two smaller plans.

Every person and figure here is made up. Organisations are named by core's demo keys
(``core.demo_data.organisations``); leads by kind: ``responder`` (the demo responder, when the action's lead
organisation is theirs), ``worker`` (the demo community development worker, likewise), ``staff`` (a made-up
member of the lead organisation's staff) or ``""`` (no named lead yet).
"""

from dataclasses import dataclass

from waymark.plans.choices import ActionStatus, PartnerRole, Rag

TRUST = "mental_health_trust"
ICB = "icb"
COUNCIL = "council"
CO_PRODUCERS = ("african_caribbean_advocacy", "bangladeshi_carers", "somali_womens_wellbeing")
PCREF_PARTNERS = (ICB, COUNCIL)

BOARD_LEAD = ("Dr Morgan Example", "Chief Nurse, executive lead for PCREF")
PCREF_SUMMARY = (
    "How the trust will make its care fairer for the racialised communities of Riverside and Thameside, written "
    "with community organisations and checked each quarter by the board. Progress is published every quarter."
)

# Made-up leads on the staff of each organisation that leads actions: (username, full name).
STAFF_LEADS: dict[str, list[tuple[str, str]]] = {
    TRUST: [("plans-lead-priya", "Priya Example"), ("plans-lead-tom", "Tom Example")],
    ICB: [("plans-lead-grace", "Grace Example")],
    COUNCIL: [("plans-lead-sam", "Sam Example")],
    "african_caribbean_advocacy": [("plans-lead-kofi", "Kofi Example")],
    "somali_womens_wellbeing": [("plans-lead-hodan", "Hodan Example")],
    "bangladeshi_carers": [("plans-lead-rina", "Rina Example")],
}


@dataclass(frozen=True)
class ActionPlan:
    code: str  # objective code, a dot, a number: "C2.4"
    title: str
    lead: str  # the lead organisation's demo key
    due_days: int  # due this many days from today (negative: already due), kept within the plan's period
    status: str = ActionStatus.IN_PROGRESS
    progress: int = 0
    rag: str = Rag.NOT_RATED
    reason: str = ""
    evidence: str = ""
    updated_days_ago: int | None = None  # None: never updated by its lead since it was added
    led_by: str = "staff"
    partners: tuple[tuple[str, str], ...] = ()
    earlier: tuple[str, str] | None = None  # an earlier rating and reason, so the history shows a change
    indicator: bool = False  # follows the trust's detention rate ratio (the complete action whose figure is unmoved)

    @property
    def objective(self) -> str:
        return self.code.split(".")[0]


IP, DONE, NOT_STARTED = ActionStatus.IN_PROGRESS, ActionStatus.COMPLETE, ActionStatus.NOT_STARTED
RED, AMBER, GREEN = Rag.RED, Rag.AMBER, Rag.GREEN
PARTNER, CONSULTED = PartnerRole.PARTNER, PartnerRole.CONSULTED

PCREF_ACTIONS = (
    # Leadership and governance
    ActionPlan(
        "G.1",
        "Name an executive lead for PCREF and report progress to the board every quarter",
        TRUST,
        -200,
        DONE,
        100,
        GREEN,
        "Chief Nurse named as lead; quarterly reports to the board since July.",
        evidence="Board minutes, July and October.",
        updated_days_ago=95,
    ),
    ActionPlan(
        "G.2",
        "Publish Mental Health Act detention rates by ethnic group in the board's quality report",
        TRUST,
        110,
        IP,
        60,
        AMBER,
        "Figures by ethnic group are ready, but ethnicity is missing for about one detention in ten; the board "
        "asked for completeness to be shown beside each figure before they go in the report.",
        updated_days_ago=12,
        led_by="responder",
        earlier=(GREEN, "Analyst in post; first figures in draft."),
    ),
    ActionPlan(
        "G.3",
        "Show the race equality impact on the cover sheet of every board paper",
        TRUST,
        150,
        IP,
        40,
        GREEN,
        "New cover sheet in use from this quarter; an audit of the first 20 papers is due next month.",
        updated_days_ago=75,
    ),
    ActionPlan(
        "G.4",
        "Agree a data-sharing agreement with the ICB for ethnicity figures",
        ICB,
        60,
        IP,
        30,
        AMBER,
        "Draft agreed by both information governance teams; the ICB's legal review is six weeks behind.",
        updated_days_ago=40,
        led_by="responder",
        partners=((TRUST, PARTNER),),
    ),
    # C1 Cultural awareness
    ActionPlan(
        "C1.1",
        "Run cultural awareness sessions co-delivered by community organisations on every inpatient ward",
        TRUST,
        120,
        IP,
        55,
        AMBER,
        "Sessions held on 6 of 11 wards; gaps in ward cover cancelled three dates.",
        updated_days_ago=18,
        partners=(("african_caribbean_advocacy", PARTNER), ("bangladeshi_carers", PARTNER)),
    ),
    ActionPlan(
        "C1.2",
        "Offer a female clinician who speaks the person's language at first assessment",
        TRUST,
        200,
        IP,
        35,
        RED,
        "Not enough female staff in the home treatment team to offer it in the evenings and at weekends; "
        "two recruitment rounds have not filled the posts.",
        updated_days_ago=30,
        led_by="responder",
    ),
    ActionPlan(
        "C1.3",
        "Open a prayer and quiet room on each inpatient unit",
        TRUST,
        100,
        IP,
        70,
        GREEN,
        "Rooms open on two of three units; the third opens when its refurbishment ends in March.",
        updated_days_ago=9,
    ),
    ActionPlan(
        "C1.4",
        "Put halal, kosher and vegetarian meals on every ward menu, checked monthly",
        TRUST,
        -90,
        DONE,
        100,
        GREEN,
        "Menus changed in June; monthly checks show the meals arriving with the rest.",
        updated_days_ago=50,
    ),
    ActionPlan(
        "C1.5",
        "Map the faith and community groups each community team can refer people to",
        TRUST,
        -30,
        NOT_STARTED,
        led_by="",
    ),
    # C2 Staff knowledge and awareness
    ActionPlan(
        "C2.1",
        "Anti-racism training for all clinical staff, with a refresher every three years",
        TRUST,
        115,
        IP,
        62,
        AMBER,
        "62% of clinical staff trained against 80% by March; bank staff are hard to release.",
        updated_days_ago=14,
        led_by="responder",
    ),
    ActionPlan(
        "C2.2",
        "Train approved mental health professionals on racial disparities in detention",
        COUNCIL,
        80,
        IP,
        40,
        GREEN,
        "Two of four sessions held; every AMHP is booked on one of the remaining dates.",
        updated_days_ago=22,
        partners=((TRUST, PARTNER),),
    ),
    ActionPlan(
        "C2.3",
        "Add race equality to the induction of every new starter",
        TRUST,
        -240,
        DONE,
        100,
        GREEN,
        "In the induction programme since April.",
        updated_days_ago=120,
    ),
    ActionPlan(
        "C2.4",
        "Teach staff to book interpreters and never to rely on family members",
        TRUST,
        -20,
        IP,
        20,
        RED,
        "Supplier contract not signed.",
        updated_days_ago=44,
    ),
    ActionPlan(
        "C2.5",
        "Share learning from serious incidents involving racialised patients with every team",
        TRUST,
        260,
        NOT_STARTED,
    ),
    ActionPlan(
        "C2.6",
        "Train the crisis and home treatment teams in culturally informed crisis assessment",
        TRUST,
        -60,
        DONE,
        100,
        GREEN,
        "Every crisis and home treatment clinician trained by September, co-delivered with Roots and Wings.",
        evidence="Training register: 146 of 146 staff.",
        updated_days_ago=70,
        indicator=True,
        partners=(("african_caribbean_advocacy", PARTNER),),
    ),
    # C3 Partnership working
    ActionPlan(
        "C3.1",
        "Fund community organisations to do outreach in five communities",
        ICB,
        45,
        IP,
        50,
        AMBER,
        "Three of five grants awarded; the Somali and the Gypsy and Traveller grants go to a second round after "
        "no bids.",
        updated_days_ago=33,
        led_by="responder",
        partners=((TRUST, CONSULTED),),
    ),
    ActionPlan(
        "C3.2",
        "Agree a crisis pathway with the police so that health staff arrive first",
        TRUST,
        -45,
        IP,
        30,
        RED,
        "The street triage pilot ended when its police funding stopped; no date for a replacement.",
        updated_days_ago=65,
        partners=((ICB, PARTNER),),
    ),
    ActionPlan(
        "C3.3",
        "Housing options officers join discharge planning for people with nowhere to live",
        COUNCIL,
        70,
        IP,
        45,
        AMBER,
        "Attending at one of the two hospitals; the other has no officer until a vacancy is filled.",
        updated_days_ago=10,
        partners=((TRUST, PARTNER),),
    ),
    ActionPlan(
        "C3.4",
        "Agree a referral route from community organisations into the community mental health teams",
        TRUST,
        30,
        IP,
        80,
        GREEN,
        "Route agreed and in use: 34 referrals in its first quarter.",
        updated_days_ago=6,
        partners=(("bangladeshi_carers", PARTNER), ("somali_womens_wellbeing", PARTNER)),
    ),
    ActionPlan(
        "C3.5",
        "Remind every GP surgery that registering needs no proof of address or immigration status",
        ICB,
        25,
        IP,
        50,
        GREEN,
        "Letter sent to all practices; mystery-shopper checks with the refugee drop-in next month.",
        updated_days_ago=16,
    ),
    # C4 Workforce
    ActionPlan(
        "C4.1",
        "Raise the share of senior clinical posts (band 8a and above) held by racialised staff",
        TRUST,
        450,
        IP,
        25,
        AMBER,
        "Up from 19% to 22%; reaching 30% by 2028 needs faster progress in medical posts.",
        updated_days_ago=28,
        led_by="responder",
    ),
    ActionPlan(
        "C4.2",
        "Reverse mentoring for every executive director",
        TRUST,
        -120,
        DONE,
        100,
        GREEN,
        "All eight executive directors matched; a second cohort is planned.",
        updated_days_ago=40,
    ),
    ActionPlan(
        "C4.3",
        "Close the gap between Black and White staff in formal disciplinary cases",
        TRUST,
        180,
        IP,
        30,
        RED,
        "Black staff are still twice as likely to enter a formal disciplinary process; the new triage step is not "
        "yet used on every site.",
        updated_days_ago=20,
    ),
    ActionPlan(
        "C4.4",
        "Recruit peer support workers from the communities the trust serves",
        TRUST,
        90,
        IP,
        60,
        GREEN,
        "Nine of twelve posts filled; five of the workers speak a community language.",
        updated_days_ago=45,
    ),
    ActionPlan(
        "C4.5",
        "Publish the Workforce Race Equality Standard action plan beside this plan",
        TRUST,
        120,
        ActionStatus.DEFERRED,
        10,
        AMBER,
        "Deferred to follow the national WRES timetable.",
        updated_days_ago=100,
    ),
    # C5 Co-learning
    ActionPlan(
        "C5.1",
        "Hold a community listening event after each serious incident involving a racialised patient",
        "african_caribbean_advocacy",
        140,
        IP,
        40,
        AMBER,
        "Two events held; families asked for more notice and an independent chair.",
        updated_days_ago=26,
        partners=((TRUST, PARTNER),),
    ),
    ActionPlan(
        "C5.2",
        "Report what changed after feedback at every network meeting",
        TRUST,
        160,
        IP,
        75,
        GREEN,
        "A standing item at every network meeting since the summer.",
        updated_days_ago=8,
    ),
    ActionPlan(
        "C5.3",
        "Joint learning sessions with faith leaders on the early signs of a crisis",
        TRUST,
        60,
        ActionStatus.CANCELLED,
        0,
        Rag.NOT_RATED,
        "",
        evidence="Merged into C1.1 at the board's request.",
        updated_days_ago=150,
    ),
    ActionPlan(
        "C5.4",
        "Pass on what carers say in their assessments, and say what the trust did",
        "bangladeshi_carers",
        100,
        IP,
        30,
        AMBER,
        "The carers' centre collects the themes; the trust has not yet named who receives them.",
        updated_days_ago=15,
        led_by="worker",
        partners=((TRUST, PARTNER),),
    ),
    ActionPlan(
        "C5.5",
        "Evaluate the culturally adapted talking therapy pilot with the people who used it",
        TRUST,
        220,
        NOT_STARTED,
    ),
    # C6 Co-production
    ActionPlan(
        "C6.1",
        "Pay community members for their time on co-production panels",
        TRUST,
        -150,
        DONE,
        100,
        GREEN,
        "Payment policy approved in May; 41 people paid so far.",
        updated_days_ago=60,
    ),
    ActionPlan(
        "C6.2",
        "Co-produce the talking therapies waiting list letters in six languages",
        TRUST,
        50,
        IP,
        50,
        AMBER,
        "Letters drafted in four of six languages; the Somali and Polish translations are being checked.",
        updated_days_ago=35,
        partners=(("bangladeshi_carers", PARTNER), ("somali_womens_wellbeing", PARTNER)),
        earlier=(RED, "No translation budget."),
    ),
    ActionPlan(
        "C6.3",
        "Co-producers sit on the panels that interview senior staff",
        TRUST,
        40,
        IP,
        20,
        GREEN,
        "Panel members trained; the first interviews are in January.",
        updated_days_ago=70,
    ),
    ActionPlan(
        "C6.4",
        "Co-design a women-only drop-in with women from the Somali community",
        "somali_womens_wellbeing",
        75,
        IP,
        65,
        GREEN,
        "The drop-in runs fortnightly at the community hub; about 15 women come.",
        updated_days_ago=12,
        partners=((TRUST, PARTNER),),
    ),
    ActionPlan(
        "C6.5",
        "Set up a young people's panel to advise the children and young people's service",
        TRUST,
        130,
        IP,
        15,
        AMBER,
        "Five members recruited through youth workers; the first meeting was postponed twice.",
        updated_days_ago=38,
    ),
    # F Patient and carer feedback mechanism
    ActionPlan(
        "F.1",
        "Gather feedback in community languages through partner organisations every quarter",
        TRUST,
        170,
        IP,
        70,
        GREEN,
        "Feedback in seven languages this quarter, through four partner organisations.",
        updated_days_ago=5,
        led_by="responder",
    ),
    ActionPlan(
        "F.2",
        "Answer every escalated issue within the agreed time",
        TRUST,
        120,
        IP,
        50,
        AMBER,
        "Two issues answered late this year; answers are now tracked weekly.",
        updated_days_ago=21,
        led_by="responder",
    ),
    ActionPlan(
        "F.3",
        'Publish "You said, we did" every quarter',
        TRUST,
        -10,
        IP,
        40,
        RED,
        "Quarter two not published: the post that wrote it is vacant.",
        updated_days_ago=90,
    ),
    ActionPlan(
        "F.4",
        "Answer the crisis line at weekends within a minute",
        TRUST,
        -75,
        DONE,
        100,
        GREEN,
        "Extra call handlers on Friday and Saturday nights since September.",
        evidence="94% of weekend calls answered within a minute in October.",
        updated_days_ago=55,
    ),
    ActionPlan(
        "F.5",
        "Record the ethnic group of everyone who gives feedback, if they are willing to say",
        TRUST,
        90,
        IP,
        55,
        Rag.NOT_RATED,
        "",
        updated_days_ago=47,
    ),
)

# The issues communities raised (voice's demo titles) and the actions that answer them, with how.
ISSUE_LINKS: tuple[tuple[str, str, str], ...] = (
    ("Appointments go ahead without the interpreter people need", "C2.4",
     "Staff are being taught to book interpreters and never to rely on family members."),
    ("Women cannot get a female counsellor who speaks their language", "C1.2",
     "First assessments will offer a female clinician who speaks the person's language."),
    ("Long waits for talking therapies with no news of progress", "C6.2",
     "Waiting list letters rewritten with community members, in six languages."),
    ("Black patients on the wards feel treated as dangerous", "C2.1",
     "Anti-racism training for every clinician on the wards."),
    ("Black patients on the wards feel treated as dangerous", "C2.6",
     "Crisis teams trained in culturally informed assessment."),
    ("The crisis line goes unanswered at weekends", "F.4", "More call handlers at weekends."),
    ("Police arrive before health staff in a mental health crisis", "C3.2",
     "A crisis pathway agreed with the police so that health staff arrive first."),
    ("People in hostels cannot register with a GP", "C3.5",
     "Every surgery reminded that registering needs no proof of address."),
    ("No prayer space and poor halal food on the wards", "C1.3", "A prayer and quiet room on every unit."),
    ("No prayer space and poor halal food on the wards", "C1.4", "Halal, kosher and vegetarian meals on every menu."),
    ("People discharged on Fridays with no follow-up or housing", "C3.3",
     "Housing officers join discharge planning."),
    ("No social groups for older women in community languages", "C6.4", "A women-only drop-in, designed with women."),
    ("Young people do not trust children's mental health services", "C6.5",
     "A young people's panel to advise the service."),
)  # fmt: skip

# Where objectives came from: (objective code, voice issue titles, the note the public reads).
OBJECTIVE_SOURCES = (
    ("F", ("The crisis line goes unanswered at weekends", "Appointments go ahead without the interpreter people need"),
     "Asked for at community listening events in 2024: people said they raised problems and never heard back."),
    ("C1", ("No prayer space and poor halal food on the wards",
            "Women cannot get a female counsellor who speaks their language"),
     "From feedback gathered by community organisations on wards and in community teams."),
)  # fmt: skip
# The network meetings that discussed the plan have this item on their agenda (network's demo topics).
PCREF_AGENDA_ITEM = "Patient and Carer Race Equality Framework"

# Network meeting actions raised into plan actions: (the meeting action's words, objective, rating, reason).
MEETING_ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Share the trust's PCREF data summary with the network", "G", GREEN, "Summary sent; members asked for it yearly."),
    ("Circulate the draft interpreting standard to members for comment", "C2", AMBER,
     "Comments from eight members; the final standard waits for the trust's interpreting contract."),
    ("Invite the housing options manager to the next meeting", "C3", GREEN, "Attended and agreed a named contact."),
    ("Draft the network's response to the commissioning intentions", "C3", "", ""),
    ("Send the crisis café leaflet in Bengali, Polish and Somali to members", "F", AMBER,
     "Bengali and Polish sent; the Somali version is still with the translator."),
)  # fmt: skip

# The trust's older plan, closed, and the council's draft partnership plan.
OLD_PLAN_TITLE = "Race equality and cultural capability plan"
OLD_PLAN_SUMMARY = "The trust's equality objectives before PCREF, closed when the PCREF plan replaced it."
# (code, objective, ((code, action, progress at the close), ...))
OLD_PLAN_OBJECTIVES: tuple[tuple[str, str, tuple[tuple[str, str, int], ...]], ...] = (
    ("1", "Better ethnicity recording", (
        ("1.1", "Make ethnic group a required field in the patient record", 100),
        ("1.2", "Report ethnicity completeness to the board each quarter", 100),
    )),
    ("2", "A workforce that reflects the borough", (
        ("2.1", "Diverse interview panels for every post at band 7 and above", 100),
        ("2.2", "A leadership programme for racialised staff", 100),
    )),
    ("3", "Listening to communities", (
        ("3.1", "Community engagement events in each locality", 60),
    )),
)  # fmt: skip
PARTNERSHIP_PLAN_TITLE = "Riverside mental health and race equality partnership plan"
PARTNERSHIP_PLAN_SUMMARY = (
    "A draft for consultation: what the council, the ICB, the trust and community organisations will do together "
    "on housing, crisis care and young people's mental health."
)
PARTNERSHIP_PLAN_OBJECTIVES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("1", "Safe discharge and a home to go to", (("1.1", "A joint protocol for discharge into temporary housing"),)),
    ("2", "Crisis care that communities trust", (("2.1", "A community-run crisis café open every weekend"),)),
    ("3", "Young people's mental health", (
        ("3.1", "Youth workers trained in mental health first aid in every secondary school"),
        ("3.2", "A drop-in for young people run with community youth groups"),
    )),
)  # fmt: skip

# EDS 2022 grades for the ICB, outcome by outcome: (last year's grade, this year's grade, this year's evidence).
EDS_GRADES: dict[str, tuple[int, int, str]] = {
    "1A": (1, 2, "Access by ethnic group reported for talking therapies and community mental health teams."),
    "1B": (1, 1, "Care plans rarely record language or faith needs."),
    "1C": (0, 1, "Restraint by ethnic group now reported; the gap for Black patients remains."),
    "1D": (1, 2, "Feedback gathered in seven languages through community organisations."),
    "2A": (2, 2, "Wellbeing offer in place; take-up by racialised staff not yet known."),
    "2B": (1, 1, "Staff survey: racialised staff report more harassment from patients and the public."),
    "2C": (2, 2, "Freedom to speak up guardians and staff networks in place."),
    "2D": (1, 2, "More staff would recommend the ICB as a place to work."),
    "3A": (1, 2, "Board development session on health inequalities; every director has an equality objective."),
    "3B": (0, 1, "Equality impact now on the cover sheet of board papers, not yet consistently filled in."),
    "3C": (1, 1, "Equality objectives in directors' appraisals from this year."),
}
EDS_EVIDENCE = (
    "Graded at a workshop with Healthwatch and community organisations; evidence from the ICB's equality report.",
    "Graded at two workshops with Healthwatch, community organisations and a peer review by the acute trust; "
    "evidence from commissioning data, the staff survey and board papers.",
)
EDS_GRADERS = ((ICB, "staff"), ("healthwatch", "stakeholder"), ("african_caribbean_advocacy", "stakeholder"),
               ("acute_trust", "peer"))  # fmt: skip

# The trust's self-assessment against the six PCREF competencies: (code, level, evidence).
COMPETENCY_LEVELS = (
    ("C1", "developing", "Awareness sessions on six of eleven wards; prayer rooms and menus changed."),
    ("C2", "developing", "62% of clinical staff trained in anti-racism; interpreter training not started."),
    ("C3", "established", "A referral route from community organisations in use; outreach grants awarded."),
    ("C4", "developing", "Senior posts held by racialised staff up from 19% to 22%."),
    ("C5", "not_started", ""),
    ("C6", "established", "Co-producers paid for their time and on interview panels."),
)

# Monitoring figures the plan follows, all for the trust and the borough against White British:
# (action code, or objective code with no dot; name; measure; group; target at most).
INDICATORS = (
    ("C2.6", "Detention rate ratio, Caribbean against White British", "mha_detention", "Caribbean", 2.0),
    ("G", "Detention rate ratio, African against White British", "mha_detention", "African", 2.0),
    ("C3.2", "Restraint rate ratio, Caribbean against White British", "restraint", "Caribbean", 1.5),
)
