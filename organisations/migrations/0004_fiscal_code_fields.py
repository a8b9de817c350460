"""The fiscal code fields store and look up the compact form; a company's partita IVA is unique (issue 28)."""
import accounts.validators
import organisations.models
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0003_compact_fiscal_codes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="company",
            name="codice_fiscale",
            field=organisations.models.FiscalCodeField(max_length=16, unique=True, validators=[accounts.validators.validate_codice_fiscale_azienda], verbose_name="codice fiscale"),
        ),
        migrations.AlterField(
            model_name="company",
            name="partita_iva",
            field=organisations.models.FiscalCodeField(max_length=11, unique=True, validators=[accounts.validators.validate_partita_iva], verbose_name="partita IVA"),
        ),
        migrations.AlterField(
            model_name="firm",
            name="codice_fiscale",
            field=organisations.models.FiscalCodeField(max_length=16, unique=True, validators=[accounts.validators.validate_codice_fiscale_azienda], verbose_name="codice fiscale o partita IVA"),
        ),
    ]
