/* The site's root page (root-index.html): sends the reader to the first of the
   browser's preferred languages the site has, else to the default one. The
   languages come from the script element's data-languages and data-default. */
(function () {
  "use strict";
  var script = document.currentScript;
  var available = script.getAttribute("data-languages").split(" ");
  var wanted = navigator.languages || [navigator.language || ""];
  for (var i = 0; i < wanted.length; i++) {
    var code = String(wanted[i]).toLowerCase().split("-")[0];
    if (available.indexOf(code) !== -1) { location.replace(code + "/"); return; }
  }
  location.replace(script.getAttribute("data-default") + "/");
})();
