// Catalogue search in a room; each result can be added to the queue.
import { call } from './connection.js';
import { $, button } from './dom.js';
import { canAdd, lockedAddTitle } from './roles.js';
import { state } from './state.js';

export async function search(event) {
  event.preventDefault();
  const query = $('search').value.trim();
  if (!query) return;
  const results = await call('SearchTracks', state.roomCode, query);
  if (!results.length) {
    const li = document.createElement('li');
    li.className = 'muted no-results';
    li.textContent = `No results for “${query}”. Try an artist, a title or a genre.`;
    $('search-results').replaceChildren(li);
    return;
  }
  $('search-results').replaceChildren(...results.map(track => {
    const li = document.createElement('li');
    const text = document.createElement('span');
    text.className = 'track';
    text.textContent = `${track.title} — ${track.artists.join(', ')}`;
    const add = button('Add', () => canAdd() ? call('AddTrack', state.roomCode, track.trackId) : Promise.resolve());
    add.classList.add('add-track');
    li.append(text, add);
    return li;
  }));
  showAddable();
}

// A locked queue takes additions only from the host: a guest's Add buttons say so instead of being refused.
export function showAddable() {
  const allowed = canAdd();
  for (const add of document.querySelectorAll('#search-results button.add-track')) {
    add.disabled = !allowed;
    add.title = allowed ? 'Add to the queue' : lockedAddTitle;
  }
}
