/* graphring index page: sortable, filterable table of rings (no HTML is built from data). */
(function () {
  "use strict";
  var table = document.getElementById("rings");
  if (!table) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = document.getElementById("filter"), typ = document.getElementById("typology");
  var count = document.getElementById("count");
  // what the filter searches: a row's text without its family-mates (filtering by a ring id finds that ring)
  var texts = rows.map(function (r) {
    var c = r.cloneNode(true);
    Array.prototype.forEach.call(c.querySelectorAll(".mates"), function (m) { m.parentNode.removeChild(m); });
    return c.textContent.toLowerCase();
  });

  function key(row, i) {
    var c = row.cells[i], v = c.getAttribute("data-sort");
    if (v === null) v = c.textContent;
    var type = heads[i].getAttribute("data-type");
    if (type === "num") { var f = parseFloat(v); return isNaN(f) ? -Infinity : f; }
    return v.toLowerCase();
  }
  heads.forEach(function (th, i) {
    th.tabIndex = 0;
    function sort() {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      if (!th.hasAttribute("aria-sort") && th.getAttribute("data-type") === "num") asc = false;
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var sorted = rows.slice().sort(function (a, b) {
        var x = key(a, i), y = key(b, i);
        if (x < y) return asc ? -1 : 1;
        if (x > y) return asc ? 1 : -1;
        return rows.indexOf(a) - rows.indexOf(b);
      });
      sorted.forEach(function (r) { tbody.appendChild(r); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
  function filter() {
    var q = text.value.trim().toLowerCase(), t = typ.value, n = 0;
    rows.forEach(function (r, i) {
      var ok = (!t || r.getAttribute("data-typology") === t) && (!q || texts[i].indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    });
    var tpl = count.getAttribute("data-shown") || "{n} of {total} rings shown";
    count.textContent = tpl.split("{n}").join(String(n)).split("{total}").join(String(rows.length)) +
      (count.getAttribute("data-note") || "");
  }
  text.addEventListener("input", filter);
  typ.addEventListener("change", filter);
  rows.forEach(function (r) {
    r.addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest("a")) return;
      var href = r.getAttribute("data-href");
      if (href) window.location.href = href;
    });
  });
  filter();
})();
