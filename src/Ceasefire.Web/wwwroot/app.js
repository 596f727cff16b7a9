// Ceasefire Monitor dashboard: plain ES module, no bundler. MapLibre GL JS is imported from lib/ (copied from npm by
// client/copy-libs.mjs); Chart.js is loaded as its UMD file (window.Chart). Every string shown comes from i18n/<lang>.json.
import * as maplibregl from './lib/maplibre-gl/maplibre-gl.mjs';

// ---------------------------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------------------------
let strings = {};

/** The string for key with {name} placeholders filled; the key itself when the resource lacks it. */
function t(key, vars) {
  let s = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
  if (vars) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (vars[name] ?? m));
  }
  return s;
}

/** A label for a code in a family (act.air_drone_strike), or the code itself when there is none. */
function label(family, code) {
  if (code === null || code === undefined || code === '') return '–';
  const key = `${family}.${code}`;
  return Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : String(code);
}

async function loadStrings() {
  const wanted = new URLSearchParams(location.search).get('lang') || 'en';
  const lang = /^[a-z]{2}(-[A-Za-z]{2})?$/.test(wanted) ? wanted : 'en';
  const en = await (await fetch('i18n/en.json')).json();
  strings = en;
  if (lang !== 'en') {
    const r = await fetch(`i18n/${lang}.json`);
    if (r.ok) {
      strings = { ...en, ...(await r.json()) };
      document.documentElement.lang = lang;
    }
  }
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  document.title = t('app.title');
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------
const $ = (sel, root = document) => root.querySelector(sel);

/** Creates an element: h('p', {class: 'x'}, 'text', child, ...). Text is always set as text, never as HTML. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** snake_case verdict whatever the server's spelling (PossibleViolation, possible_violation, possible-violation). */
function verdictCode(v) {
  if (!v) return null;
  return String(v).replace(/([a-z])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
}
const severity = { violation: 3, possible_violation: 2, not_covered: 1 };
function worse(a, b) {
  return (severity[verdictCode(b)] || 0) > (severity[verdictCode(a)] || 0) ? verdictCode(b) : verdictCode(a);
}

function badge(verdict) {
  const code = verdictCode(verdict) || 'none';
  return h('span', { class: `badge ${code}`, 'data-verdict': code }, t(`verdict.${code}`));
}

function setStatus(text, isError) {
  const el = $('#status');
  el.textContent = text;
  el.classList.toggle('error', !!isError);
}

class ApiError extends Error {
  constructor(url, status, problem) {
    super(`${url}: ${status}`);
    this.url = url;
    this.status = status;
    this.problem = problem;
  }
}

// Reading our own writes from any web server behind a proxy: every write's response says how far the log reached
// (X-Ceasefire-Log-Sequence); reads send the highest back (X-Ceasefire-Min-Sequence), so no server answers them from
// a standby that has not replayed the write yet (docs/deployment.md).
let logSequence = 0;

function noteSequence(response) {
  const n = Number(response.headers.get('X-Ceasefire-Log-Sequence'));
  if (Number.isSafeInteger(n) && n > logSequence) logSequence = n;
}

function readHeaders() {
  const headers = { Accept: 'application/json' };
  if (logSequence > 0) headers['X-Ceasefire-Min-Sequence'] = String(logSequence);
  return headers;
}

async function getJson(url, signal) {
  let response;
  try {
    response = await fetch(url, { signal, headers: readHeaders() });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(url, 0, null);
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(url, response.status, problem);
  }
  return response.json();
}

function reportError(e) {
  if (e && e.name === 'AbortError') return;
  console.error(e);
  if (e instanceof ApiError) {
    setStatus(e.status === 0 ? t('status.network_error', { url: e.url }) : t('status.api_error', { url: e.url, status: e.status }), true);
  } else {
    setStatus(String(e && e.message || e), true);
  }
}

/** Follows next_cursor until there are no more pages or max items. */
async function getAll(path, params, max, signal) {
  const items = [];
  let cursor = null;
  do {
    const q = new URLSearchParams(params);
    if (cursor) q.set('cursor', cursor);
    const page = await getJson(`${path}?${q}`, signal);
    const list = Array.isArray(page) ? page : (page.items || []);
    items.push(...list);
    cursor = Array.isArray(page) ? null : page.next_cursor;
  } while (cursor && items.length < max);
  return { items, truncated: !!cursor };
}

function fmtTime(time) {
  if (!time) return '–';
  const a = time.earliest || time.at || time.date || time.from;
  const b = time.latest || time.to;
  const day = s => (s ? String(s).slice(0, 16).replace('T', ' ') : '');
  if (!b || a === b) return day(a);
  return `${day(a)} – ${day(b)}`;
}

function dayOf(time) {
  const s = time && (time.earliest || time.at || time.date || time.from);
  return s ? String(s).slice(0, 10) : null;
}

function list(values) {
  if (values === null || values === undefined) return '–';
  if (Array.isArray(values)) return values.length ? values.map(v => (typeof v === 'object' ? JSON.stringify(v) : v)).join(', ') : '–';
  return String(values);
}

/** A readable rendering of a value whose exact shape the page does not know (nested objects as definition lists). */
function renderValue(value) {
  if (value === null || value === undefined || value === '') return document.createTextNode('–');
  if (Array.isArray(value)) {
    if (value.every(v => typeof v !== 'object' || v === null)) return document.createTextNode(value.join(', ') || '–');
    return h('ul', {}, value.map(v => h('li', {}, renderValue(v))));
  }
  if (typeof value === 'object') {
    return h('dl', { class: 'kv' }, Object.entries(value).flatMap(([k, v]) => [h('dt', {}, k.replace(/_/g, ' ')), h('dd', {}, renderValue(v))]));
  }
  return document.createTextNode(String(value));
}

// ---------------------------------------------------------------------------------------------------------------
// Filters and state
// ---------------------------------------------------------------------------------------------------------------
const state = {
  zones: null,
  mapItems: [],          // /api/map incidents in view (null when the server aggregates)
  clusters: [],          // /api/map clusters in view
  incidents: [],         // /api/incidents over the period, all of the map
  incidentsTruncated: false,
  findings: [],          // /api/findings over the period
  worstById: new Map(),  // incident id -> worst verdict
  visibleIds: [],        // incidents the map and the list show
  selected: null,
  refreshes: 0,
};

function filters() {
  return {
    from: $('#f-from').value,
    to: $('#f-to').value,
    party: $('#f-party').value,
    act: $('#f-act').value,
    target: $('#f-target').value,
    verdict: $('#f-verdict').value,
  };
}

/** The period as instants: from the start of the first day to the end of the last (end exclusive), UTC. */
function period(f) {
  const from = `${f.from}T00:00:00Z`;
  const end = new Date(`${f.to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { from, to: end.toISOString().replace('.000Z', 'Z') };
}

function fillSelect(select, codes, family) {
  const current = select.value;
  const keep = [...select.options].filter(o => o.value === '');
  select.replaceChildren(...keep, ...codes.map(c => h('option', { value: c }, label(family, c))));
  if ([...select.options].some(o => o.value === current)) select.value = current;
}

const knownActs = ['air_drone_strike', 'shelling_artillery_missile', 'remote_explosive', 'armed_clash', 'naval_attack', 'grenade', 'chemical_weapon', 'attack', 'abduction'];
const knownTargets = ['energy.oil_refining', 'energy.oil_gas_pipeline', 'energy.gas_production', 'energy.power_generation', 'energy.transmission',
  'energy.nuclear', 'energy.hydro', 'energy.coal', 'energy.equipment_manufacturing', 'maritime.vessel', 'maritime.port', 'civilian.residential', 'rail', 'military'];

function targetCode(target) {
  if (target && typeof target === 'object') return target.category || null;
  return target || null;
}

function accusedOf(incident) {
  const a = incident.accused;
  if (Array.isArray(a)) return a.filter(Boolean);
  return a ? [a] : [];
}

function refreshFilterOptions() {
  const parties = new Set(['RU', 'UA']);
  const acts = new Set(knownActs);
  const targets = new Set(knownTargets);
  for (const i of state.incidents) {
    accusedOf(i).forEach(p => parties.add(p));
    if (i.act) acts.add(i.act);
    const tc = targetCode(i.target);
    if (tc) targets.add(tc);
  }
  fillSelect($('#f-party'), [...parties].sort(), 'party');
  fillSelect($('#f-act'), [...acts], 'act');
  fillSelect($('#f-target'), [...targets], 'target');
}

function passes(incident, f) {
  if (f.party && !accusedOf(incident).includes(f.party)) return false;
  if (f.act && incident.act !== f.act) return false;
  if (f.target && targetCode(incident.target) !== f.target) return false;
  if (f.verdict && (state.worstById.get(String(incident.id)) || 'none') !== f.verdict) return false;
  return true;
}

/** The incident id a finding is about: its subject as a string (incident:ID or ID) or an object with an id. */
function subjectId(finding) {
  const s = finding.subject;
  if (s && typeof s === 'object') return String(s.id ?? s.key ?? '');
  if (s === undefined || s === null) return String(finding.incident_id ?? '');
  // A disputed incident is ruled once per accused side: inc:...#RU and inc:...#UA are findings of inc:... .
  const str = String(s).replace(/#[A-Z]{2,3}$/, '');
  return str.includes(':') && !byId.has(str) ? str.slice(str.indexOf(':') + 1) : str;
}
let byId = new Map();

// ---------------------------------------------------------------------------------------------------------------
// Map
// ---------------------------------------------------------------------------------------------------------------
const empty = { type: 'FeatureCollection', features: [] };
let map;
let mapReady;
let mapLoaded = false;
let clusterMarkers = [];

function verdictColour() {
  return ['match', ['get', 'worst_verdict'],
    'violation', '#d7191c',
    'possible_violation', '#f28c28',
    'not_covered', '#8c8c8c',
    '#c9c9c9'];
}

function createMap() {
  map = new maplibregl.Map({
    container: 'map',
    // A blank style: no tiles, no glyphs, nothing from the internet. The base layer is Natural Earth from data/.
    style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#dce8f2' } }] },
    bounds: [[22, 44], [41.5, 53]],
    fitBoundsOptions: { padding: 10 },
    attributionControl: false,
    keyboard: true,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: 'Natural Earth' }), 'bottom-right');
  map.touchZoomRotate.disableRotation();
  mapReady = new Promise(resolve => map.on('load', () => {
    map.addSource('base-countries', { type: 'geojson', data: 'data/countries.geojson' });
    map.addSource('base-seas', { type: 'geojson', data: 'data/seas.geojson' });
    map.addSource('zones', { type: 'geojson', data: empty });
    map.addSource('incidents', { type: 'geojson', data: empty });
    map.addSource('clusters', { type: 'geojson', data: empty });
    map.addLayer({ id: 'base-countries-fill', type: 'fill', source: 'base-countries', paint: { 'fill-color': '#f7f5ef' } });
    map.addLayer({ id: 'base-seas-fill', type: 'fill', source: 'base-seas', paint: { 'fill-color': '#b9d3ea' } });
    map.addLayer({ id: 'base-countries-line', type: 'line', source: 'base-countries', paint: { 'line-color': '#7d8790', 'line-width': 1.2 } });
    map.addLayer({ id: 'zones-fill', type: 'fill', source: 'zones', paint: { 'fill-color': '#7aa6c2', 'fill-opacity': 0.06 } });
    map.addLayer({ id: 'zones-line', type: 'line', source: 'zones', paint: { 'line-color': '#4f6f8a', 'line-width': 0.7, 'line-opacity': 0.8 } });
    map.addLayer({
      id: 'clusters', type: 'circle', source: 'clusters', paint: {
        'circle-color': verdictColour(), 'circle-opacity': 0.75,
        'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 9, 100, 18, 10000, 32],
        'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5,
      },
    });
    map.addLayer({
      id: 'incidents', type: 'circle', source: 'incidents', paint: {
        'circle-color': verdictColour(),
        'circle-radius': ['case', ['get', 'selected'], 10, 7],
        'circle-stroke-color': ['case', ['get', 'disputed'], '#5b2a86', '#ffffff'],
        'circle-stroke-width': ['case', ['get', 'disputed'], 3.5, 1.5],
      },
    });
    map.on('click', 'incidents', e => {
      const f = e.features && e.features[0];
      if (f) location.hash = `#/incident/${encodeURIComponent(f.properties.id)}`;
    });
    map.on('click', 'clusters', e => {
      const f = e.features && e.features[0];
      if (f) map.easeTo({ center: f.geometry.coordinates, zoom: map.getZoom() + 2 });
    });
    for (const layer of ['incidents', 'clusters']) {
      map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
    }
    map.on('moveend', () => scheduleRefresh());
    mapLoaded = true;
    resolve();
  }));
}

function bbox() {
  const b = map.getBounds();
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
    .map(v => v.toFixed(4)).join(',');
}

function inView(lon, lat) {
  const b = map.getBounds();
  return lon >= b.getWest() && lon <= b.getEast() && lat >= b.getSouth() && lat <= b.getNorth();
}

function idle() {
  return new Promise(resolve => {
    if (map.loaded() && !map.isMoving()) {
      map.once('idle', resolve);
      map.triggerRepaint();
    } else {
      map.once('idle', resolve);
    }
    setTimeout(resolve, 3000);
  });
}

async function loadZones() {
  try {
    state.zones = await getJson('/api/zones');
    map.getSource('zones').setData(state.zones);
  } catch (e) {
    reportError(e);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Refresh: map, list and chart for the filters and the view
// ---------------------------------------------------------------------------------------------------------------
let refreshTimer = null;
let periodKey = null;
let periodAbort = null;
let viewAbort = null;

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 150);
}

async function loadPeriod(f) {
  const key = JSON.stringify([f.from, f.to, f.party]);
  if (key === periodKey) return;
  periodAbort?.abort();
  periodAbort = new AbortController();
  const signal = periodAbort.signal;
  const p = period(f);
  const incidentParams = { from: p.from, to: p.to, limit: '500' };
  if (f.party) incidentParams.accused = f.party;
  const [incidents, findings] = await Promise.all([
    getAll('/api/incidents', incidentParams, 5000, signal),
    // Findings on incidents (the API filters findings by subject, not time: those of incidents outside the period are
    // left out below, when they are matched to the incidents in view).
    getAll('/api/findings', { of: 'incidents', limit: '1000' }, 20000, signal).catch(e => {
      if (e.name === 'AbortError') throw e;
      reportError(e);
      return { items: [], truncated: false };
    }),
  ]);
  state.incidents = incidents.items;
  state.incidentsTruncated = incidents.truncated;
  state.findings = findings.items;
  byId = new Map(state.incidents.map(i => [String(i.id), i]));
  state.worstById = new Map();
  for (const finding of state.findings) {
    const id = subjectId(finding);
    if (byId.has(id)) state.worstById.set(id, worse(state.worstById.get(id), finding.verdict));
  }
  periodKey = key;
  refreshFilterOptions();
}

async function refresh() {
  const f = filters();
  const error = $('#filters-error');
  if (!f.from || !f.to || f.from > f.to) {
    error.textContent = t('filters.range_error');
    error.hidden = false;
    return;
  }
  error.hidden = true;
  document.body.dataset.state = 'loading';
  setStatus(t('status.loading'));
  viewAbort?.abort();
  viewAbort = new AbortController();
  const signal = viewAbort.signal;
  try {
    await mapReady;
    await loadPeriod(f);
    const p = period(f);
    const view = await getJson(`/api/map?${new URLSearchParams({ bbox: bbox(), from: p.from, to: p.to })}`, signal);
    state.mapItems = view.incidents || null;
    state.clusters = view.clusters || [];
    for (const item of state.mapItems || []) {
      if (item.worst_verdict) state.worstById.set(String(item.id), worse(state.worstById.get(String(item.id)), item.worst_verdict));
    }
    render(f);
    await idle();
    state.refreshes++;
    document.body.dataset.state = 'ready';
    document.body.dataset.refreshes = String(state.refreshes);
  } catch (e) {
    if (e.name === 'AbortError') return;
    document.body.dataset.state = 'error';
    reportError(e);
  }
}

function render(f) {
  const shown = state.incidents.filter(i => passes(i, f));
  const shownIds = new Set(shown.map(i => String(i.id)));
  const filtering = f.party || f.act || f.target || f.verdict;

  // The map: the server's points for the view, less what the filters exclude.
  const features = [];
  for (const item of state.mapItems || []) {
    const id = String(item.id);
    const verdict = state.worstById.get(id) || verdictCode(item.worst_verdict) || 'none';
    if (filtering) {
      if (byId.has(id) ? !shownIds.has(id) : ((f.act && item.act !== f.act) || (f.verdict && verdict !== f.verdict) || f.party || f.target)) continue;
    }
    features.push({
      type: 'Feature', id: features.length,
      geometry: { type: 'Point', coordinates: [item.lon, item.lat] },
      properties: { id, worst_verdict: verdict, disputed: !!item.disputed, act: item.act || '', selected: id === state.selected },
    });
  }
  map.getSource('incidents').setData({ type: 'FeatureCollection', features });
  const clusters = (state.mapItems === null ? state.clusters : []).map((c, n) => ({
    type: 'Feature', id: n, geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
    properties: { count: c.count, worst_verdict: verdictCode(c.worst_verdict) || 'none' },
  }));
  map.getSource('clusters').setData({ type: 'FeatureCollection', features: clusters });
  clusterMarkers.forEach(m => m.remove());
  clusterMarkers = clusters.map(c => new maplibregl.Marker({ element: h('span', { class: 'cluster-label', title: t('map.cluster', { count: c.properties.count }) }, String(c.properties.count)) })
    .setLngLat(c.geometry.coordinates).addTo(map));

  // The list: the incidents in view that pass the filters.
  const inViewIncidents = shown.filter(i => i.location && inView(i.location.lon, i.location.lat));
  state.visibleIds = inViewIncidents.map(i => String(i.id));
  const max = 200;
  $('#incident-count').textContent = `(${inViewIncidents.length})`;
  // Rows are rebuilt on every refresh: keep the keyboard focus on the same incident's row.
  const focused = document.activeElement && document.activeElement.closest('#incident-list') ? document.activeElement.dataset.incidentId : null;
  $('#incident-list').replaceChildren(...inViewIncidents.slice(0, max).map(incidentRow));
  if (focused) $(`#incident-list button[data-incident-id="${CSS.escape(focused)}"]`)?.focus();
  $('#incident-list-note').textContent = inViewIncidents.length === 0 ? t('list.empty')
    : (inViewIncidents.length > max || state.incidentsTruncated ? t('list.more', { count: Math.min(max, inViewIncidents.length) }) : '');

  renderChart(f, shownIds);
  renderBreakdowns(f, shownIds);
  setStatus(t('status.ready', { incidents: inViewIncidents.length, findings: state.findings.length, from: f.from, to: f.to }));
}

function firstReport(incident) {
  const reports = incident.detail && incident.detail.reports;
  return reports && reports.length ? reports[0] : null;
}

function incidentRow(incident) {
  const id = String(incident.id);
  const verdict = state.worstById.get(id) || 'none';
  const place = firstReport(incident)?.place;
  const accused = accusedOf(incident);
  return h('li', {},
    h('button', { type: 'button', 'data-incident-id': id, 'aria-current': id === state.selected ? 'true' : null,
      onclick: () => { location.hash = `#/incident/${encodeURIComponent(id)}`; } },
    badge(verdict), ' ', incident.disputed ? h('span', { class: 'badge disputed' }, t('list.disputed')) : null, ' ',
    h('strong', {}, label('act', incident.act)), ' · ', label('target', targetCode(incident.target)),
    h('span', { class: 'meta' }, [fmtTime(incident.time), place, accused.length ? t('list.accused', { parties: accused.join(', ') }) : null].filter(Boolean).join(' · '))));
}

// ---------------------------------------------------------------------------------------------------------------
// Chart: violations and possible violations per accused party per day
// ---------------------------------------------------------------------------------------------------------------
let chart = null;
const partyColours = ['#b2182b', '#2166ac', '#1b7837', '#762a83', '#8c510a', '#01665e'];

function renderChart(f, shownIds) {
  const days = [];
  for (let d = new Date(`${f.from}T00:00:00Z`); d <= new Date(`${f.to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  const index = new Map(days.map((d, n) => [d, n]));
  const counts = new Map(); // party|verdict -> array per day
  const count = (party, verdict, day) => {
    if (!index.has(day)) return;
    const key = `${party}|${verdict}`;
    if (!counts.has(key)) counts.set(key, new Array(days.length).fill(0));
    counts.get(key)[index.get(day)]++;
  };
  const fromFindings = state.findings.length > 0;
  if (fromFindings) {
    for (const finding of state.findings) {
      const verdict = verdictCode(finding.verdict);
      if (verdict !== 'violation' && verdict !== 'possible_violation') continue;
      if (f.verdict && verdict !== f.verdict) continue;
      const incident = byId.get(subjectId(finding));
      if (!incident || !shownIds.has(String(incident.id))) continue;
      const parties = accusedOf(incident);
      for (const party of parties.length ? parties : [t('chart.unattributed')]) count(party, verdict, dayOf(incident.time));
    }
  } else {
    for (const id of shownIds) {
      const verdict = state.worstById.get(id);
      if (verdict !== 'violation' && verdict !== 'possible_violation') continue;
      const incident = byId.get(id);
      const parties = accusedOf(incident);
      for (const party of parties.length ? parties : [t('chart.unattributed')]) count(party, verdict, dayOf(incident.time));
    }
  }
  const parties = [...new Set([...counts.keys()].map(k => k.split('|')[0]))].sort();
  const datasets = [];
  parties.forEach((party, n) => {
    const colour = partyColours[n % partyColours.length];
    for (const verdict of ['violation', 'possible_violation']) {
      const data = counts.get(`${party}|${verdict}`);
      if (!data) continue;
      datasets.push({
        label: t('chart.series', { party: label('party', party), verdict: t(`verdict.${verdict}`) }),
        data, stack: party, backgroundColor: verdict === 'violation' ? colour : `${colour}66`,
        borderColor: colour, borderWidth: 1,
      });
    }
  });
  $('#chart-empty').hidden = datasets.length > 0;
  window.cfm.chartData = { days, datasets: datasets.map(d => ({ label: d.label, stack: d.stack, total: d.data.reduce((a, b) => a + b, 0) })) };
  if (!window.Chart) return;
  if (!chart) {
    chart = new window.Chart($('#chart'), {
      type: 'bar',
      data: { labels: days, datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 12 } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  } else {
    chart.data.labels = days;
    chart.data.datasets = datasets;
    chart.update();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Charts: findings of the incidents in view by phase of the agreement, and by region
// ---------------------------------------------------------------------------------------------------------------
const breakdownCharts = {};

function renderBreakdowns(f, shownIds) {
  const byPhase = new Map();
  const byRegion = new Map();
  const add = (map, key, verdict) => {
    if (!map.has(key)) map.set(key, { violation: 0, possible_violation: 0 });
    map.get(key)[verdict]++;
  };
  const seenRegion = new Set();
  for (const finding of state.findings) {
    const verdict = verdictCode(finding.verdict);
    if (verdict !== 'violation' && verdict !== 'possible_violation') continue;
    if (f.verdict && verdict !== f.verdict) continue;
    const incident = byId.get(subjectId(finding));
    if (!incident || !shownIds.has(String(incident.id))) continue;
    add(byPhase, finding.phase || '?', verdict);
    // An incident counts once per region, with its worst finding.
    const key = `${incident.id}|${verdict}`;
    if (!seenRegion.has(key)) {
      seenRegion.add(key);
      add(byRegion, incident.detail?.region || t('chart.no_region'), verdict);
    }
  }
  drawBreakdown('phase', $('#chart-phase'), byPhase);
  drawBreakdown('region', $('#chart-region'), byRegion);
}

function drawBreakdown(name, canvas, map) {
  const labels = [...map.keys()].sort();
  const datasets = ['violation', 'possible_violation'].map(verdict => ({
    label: t(`verdict.${verdict}`), data: labels.map(l => map.get(l)[verdict]), stack: 'all',
    backgroundColor: verdict === 'violation' ? '#c62828' : '#ef8a17',
  }));
  window.cfm[`${name}ChartData`] = Object.fromEntries(labels.map(l => [l, map.get(l)]));
  if (!window.Chart || !canvas) return;
  const existing = breakdownCharts[name];
  if (!existing) {
    breakdownCharts[name] = new window.Chart(canvas, {
      type: 'bar', data: { labels, datasets },
      options: {
        indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  } else {
    existing.data.labels = labels;
    existing.data.datasets = datasets;
    existing.update();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Incident panel
// ---------------------------------------------------------------------------------------------------------------
async function openIncident(id) {
  state.selected = id;
  const panel = $('#incident-panel');
  const detail = $('#incident-detail');
  $('#incident-list-section').hidden = true;
  panel.hidden = false;
  detail.replaceChildren(h('p', { class: 'note' }, t('incident.loading')));
  panel.focus();
  if (mapLoaded) render(filters());
  try {
    const data = await getJson(`/api/incidents/${encodeURIComponent(id)}`);
    if (state.selected !== id) return;
    detail.replaceChildren(...incidentDetail(data.incident || data, data.findings || []));
    panel.dataset.incidentId = id;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      detail.replaceChildren(h('p', {}, t('incident.not_found', { id })));
    } else {
      reportError(e);
      detail.replaceChildren(h('p', { class: 'field-error' }, e.message));
    }
  }
}

function closeIncident() {
  state.selected = null;
  $('#incident-panel').hidden = true;
  $('#incident-list-section').hidden = false;
  if (mapLoaded) render(filters());
  const row = $('#incident-list button');
  if (row) row.focus();
}

function incidentDetail(incident, findings) {
  const d = incident.detail || {};
  let worst = null;
  for (const f of findings) worst = worse(worst, f.verdict);
  const loc = incident.location || {};
  const out = [
    h('h2', { id: 'incident-heading' }, `${t('incident.title')}: ${label('act', incident.act)}`),
    h('p', {}, badge(worst), ' ', incident.disputed ? h('span', { class: 'badge disputed' }, t('verdict.disputed')) : null),
    h('dl', {},
      h('dt', {}, t('incident.when')), h('dd', {}, fmtTime(incident.time)),
      h('dt', {}, t('incident.where')), h('dd', {}, [firstReport(incident)?.place, loc.lat !== undefined ? `${(+loc.lat).toFixed(4)}, ${(+loc.lon).toFixed(4)}` : null,
        loc.radius_m ? t('incident.radius', { km: Math.round(loc.radius_m / 100) / 10 }) : null].filter(Boolean).join(' ')),
      h('dt', {}, t('incident.act')), h('dd', {}, label('act', incident.act)),
      h('dt', {}, t('incident.target')), h('dd', {}, label('target', targetCode(incident.target))),
      h('dt', {}, t('incident.accused')), h('dd', {}, list(accusedOf(incident).map(p => label('party', p)))),
      h('dt', {}, t('incident.grade')), h('dd', {}, incident.grade ?? '–'),
      h('dt', {}, t('incident.confidence')), h('dd', {}, incident.confidence ?? '–'),
      incident.confirmed_by ? [h('dt', {}, t('incident.confirmed_by')), h('dd', {}, list(incident.confirmed_by))] : null),
  ];

  const attributions = d.attributions || [];
  if (attributions.length) {
    out.push(h('h3', {}, incident.disputed ? t('incident.sides') : t('incident.attributions')));
    for (const a of attributions) {
      out.push(h('div', { class: incident.disputed ? 'side-card' : 'card', 'data-party': a.party ?? '' },
        h('strong', {}, t('incident.side', { party: label('party', a.party ?? t('chart.unattributed')), claimants: list(a.claimants) })),
        h('div', {}, t('incident.side_reports', { reports: list(a.reports) })),
        a.confidence !== undefined ? h('div', { class: 'note' }, t('finding.confidence', { confidence: a.confidence })) : null));
    }
  }

  const reports = d.reports || [];
  if (reports.length) {
    out.push(h('h3', {}, t('incident.reports')));
    out.push(h('div', { class: 'table-scroll' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['report.key', 'report.role', 'report.time', 'report.place', 'report.sources', 'report.grade', 'report.claimant', 'report.blames', 'report.score']
        .map(k => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, reports.map(r => h('tr', { 'data-report-key': r.key },
        h('td', {}, r.key), h('td', {}, r.role ?? '–'), h('td', {}, typeof r.time === 'object' ? fmtTime(r.time) : (r.time ?? '–')),
        h('td', {}, r.place ?? '–'), h('td', {}, list(r.sources)), h('td', {}, r.grade ?? '–'), h('td', {}, r.claimant ?? '–'),
        h('td', {}, list(r.blames)), h('td', {}, r.score ?? '–')))))));
  }

  out.push(h('h3', {}, t('incident.findings')));
  if (!findings.length) out.push(h('p', { class: 'note' }, t('incident.no_findings')));
  for (const f of findings) {
    const verdict = verdictCode(f.verdict) || 'none';
    const reading = f.reading ? t('finding.reading_of', { party: label('party', f.reading) }) : t('finding.reading_common');
    out.push(h('article', { class: `finding ${verdict}`, 'data-obligation': f.obligation ?? '' },
      h('div', {}, badge(verdict), ' ', h('strong', {}, f.obligation ?? '')),
      h('div', {}, t('finding.under', { obligation: f.obligation ?? '–', agreement: f.agreement ?? '–', version: f.agreement_version ?? '?', phase: f.phase ?? '–', reading })),
      f.confidence !== undefined && f.confidence !== null ? h('div', { class: 'note' }, t('finding.confidence', { confidence: f.confidence })) : null,
      f.failed && f.failed.length ? h('div', {}, `${t('finding.failed')}: `, renderValue(f.failed)) : null,
      f.uncertain && f.uncertain.length ? h('div', {}, `${t('finding.uncertain')}: `, renderValue(f.uncertain)) : null,
      h('details', { class: 'explanation' },
        h('summary', {}, t('finding.explanation')),
        typeof f.explanation === 'string' ? h('p', { class: 'explanation-text' }, f.explanation) : renderValue(f.explanation))));
  }
  if (d.history && d.history.length) {
    out.push(h('details', {}, h('summary', {}, t('incident.history')), renderValue(d.history)));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reports view
// ---------------------------------------------------------------------------------------------------------------
let reportsCursor = null;

async function loadReports(append) {
  const f = filters();
  const p = period(f);
  const q = new URLSearchParams({ from: p.from, to: p.to, limit: '100' });
  if (f.party) q.set('party', f.party);
  if (f.act) q.set('act', f.act);
  if (f.verdict) q.set('verdict', f.verdict);
  if (append && reportsCursor) q.set('cursor', reportsCursor);
  const body = $('#reports-table tbody');
  try {
    const page = await getJson(`/api/reports?${q}`);
    const rows = (page.items || []).map(r => h('tr', { 'data-report-key': r.key },
      h('td', {}, r.key), h('td', {}, fmtTime(r.time)), h('td', {}, r.location?.place ?? '–'), h('td', {}, label('act', r.act)),
      h('td', {}, label('target', targetCode(r.target))), h('td', {}, r.perpetrator ?? '–'), h('td', {}, r.claimant ?? '–'),
      h('td', {}, r.source ?? '–'), h('td', {}, r.grade ?? '–'), h('td', {}, badge(r.worst_verdict))));
    if (append) body.append(...rows); else body.replaceChildren(...rows);
    reportsCursor = page.next_cursor || null;
    $('#reports-more').hidden = !reportsCursor;
    $('#reports-note').textContent = body.children.length ? t('reports.count', { count: body.children.length }) : t('reports.empty');
  } catch (e) {
    reportError(e);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Agreements view
// ---------------------------------------------------------------------------------------------------------------
let agreements = null;

async function loadAgreements() {
  try {
    agreements = await getJson('/api/agreements');
  } catch (e) {
    reportError(e);
    return;
  }
  const select = $('#a-agreement');
  select.replaceChildren(...agreements.map(a => h('option', { value: a.id }, a.id)));
  if (!agreements.length) {
    $('#agreement-detail').replaceChildren(h('p', {}, t('agreements.empty')));
    return;
  }
  chooseAgreement();
}

function chooseAgreement() {
  const a = agreements.find(x => x.id === $('#a-agreement').value) || agreements[0];
  const versions = a.versions || [];
  const vs = $('#a-version');
  vs.replaceChildren(...versions.map((v, n) => h('option', { value: String(n) }, `v${v.version}${v.title ? ` – ${v.title}` : ''}`)));
  vs.value = String(versions.length - 1);
  showAgreementVersion();
}

function showAgreementVersion() {
  const a = agreements.find(x => x.id === $('#a-agreement').value) || agreements[0];
  const versions = a.versions || [];
  const v = versions[+$('#a-version').value] || versions[versions.length - 1];
  const out = [];
  if (!v) {
    $('#agreement-detail').replaceChildren(h('p', {}, t('agreements.empty')));
    return;
  }
  out.push(h('h3', {}, v.title || a.id));
  const known = new Set(['version', 'title', 'phases', 'obligations', 'parties']);
  const rest = Object.fromEntries(Object.entries(v).filter(([k]) => !known.has(k)));
  out.push(renderValue(rest));
  if (v.parties) {
    out.push(h('h3', {}, t('agreements.parties')), renderValue(v.parties));
  }
  out.push(h('h3', {}, t('agreements.phases')));
  for (const phase of v.phases || []) {
    const { id, name, preconditions, ...other } = phase;
    out.push(h('section', { class: 'card', 'data-phase': id ?? '' },
      h('h4', {}, name ? `${name} (${id})` : (id ?? '')),
      renderValue(other),
      preconditions && preconditions.length ? [h('strong', {}, t('agreements.preconditions')), renderValue(preconditions)] : null));
  }
  out.push(h('h3', {}, t('agreements.obligations')));
  for (const o of v.obligations || []) {
    const { id, clause, readings, ...other } = o;
    out.push(h('section', { class: 'card', 'data-obligation': id ?? '' },
      h('h4', {}, id ?? ''),
      clause ? h('p', {}, clause) : null,
      renderValue(other),
      readings && readings.length ? [h('strong', {}, t('agreements.readings')), renderValue(readings)] : null));
  }
  out.push(h('h3', {}, t('agreements.versions')));
  out.push(h('ul', {}, versions.map(x => h('li', {}, `v${x.version}${x.title ? `: ${x.title}` : ''}`))));
  $('#agreement-detail').replaceChildren(...out);
}

// ---------------------------------------------------------------------------------------------------------------
// Report form
// ---------------------------------------------------------------------------------------------------------------
function setupForm() {
  fillSelect($('#r-act'), [...knownActs, 'unknown'], 'act');
  fillSelect($('#r-target'), [...knownTargets, 'unknown'], 'target');
  const kind = $('#r-time-kind');
  kind.addEventListener('change', () => {
    for (const el of document.querySelectorAll('[data-time-kind]')) el.hidden = el.dataset.timeKind !== kind.value;
  });
  $('#report-form').addEventListener('submit', submitReport);
}

function reportBody() {
  const v = id => $(id).value.trim();
  const num = id => (v(id) === '' ? undefined : Number(v(id)));
  const body = { id: v('#r-id') };
  const time = { time_zone: v('#r-time-zone') };
  const kind = $('#r-time-kind').value;
  if (kind === 'at') time.at = v('#r-time-at');
  else if (kind === 'date') time.date = v('#r-time-date');
  else { time.from = v('#r-time-from'); time.to = v('#r-time-to'); }
  body.time = time;
  body.location = { lon: num('#r-lon') ?? null, lat: num('#r-lat') ?? null, precision: v('#r-precision') };
  if (num('#r-radius') !== undefined) body.location.radius_km = num('#r-radius');
  if (v('#r-place')) body.location.place = v('#r-place');
  body.act = v('#r-act');
  if (v('#r-target')) body.target = v('#r-target');
  const perpetrator = v('#r-perpetrator');
  if (perpetrator === 'null') body.perpetrator = null;
  else if (perpetrator) body.perpetrator = perpetrator;
  for (const [field, id] of [['actor', '#r-actor'], ['claimant', '#r-claimant'], ['source', '#r-source'], ['notes', '#r-notes']]) {
    if (v(id)) body[field] = v(id);
  }
  if (v('#r-grade')) body.grade = v('#r-grade').toUpperCase();
  const links = v('#r-links').split(/\s*\n\s*/).filter(Boolean);
  if (links.length) body.links = links;
  const casualties = {};
  for (const [field, id] of [['low', '#r-cas-low'], ['best', '#r-cas-best'], ['high', '#r-cas-high']]) {
    if (num(id) !== undefined) casualties[field] = num(id);
  }
  if (Object.keys(casualties).length) body.casualties = casualties;
  return body;
}

/** "$.reports[0].location.lat", "/location/lat", "location.lat" -> "location.lat"; "links[2]" -> "links". */
function normalisePath(path) {
  let p = String(path || '');
  if (p.startsWith('/')) p = p.slice(1).replace(/\//g, '.');
  p = p.replace(/^\$\.?/, '').replace(/^reports\[\d+\]\.?/, '').replace(/\[\d+\]/g, '').replace(/\['([^']+)'\]/g, '.$1');
  return p.replace(/^\./, '');
}

/** The form field for a JSON path: the exact field, else the nearest enclosing one. */
function fieldFor(path) {
  const parts = normalisePath(path).split('.').filter(Boolean);
  const kind = $('#r-time-kind').value;
  while (parts.length) {
    const p = parts.join('.');
    const candidates = [...document.querySelectorAll(`#report-form [data-path]`)].filter(el => el.dataset.path.toLowerCase() === p.toLowerCase());
    const el = candidates.find(c => !c.hidden) || candidates[0];
    if (el) {
      if (el.hidden && el.dataset.timeKind && el.dataset.timeKind !== kind) {
        // The server complains about a time form the monitor did not choose: show it on the time group.
        parts.pop();
        continue;
      }
      return el;
    }
    parts.pop();
  }
  return null;
}

function clearErrors() {
  for (const el of document.querySelectorAll('#report-form .field-error')) el.remove();
  for (const el of document.querySelectorAll('#report-form [aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(x => x && !x.startsWith('err-'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
  }
  $('#form-summary').hidden = true;
  $('#form-summary').replaceChildren();
}

function showErrors(errors, problem) {
  const summary = $('#form-summary');
  const items = [];
  let n = 0;
  for (const [path, messages] of Object.entries(errors)) {
    const field = fieldFor(path);
    const text = (Array.isArray(messages) ? messages : [messages]).join(' ');
    const errId = `err-${n++}`;
    if (field) {
      const control = field.matches('input, select, textarea') ? field : field.querySelector('input:not([hidden]), select, textarea');
      const message = h('p', { class: 'field-error', id: errId, 'data-error-path': normalisePath(path) }, text);
      if (field.tagName === 'FIELDSET') field.querySelector('legend').after(message); else field.append(message);
      if (control && field.tagName !== 'FIELDSET') {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), errId].filter(Boolean).join(' '));
      }
      items.push(h('li', {}, h('a', { href: `#${control?.id || ''}`, onclick: ev => { ev.preventDefault(); control?.focus(); } }, `${normalisePath(path) || '–'}: ${text}`)));
    } else {
      items.push(h('li', {}, `${normalisePath(path) || (problem?.title ?? '')}: ${text}`));
    }
  }
  summary.replaceChildren(h('strong', {}, t('form.errors_title')), h('ul', {}, items));
  summary.hidden = false;
  summary.focus();
}

// ---------------------------------------------------------------------------------------------------------------
// Session: sign-in with the session cookie; writes carry the antiforgery token the server hands out.
// ---------------------------------------------------------------------------------------------------------------
let session = { name: null, role: 'public', party: null };
let csrfToken = null;

async function loadSession() {
  const wasOn = location.hash.startsWith('#/complaints');
  const r = await fetch('/api/session', { headers: { Accept: 'application/json' } });
  session = r.ok ? await r.json() : { name: null, role: 'public', party: null };
  csrfToken = null;
  if (session.name) {
    const a = await fetch('/api/session/antiforgery', { headers: { Accept: 'application/json' } });
    if (a.ok) csrfToken = (await a.json()).token;
  }
  showSession();
  if (wasOn) await loadComplaints();
}

function showSession() {
  const signedIn = !!session.name;
  $('#signin-fields').hidden = signedIn;
  $('#signout').hidden = !signedIn;
  $('#signin-who').textContent = signedIn
    ? t('signin.as', { name: session.name, role: session.party ? `${session.role}, ${session.party}` : session.role })
    : t('signin.public');
  document.body.dataset.role = session.role;
}

async function signIn(event) {
  event.preventDefault();
  const error = $('#signin-error');
  error.hidden = true;
  const r = await fetch('/api/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name: $('#signin-name').value, password: $('#signin-password').value }),
  });
  $('#signin-password').value = '';
  if (!r.ok) {
    let detail = r.status;
    try { const p = await r.json(); detail = p.detail || p.title || detail; } catch { /* empty */ }
    error.textContent = t('signin.failed', { detail });
    error.hidden = false;
    return;
  }
  await loadSession();
}

async function signOut() {
  await fetch('/api/session', { method: 'DELETE' });
  await loadSession();
}

/** Headers of a write: JSON, and the antiforgery token when signed in with the session cookie. */
function writeHeaders() {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

// ---------------------------------------------------------------------------------------------------------------
// Complaints: a liaison's own party's, and those against it once acknowledged; filed by liaisons.
// ---------------------------------------------------------------------------------------------------------------
async function loadComplaints() {
  const body = $('#complaints-table tbody');
  const note = $('#complaints-note');
  body.replaceChildren();
  $('#complaint-form').hidden = !session.name;
  const r = await fetch('/api/complaints', { headers: readHeaders() });
  if (r.status === 401 || r.status === 403) {
    note.textContent = t('complaints.signin');
    return;
  }
  const data = await r.json();
  const rows = data.complaints || [];
  for (const c of rows) {
    body.append(h('tr', { 'data-complaint-id': c.id },
      h('td', {}, c.id), h('td', {}, c.complainant), h('td', {}, c.accused),
      h('td', {}, String(c.filed_at).slice(0, 16).replace('T', ' ')), h('td', {}, String(c.deadline).slice(0, 16).replace('T', ' ')),
      h('td', {}, c.status), h('td', {}, c.text)));
  }
  note.textContent = rows.length ? t('complaints.count', { n: rows.length }) : t('complaints.none');
}

async function submitComplaint(event) {
  event.preventDefault();
  const error = $('#complaint-error');
  const result = $('#complaint-result');
  error.hidden = true;
  result.hidden = true;
  const keys = $('#c-reports').value.split(',').map(k => k.trim()).filter(k => k);
  const r = await fetch('/api/complaints', {
    method: 'POST', headers: writeHeaders(),
    body: JSON.stringify({ accused: $('#c-accused').value, report_keys: keys, text: $('#c-text').value }),
  });
  noteSequence(r);
  let body = null;
  try { body = await r.json(); } catch { /* empty */ }
  if (r.status === 201) {
    result.textContent = t('complaints.filed_ok', { id: body.id, accused: body.accused, deadline: String(body.deadline).slice(0, 16).replace('T', ' ') });
    result.hidden = false;
    $('#complaint-form').reset();
    await loadComplaints();
  } else {
    const messages = body?.errors ? Object.entries(body.errors).map(([path, m]) => `${path}: ${[].concat(m).join(' ')}`) : [body?.detail || body?.title || String(r.status)];
    error.textContent = messages.join(' ');
    error.hidden = false;
  }
}

async function submitReport(event) {
  event.preventDefault();
  clearErrors();
  const result = $('#form-result');
  result.hidden = true;
  const button = $('#r-submit');
  button.disabled = true;
  button.textContent = t('form.sending');
  try {
    if (!session.name) {
      showErrors({ '': [t('signin.needed')] }, null);
      return;
    }
    const response = await fetch('/api/reports', {
      method: 'POST', headers: writeHeaders(), body: JSON.stringify(reportBody()),
    });
    noteSequence(response);
    let body = null;
    try { body = await response.json(); } catch { /* empty */ }
    if (response.status === 201 || response.ok) {
      result.replaceChildren(t('form.filed', { key: body?.key ?? '', version: body?.version ?? 1, status: body?.status ?? '' }), ' ',
        h('a', { href: '#/reports' }, t('form.see_reports')));
      result.dataset.key = body?.key ?? '';
      result.hidden = false;
      result.focus?.();
      $('#report-form').reset();
      $('#r-time-kind').dispatchEvent(new Event('change'));
      periodKey = null; // the new report may change incidents and findings
    } else if (body && body.errors) {
      showErrors(body.errors, body);
    } else {
      showErrors({ '': [t('form.problem', { detail: body?.detail || body?.title || response.status })] }, body);
    }
  } catch (e) {
    showErrors({ '': [String(e.message || e)] }, null);
  } finally {
    button.disabled = false;
    button.textContent = t('form.submit');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Views and start
// ---------------------------------------------------------------------------------------------------------------
function route() {
  const hash = location.hash || '#/dashboard';
  const [, view = 'dashboard', arg] = hash.match(/^#\/([^/]+)(?:\/(.*))?$/) || [];
  const section = view === 'incident' ? 'dashboard' : view;
  for (const el of document.querySelectorAll('main > section[data-view]')) el.hidden = el.dataset.view !== section;
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  $('#filters').hidden = section === 'file' || section === 'agreements' || section === 'complaints';
  if (section === 'dashboard') {
    map.resize();
    if (view === 'incident' && arg) openIncident(decodeURIComponent(arg));
    else if (state.selected) closeIncident();
  }
  if (section === 'reports') loadReports(false);
  if (section === 'agreements' && !agreements) loadAgreements();
  if (section === 'complaints') loadComplaints();
}

async function start() {
  window.cfm = {
    state,
    get map() { return map; },
    /** Ids of the incidents drawn on the map now (the rendered WebGL features). */
    renderedIncidentIds: () => [...new Set(map.queryRenderedFeatures({ layers: ['incidents'] }).map(f => f.properties.id))].sort(),
    /** Ids of the zones drawn on the map now. */
    renderedZoneIds: () => [...new Set(map.queryRenderedFeatures({ layers: ['zones-fill'] }).map(f => f.properties.zone_id ?? f.properties.id))].sort(),
    /** Names of the base-map countries drawn now (Natural Earth, no API needed). */
    renderedBaseCountries: () => [...new Set(map.queryRenderedFeatures({ layers: ['base-countries-fill'] }).map(f => f.properties.name))].sort(),
    chartData: null,
    phaseChartData: null,
    regionChartData: null,
  };
  await loadStrings();
  $('#signin').addEventListener('submit', signIn);
  $('#complaint-form').addEventListener('submit', submitComplaint);
  $('#signout').addEventListener('click', signOut);
  await loadSession();
  createMap();
  setupForm();
  const form = $('#filters');
  form.addEventListener('change', () => { if (location.hash.startsWith('#/reports')) loadReports(false); scheduleRefresh(); });
  form.addEventListener('submit', e => e.preventDefault());
  form.addEventListener('reset', () => setTimeout(() => { if (location.hash.startsWith('#/reports')) loadReports(false); scheduleRefresh(); }, 0));
  $('#incident-back').addEventListener('click', () => { location.hash = '#/dashboard'; });
  $('#reports-more').addEventListener('click', () => loadReports(true));
  $('#a-agreement').addEventListener('change', chooseAgreement);
  $('#a-version').addEventListener('change', showAgreementVersion);
  document.addEventListener('keydown', e => {
    if (e.key === 'Escape' && state.selected) location.hash = '#/dashboard';
  });
  window.addEventListener('hashchange', route);
  route();
  await mapReady;
  await loadZones();
  await refresh();
}

start().catch(reportError);
