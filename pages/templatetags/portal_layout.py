"""{% language_fragment %}...{% endlanguage_fragment %}: a part of the layout that depends on the language
alone (translated labels, {% url %} and {% static %} links), rendered once per language and process and
then reused: the layout's fixed parts cost more than the rest of a simple page (bench: load, the floor page).

The enclosed markup is rendered in a context of its own, empty: it cannot show the request, the user,
the CSRF token or anything else of the page (a variable there renders as nothing, for every user alike),
so one user's data can never be reused for another. The rendering is kept on the template's node, per
language, URL prefix and URL configuration; the cached template loader keeps the nodes for the process."""
import functools

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()
_generation = [0]  # bumped when a setting changes (tests only): every fragment is rendered anew


@receiver(setting_changed)
def _settings_changed(**kwargs):
    _generation[0] += 1


def language_key() -> tuple:
    """What markup made once may depend on: the active language, the URL prefix and configuration (its
    links), and the settings' generation."""
    return (get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, _generation[0])


def per_language(build):
    """Decorator: build() (texts translated and escaped, URLs reversed) runs once per language_key(); its
    result is kept for the process's life."""
    made = {}

    @functools.wraps(build)
    def cached():
        key = language_key()
        value = made.get(key)
        if value is None:
            value = made[key] = build()
        return value

    return cached


class LanguageFragmentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered = {}

    def render(self, context):
        key = language_key()
        markup = self.rendered.get(key)
        if markup is None:
            own = template.Context(autoescape=context.autoescape, use_l10n=context.use_l10n,
                                   use_tz=context.use_tz)
            own.template = context.template  # the engine (for included templates), never the page's data
            markup = self.rendered[key] = self.nodelist.render(own)
        return markup


@register.tag
def language_fragment(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("language_fragment takes no arguments")
    nodelist = parser.parse(("endlanguage_fragment",))
    parser.delete_first_token()
    return LanguageFragmentNode(nodelist)
