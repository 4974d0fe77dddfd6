"""Reference vocabularies every Waymark site starts with, as plain data.

Migration ``core/0002_reference_data`` loads these lists (it upserts, so a
later migration can load a corrected list again). Keeping them as data here,
not inside the migration, lets tests and the demo read the same lists.

Ethnic group codes
------------------
``ons-2021``: the ONS 2021 census "Ethnic group (20 categories)" classification
used by table TS021. Each group's ``code`` is the ONS category number 1-19 in
that table's order; category -8 ("Does not apply") is not an ethnic group and
is left out.

``nhs-ethnic-category``: the NHS Data Dictionary ETHNIC CATEGORY letters A-S,
with Z (not stated: the person was asked and declined) and 99 (not known: the
person was not asked). Z and 99 do not count as coded ethnicity.
"""

from typing import Any

ONS_2021 = "ons-2021"
NHS_ETHNIC_CATEGORY = "nhs-ethnic-category"

_ONS_ASIAN = "Asian, Asian British or Asian Welsh"
_ONS_BLACK = "Black, Black British, Black Welsh, Caribbean or African"
_ONS_MIXED = "Mixed or Multiple ethnic groups"
_ONS_WHITE = "White"
_ONS_OTHER = "Other ethnic group"

_NHS_WHITE = "White"
_NHS_MIXED = "Mixed"
_NHS_ASIAN = "Asian or Asian British"
_NHS_BLACK = "Black or Black British"
_NHS_OTHER = "Other ethnic groups"
_NHS_NOT_STATED = "Not stated"

# Each group: (code, label, high-level group, is_stated). List order is the published order.
ETHNIC_CODE_SETS: list[dict[str, Any]] = [
    {
        "slug": ONS_2021,
        "name": "ONS 2021 census ethnic group",
        "version": "2021 (TS021, 20 categories)",
        "source_url": (
            "https://www.ons.gov.uk/census/census2021dictionary/variablesbytopic/"
            "ethnicgroupnationalidentitylanguageandreligionvariablescensus2021/ethnicgroup"
        ),
        "groups": [
            ("1", "Bangladeshi", _ONS_ASIAN, True),
            ("2", "Chinese", _ONS_ASIAN, True),
            ("3", "Indian", _ONS_ASIAN, True),
            ("4", "Pakistani", _ONS_ASIAN, True),
            ("5", "Other Asian", _ONS_ASIAN, True),
            ("6", "African", _ONS_BLACK, True),
            ("7", "Caribbean", _ONS_BLACK, True),
            ("8", "Other Black", _ONS_BLACK, True),
            ("9", "White and Asian", _ONS_MIXED, True),
            ("10", "White and Black African", _ONS_MIXED, True),
            ("11", "White and Black Caribbean", _ONS_MIXED, True),
            ("12", "Other Mixed or Multiple ethnic groups", _ONS_MIXED, True),
            ("13", "English, Welsh, Scottish, Northern Irish or British", _ONS_WHITE, True),
            ("14", "Irish", _ONS_WHITE, True),
            ("15", "Gypsy or Irish Traveller", _ONS_WHITE, True),
            ("16", "Roma", _ONS_WHITE, True),
            ("17", "Other White", _ONS_WHITE, True),
            ("18", "Arab", _ONS_OTHER, True),
            ("19", "Any other ethnic group", _ONS_OTHER, True),
        ],
    },
    {
        "slug": NHS_ETHNIC_CATEGORY,
        "name": "NHS Data Dictionary ethnic category",
        "version": "2001 census categories",
        "source_url": "https://www.datadictionary.nhs.uk/data_elements/ethnic_category.html",
        "groups": [
            ("A", "White British", _NHS_WHITE, True),
            ("B", "White Irish", _NHS_WHITE, True),
            ("C", "Any other White background", _NHS_WHITE, True),
            ("D", "White and Black Caribbean", _NHS_MIXED, True),
            ("E", "White and Black African", _NHS_MIXED, True),
            ("F", "White and Asian", _NHS_MIXED, True),
            ("G", "Any other mixed background", _NHS_MIXED, True),
            ("H", "Indian", _NHS_ASIAN, True),
            ("J", "Pakistani", _NHS_ASIAN, True),
            ("K", "Bangladeshi", _NHS_ASIAN, True),
            ("L", "Any other Asian background", _NHS_ASIAN, True),
            ("M", "Caribbean", _NHS_BLACK, True),
            ("N", "African", _NHS_BLACK, True),
            ("P", "Any other Black background", _NHS_BLACK, True),
            ("R", "Chinese", _NHS_OTHER, True),
            ("S", "Any other ethnic group", _NHS_OTHER, True),
            ("Z", "Not stated", _NHS_NOT_STATED, False),
            ("99", "Not known", _NHS_NOT_STATED, False),
        ],
    },
]

# (ISO 639-3 code, English name, own name in its own script, text direction)
LANGUAGES: list[tuple[str, str, str, str]] = [
    ("eng", "English", "English", "ltr"),
    ("cym", "Welsh", "Cymraeg", "ltr"),
    ("bfi", "British Sign Language", "British Sign Language (BSL)", "ltr"),
    ("gle", "Irish", "Gaeilge", "ltr"),
    ("gla", "Scottish Gaelic", "Gàidhlig", "ltr"),
    ("urd", "Urdu", "اردو", "rtl"),
    ("pan", "Punjabi", "ਪੰਜਾਬੀ", "ltr"),
    ("phr", "Pahari-Pothwari", "پہاڑی", "rtl"),
    ("syl", "Sylheti", "সিলেটি", "ltr"),
    ("ben", "Bengali", "বাংলা", "ltr"),
    ("guj", "Gujarati", "ગુજરાતી", "ltr"),
    ("hin", "Hindi", "हिन्दी", "ltr"),
    ("tam", "Tamil", "தமிழ்", "ltr"),
    ("mal", "Malayalam", "മലയാളം", "ltr"),
    ("npi", "Nepali", "नेपाली", "ltr"),
    ("sin", "Sinhala", "සිංහල", "ltr"),
    ("ara", "Arabic", "العربية", "rtl"),
    ("fas", "Persian (Farsi)", "فارسی", "rtl"),
    ("prs", "Dari", "دری", "rtl"),
    ("pus", "Pashto", "پښتو", "rtl"),
    ("ckb", "Kurdish (Sorani)", "کوردیی سۆرانی", "rtl"),
    ("kmr", "Kurdish (Kurmanji)", "Kurmancî", "ltr"),
    ("heb", "Hebrew", "עברית", "rtl"),
    ("yid", "Yiddish", "ייִדיש", "rtl"),
    ("som", "Somali", "Soomaali", "ltr"),
    ("amh", "Amharic", "አማርኛ", "ltr"),
    ("tir", "Tigrinya", "ትግርኛ", "ltr"),
    ("orm", "Oromo", "Afaan Oromoo", "ltr"),
    ("swa", "Swahili", "Kiswahili", "ltr"),
    ("yor", "Yoruba", "Yorùbá", "ltr"),
    ("ibo", "Igbo", "Asụsụ Igbo", "ltr"),
    ("twi", "Twi", "Twi", "ltr"),
    ("lin", "Lingala", "Lingála", "ltr"),
    ("kri", "Krio", "Krio", "ltr"),
    ("fra", "French", "Français", "ltr"),
    ("por", "Portuguese", "Português", "ltr"),
    ("spa", "Spanish", "Español", "ltr"),
    ("ita", "Italian", "Italiano", "ltr"),
    ("pol", "Polish", "Polski", "ltr"),
    ("ron", "Romanian", "Română", "ltr"),
    ("lit", "Lithuanian", "Lietuvių", "ltr"),
    ("lav", "Latvian", "Latviešu", "ltr"),
    ("slk", "Slovak", "Slovenčina", "ltr"),
    ("ces", "Czech", "Čeština", "ltr"),
    ("hun", "Hungarian", "Magyar", "ltr"),
    ("rus", "Russian", "Русский", "ltr"),
    ("ukr", "Ukrainian", "Українська", "ltr"),
    ("bul", "Bulgarian", "Български", "ltr"),
    ("sqi", "Albanian", "Shqip", "ltr"),
    ("tur", "Turkish", "Türkçe", "ltr"),
    ("ell", "Greek", "Ελληνικά", "ltr"),
    ("rom", "Romani", "Romani čhib", "ltr"),
    ("yue", "Cantonese", "廣東話", "ltr"),
    ("cmn", "Mandarin", "普通话", "ltr"),
    ("vie", "Vietnamese", "Tiếng Việt", "ltr"),
    ("tgl", "Tagalog", "Tagalog", "ltr"),
    ("tha", "Thai", "ไทย", "ltr"),
]

# (slug, name)
SECTORS: list[tuple[str, str]] = [
    ("health", "Health (NHS)"),
    ("mental-health", "Mental health"),
    ("social-care", "Social care"),
    ("housing", "Housing"),
    ("employment-and-training", "Employment and training"),
    ("education", "Education"),
    ("criminal-justice", "Criminal justice"),
    ("faith", "Faith"),
    ("voluntary-and-community", "Voluntary and community"),
    ("advocacy", "Advocacy"),
    ("welfare-and-benefits", "Welfare and benefits"),
    ("local-government", "Local government"),
]

# (slug, name, description, children as (slug, name)). Slugs are unique across both levels.
THEMES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "access-to-services",
        "Access to services",
        "Whether people can get the help they need, when they need it.",
        [
            ("interpreting", "Interpreting and translation"),
            ("waiting-times", "Waiting times"),
            ("gp-registration", "GP registration"),
            ("referral-routes", "Referral routes and pathways"),
            ("digital-exclusion", "Digital exclusion"),
        ],
    ),
    (
        "experience-of-care",
        "Experience of care",
        "How people are treated once they are in contact with services.",
        [
            ("cultural-competence", "Cultural competence"),
            ("dignity-and-respect", "Dignity and respect"),
            ("faith-and-spiritual-needs", "Faith and spiritual needs"),
            ("discrimination", "Discrimination and racism"),
            ("diagnosis-and-medication", "Diagnosis and medication"),
            ("involvement-in-care", "Involvement in care planning"),
        ],
    ),
    (
        "mental-health-act",
        "Mental Health Act and restrictive practice",
        "Compulsion and coercion, where the largest ethnic inequalities are recorded.",
        [
            ("detention", "Detention"),
            ("community-treatment-orders", "Community treatment orders"),
            ("restraint", "Restraint"),
            ("seclusion", "Seclusion"),
            ("police-involvement", "Police involvement"),
            ("advocacy-and-rights", "Advocacy and rights"),
        ],
    ),
    (
        "crisis-and-acute-care",
        "Crisis and acute care",
        "Help in a mental health crisis and care on inpatient wards.",
        [
            ("crisis-lines", "Crisis lines and crisis cafés"),
            ("emergency-department", "Emergency departments"),
            ("inpatient-wards", "Inpatient wards"),
            ("discharge-and-aftercare", "Discharge and aftercare"),
        ],
    ),
    (
        "community-and-prevention",
        "Community and prevention",
        "Wellbeing, early help and the strengths of communities themselves.",
        [
            ("stigma", "Stigma"),
            ("isolation", "Isolation and loneliness"),
            ("carers", "Carers"),
            ("young-people", "Young people"),
            ("older-people", "Older people"),
            ("women", "Women"),
            ("men", "Men"),
            ("suicide-prevention", "Suicide prevention"),
        ],
    ),
    (
        "social-determinants",
        "Social determinants",
        "The conditions of life that shape mental health.",
        [
            ("housing-and-homelessness", "Housing and homelessness"),
            ("employment", "Employment"),
            ("welfare-benefits", "Welfare and benefits"),
            ("immigration-status", "Immigration status"),
            ("poverty", "Poverty and debt"),
        ],
    ),
    (
        "workforce-and-leadership",
        "Workforce and leadership",
        "Who works in services and who leads them.",
        [
            ("representative-workforce", "Representative workforce"),
            ("training", "Training"),
            ("community-leadership", "Community leadership"),
        ],
    ),
    (
        "information-and-communication",
        "Information and communication",
        "What people are told, in which languages and formats.",
        [
            ("accessible-information", "Accessible information"),
            ("community-languages", "Information in community languages"),
            ("data-and-monitoring", "Ethnic monitoring and data"),
        ],
    ),
]

# Communities: ethnic groups are linked by code in each code set; language by ISO 639-3 code.
COMMUNITIES: list[dict[str, Any]] = [
    {
        "name": "Black Caribbean",
        "kind": "ethnic_group",
        "description": "People of Caribbean heritage, including the Windrush generation and their families.",
        "ethnic_groups": {ONS_2021: ["7"], NHS_ETHNIC_CATEGORY: ["M"]},
    },
    {
        "name": "Black African",
        "kind": "ethnic_group",
        "description": "People of African heritage, from many countries and language groups.",
        "ethnic_groups": {ONS_2021: ["6"], NHS_ETHNIC_CATEGORY: ["N"]},
    },
    {
        "name": "West African",
        "kind": "ethnic_group",
        "description": "People of Nigerian, Ghanaian, Sierra Leonean and other West African heritage.",
        "ethnic_groups": {ONS_2021: ["6"], NHS_ETHNIC_CATEGORY: ["N"]},
    },
    {
        "name": "Somali",
        "kind": "ethnic_group",
        "description": "People of Somali heritage, including Somaliland.",
        "ethnic_groups": {ONS_2021: ["6"], NHS_ETHNIC_CATEGORY: ["N"]},
        "language": "som",
    },
    {
        "name": "Eritrean",
        "kind": "ethnic_group",
        "description": "People of Eritrean heritage, many of whom came to the UK as refugees.",
        "ethnic_groups": {ONS_2021: ["6"], NHS_ETHNIC_CATEGORY: ["N"]},
        "language": "tir",
    },
    {
        "name": "Pakistani and Kashmiri",
        "kind": "ethnic_group",
        "description": "People of Pakistani heritage, including Mirpuri and other Kashmiri communities.",
        "ethnic_groups": {ONS_2021: ["4"], NHS_ETHNIC_CATEGORY: ["J"]},
    },
    {
        "name": "Bangladeshi",
        "kind": "ethnic_group",
        "description": "People of Bangladeshi heritage; most British Bangladeshi families have roots in Sylhet.",
        "ethnic_groups": {ONS_2021: ["1"], NHS_ETHNIC_CATEGORY: ["K"]},
    },
    {
        "name": "Indian",
        "kind": "ethnic_group",
        "description": "People of Indian heritage, including Gujarati, Punjabi and East African Asian families.",
        "ethnic_groups": {ONS_2021: ["3"], NHS_ETHNIC_CATEGORY: ["H"]},
    },
    {
        "name": "Chinese",
        "kind": "ethnic_group",
        "description": "People of Chinese heritage, from Hong Kong, mainland China, Malaysia and elsewhere.",
        "ethnic_groups": {ONS_2021: ["2"], NHS_ETHNIC_CATEGORY: ["R"]},
    },
    {
        "name": "Vietnamese",
        "kind": "ethnic_group",
        "description": "People of Vietnamese heritage; recorded as Other Asian in most NHS and census data.",
        "ethnic_groups": {ONS_2021: ["5"], NHS_ETHNIC_CATEGORY: ["L"]},
        "language": "vie",
    },
    {
        "name": "Sri Lankan Tamil",
        "kind": "ethnic_group",
        "description": "Tamil people from Sri Lanka, many of whom came to the UK during and after the civil war.",
        "ethnic_groups": {ONS_2021: ["5"], NHS_ETHNIC_CATEGORY: ["L"]},
        "language": "tam",
    },
    {
        "name": "Afghan",
        "kind": "ethnic_group",
        "description": "People of Afghan heritage, speaking Dari, Pashto and other languages.",
        "ethnic_groups": {ONS_2021: ["5", "19"], NHS_ETHNIC_CATEGORY: ["L", "S"]},
    },
    {
        "name": "Irish",
        "kind": "ethnic_group",
        "description": "People of Irish heritage, including older people who came to Britain in the 1950s and 1960s.",
        "ethnic_groups": {ONS_2021: ["14"], NHS_ETHNIC_CATEGORY: ["B"]},
    },
    {
        "name": "Gypsy, Roma and Traveller",
        "kind": "ethnic_group",
        "description": "Romany Gypsies, Irish Travellers and Roma: among the groups with the poorest health outcomes.",
        "ethnic_groups": {ONS_2021: ["15", "16"], NHS_ETHNIC_CATEGORY: ["C"]},
    },
    {
        "name": "Polish and Eastern European",
        "kind": "ethnic_group",
        "description": (
            "People from Poland, Romania, Lithuania, Bulgaria and other Central and Eastern European countries."
        ),
        "ethnic_groups": {ONS_2021: ["17"], NHS_ETHNIC_CATEGORY: ["C"]},
    },
    {
        "name": "Turkish and Turkish Cypriot",
        "kind": "ethnic_group",
        "description": "People of Turkish and Turkish Cypriot heritage.",
        "ethnic_groups": {ONS_2021: ["17", "19"], NHS_ETHNIC_CATEGORY: ["C", "S"]},
        "language": "tur",
    },
    {
        "name": "Kurdish",
        "kind": "ethnic_group",
        "description": "Kurdish people from Turkey, Iraq, Iran and Syria.",
        "ethnic_groups": {ONS_2021: ["19"], NHS_ETHNIC_CATEGORY: ["S"]},
    },
    {
        "name": "Arab",
        "kind": "ethnic_group",
        "description": "People of Arab heritage from North Africa and the Middle East.",
        "ethnic_groups": {ONS_2021: ["18"], NHS_ETHNIC_CATEGORY: ["S"]},
        "language": "ara",
    },
    {
        "name": "Latin American",
        "kind": "ethnic_group",
        "description": "People from Latin America, speaking Spanish and Portuguese.",
        "ethnic_groups": {ONS_2021: ["19"], NHS_ETHNIC_CATEGORY: ["S"]},
    },
    {
        "name": "Mixed heritage",
        "kind": "ethnic_group",
        "description": "People of mixed or multiple ethnic heritage.",
        "ethnic_groups": {ONS_2021: ["9", "10", "11", "12"], NHS_ETHNIC_CATEGORY: ["D", "E", "F", "G"]},
    },
    {
        "name": "Muslim",
        "kind": "faith",
        "description": "Muslim communities of many ethnic backgrounds.",
    },
    {
        "name": "Sikh",
        "kind": "faith",
        "description": "Sikh communities, often organised around the gurdwara.",
    },
    {
        "name": "Hindu",
        "kind": "faith",
        "description": "Hindu communities, often organised around the mandir.",
    },
    {
        "name": "Black-majority churches",
        "kind": "faith",
        "description": "Christian congregations whose members are mostly of African or Caribbean heritage.",
    },
    {
        "name": "Jewish",
        "kind": "faith",
        "description": "Jewish communities, including Orthodox and Charedi communities.",
    },
    {
        "name": "Refugees and people seeking asylum",
        "kind": "refugee_asylum",
        "description": "People who have fled persecution, whatever their ethnic group or stage in the asylum process.",
    },
    {
        "name": "BSL users",
        "kind": "language",
        "description": "Deaf people whose first or preferred language is British Sign Language.",
        "language": "bfi",
    },
    {
        "name": "Sylheti speakers",
        "kind": "language",
        "description": "Speakers of Sylheti, the home language of most British Bangladeshi families.",
        "language": "syl",
    },
]

_ACCESSIBILITY = """\
This accessibility statement applies to this website. The organisation that runs this Waymark site \
provides it using Waymark, open-source software for race equality in mental health care.

We want as many people as possible to be able to use this website. For example, that means you should be able to:

- change colours, contrast levels and fonts using your browser or device settings
- zoom in up to 400% without the text spilling off the screen
- navigate the whole website using just a keyboard
- navigate most of the website using speech recognition software
- listen to most of the website using a screen reader
- read pages in right-to-left languages where content is provided in them

We have also made the text as simple as possible to understand.

[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier to use if you have a disability.

## How accessible this website is

We aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. \
The pages are built with the NHS.UK design system and are checked with automated accessibility \
tests before each release.

Some content is added by the people who use this site, and may not be fully accessible:

- documents people upload, such as PDF files and spreadsheets, may not be accessible to screen readers
- descriptions written by organisations may use plain language less consistently than the rest of the site

## What to do if you cannot access parts of this website

If you need information on this website in a different format, such as accessible PDF, large print, \
easy read, audio or braille, contact the organisation that runs this Waymark site. \
We will consider your request and reply within 10 working days.

## Reporting accessibility problems with this website

We are always looking to improve the accessibility of this website. If you find a problem that is \
not listed on this page, or think we are not meeting accessibility requirements, contact the \
organisation that runs this Waymark site. Please tell us the web address of the page, what you \
were trying to do, and the device and any assistive technology you were using.

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector \
Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the \
"accessibility regulations"). If you are not happy with how we respond to your complaint, contact \
the [Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/).

## Technical information about this website's accessibility

The organisation that runs this Waymark site is committed to making its website accessible, \
in accordance with the accessibility regulations.

### Compliance status

This website is designed to be fully compliant with the Web Content Accessibility Guidelines \
version 2.2 AA standard. Content that people upload, described above, may not be.

## Preparation of this accessibility statement

This statement was prepared on 22 November 2026. The pages were tested with automated \
accessibility checks (axe-core) against WCAG 2.2 AA, and by using them with a keyboard alone.
"""

_PRIVACY = """\
This notice explains what personal data this website holds, why, and what your rights are. \
The organisation that runs this Waymark site is the data controller for it.

## What personal data we hold

- **Accounts**: your name, e-mail address, the organisation you work for, the roles you hold, \
when you signed in, and your two-step verification settings.
- **Network contacts**: the name, job title, organisation and work contact details of people \
in professional networks and forums, which lists and meetings they belong to, their event \
bookings, and any access or dietary needs they tell us about.
- **Community voice**: what people tell us through feedback forms and community events. You \
can give feedback without telling us who you are. If you tell us about your health, ethnicity \
or religion, this is special category data and we protect it accordingly.
- **Grants**: the names and contact details of the people who apply for, assess and report on \
small grants for their groups.
- **Audit records**: who changed which record and when, so that changes can be checked.

Ethnic monitoring on this site uses counts of people, not records about individual patients. \
Small numbers are suppressed before anything is published, so that no one can be identified.

## Why we use it, and our lawful bases

Under the UK General Data Protection Regulation (UK GDPR) we rely on:

- **legitimate interests** or **public task**, depending on the kind of organisation running \
this site, to run networks, answer concerns and manage grants
- **consent** for bulletins and mailing lists, which you can withdraw at any time using the \
unsubscribe link in every message
- for special category data, your **explicit consent**, or the conditions in the Data \
Protection Act 2018 (Schedule 1) for health and social care purposes and for equality of \
opportunity monitoring

We record the lawful basis, and any consent you gave, alongside your details.

## Who we share it with

We never sell personal data. When a concern is passed to the body that must answer it, such \
as an NHS trust, a council or an integrated care board, we share only what they need to \
answer, and we do not share who raised it unless that person agrees. Companies that host \
and support this website process data for us under contract and only on our instructions.

## How long we keep it

- Accounts: while the account is in use, and for 12 months after the last sign-in.
- Network contacts: while you are a member, and for 2 years after you leave.
- Feedback and concerns: for 6 years after they are closed, then kept only as anonymous counts.
- Grant records: for 7 years after the grant ends, as funders' audit rules require.
- Audit records: for as long as the record they describe is kept.

## Your rights

You have the right to:

- ask for a copy of the personal data we hold about you (a subject access request); we will \
reply within one month
- ask us to correct data that is wrong
- ask us to erase your data, where we have no lawful reason to keep it
- object to, or ask us to restrict, how we use your data
- withdraw your consent at any time, where we rely on it

To use any of these rights, contact the organisation that runs this Waymark site. This site \
can export everything it holds about a person, and erase it, so we can act on your request quickly.

## Cookies

This site uses only the cookies it needs to work. Read the [cookie statement](/pages/cookies/).

## Complaints

If you are unhappy with how we have used your data, contact the organisation that runs this \
Waymark site first. You can also complain to the \
[Information Commissioner's Office (ICO)](https://ico.org.uk/make-a-complaint/), \
the UK's independent regulator for data protection.
"""

_COOKIES = """\
Cookies are small files saved on your phone, tablet or computer when you visit a website.

## Cookies this site uses

This site uses only strictly necessary cookies. It does not use analytics, advertising or \
any other tracking cookies, and it does not load anything from other websites that could set them.

| Name | Purpose | Expires |
| --- | --- | --- |
| `sessionid` | Keeps you signed in as you move from page to page | After 8 hours, or when you sign out |
| `csrftoken` | Protects the forms you fill in from being submitted by other websites | After 1 year |

## Why we do not ask for consent

Strictly necessary cookies are needed for the site to work, so the Privacy and Electronic \
Communications Regulations (PECR) do not require us to ask for your consent to use them. \
You can block or delete cookies in your browser settings, but you will not be able to sign in.

## More information

Read the [privacy notice](/pages/privacy/) to find out how we use personal data.
"""

# (slug, title, Markdown body)
SITE_PAGES: list[tuple[str, str, str]] = [
    ("accessibility", "Accessibility statement", _ACCESSIBILITY),
    ("privacy", "Privacy notice", _PRIVACY),
    ("cookies", "Cookie statement", _COOKIES),
]
