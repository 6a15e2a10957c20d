// The room's queue: each entry with its reason, who added it, and a note when nobody here can hear it; the host can
// move and remove entries.
import { call } from '../connection.js';
import { $, button, time } from '../dom.js';

export function renderQueue(snapshot, host) {
  const list = $('queue');
  const last = snapshot.queue.length - 1;
  list.replaceChildren(...snapshot.queue.map((entry, index) => {
    const li = document.createElement('li');
    li.dataset.entryId = entry.entryId;
    const track = document.createElement('span');
    track.className = 'track';
    track.textContent = `${entry.track.title} — ${entry.track.artists.join(', ')}`;
    const duration = document.createElement('span');
    duration.className = 'muted';
    duration.textContent = time(entry.track.durationMs);
    const reason = document.createElement('span');
    reason.className = 'reason';
    // A person's addition already names them in its reason; a recommender pick says why, then who.
    reason.textContent = entry.addedByUserId ? entry.reason : `${entry.reason} · added by ${entry.addedBy}`;
    li.append(track, duration);
    if (host) {
      const up = button('↑', () => call('MoveEntry', snapshot.code, entry.entryId, index - 1));
      const down = button('↓', () => call('MoveEntry', snapshot.code, entry.entryId, index + 1));
      up.disabled = index === 0;
      down.disabled = index === last;
      up.title = 'Move up';
      down.title = 'Move down';
      li.append(up, down, button('✕', () => call('RemoveEntry', snapshot.code, entry.entryId), 'Remove from queue'));
    }
    li.append(reason);
    // Nobody in the room can hear this one (no audio here, nobody on Spotify): say so before it comes up silent.
    if (entry.note) {
      const note = document.createElement('span');
      note.className = 'note';
      note.textContent = entry.note;
      li.append(note);
    }
    return li;
  }));
  if (!snapshot.queue.length) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = 'The queue is filling…';
    list.append(li);
  }
}
