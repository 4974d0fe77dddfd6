"""Vocabulary for the demo borough's community map: who the groups are, what they run, who pays.

Everything here is invented. Organisation names are built from a community's name stems and a kind
of group; services from a need's templates. Community names match core's reference communities and
languages are ISO 639-3 codes from core's reference languages. Phone numbers come from Ofcom's range
for drama (020 7946 0000 to 0999) and e-mail addresses end in example.org.
"""

from typing import Any

# Each community profile: stems for names, communities served (core Community names), languages
# spoken (besides English), the needs its groups most often meet, and how many groups it has.
COMMUNITY_PROFILES: list[dict[str, Any]] = [
    {
        "stems": ["Somali", "Hooyo", "Horn of Africa", "Bulsho"],
        "communities": ["Somali", "Muslim"],
        "languages": ["som", "ara"],
        "needs": ["counselling", "women", "welfare", "young-people", "faith-cultural"],
        "weight": 8,
    },
    {
        "stems": ["Bangladeshi", "Sylheti", "Shapla", "Surma Valley", "Bengali"],
        "communities": ["Bangladeshi", "Sylheti speakers", "Muslim"],
        "languages": ["syl", "ben"],
        "needs": ["carers", "older-people", "counselling", "women", "welfare"],
        "weight": 10,
    },
    {
        "stems": ["Pakistani", "Kashmiri", "Mirpuri", "Pahari", "Pothwari"],
        "communities": ["Pakistani and Kashmiri", "Muslim"],
        "languages": ["urd", "pan", "phr"],
        "needs": ["carers", "women", "counselling", "faith-cultural", "older-people"],
        "weight": 6,
    },
    {
        "stems": ["Punjabi", "Sikh", "Khalsa", "Gujarati", "Asian", "Tamil", "Sri Lankan Tamil"],
        "communities": ["Indian", "Sikh", "Hindu", "Sri Lankan Tamil"],
        "languages": ["pan", "guj", "hin", "tam"],
        "needs": ["older-people", "carers", "faith-cultural", "physical-wellbeing", "counselling"],
        "weight": 6,
    },
    {
        "stems": ["Caribbean", "Windrush", "African-Caribbean", "Black Men's", "Black Women's"],
        "communities": ["Black Caribbean", "Black African", "Mixed heritage"],
        "languages": [],
        "needs": ["advocacy", "peer-support", "counselling", "young-people", "older-people", "crisis"],
        "weight": 10,
    },
    {
        "stems": ["Nigerian", "Ghanaian", "West African", "Yoruba", "Sierra Leonean", "Congolese"],
        "communities": ["West African", "Black African", "Black-majority churches"],
        "languages": ["yor", "twi", "ibo", "kri", "lin", "fra"],
        "needs": ["faith-cultural", "counselling", "young-people", "employment", "carers"],
        "weight": 8,
    },
    {
        "stems": ["Eritrean", "Ethiopian", "Habesha", "Oromo", "Sudanese"],
        "communities": ["Eritrean", "Refugees and people seeking asylum", "Black African"],
        "languages": ["tir", "amh", "orm", "ara"],
        "needs": ["refugee-asylum", "counselling", "interpreting", "young-people"],
        "weight": 5,
    },
    {
        "stems": ["Polish", "Romanian", "Lithuanian", "Bulgarian", "Eastern European", "Ukrainian"],
        "communities": ["Polish and Eastern European"],
        "languages": ["pol", "ron", "lit", "bul", "ukr", "rus"],
        "needs": ["counselling", "employment", "welfare", "physical-wellbeing", "housing"],
        "weight": 7,
    },
    {
        "stems": ["Portuguese", "Brazilian", "Latin American", "Lusophone", "Colombian"],
        "communities": ["Latin American"],
        "languages": ["por", "spa"],
        "needs": ["welfare", "employment", "women", "counselling", "interpreting"],
        "weight": 5,
    },
    {
        "stems": ["Kurdish", "Turkish", "Turkish Cypriot", "Anatolian", "Alevi"],
        "communities": ["Kurdish", "Turkish and Turkish Cypriot"],
        "languages": ["ckb", "kmr", "tur"],
        "needs": ["refugee-asylum", "women", "welfare", "counselling", "older-people"],
        "weight": 6,
    },
    {
        "stems": ["Arab", "Syrian", "Yemeni", "Moroccan", "Iraqi", "Palestinian"],
        "communities": ["Arab", "Muslim", "Refugees and people seeking asylum"],
        "languages": ["ara"],
        "needs": ["refugee-asylum", "women", "counselling", "young-people", "faith-cultural"],
        "weight": 6,
    },
    {
        "stems": ["Afghan", "Dari", "Pashtun", "Iranian", "Persian"],
        "communities": ["Afghan", "Refugees and people seeking asylum"],
        "languages": ["prs", "pus", "fas"],
        "needs": ["refugee-asylum", "counselling", "interpreting", "young-people"],
        "weight": 4,
    },
    {
        "stems": ["Chinese", "Hong Kong", "Cantonese", "Vietnamese", "East Asian"],
        "communities": ["Chinese", "Vietnamese"],
        "languages": ["yue", "cmn", "vie"],
        "needs": ["older-people", "counselling", "carers", "physical-wellbeing"],
        "weight": 5,
    },
    {
        "stems": ["Irish", "Irish Elders'", "Traveller", "Roma", "Gypsy and Traveller"],
        "communities": ["Irish", "Gypsy, Roma and Traveller"],
        "languages": ["gle", "rom"],
        "needs": ["older-people", "advocacy", "welfare", "housing", "physical-wellbeing"],
        "weight": 4,
    },
    {
        "stems": ["Deaf", "BSL", "Deaf Community"],
        "communities": ["BSL users"],
        "languages": ["bfi"],
        "needs": ["interpreting", "peer-support", "advocacy", "counselling"],
        "weight": 2,
    },
    {
        "stems": ["Sanctuary", "New Horizons", "Welcome", "Refugee", "Open Arms"],
        "communities": ["Refugees and people seeking asylum"],
        "languages": ["ara", "fas", "tir", "som", "fra", "ckb"],
        "needs": ["refugee-asylum", "welfare", "housing", "employment", "interpreting"],
        "weight": 6,
    },
    {
        "stems": ["Shalom", "Jewish"],
        "communities": ["Jewish"],
        "languages": ["heb", "yid"],
        "needs": ["older-people", "carers", "faith-cultural"],
        "weight": 2,
    },
    {
        "stems": ["Riverside", "Canal Basin", "Northgate", "Kingsmead", "Lockside", "Market Hill", "Old Quay"],
        "communities": [],
        "languages": [],
        "needs": ["peer-support", "crisis", "housing", "welfare", "employment", "physical-wellbeing", "young-people"],
        "weight": 14,
    },
]

# (org_type, name patterns, sectors, registered). ``{stem}`` is a profile's stem, ``{place}`` a ward name.
ORGANISATION_KINDS: list[tuple[str, list[str], list[str], str]] = [
    (
        "community_group",
        [
            "{stem} Women's Group",
            "{stem} Mothers' Circle",
            "{stem} Elders' Club",
            "{stem} Youth Forum",
            "{stem} Men's Wellbeing Group",
            "{place} {stem} Friendship Group",
            "{stem} Carers' Circle",
            "{stem} Parents' Network",
        ],
        ["voluntary-and-community"],
        "",
    ),
    (
        "charity",
        [
            "{stem} Community Association",
            "{stem} Welfare Trust",
            "{stem} Advice and Support Centre",
            "{stem} Families Network",
            "{stem} Community Link",
            "{place} {stem} Project",
            "{stem} Mental Health Forum",
        ],
        ["voluntary-and-community", "mental-health"],
        "charity",
    ),
    (
        "faith_group",
        [
            "{stem} Faith and Wellbeing Fellowship",
            "{place} {stem} Congregation Care Group",
            "{stem} Pastoral Care Circle",
        ],
        ["faith", "voluntary-and-community"],
        "",
    ),
    (
        "social_enterprise",
        ["{stem} Wellbeing CIC", "{place} Recovery Café CIC", "{stem} Minds CIC", "{stem} Talking Spaces CIC"],
        ["mental-health", "employment-and-training"],
        "company",
    ),
]
KIND_WEIGHTS = [10, 9, 3, 2]

# Faith groups named for their place of worship rather than a community.
FAITH_GROUPS: list[tuple[str, list[str], list[str]]] = [
    ("Masjid al-Rahma Wellbeing Group", ["Muslim", "Bangladeshi", "Somali"], ["ben", "som", "ara"]),
    ("Bethel Gospel Assembly Care Team", ["Black-majority churches", "Black Caribbean"], []),
    ("Gurdwara Guru Nanak Seva Group", ["Sikh", "Indian"], ["pan"]),
    ("Sri Murugan Temple Welfare Committee", ["Hindu", "Sri Lankan Tamil"], ["tam"]),
    ("Redeemed Life Church Counselling Ministry", ["Black-majority churches", "West African"], ["yor"]),
    ("Riverside Synagogue Care Group", ["Jewish"], ["heb"]),
    ("Shree Krishna Mandir Seniors", ["Hindu", "Indian"], ["guj", "hin"]),
    ("East Riverside Mosque Sisters' Circle", ["Muslim", "Pakistani and Kashmiri"], ["urd", "phr"]),
    ("St Anne's Parish Befrienders", [], ["pol", "por"]),
    ("Ethiopian Orthodox Tewahedo Community Care", ["Black African", "Eritrean"], ["amh", "tir"]),
]

# Services for people who must not be found: their locations are always hidden.
REFUGES: list[dict[str, Any]] = [
    {
        "organisation": "Safe Haven Women's Aid",
        "service": "Safe Haven Refuge",
        "description": (
            "Refuge accommodation for women, with or without children, escaping domestic abuse. Staff speak "
            "Urdu, Punjabi and Bengali, and can arrange interpreters for other languages."
        ),
        "communities": [],
        "languages": ["urd", "pan", "ben"],
    },
    {
        "organisation": "Nisa Asian Women's Refuge",
        "service": "Nisa Refuge and Outreach",
        "description": (
            "A refuge and outreach service run by and for South Asian women facing domestic abuse, forced "
            "marriage or so-called honour-based abuse. The address is never given out."
        ),
        "communities": ["Bangladeshi", "Pakistani and Kashmiri", "Indian"],
        "languages": ["ben", "syl", "urd", "hin", "guj"],
    },
]

# What core's organisations run: (name, need codes, referral routes, hours kind, description).
STATUTORY_SERVICES: dict[str, list[tuple[str, list[str], str, str, str]]] = {
    "mental_health_trust": [
        (
            "Riverside Talking Therapies",
            ["counselling", "counselling-in-own-language"],
            "self gp professional",
            "weekdays",
            "Free NHS talking therapies for anxiety and depression, with therapists who speak several "
            "community languages. Refer yourself online or by phone.",
        ),
        (
            "Home Treatment Team",
            ["crisis", "crisis-out-of-hours"],
            "gp professional",
            "always",
            "Intensive support at home for adults in a mental health crisis, as an alternative to a hospital stay.",
        ),
        (
            "24-hour Mental Health Crisis Line",
            ["crisis", "crisis-helplines", "crisis-out-of-hours"],
            "self gp professional",
            "always",
            "Call any time, day or night, if you or someone you care for is in a mental health crisis. "
            "Interpreters are available by phone.",
        ),
        (
            "Early Intervention in Psychosis",
            ["counselling", "young-people"],
            "gp professional self",
            "weekdays",
            "Support for people aged 14 to 65 experiencing a first episode of psychosis, and their families.",
        ),
    ],
    "council": [
        (
            "Carers' Assessment and Support",
            ["carers", "carers-respite"],
            "self professional",
            "weekdays",
            "Ask for a carer's assessment to find out what support you can get as an unpaid carer.",
        ),
        (
            "Housing Options Service",
            ["housing", "housing-homelessness"],
            "self professional",
            "weekdays",
            "Advice if you are homeless or at risk of losing your home.",
        ),
    ],
    "healthwatch": [
        (
            "Information and Signposting Line",
            ["advocacy", "advocacy-complaints"],
            "self",
            "weekdays",
            "Independent information about health and care services, and help to make a complaint.",
        ),
    ],
    "acute_trust": [
        (
            "Liaison Psychiatry",
            ["crisis"],
            "professional",
            "always",
            "Mental health assessment for people attending Riverside General Hospital's emergency department.",
        ),
    ],
}

# Per need: (service name patterns, description sentences, application process). ``{who}`` is a
# community adjective or "" and ``{languages}`` the languages spoken.
NEED_SERVICES: dict[str, tuple[list[str], list[str], str]] = {
    "counselling": (
        ["{who} Counselling Service", "Talking Therapy in {language}", "{who} Listening Space"],
        [
            "One-to-one counselling with counsellors who share your culture and language.",
            "Up to twelve free counselling sessions, in {languages}.",
            "A confidential space to talk about stress, loss, family pressures or racism.",
        ],
        "Call or e-mail to book an assessment; we usually offer a first appointment within three weeks.",
    ),
    "advocacy": (
        ["{who} Advocacy Project", "Mental Health Advocacy", "{who} Rights and Advocacy"],
        [
            "Independent advocates who go with you to ward rounds, tribunals and care reviews.",
            "Help to be heard by mental health services and to know your rights under the Mental Health Act.",
        ],
        "Ask a professional to refer you, or contact us yourself.",
    ),
    "crisis": (
        ["{who} Evening Crisis Café", "Out-of-hours Support Line", "{who} Safe Space"],
        [
            "A calm, welcoming place to go in the evenings when things feel too much.",
            "Trained volunteers and staff to talk to when you are struggling, without an appointment.",
        ],
        "Just turn up during opening hours, or call first if you would like someone to expect you.",
    ),
    "carers": (
        ["{who} Carers' Group", "{who} Carers' Support", "Carers' Coffee Morning"],
        [
            "Support and a break for people caring for a family member with mental illness.",
            "Meet other carers, get advice on carers' assessments and benefits, and share experience.",
        ],
        "Come along to a meeting or call us to find out more.",
    ),
    "housing": (
        ["{who} Housing Advice", "Tenancy Support", "Homelessness Outreach"],
        [
            "Advice if you are at risk of losing your home, and help with housing applications.",
            "Support to keep your tenancy and sort out problems with landlords and rent.",
        ],
        "Book a session with an adviser by phone.",
    ),
    "employment": (
        ["{who} Employment Support", "ESOL and Skills Club", "Back to Work Mentoring"],
        [
            "Help to find and keep work, with CV workshops and interview practice.",
            "English classes (ESOL) for beginners and improvers, with a crèche.",
        ],
        "Enrol in person at the start of each term, or call to join a waiting list.",
    ),
    "welfare": (
        ["{who} Benefits Advice", "Welfare Rights Clinic", "{who} Food and Advice Drop-in"],
        [
            "Advice on benefits, debt and money worries, with help to fill in forms.",
            "A weekly food bank with advice on benefits and energy bills.",
        ],
        "Drop in during opening hours; no referral needed.",
    ),
    "faith-cultural": (
        ["{who} Cultural Wellbeing Group", "Pastoral Care and Listening", "{who} Community Gathering"],
        [
            "Cultural and social activities that bring people together and reduce isolation.",
            "Pastoral and spiritual support from faith leaders trained in mental health awareness.",
        ],
        "Everyone is welcome; speak to a volunteer at any gathering.",
    ),
    "interpreting": (
        ["{who} Community Interpreting", "Health Appointment Interpreters", "BSL Access Service"],
        [
            "Trained interpreters who go with you to GP and hospital appointments.",
            "Help to understand letters and forms from health and care services in {languages}.",
        ],
        "Ask us at least a week before your appointment.",
    ),
    "peer-support": (
        ["{who} Peer Support Group", "Recovery College Courses", "Hearing Voices Group", "{who} Peer Circle"],
        [
            "Peer support from people with lived experience of mental distress.",
            "Free courses on recovery and wellbeing, co-produced with people who use services.",
        ],
        "Come to a taster session; no referral needed.",
    ),
    "refugee-asylum": (
        ["{who} Asylum Advice Clinic", "Destitution Support", "{who} Refugee Befriending", "New Arrivals Welcome"],
        [
            "Free legal advice on asylum claims and appeals, with a solicitor on Thursdays.",
            "Emergency help for people seeking asylum with no money and nowhere to stay.",
            "Befriending and orientation for newly arrived refugees.",
        ],
        "Drop in or ask your support worker to refer you.",
    ),
    "young-people": (
        ["{who} Youth Mentoring", "Young People's Wellbeing Project", "{who} Youth Club"],
        [
            "Mentoring and activities for young people, with support for stress, exams and family pressure.",
            "Wellbeing workshops in schools and colleges, led by young people themselves.",
        ],
        "Young people can refer themselves; parents and schools can refer too.",
    ),
    "older-people": (
        ["{who} Lunch Club", "{who} Elders' Day Centre", "Memory Café"],
        [
            "A hot lunch, company and activities for older people, with transport for those who need it.",
            "A friendly café for people living with dementia and their carers.",
        ],
        "Call to book a place and arrange transport.",
    ),
    "women": (
        ["{who} Women's Wellbeing Group", "Women's Space", "Perinatal Peer Support"],
        [
            "A women-only space to talk, share food and build confidence.",
            "Support for new and expectant mothers feeling low or anxious.",
        ],
        "Women can come along or ask their midwife, GP or health visitor to refer them.",
    ),
    "physical-wellbeing": (
        ["{who} Walking Group", "Move More Wellbeing Sessions", "Alcohol and Drug Support"],
        [
            "Gentle walks and exercise for better mental health, at your own pace.",
            "Confidential support with alcohol and drug use.",
        ],
        "Meet us at the start point; no need to book.",
    ),
}

CHILD_NEEDS: dict[str, list[str]] = {
    "counselling": [
        "counselling-culturally-specific",
        "counselling-in-own-language",
        "counselling-trauma",
        "counselling-bereavement",
        "counselling-couples-family",
    ],
    "advocacy": ["advocacy-mental-health-act", "advocacy-community", "advocacy-complaints"],
    "crisis": ["crisis-out-of-hours", "crisis-safe-spaces", "crisis-helplines"],
    "carers": ["carers-groups", "carers-respite"],
    "housing": ["housing-homelessness", "housing-supported"],
    "employment": ["employment-support", "employment-esol", "employment-volunteering"],
    "welfare": ["welfare-benefits-advice", "welfare-debt", "welfare-food"],
    "faith-cultural": ["faith-pastoral", "faith-cultural-activities"],
    "interpreting": ["interpreting-spoken", "interpreting-translation"],
    "peer-support": ["peer-support-groups", "peer-support-one-to-one", "peer-support-recovery-college"],
    "refugee-asylum": ["refugee-asylum-legal", "refugee-asylum-destitution", "refugee-asylum-orientation"],
    "young-people": ["young-people-schools", "young-people-youth-work"],
    "older-people": ["older-people-lunch-clubs", "older-people-dementia"],
    "women": ["women-perinatal"],
    "physical-wellbeing": ["wellbeing-activity", "wellbeing-substance-use"],
}

AGE_RANGES: dict[str, tuple[int | None, int | None]] = {
    "young-people": (11, 25),
    "older-people": (60, None),
}

ELIGIBILITY: list[str] = [
    "Anyone living, working or studying in Riverside.",
    "Adults aged 18 and over.",
    "Women only.",
    "People registered with a Riverside GP.",
    "Families and carers as well as the person themselves.",
    "People of any immigration status, including people with no recourse to public funds.",
]

CONTACT_ROLES = [
    "Duty worker",
    "Intake team",
    "Group coordinator",
    "Volunteer coordinator",
    "Advice line",
    "Referrals officer",
    "Project manager",
    "Receptionist",
]

VENUE_KINDS = ["Community Centre", "Church Hall", "Community Hub", "Library", "Resource Centre", "Neighbourhood House"]

FUNDERS: list[tuple[str, str]] = [
    ("Riverside Council Voluntary Sector Grants", "grant"),
    ("NHS Thameside ICB", "contract"),
    ("Thameside Community Foundation", "grant"),
    ("Canal Basin Trust", "grant"),
    ("Northgate Charitable Trust", "grant"),
    ("Lockside Housing Association Community Fund", "grant"),
    ("Riverside Council Public Health", "contract"),
    ("Thameside and Riverside Mental Health NHS Foundation Trust", "contract"),
    ("Kingsmead Fairness Fund", "grant"),
    ("Old Quay Livery Charitable Trust", "grant"),
    ("Unrestricted reserves", "core"),
]
DONATIONS = ("Members' and community donations", "donations")
FAITH_DONATIONS = ("Congregation donations", "donations")

ACCESSIBILITY_NOTES = [
    "Step-free entrance and an accessible toilet.",
    "Upstairs with no lift; we can meet you downstairs if you tell us beforehand.",
    "Hearing loop available. Large-print leaflets on request.",
    "",
]

FEES = [
    "£5 a session, or free if you are on benefits.",
    "Sliding scale from £10 to £40 a session.",
    "£2 for lunch.",
]
