from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waymark.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # A person's own account is personal data, found by e-mail, phone or the account itself.
        from waymark.accounts.personal_data import register_personal_data

        register_personal_data()
        # Where a user's roles come from: their role grants in force.
        from waymark.accounts import permissions

        permissions.register()
        # Every form that chooses a person with an account offers the type-ahead (core.pickers).
        from waymark.core.pickers import register_picker

        register_picker("accounts.User", "accounts:person_lookup")
