// One room snapshot onto the page: host panel, policy, now playing, members and queue.
import { audioPlayer } from '../audio-player.js';
import { $ } from '../dom.js';
import { applyRoles } from '../roles.js';
import { showAddable } from '../search.js';
import { isHost, state } from '../state.js';
import { renderMembers } from './members.js';
import { playhead, renderNowPlaying } from './now-playing.js';
import { renderQueue } from './queue.js';

const policies = {
  Match: 'The music matches the room\'s mood.',
  Boost: 'The host is lifting the mood: brighter music.',
  Calm: 'The host is calming the room: gentler music.',
};

// A solo session has no host and no room: the same policies, said to the one listener.
const soloPolicies = {
  Match: 'The music matches your mood.',
  Boost: 'You are lifting your mood: brighter music.',
  Calm: 'You are calming down: gentler music.',
};

export function render(snapshot) {
  // Pushes can overtake replies; never go back to an older version of the room.
  if (state.room && state.room.code === snapshot.code && snapshot.version < state.room.version) return;
  state.room = snapshot;
  playhead.setNowPlaying(snapshot.nowPlaying);
  const host = isHost();
  $('host-panel').hidden = !host;
  $('queue-locked').checked = snapshot.queueLocked;
  $('guest-controls').checked = snapshot.guestControls;
  $('queue-locked-note').hidden = !snapshot.queueLocked;
  $('policy').value = snapshot.policy;
  // Guests never see the host panel's selector, yet the policy explains the queue they see.
  $('room-policy').textContent = (snapshot.isSolo ? soloPolicies : policies)[snapshot.policy] ?? `Mood policy: ${snapshot.policy}`;
  $('room-policy').dataset.policy = snapshot.policy;
  $('spotify-listen').checked = snapshot.spotifyListeners.includes(state.session.userId);
  renderNowPlaying(snapshot.nowPlaying);
  renderMembers(snapshot);
  renderQueue(snapshot, host);
  applyRoles(snapshot);
  showAddable();
  audioPlayer.tick();
}
