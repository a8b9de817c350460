"""Every account that existed before self sign-up (demo users, administrators, INAIL staff) was created by
someone who vouched for its address: record it as verified and primary, or mandatory e-mail verification
(ACCOUNT_EMAIL_VERIFICATION) would keep them out."""
from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create([
        EmailAddress(user_id=pk, email=email.lower(), verified=True, primary=True)
        for pk, email in User.objects.exclude(pk__in=have).values_list("pk", "email")
    ])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profile_language_staff_invitation"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
