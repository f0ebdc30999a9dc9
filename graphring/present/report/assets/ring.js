/* graphring ring page: network, details, signals, timeline.
 * Data comes from the JSON block #ring-data. Every data value is written with
 * textContent or as a plain-text vis-network title (shown with innerText by
 * vis-network): no HTML is ever built from data. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("ring-data").textContent);
  var OPTIONS = JSON.parse(document.getElementById("ring-options").textContent);
  var T = JSON.parse(document.getElementById("ring-i18n").textContent);
  function t(k, f) {
    var s = T[k] === undefined ? k : String(T[k]);
    if (f) Object.keys(f).forEach(function (x) { s = s.split("{" + x + "}").join(String(f[x])); });
    return s;
  }
  function kindName(k) { return (T.kinds && T.kinds[k]) || k; }
  function roleName(r) { return (T.roles && T.roles[r]) || r; }
  function eventName(c) { return (T.events && T.events[c]) || c; }
  var T0 = performance.now();
  window.__graphring = { ready: false, stabilized: false, data: DATA, timings: {} };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var groupById = {};
  DATA.groups.forEach(function (g) { groupById[g.id] = g; });
  var expanded = {};
  var edgesOf = {};
  DATA.edges.forEach(function (e) {
    (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
    (edgesOf[e.to] = edgesOf[e.to] || []).push(e);
  });

  function lighten(hex, f) {
    var r = parseInt(hex.substr(1, 2), 16), g = parseInt(hex.substr(3, 2), 16), b = parseInt(hex.substr(5, 2), 16);
    r = Math.round(r + (255 - r) * f); g = Math.round(g + (255 - g) * f); b = Math.round(b + (255 - b) * f);
    return "rgb(" + r + "," + g + "," + b + ")";
  }
  function nodeTitle(n) {
    var lines = [(DATA.styles[n.kind] ? kindName(n.kind) : t("entity")) + ": " + n.label];
    if (n.role) lines.push(t("role") + ": " + roleName(n.role));
    if (n.outside) lines.push(t("outside"));
    var first = ["text", "name", "amount", "outstanding", "received_at", "applied_at", "demand", "claimed_reason"];
    var props = n.props.filter(function (p) { return first.indexOf(p[0]) >= 0; })
      .concat(n.props.filter(function (p) { return first.indexOf(p[0]) < 0; }));
    props.slice(0, 8).forEach(function (p) {
      var v = p[1].length > 80 ? p[1].slice(0, 80) + "…" : p[1];
      lines.push(p[0] + ": " + v);
    });
    if (n.ev.length) lines.push(t("ev_rows", { n: n.ev.length }));
    return lines.join("\n");
  }
  function foldedCount(n) {
    return (n.folded || []).reduce(function (k, gid) { return k + (expanded[gid] ? 0 : groupById[gid].count); }, 0);
  }
  function visNode(n) {
    var st = DATA.styles[n.kind] || { shape: "dot", color: "#999999" };
    var col = n.outside ? lighten(st.color, 0.6) : st.color;
    var k = foldedCount(n);
    var v = { id: n.id, label: k ? n.label + " (+" + k + ")" : n.label,
              title: nodeTitle(n) + (k ? "\n" + t("folded_tip", { n: k }) : ""),
              shape: st.shape,
              color: { background: col, border: n.member ? "#111111" : col,
                       highlight: { background: col, border: "#000000" }, hover: { background: col, border: "#000000" } },
              size: n.ring ? 14 : (n.member ? 17 : 10), borderWidth: n.member ? 3 : 1 };
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    if (n.kind === "borrower" && !n.ring) v.font = { color: "#888888" };
    return v;
  }
  function visGroup(g) {
    var v = { id: g.id, label: g.label, title: g.title, shape: "box",
             color: { background: "#f1f3f5", border: "#6b7280", highlight: { background: "#e4e7eb", border: "#111" } },
             shapeProperties: { borderDashes: [4, 3] }, font: { size: 12, color: "#333" }, margin: 5 };
    if (g.x !== undefined) { v.x = g.x; v.y = g.y; }
    return v;
  }
  function visEdge(e) {
    return { id: e.id, from: e.from, to: e.to, label: e.label, title: e.title,
             dashes: e.type === "TEMPLATE" || e.type === "LINK", width: e.n > 1 ? Math.min(1 + Math.log2(e.n), 4) : 1 };
  }
  function isVisible(id) {
    var n = byId[id];
    if (!n) return !!groupById[id] && !expanded[id] && !groupById[id].inline;
    return !n.group || !!expanded[n.group];
  }

  function membersData() {
    var ns = [], es = [];
    DATA.nodes.forEach(function (n) { if (isVisible(n.id)) ns.push(visNode(n)); });
    DATA.groups.forEach(function (g) {
      if (g.inline) return;
      ns.push(visGroup(g));
      es.push({ id: "ge-" + g.id, from: g.parent, to: g.id, dashes: [2, 4], color: { color: "#c0c4c8" } });
    });
    DATA.edges.forEach(function (e) { if (isVisible(e.from) && isVisible(e.to)) es.push(visEdge(e)); });
    return [ns, es];
  }
  /* summary view (big rings): the controlled hubs and the groups of borrowers tied to the same hubs */
  var SUM = DATA.summary, sgById = {}, sgOf = {}, sgExpanded = {};
  if (SUM) SUM.groups.forEach(function (g) { sgById[g.id] = g; g.borrowers.forEach(function (b) { sgOf[b] = g.id; }); });
  var hubCount = {};
  if (SUM) SUM.hubs.forEach(function (h) { hubCount[h[0]] = h[1]; });
  function visSummaryGroup(g) {
    return { id: g.id, label: g.label, shape: "dot", size: Math.min(60, 12 + 3 * Math.sqrt(g.count)),
             title: t("bgroup_tip", { n: g.count, hubs: g.hubs.slice(0, 6).map(function (h) { return byId[h[0]].label + " ×" + h[1]; }).join(", ") }),
             color: { background: "#a9c4e0", border: "#1f77b4", highlight: { background: "#cfe0f1", border: "#111" } },
             borderWidth: 2, font: { size: 22, color: "#1f2933", strokeWidth: 4, strokeColor: "#ffffff" } };
  }
  function summaryLayout() {
    /* groups on an inner circle, hubs evenly on an outer circle in the order of the groups they tie */
    var ng = SUM.groups.length, nh = SUM.hubs.length, pos = {}, ang = {};
    var rg = ng > 1 ? 60 + 18 * ng : 0, rh = rg + 140 + 4 * nh;
    SUM.groups.forEach(function (g, i) {
      var a = 2 * Math.PI * i / Math.max(ng, 1);
      ang[g.id] = a; pos[g.id] = { x: rg * Math.cos(a), y: rg * Math.sin(a) };
    });
    var want = {};
    SUM.hubs.forEach(function (h) { want[h[0]] = { x: 0, y: 0, w: 0 }; });
    SUM.groups.forEach(function (g) {
      g.hubs.forEach(function (h) { var o = want[h[0]]; if (!o) return; o.x += h[1] * Math.cos(ang[g.id]); o.y += h[1] * Math.sin(ang[g.id]); o.w += h[1]; });
    });
    var order = SUM.hubs.map(function (h, i) { var o = want[h[0]]; return [o.w ? Math.atan2(o.y, o.x) : i, h[0]]; })
      .sort(function (p, q) { return p[0] - q[0]; });
    order.forEach(function (o, i) {
      var a = 2 * Math.PI * i / Math.max(nh, 1) + (ng > 1 ? 0 : 0.001);
      var r = rh + (nh > 16 && i % 2 ? 120 : 0);       /* two staggered rings keep the labels apart */
      pos[o[1]] = { x: r * Math.cos(a), y: r * Math.sin(a) };
    });
    return pos;
  }
  function summaryData() {
    var ns = [], es = [], pos = summaryLayout();
    SUM.hubs.forEach(function (h) {
      var v = visNode(byId[h[0]]); v.label = byId[h[0]].label + " (" + h[1] + ")";
      v.font = { size: 20, strokeWidth: 4, strokeColor: "#ffffff" }; v.size = 16;
      v.x = pos[h[0]].x; v.y = pos[h[0]].y; ns.push(v);
    });
    SUM.groups.forEach(function (g) {
      var gv = visSummaryGroup(g); gv.x = pos[g.id].x; gv.y = pos[g.id].y;
      ns.push(gv);
      g.hubs.forEach(function (h) {
        es.push({ id: "se-" + g.id + "-" + h[0], from: g.id, to: h[0], label: String(h[1]),
                  width: Math.min(1 + Math.log2(h[1]), 8), color: { color: "#8fa9c4" } });
      });
    });
    return [ns, es];
  }
  var view = SUM ? "summary" : "members";
  if (SUM) OPTIONS.physics.enabled = false;      /* the summary is laid out, not simulated */
  var first = SUM ? summaryData() : membersData();
  var nodes = new vis.DataSet(first[0]);
  var edges = new vis.DataSet(first[1]);
  var container = document.getElementById("network");
  var status = document.getElementById("status");
  var freezeBtn = document.getElementById("freeze");
  var physicsOn = true;
  var network;

  function setPhysics(on) {
    physicsOn = on;
    network.setOptions({ physics: { enabled: on } });
    freezeBtn.textContent = on ? t("freeze") : t("unfreeze");
    freezeBtn.setAttribute("aria-pressed", on ? "false" : "true");
  }

  try {
    window.__graphring.timings.before_network = Math.round(performance.now() - T0);
    network = new vis.Network(container, { nodes: nodes, edges: edges }, OPTIONS);
  } catch (err) {
    status.textContent = t("draw_failed") + err;
    throw err;
  }
  window.__graphring.network = network;
  window.__graphring.timings.network = Math.round(performance.now() - T0);
  status.textContent = t("laying", { n: nodes.length });
  network.on("stabilizationProgress", function (p) {
    status.textContent = t("laying_pct", { p: Math.round(100 * p.iterations / p.total) });
  });
  /* the embedded CJK font loads asynchronously: draw again once it is there (canvas text does not re-render) */
  if (document.fonts && document.fonts.load) {
    document.fonts.load("12px 'Graphring CJK Sans'", "\u4e2d").then(function () { network.redraw(); }, function () {});
  }
  function settled() {
    if (window.__graphring.stabilized) return;
    window.__graphring.stabilized = true;
    setPhysics(false);
    network.fit({ animation: false });
    status.textContent = t("settled", { n: nodes.length, m: edges.length });
    network.once("afterDrawing", function () {
      window.__graphring.timings.ready = Math.round(performance.now() - T0);
      window.__graphring.ready = true;
    });
    network.redraw();
  }
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  if (SUM) network.once("afterDrawing", settled);
  setTimeout(settled, 15000);
  freezeBtn.addEventListener("click", function () { setPhysics(!physicsOn); });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: true }); });
  var coreBtn = document.getElementById("core"), coreOnly = false;
  coreBtn.addEventListener("click", function () {
    coreOnly = !coreOnly;
    coreBtn.setAttribute("aria-pressed", coreOnly ? "true" : "false");
    coreBtn.textContent = coreOnly ? t("show_all") : t("core");
    applyFilters();
    status.textContent = coreOnly ? t("core_view", { n: nodes.get({ filter: function (v) { return !v.hidden; } }).length }) : t("n_shown", { n: nodes.length });
  });
  document.getElementById("expand-all").addEventListener("click", function () {
    var n = expandGroups(DATA.groups.map(function (g) { return g.id; }));
    status.textContent = t("expanded", { n: n, m: nodes.length });
  });

  function expandGroups(gids) {
    /* expand several groups with one update of the data sets (vis re-lays out once) */
    var uniq = {};
    gids = gids.filter(function (gid) {
      if (!groupById[gid] || expanded[gid] || uniq[gid]) return false;
      uniq[gid] = true;
      return true;
    });
    if (!gids.length) return 0;
    var ids = [];
    gids.forEach(function (gid) { ids.push(gid, groupById[gid].parent); });
    var pos = network.getPositions(ids);
    var addN = [], addE = [], remN = [], remE = [], parents = {}, count = 0;
    gids.forEach(function (gid) { expanded[gid] = true; });
    gids.forEach(function (gid) {
      var g = groupById[gid];
      var c = pos[gid] || pos[g.parent] || { x: 0, y: 0 };
      var r = 40 + 6 * g.nodes.length;
      g.nodes.forEach(function (id, i) {
        var a = 2 * Math.PI * i / g.nodes.length;
        var v = visNode(byId[id]);
        v.x = c.x + r * Math.cos(a); v.y = c.y + r * Math.sin(a);
        if (coreOnly && !byId[id].core) v.hidden = true;
        addN.push(v);
      });
      count += g.nodes.length;
      if (!g.inline) { remE.push("ge-" + gid); remN.push(gid); }
      parents[g.parent] = true;
    });
    var seen = {};
    gids.forEach(function (gid) {
      groupById[gid].nodes.forEach(function (id) {
        (edgesOf[id] || []).forEach(function (e) {
          if (!seen[e.id] && isVisible(e.from) && isVisible(e.to) && !edges.get(e.id)) { seen[e.id] = true; addE.push(visEdge(e)); }
        });
      });
    });
    if (remE.length) edges.remove(remE);
    if (remN.length) nodes.remove(remN);
    nodes.add(addN);
    nodes.update(Object.keys(parents).filter(function (id) { return byId[id]; }).map(function (id) { return visNode(byId[id]); }));
    edges.add(addE);
    return count;
  }
  function expandGroup(gid, quiet) {
    var n = expandGroups([gid]);
    if (!quiet && n) status.textContent = t("expanded_n", { n: n });
  }
  function expandFolded(id) {
    var n = byId[id];
    expandGroups(n && n.folded || []);
  }
  function selectNodes(ids, focus) {
    ids = ids.filter(function (id) { return byId[id]; });
    if (view === "summary") {
      /* a borrower of a folded summary group: open its group; anything else: the members view */
      var missing = ids.filter(function (id) { return !nodes.get(id); });
      if (missing.some(function (id) { return !sgOf[id]; })) setView("members");
      else missing.forEach(function (id) { expandSummaryGroup(sgOf[id], true); });
    }
    expandGroups(ids.map(function (id) { return byId[id].group; }).filter(function (g) { return g && !expanded[g]; }));
    if (coreOnly) nodes.update(ids.filter(function (id) { var v = nodes.get(id); return v && v.hidden; })
      .map(function (id) { return { id: id, hidden: false }; }));
    network.selectNodes(ids);
    if (ids.length === 1 && focus !== false) network.focus(ids[0], { scale: Math.max(network.getScale(), 0.9), animation: true });
    else if (ids.length > 1) network.fit({ nodes: ids, animation: true });
    if (ids.length === 1) showNode(ids[0]);
  }

  /* one user action, timed from the click to the next frame drawn (window.__graphring.timings) */
  function timed(name, fn) {
    var t0 = performance.now();
    fn();
    network.once("afterDrawing", function () {
      var ms = Math.round(performance.now() - t0);
      window.__graphring.timings[name] = ms;
      window.__graphring.actions = (window.__graphring.actions || 0) + 1;
    });
    network.redraw();
  }
  window.__graphring.timed = timed;

  /* summary view: expand a group of borrowers, switch views */
  function expandSummaryGroup(gid, quiet) {
    var g = sgById[gid];
    if (!g || sgExpanded[gid] || view !== "summary") return 0;
    var c = network.getPositions([gid])[gid] || { x: 0, y: 0 };
    sgExpanded[gid] = true;
    var addN = [], addE = [], r = 60 + 9 * Math.sqrt(g.count) * 4, hubsOf = {};
    g.borrowers.forEach(function (b, i) {
      var a = 2 * Math.PI * i / g.borrowers.length, v = visNode(byId[b]);
      var rr = r * (0.55 + 0.45 * ((i * 7) % 11) / 10);
      v.x = c.x + rr * Math.cos(a); v.y = c.y + rr * Math.sin(a);
      if (hiddenKinds.borrower) v.hidden = true;
      addN.push(v);
    });
    /* each borrower to the hubs of its group it is tied to (directly or through its complaints and loans) */
    var hubset = {};
    g.hubs.forEach(function (h) { hubset[h[0]] = true; });
    g.borrowers.forEach(function (b) {
      var seen = {};
      (edgesOf[b] || []).forEach(function (e) {
        var o = e.from === b ? e.to : e.from;
        var targets = hubset[o] ? [o] : ((byId[o] && (byId[o].kind === "complaint" || byId[o].kind === "loan")) ?
          (edgesOf[o] || []).map(function (e2) { return e2.from === o ? e2.to : e2.from; }).filter(function (x) { return hubset[x]; }) : []);
        targets.forEach(function (h) {
          if (seen[h]) return; seen[h] = true;
          addE.push({ id: "sb-" + b + "-" + h, from: b, to: h, dashes: [3, 3], color: { color: "#b0b0b0" },
                      title: e.label });
        });
      });
    });
    edges.remove(edges.getIds({ filter: function (e) { return e.from === gid || e.to === gid; } }));
    nodes.remove(gid);
    nodes.add(addN);
    edges.add(addE);
    if (!quiet) status.textContent = t("expanded_n", { n: g.borrowers.length });
    return g.borrowers.length;
  }
  window.__graphring.expandSummaryGroup = expandSummaryGroup;
  var viewBtn = document.getElementById("view");
  function setView(v) {
    if (!SUM || v === view) return;
    view = v;
    sgExpanded = {};
    var d = v === "summary" ? summaryData() : membersData();
    nodes.clear(); edges.clear();
    nodes.add(d[0]); edges.add(d[1]);
    applyFilters();
    viewBtn.textContent = v === "summary" ? t("members_view") : t("summary_view");
    if (v === "summary") { setPhysics(false); network.fit({ animation: false }); return; }
    setPhysics(true);
    network.stabilize(80);
    network.once("stabilizationIterationsDone", function () { setPhysics(false); network.fit({ animation: false }); });
  }
  if (viewBtn) {
    if (!SUM) viewBtn.hidden = true;
    viewBtn.textContent = t("members_view");
    viewBtn.addEventListener("click", function () { setView(view === "summary" ? "members" : "summary"); });
  }

  /* legend filters: entity kinds and link types */
  var hiddenKinds = {}, hiddenTypes = {};
  var edgeType = {};
  DATA.edges.forEach(function (e) { edgeType[e.id] = e.type; });
  function kindOf(id) {
    if (sgById[id]) return "bgroup";
    var n = byId[id];
    if (!n) return groupById[id] ? "group" : "";
    return n.outside ? "outside" : n.kind;
  }
  function applyFilters() {
    var upN = [], upE = [], hid = {};
    nodes.forEach(function (v) {
      var hide = !!hiddenKinds[kindOf(v.id)] || (coreOnly && !sgById[v.id] && (!byId[v.id] || !byId[v.id].core));
      if (hide) hid[v.id] = true;
      if (!!v.hidden !== hide) upN.push({ id: v.id, hidden: hide });
    });
    edges.forEach(function (e) {
      var hide = !!hiddenTypes[edgeType[e.id]];
      if (!!e.hidden !== hide) upE.push({ id: e.id, hidden: hide });
    });
    if (upN.length) nodes.update(upN);
    if (upE.length) edges.update(upE);
    return upN.length + upE.length;
  }

  /* shortest evidence path between two selected entities (ctrl/shift-click two), as `explain A B` */
  function shortestPath(a, b) {
    if (!byId[a] || !byId[b]) return null;
    var prev = {}, prevE = {}, q = [a], seen = {};
    seen[a] = true;
    while (q.length) {
      var x = q.shift();
      if (x === b) break;
      (edgesOf[x] || []).forEach(function (e) {
        var o = e.from === x ? e.to : e.from;
        if (seen[o]) return;
        seen[o] = true; prev[o] = x; prevE[o] = e; q.push(o);
      });
    }
    if (!seen[b]) return { nodes: [], edges: [] };
    var ns = [b], es = [];
    for (var y = b; y !== a; y = prev[y]) { es.unshift(prevE[y]); ns.unshift(prev[y]); }
    return { nodes: ns, edges: es };
  }
  window.__graphring.shortestPath = shortestPath;
  function showPath(a, b) {
    var p = shortestPath(a, b);
    if (!p) return;
    clear(details);
    details.appendChild(el("h2", null, t("path")));
    if (!p.nodes.length) { details.appendChild(el("p", "muted", t("path_none"))); return; }
    details.appendChild(el("p", "muted", t("path_n", { n: p.edges.length })));
    var ol = el("ol", "path");
    p.nodes.forEach(function (id, i) {
      var li = el("li", null, byId[id].label + " (" + kindName(byId[id].kind) + ")");
      li.addEventListener("click", function () { selectNodes([id]); });
      ol.appendChild(li);
      if (i < p.edges.length) ol.appendChild(el("li", "via", "— " + p.edges[i].label + " —"));
    });
    details.appendChild(ol);
    if (view === "summary" && p.nodes.some(function (id) { return !nodes.get(id) && !sgOf[id]; })) setView("members");
    p.nodes.forEach(function (id) { if (!nodes.get(id) && sgOf[id]) expandSummaryGroup(sgOf[id], true); });
    network.setSelection({ nodes: p.nodes.filter(function (id) { return nodes.get(id); }),
                           edges: p.edges.map(function (e) { return e.id; }).filter(function (id) { return edges.get(id); }) });
    window.__graphring.lastPath = p.nodes;
  }
  window.__graphring.showPath = showPath;
  network.on("select", function (p) {
    var sel = p.nodes.filter(function (id) { return byId[id]; });
    if (sel.length === 2) showPath(sel[0], sel[1]);
  });

  /* export the current view */
  function download(url, name) {
    var a = document.createElement("a");
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  }
  function exportPng() {
    var c = container.querySelector("canvas");
    var url = c.toDataURL("image/png");
    window.__graphring.lastExport = { type: "png", bytes: url.length };
    download(url, "ring-" + DATA.ring_id + ".png");
  }
  function exportSvg() {
    var NS = "http://www.w3.org/2000/svg";
    var vis_ = nodes.get({ filter: function (v) { return !v.hidden; } });
    var ids = vis_.map(function (v) { return v.id; }), pos = network.getPositions(ids);
    var xs = ids.map(function (id) { return pos[id].x; }), ys = ids.map(function (id) { return pos[id].y; });
    var x0 = Math.min.apply(null, xs.concat([0])) - 60, y0 = Math.min.apply(null, ys.concat([0])) - 40;
    var w = Math.max.apply(null, xs.concat([0])) - x0 + 60, h = Math.max.apply(null, ys.concat([0])) - y0 + 40;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("xmlns", NS); svg.setAttribute("viewBox", [x0, y0, w, h].join(" "));
    svg.setAttribute("width", String(Math.round(w))); svg.setAttribute("height", String(Math.round(h)));
    svg.setAttribute("font-family", "'Graphring CJK Sans', sans-serif");
    edges.get({ filter: function (e) { return !e.hidden && pos[e.from] && pos[e.to]; } }).forEach(function (e) {
      var l = document.createElementNS(NS, "line");
      l.setAttribute("x1", pos[e.from].x); l.setAttribute("y1", pos[e.from].y);
      l.setAttribute("x2", pos[e.to].x); l.setAttribute("y2", pos[e.to].y);
      l.setAttribute("stroke", "#b0b0b0"); l.setAttribute("stroke-width", String(e.width || 1));
      svg.appendChild(l);
    });
    vis_.forEach(function (v) {
      var c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", pos[v.id].x); c.setAttribute("cy", pos[v.id].y); c.setAttribute("r", String(v.size || 10));
      c.setAttribute("fill", (v.color && v.color.background) || "#999");
      svg.appendChild(c);
      var tx = document.createElementNS(NS, "text");
      tx.setAttribute("x", pos[v.id].x); tx.setAttribute("y", pos[v.id].y + (v.size || 10) + 12);
      tx.setAttribute("font-size", "11"); tx.setAttribute("text-anchor", "middle");
      tx.textContent = v.label || "";           /* text, escaped by the serializer */
      svg.appendChild(tx);
    });
    var xml = new XMLSerializer().serializeToString(svg);
    window.__graphring.lastExport = { type: "svg", bytes: xml.length, text: xml };
    download(URL.createObjectURL(new Blob([xml], { type: "image/svg+xml" })), "ring-" + DATA.ring_id + ".svg");
  }
  document.getElementById("export-png").addEventListener("click", exportPng);
  document.getElementById("export-svg").addEventListener("click", exportSvg);

  /* details panel */
  var details = document.getElementById("details");
  function kvTable(rows) {
    var tab = el("table", "kv"), tb = el("tbody");
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", null, r[0]));
      tr.appendChild(el("td", null, r[1]));
      tb.appendChild(tr);
    });
    tab.appendChild(tb);
    return tab;
  }
  function showNode(id) {
    var n = byId[id];
    clear(details);
    if (!n) return;
    var st = DATA.styles[n.kind];
    details.appendChild(el("h2", null, n.label));
    var rows = [[t("kind"), kindName(n.kind)], [t("id"), n.key]];
    if (n.role) rows.push([t("role_in_ring"), roleName(n.role) + (roleName(n.role) !== n.role ? " (" + n.role + ")" : "")]);
    if (n.outside) rows.push([t("note"), t("outside_note")]);
    details.appendChild(kvTable(rows.concat(n.props)));
    var k = foldedCount(n);
    if (k) {
      var b = el("button", null, t("show_folded", { n: k }));
      b.type = "button";
      b.addEventListener("click", function () { expandFolded(id); b.remove(); });
      details.appendChild(b);
    }
    if (n.ev.length) {
      details.appendChild(el("h3", null, t("evidence", { n: n.ev.length })));
      var tab = el("table", "ev"), th = el("thead"), hr = el("tr");
      ["signal", "table", "row", "detail"].forEach(function (h) { hr.appendChild(el("th", null, t(h))); });
      th.appendChild(hr); tab.appendChild(th);
      var tb = el("tbody");
      n.ev.slice(0, 300).forEach(function (p) {
        var s = DATA.signals[p[0]], e = s.evidence[p[1]];
        var tr = el("tr");
        var sc = el("td", null, s.title || s.name); sc.title = s.name;
        tr.appendChild(sc);
        tr.appendChild(el("td", null, e.table));
        tr.appendChild(el("td", null, e.row));
        tr.appendChild(el("td", null, e.detail));
        tr.addEventListener("click", function () { openSignal(p[0]); });
        tb.appendChild(tr);
      });
      tab.appendChild(tb);
      details.appendChild(tab);
      if (n.ev.length > 300) details.appendChild(el("p", "muted", t("more", { n: n.ev.length - 300 })));
    }
    var links = edgesOf[id] || [];
    if (links.length) {
      details.appendChild(el("h3", null, t("links", { n: links.length })));
      var ul = el("ul", "links");
      links.slice(0, 200).forEach(function (e) {
        var other = e.from === id ? e.to : e.from;
        var li = el("li", null, (e.from === id ? "→ " : "← ") + e.label + " — " + (byId[other] ? byId[other].label : other));
        li.title = e.title;
        li.addEventListener("click", function () { selectNodes([other]); });
        ul.appendChild(li);
      });
      details.appendChild(ul);
      if (links.length > 200) details.appendChild(el("p", "muted", t("more", { n: links.length - 200 })));
    }
  }
  function showEdge(eid) {
    var e = DATA.edges.filter(function (x) { return x.id === eid; })[0];
    if (!e) return;
    clear(details);
    details.appendChild(el("h2", null, e.label));
    details.appendChild(kvTable([[t("from"), byId[e.from].label], [t("to"), byId[e.to].label],
                                 [t("relationship"), ((T.relations && T.relations[e.type]) || e.type) + " (" + e.type + ")"]]));
    var pre = el("pre", null, e.title);
    pre.style.whiteSpace = "pre-wrap"; pre.style.fontSize = "11.5px";
    details.appendChild(pre);
  }
  network.on("doubleClick", function (p) {
    if (p.nodes.length && byId[p.nodes[0]]) expandFolded(p.nodes[0]);
  });
  network.on("click", function (p) {
    var se = p.event && p.event.srcEvent;
    if (se && (se.ctrlKey || se.metaKey)) return;      /* adding to the selection (evidence path), not opening */
    if (p.nodes.length) {
      var id = p.nodes[0];
      if (sgById[id]) { timed("expand", function () { expandSummaryGroup(id); }); return; }
      if (groupById[id]) { expandGroup(id); return; }
      showNode(id);
    } else if (p.edges.length && p.edges[0].indexOf("ge-") !== 0) {
      showEdge(p.edges[0]);
    }
  });

  /* signals panel */
  var sigBox = document.getElementById("signals");
  var sigEls = [];
  var maxC = DATA.signals.reduce(function (m, s) { return Math.max(m, s.contribution || 0); }, 0) || 1;
  DATA.signals.forEach(function (s, si) {
    var d = el("details", "signal");
    var sum = el("summary");
    var sb = el("b", null, s.title || s.name); sb.title = s.name;
    sum.appendChild(sb);
    sum.appendChild(el("code", "code", " " + s.name));
    sum.appendChild(document.createTextNode(" "));
    var bar = el("span", "contrib"); bar.style.width = Math.max(2, 80 * (s.contribution || 0) / maxC) + "px";
    sum.appendChild(bar);
    sum.appendChild(el("span", "muted", t("sig_detail", { c: (s.contribution || 0).toFixed(3),
      s: (s.strength || 0).toFixed(2), w: s.weight, n: s.evidence.length })));
    d.appendChild(sum);
    d.appendChild(el("div", "reason", s.reason));
    if (s.schemes.length) d.appendChild(el("div", "muted", t("schemes") + s.schemes.join(", ")));
    var filled = false;
    d.addEventListener("toggle", function () {
      if (!d.open || filled) return;
      filled = true;
      var tab = el("table", "ev"), th = el("thead"), hr = el("tr");
      ["borrower", "entity", "table", "row", "key", "detail"].forEach(function (h) { hr.appendChild(el("th", null, t(h))); });
      th.appendChild(hr); tab.appendChild(th);
      var tb = el("tbody");
      s.evidence.slice(0, 500).forEach(function (e) {
        var tr = el("tr");
        [e.borrower, e.entity, e.table, e.row, e.key, e.detail].forEach(function (v) { tr.appendChild(el("td", null, v)); });
        tr.addEventListener("click", function () { if (e.nodes.length) selectNodes(e.nodes); });
        tb.appendChild(tr);
      });
      tab.appendChild(tb);
      d.appendChild(tab);
      if (s.evidence.length > 500) d.appendChild(el("p", "muted", t("more_rows", { n: s.evidence.length - 500 })));
    });
    sigEls.push(d);
    sigBox.appendChild(d);
  });
  if (!DATA.signals.length) sigBox.appendChild(el("p", "muted", t("no_signal")));
  function openSignal(si) { var d = sigEls[si]; if (d) { d.open = true; d.scrollIntoView({ block: "nearest" }); } }

  /* search */
  var search = document.getElementById("search"), found = document.getElementById("found");
  function doSearch() {
    var q = search.value.trim().toLowerCase();
    if (!q) { found.textContent = ""; network.unselectAll(); return; }
    var hits = DATA.nodes.filter(function (n) {
      if (n.label.toLowerCase().indexOf(q) >= 0 || n.key.toLowerCase().indexOf(q) >= 0) return true;
      return n.props.some(function (p) { return String(p[1]).toLowerCase().indexOf(q) >= 0; });
    }).map(function (n) { return n.id; });
    found.textContent = t("matches", { n: hits.length });
    if (hits.length) selectNodes(hits.slice(0, 200));
  }
  search.addEventListener("change", doSearch);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") doSearch(); });

  /* legend */
  var SVGNS = "http://www.w3.org/2000/svg";
  function shapeIcon(shape, color) {
    var s = document.createElementNS(SVGNS, "svg");
    s.setAttribute("width", "16"); s.setAttribute("height", "16"); s.setAttribute("viewBox", "0 0 16 16");
    var p;
    var pts = {
      diamond: "8,1 15,8 8,15 1,8", triangle: "8,1 15,14 1,14", triangleDown: "1,2 15,2 8,15",
      hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8",
      star: "8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.7 3.2,15 5,9.5 0.5,6 6,6"
    };
    if (pts[shape]) { p = document.createElementNS(SVGNS, "polygon"); p.setAttribute("points", pts[shape]); }
    else if (shape === "square" || shape === "box") {
      p = document.createElementNS(SVGNS, "rect");
      p.setAttribute("x", "2"); p.setAttribute("y", "2"); p.setAttribute("width", "12"); p.setAttribute("height", "12");
      if (shape === "box") { p.setAttribute("rx", "3"); p.setAttribute("stroke", "#6b7280"); p.setAttribute("stroke-dasharray", "3 2"); }
    } else { p = document.createElementNS(SVGNS, "circle"); p.setAttribute("cx", "8"); p.setAttribute("cy", "8"); p.setAttribute("r", "6.5"); }
    p.setAttribute("fill", color);
    s.appendChild(p);
    return s;
  }
  var legend = document.getElementById("legend");
  var lt = el("div", "title", t("entities") + " ▾");
  lt.style.cursor = "pointer";
  lt.title = t("fold_legend");
  lt.addEventListener("click", function () {
    var folded = legend.classList.toggle("folded");
    lt.textContent = t("entities") + (folded ? " ▸" : " ▾");
  });
  legend.appendChild(lt);
  DATA.legend.forEach(function (l) {
    var it = el("div", "item filter");
    it.appendChild(shapeIcon(l.shape, l.color));
    it.appendChild(el("span", null, l.label + " (" + l.count + ")"));
    var key = l.outside ? "outside" : l.kind;
    it.setAttribute("data-kind", key);
    it.title = t("filter_kind");
    it.setAttribute("role", "button"); it.tabIndex = 0;
    function toggle() { timed("filter", function () { hiddenKinds[key] = !hiddenKinds[key]; it.classList.toggle("off", !!hiddenKinds[key]); applyFilters(); }); }
    it.addEventListener("click", toggle);
    it.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
    legend.appendChild(it);
  });
  if (SUM) {
    var itg = el("div", "item filter");
    itg.appendChild(shapeIcon("dot", "#a9c4e0"));
    itg.appendChild(el("span", null, kindName("bgroup") + " (" + SUM.groups.length + ")"));
    itg.setAttribute("data-kind", "bgroup");
    itg.addEventListener("click", function () { timed("filter", function () { hiddenKinds.bgroup = !hiddenKinds.bgroup; itg.classList.toggle("off", !!hiddenKinds.bgroup); applyFilters(); }); });
    legend.appendChild(itg);
  }
  if (DATA.links_legend && DATA.links_legend.length) {
    legend.appendChild(el("div", "title", t("links_legend")));
    DATA.links_legend.forEach(function (l) {
      var it = el("div", "item filter");
      var sw = el("span", "swatch"); it.appendChild(sw);
      it.appendChild(el("span", null, l.label + " (" + l.count + ")"));
      it.setAttribute("data-type", l.type);
      it.title = t("filter_kind");
      it.addEventListener("click", function () { timed("filter", function () { hiddenTypes[l.type] = !hiddenTypes[l.type]; it.classList.toggle("off", !!hiddenTypes[l.type]); applyFilters(); }); });
      legend.appendChild(it);
    });
  }
  var it2 = el("div", "item");
  var ring = shapeIcon("dot", "#ffffff"); ring.firstChild.setAttribute("stroke", "#111"); ring.firstChild.setAttribute("stroke-width", "3");
  it2.appendChild(ring); it2.appendChild(el("span", null, t("member_border")));
  legend.appendChild(it2);

  /* timeline */
  var evBox = document.getElementById("events"), hist = document.getElementById("hist"), axis = document.getElementById("hist-axis");
  var evCount = document.getElementById("event-count"), catSel = document.getElementById("event-cat");
  var monthFilter = null;
  Object.keys(DATA.categories).forEach(function (c) {
    var o = el("option", null, eventName(c)); o.value = c; catSel.appendChild(o);
  });
  function renderEvents() {
    clear(evBox);
    var cat = catSel.value;
    var list = DATA.events.filter(function (e) {
      return (!cat || e.cat === cat) && (!monthFilter || e.date.slice(0, 7) === monthFilter);
    });
    evCount.textContent = t("events_n", { n: list.length, m: DATA.events.length }) + (monthFilter ? t("in_month", { m: monthFilter }) : "");
    var tab = el("table"), tb = el("tbody");
    list.slice(0, 2000).forEach(function (e) {
      var tr = el("tr");
      tr.appendChild(el("td", null, e.date + (e.time ? " " + e.time : "")));
      var c = el("td"); var dot = el("span", "dot"); dot.style.background = DATA.categories[e.cat] || "#999";
      c.appendChild(dot); c.appendChild(document.createTextNode(eventName(e.cat))); tr.appendChild(c);
      tr.appendChild(el("td", null, e.who));
      tr.appendChild(el("td", "what", e.what));
      tr.addEventListener("click", function () { selectNodes(e.nodes); });
      tb.appendChild(tr);
    });
    tab.appendChild(tb); evBox.appendChild(tab);
    if (list.length > 2000) evBox.appendChild(el("p", "muted", t("more_events", { n: list.length - 2000 })));
    if (!DATA.events.length) evBox.appendChild(el("p", "muted", t("no_events")));
  }
  function renderHist() {
    clear(hist); clear(axis);
    if (!DATA.events.length) return;
    var counts = {}, months = [];
    DATA.events.forEach(function (e) {
      var m = e.date.slice(0, 7);
      counts[m] = counts[m] || {}; counts[m][e.cat] = (counts[m][e.cat] || 0) + 1;
    });
    var first = DATA.events[0].date.slice(0, 7), last = DATA.events[DATA.events.length - 1].date.slice(0, 7);
    var y = +first.slice(0, 4), mo = +first.slice(5, 7), guard = 0;
    while (guard++ < 600) {
      var key = y + "-" + (mo < 10 ? "0" : "") + mo;
      months.push(key);
      if (key >= last) break;
      mo++; if (mo > 12) { mo = 1; y++; }
    }
    var max = 1;
    months.forEach(function (m) { var s = 0; for (var k in (counts[m] || {})) s += counts[m][k]; max = Math.max(max, s); });
    months.forEach(function (m) {
      var col = el("div", "col"), total = 0, parts = [];
      Object.keys(DATA.categories).forEach(function (c) {
        var n = (counts[m] || {})[c] || 0;
        if (!n) return;
        total += n; parts.push(eventName(c) + " " + n);
        var seg = el("div", "seg"); seg.style.height = (100 * n / max) + "%"; seg.style.background = DATA.categories[c];
        col.appendChild(seg);
      });
      col.title = m + ": " + (total ? parts.join(", ") : t("no_events_month"));
      col.addEventListener("click", function () {
        monthFilter = monthFilter === m ? null : m;
        Array.prototype.forEach.call(hist.children, function (x) { x.classList.remove("sel"); });
        if (monthFilter) col.classList.add("sel");
        renderEvents();
      });
      hist.appendChild(col);
    });
    axis.appendChild(el("span", null, months[0]));
    axis.appendChild(el("span", null, months[months.length - 1]));
  }
  catSel.addEventListener("change", renderEvents);
  var catLegend = document.getElementById("event-legend");
  Object.keys(DATA.categories).forEach(function (c) {
    var s = el("span", "chip"); var d = el("span", "dot"); d.style.background = DATA.categories[c];
    s.appendChild(d); s.appendChild(document.createTextNode(eventName(c))); catLegend.appendChild(s);
  });
  details.appendChild(el("p", "muted", t("path_hint")));
  renderHist();
  renderEvents();
})();
