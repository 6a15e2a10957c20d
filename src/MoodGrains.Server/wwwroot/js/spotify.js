// The Spotify panel: link status, connecting an account, and playing the room on one of the member's devices.
import { call } from './connection.js';
import { $ } from './dom.js';
import { showError } from './messages.js';
import { api } from './session.js';
import { state } from './state.js';

// The Web Playback SDK module ("here (Spotify)"), imported only for a member who can use it.
let webPlayerModule = null;
export const loadWebPlayer = async () => (webPlayerModule ??= await import('./spotify-web-player.js'));
export const loadedWebPlayer = () => webPlayerModule;

// "Here (Spotify)" is offered only with Spotify configured and a linked Premium account; a page that remembers the
// choice picks it up again, and one that can no longer have it falls back to the page's own audio.
function offerWebPlayer(body) {
  const available = !!(body.enabled && body.linked && body.premium === true && state.roomCode);
  $('audio-mode-webplayer').hidden = !available;
  if ($('audio-mode').value !== 'webplayer') return;
  if (available) {
    loadWebPlayer().then(m => m.start()).catch(showError);
  } else {
    $('audio-mode').value = 'here';
    $('audio-mode').dispatchEvent(new Event('change'));
  }
}

export async function refreshSpotify() {
  const status = $('spotify-status');
  const connect = $('spotify-connect');
  try {
    const response = await api('api/spotify/status');
    const body = await response.json();
    connect.hidden = !body.enabled || body.linked;
    status.textContent = !body.enabled
      ? (body.message || 'Spotify is not configured on this server.')
      : body.linked ? `Connected as ${body.displayName ?? 'your Spotify account'}${body.message ? ' · ' + body.message : ''}` : 'Not connected.';
    $('spotify-follow').hidden = !(body.linked && body.premium && state.roomCode);
    offerWebPlayer(body);
    if (!$('spotify-follow').hidden) await refreshDevices();
  } catch {
    status.textContent = 'Spotify status unavailable.';
  }
}

// The member's Spotify Connect devices, for playing the room on one of them (empty: their active device).
async function refreshDevices() {
  const response = await api('api/spotify/devices');
  if (!response.ok) return;
  const select = $('spotify-device');
  const chosen = select.value;
  const options = (await response.json()).map(device => {
    const option = document.createElement('option');
    option.value = device.id;
    option.textContent = `${device.name} (${device.type})`;
    return option;
  });
  select.replaceChildren(select.options[0], ...options);
  select.value = options.some(o => o.value === chosen) ? chosen : '';
}

export function setSpotifyListening() {
  const enabled = $('spotify-listen').checked;
  call('SetSpotifyListening', state.roomCode, enabled, $('spotify-device').value || null)
    .catch(() => { $('spotify-listen').checked = false; });
}

export async function connectSpotify() {
  const response = await api('api/spotify/login', { method: 'POST' });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    showError(problem.detail || 'Spotify is not configured on this server.');
    return;
  }
  location.href = (await response.json()).authorizeUrl;
}

// A SpotifyPlayback push: how the member's own device took the room's last change.
export function showPlaybackNotice(notice) {
  if (notice.roomCode !== state.roomCode) return;
  $('spotify-playback').textContent = notice.message;
  $('spotify-playback').classList.toggle('error', !notice.ok);
}
