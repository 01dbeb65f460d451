// PurgeCSS settings for scripts/purge-css.sh: keep every selector whose class names appear
// as words in the templates, the Python code (widget attributes, presenters) or the scripts
// (USWDS's own JavaScript adds classes at run time). The extractor keeps ":" inside a word
// so that responsive utilities ("tablet:grid-col-6") survive.
module.exports = {
  content: [
    "templates/**/*.html",
    "*/templates/**/*.html",
    "*/*.py",
    "*/*/*.py",
    "static/js/*.js",
    "*/static/**/*.js",
    "static/vendor/uswds/js/uswds.min.js",
  ],
  defaultExtractor: (content) => content.match(/[A-Za-z0-9_:-]+/g) || [],
  // Classes a template builds from pieces ("usa-alert--{{ level }}").
  // PurgeCSS drops selectors with :where(...) (".usa-form a:where(:not(.usa-button))", the
  // colour of links in forms): keep every rule that names the form.
  safelist: { standard: [/^usa-alert--/], greedy: [/^usa-form$/] },
};
