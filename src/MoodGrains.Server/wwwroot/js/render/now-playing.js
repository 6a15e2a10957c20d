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
  $('skip-votes').textContent = np ? `${np.skipVoters.length}/${np.skipVotesNeeded}` : '';
  const me = state.session.userId;
  $('like').classList.toggle('primary', !!np?.likes.includes(me));
  $('dislike').classList.toggle('primary', !!np?.dislikes.includes(me));
  $('vote-skip').classList.toggle('primary', !!np?.skipVoters.includes(me));
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
