"""Issue 35: the pages load only the portal's share of Bootstrap Italia, built by scripts/build-frontend.sh
(`make setup`) into build/frontend/, never the library's whole stylesheet (612 KB) or script bundle (1 MB); every
script waits for the page (defer)."""
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import get_template

ROOT = Path(__file__).resolve().parents[1]
BUILT = ROOT / "build" / "frontend" / "frontend"
WHOLE = ("css/bootstrap-italia.min.css", "js/bootstrap-italia.bundle.min.js", "bootstrap-italia.bundle", "vendor-settings")


def test_the_built_stylesheet_and_script_exist_and_are_a_small_part_of_the_library():
    css, js, dropdown = BUILT / "bootstrap-italia.css", BUILT / "portal.js", BUILT / "dropdown.js"
    assert css.is_file() and js.is_file() and dropdown.is_file(), "run `make setup` (scripts/build-frontend.sh)"
    assert finders.find("frontend/bootstrap-italia.css") == str(css)
    assert finders.find("frontend/portal.js") == str(js)
    assert finders.find("frontend/dropdown.js") == str(dropdown)
    whole_css = ROOT / "node_modules" / "bootstrap-italia" / "dist" / "css" / "bootstrap-italia.min.css"
    assert css.stat().st_size < whole_css.stat().st_size / 4
    assert js.stat().st_size < 5_000 and dropdown.stat().st_size < 100_000
    text = css.read_text()
    # What the templates use is kept, what no template names is gone.
    for used in (".it-header-wrapper", ".btn-primary", ".alert-danger", ".dropdown-menu.show", ".form-control",
                 ".visually-hidden-focusable", ".progress-bar", ".nav-link"):
        assert used in text, used
    for unused in (".carousel", ".it-timeline-wrapper", ".cookiebar", ".chip", "VideoJS"):
        assert unused not in text, unused
    # The SPID button's dropdown (data-bs-toggle="dropdown") is the one component the portal uses: only the
    # pages with that button load it.
    assert "data-focus-mouse" in js.read_text()
    assert 'data-bs-toggle="dropdown"' in dropdown.read_text() and "dropdown" not in js.read_text()
    assert "frontend/dropdown.js" in (ROOT / "templates" / "identity" / "buttons.html").read_text()


def test_base_html_references_only_the_built_files_and_defers_every_script():
    source = Path(get_template("base.html").origin.name).read_text()
    assert "{% static 'frontend/bootstrap-italia.css' %}" in source
    assert "{% static 'frontend/portal.js' %}" in source
    for whole in WHOLE:
        assert whole not in source, whole
    for template in (ROOT / "templates").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "defer" in tag, (template, tag)


def test_a_rendered_page_links_the_built_files_and_no_whole_bundle(client):
    html = client.get("/accesso/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/frontend/bootstrap-italia\.[0-9a-f.]*css">', html)
    assert re.search(r'<script src="/static/frontend/portal\.[0-9a-f.]*js" defer></script>', html)
    for whole in WHOLE:
        assert whole not in html, whole
