/*
 * Type-ahead pickers (see waymark/core/pickers.py).
 *
 * The form renderer marks each select of organisations, services or people with data-picker, the URL of
 * a look-up that answers with what the list page would show. A long select is replaced, in the browser
 * only, by the accessible autocomplete GOV.UK and NHS services use: the select stays in the form (hidden)
 * and carries the value, so the page works the same without JavaScript. Suggestions come from the
 * look-up, with a hint (a person's organisation and role), and only those the select itself offers are
 * shown, so a form's narrower choice is never widened; the select's own options that match are added,
 * so every choice stays reachable even when the look-up fails. A select of several becomes a box to add
 * one more at a time, with the chosen listed under it, each with a button to remove it.
 */
(function () {
  "use strict";

  // A select this short is quicker to use as it is.
  var MIN_OPTIONS = 15;
  var MAX_RESULTS = 20;
  var DELAY = 250; // milliseconds after the last key before asking the server
  var script = document.currentScript;
  var staticRoot = script ? script.src.replace(/js\/pickers\.js(\?.*)?$/, "") : "/static/";
  var library = null;

  function loadLibrary() {
    if (window.accessibleAutocomplete) return Promise.resolve(window.accessibleAutocomplete);
    if (library) return library;
    var base = staticRoot + "vendor/accessible-autocomplete/accessible-autocomplete.min.";
    var style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = base + "css";
    document.head.appendChild(style);
    library = new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = base + "js";
      tag.onload = function () { resolve(window.accessibleAutocomplete); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
    return library;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function wordsOf(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function enhance(autocomplete, select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "true";
    var options = {};
    var order = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value) {
        options[option.value] = option.text;
        order.push(option.value);
      }
    });
    var id = select.id;
    var container = document.createElement("div");
    container.className = "waymark-picker";
    select.parentNode.insertBefore(container, select.nextSibling);
    select.id = id + "-select";
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    var url = select.dataset.picker;
    var chosen = !select.multiple && select.value && options[select.value] ? select.value : "";

    function localMatches(query) {
      var words = wordsOf(query);
      return order.filter(function (value) {
        var text = options[value].toLowerCase();
        return words.every(function (word) { return text.indexOf(word) !== -1; });
      }).map(function (value) { return { value: value, label: options[value], hint: "" }; });
    }

    function merge(remote, query) {
      var seen = {};
      var results = [];
      remote.forEach(function (row) {
        if (options[row.value] !== undefined && !seen[row.value]) {
          seen[row.value] = true;
          results.push({ value: row.value, label: options[row.value], hint: row.hint || "" });
        }
      });
      localMatches(query).forEach(function (row) {
        if (!seen[row.value]) {
          seen[row.value] = true;
          results.push(row);
        }
      });
      return results.slice(0, MAX_RESULTS);
    }

    // One look-up at a time, for the latest words typed once typing pauses: a fast typist sends one request,
    // not one per key, and answers never arrive out of order.
    var latest = null;
    var inFlight = false;
    var timer = null;

    function ask() {
      if (inFlight || !latest) return;
      var asked = latest;
      inFlight = true;
      var address = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(asked.query);
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .catch(function () { return { results: [] }; })
        .then(function (data) {
          inFlight = false;
          if (latest === asked) {
            latest = null;
            asked.populate(merge(data.results || [], asked.query));
          } else {
            ask();
          }
        });
    }

    function source(query, populate) {
      if (!query.trim()) {
        latest = null;
        return populate([]);
      }
      latest = { query: query, populate: populate };
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    }

    function labelOf(result) {
      if (!result) return "";
      return typeof result === "string" ? result : result.label;
    }

    var multiple = select.multiple;
    var chosenList = null;
    if (multiple) {
      // Several may be chosen: each choice is listed under the box with a button to take it off again.
      chosenList = document.createElement("ul");
      chosenList.className = "nhsuk-list waymark-picker__chosen";
      container.parentNode.insertBefore(chosenList, container.nextSibling);
    }

    function isChosen(value) {
      return Array.prototype.some.call(select.options, function (option) {
        return option.value === value && option.selected;
      });
    }

    function showChosen() {
      if (!chosenList) return;
      chosenList.textContent = "";
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var item = document.createElement("li");
        item.className = "waymark-picker__choice";
        item.appendChild(document.createTextNode(option.text + " "));
        var button = document.createElement("button");
        button.type = "button";
        button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small waymark-picker__remove";
        button.appendChild(document.createTextNode(select.dataset.pickerRemove || "Remove"));
        var name = document.createElement("span");
        name.className = "nhsuk-u-visually-hidden";
        name.textContent = " " + option.text;
        button.appendChild(name);
        button.addEventListener("click", function () {
          option.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          showChosen();
          var box = document.getElementById(id);
          if (box) box.focus();
        });
        item.appendChild(button);
        chosenList.appendChild(item);
      });
    }

    autocomplete({
      element: container,
      id: id,
      name: "",
      source: multiple ? function (query, populate) {
        source(query, function (results) {
          populate(results.filter(function (row) { return !isChosen(row.value); }));
        });
      } : source,
      defaultValue: !multiple && chosen ? options[chosen] : "",
      minLength: 1,
      showNoOptionsFound: true,
      required: select.required && !multiple,
      inputClasses: "nhsuk-input" + (select.classList.contains("nhsuk-select--error") ? " nhsuk-input--error" : ""),
      templates: {
        inputValue: labelOf,
        suggestion: function (result) {
          if (!result || typeof result === "string") return escapeHtml(result || "");
          var hint = result.hint ? '<span class="waymark-picker__hint">' + escapeHtml(result.hint) + "</span>" : "";
          return escapeHtml(result.label) + (hint ? " " + hint : "");
        }
      },
      onConfirm: function (result) {
        if (!result || typeof result === "string") return;
        if (!multiple) {
          select.value = result.value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          return;
        }
        Array.prototype.forEach.call(select.options, function (option) {
          if (option.value === result.value) option.selected = true;
        });
        select.dispatchEvent(new Event("change", { bubbles: true }));
        showChosen();
        // Empty the box for the next choice, once the component has shown this one.
        window.setTimeout(function () {
          var box = document.getElementById(id);
          if (!box) return;
          box.value = "";
          box.dispatchEvent(new Event("input", { bubbles: true }));
        }, 0);
      }
    });
    showChosen();

    var input = document.getElementById(id);
    if (!multiple && select.form && input) {
      // Emptied, or typed over without choosing: the select must not send a choice the box no longer shows.
      select.form.addEventListener("submit", function () {
        var typed = input.value.trim();
        if (!typed) select.value = "";
        else if (!select.value || options[select.value] !== typed) {
          var exact = order.filter(function (value) { return options[value] === typed; });
          select.value = exact.length === 1 ? exact[0] : "";
        }
      });
    }
  }

  function enhanceAll(root) {
    var selects = Array.prototype.filter.call(
      (root || document).querySelectorAll("select[data-picker]"),
      function (select) { return select.options.length > MIN_OPTIONS && !select.dataset.pickerReady; }
    );
    if (!selects.length) return;
    loadLibrary().then(function (autocomplete) {
      selects.forEach(function (select) { enhance(autocomplete, select); });
    });
  }

  function start() {
    enhanceAll(document);
    document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
