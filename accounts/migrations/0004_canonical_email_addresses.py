"""Stored addresses in their canonical form (accounts/addresses.py): lower-case ASCII local part, IDNA
domain. Every lookup now compares exactly on that form. A row without a canonical form (a look-alike such
as `admın@…`) or whose canonical form another row already holds keeps its spelling and is listed here:
no lookup finds it any more, so an administrator should look at it."""
import sys

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.addresses import canonicalise_stored_addresses

    left = canonicalise_stored_addresses(apps.get_model("accounts", "User"), apps.get_model("account", "EmailAddress"))
    for email in left:
        sys.stderr.write(f"accounts 0004: address without a canonical form left as it is: {email!a}\n")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_verified_emails_for_existing_users"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
