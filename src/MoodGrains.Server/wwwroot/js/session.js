// The guest session: a signed token from POST /api/session, kept in localStorage until shortly before it expires.
import { state } from './state.js';

export async function session() {
  const stored = JSON.parse(localStorage.getItem('moodgrains.session') || 'null');
  if (stored && Date.parse(stored.expiresAt) > Date.now() + 60_000) return stored;
  const response = await fetch('api/session', { method: 'POST' });
  if (!response.ok) throw new Error(`Could not start a guest session (${response.status}).`);
  const created = await response.json();
  localStorage.setItem('moodgrains.session', JSON.stringify(created));
  return created;
}

export function forgetSession() {
  localStorage.removeItem('moodgrains.session');
}

export function api(path, init = {}) {
  return fetch(path, { ...init, headers: { ...init.headers, Authorization: `Bearer ${state.session.token}` } });
}
