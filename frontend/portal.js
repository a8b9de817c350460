// Bootstrap Italia's script on every page (scripts/build-frontend.mjs bundles it with esbuild into
// build/frontend/frontend/portal.js; base.html loads it with `defer`): init.js tracks whether focus came from the
// mouse (data-focus-mouse), which the stylesheet reads to show the focus ring to keyboard users only, as the
// whole bundle did. The one component the portal uses, the SPID button's dropdown, is in dropdown.js, loaded by
// the page that shows it (templates/identity/buttons.html).
// The whole bundle never called the library's font loader (an inline <style>, which the portal's
// Content-Security-Policy would refuse anyway): the pages have always shown the system fonts, and still do.
import "bootstrap-italia/dist/plugins/init.js";
