// The room's queue ("up next"): each entry with its reason and who added it, and a note when nobody here can hear
// it. MoodGrains' own picks are a plan that follows the room's mood; a pick a re-plan brought in says what changed
// ("the room turned calmer"), and the one locked in to play next says so. The host can move (which pins) and remove
// entries.
import { call } from '../connection.js';
import { $, badge, button, time } from '../dom.js';

const capitalise = text => text.charAt(0).toUpperCase() + text.slice(1);

export function renderQueue(snapshot, host) {
  const list = $('queue');
  const note = $('plan-note');
  note.hidden = !snapshot.planNote;
  note.textContent = snapshot.planNote ? capitalise(snapshot.planNote) : '';
  const last = snapshot.queue.length - 1;
  list.replaceChildren(...snapshot.queue.map((entry, index) => {
    const li = document.createElement('li');
    li.dataset.entryId = entry.entryId;
    const planned = !entry.addedByUserId && !entry.pinned;
    li.dataset.planned = String(planned);
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
    if (entry.entryId === snapshot.committedEntryId) li.append(badge('next', 'committed'));
    if (entry.pinned) li.append(badge('pinned', 'pinned'));
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
    if (planned && entry.change) {
      li.classList.add('changed');
      const change = document.createElement('span');
      change.className = 'change';
      change.textContent = `re-planned: ${entry.change}`;
      li.append(change);
    }
    return li;
  }));
  if (!snapshot.queue.length) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = snapshot.planNote ? 'The first track is on its way…' : 'The queue is filling…';
    list.append(li);
  }
}
