"""The portal's user: logs in with e-mail. What a user may do comes from relations (memberships,
mandates, reviewer role), checked by the predicates in applications/rules.py. Also the invitations by
which administrators bring INAIL staff in (staff accounts are never created by sign-up)."""
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .addresses import AddressError, canonical_email, canonical_email_or_none
from .validators import validate_codice_fiscale_persona


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """The canonical form (accounts/addresses.py); ValueError (AddressError) if there is none."""
        return canonical_email(email)

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        """The account of an address, compared exactly on the canonical form: a spelling without one
        (a look-alike) finds nobody, and no database's case folding can find two."""
        canonical = canonical_email_or_none(username)
        if canonical is None:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        return self.get(**{self.model.USERNAME_FIELD: canonical})

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        COMPANY = "company", _("Utente aziendale")
        CONSULTANT = "consultant", _("Consulente")
        REVIEWER = "reviewer", _("Revisore INAIL")
        SUPERVISOR = "supervisor", _("Supervisore INAIL")
        ADMIN = "admin", _("Amministratore")

    email = models.EmailField(_("e-mail"), unique=True)
    first_name = models.CharField(_("nome"), max_length=150, blank=True)
    last_name = models.CharField(_("cognome"), max_length=150, blank=True)
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, blank=True, validators=[validate_codice_fiscale_persona]
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices, default=Role.COMPANY)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    language = models.CharField(_("lingua preferita"), max_length=5, choices=settings.LANGUAGES,
                                default="it", help_text=_("Lingua del portale e delle e-mail che ricevi."))
    is_staff = models.BooleanField(_("accesso all'amministrazione"), default=False)
    is_active = models.BooleanField(_("attivo"), default=True)
    date_joined = models.DateTimeField(_("data di registrazione"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        try:
            self.email = canonical_email(self.email)
        except AddressError as error:
            raise ValidationError({"email": error.as_validation_error()}) from None

    def save(self, *args, **kwargs):
        """Every write stores the canonical address (allauth's e-mail change, the admin, the demo data);
        one without a canonical form is kept as typed: the forms refuse it before it gets here."""
        self.email = canonical_email_or_none(self.email) or self.email
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    def has_perm(self, perm, obj=None):
        """The portal's permissions come only from the rules in applications/rules.py, for superusers
        too: an administrator does not sign or edit a company's application, nor assign reviews."""
        import rules

        if perm.startswith("applications.") and rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def is_reviewer(self) -> bool:
        return self.role in (self.Role.REVIEWER, self.Role.SUPERVISOR)

    @property
    def is_consultant(self) -> bool:
        return self.role == self.Role.CONSULTANT

    @property
    def requires_second_factor(self) -> bool:
        """INAIL staff and administrators must log in with a second factor (TOTP)."""
        return self.is_reviewer or self.is_superuser or self.role == self.Role.ADMIN


class StaffInvitation(models.Model):
    """An administrator invites an INAIL reviewer or supervisor by e-mail. The link carries a random token
    of which only the SHA-256 is stored; it works once and until expires_at."""

    STAFF_ROLES = (User.Role.REVIEWER, User.Role.SUPERVISOR)

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("ruolo"), max_length=20,
                            choices=[(r.value, r.label) for r in STAFF_ROLES])
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("scade il"), editable=False)
    used_at = models.DateTimeField(_("usato il"), null=True, blank=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("invitato da"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_invitations",
                             verbose_name=_("utente"))

    class Meta:
        verbose_name = _("invito del personale INAIL")
        verbose_name_plural = _("inviti del personale INAIL")
        ordering = ("-created_at",)

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and not self.is_expired

