// What the end-to-end tests read (tests/MoodGrains.EndToEnd.Tests): window.moodgrains.
import { audioPlayer, driftAction, policy } from './audio-player.js';
import { clock, invoke } from './connection.js';
import { $ } from './dom.js';
import { chart } from './render/mood.js';
import { playhead } from './render/now-playing.js';
import { state } from './state.js';

export function installTestHook() {
  window.moodgrains = {
    playheadMs: () => playhead.positionMs(),
    serverNow: () => clock.serverNow(),
    // The playhead extrapolated to a given server time, so pages can be compared at one instant.
    playheadAtServer: serverMs => {
      const serverNow = clock.serverNow();
      const position = playhead.positionMs();
      return playhead.playing ? position + (serverMs - serverNow) : position;
    },
    // Pages on one machine share the real clock: reading every page at one local instant shows how far apart their
    // server-clock estimates put the track (the loopback sync measurement).
    clientNow: () => clock.clientNow(),
    playheadAtClient: clientMs => {
      const clientNow = clock.clientNow();
      const position = playhead.positionMs();
      return playhead.playing ? position + (clientMs - clientNow) : position;
    },
    get clockOffsetMs() { return clock.offsetMs; },
    get clockRttMs() { return clock.rttMs; },
    get roomCode() { return state.roomCode; },
    get userId() { return state.session?.userId; },
    get framesSent() { return state.framesSent; },
    get lastFrameOutcome() { return state.lastFrameOutcome; },
    get moodUpdates() { return state.moodUpdates; },
    get room() { return state.room; },
    get lastError() { return state.lastError; },
    get corrections() { return playhead.corrections; },
    // In-page audio: the element's state, and the room position it is steered to (by this page's server clock).
    get audio() {
      const a = audioPlayer.element;
      return {
        paused: a.paused, currentTime: a.currentTime, src: a.currentSrc || a.getAttribute('src') || '',
        playbackRate: a.playbackRate, readyState: a.readyState, volume: a.volume, muted: a.muted,
        mode: audioPlayer.mode, unlockShown: !$('audio-unlock').hidden, seeks: audioPlayer.seeks,
        lastDriftMs: audioPlayer.lastDriftMs, status: $('audio-status').textContent,
      };
    },
    roomPositionMs: () => audioPlayer.roomPositionMs(),
    positionAt: serverMs => playhead.target(serverMs),
    // One synchronized reading, taken on a timer aimed at one server instant; the caller compares pages.
    readAudioAt: serverMs => new Promise(resolve => setTimeout(() => {
      const a = audioPlayer.element;
      const serverNow = clock.serverNow();
      resolve({
        audioMs: a.currentTime * 1000, rate: a.playbackRate, paused: a.paused, serverNow, clientNow: clock.clientNow(),
        roomMs: playhead.target(serverNow),
      });
    }, Math.max(0, serverMs - clock.serverNow()))),
    driftAction: driftMs => driftAction(driftMs),
    // Hub calls past the page's own checks, to show the room still refuses what the page would not send: the
    // result, or the refusal's text ('' when the call went through).
    invoke: (method, ...args) => invoke(method, ...args),
    refusal: (method, ...args) => invoke(method, ...args).then(() => '', e => String(e?.message ?? e)),
    // The room's line on the mood chart at a moment (local ms), e.g. minutes after the last reading.
    chartAt: nowMs => chart.roomLineAt(nowMs),
    get lastInvite() { return state.lastInvite; },
    audioPolicy: policy,
  };
}
