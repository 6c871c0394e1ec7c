// The API client: JSON over fetch, errors as ApiError with the server's code and message.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** qs builds a query string from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v == null || v === "" || v === false) continue;
    if (Array.isArray(v)) { if (v.length) u.set(k, v.join(",")); continue; }
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : "";
}

async function decode(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const e = body && body.error;
    throw new ApiError(res.status, e ? e.code : "http", e ? e.message : `HTTP ${res.status}`);
  }
  return body;
}

/** get fetches /api/v1/path with query params. */
export async function get(path, params) {
  const res = await fetch(`/api/v1/${path}${qs(params)}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  return decode(res);
}

/** post sends a write with the bearer token the user typed (kept in this tab only). */
export async function post(path, body, token) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${token}` };
  if (!(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(body);
  }
  const res = await fetch(`/api/v1/${path}`, { method: "POST", headers, body, credentials: "same-origin" });
  return decode(res);
}

let metaPromise;
/** meta is what the server offers, fetched once. */
export function meta() {
  if (!metaPromise) metaPromise = get("meta");
  return metaPromise;
}
