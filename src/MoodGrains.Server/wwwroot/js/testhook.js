// What the end-to-end tests read (tests/MoodGrains.EndToEnd.Tests): window.moodgrains.
import { clock } from './connection.js';
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
  };
}
