"""`manage.py demo_data` shows a site with a year of events (issue 33): injuries, a near miss and a
contractor's event in the demo campaign's reference year, so the indices and both elaborations have data."""
import pytest
from django.core.management import call_command

from operations.demo import demo_campaign
from indicators import rules
from indicators.models import Injury
from indicators.selectors import contractors_of, elaboration_events, site_results
from organisations.models import Site

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_year_of_events_on_cantiere_roma_nord():
    call_command("demo_data", verbosity=0)
    site = Site.objects.get(name="Cantiere Roma Nord")
    year = demo_campaign().reference_year
    c5 = list(elaboration_events(site, "C5", year))
    assert {e.kind for e in c5} >= {rules.KIND_INJURY, rules.KIND_NEAR_MISS}
    c6 = list(elaboration_events(site, "C6", year))
    assert [c["name"] for c in contractors_of(c6)] == ["Ponteggi Alfa S.r.l."]
    listed = contractors_of(c6, site.contractors.all())  # the site's list (C6), with the procedure sent
    assert [(c["name"], c["events"], c["sent_how"]) for c in listed] == [
        ("Ponteggi Alfa S.r.l.", 1, "PEC"), ("Scavi Beta S.p.A.", 0, "Allegato al contratto d'appalto")]
    assert any(e.actions.exists() for e in c5)
    results = {r.year: r for r in site_results(site)}
    assert set(results) == {year - 2, year - 1, year}
    assert results[year].injuries == 1  # the near miss, the dangerous situation and the contractor's do not count
    count = Injury.objects.filter(site=site).count()
    call_command("demo_data", verbosity=0)  # idempotent
    assert Injury.objects.filter(site=site).count() == count and site.contractors.count() == 2


def test_the_demo_draft_ticks_c5_and_c6_so_both_elaborations_attach_at_once(django_user_model):
    """A new user attaches the C5 and C6 elaborations to the demo draft right away; they arrive "da firmare"
    and loading the demo again changes nothing (idempotent, the attached documents stay)."""
    from applications.models import Application
    from indicators import services

    call_command("demo_data", verbosity=0)
    site = Site.objects.get(name="Cantiere Roma Nord")
    draft = Application.objects.get(site=site, campaign=demo_campaign())
    codes = set(draft.selections.values_list("intervention__code", flat=True))
    assert {"C1", "C4", "C5", "C6"} <= codes
    rep = django_user_model.objects.get(email="legale@edilrossi.example")
    for code in ("C5", "C6"):
        _app, evidence = services.attach_analysis(user=rep, site=site, code=code)
        assert evidence.awaiting_signature
    version = Application.objects.get(pk=draft.pk).version
    call_command("demo_data", verbosity=0)
    draft = Application.objects.get(pk=draft.pk)
    assert draft.version == version and draft.evidence_files.count() == 2
    assert set(draft.selections.values_list("intervention__code", flat=True)) == codes
