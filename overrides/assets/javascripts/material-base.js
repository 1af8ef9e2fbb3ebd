/* Material for MkDocs 9.8.1's inline script from partials/javascripts/base.html,
   as it is, in a file: the Content-Security-Policy allows no inline script.
   The scope Material writes into the script comes from data-md-scope on the
   script element (overrides/partials/javascripts/base.html).
   tests/test_csp.py checks this is still Material's script. */
__md_scope=new URL(document.currentScript.getAttribute("data-md-scope"),location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
