// The portal's share of Bootstrap Italia's JavaScript (scripts/build-frontend.mjs bundles it with esbuild into
// build/frontend/frontend/portal.js; base.html loads it with `defer`). The portal uses one component of the
// library: the dropdown of the SPID button (templates/identity/buttons.html, data-bs-toggle="dropdown"), whose
// module registers its data API on import. init.js tracks whether focus came from the mouse (data-focus-mouse),
// which the stylesheet reads to show the focus ring to keyboard users only, as the whole bundle did.
// The whole bundle never called the library's font loader (an inline <style>, which the portal's
// Content-Security-Policy would refuse anyway): the pages have always shown the system fonts, and still do.
import "bootstrap-italia/dist/plugins/init.js";
import "bootstrap-italia/dist/plugins/dropdown.js";
