// What this person may do in the room on screen, and the controls that follow from it: a guest sees host-only
// controls disabled with the reason, so the page never sends an action the room would refuse.
import { $ } from './dom.js';
import { isHost, state } from './state.js';

export const controlTitle = 'Only the host can control playback (the host can let guests).';
export const lockedAddTitle = 'Only the host can add tracks while the queue is locked.';

export const canControl = () => !!state.room && (isHost() || state.room.guestControls);
export const canAdd = () => !!state.room && (isHost() || !state.room.queueLocked);

export function applyRoles(snapshot) {
  const host = isHost();
  const solo = snapshot.isSolo;
  document.body.dataset.role = solo ? 'solo' : host ? 'host' : 'guest';
  $('host-panel-title').textContent = solo ? 'Controls' : 'Host controls';
  const control = canControl();
  const playing = snapshot.nowPlaying?.state === 'Playing';
  for (const id of ['play', 'pause', 'skip']) {
    const b = $(id);
    b.title = control ? '' : controlTitle;
  }
  // The button that would do something is the highlighted one: Play while stopped or paused, Pause while playing.
  $('play').disabled = !control || playing;
  $('pause').disabled = !control || !playing;
  $('skip').disabled = !control;
  $('play').classList.toggle('primary', control && !playing);
  $('pause').classList.toggle('primary', control && playing);
  $('play').setAttribute('aria-pressed', String(playing));
}
