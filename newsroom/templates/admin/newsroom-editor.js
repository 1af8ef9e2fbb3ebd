/* The newsroom's additions to Decap CMS, through its public API only
 * (registerLocale, registerEventListener, registerPreviewStyle,
 * registerPreviewTemplate). Loaded after decap-cms.js, before it starts.
 *
 * - A pattern message reads as the check's: "Email: what you wrote is not an
 *   e-mail address. ..." (the words come from newsroom/schema.py, through
 *   admin/config.yml).
 * - Optional fields left empty are left out of the file, as an author writing
 *   by hand leaves them out, instead of being saved as "" or [].
 * - The preview pane shows a release with the site's own stylesheets and the
 *   markup of overrides/press-release.html.
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : "";
  }

  var site = JSON.parse(meta("newsroom-strings") || "{}");
  var strings = site.strings || {};

  CMS.registerLocale("newsroom", {
    editor: { editorControlPane: { widget: { regexPattern: meta("newsroom-pattern-phrase") } } },
  });

  // -- Empty optional fields are not written ------------------------------------
  function isCollection(value) {
    return value !== null && typeof value === "object" && typeof value.toJS === "function" && typeof value.filter === "function";
  }
  function isEmpty(value) {
    return value === undefined || value === null || value === "" || (isCollection(value) && value.size === 0);
  }
  function prune(value) {
    if (!isCollection(value)) return value;
    return value.map(prune).filter(function (item) { return !isEmpty(item); });
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) { return prune(args.entry.get("data")); },
  });

  // -- The preview ------------------------------------------------------------
  meta("newsroom-preview-styles").split(" ").forEach(function (href) {
    if (href) CMS.registerPreviewStyle(new URL(href, document.baseURI).href);
  });

  function t(key, values) {
    return (strings[key] || key).replace(/\{([a-z_]+)\}/g, function (whole, name) { return values && name in values ? values[name] : whole; });
  }
  function list(value) { return value && typeof value.toJS === "function" ? value.toJS() : (value || []); }
  function longDate(text) {
    var match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})/.exec(text || "");
    if (!match) return text || "";
    var day = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    if (isNaN(day.getTime())) return text;
    return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(day);
  }
  function organisations(label, slugs) {
    slugs = list(slugs);
    if (!slugs.length) return null;
    return h("div", { className: "nr-facts__row" },
      h("dt", null, label),
      h("dd", null, h("ul", { className: "nr-inline" }, slugs.map(function (slug) {
        var known = (site.organisations || {})[slug];
        return h("li", { key: slug }, known ? h("abbr", { title: known.name }, known.acronym) : slug);
      }))));
  }
  function programmes(slugs) {
    slugs = list(slugs);
    if (!slugs.length) return null;
    return h("div", { className: "nr-facts__row" },
      h("dt", null, t("programmes")),
      h("dd", null, h("ul", { className: "nr-inline" }, slugs.map(function (slug) {
        return h("li", { key: slug }, (site.programmes || {})[slug] || slug);
      }))));
  }
  // Material's page frame, so its typography applies as on the site.
  function page(inner) {
    return h("div", { className: "md-container" },
      h("main", { className: "md-main" },
        h("div", { className: "md-main__inner md-grid" },
          h("div", { className: "md-content" },
            h("article", { className: "md-content__inner md-typeset" }, inner)))));
  }

  var ReleasePreview = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var image = data.get("image");
      var src = image && image.get("src");
      var contacts = list(data.get("contacts"));
      var updates = list(data.get("updates"));
      var tags = list(data.get("tags"));
      var attachments = list(data.get("attachments"));
      return page(h("article", { className: "nr-release" },
        h("header", { className: "nr-release__header" },
          h("p", { className: "nr-kicker nr-label" }, t("search_type_release")),
          h("p", { className: "nr-dateline" },
            h("span", { className: "nr-dateline__place" }, data.get("location") || ""),
            t("dateline_separator"),
            h("time", null, longDate(data.get("date")))),
          h("h1", null, data.get("title") || ""),
          data.get("summary") ? h("p", { className: "nr-standfirst" }, data.get("summary")) : null),
        updates.length ? h("aside", { className: "nr-updates" }, h("ul", null, updates.slice().reverse().map(function (u, i) {
          return h("li", { key: i }, h("strong", null, t("updated") + " " + longDate(u.date) + ":"), " " + (u.note || ""));
        }))) : null,
        src ? h("figure", { className: "nr-figure" },
          h("img", { className: "nr-figure__image", src: String(this.props.getAsset(src)), alt: image.get("alt") || "" }),
          h("figcaption", null,
            image.get("caption") ? h("span", { className: "nr-figure__caption" }, image.get("caption")) : null,
            image.get("credit") ? h("span", { className: "nr-figure__credit" }, t("image_credit", { credit: image.get("credit") })) : null,
            image.get("licence") ? h("span", { className: "nr-figure__licence" }, t("image_licence", { licence: image.get("licence") })) : null)) : null,
        h("div", { className: "nr-body" }, this.props.widgetFor("body")),
        attachments.length ? h("section", { className: "nr-attachments" },
          h("h2", null, t("attachments")),
          h("ul", null, attachments.map(function (a, i) {
            return h("li", { key: i }, h("a", { lang: a.language || null }, a.title || a.file || ""), " ", h("span", { className: "nr-attachment__meta" }, a.language || ""));
          }))) : null,
        contacts.length ? h("section", { className: "nr-contacts" },
          h("h2", null, t("contacts")),
          h("ul", null, contacts.map(function (c, i) {
            var org = c.organisation && (site.organisations || {})[c.organisation];
            return h("li", { key: i }, h("address", null,
              c.name ? h("span", { className: "nr-contact__name" }, c.name) : null,
              org ? h("span", { className: "nr-contact__org" }, h("abbr", { title: org.name }, org.acronym)) : null,
              c.email ? h("a", { href: "mailto:" + c.email }, c.email) : null,
              c.phone ? h("a", { href: "tel:" + String(c.phone).replace(/ /g, ""), dir: "ltr" }, c.phone) : null));
          }))) : null,
        h("footer", { className: "nr-facts" }, h("dl", null,
          programmes(data.get("programmes")),
          organisations(t("issued_by"), data.get("publishers")),
          organisations(t("partners"), data.get("partners")),
          organisations(t("funders"), data.get("funders")),
          tags.length ? h("div", { className: "nr-facts__row" }, h("dt", null, t("tags")),
            h("dd", null, h("ul", { className: "nr-inline" }, tags.map(function (tag, i) { return h("li", { key: i }, tag); })))) : null))));
    },
  });

  CMS.registerPreviewTemplate("releases", ReleasePreview);
})();
