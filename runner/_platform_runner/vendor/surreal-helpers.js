// The Surreal helpers that fast_app() loads by default: me() and any(), with chainable methods
// (on/off/trigger, class and style changes, attributes, remove, fades) and the timing helpers (sleep,
// tick, rAF, rIC, halt, onloadAdd). The platform's own implementation of Surreal's documented API,
// served from the runner because the file FastHTML links is published on no package registry the
// runner image is built from. See VENDOR.md.
(function () {
  "use strict";
  var methods = {
    on: function (event, handler, options) { this.addEventListener(event, handler, options); return this; },
    off: function (event, handler, options) { this.removeEventListener(event, handler, options); return this; },
    trigger: function (name, detail) { this.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail })); return this; },
    classAdd: function (name) { this.classList.add(name); return this; },
    classRemove: function (name) { this.classList.remove(name); return this; },
    classToggle: function (name, force) { this.classList.toggle(name, force); return this; },
    styles: function (value) {
      if (typeof value === "string") this.style.cssText += ";" + value;
      else Object.assign(this.style, value || {});
      return this;
    },
    attribute: function (name, value) {
      if (typeof name === "object") { for (var key in name) this.setAttribute(key, name[key]); return this; }
      if (value === undefined) return this.getAttribute(name);
      if (value === null) this.removeAttribute(name);
      else this.setAttribute(name, value);
      return this;
    },
    remove: function () { Element.prototype.remove.call(this); return this; },
    run: function (fn) { fn(this); return this; },
    fadeOut: function (fn, ms) {
      var element = this;
      element.style.transition = "opacity " + (ms || 600) + "ms";
      element.style.opacity = "0";
      setTimeout(function () { if (fn) fn(element); else element.remove(); }, ms || 600);
      return this;
    },
    fadeIn: function (fn, ms) {
      var element = this;
      element.style.transition = "opacity " + (ms || 600) + "ms";
      element.style.opacity = "1";
      setTimeout(function () { if (fn) fn(element); }, ms || 600);
      return this;
    },
    disable: function () { this.disabled = true; return this; },
    enable: function () { this.disabled = false; return this; },
  };
  methods.send = methods.trigger;
  methods.add_class = methods.addClass = methods.classAdd;
  methods.remove_class = methods.removeClass = methods.classRemove;
  methods.toggle_class = methods.toggleClass = methods.classToggle;
  methods.attr = methods.attribute;
  methods.fade_out = methods.fadeOut;
  methods.fade_in = methods.fadeIn;

  function sugar(element) {
    if (!element || element.__surreal) return element;
    Object.keys(methods).forEach(function (name) {
      if (!(name in element) || name === "remove") element[name] = methods[name];
    });
    element.__surreal = true;
    return element;
  }
  function sugarList(list) {
    var items = Array.prototype.slice.call(list);
    items.forEach(sugar);
    Object.keys(methods).forEach(function (name) {
      items[name] = function () {
        var args = arguments;
        items.forEach(function (element) { methods[name].apply(element, args); });
        return items;
      };
    });
    return items;
  }
  function origin() {
    var script = document.currentScript;
    return script ? script.parentElement : null;
  }
  // me(): the element the current <script> sits in; me("-") its previous sibling; me(selector, start).
  function me(selector, start) {
    if (selector == null) return sugar(origin());
    if (selector instanceof Element) return sugar(selector);
    if (selector instanceof Event) return sugar(selector.currentTarget || selector.target);
    if (selector === "-" || selector === "prev" || selector === "previous") {
      var script = document.currentScript;
      return sugar(script ? script.previousElementSibling : null);
    }
    return sugar((start || document).querySelector(selector));
  }
  function any(selector, start) {
    if (selector == null) return sugarList(origin() ? [origin()] : []);
    if (selector instanceof Element) return sugarList([selector]);
    return sugarList((start || document).querySelectorAll(selector));
  }
  window.me = me;
  window.any = any;
  window.sleep = function (ms, value) { return new Promise(function (resolve) { setTimeout(function () { resolve(value); }, ms); }); };
  window.tick = function () { return new Promise(function (resolve) { requestAnimationFrame(function () { resolve(); }); }); };
  window.rAF = function (fn) { return fn ? requestAnimationFrame(fn) : window.tick(); };
  window.rIC = function (fn) { return (window.requestIdleCallback || setTimeout)(fn); };
  window.halt = function (event) { event.preventDefault(); event.stopPropagation(); };
  window.onloadAdd = window.addOnload = function (fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  };
})();
