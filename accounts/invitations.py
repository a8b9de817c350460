"""Invitations of INAIL staff (reviewers, supervisors): an administrator enters the e-mail and the role;
the portal creates the account without a usable password and mails a link with a random token (only its
SHA-256 is stored). The link works once, for OT24_STAFF_INVITATION_DAYS days: the invited person chooses a
password there, then logs in and sets up the second factor (ot24portal.middleware)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from .models import StaffInvitation, User
from .signals import clear_failures, ensure_verified_email
from .throttling import normalise_username


class InvitationRateLimited(Exception):
    pass


def find(token: str) -> StaffInvitation | None:
    if not token or len(token) > 100:
        return None
    return (StaffInvitation.objects.select_related("user")
            .filter(token_hash=StaffInvitation.hash_token(token)).first())


@transaction.atomic
def invite(*, request, email: str, role: str, invited_by: User) -> StaffInvitation:
    """Creates (or re-invites) the staff account and mails the link. Earlier unused invitations to the
    same address stop working."""
    from allauth.core import ratelimit

    email = normalise_username(email)
    if role not in StaffInvitation.STAFF_ROLES:
        raise ValueError(role)
    if request is not None and not ratelimit.consume(request, action="staff_invitation", key=email,
                                                     user=invited_by):
        raise InvitationRateLimited(email)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, role=role, language=settings.LANGUAGE_CODE)
        user.set_unusable_password()
        user.save()
    elif user.has_usable_password():
        raise ValueError("account already active")
    else:
        User.objects.filter(pk=user.pk).update(role=role)
    now = timezone.now()
    StaffInvitation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = StaffInvitation.new_token()
    invitation = StaffInvitation.objects.create(
        email=email, role=role, user=user, invited_by=invited_by, token_hash=StaffInvitation.hash_token(token),
        expires_at=now + dt.timedelta(days=settings.OT24_STAFF_INVITATION_DAYS))
    send_invitation_mail(request, invitation, token)
    return invitation


def send_invitation_mail(request, invitation: StaffInvitation, token: str) -> None:
    from allauth.account.adapter import get_adapter

    path = reverse("staff_invitation_accept", args=[token])
    url = request.build_absolute_uri(path) if request is not None else path
    context = {"user": invitation.user, "invitation": invitation, "accept_url": url,
               "days": settings.OT24_STAFF_INVITATION_DAYS}
    with translation.override(invitation.user.language or settings.LANGUAGE_CODE):
        get_adapter(request).send_mail("account/email/staff_invitation", invitation.email, context)


class AcceptForm(SetPasswordForm):
    """Django's set-password form: the password validators (12 characters, not common, not like the
    e-mail) apply."""


@transaction.atomic
def accept(invitation: StaffInvitation, password: str) -> User:
    invitation = StaffInvitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValueError("invitation no longer usable")
    user = invitation.user
    user.set_password(password)
    user.role = invitation.role
    user.save(update_fields=["password", "role"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    ensure_verified_email(user)  # the link reached the address
    clear_failures(user)
    return user
