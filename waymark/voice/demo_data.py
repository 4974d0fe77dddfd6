"""Synthetic feedback and issues for the demo borough, written for Waymark (no real people or quotes).

``TOPICS`` name the feedback the demo generates, each with its themes (core taxonomy slugs). ``TEXTS`` holds,
per ISO 639-3 language, what people say about some of the topics, each with an English summary;
``PUBLIC_QUOTES`` the words staff edited for quoting publicly. ``ISSUES``
are what staff make of the topics, with the organisation asked to answer and the answer it gives.
"""

from dataclasses import dataclass

TOPICS: dict[str, tuple[str, ...]] = {
    "interpreting": ("interpreting", "community-languages"),
    "waiting": ("waiting-times", "referral-routes"),
    "cultural": ("cultural-competence", "women"),
    "discrimination": ("discrimination", "dignity-and-respect"),
    "crisis": ("crisis-lines", "emergency-department"),
    "police": ("police-involvement", "detention"),
    "gp": ("gp-registration", "immigration-status"),
    "faith": ("faith-and-spiritual-needs", "inpatient-wards"),
    "discharge": ("discharge-and-aftercare", "housing-and-homelessness"),
    "positive": ("involvement-in-care", "cultural-competence"),
    "isolation": ("isolation", "older-people"),
    "stigma": ("stigma", "young-people"),
}
POSITIVE_TOPICS = frozenset({"positive"})

# language → topic → [(text, English summary)]; English texts are their own summary.
TEXTS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "eng": {
        "interpreting": [
            (
                "I waited three weeks for an appointment and when I got there nobody had booked an interpreter, "
                "so my son had to translate about my medication.",
                "",
            ),
            (
                "The crisis team rang my mother but spoke only English; she did not understand that they were "
                "coming to the house.",
                "",
            ),
        ],
        "waiting": [
            (
                "My referral for talking therapy has been open for eight months and no one has told me where I am "
                "on the list.",
                "",
            ),
            ("The GP said the memory clinic wait is over a year. My father is getting worse while we wait.", ""),
        ],
        "cultural": [
            (
                "My sister asked for a female counsellor who speaks Urdu and was told there is nobody, so she "
                "stopped going.",
                "",
            ),
            (
                "The therapist kept saying my faith was part of the problem. I felt judged and did not go back.",
                "",
            ),
        ],
        "discrimination": [
            (
                "On the ward staff treated my brother as dangerous from the first day. Another patient who did the "
                "same was spoken to kindly.",
                "",
            ),
            ("The receptionist laughed at my accent and asked about my papers before she would book me in.", ""),
        ],
        "crisis": [
            ("We called the crisis line four times on a Saturday night and nobody answered.", ""),
            (
                "We sat in A&E for eleven hours with my daughter in distress, in a corridor with no privacy.",
                "",
            ),
        ],
        "police": [
            ("The police came before any nurse did. My cousin was handcuffed in front of the whole street.", ""),
            (
                "Why are young Black men detained so much more often? Our group wants to see the numbers.",
                "",
            ),
        ],
        "gp": [
            ("The surgery would not register me without a proof of address, and I live in a hostel.", ""),
            (
                "I was told I would be charged for seeing a doctor because of my visa, so I stayed away for months.",
                "",
            ),
        ],
        "faith": [
            ("There was no quiet room for prayer on the ward and halal food came cold or not at all.", ""),
            ("The chaplaincy only had a Christian minister; my uncle wanted to see an imam.", ""),
        ],
        "discharge": [
            (
                "He was discharged on a Friday with no follow-up and nowhere to live. Within two weeks he was back "
                "in crisis.",
                "",
            ),
            (
                "Nobody told us about the discharge meeting, so the family could not say what support he needs at "
                "home.",
                "",
            ),
        ],
        "positive": [
            (
                "The community link worker came to our mosque and explained how to get help. People trusted her.",
                "",
            ),
            (
                "My care coordinator listened and changed my medicine when I said it made me too sleepy. Thank you.",
                "",
            ),
        ],
        "isolation": [
            (
                "Since my husband died I do not leave the flat. There is no lunch club for older women who speak my "
                "language nearby.",
                "",
            ),
            (
                "Older men in our community will not talk about low mood. A walking group in our language would help.",
                "",
            ),
        ],
        "stigma": [
            (
                "At school nobody talks about mental health. My friends would rather say nothing than be called crazy.",
                "",
            ),
            ("Young people on our estate do not trust the children's service; they say it is for other people.", ""),
        ],
    },
    "urd": {
        "interpreting": [
            (
                "ڈاکٹر کے پاس کوئی ترجمان نہیں تھا، اس لیے میرے بیٹے کو میری دوائیوں کے بارے میں ترجمہ کرنا پڑا۔",
                "There was no interpreter at the doctor's, so my son had to translate about my medicines.",
            )
        ],
        "cultural": [
            (
                "میری بہن نے اردو بولنے والی خاتون مشیر مانگی لیکن انہوں نے کہا کوئی نہیں ہے، "
                "اس لیے اس نے جانا چھوڑ دیا۔",
                "My sister asked for a female Urdu-speaking counsellor, was told there is none, and stopped going.",
            )
        ],
        "waiting": [
            (
                "میں آٹھ مہینے سے تھراپی کا انتظار کر رہی ہوں اور کسی نے مجھے کچھ نہیں بتایا۔",
                "I have waited eight months for therapy and nobody has told me anything.",
            )
        ],
        "faith": [
            (
                "وارڈ پر نماز کے لیے کوئی خاموش کمرہ نہیں تھا اور حلال کھانا ٹھنڈا آتا تھا۔",
                "There was no quiet room for prayer on the ward and the halal food came cold.",
            )
        ],
        "isolation": [
            (
                "شوہر کی وفات کے بعد میں گھر سے باہر نہیں نکلتی۔ قریب میں بزرگ خواتین کے لیے کوئی گروپ نہیں ہے۔",
                "Since my husband died I do not go out. There is no group for older women nearby.",
            )
        ],
    },
    "pol": {
        "interpreting": [
            (
                "W przychodni nikt nie mówił po polsku i nie zamówiono tłumacza, więc nie zrozumiałam, co mówił "
                "lekarz.",
                "Nobody at the clinic spoke Polish and no interpreter was booked, so I did not understand the doctor.",
            )
        ],
        "waiting": [
            (
                "Czekam na terapię od ośmiu miesięcy i nikt nie powiedział mi, ile to jeszcze potrwa.",
                "I have waited eight months for therapy and nobody told me how much longer it will take.",
            )
        ],
        "gp": [
            (
                "Przychodnia nie chciała mnie zarejestrować bez dowodu adresu, a mieszkam w hostelu.",
                "The surgery would not register me without proof of address, and I live in a hostel.",
            )
        ],
        "discharge": [
            (
                "Brata wypisano ze szpitala w piątek bez żadnej opieki i bez mieszkania.",
                "My brother was discharged from hospital on a Friday with no care and nowhere to live.",
            )
        ],
    },
    "ben": {
        "interpreting": [
            (
                "ডাক্তারের কাছে কোনো দোভাষী ছিল না, তাই আমার মেয়েকে অনুবাদ করতে হয়েছিল।",
                "There was no interpreter at the doctor's, so my daughter had to translate.",
            )
        ],
        "cultural": [
            (
                "আমার বোন একজন মহিলা কাউন্সেলর চেয়েছিল যিনি বাংলা বলেন, কিন্তু কেউ ছিল না।",
                "My sister wanted a female counsellor who speaks Bengali, but there was nobody.",
            )
        ],
        "isolation": [
            (
                "স্বামী মারা যাওয়ার পর আমি বাড়ি থেকে বের হই না। কাছাকাছি বয়স্ক মহিলাদের জন্য কোনো ক্লাব নেই।",
                "Since my husband died I do not leave home. There is no club for older women nearby.",
            )
        ],
        "faith": [
            (
                "ওয়ার্ডে নামাজের জন্য কোনো শান্ত ঘর ছিল না।",
                "There was no quiet room for prayer on the ward.",
            )
        ],
    },
    "som": {
        "interpreting": [
            (
                "Dhakhtarka ma jirin turjubaan, sidaas darteed wiilkayga ayaa ii turjumay.",
                "There was no interpreter at the doctor's, so my son translated for me.",
            )
        ],
        "discrimination": [
            (
                "Shaqaalaha qaybta waxay walaalkay ula dhaqmeen sidii qof khatar ah maalintii ugu horreysay.",
                "Ward staff treated my brother like a dangerous person from the first day.",
            )
        ],
        "police": [
            (
                "Booliisku way yimaadeen ka hor kalkaalisada. Ina adeerkay waxaa lagu xiray jidka hortiisa.",
                "The police came before the nurse. My cousin was restrained in front of the street.",
            )
        ],
        "stigma": [
            (
                "Dhallinyarada xaafaddeenna kuma kalsoona adeegyada caafimaadka maskaxda.",
                "Young people in our area do not trust mental health services.",
            )
        ],
    },
    "ara": {
        "interpreting": [
            (
                "لم يكن هناك مترجم في العيادة، فاضطر ابني إلى الترجمة لي عن الأدوية.",
                "There was no interpreter at the clinic, so my son had to translate about my medicines.",
            )
        ],
        "gp": [
            (
                "رفضت العيادة تسجيلي لأنني لا أملك إثبات عنوان، وأنا أعيش في مأوى.",
                "The surgery refused to register me without proof of address; I live in a shelter.",
            )
        ],
        "crisis": [
            (
                "اتصلنا بخط الأزمات أربع مرات ليلة السبت ولم يرد أحد.",
                "We called the crisis line four times on Saturday night and nobody answered.",
            )
        ],
    },
    "tur": {
        "interpreting": [
            (
                "Klinikte tercüman yoktu, bu yüzden kızım ilaçlarımı bana çevirmek zorunda kaldı.",
                "There was no interpreter at the clinic, so my daughter had to translate my medicines for me.",
            )
        ],
        "waiting": [
            (
                "Sekiz aydır terapi için bekliyorum ve kimse bana sıranın ne zaman geleceğini söylemedi.",
                "I have waited eight months for therapy and nobody told me when my turn will come.",
            )
        ],
    },
}

# topic → words staff have edited for quoting publicly (names, places, relationships and anything else that could
# identify someone taken out). Given to English items whose authors consented to publication.
PUBLIC_QUOTES: dict[str, tuple[str, ...]] = {
    "interpreting": (
        "Nobody had booked an interpreter, so a family member had to translate about my medication.",
        "The team spoke only English on the phone and we did not understand they were coming.",
    ),
    "waiting": ("I waited months for a first appointment and nobody told me where I was on the list.",),
    "cultural": ("I wanted to see a woman and to be asked about my faith, and nobody asked.",),
    "discrimination": ("Staff spoke about me as if I could not understand them.",),
    "crisis": ("When I rang the crisis line at night, nobody answered for a long time.",),
    "police": ("The police came before anyone from the health service did, and that frightened everyone.",),
    "gp": ("The surgery asked for papers I did not have before they would register me.",),
    "faith": ("There was nowhere quiet on the ward to pray.",),
    "discharge": ("I was sent home with nowhere safe to stay and no one checked on me.",),
    "positive": ("The worker who came spoke my language and listened. For the first time I felt heard.",),
    "isolation": ("Since the group closed I do not speak to anyone from one week to the next.",),
    "stigma": ("At school, people my age do not talk about mental health because they are afraid of what others say.",),
}

# How often each language comes up, and the communities its speakers belong to (core Community names).
LANGUAGE_WEIGHTS = {"eng": 50, "urd": 14, "ben": 10, "pol": 10, "som": 8, "ara": 5, "tur": 3}
LANGUAGE_COMMUNITIES = {
    "urd": ("Pakistani and Kashmiri",),
    "ben": ("Bangladeshi", "Sylheti speakers"),
    "pol": ("Polish and Eastern European",),
    "som": ("Somali",),
    "ara": ("Arab",),
    "tur": ("Turkish and Turkish Cypriot",),
    "eng": (
        "Black Caribbean",
        "Black African",
        "West African",
        "Irish",
        "Indian",
        "Mixed heritage",
        "Gypsy, Roma and Traveller",
        "Pakistani and Kashmiri",
    ),
}


@dataclass(frozen=True)
class IssuePlan:
    topic: str
    title: str
    description: str
    responder: str  # key in core's demo organisations
    question: str
    answer: str
    outcome: str
    reasons: str
    what_changed: str


ISSUES = (
    IssuePlan(
        "interpreting",
        "Appointments go ahead without the interpreter people need",
        "People who speak little English report that interpreters are not booked, so family members, often "
        "children, translate about medication and diagnosis.",
        "mental_health_trust",
        "Please tell us how interpreters are booked for outpatient and community appointments, and what you will "
        "do so that no appointment goes ahead without one when it is needed.",
        "We have checked our booking records and found that the need for an interpreter was not carried over "
        "when referrals moved between teams.",
        "accepted",
        "",
        "An interpreter flag is now part of every referral and appointment letter, and clinics cannot close an "
        "appointment as attended without recording whether the interpreter came.",
    ),
    IssuePlan(
        "cultural",
        "Women cannot get a female counsellor who speaks their language",
        "Women from South Asian communities ask for a female counsellor who speaks Urdu, Bengali or Sylheti and "
        "are told there is nobody; several stopped therapy as a result.",
        "mental_health_trust",
        "Please tell us how many female counsellors speaking community languages you employ or commission, and "
        "how you will meet this need.",
        "We employ two female counsellors who speak Urdu and none who speak Bengali or Sylheti.",
        "partly",
        "We cannot recruit enough qualified staff quickly, so part of the answer will come through partners.",
        "We have funded a community counselling partner to offer female, Bengali-speaking counsellors from "
        "next quarter and added language to our recruitment priorities.",
    ),
    IssuePlan(
        "waiting",
        "Long waits for talking therapies with no news of progress",
        "People referred for talking therapies wait many months without hearing where they are on the list or "
        "what to do if they get worse.",
        "icb",
        "Please publish waiting times for talking therapies by community and explain how people are kept informed "
        "while they wait.",
        "Waiting times are now reviewed monthly by the board, including by ethnic group.",
        "accepted",
        "",
        "Everyone waiting is now contacted every six weeks, in their language, with a named contact if things get "
        "worse.",
    ),
    IssuePlan(
        "discrimination",
        "Black patients on the wards feel treated as dangerous",
        "Families describe staff treating Black patients as a risk from the first day, with more restraint and "
        "less explanation than others receive.",
        "mental_health_trust",
        "Please share your restraint figures by ethnic group and tell us what you will change on the wards.",
        "Our figures show restraint is used more often with Black patients. We are sorry.",
        "accepted",
        "",
        "Every ward now reviews each use of restraint with an independent advocate, and all ward staff complete "
        "anti-racism training co-designed with local Black-led groups.",
    ),
    IssuePlan(
        "crisis",
        "The crisis line goes unanswered at weekends",
        "Callers report the crisis line ringing out on Friday and Saturday nights, sending families to emergency "
        "departments instead.",
        "mental_health_trust",
        "Please tell us how the crisis line is staffed at weekends and what callers should do when it is busy.",
        "Weekend staffing was below plan for most of the year.",
        "partly",
        "We cannot guarantee answering every call at peak times, but we will call everyone back.",
        "Calls not answered within two minutes now go to a call-back queue answered within 30 minutes.",
    ),
    IssuePlan(
        "police",
        "Police arrive before health staff in a mental health crisis",
        "People describe police officers arriving first to mental health crises, with handcuffs used in public.",
        "police",
        "Please tell us how often police attend mental health calls before health staff, by ethnic group, and "
        "what is being done about it.",
        "We do not record ethnicity consistently on these calls.",
        "declined",
        "Changing national recording systems is outside our control.",
        "",
    ),
    IssuePlan(
        "gp",
        "People in hostels cannot register with a GP",
        "Surgeries turn away people without proof of address or with uncertain immigration status, contrary to "
        "national guidance.",
        "icb",
        "Please remind practices of the national guidance on registration and tell us how you will check it is "
        "followed.",
        "We have written to every practice about the guidance on registering without proof of address.",
        "accepted",
        "",
        "Practices now accept a hostel letter as proof of address, and a mystery-shopper check runs twice a year.",
    ),
    IssuePlan(
        "faith",
        "No prayer space and poor halal food on the wards",
        "Patients of several faiths say wards have no quiet room for prayer, and halal and vegetarian meals arrive "
        "cold or not at all.",
        "mental_health_trust",
        "Please tell us how wards meet patients' faith and dietary needs.",
        "We agree the wards fall short here.",
        "accepted",
        "",
        "Each ward now has a multi-faith quiet room, and meal orders are checked at every handover.",
    ),
    IssuePlan(
        "discharge",
        "People discharged on Fridays with no follow-up or housing",
        "People leave hospital late in the week without a follow-up visit or somewhere safe to live, and are soon "
        "back in crisis.",
        "council",
        "Please tell us how housing is arranged before discharge and who follows people up in the first week.",
        "Housing assessments often start too late.",
        "partly",
        "We cannot hold beds for everyone awaiting housing.",
        "A housing officer now joins ward discharge meetings twice a week.",
    ),
    IssuePlan(
        "isolation",
        "No social groups for older women in community languages",
        "Older women, especially widows, say there is nowhere nearby to meet others who speak their language.",
        "council",
        "Please tell us what social groups for older people you fund in community languages.",
        "We fund lunch clubs in English only at present.",
        "accepted",
        "",
        "Two new lunch clubs, in Urdu and Bengali, are funded through the small-grants programme.",
    ),
    IssuePlan(
        "stigma",
        "Young people do not trust children's mental health services",
        "Young people say the children's service is 'not for people like us' and would rather say nothing.",
        "mental_health_trust",
        "Please tell us how you will involve young people from these communities in designing the service.",
        "We have set up a youth panel.",
        "accepted",
        "",
        "A youth panel of young people from local communities now reviews the service's information and outreach.",
    ),
)
