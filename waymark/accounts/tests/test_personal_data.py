"""The personal-data registry: finding, exporting, erasing and expiring one person's data."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import UserFactory, make_persona, verified_login
from waymark.accounts.models import ApiToken, User, hash_token
from waymark.core import personal_data
from waymark.core.choices import DeliveryStatus
from waymark.core.factories import OrganisationFactory
from waymark.core.models import EmailDelivery, Organisation
from waymark.core.personal_data import (
    PersonalDataSource,
    PersonIdentity,
    enforce_retention,
    erase_personal_data,
    export_personal_data,
    find_personal_data,
    match_by,
)
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

EMAIL = "ada.example@example.org"


def _delivery(to: str = EMAIL, days_old: int = 0, key: str = "k") -> EmailDelivery:
    delivery = EmailDelivery.objects.create(
        dedupe_key=f"{key}:{to}",
        template="notice",
        to_address=to,
        subject="Your grant report is due",
        text_body=f"Hello, this went to {to}.",
        html_body=f"<p>Hello, this went to {to}.</p>",
        status=DeliveryStatus.SENT,
    )
    if days_old:
        EmailDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return delivery


@pytest.fixture
def person() -> User:
    """A user with some history: created, then their name and phone changed."""
    user = UserFactory(username="ada", email=EMAIL, full_name="Ada Example", phone="0161 496 0000")
    user.full_name = "Ada M. Example"
    user.save()
    return user


@pytest.fixture
def isolated_registry(monkeypatch):
    """The registry as it is, in a copy a test may add to."""
    monkeypatch.setattr(personal_data, "_sources", dict(personal_data._sources))
    return personal_data


# --- Finding -----------------------------------------------------------------------------------


def test_a_person_is_found_by_email_in_any_case_by_phone_without_spaces_and_by_account(person):
    _delivery()
    _delivery(to="someone.else@example.org")
    UserFactory(email="", phone="")  # blank details must never match

    by_email = find_personal_data(PersonIdentity(email="ADA.Example@example.org"))
    by_phone = find_personal_data(PersonIdentity(phone="01614960000"))
    by_account = find_personal_data(PersonIdentity(user_id=person.pk))

    assert list(by_email["accounts.user"]) == [person]
    assert by_email["core.emaildelivery"].count() == 1
    assert list(by_phone["accounts.user"]) == [person]
    assert by_phone["core.emaildelivery"].count() == 0
    assert list(by_account["accounts.user"]) == [person]


def test_an_empty_identity_is_refused():
    with pytest.raises(ValueError, match="e-mail address, a phone number or a user account"):
        find_personal_data(PersonIdentity(email="  ", phone=" - "))


# --- Export ------------------------------------------------------------------------------------


def test_export_holds_the_persons_data_as_json_and_csv_with_a_readme(person):
    _delivery()
    _delivery(to="someone.else@example.org")
    admin = make_persona(Role.ADMIN)

    archive = zipfile.ZipFile(io.BytesIO(export_personal_data(PersonIdentity(email=EMAIL), actor=admin)))

    assert sorted(archive.namelist()) == [
        "README.txt",
        "accounts.user.csv",
        "accounts.user.json",
        "core.emaildelivery.csv",
        "core.emaildelivery.json",
    ]
    [account] = json.loads(archive.read("accounts.user.json"))
    assert (account["email"], account["full_name"], account["record_id"]) == (EMAIL, "Ada M. Example", person.pk)
    [account_row] = csv.DictReader(io.StringIO(archive.read("accounts.user.csv").decode("utf-8-sig")))
    assert account_row["email"] == EMAIL
    assert account_row["phone"] == "0161 496 0000"
    deliveries = json.loads(archive.read("core.emaildelivery.json"))
    assert [d["to_address"] for d in deliveries] == [EMAIL]
    assert EMAIL in archive.read("core.emaildelivery.csv").decode("utf-8-sig")
    assert "someone.else" not in archive.read("core.emaildelivery.csv").decode("utf-8-sig")
    readme = archive.read("README.txt").decode()
    assert "User accounts" in readme
    assert "Kept for 365 days after its “created at” date, then deleted." in readme
    assert f"Created by: {admin.username}" in readme


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    UserFactory(email=EMAIL, full_name='=HYPERLINK("https://attacker.example")')
    archive = zipfile.ZipFile(io.BytesIO(export_personal_data(PersonIdentity(email=EMAIL), actor=None)))
    [row] = csv.DictReader(io.StringIO(archive.read("accounts.user.csv").decode("utf-8-sig")))
    assert row["full_name"].startswith("'=")


# --- Erasure -----------------------------------------------------------------------------------


def test_erasure_blanks_the_live_row_and_its_history_and_keeps_the_rows(person):
    delivery = _delivery()
    ApiToken.objects.create(user=person, name="Power BI", key_prefix="wmk_abc", key_hash=hash_token("secret"))
    admin = make_persona(Role.ADMIN)
    users_before = User.objects.count()
    history_before = person.history.count()

    counts = erase_personal_data(PersonIdentity(email=EMAIL), actor=admin)

    # Other apps' sources are asked too; only these two hold anything of this person's.
    assert {source: count for source, count in counts.items() if count} == {"accounts.user": 1, "core.emaildelivery": 1}
    assert User.objects.count() == users_before
    person.refresh_from_db()
    assert (person.username, person.email, person.full_name, person.phone) == (f"erased-{person.pk}", "", "", "")
    assert not person.is_active
    assert not person.has_usable_password()
    assert not ApiToken.objects.active().filter(user=person).exists()

    history = person.history.all()
    assert history.count() == history_before + 1  # the erasure itself is recorded, by the admin
    assert history.first().history_user == admin
    for row in history:
        assert (row.email, row.full_name, row.phone, row.username) == ("", "", "", f"erased-{person.pk}")

    delivery.refresh_from_db()
    assert (delivery.to_address, delivery.text_body, delivery.html_body) == ("", "", "")
    assert EMAIL not in delivery.dedupe_key
    assert delivery.status == DeliveryStatus.SENT  # the log still counts the message


def test_erasure_is_all_or_nothing(person, isolated_registry):
    def refuse(queryset, actor):
        raise RuntimeError("This source cannot be erased today.")

    isolated_registry.register(
        PersonalDataSource(
            key="test.refusing",
            label="Refusing",
            model=Organisation,
            fields=["email"],
            match=match_by(Organisation, email_field="email"),
            erase=refuse,
        )
    )
    OrganisationFactory(email=EMAIL)

    with pytest.raises(RuntimeError):
        erase_personal_data(PersonIdentity(email=EMAIL), actor=None)

    person.refresh_from_db()
    assert person.email == EMAIL
    assert person.history.filter(email=EMAIL).exists()


# --- Retention ---------------------------------------------------------------------------------


def test_retention_deletes_only_old_email_deliveries(person):
    old = _delivery(days_old=366, key="old")
    recent = _delivery(days_old=364, key="recent")

    counts = enforce_retention()

    assert {source: count for source, count in counts.items() if count} == {"core.emaildelivery": 1}
    assert list(EmailDelivery.objects.all()) == [recent]
    assert not EmailDelivery.objects.filter(pk=old.pk).exists()
    assert User.objects.filter(pk=person.pk, email=EMAIL).exists()


def test_retention_erasure_blanks_old_records_once(isolated_registry):
    isolated_registry.register(
        PersonalDataSource(
            key="test.organisation_contacts",
            label="Organisation contact details",
            model="core.Organisation",
            fields=["email", "phone"],
            match=match_by("core.Organisation", email_field="email"),
            retention=timedelta(days=30),
            retention_field="created_at",
        )
    )
    old = OrganisationFactory(email="office@example.org", phone="0161 496 0001")
    Organisation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = OrganisationFactory(email="desk@example.org")

    first = enforce_retention()
    second = enforce_retention()

    assert first["test.organisation_contacts"] == 1
    assert second["test.organisation_contacts"] == 0  # already erased: not saved again
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.phone, old.name) == ("", "", old.name)
    assert not old.history.exclude(email="").exists()
    assert recent.email == "desk@example.org"


# --- Pages -------------------------------------------------------------------------------------


def test_personal_data_pages_are_for_administrators_only(client):
    search = reverse("core:personal_data")
    response = client.get(search)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

    verified_login(client, make_persona(Role.STAFF))
    assert client.get(search).status_code == 403
    assert client.post(reverse("core:personal_data_export"), {"email": EMAIL}).status_code == 403
    assert client.post(reverse("core:personal_data_erase"), {"email": EMAIL, "confirm": "on"}).status_code == 403


@pytest.fixture
def admin_client(client):
    verified_login(client, make_persona(Role.ADMIN))
    return client


def test_search_shows_what_was_found_per_source(admin_client, person):
    _delivery()
    _delivery(to=EMAIL, key="second")

    response = admin_client.get(reverse("core:personal_data"), {"username": "ada"})

    assert response.status_code == 200
    counts = {row["source"].key: row["count"] for row in response.context["results"]}
    assert {source: count for source, count in counts.items() if count} == {"accounts.user": 1, "core.emaildelivery": 2}
    html = response.content.decode()
    assert "Download a copy (ZIP)" in html
    assert "I understand this cannot be undone" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_search_errors_name_the_field(admin_client):
    empty = admin_client.get(reverse("core:personal_data"), {"email": "", "phone": ""})
    assert empty.context["form"].errors == {
        "email": ["Enter an e-mail address, a phone number or a username to search for."]
    }
    unknown = admin_client.get(reverse("core:personal_data"), {"username": "nobody", "phone": "12"})
    assert "No account has the username “nobody”" in unknown.context["form"].errors["username"][0]
    assert "at least 6 digits" in unknown.context["form"].errors["phone"][0]


def test_export_downloads_a_zip(admin_client, person):
    response = admin_client.post(reverse("core:personal_data_export"), {"email": EMAIL})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="waymark-subject-access-{today}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert EMAIL in archive.read("accounts.user.json").decode()


def test_erase_needs_the_confirmation(admin_client, person):
    response = admin_client.post(reverse("core:personal_data_erase"), {"email": EMAIL})

    assert response.status_code == 400
    assert response.context["erase_form"].errors == {
        "confirm": ["Tick “I understand this cannot be undone” to erase this person’s data."]
    }
    person.refresh_from_db()
    assert person.email == EMAIL


def test_erase_reports_the_counts_per_source(admin_client, person):
    _delivery()

    response = admin_client.post(
        reverse("core:personal_data_erase"), {"email": EMAIL, "phone": "", "username": "", "confirm": "on"}, follow=True
    )

    [message] = [str(m) for m in response.context["messages"]]
    assert message == "Personal data erased. User accounts: 1 record; E-mails sent: 1 record."
    person.refresh_from_db()
    assert person.email == ""
