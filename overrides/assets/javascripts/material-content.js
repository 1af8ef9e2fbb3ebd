/* Material for MkDocs 9.8.1's inline script from partials/javascripts/content.html
   (the one written on every page), as it is, in a file: the
   Content-Security-Policy allows no inline script.
   tests/test_csp.py checks this is still Material's script. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
