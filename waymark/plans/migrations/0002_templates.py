"""The PCREF and EDS 2022 templates, shipped as data. A later framework revision is a new migration that
raises the template's version, adds items and marks dropped ones retired, so plans made from the old version
keep their objectives."""

from django.db import migrations

PCREF = {
    "code": "pcref",
    "name": "Patient and Carer Race Equality Framework (PCREF)",
    "plan_type": "pcref",
    "description": (
        "NHS England's framework for mental health providers to improve racialised communities' experience "
        "of care, co-produced with those communities: leadership and governance, six organisational "
        "competencies, and a patient and carer feedback mechanism."
    ),
    "items": [
        (
            "G",
            "objective",
            "Leadership and governance",
            "Leadership and governance: meeting our legislative and regulatory obligations",
            "A named board lead; the Equality Act 2010 and Public Sector Equality Duty, the Mental Health Act and "
            "CQC's expectations met and reported to the board; the plan co-produced and reviewed in public.",
        ),
        (
            "C1",
            "competency",
            "National organisational competencies",
            "Cultural awareness",
            "Services understand the cultures, beliefs and experiences of the racialised communities they serve, "
            "and adapt care to them.",
        ),
        (
            "C2",
            "competency",
            "National organisational competencies",
            "Staff knowledge and awareness",
            "Staff know about racial inequalities in mental health care and how to act on them.",
        ),
        (
            "C3",
            "competency",
            "National organisational competencies",
            "Partnership working",
            "The trust works with community and voluntary organisations, commissioners and local authorities as "
            "equal partners.",
        ),
        (
            "C4",
            "competency",
            "National organisational competencies",
            "Workforce",
            "A workforce that reflects the communities served, at every level, and is supported to deliver "
            "anti-racist care.",
        ),
        (
            "C5",
            "competency",
            "National organisational competencies",
            "Co-learning",
            "The trust and communities learn from each other, and the learning changes how services work.",
        ),
        (
            "C6",
            "competency",
            "National organisational competencies",
            "Co-production",
            "Racialised patients, carers and communities shape services as equal partners from the start.",
        ),
        (
            "F",
            "objective",
            "Patient and carer feedback mechanism",
            "Patient and carer feedback mechanism",
            "Feedback from racialised patients and carers gathered in ways that work for them, acted on, and "
            "answered with what changed.",
        ),
    ],
}

EDS = {
    "code": "eds2022",
    "name": "Equality Delivery System 2022 (EDS 2022)",
    "plan_type": "eds2022",
    "description": (
        "NHS England's yearly grading of eleven outcomes in three domains, each graded 0 (undeveloped) to 3 "
        "(excelling) with staff, stakeholders and peers, and published."
    ),
    "items": [
        (
            "1A",
            "outcome",
            "Domain 1: Commissioned or provided services",
            "Patients (service users) have required levels of access to the service",
            "",
        ),
        (
            "1B",
            "outcome",
            "Domain 1: Commissioned or provided services",
            "Individual patients (service users) health needs are met",
            "",
        ),
        (
            "1C",
            "outcome",
            "Domain 1: Commissioned or provided services",
            "When patients (service users) use the service, they are free from harm",
            "",
        ),
        (
            "1D",
            "outcome",
            "Domain 1: Commissioned or provided services",
            "Patients (service users) report positive experiences of the service",
            "",
        ),
        (
            "2A",
            "outcome",
            "Domain 2: Workforce health and well-being",
            "When at work, staff are provided with support to manage obesity, diabetes, asthma, COPD and mental "
            "health conditions",
            "",
        ),
        (
            "2B",
            "outcome",
            "Domain 2: Workforce health and well-being",
            "When at work, staff are free from abuse, harassment, bullying and physical violence from any source",
            "",
        ),
        (
            "2C",
            "outcome",
            "Domain 2: Workforce health and well-being",
            "Staff have access to independent support and advice when suffering from stress, abuse, bullying "
            "harassment and physical violence from any source",
            "",
        ),
        (
            "2D",
            "outcome",
            "Domain 2: Workforce health and well-being",
            "Staff recommend the organisation as a place to work and receive treatment",
            "",
        ),
        (
            "3A",
            "outcome",
            "Domain 3: Inclusive leadership",
            "Board members, system and senior leaders routinely demonstrate their understanding of, and commitment "
            "to, equality and health inequalities",
            "",
        ),
        (
            "3B",
            "outcome",
            "Domain 3: Inclusive leadership",
            "Board/Committee papers (including minutes) identify equality and health inequalities related impacts "
            "and risks and how they will be mitigated and managed",
            "",
        ),
        (
            "3C",
            "outcome",
            "Domain 3: Inclusive leadership",
            "Board members, system and senior leaders (Band 9 and VSM) ensure levers are in place to manage "
            "performance and monitor progress with staff and patients",
            "",
        ),
    ],
}

TEMPLATES = [PCREF, EDS]


def install_templates(apps, schema_editor):
    PlanTemplate = apps.get_model("plans", "PlanTemplate")
    TemplateItem = apps.get_model("plans", "TemplateItem")
    for data in TEMPLATES:
        template, _ = PlanTemplate.objects.update_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "plan_type": data["plan_type"],
                "description": data["description"],
                "version": 1,
            },
        )
        for order, (code, kind, group, title, description) in enumerate(data["items"]):
            TemplateItem.objects.update_or_create(
                template=template,
                code=code,
                defaults={"kind": kind, "group": group, "title": title, "description": description, "order": order},
            )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(install_templates, migrations.RunPython.noop)]
