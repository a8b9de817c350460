from django import template

from identity import federation

register = template.Library()


@register.inclusion_tag("identity/buttons.html", takes_context=True)
def spid_cie_buttons(context, link=False):
    """The "Entra con SPID" button with the federation's identity providers and the "Entra con CIE" button.
    With link=True (profile page) the same buttons link SPID/CIE to the logged-in account."""
    request = context.get("request")
    next_url = request.GET.get("next", "") if request is not None else ""
    return {"spid_providers": federation.providers("spid"), "cie_providers": federation.providers("cie"),
            "next": next_url, "link": link}


@register.simple_tag
def require_verified_signatory() -> bool:
    from django.conf import settings

    return settings.OT24_REQUIRE_VERIFIED_SIGNATORY
