"""{% catalogue_fragment catalogue "name" arg ... %}...{% endcatalogue_fragment %}: a piece of a page that
depends only on an edition's catalogue, the arguments and the page's language (e.g. what the wizard shows
under each intervention: the documents to upload, the notes), rendered from the template once per process
and catalogue revision and then reused (interventions.selectors.EditionCatalogue.fragment: dropped with the
catalogue when a catalogue write bumps its revision). Nothing of a user's may go inside: only the catalogue.

Measured (bench/server_cpu.py, 347fcdc against this with the scheda change, 200 requests per page, load
3-5 with tests running beside; docs/performance.md): section C 30.8 -> 27.0 ms of CPU per request, its
GET + POST 48.4 -> 41.0 ms, sections A, B, D 4-10 % less."""
from django import template
from django.utils.translation import get_language

register = template.Library()


class CatalogueFragmentNode(template.Node):
    def __init__(self, nodelist, catalogue, name, vary_on):
        self.nodelist, self.catalogue, self.name, self.vary_on = nodelist, catalogue, name, vary_on

    def render(self, context):
        from interventions.selectors import EditionCatalogue

        catalogue = self.catalogue.resolve(context)
        if not isinstance(catalogue, EditionCatalogue):  # a page without its catalogue renders it every time
            return self.nodelist.render(context)
        key = ("template_fragment", self.name.resolve(context), get_language(),
               *(var.resolve(context) for var in self.vary_on))
        return catalogue.fragment(key, lambda: self.nodelist.render(context))


@register.tag("catalogue_fragment")
def catalogue_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a catalogue, a name and what the fragment varies on.")
    nodelist = parser.parse(("endcatalogue_fragment",))
    parser.delete_first_token()
    return CatalogueFragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]),
                                 [parser.compile_filter(bit) for bit in bits[3:]])
