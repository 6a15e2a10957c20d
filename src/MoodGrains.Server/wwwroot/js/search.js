// Catalogue search in a room; each result can be added to the queue.
import { call } from './connection.js';
import { $, button } from './dom.js';
import { state } from './state.js';

export async function search(event) {
  event.preventDefault();
  const query = $('search').value.trim();
  if (!query) return;
  const results = await call('SearchTracks', state.roomCode, query);
  $('search-results').replaceChildren(...results.map(track => {
    const li = document.createElement('li');
    const text = document.createElement('span');
    text.className = 'track';
    text.textContent = `${track.title} — ${track.artists.join(', ')}`;
    li.append(text, button('Add', () => call('AddTrack', state.roomCode, track.trackId)));
    return li;
  }));
}
