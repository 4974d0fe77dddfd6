"""The organisations of the demo borough: statutory bodies and the community sector around them.

Each entry: ``key`` (stable handle other apps' demo hooks use), ``name``, ``org_type``, ``sectors``
(Sector slugs), ``description``, and optionally ``alternate_name``, ``ods_code``, ``registered``
("charity" or "company": a fictional number is made up), ``venue`` (address line 2), ``active``,
``missing`` (fields left blank, because real directories have gaps), ``small`` (included in the
small demo), ``communities`` (Community names) and ``languages`` (ISO 639-3 codes) it works with.
"""

from typing import Any

ORGANISATIONS: list[dict[str, Any]] = [
    # --- Statutory and public bodies -------------------------------------------------------------
    {
        "key": "mental_health_trust",
        "name": "Thameside and Riverside Mental Health NHS Foundation Trust",
        "org_type": "nhs_trust",
        "ods_code": "Z9M",
        "sectors": ["health", "mental-health"],
        "venue": "The Lockside Centre",
        "small": True,
        "description": (
            "Provides community and inpatient mental health services for adults and older adults in "
            "Riverside: three community mental health teams, the home treatment team, the Lockside Centre's "
            "acute wards and the borough's health-based place of safety. Leads the trust's work on the "
            "Patient and Carer Race Equality Framework with local communities."
        ),
        "communities": [],
        "languages": ["eng"],
    },
    {
        "key": "acute_trust",
        "name": "Riverside University Hospitals NHS Trust",
        "org_type": "nhs_trust",
        "ods_code": "Z9A",
        "sectors": ["health"],
        "venue": "Riverside General Hospital",
        "small": True,
        "description": (
            "Runs Riverside General Hospital, whose emergency department is where many people in a mental "
            "health crisis first ask for help, and hosts the liaison psychiatry team run with the mental "
            "health trust."
        ),
        "communities": [],
        "languages": ["eng"],
    },
    {
        "key": "icb",
        "name": "NHS Thameside Integrated Care Board",
        "org_type": "icb",
        "ods_code": "Z9Q",
        "sectors": ["health"],
        "small": True,
        "description": (
            "Plans and pays for NHS services across Thameside, including Riverside. Commissions community "
            "mental health services, talking therapies and the voluntary sector contracts for culturally "
            "appropriate support."
        ),
        "communities": [],
        "languages": ["eng"],
    },
    {
        "key": "council",
        "name": "London Borough of Riverside",
        "alternate_name": "Riverside Council",
        "org_type": "local_authority",
        "sectors": ["local-government", "social-care", "housing"],
        "venue": "Riverside Town Hall",
        "small": True,
        "description": (
            "Responsible for adult social care, the approved mental health professional (AMHP) service, "
            "public health, housing and the borough's community development and equalities work."
        ),
        "communities": [],
        "languages": ["eng"],
    },
    {
        "key": "healthwatch",
        "name": "Healthwatch Riverside",
        "org_type": "healthwatch",
        "registered": "company",
        "sectors": ["advocacy", "health", "social-care"],
        "small": True,
        "description": (
            "The independent champion for people who use health and social care services in Riverside. "
            "Gathers what residents say, visits services to see care for itself, and escalates concerns to "
            "the trusts, the council and the integrated care board."
        ),
        "communities": [],
        "languages": ["eng"],
    },
    {
        "key": "police",
        "name": "Thameside Police - Riverside Neighbourhood Policing",
        "org_type": "other_public",
        "sectors": ["criminal-justice"],
        "small": True,
        "missing": ["website"],
        "description": (
            "The neighbourhood policing teams for Riverside's wards. Officers are often first on the scene "
            "when someone is in a mental health crisis, and work with the trust's street triage nurses."
        ),
        "communities": [],
        "languages": ["eng"],
    },
    # --- Community and voluntary sector ------------------------------------------------------------
    {
        "key": "somali_womens_wellbeing",
        "name": "Hooyo Wellbeing Circle",
        "org_type": "community_group",
        "sectors": ["voluntary-and-community", "mental-health"],
        "venue": "Kingsmead Community Centre",
        "small": True,
        "missing": ["website", "phone"],
        "description": (
            "A volunteer-run group for Somali women, meeting on Wednesday mornings. Offers a safe space to "
            "talk about stress, loss and family pressures in Somali, a monthly session with a visiting "
            "counsellor, and help to register with a GP. It has no paid staff, and the grant that pays for "
            "the room ends in March."
        ),
        "communities": ["Somali"],
        "languages": ["som", "eng"],
    },
    {
        "key": "bangladeshi_carers",
        "name": "Riverside Bangladeshi Carers' Association",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["social-care", "mental-health", "voluntary-and-community"],
        "small": True,
        "description": (
            "Supports unpaid carers of Bangladeshi heritage, many of them women caring for a family member "
            "with long-term mental illness. Runs a carers' group in Sylheti and Bengali, helps carers get a "
            "carer's assessment from the council, and goes with them to care planning reviews."
        ),
        "communities": ["Bangladeshi", "Sylheti speakers", "Muslim"],
        "languages": ["syl", "ben", "eng"],
    },
    {
        "key": "african_caribbean_advocacy",
        "name": "Roots and Wings African-Caribbean Advocacy",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["advocacy", "mental-health"],
        "small": True,
        "description": (
            "Independent mental health advocacy for people of African and Caribbean heritage, including "
            "independent mental health advocates for people detained under the Mental Health Act. Also runs "
            "a support line for families and trains ward staff on racial trauma."
        ),
        "communities": ["Black Caribbean", "Black African", "Mixed heritage"],
        "languages": ["eng"],
    },
    {
        "key": "polish_centre",
        "name": "Polish Community Centre Riverside",
        "alternate_name": "Dom Polski Riverside",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["voluntary-and-community", "welfare-and-benefits", "employment-and-training"],
        "description": (
            "Advice in Polish on benefits, housing and employment rights, a Saturday school, and a "
            "fortnightly support group for men dealing with drinking and isolation."
        ),
        "communities": ["Polish and Eastern European"],
        "languages": ["pol", "eng"],
    },
    {
        "key": "refugee_drop_in",
        "name": "Open Door Refugee and Asylum Drop-in",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["voluntary-and-community", "advocacy", "housing"],
        "venue": "St Anne's Church Hall",
        "small": True,
        "description": (
            "A weekly drop-in for refugees and people seeking asylum: a hot meal, casework on asylum support "
            "and housing, English conversation, and referral to trauma-informed therapy. Volunteer "
            "interpreters for Arabic, Farsi, Dari, Pashto, Tigrinya and Kurdish."
        ),
        "communities": ["Refugees and people seeking asylum", "Afghan", "Eritrean", "Kurdish", "Arab"],
        "languages": ["ara", "fas", "prs", "pus", "tir", "ckb", "kmr", "eng"],
    },
    {
        "key": "church_wellbeing_ministry",
        "name": "New Covenant Church Wellbeing Ministry",
        "org_type": "faith_group",
        "sectors": ["faith", "mental-health"],
        "description": (
            "The wellbeing ministry of a large Black-majority Pentecostal church. Trained volunteers run a "
            "listening service after Sunday worship, host 'Mind and Spirit' evenings with local "
            "psychiatrists, and help members and their families find their way into NHS services."
        ),
        "communities": ["Black-majority churches", "Black African", "Black Caribbean"],
        "languages": ["eng", "yor", "twi"],
    },
    {
        "key": "mosque_counselling",
        "name": "Masjid al-Noor Counselling Service",
        "org_type": "faith_group",
        "sectors": ["faith", "mental-health"],
        "small": True,
        "description": (
            "Faith-sensitive counselling for Muslim individuals and families from qualified counsellors, in "
            "Urdu, Bengali, Arabic, Somali and English, with sessions for women led by women. The mosque's "
            "imams refer people on to the community mental health team when they need more help."
        ),
        "communities": ["Muslim", "Pakistani and Kashmiri", "Bangladeshi", "Somali", "Arab"],
        "languages": ["urd", "ben", "ara", "som", "eng"],
    },
    {
        "key": "gypsy_traveller_support",
        "name": "Riverside Gypsy and Traveller Support",
        "org_type": "community_group",
        "sectors": ["voluntary-and-community", "advocacy"],
        "small": True,
        "missing": ["website", "email"],
        "description": (
            "Outreach to Gypsy, Irish Traveller and Roma families on the borough's two sites and in housing: "
            "help with GP registration and reading letters, and a men's health project on suicide prevention."
        ),
        "communities": ["Gypsy, Roma and Traveller"],
        "languages": ["eng", "rom"],
    },
    {
        "key": "kurdish_association",
        "name": "Kurdish Community Association Riverside",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["voluntary-and-community", "welfare-and-benefits"],
        "description": (
            "Advice, a women's group and youth football for Kurdish families, and referrals for survivors of "
            "torture to specialist services."
        ),
        "communities": ["Kurdish", "Refugees and people seeking asylum"],
        "languages": ["ckb", "kmr", "tur", "eng"],
    },
    {
        "key": "chinese_elders",
        "name": "Golden Years Chinese Elders' Lunch Club",
        "org_type": "community_group",
        "sectors": ["voluntary-and-community", "social-care"],
        "venue": "Riverside Library",
        "missing": ["website"],
        "description": (
            "A weekly lunch club for older Chinese people, in Cantonese and Mandarin, with tai chi, health "
            "talks and a quiet word for families worried about memory loss."
        ),
        "communities": ["Chinese"],
        "languages": ["yue", "cmn"],
    },
    {
        "key": "peer_support_cic",
        "name": "Peer Pathways CIC",
        "org_type": "social_enterprise",
        "registered": "company",
        "sectors": ["mental-health", "employment-and-training"],
        "small": True,
        "description": (
            "A community interest company that employs people with lived experience of mental illness as "
            "peer support workers. Holds a contract with the mental health trust to support people for their "
            "first six weeks at home after leaving hospital."
        ),
        "communities": [],
        "languages": ["eng", "pol", "som"],
    },
    {
        "key": "private_counselling",
        "name": "Talking Space Counselling Ltd",
        "org_type": "private_company",
        "registered": "company",
        "sectors": ["mental-health"],
        "small": True,
        "description": (
            "A private counselling practice offering short-term therapy in Turkish, Polish, Gujarati and "
            "Hindi on a sliding scale of fees, and as a subcontractor to the NHS talking therapies service."
        ),
        "communities": [],
        "languages": ["tur", "pol", "guj", "hin", "eng"],
    },
    {
        "key": "lgbtq_bme_peer_group",
        "name": "Rainbow Roots",
        "org_type": "community_group",
        "sectors": ["voluntary-and-community", "mental-health"],
        "missing": ["phone", "address"],
        "description": (
            "A peer group for LGBTQ+ people of Black, Asian and other minoritised ethnic backgrounds. Meets "
            "monthly at a venue shared with members, and runs an online chat for people not yet out to their "
            "families."
        ),
        "communities": [],
        "languages": ["eng"],
    },
    {
        "key": "eritrean_community",
        "name": "Eritrean Community Link",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["voluntary-and-community"],
        "active": False,
        "missing": ["website"],
        "description": (
            "Advice and a Sunday social for Eritrean families. Stopped meeting when its volunteer coordinator "
            "moved away; members now go to the refugee drop-in."
        ),
        "communities": ["Eritrean", "Refugees and people seeking asylum"],
        "languages": ["tir", "eng"],
    },
    {
        "key": "irish_elders",
        "name": "Riverside Irish Elders' Network",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["voluntary-and-community", "social-care"],
        "description": (
            "Befriending and lunch clubs for older Irish people, many of whom came to London in the 1950s and "
            "1960s and now live alone. Works with the council on isolation, drinking and housing repairs."
        ),
        "communities": ["Irish"],
        "languages": ["eng", "gle"],
    },
    {
        "key": "gurdwara_seva",
        "name": "Gurdwara Seva Wellbeing Group",
        "org_type": "faith_group",
        "sectors": ["faith", "mental-health"],
        "missing": ["website"],
        "description": (
            "Volunteers at the gurdwara run an evening helpline in Punjabi for families dealing with "
            "depression, addiction and domestic abuse, and a monthly langar-and-talk on mental health."
        ),
        "communities": ["Sikh", "Indian"],
        "languages": ["pan", "eng"],
    },
    {
        "key": "mandir_wellbeing",
        "name": "Shanti Wellbeing Circle",
        "org_type": "faith_group",
        "sectors": ["faith", "voluntary-and-community"],
        "description": (
            "Run by volunteers at the borough's Hindu mandir: yoga and meditation, a carers' group in "
            "Gujarati, and health talks for older members."
        ),
        "communities": ["Hindu", "Indian"],
        "languages": ["guj", "hin", "eng"],
    },
    {
        "key": "deaf_community",
        "name": "Riverside Deaf Community Connect",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["advocacy", "voluntary-and-community"],
        "missing": ["phone"],
        "description": (
            "A Deaf-led charity for Deaf people who use British Sign Language: a weekly social club, help "
            "booking BSL interpreters for health appointments, and deaf awareness training for NHS staff. "
            "Contact by e-mail or video relay."
        ),
        "communities": ["BSL users"],
        "languages": ["bfi", "eng"],
    },
    {
        "key": "pahari_womens_group",
        "name": "Pahari Voices Women's Group",
        "org_type": "community_group",
        "sectors": ["voluntary-and-community"],
        "venue": "Canal Basin Neighbourhood Centre",
        "missing": ["website", "email"],
        "description": (
            "Women of Pakistani and Kashmiri heritage meeting weekly to talk in Pahari-Pothwari, a language "
            "that is rarely written and seldom offered by interpreting services."
        ),
        "communities": ["Pakistani and Kashmiri", "Muslim"],
        "languages": ["phr", "urd", "eng"],
    },
    {
        "key": "tamil_welfare",
        "name": "Riverside Tamil Welfare Association",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["voluntary-and-community", "welfare-and-benefits"],
        "description": (
            "Advice, a Tamil Saturday school, and a support group for families living with the memory of the "
            "war in Sri Lanka."
        ),
        "communities": ["Sri Lankan Tamil", "Hindu"],
        "languages": ["tam", "eng"],
    },
    {
        "key": "arab_womens_project",
        "name": "Nour Arab Women's Project",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["voluntary-and-community", "mental-health"],
        "description": (
            "Wellbeing groups, English classes and one-to-one support in Arabic for women from North Africa "
            "and the Middle East, with a crèche."
        ),
        "communities": ["Arab", "Muslim", "Refugees and people seeking asylum"],
        "languages": ["ara", "eng"],
    },
    {
        "key": "latin_american_network",
        "name": "Latin American Wellbeing Network",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["voluntary-and-community", "employment-and-training", "welfare-and-benefits"],
        "description": (
            "Advice on work and immigration in Spanish and Portuguese, and a wellbeing group for cleaners and "
            "other night-shift workers."
        ),
        "communities": ["Latin American"],
        "languages": ["spa", "por", "eng"],
    },
    {
        "key": "borough_mental_health_charity",
        "name": "Riverside Mental Health Action",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["mental-health", "employment-and-training"],
        "description": (
            "The borough's general mental health charity: a crisis café open evenings and weekends, "
            "employment support and a recovery college. Working with community groups to reach people it "
            "has not reached before."
        ),
        "communities": [],
        "languages": ["eng"],
    },
    {
        "key": "young_peoples_wellbeing",
        "name": "Next Gen Wellbeing Riverside",
        "org_type": "charity",
        "registered": "charity",
        "sectors": ["mental-health", "education"],
        "description": (
            "Mental health support for young people aged 14 to 25 of Black, Asian and other minoritised "
            "ethnic heritage: mentoring, a youth-led podcast and a weekly drop-in at the college."
        ),
        "communities": ["Black African", "Black Caribbean", "Mixed heritage", "Bangladeshi"],
        "languages": ["eng"],
    },
    {
        "key": "vietnamese_families",
        "name": "Vietnamese Family Wellbeing Group",
        "org_type": "community_group",
        "sectors": ["voluntary-and-community"],
        "active": False,
        "missing": ["website", "phone", "email"],
        "description": "",
        "communities": ["Vietnamese"],
        "languages": ["vie"],
    },
    {
        "key": "jewish_befriending",
        "name": "Shalom Befriending Circle",
        "org_type": "faith_group",
        "sectors": ["faith", "social-care"],
        "description": (
            "Volunteers from the synagogue visit and phone older Jewish people who live alone, and run a "
            "monthly tea with a visiting GP."
        ),
        "communities": ["Jewish"],
        "languages": ["eng", "heb", "yid"],
    },
]
