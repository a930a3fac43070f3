/* Porch: small enhancements on top of pages that work without JavaScript.
 *
 * - a "characters left" counter under long text boxes
 * - the audience picker: ticking a circle chooses "Circles"; another audience clears them
 * - copy buttons for invite links and new tokens
 * - dropdowns (<details>) close on Escape or a click elsewhere
 * - inline replies (loaded by htmx): one open at a time, Cancel closes it, focus follows
 * - marking a notification read drops its unread look
 * - feed settings: a slider's value shows beside it as it moves
 */
(function () {
  "use strict";

  function setUpCounters(root) {
    root.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var out = document.getElementById(area.dataset.counter);
      if (!out || area.dataset.counterReady) return;
      area.dataset.counterReady = "1";
      var max = parseInt(area.getAttribute("maxlength"), 10) || 5000;
      function update() {
        var left = max - area.value.length;
        out.textContent = left <= 500 ? left.toLocaleString() + " characters left" : "";
        out.classList.toggle("is-low", left <= 100);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  function setUpCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }

  // The same text the server renders: at most two decimals, no trailing zeros.
  function numberText(value) {
    var number = Number(value);
    if (!isFinite(number)) return value;
    return String(Math.round(number * 100) / 100);
  }

  // Feed settings: each slider shows its value in the <output> it names.
  document.addEventListener("input", function (event) {
    var slider = event.target;
    if (!slider.matches || !slider.matches("input[type=range][data-output]")) return;
    var out = document.getElementById(slider.dataset.output);
    if (out) out.textContent = numberText(slider.value);
  });

  function ready(root) {
    setUpCounters(root);
    setUpCopyButtons(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    ready(document);
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (!form) return;
    if (input.matches("[data-circle-box]")) {
      var radio = form.querySelector("[data-circles-radio]");
      if (radio && input.checked) radio.checked = true;
    } else if (input.matches("input[type=radio][name=audience]")) {
      var boxes = form.querySelectorAll("[data-circle-box]");
      if (!input.matches("[data-circles-radio]")) {
        boxes.forEach(function (box) { box.checked = false; });
      } else if (boxes.length === 1) {
        boxes[0].checked = true;
      }
    }
  });

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.dataset.copy);
      if (source) {
        navigator.clipboard.writeText(source.value).then(function () {
          copy.classList.add("is-done");
          copy.setAttribute("aria-label", "Copied");
          var label = copy.lastChild;
          if (label && label.nodeType === Node.TEXT_NODE) label.textContent = "Copied";
        });
      }
      return;
    }
    var cancel = event.target.closest("[data-cancel-reply]");
    if (cancel && cancel.closest(".reply-slot")) {
      event.preventDefault();
      var slot = cancel.closest(".reply-slot");
      var item = slot.closest(".reply");
      slot.innerHTML = "";
      var link = item && item.querySelector(".reply-link");
      if (link) link.focus();
      return;
    }
    document.querySelectorAll("details.menu[open], details.react-picker[open]").forEach(function (open) {
      if (!open.contains(event.target)) open.removeAttribute("open");
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open], details.react-picker[open]").forEach(function (open) {
      open.removeAttribute("open");
      var summary = open.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.matches && elt.matches(".reply-link")) {
      document.querySelectorAll(".reply-slot").forEach(function (slot) { slot.innerHTML = ""; });
    }
  });

  // Before the "Mark read" form is swapped out (while it is still in the page).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status < 300 && target.matches && target.matches("[data-mark-read]")) {
      var item = target.closest(".notification");
      if (item) item.classList.remove("is-unread");
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    ready(document);
    if (target && target.classList && target.classList.contains("reply-slot")) {
      var area = target.querySelector("textarea");
      if (area) area.focus();
      return;
    }
    var thread = document.getElementById("thread");
    if (thread && (!target || !document.body.contains(target) || target === thread)) {
      var invalid = thread.querySelector("textarea[aria-invalid=true]");
      var fresh = thread.querySelector(".reply.is-new");
      if (invalid) {
        invalid.focus();
      } else if (fresh) {
        fresh.scrollIntoView({ block: "center" });
        fresh.setAttribute("tabindex", "-1");
        fresh.focus({ preventScroll: true });
      }
    }
  });
})();
