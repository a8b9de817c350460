"""Issue 28, finding 15: importing the same register twice doubled the injuries (and the indices).

The import recognises the rows the register already holds (same event date, same absence, and the same
reference, or the same description where either has no reference) and says so in the preview; the
confirmation adds only the others, checked again when it runs."""
import datetime as dt

import pytest
from django.urls import reverse

from indicators import services
from indicators.models import Injury


from .test_pages import REGISTER, import_file

pytestmark = pytest.mark.django_db


def confirm(client, site):
    return client.post(reverse("indicators_import_confirm", args=[site.pk]), follow=True)


def test_the_same_register_imported_twice_is_added_once(client, site, rep):
    client.force_login(rep)
    import_file(client, site, "injuries", REGISTER)
    confirm(client, site)
    assert Injury.objects.filter(site=site).count() == 4
    preview = import_file(client, site, "injuries", REGISTER).content.decode()
    assert preview.count("già nel registro") >= 4
    assert "Tutte le righe sono già nel registro" in preview
    assert "Conferma importazione" not in preview
    confirm(client, site)
    assert Injury.objects.filter(site=site).count() == 4  # not 8


def test_a_file_with_known_and_new_rows_adds_the_new_ones_and_says_which(client, site, rep):
    client.force_login(rep)
    services.import_rows(user=rep, site=site, kind="injuries", text=REGISTER)
    header, first, second, *_rest = REGISTER.splitlines()
    # The same event typed with other spacing and case is the same row; another absence is another injury.
    known = first.replace("Caduta dalla scala", "  caduta DALLA scala ")
    text = "\n".join([header, known, second, "2024-11-04;2024-11-05;2024-11-30;no;no;;Urto contro un carrello",
                      "10/03/2023;11/03/2023;25/03/2023;no;no;0;Caduta dalla scala"]) + "\n"
    preview = import_file(client, site, "injuries", text).content.decode()
    assert "2 righe sono già nel registro" in preview
    assert "Conferma importazione" in preview
    page = confirm(client, site).content.decode()
    assert "2 righe salvate" in page and "2 righe già nel registro non sono state importate" in page
    assert Injury.objects.filter(site=site).count() == 6
    assert Injury.objects.filter(site=site, event_date=dt.date(2023, 3, 10)).count() == 2


def test_references_tell_apart_two_injuries_of_the_same_day(client, site, rep):
    client.force_login(rep)
    text = ("data_evento;primo_giorno_assenza;ultimo_giorno_assenza;in_itinere;mortale;invalidita_permanente;"
            "descrizione;riferimento\n"
            "10/03/2024;11/03/2024;20/03/2024;no;no;0;Caduta;R-1\n"
            "10/03/2024;11/03/2024;20/03/2024;no;no;0;Caduta;R-2\n")
    preview = import_file(client, site, "injuries", text).content.decode()
    assert "già nel registro" not in preview and "R-1" in preview and "R-2" in preview
    confirm(client, site)
    assert sorted(Injury.objects.values_list("reference", flat=True)) == ["R-1", "R-2"]
    # Again, with one more worker of the same accident: only that one is new.
    more = text + "10/03/2024;11/03/2024;20/03/2024;no;no;0;Caduta;R-3\n"
    preview = import_file(client, site, "injuries", more).content.decode()
    assert "2 righe sono già nel registro" in preview
    confirm(client, site)
    assert sorted(Injury.objects.values_list("reference", flat=True)) == ["R-1", "R-2", "R-3"]


def test_identical_rows_are_counted_not_merged(site, rep):
    """Two workers hurt in the same accident, with no reference, are two rows: a file holding them once
    more than the register adds exactly the missing one."""
    row = "10/03/2024;11/03/2024;20/03/2024;no;no;0;Crollo del soppalco\n"
    header = REGISTER.splitlines()[0] + "\n"
    services.import_rows(user=rep, site=site, kind="injuries", text=header + row)
    result = services.import_rows(user=rep, site=site, kind="injuries", text=header + row * 2)
    assert (result.saved, result.held) == (1, 1)
    assert Injury.objects.filter(site=site).count() == 2
    assert services.import_rows(user=rep, site=site, kind="injuries", text=header + row * 2).saved == 0


def test_the_export_imported_back_adds_nothing(client, site, rep):
    services.import_rows(user=rep, site=site, kind="injuries", text=REGISTER)
    Injury.objects.filter(site=site, description="Taglio lieve").update(reference="Prot. 77/2023")
    client.force_login(rep)
    exported = client.get(reverse("indicators_export", args=[site.pk])).content.decode("utf-8-sig")
    assert "riferimento" in exported.splitlines()[0] and "Prot. 77/2023" in exported
    preview = import_file(client, site, "injuries", exported).content.decode()
    assert "Tutte le righe sono già nel registro" in preview
    assert services.import_rows(user=rep, site=site, kind="injuries", text=exported).saved == 0
    assert Injury.objects.filter(site=site).count() == 4


def test_an_injury_typed_by_hand_is_recognised_in_the_file(client, site, rep):
    client.force_login(rep)
    client.post(reverse("indicators_injury_create", args=[site.pk]), {
        "event_date": "2023-03-10", "first_absence": "2023-03-11", "last_absence": "2023-03-20",
        "disability": "0", "description": "Caduta dalla scala", "reference": "12/2023"})
    assert Injury.objects.get().reference == "12/2023"
    preview = import_file(client, site, "injuries", REGISTER).content.decode()
    assert "1 riga è già nel registro" in preview


def test_the_confirmation_checks_again(client, site, rep):
    """Between the preview and the confirmation somebody else imported the same file."""
    client.force_login(rep)
    preview = import_file(client, site, "injuries", REGISTER).content.decode()
    assert "già nel registro" not in preview
    services.import_rows(user=rep, site=site, kind="injuries", text=REGISTER)
    confirm(client, site)
    assert Injury.objects.filter(site=site).count() == 4
