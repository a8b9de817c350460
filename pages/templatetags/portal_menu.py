from django import template

from pages.menu import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_menu(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return menu_for(request.user, request.path)
