"""factory_boy factories for the portal's models, with valid Italian identifiers."""
import datetime as dt
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from operations.demo import codice_fiscale, minimal_pdf, partita_iva
from applications.models import Application, Campaign
from interventions.models import Edition
from organisations.models import PAT, Company, Mandate, Membership, Site

DEFAULT_PASSWORD = "pw-Test-12345"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "Utente"
    last_name = factory.Sequence(lambda n: f"Prova{n}")
    role = User.Role.COMPANY
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    ragione_sociale = factory.Sequence(lambda n: f"Azienda {n} S.r.l.")
    codice_fiscale = factory.Sequence(lambda n: partita_iva(f"{1000000 + n:07d}058"))
    partita_iva = factory.LazyAttribute(lambda o: o.codice_fiscale)
    codice_ditta = factory.Sequence(lambda n: f"{9000000 + n}")
    matricola_inps = "12345678"
    address = "Via Roma 1"
    city = "Roma"
    cap = "00100"
    province = "RM"
    legal_rep_confirmed = True  # as every company before self-service; unconfirmed ones say so


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Unità {n}")
    address = "Via dell'Industria 1"
    city = "Roma"
    cap = "00138"
    province = "RM"
    codice_sede = "01"
    workers = 12
    sector = "costruzioni"


class PATFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PAT

    site = factory.SubFactory(SiteFactory)
    number = factory.Sequence(lambda n: f"{50000000 + n}")
    voce_di_tariffa = "3110"
    lavoratori_anno = Decimal("11.50")
    premium = Decimal("48000")


def open_campaign() -> Campaign:
    year = timezone.localdate().year + 1
    return Campaign.objects.get_or_create(filing_year=year, defaults={"edition": Edition.objects.get(code="ot24")})[0]


def member(company, role=Membership.Role.MEMBER, **kwargs) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, company=company, role=role)
    return user


def legal_rep(company) -> User:
    user = member(company, role=Membership.Role.LEGAL_REP, codice_fiscale=codice_fiscale("RSSMRA70E17H501"))
    company.legal_representative = user
    company.legal_rep_confirmed = True
    company.save()
    return user


def mandate(company, *, consultant=None, firm=None, start_days_ago=30, end_days_ago=None, sites=None,
            can_submit=True, status=Mandate.Status.ACTIVE) -> Mandate:
    today = timezone.localdate()
    m = Mandate.objects.create(
        consultant=consultant, firm=firm, company=company, start_date=today - dt.timedelta(days=start_days_ago),
        end_date=None if end_days_ago is None else today - dt.timedelta(days=end_days_ago),
        all_sites=sites is None, can_submit=can_submit, status=status,
    )
    if sites:
        m.sites.set(sites)
    return m


def consultant(company=None, *, start_days_ago=30, end_days_ago=None, **mandate_kwargs) -> User:
    user = UserFactory(role=User.Role.CONSULTANT)
    if company is not None:
        mandate(company, consultant=user, start_days_ago=start_days_ago, end_days_ago=end_days_ago, **mandate_kwargs)
    return user


def firm_with(*consultants, owner=None) -> "Firm":
    """A consultancy firm with an owner and colleagues."""
    from organisations.models import Firm, FirmMembership

    n = Firm.objects.count() + 1
    firm = Firm.objects.create(name=f"Studio {n}", codice_fiscale=partita_iva(f"{5000000 + n:07d}058"))
    owner = owner or UserFactory(role=User.Role.CONSULTANT)
    FirmMembership.objects.create(firm=firm, user=owner, is_owner=True)
    for user in consultants:
        FirmMembership.objects.create(firm=firm, user=user)
    return firm


SIGNATORY = {"signatory_name": "Mario Rossi", "signatory_birth_place": "Roma", "signatory_role": "Legale rappresentante",
             "signatory_birth_date": dt.date(1970, 5, 17)}


def draft_with(site, rep, sections: dict, **scheda):
    """A draft for `site` started by `rep`, scheda completed, with the given interventions per section: a list
    of codes (sub-options up to each intervention's minimum) or {code: the sub-options to tick}."""
    from applications import services
    from interventions.models import Intervention

    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    app = services.application_update_scheda(user=rep, application=app, version=app.version,
                                             pats=list(site.pats.all()), data={**SIGNATORY, **scheda})
    for letter, codes in sections.items():
        app.refresh_from_db()
        chosen = {}
        for code in codes:
            item = Intervention.objects.get(code=code, section__edition__code="ot24")
            ticked = codes[code] if isinstance(codes, dict) else range(1, item.min_suboptions + 1)
            chosen[code] = (frozenset(ticked), item.declarations.exists())
        services.application_save_section(user=rep, application=app, section=letter, version=app.version, chosen=chosen)
    app.refresh_from_db()
    return app


def ready_to_submit(**scheda):
    """A company with one site and PAT, its legal representative, and a draft worth 110 points (A6 + C23)
    that needs no evidence: ready to submit."""
    site = SiteFactory()
    PATFactory(site=site)
    rep = legal_rep(site.company)
    return draft_with(site, rep, {"A": ["A6"], "C": ["C23"]}, **scheda), rep


def evidence_draft():
    """A draft with C4 selected, its legal representative, and C4's first evidence item."""
    from interventions.models import EvidenceItem

    site = SiteFactory()
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = draft_with(site, rep, {"C": ["C4"]})
    return app, rep, EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()


class ApplicationFactory(factory.Factory):
    """An application in one state of its life, made through the portal's own services as people make it:

        ApplicationFactory()                   a draft (= draft=True): scheda completed, A6 + C23 (110 points,
                                               no evidence needed), started by the company's legal representative
        ApplicationFactory(submitted=True)     ... submitted: snapshot frozen, PDF sealed (application_submit)
        ApplicationFactory(under_review=True)  ... taken by a reviewer (review_take)
        ApplicationFactory(decided=True)       ... every intervention judged, then decided (review_decide):
                                               approved, or rejected with approve=False

    Options: `site` (default: a new site with one PAT), `applicant` (default: the company's legal representative,
    made when it has none; `app.created_by` is who started it), `sections` ({"C": ["C4"]}: codes per section,
    sub-options up to each minimum, or {"B": {"B2d": {2, 3}}} to tick some; None: an empty draft without
    scheda), `evidence=True` (a small PDF for each evidence item the selection asks for), `reviewer`, and
    `sealed=False` for a submission recorded only as the queue and dashboard read it (status, receipt number,
    `submitted_at`, sector; no snapshot, no PDF: quick).
    Scheda fields may be passed by name. E-mails are queued on commit: wrap the call in
    django_capture_on_commit_callbacks(execute=True) to send them."""

    class Meta:
        model = Application
        strategy = factory.CREATE_STRATEGY  # made through the services, never only built

    class Params:
        draft = factory.Trait(state="draft")
        submitted = factory.Trait(state="submitted")
        under_review = factory.Trait(state="under_review")
        decided = factory.Trait(state="decided")

    state = "draft"
    site = factory.LazyFunction(lambda: PATFactory().site)
    applicant = None
    sections = factory.LazyFunction(lambda: {"A": ["A6"], "C": ["C23"]})
    evidence = False
    sealed = True
    submitted_at = None  # sealed=False only: when it was submitted (default now)
    reviewer = None
    approve = True

    @classmethod
    def _create(cls, model_class, *, state, site, applicant, sections, evidence, sealed, submitted_at, reviewer,
                approve, **scheda):
        from applications import services
        from evidence import services as evidence_services
        from review import services as review

        company = site.company
        applicant = applicant or company.legal_representative or legal_rep(company)
        if sections is None:
            app = services.application_start(user=applicant, site=site, campaign=open_campaign())
        else:
            app = draft_with(site, applicant, sections, **scheda)
        if evidence:
            for selection in app.selections.select_related("intervention"):
                code = selection.intervention.code
                for item in selection.intervention.evidence_items.filter(alternative=1, condition=""):
                    evidence_services.evidence_add(
                        user=applicant, application=app, evidence_item=item,
                        uploaded_file=SimpleUploadedFile(f"{code}-{item.order}.pdf", minimal_pdf(f"{code} {item.order}")))
            app.refresh_from_db()
        if state == "draft":
            return app
        if sealed:
            app = services.application_submit(user=applicant, application=app, place="Roma", version=app.version,
                                              declarations=dict.fromkeys(model_class.DECLARATIONS, True))
        else:
            model_class.objects.filter(pk=app.pk).update(
                status=model_class.Status.SUBMITTED, receipt_number=f"OT24-T-{app.pk:06d}", sector=site.sector,
                submitted_at=submitted_at or timezone.now())
            app.refresh_from_db()
        if state == "submitted":
            return app
        reviewer = reviewer or UserFactory(role=User.Role.REVIEWER)
        review.review_take(user=reviewer, application=app)
        if state == "decided":
            for selection in app.selections.select_related("intervention"):
                review.verdict_record(user=reviewer, application=app, intervention=selection.intervention,
                                      outcome="idoneo" if approve else "non_idoneo",
                                      reason="" if approve else "Documentazione non pertinente.")
            review.review_decide(user=reviewer, application=app)
        app.refresh_from_db()
        return app
