// "Play here (Spotify)": Spotify's Web Playback SDK makes this page a Spotify Connect device, and the room plays on it
// through the same path as any of the member's devices (SetSpotifyListening with the device id; the server's
// SpotifyFollower starts the room's track there). Loaded only for a member with a linked Premium account on a server
// with Spotify configured: spotify.js imports this module on demand, and the SDK script itself comes from Spotify when
// the member picks the option. It must be Spotify's own URL, inserted as a plain <script> (Spotify forbids hosting it).
import { call } from './connection.js';
import { $ } from './dom.js';
import { api } from './session.js';
import { state } from './state.js';

export const sdkUrl = 'https://sdk.scdn.co/spotify-player.js';
const playerName = 'MoodGrains (this page)';

let sdk = null; // the promise of window.Spotify, once the script is asked for
let player = null;
let deviceId = null;
let wanted = false; // the member chose this option and has not left it

function status(text, error = false) {
  $('spotify-playback').textContent = text;
  $('spotify-playback').classList.toggle('error', error);
}

function loadSdk() {
  sdk ??= new Promise((resolve, reject) => {
    // The SDK calls this global once it has loaded; it is the only way it says so.
    window.onSpotifyWebPlaybackSDKReady = () => resolve(window.Spotify);
    const script = document.createElement('script');
    script.src = sdkUrl;
    script.async = true;
    script.onerror = () => {
      sdk = null;
      script.remove();
      reject(new Error('Spotify\'s web player could not be loaded.'));
    };
    document.head.append(script);
  });
  return sdk;
}

// The SDK asks for a token when it connects and again before the last one expires: always the member's own, fresh.
async function token(callback) {
  const response = await api('api/spotify/player-token');
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    status(problem.detail || 'Spotify did not give this page a token.', true);
    return;
  }
  callback((await response.json()).accessToken);
}

function follow() {
  if (!wanted || !deviceId || !state.roomCode) return;
  $('spotify-listen').checked = true;
  call('SetSpotifyListening', state.roomCode, true, deviceId).catch(() => { $('spotify-listen').checked = false; });
}

// Picks "here (Spotify)": load the SDK, connect a player, and follow the room on it once Spotify says it is ready.
export async function start() {
  wanted = true;
  if (deviceId) {
    follow();
    return;
  }
  status('Starting Spotify in this page…');
  const Spotify = await loadSdk().catch(e => { status(e.message, true); return null; });
  if (!Spotify || !wanted || player) return;
  player = new Spotify.Player({
    name: playerName,
    getOAuthToken: callback => { token(callback).catch(() => status('Spotify did not give this page a token.', true)); },
    volume: Number($('audio-volume').value) / 100,
  });
  player.addListener('ready', ({ device_id: id }) => {
    deviceId = id;
    follow();
  });
  player.addListener('not_ready', () => { deviceId = null; });
  for (const failure of ['initialization_error', 'authentication_error', 'account_error', 'playback_error']) {
    player.addListener(failure, ({ message }) => status(`Spotify in this page: ${message}`, true));
  }
  // Browsers let a page start sound only after a gesture; this call runs inside the member's choice of the option.
  player.activateElement?.();
  if (!(await player.connect())) status('Spotify could not start a player in this page.', true);
}

// Leaves "here (Spotify)": the room stops following on this page's device (the server pauses it, as any device it
// started) and the player pauses at once. It stays connected, as an open Spotify app would, so coming back is
// instant; disconnecting now would remove the device before the server's pause reached it.
export async function stop() {
  wanted = false;
  if (!player) return;
  if (deviceId && state.roomCode && $('spotify-listen').checked) {
    $('spotify-listen').checked = false;
    await call('SetSpotifyListening', state.roomCode, false, null).catch(() => {});
  }
  await player.pause().catch(() => {});
}

export function setVolume(fraction) {
  player?.setVolume(fraction).catch(() => {});
}

export const webPlayerDeviceId = () => deviceId;
