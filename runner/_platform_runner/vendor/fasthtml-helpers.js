// The FastHTML page helpers that fast_app() loads by default (fasthtml-js): $, $$, $H, $E and proc_htmx.
// The platform's own implementation of that documented API, served from the runner because the
// original file is published on no package registry the runner image is built from. See VENDOR.md.
(function () {
  "use strict";
  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return (root || document).querySelectorAll(selector); }
  // $H`<b>${x}</b>` → the first element of the HTML.
  function $H(strings) {
    var values = Array.prototype.slice.call(arguments, 1);
    var html = "";
    for (var i = 0; i < strings.length; i++) html += strings[i] + (i < values.length && values[i] != null ? values[i] : "");
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }
  // $E("button", {cls: "x", onclick: fn, dataset: {...}, style: {...}}, [children]).
  function $E(tag, attrs, children) {
    var element = document.createElement(tag || "div");
    var options = attrs || {};
    Object.keys(options).forEach(function (key) {
      var value = options[key];
      if (key === "style" && value && typeof value === "object") Object.assign(element.style, value);
      else if (key === "dataset" && value) Object.assign(element.dataset, value);
      else if (key === "cls" || key === "className") { if (value) element.className = value; }
      else if (key.slice(0, 2) === "on" && typeof value === "function") element.addEventListener(key.slice(2), value);
      else element.setAttribute(key, value);
    });
    var kids = children == null ? [] : Array.isArray(children) ? children : [children];
    element.append.apply(element, kids);
    return element;
  }
  // Runs func on every element matching sel, now and in everything htmx swaps in later.
  function proc_htmx(selector, func) {
    window.htmx.onLoad(function (root) {
      var found = Array.prototype.slice.call(window.htmx.findAll(root, selector));
      if (root.matches && root.matches(selector)) found.unshift(root);
      found.forEach(func);
    });
  }
  window.$ = $;
  window.$$ = $$;
  window.$H = $H;
  window.$E = $E;
  window.proc_htmx = proc_htmx;
})();
