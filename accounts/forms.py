from django.contrib.auth.forms import AuthenticationForm

from .throttling import normalise_username


class LoginForm(AuthenticationForm):
    """The log-in form, with the e-mail normalised (spaces, case) before authentication and throttling."""

    def clean_username(self):
        return normalise_username(self.cleaned_data.get("username"))
