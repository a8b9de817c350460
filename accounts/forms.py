"""The portal's forms around allauth's: log-in (e-mail normalised), sign-up (with the role), profile and
the staff invitation."""
from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from .addresses import AddressError, canonical_email
from .models import StaffInvitation, User
from .validators import compact_fiscal_code


class LoginForm(allauth_forms.LoginForm):
    """allauth's log-in form, with the e-mail in its canonical form (accounts/addresses.py) before
    authentication and throttling: django-axes counts one account whatever its spelling, and a
    look-alike address is refused here, before any password is checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""

    def clean_login(self):
        try:
            return canonical_email(self.cleaned_data["login"])
        except AddressError as error:
            raise error.as_validation_error() from None


class SignupForm(allauth_forms.SignupForm):
    """E-mail, password twice, and who the user is: a company's user or a consultant. INAIL staff are
    never created here (StaffInvitation)."""

    role = forms.ChoiceField(
        label=_("Chi sei"),
        choices=[(User.Role.COMPANY.value, _("Lavoro per un'azienda (utente aziendale)")),
                 (User.Role.CONSULTANT.value, _("Sono un consulente che assiste aziende"))],
        widget=forms.RadioSelect,
    )

    field_order = ["email", "password1", "password2", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail")
        for name in ("email", "password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs.pop("placeholder", None)
        if "password2" in self.fields:
            self.fields["password2"].label = _("Ripeti la password")
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def try_save(self, request):
        """A known address creates no account, only the outbox row telling its owner: hash the password
        anyway, so that both answers take the same work (issue 28, finding 13)."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "codice_fiscale", "phone", "language"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.codice_fiscale_verified:
            # Asserted by SPID/CIE (identity/services.py): shown, not editable; a disabled field keeps the
            # stored value whatever the request posts.
            for name in ("first_name", "last_name", "codice_fiscale"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Verificato con SPID o CIE.")

    def clean_codice_fiscale(self):
        return compact_fiscal_code(self.cleaned_data.get("codice_fiscale"))

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        digits = phone.replace(" ", "").replace("-", "").replace(".", "").replace("/", "")
        if digits.startswith("+"):
            digits = digits[1:]
        if phone and (not digits.isdigit() or not 6 <= len(digits) <= 15):
            raise forms.ValidationError(_("Numero di telefono non valido: usa solo cifre, spazi e il prefisso +."))
        return phone


class StaffInvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Ruolo"), choices=[(r.value, r.label) for r in StaffInvitation.STAFF_ROLES])

    def clean_email(self):
        try:
            email = canonical_email(self.cleaned_data["email"])
        except AddressError as error:
            raise error.as_validation_error() from None
        existing = User.objects.filter(email=email).first()
        if existing is not None and existing.has_usable_password():
            raise forms.ValidationError(_("Esiste già un account con questo indirizzo."))
        return email


def _portal_email_field(form, name="email"):
    """The portal's wording ("E-mail") without allauth's placeholder (the label says it already)."""
    form.fields[name].label = _("E-mail")
    form.fields[name].widget.attrs.pop("placeholder", None)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _portal_email_field(self)


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _portal_email_field(self)
        self.fields["email"].label = _("Nuovo indirizzo e-mail")


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    """/account/password/change/: a wrong current password is a log-in failure (django-axes, like one on
    the log-in page), and a locked-out client gets the locked-out page without any check. The message says
    plainly that the current password typed is not the right one (allauth's "Inserisci la tua password
    attuale." read as if nothing had been typed)."""

    def clean_oldpassword(self) -> str:
        from allauth.core import context

        from .lockout import record_failure, refuse_if_locked_out

        refuse_if_locked_out(context.request, self.user)
        if not self.user.check_password(self.cleaned_data.get("oldpassword", "")):
            record_failure(context.request, self.user)
            raise forms.ValidationError(_("La password attuale non è corretta: scrivi quella con cui accedi oggi."),
                                        code="wrong_current_password")
        return self.cleaned_data["oldpassword"]
