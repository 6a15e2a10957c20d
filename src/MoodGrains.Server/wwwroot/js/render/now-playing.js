// The now-playing card and its progress bar, placed by the playhead on the estimated server clock.
import { Playhead } from '../clock.js';
import { clock } from '../connection.js';
import { $, time } from '../dom.js';
import { state } from '../state.js';

export const playhead = new Playhead(clock);

export function renderNowPlaying(np) {
  $('np-title').textContent = np ? np.entry.track.title : 'Nothing yet';
  $('np-artists').textContent = np ? np.entry.track.artists.join(', ') : 'Press play to start the queue.';
  $('np-dur').textContent = np ? time(np.entry.track.durationMs) : '0:00';
  $('np-state').textContent = np ? np.state.toLowerCase() : '';
  renderSkipVotes(np);
  const me = state.session.userId;
  // Like and Dislike are toggles: lit (and pressed, for screen readers) while this person's rating stands.
  setPressed($('like'), !!np?.likes.includes(me));
  setPressed($('dislike'), !!np?.dislikes.includes(me));
  setPressed($('vote-skip'), !!np?.skipVoters.includes(me));
  for (const id of ['like', 'dislike', 'vote-skip']) $(id).disabled = !np;
}

// "Vote skip (1 of 2 votes)": the room skips when a majority of the members here vote; the server keeps the threshold
// in step with who is present.
function renderSkipVotes(np) {
  const votes = np?.skipVoters.length ?? 0;
  const needed = np?.skipVotesNeeded ?? 0;
  $('skip-votes').textContent = np ? `(${votes} of ${needed} ${needed === 1 ? 'vote' : 'votes'})` : '';
  $('vote-skip').title = np
    ? `The track is skipped when ${needed} ${needed === 1 ? 'member votes' : 'members vote'}: more than half of those here.`
    : 'Nothing is playing.';
}

function setPressed(button, pressed) {
  button.classList.toggle('primary', pressed);
  button.setAttribute('aria-pressed', String(pressed));
}

// Called every animation frame.
export function drawProgress(np) {
  if (np) {
    const position = playhead.positionMs();
    const duration = np.entry.track.durationMs;
    $('np-bar').style.width = `${(100 * position / duration).toFixed(2)}%`;
    $('np-pos').textContent = time(position);
    const seek = $('seek');
    if (document.activeElement !== seek) seek.value = String(Math.round(1000 * position / duration));
  } else {
    $('np-bar').style.width = '0';
    $('np-pos').textContent = '0:00';
  }
}
