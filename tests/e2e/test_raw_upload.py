"""Issue 21, goal 3, in a real browser: the evidence page's script sends a chosen file as the raw request
body (application/octet-stream, CSRF token in a header), never as a multipart form, and the file is listed
without a reload; a file over the limit is refused by the page without being sent."""
import hashlib

import pytest
from playwright.sync_api import expect

from applications import services
from operations.demo import minimal_pdf
from interventions.models import EvidenceItem
from tests.e2e.login import log_in
from tests.e2e.test_daily_company import draft, url  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_evidence_upload_sends_the_raw_body(page, live_server, draft, tmp_path, settings):  # noqa: F811
    site, rep, app = draft
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    content = minimal_pdf("verbale diretto") + b"%" + b"0" * (2 * 1024 * 1024)  # more than one piece of 1 MB
    path = tmp_path / "verbale diretto.pdf"
    path.write_bytes(content)
    log_in(page, live_server, rep)
    page.goto(url(live_server, app, "evidence"))
    posts, loads = [], []
    page.on("request", lambda r: posts.append((r.url, r.headers.get("content-type", ""), r.headers.get("x-csrftoken")))
            if r.method == "POST" else None)
    page.on("load", lambda p: loads.append(p.url))
    page.set_input_files(f"#file-{item.pk}", str(path))
    expect(page.locator(f"#item-{item.pk} .ot24-files")).to_contain_text("verbale diretto.pdf")
    expect(page.locator(f"#item-{item.pk} form.ot24-upload")).to_have_attribute("data-sent-as", "raw")
    assert len(posts) == 1, posts
    sent_to, content_type, token = posts[0]
    assert f"/domande/{app.pk}/documenti/carica-diretta/?item={item.pk}&name=verbale%20diretto.pdf" in sent_to
    assert content_type == "application/octet-stream" and token
    assert not any("multipart" in p[1] for p in posts)
    assert loads == []
    evidence = app.evidence_files.get()
    assert evidence.original_name == "verbale diretto.pdf"
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()

    # Over the limit: the page says so and sends nothing.
    big = tmp_path / "enorme.pdf"
    big.write_bytes(minimal_pdf("enorme") + b"%" + b"0" * (21 * 1024 * 1024))
    page.set_input_files(f"#file-{item.pk}", str(big))
    expect(page.locator(f"#item-{item.pk} .ot24-upload-list")).to_contain_text("supera il limite di 20 MB")
    assert len(posts) == 1
    assert app.evidence_files.count() == 1


def test_four_files_chosen_at_once_all_arrive_one_after_another(page, live_server, draft, tmp_path):  # noqa: F811
    """Issue 34, major 1: four files chosen together are sent one at a time (never two requests in flight)
    and all four are listed and stored."""
    site, rep, app = draft
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C4": (frozenset(), False)})
    item = EvidenceItem.objects.filter(intervention__code="C4").order_by("order").first()
    paths = []
    for index in range(4):
        path = tmp_path / f"allegato {index}.pdf"
        path.write_bytes(minimal_pdf(f"allegato {index}"))
        paths.append(str(path))
    # Requests in flight, counted in the page: from send() until the answer is complete (readyState 4).
    page.add_init_script("""
      window.ot24InFlight = 0; window.ot24MostInFlight = 0;
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body) {
        window.ot24InFlight += 1;
        window.ot24MostInFlight = Math.max(window.ot24MostInFlight, window.ot24InFlight);
        this.addEventListener("readystatechange", () => { if (this.readyState === 4) { window.ot24InFlight -= 1; } });
        return send.call(this, body);
      };
    """)
    log_in(page, live_server, rep)
    page.goto(url(live_server, app, "evidence"))
    page.set_input_files(f"#file-{item.pk}", paths)
    files = page.locator(f"#item-{item.pk} .ot24-files li")
    expect(files).to_have_count(4)
    assert page.evaluate("window.ot24MostInFlight") == 1
    assert sorted(app.evidence_files.values_list("original_name", flat=True)) == [f"allegato {i}.pdf" for i in range(4)]
