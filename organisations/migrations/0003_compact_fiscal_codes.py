"""Codici fiscali and partite IVA in one stored form (accounts.validators.compact_fiscal_code, issue 28):
the rows already written are compacted here; 0004 makes the fields compact whatever is written or asked,
and a company's partita IVA unique like its codice fiscale (a separate migration: PostgreSQL does not alter
a table with pending row updates in the same transaction).

Two companies (or firms) that turn out to share a number were one organisation registered twice: the
migration stops and names them, for an administrator to merge or correct them (it cannot choose which
one is genuine), then runs again."""
from django.db import migrations

from accounts.validators import compact_fiscal_code


def _clashes(rows) -> list[str]:
    """Numbers held by more than one row: (pk, number, number...) rows, any number against any other row's."""
    holder, clashes = {}, []
    for pk, *numbers in rows:
        for number in {compact_fiscal_code(n) for n in numbers} - {""}:
            if holder.setdefault(number, pk) != pk:
                clashes.append(f"{number}: {holder[number]} and {pk}")
    return clashes


def compact_stored_numbers(apps, schema_editor):
    Company = apps.get_model("organisations", "Company")
    Firm = apps.get_model("organisations", "Firm")
    User = apps.get_model("accounts", "User")
    companies = list(Company.objects.order_by("pk").values_list("pk", "codice_fiscale", "partita_iva"))
    firms = list(Firm.objects.order_by("pk").values_list("pk", "codice_fiscale"))
    problems = [f"company {clash}" for clash in _clashes(companies)] + [f"firm {clash}" for clash in _clashes(firms)]
    if problems:
        raise RuntimeError("These organisations share a codice fiscale or partita IVA once written in one form; "
                           "merge or correct them, then migrate again: " + "; ".join(problems))
    for pk, codice_fiscale, partita_iva in companies:
        compact = compact_fiscal_code(codice_fiscale), compact_fiscal_code(partita_iva)
        if compact != (codice_fiscale, partita_iva):
            Company.objects.filter(pk=pk).update(codice_fiscale=compact[0], partita_iva=compact[1])
    for pk, codice_fiscale in firms:
        if compact_fiscal_code(codice_fiscale) != codice_fiscale:
            Firm.objects.filter(pk=pk).update(codice_fiscale=compact_fiscal_code(codice_fiscale))
    for pk, codice_fiscale in User.objects.exclude(codice_fiscale="").values_list("pk", "codice_fiscale"):
        if compact_fiscal_code(codice_fiscale) != codice_fiscale:
            User.objects.filter(pk=pk).update(codice_fiscale=compact_fiscal_code(codice_fiscale))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_verified_emails_for_existing_users"),
        ("organisations", "0002_people_firms_mandates"),
    ]

    operations = [
        migrations.RunPython(compact_stored_numbers, migrations.RunPython.noop),
    ]
