"""The second factor's code forms (MFA_FORMS): a wrong code is a log-in failure like a wrong password.
django-axes records it for the client address and the account (accounts/lockout.py), so five wrong codes
lock the address for an hour and codes from many addresses lock the account; a locked client gets the
locked-out page, whatever code it sends. allauth's own per-user budget of code attempts
(ACCOUNT_RATE_LIMITS["login_failed"], keyed by the user) refuses every code once it is spent, so whoever
holds the password cannot spread guesses over many addresses either."""
from __future__ import annotations

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms

from .lockout import record_failure, refuse_if_locked_out


class LockOutMixin:
    def clean_code(self) -> str:
        request = context.request
        refuse_if_locked_out(request, self.user)
        try:
            return super().clean_code()
        except forms.ValidationError as error:
            if error.code == "incorrect_code":  # a code was checked and was wrong (not a refusal)
                record_failure(request, self.user)
            raise


class MFAAuthenticateForm(LockOutMixin, AuthenticateForm):
    pass


class MFAReauthenticateForm(LockOutMixin, ReauthenticateForm):
    pass
