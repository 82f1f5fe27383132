// Talking to tunepack serve: the token, JSON requests, uploads, downloads and the event stream.
//
// The token arrives once in the address (/?token=...). It is moved into sessionStorage (this tab
// only) and removed from the address bar, so it does not stay in the history, in bookmarks or in
// a screenshot. Every request sends it as `Authorization: Bearer`; nothing puts it in a URL, which
// is also why events are read with fetch (EventSource cannot send headers). Output files are
// linked through the per-job download key the server puts in their URLs.

const TOKEN_KEY = "tunepack-token";
export const API = "/api/v1";

let token = "";

export function takeTokenFromAddress() {
  const url = new URL(window.location.href);
  const fromAddress = url.searchParams.get("token");
  if (fromAddress) {
    sessionStorage.setItem(TOKEN_KEY, fromAddress);
    url.searchParams.delete("token");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }
  token = fromAddress || sessionStorage.getItem(TOKEN_KEY) || "";
  return token !== "";
}

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function authorization(headers = {}) {
  return { ...headers, Authorization: `Bearer ${token}` };
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page, an empty body): the status line is all there is.
  }
  const error = body && body.error ? body.error : {};
  return new ApiError(response.status, error.code || `http_${response.status}`,
                      error.message || `${response.status} ${response.statusText}`, error.details);
}

// request("POST", "preview", {json: {...}}) -> parsed JSON body (null for 204).
export async function request(method, path, { json, body, headers, signal } = {}) {
  const init = { method, headers: authorization(headers), signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(`${API}/${path}`, init);
  } catch (cause) {
    if (cause.name === "AbortError") throw cause;
    throw new ApiError(0, "unreachable", "The tunepack server cannot be reached.", null);
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export function upload(file, signal) {
  return request("POST", `uploads?name=${encodeURIComponent(file.name)}`, {
    body: file,
    headers: { "Content-Type": "application/octet-stream" },
    signal,
  });
}

// Reads a Server-Sent Events stream and calls onEvent({id, event, data}) for each event, data
// parsed as JSON. Reconnects with Last-Event-ID when the connection drops before the server
// closes it; resolves when the server ends the stream or `signal` aborts.
export async function streamEvents(path, onEvent, signal) {
  let lastEventId = "";
  for (let attempt = 0; !signal.aborted; attempt++) {
    const headers = authorization({ Accept: "text/event-stream" });
    if (lastEventId) headers["Last-Event-ID"] = lastEventId;
    try {
      const response = await fetch(`${API}/${path}`, { headers, signal });
      if (!response.ok) throw await errorFrom(response);
      if (response.status === 204 || !response.body) return;  // the job ended; nothing more, ever
      attempt = 0;
      await readEventStream(response.body, (event) => {
        if (event.id) lastEventId = event.id;
        onEvent(event);
      });
      return;  // the server closed the stream after its last event
    } catch (error) {
      if (signal.aborted || error instanceof ApiError) throw error;
      if (attempt >= 5) throw new ApiError(0, "unreachable", "The event stream was lost.", null);
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
  }
}

async function readEventStream(body, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let event = { id: "", event: "message", data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
      if (line === "") {
        if (event.data.length) dispatch(parsed(event));
        event = { id: event.id, event: "message", data: [] };
        continue;
      }
      if (line.startsWith(":")) continue;  // a keep-alive comment
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "id") event.id = value;
      else if (field === "event") event.event = value;
      else if (field === "data") event.data.push(value);
    }
  }
}

function parsed(event) {
  const text = event.data.join("\n");
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    data = { message: text };
  }
  return { id: event.id, event: event.event, data };
}
