"""Demo register of events for `manage.py demo_data` (issue 33): hours worked and a year of events on one
site, and its contractors, so that a new user sees the indices, the chart and the C5 and C6 elaborations at
once. Idempotent: a site whose register already has events is left as it is."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from . import rules
from .models import Contractor, CorrectiveAction, Injury, SiteYearHours


def load_register_demo(site, reference_year: int) -> None:
    """Three years of hours up to `reference_year` (the demo campaign's), injuries in each, and in the
    reference year a near miss, a dangerous situation and a subcontractor's injury with causes and actions."""
    today = timezone.localdate()
    # The site's contractors (C6), with when and how the event-analysis procedure was sent to them.
    for name, party, sent_on, how in (("Ponteggi Alfa S.r.l.", rules.PARTY_SUBCONTRACTOR, dt.date(reference_year, 1, 15), "PEC"),
                                      ("Scavi Beta S.p.A.", rules.PARTY_CONTRACTOR, dt.date(reference_year, 2, 3),
                                       "Allegato al contratto d'appalto")):
        Contractor.objects.get_or_create(site=site, name=name, defaults={
            "party": party, "procedure_sent_on": min(sent_on, today), "procedure_sent_how": how})
    if site.injuries.exists():
        return

    def day(year, month, dd):  # never after today: the register refuses future dates
        return min(dt.date(year, month, dd), today)

    def event(when, *, absence_days=0, actions=(), **fields):
        first = when if absence_days else None
        last = when + dt.timedelta(days=absence_days - 1) if absence_days else None
        if last is not None and last > today:
            last = None  # still absent
        item = Injury.objects.create(site=site, event_date=when, first_absence=first, last_absence=last, **fields)
        for description, owner, due, done in actions:
            CorrectiveAction.objects.create(event=item, description=description, owner=owner, due_date=due, done=done)
        return item

    y = reference_year
    for year, hours in ((y - 2, "21500"), (y - 1, "22800"), (y, "23100")):
        SiteYearHours.objects.get_or_create(site=site, year=year, defaults={"hours": Decimal(hours)})
    event(day(y - 2, 4, 14), absence_days=12, description="Caduta da scala portatile", reported_by="Capo cantiere")
    event(day(y - 2, 10, 3), absence_days=25, disability=3, description="Schiacciamento di un dito durante il getto",
          reported_by="Capo cantiere")
    event(day(y - 1, 6, 21), absence_days=8, description="Distorsione alla caviglia su terreno sconnesso",
          reported_by="Preposto")
    event(day(y - 1, 11, 5), absence_days=15, commuting=True, description="Incidente stradale nel tragitto casa-lavoro",
          reported_by="Ufficio personale")
    event(day(y, 3, 11), absence_days=18, description="Urto contro un carico sospeso", reported_by="Preposto",
          causes="Area di movimentazione non delimitata durante il sollevamento",
          actions=[("Delimitare l'area sotto i carichi sospesi", "Capo cantiere", day(y, 4, 15), True),
                   ("Formazione dei gruisti sulla segnalazione", "RSPP", day(y, 9, 30), False)])
    event(day(y, 5, 7), kind=rules.KIND_NEAR_MISS, description="Tavola caduta dal ponteggio vicino a un lavoratore",
          reported_by="Lavoratore (Luca Bruni)", causes="Fermapiede mancante su un impalcato",
          actions=[("Verifica quotidiana dei fermapiede", "Preposto", day(y, 5, 31), True)])
    event(day(y, 7, 22), kind=rules.KIND_DANGEROUS, description="Quadro elettrico di cantiere aperto",
          reported_by="RLS", causes="Serratura rotta", actions=[("Sostituire la serratura", "Elettricista", day(y, 8, 5), True)])
    event(day(y, 9, 16), absence_days=10, party=rules.PARTY_SUBCONTRACTOR, contractor="Ponteggi Alfa S.r.l.",
          description="Taglio alla mano durante il montaggio del ponteggio", reported_by="Preposto di Ponteggi Alfa",
          causes="Guanti non adatti", actions=[("Fornire guanti antitaglio", "Ponteggi Alfa S.r.l.", day(y, 10, 1), False)])
