// Builds the portal's share of Bootstrap Italia into build/frontend/ (git-ignored; STATICFILES_DIRS serves it):
//   frontend/bootstrap-italia.css  the library's stylesheet less every rule no template, form or script of the
//                                  portal can match (PurgeCSS over the templates, the Python code that writes
//                                  class names, crispy-forms' templates and the portal's scripts)
//   frontend/portal.js             frontend/portal.js bundled with esbuild: what every page runs (focus tracking)
//   frontend/dropdown.js           frontend/dropdown.js, the one component the portal uses, for the pages with
//                                  the SPID button
// Run by scripts/build-frontend.sh, which skips it when the inputs' hash has not changed.
// SITE_PACKAGES (the virtualenv's) lets PurgeCSS read the templates of the form packages the portal renders.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";
import { PurgeCSS } from "purgecss";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "build", "frontend", "frontend");
const library = path.join(root, "node_modules", "bootstrap-italia", "dist");
const sitePackages = process.env.SITE_PACKAGES;

const content = [
  "templates/**/*.html",
  "*/templates/**/*.html",
  "static/**/*.js",
  "frontend/**/*.js",
  // Forms, widgets, template tags and views that name CSS classes in Python.
  "{accounts,applications,evidence,identity,indicators,interventions,notifications,operations,organisations,ot24portal,pages,review,stress}/**/*.py",
].map((glob) => path.join(root, glob));
if (sitePackages) {
  for (const pkg of ["crispy_bootstrap5", "crispy_forms", "allauth", "django/forms"]) {
    content.push(path.join(sitePackages, pkg, "templates", "**", "*.html"));
  }
}
// What the dropdown's module adds or reads at run time.
content.push(path.join(library, "plugins", "dropdown.js"), path.join(library, "plugins", "track-focus.js"));

const [result] = await new PurgeCSS().purge({
  content,
  css: [path.join(library, "css", "bootstrap-italia.min.css")],
  // Class names that templates build from data (alert-{{ message.tags }}, text-{{ align }}) and the states
  // scripts toggle.
  safelist: {
    standard: [/^alert-/, /^text-(start|end|center)$/, "show", "showing", "fade", "collapsing", "active", "disabled",
               "was-validated", "is-invalid", "is-valid"],
    greedy: [/data-bs-popper/, /data-focus-mouse/, /dropdown-menu/],
  },
  fontFace: true,
  keyframes: true,
  variables: true,
});
await mkdir(out, { recursive: true });
await writeFile(path.join(out, "bootstrap-italia.css"), result.css);

await esbuild.build({
  entryPoints: ["portal.js", "dropdown.js"].map((name) => path.join(root, "frontend", name)),
  outdir: out,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  legalComments: "eof",
  // The library's package.json marks its plugins free of side effects, but each registers its data API
  // (data-bs-toggle="dropdown") when it loads: that is the part the portal needs.
  ignoreAnnotations: true,
  logLevel: "warning",
});
console.log(`frontend built in ${path.relative(root, out)}`);
