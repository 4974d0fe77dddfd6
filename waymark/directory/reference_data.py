"""Waymark's needs taxonomy: what a service helps with, in two levels.

Loaded by migration 0002_needs_taxonomy (upserted by code, so editing a name here and adding a
migration that calls ``load_needs_taxonomy`` again updates sites in place). Codes are stable:
HSDS exports and saved searches refer to them.
"""

from typing import Any

NEEDS_TAXONOMY = {
    "name": "Waymark needs",
    "description": "What a service helps people with, for signposting in mental health and race equality work.",
    "version": "1",
}

# (code, name, description, children as (code, name)). Codes are unique across both levels.
NEEDS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "counselling",
        "Counselling and talking therapies",
        "Talking to a trained counsellor or therapist, one to one or in a group.",
        [
            ("counselling-culturally-specific", "Culturally specific counselling"),
            ("counselling-in-own-language", "Counselling in your own language"),
            ("counselling-couples-family", "Couples and family therapy"),
            ("counselling-trauma", "Trauma and PTSD support"),
            ("counselling-bereavement", "Bereavement support"),
        ],
    ),
    (
        "advocacy",
        "Advocacy",
        "Someone on your side who helps you be heard and know your rights.",
        [
            ("advocacy-mental-health-act", "Independent mental health advocacy (IMHA)"),
            ("advocacy-community", "Community and peer advocacy"),
            ("advocacy-complaints", "Help with complaints"),
        ],
    ),
    (
        "crisis",
        "Crisis support",
        "Help when someone is in a mental health crisis or at risk.",
        [
            ("crisis-out-of-hours", "Out-of-hours support"),
            ("crisis-safe-spaces", "Safe spaces and crisis cafés"),
            ("crisis-helplines", "Helplines"),
            ("crisis-suicide-prevention", "Suicide prevention"),
        ],
    ),
    (
        "carers",
        "Carers",
        "Support for family members and friends who care for someone.",
        [
            ("carers-groups", "Carers' groups"),
            ("carers-respite", "Breaks and respite"),
            ("carers-young", "Young carers"),
        ],
    ),
    (
        "housing",
        "Housing",
        "Somewhere safe to live, and help to keep it.",
        [
            ("housing-homelessness", "Homelessness"),
            ("housing-supported", "Supported housing"),
            ("housing-refuge", "Refuges and safe housing"),
        ],
    ),
    (
        "employment",
        "Employment and training",
        "Work, volunteering, skills and learning.",
        [
            ("employment-support", "Finding and keeping work"),
            ("employment-esol", "English classes (ESOL)"),
            ("employment-volunteering", "Volunteering"),
        ],
    ),
    (
        "welfare",
        "Welfare and benefits",
        "Money, benefits and debt.",
        [
            ("welfare-benefits-advice", "Benefits advice"),
            ("welfare-debt", "Debt advice"),
            ("welfare-food", "Food banks and emergency help"),
        ],
    ),
    (
        "faith-cultural",
        "Faith and cultural support",
        "Support rooted in faith, culture and community.",
        [
            ("faith-pastoral", "Pastoral and spiritual care"),
            ("faith-chaplaincy", "Chaplaincy and imams in services"),
            ("faith-cultural-activities", "Cultural and social activities"),
        ],
    ),
    (
        "interpreting",
        "Interpreting",
        "Help to understand and be understood in your own language.",
        [
            ("interpreting-spoken", "Spoken language interpreting"),
            ("interpreting-bsl", "British Sign Language interpreting"),
            ("interpreting-translation", "Written translation"),
        ],
    ),
    (
        "peer-support",
        "Peer support",
        "Support from people who have been through it too.",
        [
            ("peer-support-groups", "Peer support groups"),
            ("peer-support-one-to-one", "One-to-one peer support"),
            ("peer-support-recovery-college", "Recovery college courses"),
        ],
    ),
    (
        "refugee-asylum",
        "Refugee and asylum support",
        "Help for people who have fled persecution, at any stage of the asylum process.",
        [
            ("refugee-asylum-legal", "Legal advice"),
            ("refugee-asylum-destitution", "Destitution support"),
            ("refugee-asylum-orientation", "Orientation and befriending"),
        ],
    ),
    (
        "young-people",
        "Young people",
        "Services for children and young people up to 25.",
        [
            ("young-people-schools", "Support in schools and colleges"),
            ("young-people-youth-work", "Youth work and mentoring"),
        ],
    ),
    (
        "older-people",
        "Older people",
        "Services for older people and elders.",
        [
            ("older-people-lunch-clubs", "Lunch clubs and day centres"),
            ("older-people-dementia", "Dementia support"),
        ],
    ),
    (
        "women",
        "Women",
        "Women-only spaces and services.",
        [
            ("women-domestic-abuse", "Domestic abuse support"),
            ("women-perinatal", "Perinatal mental health"),
        ],
    ),
    (
        "physical-wellbeing",
        "Wellbeing and physical health",
        "Activity, healthy living and everyday wellbeing.",
        [
            ("wellbeing-activity", "Exercise and activity groups"),
            ("wellbeing-substance-use", "Alcohol and drug support"),
        ],
    ),
]


def load_needs_taxonomy(taxonomy_model: Any, term_model: Any) -> None:
    """Upsert the needs taxonomy and its terms by code (models from ``apps.get_model`` in a migration)."""
    taxonomy, _created = taxonomy_model.objects.update_or_create(
        name=NEEDS_TAXONOMY["name"],
        defaults={key: value for key, value in NEEDS_TAXONOMY.items() if key != "name"},
    )
    for code, name, description, children in NEEDS:
        parent, _created = term_model.objects.update_or_create(
            taxonomy=taxonomy, code=code, defaults={"name": name, "description": description, "parent": None}
        )
        for child_code, child_name in children:
            term_model.objects.update_or_create(
                taxonomy=taxonomy, code=child_code, defaults={"name": child_name, "parent": parent}
            )


def unload_needs_taxonomy(taxonomy_model: Any, term_model: Any) -> None:
    """Remove the needs taxonomy (children before parents, as terms protect their children)."""
    for taxonomy in taxonomy_model.objects.filter(name=NEEDS_TAXONOMY["name"]):
        term_model.objects.filter(taxonomy=taxonomy, parent__isnull=False).delete()
        term_model.objects.filter(taxonomy=taxonomy).delete()
        taxonomy.delete()
