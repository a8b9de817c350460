"""Demo data for `make run`: idempotent, safe to run on every start.

A construction company whose legal representative has two sites; a consultant with mandates from four
companies in different sectors (one already ended); a reviewer, a supervisor and an
administrator; a draft of the legal representative's and five applications the consultant submitted: one
waiting in the queue, one under review, one waiting for a clarification answer, one approved, one rejected."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from stdnum import luhn
from stdnum.it import codicefiscale

from accounts.demo import ensure_demo_second_factors
from accounts.models import User
from evidence import services as evidence_services
from interventions.models import Edition
from organisations.models import PAT, Company, Firm, FirmMembership, Mandate, Membership, Site

from applications import services
from applications.models import Application, Campaign

DEMO_PASSWORD = "ot24-demo-2027"


def partita_iva(first_ten: str) -> str:
    return first_ten + luhn.calc_check_digit(first_ten)


def codice_fiscale(first_fifteen: str) -> str:
    return first_fifteen + codicefiscale.calc_check_digit(first_fifteen)


def minimal_pdf(text: str) -> bytes:
    """A tiny valid one-page PDF, for demo evidence."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _user(email: str, role: str, first: str, last: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"role": role, "first_name": first, "last_name": last, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def demo_campaign() -> Campaign:
    """The campaign of the next filing year, on the seed edition."""
    year = timezone.localdate().year + 1
    campaign, _ = Campaign.objects.get_or_create(filing_year=year, defaults={"edition": Edition.objects.get(code="ot24")})
    return campaign


def _company(ragione_sociale, piva10, codice_ditta, city, cap, province, rep=None) -> Company:
    piva = partita_iva(piva10)
    company, _ = Company.objects.get_or_create(
        codice_fiscale=piva,
        defaults=dict(ragione_sociale=ragione_sociale, partita_iva=piva, codice_ditta=codice_ditta,
                      matricola_inps="12345678", address="Via Roma 1", city=city, cap=cap, province=province,
                      legal_representative=rep, legal_rep_confirmed=True),
    )
    return company


def _site(company, name, city, cap, province, workers, sector, pats) -> Site:
    site, created = Site.objects.get_or_create(
        company=company, name=name,
        defaults=dict(address="Via dell'Industria 10", city=city, cap=cap, province=province,
                      codice_sede="01", workers=workers, sector=sector),
    )
    if created:
        for number, voce, lav, premium in pats:
            PAT.objects.create(site=site, number=number, voce_di_tariffa=voce, lavoratori_anno=Decimal(lav),
                               premium=Decimal(premium) if premium else None)
    return site


def _fill(application: Application, user: User, sections: dict, with_evidence: bool) -> Application:
    application.refresh_from_db()
    services.application_update_scheda(
        user=user, application=application, version=application.version, pats=list(application.site.pats.all()[:3]),
        data=dict(signatory_birth_place="Roma", signatory_birth_date=dt.date(1970, 5, 17),
                  signatory_role=application.signatory_role or "Legale rappresentante",
                  signatory_name=application.signatory_name or "Mario Rossi",
                  signatory_codice_fiscale=application.signatory_codice_fiscale or codice_fiscale("RSSMRA70E17H501")),
    )
    for letter, chosen in sections.items():
        application.refresh_from_db()
        services.application_save_section(user=user, application=application, section=letter, chosen=chosen,
                                          version=application.version)
    if with_evidence:
        for selection in application.selections.select_related("intervention"):
            for item in selection.intervention.evidence_items.filter(alternative=1, condition=""):
                evidence_services.evidence_add(
                    user=user, application=application, evidence_item=item,
                    uploaded_file=SimpleUploadedFile(f"{selection.intervention.code}-{item.order}.pdf",
                                                     minimal_pdf(f"{selection.intervention.code} documento {item.order}")),
                )
    application.refresh_from_db()
    return application


def _submitted(site, user, campaign, sections, place) -> Application:
    existing = Application.objects.filter(campaign=campaign, site=site).first()
    if existing:
        return existing
    application = _fill(services.application_start(user=user, site=site, campaign=campaign), user, sections,
                        with_evidence=True)
    return services.application_submit(user=user, application=application, place=place, version=application.version,
                                       declarations=dict.fromkeys(Application.DECLARATIONS, True))


def _review(application: Application, reviewer: User, state: str) -> None:
    from review import services as review

    review.review_take(user=reviewer, application=application)
    codes = {s.intervention.code: s.intervention for s in application.selections.select_related("intervention")}
    first_file = application.evidence_files.first()
    if state == "mixed":
        review.verdict_record(user=reviewer, application=application, intervention=codes["C4"], outcome="idoneo")
        review.verdict_record(user=reviewer, application=application, intervention=codes["C5"], outcome="non_idoneo",
                              reason="Le schede raccolte coincidono con il registro infortuni.")
        review.verdict_record(user=reviewer, application=application, intervention=first_file.evidence_item.intervention,
                              evidence_file=first_file, outcome="chiarimento", reason="Documento senza firma.")
        review.note_add(user=reviewer, application=application, message="Verificare il contratto con il fornitore.")
    elif state == "clarification":
        review.clarification_request(user=reviewer, application=application, interventions=[codes["C13"]],
                                     request="Inviare la dichiarazione del medico competente firmata e timbrata.")
    else:
        for code_, intervention in codes.items():
            ok = state == "approved" or code_ in ("C13",)
            review.verdict_record(user=reviewer, application=application, intervention=intervention,
                                  outcome="idoneo" if ok else "non_idoneo",
                                  reason="" if ok else "Documentazione riferita a un anno diverso da quello di riferimento.")
        review.review_decide(user=reviewer, application=application)


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if not settings.OT24_DEMO_DATA:  # the demo administrator's password is in the README
        raise ImproperlyConfigured("Demo data only with OT24_DEMO_DATA = True (development and test settings).")
    campaign = demo_campaign()
    today = timezone.localdate()
    _user("admin@ot24.example", User.Role.ADMIN, "Ada", "Amministratrice", is_staff=True, is_superuser=True)
    _user("revisore@ot24.example", User.Role.REVIEWER, "Rita", "Revisori")
    _user("supervisore@ot24.example", User.Role.SUPERVISOR, "Sandro", "Supervisori")
    rep = _user("legale@edilrossi.example", User.Role.COMPANY, "Mario", "Rossi",
                codice_fiscale=codice_fiscale("RSSMRA70E17H501"))
    clerk = _user("ufficio@edilrossi.example", User.Role.COMPANY, "Giulia", "Bianchi")
    consultant = _user("consulente@studiosicuro.example", User.Role.CONSULTANT, "Carla", "Conti")
    ensure_demo_second_factors()  # demo staff log in with the published TOTP secret (README, accounts/demo.py)

    edil = _company("Edil Rossi S.r.l.", "0123456058", "1234567", "Roma", "00100", "RM", rep)
    for user, role in ((rep, Membership.Role.LEGAL_REP), (clerk, Membership.Role.MEMBER)):
        Membership.objects.get_or_create(user=user, company=edil, defaults={"role": role})
    studio, _ = Firm.objects.get_or_create(codice_fiscale=partita_iva("0567891058"), defaults={"name": "Studio Sicuro"})
    FirmMembership.objects.get_or_create(user=consultant, firm=studio, defaults={"is_owner": True})
    roma = _site(edil, "Cantiere Roma Nord", "Roma", "00138", "RM", 12, "costruzioni",
                 [("10000001", "3110", "11.50", "48000"), ("10000002", "3620", "3.20", "9000")])
    _site(edil, "Deposito Tivoli", "Tivoli", "00019", "RM", 6, "costruzioni", [("10000003", "3110", "5.00", "15000")])

    alimentari = _company("Pastificio Verdi S.p.A.", "0234567034", "2345678", "Parma", "43121", "PR")
    _site(alimentari, "Stabilimento Parma", "Parma", "43122", "PR", 140, "alimenti", [("20000001", "1100", "138.00", "210000")])
    trasporti = _company("Trasporti Neri S.r.l.", "0345678015", "3456789", "Milano", "20121", "MI")
    neri = _site(trasporti, "Deposito Milano", "Milano", "20138", "MI", 8, "trasporti", [("30000001", "9121", "7.80", "26000")])
    metal = _company("Meccanica Gialli S.n.c.", "0456789017", "4567891", "Brescia", "25121", "BS")
    _site(metal, "Officina Brescia", "Brescia", "25125", "BS", 35, "metalmeccanica", [("40000001", "6210", "33.00", "95000")])
    for company, start, end in (
        (alimentari, today - dt.timedelta(days=400), None),
        (trasporti, today - dt.timedelta(days=100), None),
        (edil, today - dt.timedelta(days=30), None),
        (metal, today - dt.timedelta(days=700), today - dt.timedelta(days=10)),  # ended
    ):
        Mandate.objects.get_or_create(consultant=consultant, company=company, defaults={
            "start_date": start, "end_date": end, "status": Mandate.Status.ACTIVE, "all_sites": True,
            "can_submit": True, "granted_at": timezone.now()})

    # C5 and C6 ticked (issue 33): a new user attaches both elaborations of the register's events right away.
    roma_c = {code: (frozenset(), False) for code in ("C1", "C4", "C5", "C6")}
    draft = Application.objects.filter(campaign=campaign, site=roma).first()
    if draft is None:
        draft = services.application_start(user=rep, site=roma, campaign=campaign)
        _fill(draft, rep, {"C": roma_c, "D": {"D1": (frozenset(), False)}}, with_evidence=False)
    elif draft.is_draft and not {"C5", "C6"} <= set(draft.selections.values_list("intervention__code", flat=True)):
        # A demo loaded before C5 and C6 were in it: tick them, keeping what section C already has.
        kept = {s.intervention.code: (frozenset(s.suboptions), s.declaration_confirmed)
                for s in draft.selections.select_related("intervention").filter(intervention__code__startswith="C")}
        services.application_save_section(user=rep, application=draft, section="C", version=draft.version,
                                          chosen={**roma_c, **kept})
    from indicators.demo import load_register_demo  # issue 33: a year of events, the indices, C5 and C6

    load_register_demo(roma, campaign.reference_year)
    transport_choice = {"C": {"C2": (frozenset(), False), "C18": (frozenset(), False), "C21": (frozenset(), False)},
                        "D": {"D1": (frozenset(), False)}}
    _submitted(neri, consultant, campaign, transport_choice, "Milano")  # waiting in the queue

    # The review side: one under review with mixed verdicts, one waiting for a clarification answer,
    # one approved and one rejected.
    reviewer = User.objects.get(email="revisore@ot24.example")
    food_choice = {"C": {"C4": (frozenset(), False), "C5": (frozenset(), False), "C13": (frozenset(), False)},
                   "D": {"D1": (frozenset(), False)}}
    review_states = [
        ("Magazzino Fidenza", "Fidenza", "43036", "mixed"),
        ("Stabilimento Collecchio", "Collecchio", "43044", "clarification"),
        ("Centro Logistico Fornovo", "Fornovo di Taro", "43045", "approved"),
        ("Laboratorio Langhirano", "Langhirano", "43013", "rejected"),
    ]
    for n, (name, city, cap, state) in enumerate(review_states):
        site = _site(alimentari, name, city, cap, "PR", 40, "alimenti", [(f"2000001{n + 1}", "1100", "38.00", "90000")])
        if Application.objects.filter(campaign=campaign, site=site).exists():
            continue
        application = _submitted(site, consultant, campaign, food_choice, city)
        _review(application, reviewer, state)
    return [
        ("legale@edilrossi.example", "company: legal representative of Edil Rossi (construction, 2 sites, a draft)"),
        ("ufficio@edilrossi.example", "company: member of Edil Rossi (edits, cannot submit)"),
        ("consulente@studiosicuro.example", "consultant: 3 current mandates, 1 ended; 5 submitted applications "
                                            "(queued, under review, in clarification, approved, rejected)"),
        ("revisore@ot24.example", "INAIL reviewer: one waiting, one under review, one in clarification, two decided"),
        ("supervisore@ot24.example", "INAIL supervisor"),
        ("admin@ot24.example", "administrator (also /admin/)"),
    ]
