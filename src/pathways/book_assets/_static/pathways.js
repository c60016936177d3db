// Fills the version switcher from reports/versions.js, a plain script (not fetched JSON)
// so that it also works when the book is opened from disk.
(function () {
  function root() {
    var r = document.documentElement.getAttribute("data-content_root");
    return r === null ? "./" : r;
  }
  function render() {
    var data = window.PATHWAYS_VERSIONS;
    var boxes = document.querySelectorAll(".pw-version");
    if (!data || !boxes.length) { return; }
    boxes.forEach(function (box) {
      var current = box.getAttribute("data-version");
      var list = box.querySelector(".pw-version-list");
      var up = root() + "../../";
      list.innerHTML = "";
      var entries = [{ version: "latest", label: "latest (" + data.latest + ")", href: up + "latest/index.html" }];
      data.versions.forEach(function (v) {
        entries.push({ version: v.version, label: v.version + (v.version === data.latest ? " (latest)" : "") +
          (v.date ? " — " + v.date : ""), href: up + v.version + "/book/index.html" });
      });
      entries.forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e.href;
        a.textContent = e.label;
        if (e.version === current) { a.setAttribute("aria-current", "true"); a.className = "pw-current"; }
        li.appendChild(a);
        list.appendChild(li);
      });
    });
  }
  window.pathwaysRenderSwitcher = render;
  function load() {
    var s = document.createElement("script");
    s.src = root() + "../../versions.js";
    s.onload = render;
    s.onerror = function () { /* unpublished preview: the switcher shows this version only */ };
    document.head.appendChild(s);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", load); } else { load(); }
})();
