// The room's current track, audible in this page: an <audio> element held to the room's server-clock playhead.
// The room never streams time to the page; every page computes where the track should be from the now-playing anchor
// and its own server-clock estimate, and steers its element there. Large errors are seeked away; small ones are
// absorbed by nudging the playback rate, because a seek is an audible jump and a 2 % rate change is not.
import { clock } from './connection.js';
import { $ } from './dom.js';
import { playhead } from './render/now-playing.js';
import { api } from './session.js';
import { loadedWebPlayer, loadWebPlayer, setSpotifyListening } from './spotify.js';
import { state } from './state.js';

export const policy = { tickMs: 250, seekAboveMs: 300, settleWithinMs: 10, maxNudge: 0.05, correctOverMs: 1000 };

// What to do about drift (audio position minus room position, ms): seek, or play at this rate. The rate removes the
// drift in about correctOverMs, within 1 +- maxNudge, and is exactly 1 once the drift is within settleWithinMs.
export function driftAction(driftMs, p = policy) {
  if (!Number.isFinite(driftMs) || Math.abs(driftMs) > p.seekAboveMs) return { seek: true, rate: 1 };
  if (Math.abs(driftMs) <= p.settleWithinMs) return { seek: false, rate: 1 };
  const rate = 1 - driftMs / p.correctOverMs;
  return { seek: false, rate: Math.min(1 + p.maxNudge, Math.max(1 - p.maxNudge, rate)) };
}

const stored = (key, fallback) => localStorage.getItem(`moodgrains.audio.${key}`) ?? fallback;
const store = (key, value) => localStorage.setItem(`moodgrains.audio.${key}`, String(value));

class AudioPlayer {
  constructor() {
    this.element = null;
    this.mode = stored('mode', 'here'); // here | webplayer (Spotify's SDK in this page) | spotify | off
    this.source = null; // { entryId, trackId, url, expiresAt } or { entryId, missing: true }
    this.loading = null; // entryId whose URL is being fetched
    this.starting = false;
    this.blocked = false; // the browser refused play() until a gesture
    this.seeks = 0;
    this.lastDriftMs = NaN;
    this.refreshTimer = 0;
    this.failures = 0;
  }

  install() {
    this.element = $('audio');
    this.element.volume = Number(stored('volume', '0.8'));
    this.element.muted = stored('muted', 'false') === 'true';
    // An expired or revoked URL shows up as a media error: fetch a fresh one and carry on at the room's position.
    // A file that keeps failing is given up on after two fresh URLs, so a broken file cannot loop.
    this.element.addEventListener('error', () => {
      if (!this.source?.url) return;
      if (++this.failures > 2) {
        this.source = { entryId: this.source.entryId, missing: true };
        this.status('This track\'s audio could not be played.');
      } else {
        this.reload();
      }
    });
    $('audio-mode').value = this.mode;
    $('audio-mode').addEventListener('change', e => this.setMode(e.target.value).catch(() => {}));
    $('audio-volume').value = String(Math.round(this.element.volume * 100));
    $('audio-volume').addEventListener('input', e => {
      this.element.volume = Number(e.target.value) / 100;
      store('volume', this.element.volume);
      loadedWebPlayer()?.setVolume(this.element.volume);
    });
    $('audio-mute').addEventListener('click', () => {
      this.element.muted = !this.element.muted;
      store('muted', this.element.muted);
      this.showControls();
    });
    $('audio-unlock').addEventListener('click', () => this.unlock());
    this.showControls();
    setInterval(() => this.tick(), policy.tickMs);
  }

  async setMode(mode) {
    const was = this.mode;
    const wasSpotify = was === 'spotify';
    this.mode = mode;
    store('mode', mode);
    this.tick();
    // "Here (Spotify)" follows the room on this page's own Spotify device; leaving it stops that first.
    if (was === 'webplayer' && mode !== 'webplayer') await loadedWebPlayer()?.stop();
    if (mode === 'webplayer') {
      this.status('');
      await (await loadWebPlayer()).start();
      return;
    }
    // "On my Spotify" is the existing follow path; leaving it stops the room on the member's Spotify device.
    const listen = $('spotify-listen');
    if ((mode === 'spotify') !== listen.checked && state.roomCode && !$('spotify-follow').hidden) {
      listen.checked = mode === 'spotify';
      setSpotifyListening();
    }
    if (mode === 'spotify' && $('spotify-follow').hidden) this.status('Connect a Spotify Premium account below to play the room there.');
    else if (wasSpotify || mode !== 'spotify') this.status('');
    this.tick();
  }

  // The page plays only when the member chose "here" and does not already hear the room on their Spotify.
  get wanted() {
    return this.mode === 'here' && !state.room?.spotifyListeners.includes(state.session?.userId);
  }

  // Called on every room snapshot (and by the timer): pause, seek and skip take effect at once.
  tick() {
    if (!this.element) return;
    const np = state.room?.nowPlaying;
    if (!this.wanted || !np || np.entry.track.hasAudio === false) {
      this.stop();
      return;
    }
    if (this.source?.entryId !== np.entry.entryId) {
      if (this.loading !== np.entry.entryId) this.load(np.entry).catch(() => this.retryLater());
      return;
    }
    if (this.source.missing) return;
    this.follow(np);
  }

  async load(entry) {
    if (this.source?.entryId !== entry.entryId) this.failures = 0;
    this.stop();
    this.loading = entry.entryId;
    const response = await api(`api/rooms/${encodeURIComponent(state.roomCode)}/tracks/${entry.track.trackId}/audio`);
    if (this.loading !== entry.entryId) return; // the room moved on while this was asked for
    this.loading = null;
    if (!response.ok) {
      // No audio for this track (404) is normal for a catalogue-only track: say so quietly and stay silent.
      this.source = { entryId: entry.entryId, missing: true };
      this.status(response.status === 404 ? 'No audio for this track here.' : `Audio unavailable (${response.status}).`);
      return;
    }
    const body = await response.json();
    this.source = { entryId: entry.entryId, trackId: entry.track.trackId, url: body.url, expiresAt: Date.parse(body.expiresAt) };
    this.element.src = body.url;
    this.status('');
    this.scheduleRefresh();
    this.tick();
  }

  // A new signed URL shortly before the old one expires; the element reloads and the next tick puts it back in place.
  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    const due = this.source.expiresAt - Date.now() - 30_000;
    if (Number.isFinite(due)) this.refreshTimer = setTimeout(() => this.reload(), Math.max(5_000, due));
  }

  reload() {
    const entryId = this.source?.entryId;
    const entry = state.room?.nowPlaying?.entry;
    if (entry && entry.entryId === entryId) this.load(entry).catch(() => this.retryLater());
  }

  // The URL could not be fetched (offline, reconnecting): the timer asks again after a pause.
  retryLater() {
    setTimeout(() => { this.loading = null; }, 2000);
  }

  stop() {
    clearTimeout(this.refreshTimer);
    if (this.source?.missing) this.status('');
    this.source = null;
    this.loading = null;
    if (this.element.getAttribute('src')) {
      this.element.pause();
      this.element.removeAttribute('src');
      this.element.load();
    }
    this.showUnlock(false);
  }

  // Where the element should be now, in ms (the room's position by this page's server-clock estimate).
  roomPositionMs() {
    return playhead.target(clock.serverNow());
  }

  follow(np) {
    const audio = this.element;
    const target = this.roomPositionMs();
    const ended = target >= np.entry.track.durationMs;
    if (np.state !== 'Playing' || ended) {
      if (!audio.paused) audio.pause();
      if (!ended && Math.abs(audio.currentTime * 1000 - target) > policy.settleWithinMs) audio.currentTime = target / 1000;
      audio.playbackRate = 1;
      return;
    }
    if (audio.paused) {
      this.start(target);
      return;
    }
    if (audio.seeking || audio.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) return;
    this.lastDriftMs = audio.currentTime * 1000 - target;
    const action = driftAction(this.lastDriftMs);
    if (action.seek) {
      this.seeks++;
      audio.currentTime = target / 1000;
    }
    audio.playbackRate = action.rate;
  }

  start(target) {
    if (this.starting || this.blocked) return;
    this.starting = true;
    this.element.currentTime = target / 1000;
    this.element.playbackRate = 1;
    this.element.play().then(
      () => this.showUnlock(false),
      e => { if (e.name === 'NotAllowedError') this.showUnlock(true); },
    ).finally(() => { this.starting = false; });
  }

  // The click is the user gesture the browser asked for: play() inside it is allowed.
  unlock() {
    this.blocked = false;
    this.showUnlock(false);
    this.element.currentTime = this.roomPositionMs() / 1000;
    this.element.play().then(() => this.tick(), () => this.showUnlock(true));
  }

  showUnlock(show) {
    this.blocked = show;
    $('audio-unlock').hidden = !show;
  }

  showControls() {
    $('audio-mute').textContent = this.element.muted ? 'Unmute' : 'Mute';
    $('audio-mute').setAttribute('aria-pressed', String(this.element.muted));
  }

  status(text) {
    $('audio-status').textContent = text;
  }
}

export const audioPlayer = new AudioPlayer();
