/* Site search on Pagefind: loads this language's index on first use, then
   fetches only the index chunks and fragments a query needs. Opens from the
   header button or the same keys as Material's search (/, s, f); Escape
   closes it. Filters (programme, type, year) come from the index itself.

   Results come best match first, with news ahead: Pagefind's default
   ranking strongly favours pages shorter than the site's average, which
   programme and resource pages are, so pageLength is lowered, and release
   text carries a weight of 2 (press-release.html). "Newest first" uses
   Pagefind's date sort (partials/search-facets.html). */
(function () {
  "use strict";
  var dialog = document.getElementById("nr-search");
  var opener = document.querySelector(".nr-search-open");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;

  var input = dialog.querySelector(".nr-search__input");
  var status = dialog.querySelector(".nr-search__status");
  var list = dialog.querySelector(".nr-search__results");
  var filtersBox = dialog.querySelector(".nr-search__filters");
  var more = dialog.querySelector(".nr-search__more");
  var chosenCount = dialog.querySelector(".nr-search__chosen");
  var order = dialog.querySelector("select[name=sort]");
  var rtl = document.documentElement.dir === "rtl";
  var strings = JSON.parse(dialog.getAttribute("data-strings"));
  var bundle = new URL(dialog.getAttribute("data-bundle"), document.baseURI);
  var languageRoot = new URL("../", bundle).pathname;
  var pagefind = null;
  var loading = null;
  var chosen = {};
  var latest = 0;

  opener.hidden = false;

  function load() {
    if (!loading) {
      setStatus(strings.loading);
      loading = import(bundle.href + "pagefind.js").then(function (module) {
        pagefind = module;
        return pagefind.options({ baseUrl: languageRoot, excerptLength: 24, ranking: { pageLength: 0.2 } });
      }).then(function () {
        return pagefind.filters();
      }).then(function (filters) {
        renderFilters(filters);
        setStatus("");
      }).catch(function () {
        setStatus(strings.unavailable);
      });
    }
    return loading;
  }

  function open() {
    if (dialog.open) return;
    dialog.showModal();
    input.focus();
    input.select();
    load();
  }

  function setStatus(text) {
    status.textContent = text;
  }

  // A name in a right-to-left page, "CT TECH+", reads the right way round
  // when its Latin run is isolated, as the templates do (newsroom/i18n.py).
  var latinRun = /[A-Za-z0-9](?:[A-Za-z0-9 .\-+\/&]*[A-Za-z0-9+])?/g;

  function isolated(text) {
    var out = document.createDocumentFragment();
    if (!rtl) {
      out.appendChild(document.createTextNode(text));
      return out;
    }
    var last = 0;
    var match;
    latinRun.lastIndex = 0;
    while ((match = latinRun.exec(text)) !== null) {
      out.appendChild(document.createTextNode(text.slice(last, match.index)));
      var bdi = document.createElement("bdi");
      bdi.textContent = match[0];
      out.appendChild(bdi);
      last = latinRun.lastIndex;
    }
    out.appendChild(document.createTextNode(text.slice(last)));
    return out;
  }

  function renderFilters(filters) {
    ["programme", "type", "year"].forEach(function (name) {
      var values = Object.keys(filters[name] || {});
      if (!values.length) return;
      values.sort(function (a, b) { return name === "year" ? b.localeCompare(a) : a.localeCompare(b); });
      var fieldset = document.createElement("fieldset");
      fieldset.className = "nr-search__facet";
      var legend = document.createElement("legend");
      legend.textContent = strings[name];
      fieldset.appendChild(legend);
      values.forEach(function (value) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.addEventListener("change", function () {
          chosen[name] = Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (b) { return b.value; });
          if (!chosen[name].length) delete chosen[name];
          showChosen();
          search();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" "));
        label.appendChild(isolated(value));
        label.appendChild(document.createTextNode(" (" + filters[name][value] + ")"));
        fieldset.appendChild(label);
      });
      filtersBox.appendChild(fieldset);
    });
    more.hidden = !filtersBox.childNodes.length;
    // Folded on a phone, where open filters would push the results off the
    // screen; open where there is room (Material's 60em breakpoint).
    more.open = window.matchMedia("(min-width: 60em)").matches;
  }

  // Folded, the summary still says how many filters apply.
  function showChosen() {
    var count = Object.keys(chosen).reduce(function (sum, name) { return sum + chosen[name].length; }, 0);
    chosenCount.textContent = count ? " (" + count + ")" : "";
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    load().then(function () {
      if (!pagefind || ticket !== latest) return null;
      var filters = {};
      Object.keys(chosen).forEach(function (name) { filters[name] = { any: chosen[name] }; });
      if (!query && !Object.keys(filters).length) {
        list.textContent = "";
        setStatus("");
        return null;
      }
      var options = { filters: filters };
      if (order.value === "date") options.sort = { date: "desc" };
      return pagefind.debouncedSearch(query || null, options, 200);
    }).then(function (response) {
      if (!response || ticket !== latest) return null;
      return Promise.all(response.results.slice(0, 10).map(function (r) { return r.data(); })).then(function (data) {
        if (ticket === latest) render(data, response.results.length);
      });
    });
  }

  // "Results" has a form for each plural category of the page's language
  // (data/strings/): the browser's CLDR rules choose, as Babel does in the build.
  var plurals = new Intl.PluralRules(document.documentElement.lang);

  function counted(forms, count) {
    return (forms[plurals.select(count)] || forms.other).replace("{count}", String(count));
  }

  function render(results, total) {
    list.textContent = "";
    setStatus(total ? counted(strings.results, total) : strings.none);
    results.forEach(function (result) {
      var item = document.createElement("li");
      item.className = "nr-search__result";
      var link = document.createElement("a");
      link.href = result.url;
      link.className = "nr-search__result-title";
      link.appendChild(isolated(result.meta.title || result.url));
      item.appendChild(link);
      var facts = [result.meta.kind, result.meta.date].concat(result.meta.programmes ? result.meta.programmes.split(" · ") : []).filter(Boolean);
      if (facts.length) {
        var meta = document.createElement("p");
        meta.className = "nr-search__result-meta";
        facts.forEach(function (fact, index) {
          if (index) meta.appendChild(document.createTextNode(" · "));
          meta.appendChild(isolated(fact));
        });
        item.appendChild(meta);
      }
      var excerpt = document.createElement("p");
      excerpt.className = "nr-search__excerpt";
      // Pagefind escapes the indexed text and adds only <mark> around matches.
      excerpt.innerHTML = result.excerpt;
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  opener.addEventListener("click", open);
  dialog.querySelector("[data-close]").addEventListener("click", function () { dialog.close(); opener.focus(); });
  dialog.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); search(); });
  input.addEventListener("input", search);
  order.addEventListener("change", search);
  dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });

  document.addEventListener("keydown", function (event) {
    if (dialog.open || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName))) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      open();
    }
  });
})();
