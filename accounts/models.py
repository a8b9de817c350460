"""The portal's user: logs in with e-mail. What a user may do comes from relations (memberships,
mandates, reviewer role), checked by the predicates in applications/rules.py."""
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_codice_fiscale_persona


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})

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
