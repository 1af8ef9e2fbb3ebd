/* Material's bundle requests sitemap.xml beside every <link rel="alternate">,
   assuming each points at a language's home page. Ours point at this same
   page in each language (hreflang), so each request would be a 404. This
   sends those requests to that language's real sitemap instead. It runs
   before DOMContentLoaded, when Material starts its requests. */
(function () {
  "use strict";
  var open = XMLHttpRequest.prototype.open;
  var languages = Array.prototype.map.call(document.querySelectorAll("link[rel=alternate][hreflang]"), function (link) {
    return link.getAttribute("hreflang");
  });
  XMLHttpRequest.prototype.open = function (method, address) {
    var args = Array.prototype.slice.call(arguments);
    try {
      var url = new URL(String(address), location.href);
      var match = url.origin === location.origin && url.pathname.match(/^(.*?\/)([a-z]{2})\/.+\/sitemap\.xml$/);
      if (match && languages.indexOf(match[2]) !== -1) {
        url.pathname = match[1] + match[2] + "/sitemap.xml";
        args[1] = url.href;
      }
    } catch (error) { /* not an address this handles */ }
    return open.apply(this, args);
  };
})();
