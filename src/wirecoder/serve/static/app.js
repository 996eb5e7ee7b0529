// The wirecoder dashboard: incidents on a Leaflet map, a weekly timeline, filters, a list, and an incident view
// with each source's evidence highlighted and who said what.
//
// Everything the API returns came from news articles and is untrusted: it reaches the page only as text
// (text nodes, textContent, setAttribute of non-URL attributes), never through innerHTML or Leaflet's
// HTML-string options; links are kept only when they are http(s).
"use strict";

let PAGE = 200;
const COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2471a3",
  "Riots": "#17a589",
  "Strategic developments": "#7f8c8d",
};
const ROLES = { trigger: "event", place: "place", actor: "actor", source: "source", cue: "cue" };

const state = { filters: {}, offset: 0, bounds: null };
let map, markers;

// -- small helpers ---------------------------------------------------------------------------------------------

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child != null && child !== "") node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function safeUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function escapeHtml(value) {
  const div = document.createElement("div");
  div.textContent = value;
  return div.innerHTML;
}

async function api(path, params) {
  const url = new URL("/api/" + path, location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value != null && value !== "") url.searchParams.set(key, value);
  }
  const response = await fetch(url);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail || response.status);
    throw new Error(detail);
  }
  return body;
}

function typeLabel(item) {
  if (item.acled && item.acled.sub_event_type) return item.acled.sub_event_type;
  const words = String(item.type || "event").toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function colour(item) {
  return COLOURS[item.acled && item.acled.event_type] || "#34495e";
}

function placeLabel(place) {
  if (!place) return "unplaced";
  return [place.name || place.text, place.country].filter(Boolean).join(", ");
}

function actorsLabel(item) {
  const main = [item.actor1, item.actor2].filter(Boolean).join(" vs ");
  const assoc = (item.assoc_actors || []).join(", ");
  return [main, assoc && `with ${assoc}`].filter(Boolean).join(" ");
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

// -- highlighted text ------------------------------------------------------------------------------------------

// `text` starts at article offset `base`; span offsets are code points (Python's), so the text is cut as an
// array of code points, not UTF-16 units.
function highlighted(text, base, spans) {
  const chars = Array.from(text);
  const cuts = new Set([0, chars.length]);
  const inside = spans.filter((s) => s.start - base >= 0 && s.end - base <= chars.length && s.start < s.end);
  for (const s of inside) {
    cuts.add(s.start - base);
    cuts.add(s.end - base);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = chars.slice(a, b).join("");
    const active = inside.filter((s) => s.start - base <= a && s.end - base >= b);
    if (!active.length) {
      fragment.append(piece);
      continue;
    }
    const roles = [...new Set(active.map((s) => s.role))];
    const title = active.map((s) => `${ROLES[s.role] || s.role}: ${s.label || s.text}`).join("\n");
    fragment.append(el("mark", { class: roles.map((r) => "hl-" + r).join(" "), title }, piece));
  }
  return fragment;
}

function legend() {
  return el("p", { class: "legend" }, "Marked: ",
    Object.entries(ROLES).map(([role, name]) => [el("mark", { class: "hl-" + role }, name), " "]));
}

// -- map -------------------------------------------------------------------------------------------------------

function initMap(config) {
  map = L.map("map", { worldCopyJump: true }).setView([25, 30], 2);
  // the plain basemap sits under the tiles: it is what shows when no tile server is configured or reachable
  map.createPane("basemap").style.zIndex = 150;
  fetch("/static/basemap.geojson")
    .then((r) => r.json())
    .then((shapes) => L.geoJSON(shapes, {
      pane: "basemap", interactive: false,
      style: { color: "#a7b1b8", weight: 0.6, fillColor: "#eeeae0", fillOpacity: 1 },
    }).addTo(map))
    .catch(() => setStatus("The basemap could not be loaded; incidents are still placed."));
  if (config.tiles) {
    L.tileLayer(config.tiles, {
      maxZoom: 18, attribution: config.tile_attribution ? escapeHtml(config.tile_attribution) : "",
    }).addTo(map);
  }
  markers = L.featureGroup().addTo(map);
}

function tooltip(item) {
  return el("div", { class: "tip" },
    el("strong", null, typeLabel(item)), el("br"), [item.date || "undated", " · ", placeLabel(item.place)].join(""),
    el("br"), `${item.num_articles} article(s), ${item.num_sources} source(s)`);
}

function addMarkers(items) {
  for (const item of items) {
    const place = item.place;
    if (!place || place.lat == null || place.lon == null) continue;
    L.circleMarker([place.lat, place.lon], {
      radius: 5 + 2 * Math.sqrt(item.num_articles || 1), color: "#fff", weight: 1,
      fillColor: colour(item), fillOpacity: 0.85, className: "incident-marker",
    })
      .bindTooltip(tooltip(item))
      .on("click", () => showIncident(item.id))
      .addTo(markers);
  }
}

function fitMarkers() {
  const bounds = markers.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.4), { maxZoom: 6 });
}

// -- timeline --------------------------------------------------------------------------------------------------

async function loadTimeline() {
  const chart = document.getElementById("timeline-chart");
  chart.replaceChildren();
  const { counts } = await api("counts", { ...state.filters, by: "week" });
  const weeks = counts.filter((c) => c.key);
  if (!weeks.length) return;
  const width = chart.clientWidth || 320, height = 90, axis = 16;
  const step = width / weeks.length;
  const top = Math.max(...weeks.map((w) => w.count), 1);
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  weeks.forEach((week, i) => {
    const h = Math.max(week.count ? 2 : 0, ((height - axis - 4) * week.count) / top);
    const bar = svg("rect", {
      x: i * step + 1, y: height - axis - h, width: Math.max(step - 2, 1), height: h, class: "bar",
      "data-week": week.key,
    }, svg("title", null, `week of ${week.key}: ${week.count} incident(s)`));
    bar.addEventListener("click", () => filterWeek(week.key));
    chart.append(bar);
  });
  chart.append(svg("text", { x: 0, y: height - 3, class: "axis" }, weeks[0].key));
  chart.append(svg("text", { x: width, y: height - 3, class: "axis", "text-anchor": "end" },
    weeks[weeks.length - 1].key));
}

function filterWeek(monday) {
  const end = new Date(monday + "T00:00:00Z");
  end.setUTCDate(end.getUTCDate() + 6);
  const form = document.getElementById("filters");
  form.elements.since.value = monday;
  form.elements.until.value = end.toISOString().slice(0, 10);
  applyFilters();
}

// -- list ------------------------------------------------------------------------------------------------------

function listItem(item) {
  return el("li", null, el("button", {
    type: "button", class: "incident", "data-id": item.id, onclick: () => showIncident(item.id),
  },
  el("span", { class: "swatch", style: `background:${colour(item)}` }),
  el("span", { class: "what" }, typeLabel(item)),
  el("span", { class: "when" }, item.date || "undated"),
  el("span", { class: "where" }, [placeLabel(item.place), actorsLabel(item)].filter(Boolean).join(" · ")),
  el("span", { class: "sources" }, `${item.num_sources} source(s)`)));
}

async function loadIncidents(append) {
  const list = document.getElementById("incidents");
  const more = document.getElementById("more");
  if (!append) {
    state.offset = 0;
    list.replaceChildren();
    markers.clearLayers();
  }
  setStatus("Loading…");
  const page = await api("incidents", { ...state.filters, offset: state.offset, limit: PAGE });
  list.append(...page.items.map(listItem));
  addMarkers(page.items);
  state.offset += page.items.length;
  more.hidden = !page.next;
  document.getElementById("incident-count").textContent = `(${list.children.length}${page.next ? "+" : ""})`;
  setStatus(list.children.length ? "" : "No incident matches these filters.");
  if (!append) fitMarkers();
}

async function loadOptions() {
  const [types, countries] = await Promise.all([api("counts", { by: "type" }), api("counts", { by: "country" })]);
  const form = document.getElementById("filters");
  for (const [select, counts] of [[form.elements.type, types.counts], [form.elements.country, countries.counts]]) {
    for (const { key, count } of counts) {
      if (key) select.append(el("option", { value: key }, `${key} (${count})`));
    }
  }
}

function readFilters() {
  const data = new FormData(document.getElementById("filters"));
  const filters = {};
  for (const [key, value] of data.entries()) if (String(value).trim()) filters[key] = String(value).trim();
  return filters;
}

async function applyFilters() {
  state.filters = readFilters();
  document.body.dataset.state = "loading";
  closeDetail();
  try {
    await Promise.all([loadIncidents(false), loadTimeline()]);
  } catch (error) {
    setStatus(`Could not load incidents: ${error.message}`);
  }
  document.body.dataset.state = "ready";
}

// -- incident and article views --------------------------------------------------------------------------------

function fact(name, value) {
  return value == null || value === "" ? [] : [el("dt", null, name), el("dd", null, value)];
}

function saidBy(q) {
  const who = q.speaker || "an unnamed source";
  const cue = q.cue ? ` (${q.cue.text})` : "";
  const via = q.via ? `, via ${q.via}` : "";
  return el("li", { class: "said-by" }, el("span", { class: "according" }, `according to ${who}`), cue + via,
    q.stance && q.stance !== "asserts" ? el("span", { class: "stance" }, ` ${q.stance}`) : null);
}

function sourceView(source) {
  const url = safeUrl(source.url);
  const title = source.title || source.article_id;
  const heading = el("h4", null,
    source.outlet ? el("span", { class: "outlet" }, source.outlet + ": ") : null,
    url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, title) : title);
  const passages = source.passages.map((p) => el("blockquote", { class: "evidence" },
    p.start == null ? p.text : highlighted(p.text, p.start, p.spans)));
  const said = source.said_by.length
    ? el("ul", { class: "attributions" }, source.said_by.map(saidBy))
    : el("p", { class: "attributions none" }, "No attribution: the outlet's own account.");
  return el("article", { class: "source", "data-article": source.content_hash },
    heading, el("p", { class: "meta" }, [source.published, typeLabel(source)].filter(Boolean).join(" · ")),
    passages, said,
    el("button", { type: "button", class: "full-text", onclick: () => showArticle(source.content_hash) },
      "Full article"));
}

function openDetail(key, value) {
  const detail = document.getElementById("detail");
  document.getElementById("list").hidden = true;
  detail.hidden = false;
  detail.dataset.state = "loading";
  detail.dataset[key] = value;
  detail.parentElement.scrollTop = 0;
  return document.getElementById("detail-body");
}

function closeDetail() {
  const detail = document.getElementById("detail");
  detail.hidden = true;
  delete detail.dataset.incident;
  delete detail.dataset.article;
  document.getElementById("list").hidden = false;
  if (location.hash) history.replaceState(null, "", location.pathname);
}

async function showIncident(id) {
  const body = openDetail("incident", id);
  body.replaceChildren(el("p", null, "Loading…"));
  history.replaceState(null, "", "#incident=" + encodeURIComponent(id));
  try {
    const incident = await api("incidents/" + encodeURIComponent(id));
    const place = incident.place;
    if (place && place.lat != null) map.setView([place.lat, place.lon], Math.max(map.getZoom(), 5));
    const codes = [incident.acled && incident.acled.event_type, incident.cameo && `CAMEO ${incident.cameo}`,
      incident.plover && incident.plover.type && `PLOVER ${incident.plover.type}`].filter(Boolean).join(" · ");
    body.replaceChildren(
      el("h2", { class: "incident-title" }, typeLabel(incident)),
      el("dl", { class: "facts" },
        fact("Date", [incident.date, incident.date_precision && `(${incident.date_precision})`]
          .filter(Boolean).join(" ") || "undated"),
        fact("Place", placeLabel(place)),
        fact("Actors", actorsLabel(incident)),
        fact("Fatalities", incident.fatalities),
        fact("Codes", codes),
        fact("Told by", `${incident.num_articles} article(s) from ${incident.num_sources} source(s)`),
        fact("Confidence", incident.confidence != null ? incident.confidence.toFixed(2) : null),
        fact("Notes", incident.notes)),
      el("h3", null, "What the sources say"), legend(),
      ...incident.source_views.map(sourceView));
  } catch (error) {
    body.replaceChildren(el("p", { class: "error" }, `Could not load the incident: ${error.message}`));
  }
  document.getElementById("detail").dataset.state = "ready";
}

async function showArticle(key) {
  const body = openDetail("article", key);
  body.replaceChildren(el("p", null, "Loading…"));
  try {
    const article = await api("articles/" + encodeURIComponent(key));
    const url = safeUrl(article.url);
    const spans = article.spans.filter((s) => ROLES[s.role]);
    body.replaceChildren(
      el("h2", { class: "article-title" }, article.title || article.id),
      el("p", { class: "meta" }, [article.outlet, article.published].filter(Boolean).join(" · "), " ",
        url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, "original") : null),
      legend(),
      el("div", { class: "article-text" }, highlighted(article.text, 0, spans)));
  } catch (error) {
    body.replaceChildren(el("p", { class: "error" }, `Could not load the article: ${error.message}`));
  }
  document.getElementById("detail").dataset.state = "ready";
}

// -- start -----------------------------------------------------------------------------------------------------

async function start() {
  document.body.dataset.state = "loading";
  const wanted = new URLSearchParams(location.hash.slice(1)).get("incident");
  let config = { tiles: null };
  try {
    config = await api("config");
  } catch (error) {
    setStatus(`Could not reach the API: ${error.message}`);
  }
  PAGE = Math.min(config.max_page || PAGE, 500);
  initMap(config);
  const form = document.getElementById("filters");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters();
  });
  form.addEventListener("reset", () => setTimeout(applyFilters, 0));
  document.getElementById("more").addEventListener("click", () => loadIncidents(true).catch((e) => setStatus(e.message)));
  document.getElementById("back").addEventListener("click", closeDetail);
  await loadOptions().catch((error) => setStatus(`Could not load the filters: ${error.message}`));
  await applyFilters();
  if (wanted) showIncident(wanted);
}

start();
