// The stream browser: stream types → streams of a type → a stream's events → one event, each view a URL hash that can
// be bookmarked. Everything that comes from the store is put into the page as text (Node.append / textContent), never
// as markup.

const main = document.getElementById("main");
const crumbs = document.getElementById("crumbs");

const defaultLimits = { types: 100, streams: 50, events: 20 };
const pollMilliseconds = 1000;
const retryMilliseconds = 5000;

/** The headers of every API request; the one place to add one (e.g. authentication). */
// A server with authentication on (EventStore:Authentication) takes an API key or a bearer token. The page asks for it
// when the server answers 401 and keeps it for this tab only (sessionStorage), never in the address or a cookie.
const credentialKey = "serverless-event-store.credentials";

function savedCredentials() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(credentialKey) ?? "null");
    return saved && (saved.scheme === "ApiKey" || saved.scheme === "Bearer") && typeof saved.value === "string" ? saved : null;
  } catch {
    return null;
  }
}

function requestHeaders() {
  const headers = { Accept: "application/json" };
  const credentials = savedCredentials();
  if (credentials) {
    headers.Authorization = `${credentials.scheme} ${credentials.value}`;
  }
  return headers;
}

/** A failed API request, with the problem details the server answered. */
class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title ?? `The server answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Every call to the server's API goes through here. Paths are relative to the page, so a path base works too. */
async function api(path, query = {}, signal = undefined) {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") {
      url.searchParams.set(name, String(value));
    }
  }

  let response;
  try {
    response = await fetch(url, { headers: requestHeaders(), signal });
  } catch (error) {
    if (error.name === "AbortError") {
      throw error;
    }
    throw new ApiError(0, { title: "The server could not be reached", detail: error.message });
  }

  if (response.ok) {
    return JSON.parse(await response.text(), keepNumberText);
  }
  let problem = {};
  if ((response.headers.get("Content-Type") ?? "").includes("json")) {
    problem = await response.json().catch(() => ({}));
  }
  problem.title ??= response.statusText || `The server answered ${response.status}`;
  problem.status ??= response.status;
  throw new ApiError(response.status, problem);
}

/**
 * Keeps a number as the store holds it where reading it into a double would change it (`42.0`, `1e3`, integers beyond
 * 2^53): JSON.stringify writes a raw JSON value back as it was. Browsers without raw JSON show the double.
 */
function keepNumberText(key, value, context) {
  if (typeof value === "number" && typeof JSON.rawJSON === "function" && context?.source !== undefined && String(value) !== context.source) {
    return JSON.rawJSON(context.source);
  }
  return value;
}

/** Makes an element: attributes set as attributes, children appended as nodes or as text. */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  element.append(...children.flat().filter((child) => child !== undefined && child !== null));
  return element;
}

function link(href, ...children) {
  return el("a", { href }, ...children);
}

// Hash routes, built and read in one place.
const routes = {
  types: (query) => withQuery("#/", query),
  streams: (type, query) => withQuery(`#/streams/${encodeURIComponent(type)}`, query),
  stream: (type, id, query) => withQuery(`#/streams/${encodeURIComponent(type)}/${encodeURIComponent(id)}`, query),
  feed: (type, query) => withQuery(`#/streams/${encodeURIComponent(type)}/events`, query),
  event: (type, id, revision) => `#/streams/${encodeURIComponent(type)}/${encodeURIComponent(id)}/events/${revision}`,
};

function withQuery(path, query = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search = ""] = hash.split("?", 2);
  const query = new URLSearchParams(search);
  const parts = path.split("/").filter((part) => part !== "").map(decodeURIComponent);
  if (parts.length === 0) {
    return { view: "types", query };
  }
  if (parts[0] === "streams" && parts.length === 2) {
    return { view: "streams", type: parts[1], query };
  }
  // Stream ids are UUIDs, so no stream is called "events".
  if (parts[0] === "streams" && parts.length === 3 && parts[2] === "events") {
    return { view: "feed", type: parts[1], query };
  }
  if (parts[0] === "streams" && parts.length === 3) {
    return { view: "stream", type: parts[1], id: parts[2], query };
  }
  if (parts[0] === "streams" && parts.length === 5 && parts[3] === "events" && /^[1-9][0-9]*$/.test(parts[4])) {
    return { view: "event", type: parts[1], id: parts[2], revision: Number(parts[4]), query };
  }
  return { view: "unknown", query };
}

function limitOf(query, fallback) {
  const limit = Number(query.get("limit"));
  return Number.isInteger(limit) && limit >= 1 && limit <= 1000 ? limit : fallback;
}

function revisionOf(query, name) {
  const value = query.get(name);
  return value !== null && /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

function showCrumbs(...items) {
  const list = el("ol");
  items.forEach((item, index) => {
    const last = index === items.length - 1;
    list.append(el("li", {}, last ? el("span", { "aria-current": "page" }, item.text) : link(item.href, item.text)));
  });
  crumbs.replaceChildren(list);
}

const crumb = {
  types: () => ({ text: "Stream types", href: routes.types() }),
  streams: (type) => ({ text: type, href: routes.streams(type) }),
  stream: (type, id) => ({ text: id, href: routes.stream(type, id) }),
};

function show(...children) {
  main.replaceChildren(...children);
}

function showProblem(error) {
  const problem = error.problem ?? { title: error.message };
  const facts = [];
  if (problem.status) {
    facts.push(`Status ${problem.status}`);
  }
  if (problem.requestId) {
    facts.push(`request id ${problem.requestId}`);
  }
  show(el("section", { class: "problem", role: "alert" },
    el("h1", {}, problem.title),
    problem.detail ? el("p", {}, problem.detail) : null,
    facts.length > 0 ? el("p", { class: "note" }, facts.join(" · ")) : null),
    error.status === 401 ? credentialsForm() : null);
}

/** The form a 401 brings: an API key or a bearer token for this tab, then the view again. */
function credentialsForm() {
  const scheme = el("select", { id: "credential-scheme", name: "scheme" },
    el("option", { value: "ApiKey" }, "API key"),
    el("option", { value: "Bearer" }, "Bearer token"));
  const value = el("input", { id: "credential-value", name: "value", type: "password", autocomplete: "off", required: true });
  const form = el("form", { class: "credentials", id: "credentials" },
    el("p", {}, "This event store requires authentication. The credentials are kept in this tab only."),
    el("label", { for: "credential-scheme" }, "Kind"), scheme,
    el("label", { for: "credential-value" }, "Key or token"), value,
    el("button", { type: "submit" }, "Use"),
    savedCredentials() ? el("button", { type: "button", id: "credential-forget" }, "Forget the saved one") : null);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(credentialKey, JSON.stringify({ scheme: scheme.value, value: value.value.trim() }));
    render();
  });
  form.querySelector("#credential-forget")?.addEventListener("click", () => {
    sessionStorage.removeItem(credentialKey);
    render();
  });
  return form;
}

function empty(text) {
  return el("p", { class: "empty" }, text);
}

function json(value) {
  if (value === undefined || value === null) {
    return el("span", { class: "none" }, "none");
  }
  return el("pre", { class: "json" }, JSON.stringify(value, null, 2));
}

function time(value) {
  return el("time", { datetime: value }, value);
}

/** Page links; none at all when every one is disabled (one page only). */
function pager(...links) {
  if (links.every(([, href]) => !href)) {
    return el("nav", { class: "pager", hidden: true });
  }
  return el("nav", { class: "pager", "aria-label": "Pages" },
    links.map(([text, href]) => (href ? link(href, text) : el("span", { "aria-disabled": "true" }, text))));
}

// Views. Each gets a signal that is aborted when the hash changes, so a late answer never paints over the next view.

async function typesView(route, signal) {
  showCrumbs(crumb.types());
  const page = route.query.get("page") ?? undefined;
  const limit = limitOf(route.query, defaultLimits.types);
  const { streamTypePage } = await api("streams", { limit, "next-page-key": page }, signal);
  const header = [el("h1", {}, "Stream types"), el("p", { class: "subtitle" }, "Every type that has streams, in the store's order.")];
  if (streamTypePage.streamTypes.length === 0) {
    show(...header, empty(page ? "No more stream types." : "No stream types yet: create a stream through the API, and its type appears here."));
    return;
  }
  const rows = streamTypePage.streamTypes.map((type) => el("tr", {}, el("td", {}, link(routes.streams(type), type))));
  show(...header,
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Stream type"))), el("tbody", {}, rows)),
    pager(
      ["First page", page ? routes.types({ limit: route.query.get("limit") }) : undefined],
      ["Next page →", streamTypePage.nextPageKey ? routes.types({ page: streamTypePage.nextPageKey, limit: route.query.get("limit") }) : undefined]));
}

async function streamsView(route, signal) {
  const { type } = route;
  showCrumbs(crumb.types(), { text: type });
  const page = route.query.get("page") ?? undefined;
  const limit = limitOf(route.query, defaultLimits.streams);
  const { streamPage } = await api(`streams/${encodeURIComponent(type)}`, { limit, "stream-next-page-key": page }, signal);
  const header = [
    el("div", { class: "toolbar" }, el("h1", {}, type), link(routes.feed(type), "Events of every stream of this type →")),
    el("p", { class: "subtitle" }, "Streams of this type, least recently updated first (the order the API lists them in)."),
  ];
  if (streamPage.streams.length === 0) {
    show(...header, empty(page ? "No more streams." : "No streams of this type yet."));
    return;
  }
  const rows = streamPage.streams.map((stream) => el("tr", {},
    el("td", {}, link(routes.stream(type, stream.streamId), el("span", { class: "id" }, stream.streamId))),
    el("td", { class: "number" }, String(stream.revision)),
    el("td", { class: "time" }, time(stream.updatedAt))));
  show(...header,
    el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "Stream id"), el("th", {}, "Revision"), el("th", {}, "Updated at"))),
      el("tbody", {}, rows)),
    pager(
      ["First page", page ? routes.streams(type, { limit: route.query.get("limit") }) : undefined],
      ["Next page →", streamPage.nextPageKey ? routes.streams(type, { page: streamPage.nextPageKey, limit: route.query.get("limit") }) : undefined]));
}

function eventRow(type, id, event) {
  return el("tr", { "data-revision": event.revision },
    el("td", { class: "number" }, link(routes.event(type, id, event.revision), String(event.revision))),
    el("td", { class: "event-type" }, event.eventType),
    el("td", { class: "time" }, time(event.createdAt)),
    el("td", {}, json(event.payload)),
    el("td", {}, json(event.metadata)));
}

function streamFacts(stream) {
  return el("dl", { class: "facts" },
    el("dt", {}, "Stream id"), el("dd", { class: "id" }, stream.streamId),
    el("dt", {}, "Stream type"), el("dd", {}, stream.streamType),
    el("dt", {}, "Revision"), el("dd", { "data-field": "revision" }, String(stream.revision)),
    el("dt", {}, "Updated at"), el("dd", { "data-field": "updatedAt" }, time(stream.updatedAt)));
}

/**
 * A page of a stream's events, always shown oldest first: `after=N` reads forward from revision N, `before=N` backward
 * from N, neither the newest page. On the newest page new events are polled for and added as they come.
 */
async function streamView(route, signal) {
  const { type, id, query } = route;
  showCrumbs(crumb.types(), crumb.streams(type), { text: id });
  const limit = limitOf(query, defaultLimits.events);
  const keepLimit = query.get("limit") ?? undefined;
  const after = revisionOf(query, "after");
  const before = after === undefined ? revisionOf(query, "before") : undefined;
  const path = `streams/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
  const [{ stream }, { eventPage }] = await Promise.all([
    api(`${path}/details`, {}, signal),
    after !== undefined
      ? api(`${path}/events`, { "after-revision": after, limit }, signal)
      : api(`${path}/events`, { direction: "backward", "before-revision": before, limit }, signal),
  ]);
  const events = [...eventPage.events].sort((left, right) => left.revision - right.revision);
  // An empty page stands for the empty range just after the revision it was read from.
  let highest = events.length > 0 ? events[events.length - 1].revision : Math.min(after ?? (before ?? Infinity) - 1, stream.revision);
  const lowest = events.length > 0 ? events[0].revision : highest + 1;
  const hasOlder = after === undefined ? eventPage.hasMore : lowest > 1;
  const atEnd = highest >= stream.revision;

  const facts = streamFacts(stream);
  const body = el("tbody", {}, events.map((event) => eventRow(type, id, event)));
  const table = el("table", {},
    el("thead", {}, el("tr", {},
      el("th", {}, "Revision"), el("th", {}, "Event type"), el("th", {}, "Created at"), el("th", {}, "Payload"), el("th", {}, "Metadata"))),
    body);
  const emptyState = empty(stream.revision === 0 || atEnd ? "No events in this stream yet." : "No events in this range.");
  const live = el("span", { class: "live" }, "Following new events");
  const toolbar = el("div", { class: "toolbar" },
    el("span", { class: "note" }, events.length > 0 ? `Revisions ${lowest}–${highest} of ${stream.revision}` : ""),
    atEnd ? live : link(routes.stream(type, id, { limit: keepLimit }), "Newest events →"));
  const newer = () => (highest < stream.revision ? routes.stream(type, id, { after: highest, limit: keepLimit }) : undefined);
  const renderPager = () => pager(
    ["← Older", hasOlder ? routes.stream(type, id, { before: lowest, limit: keepLimit }) : undefined],
    ["Newer →", newer()]);
  let pages = renderPager();
  show(el("h1", {}, "Stream"), facts, el("h2", {}, "Events"), toolbar, events.length > 0 ? table : emptyState, pages);

  if (!atEnd) {
    return;
  }
  // The newest page follows the stream: ask for what came after the last revision shown, again and again.
  await follow(signal, live, async () => {
    const { eventPage: next } = await api(`${path}/events`, { "after-revision": highest, limit: 100 }, signal);
    if (next.events.length === 0) {
      return next.hasMore;
    }
    if (!table.isConnected) {
      emptyState.replaceWith(table);
    }
    for (const event of next.events) {
      const row = eventRow(type, id, event);
      row.classList.add("fresh");
      body.append(row);
      highest = event.revision;
    }
    const latest = next.events[next.events.length - 1];
    stream.revision = Math.max(stream.revision, latest.revision);
    stream.updatedAt = latest.createdAt;
    facts.replaceChildren(...streamFacts(stream).childNodes);
    toolbar.firstChild.textContent = `Revisions ${lowest}–${highest} of ${stream.revision}`;
    const refreshedPager = renderPager();
    pages.replaceWith(refreshedPager);
    pages = refreshedPager;
    return next.hasMore;
  });
}

/**
 * Calls `poll` until the view is left: again at once while it says there is more, else after `pollMilliseconds`; after
 * a failure (shown on `live`) after `retryMilliseconds`.
 */
async function follow(signal, live, poll) {
  let more = false;
  while (!signal.aborted) {
    try {
      await delay(more ? 0 : pollMilliseconds, signal);
      more = await poll();
      live.className = "live";
      live.textContent = "Following new events";
    } catch (error) {
      if (error.name === "AbortError") {
        return;
      }
      more = false;
      live.className = "live stopped";
      live.textContent = `Not following: ${error.message}; trying again`;
      await delay(retryMilliseconds, signal).catch(() => undefined);
    }
  }
}

function feedRow(type, { event }) {
  return el("tr", { "data-stream": event.streamId, "data-revision": event.revision },
    el("td", {}, link(routes.stream(type, event.streamId), el("span", { class: "id" }, event.streamId))),
    el("td", { class: "number" }, link(routes.event(type, event.streamId, event.revision), String(event.revision))),
    el("td", { class: "event-type" }, event.eventType),
    el("td", { class: "time" }, time(event.createdAt)),
    el("td", {}, json(event.payload)));
}

/**
 * The events of every stream of a type, as a catch-up subscription reads them: from the start (or `checkpoint`) page by
 * page, and on the last page new events as they become readable, followed with the page's checkpoint.
 */
async function feedView(route, signal) {
  const { type, query } = route;
  showCrumbs(crumb.types(), crumb.streams(type), { text: "Events" });
  const limit = limitOf(query, defaultLimits.events);
  const keepLimit = query.get("limit") ?? undefined;
  const start = query.get("checkpoint") ?? undefined;
  const path = `streams/${encodeURIComponent(type)}/events`;
  const { streamTypeEventPage: page } = await api(path, { checkpoint: start, limit }, signal);
  let checkpoint = page.checkpoint;
  const body = el("tbody", {}, page.events.map((item) => feedRow(type, item)));
  const table = el("table", {},
    el("thead", {}, el("tr", {},
      el("th", {}, "Stream id"), el("th", {}, "Revision"), el("th", {}, "Event type"), el("th", {}, "Created at"), el("th", {}, "Payload"))),
    body);
  const emptyState = empty("No events of this type yet.");
  const live = el("span", { class: "live" }, "Following new events");
  show(
    el("h1", {}, `Events of ${type}`),
    el("p", { class: "subtitle" }, "Every stream's events in the store's order, as a catch-up subscription reads them."),
    el("div", { class: "toolbar" }, el("span", { class: "note" }, start ? "From a checkpoint" : "From the start"),
      page.hasMore ? null : live),
    page.events.length > 0 ? table : emptyState,
    pager(["From the start", start ? routes.feed(type, { limit: keepLimit }) : undefined],
      ["Next page →", page.hasMore ? routes.feed(type, { checkpoint, limit: keepLimit }) : undefined]));
  if (page.hasMore) {
    return;
  }
  await follow(signal, live, async () => {
    const { streamTypeEventPage: next } = await api(path, { checkpoint, limit: 100 }, signal);
    checkpoint = next.checkpoint;
    if (next.events.length > 0 && !table.isConnected) {
      emptyState.replaceWith(table);
    }
    for (const item of next.events) {
      const row = feedRow(type, item);
      row.classList.add("fresh");
      body.append(row);
    }
    return next.hasMore;
  });
}

async function eventView(route, signal) {
  const { type, id, revision } = route;
  showCrumbs(crumb.types(), crumb.streams(type), crumb.stream(type, id), { text: `Revision ${revision}` });
  const { eventPage } = await api(
    `streams/${encodeURIComponent(type)}/${encodeURIComponent(id)}/events`, { "after-revision": revision - 1, limit: 1 }, signal);
  const event = eventPage.events.find((candidate) => candidate.revision === revision);
  if (!event) {
    show(el("h1", {}, `Revision ${revision}`), empty("This stream has no event at this revision."),
      pager(["← Stream", routes.stream(type, id)]));
    return;
  }
  show(el("section", { class: "detail" },
    el("h1", {}, `Revision ${event.revision}`),
    el("dl", { class: "facts" },
      el("dt", {}, "Event type"), el("dd", { class: "event-type" }, event.eventType),
      el("dt", {}, "Created at"), el("dd", {}, time(event.createdAt)),
      el("dt", {}, "Event id"), el("dd", { class: "id" }, event.eventId ?? el("span", { class: "none" }, "none")),
      el("dt", {}, "Stream"), el("dd", { class: "id" }, link(routes.stream(type, id), event.streamId))),
    el("h2", {}, "Payload"), json(event.payload),
    el("h2", {}, "Metadata"), json(event.metadata),
    pager(
      ["← Previous", revision > 1 ? routes.event(type, id, revision - 1) : undefined],
      ["Next →", eventPage.hasMore ? routes.event(type, id, revision + 1) : undefined])));
}

function unknownView() {
  showCrumbs(crumb.types());
  show(el("section", { class: "problem", role: "alert" }, el("h1", {}, "Not a page of the stream browser"),
    el("p", {}, link(routes.types(), "Go to the stream types"))));
}

function delay(milliseconds, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("The view was left.", "AbortError"));
    }, { once: true });
  });
}

const views = { types: typesView, streams: streamsView, stream: streamView, feed: feedView, event: eventView, unknown: unknownView };
let current = new AbortController();

async function render() {
  current.abort();
  current = new AbortController();
  const { signal } = current;
  const route = parseRoute();
  show(el("p", { class: "state" }, "Loading…"));
  try {
    await views[route.view](route, signal);
  } catch (error) {
    if (error.name !== "AbortError" && !signal.aborted) {
      showProblem(error);
    }
  }
}

window.addEventListener("hashchange", render);
render();
