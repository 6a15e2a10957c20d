// The member list: colour, name, host and "you" badges, current mood, and the host's per-member buttons.
import { memberColours } from '../chart.js';
import { call } from '../connection.js';
import { $, badge, button } from '../dom.js';
import { isHost, state } from '../state.js';
import { describeReading, feeling } from './feelings.js';

const colourByUser = new Map();

// A member keeps their colour for the life of the page, in the list and in the chart.
export function colourOf(userId) {
  if (!colourByUser.has(userId)) colourByUser.set(userId, memberColours[colourByUser.size % memberColours.length]);
  return colourByUser.get(userId);
}

export function renderMembers(snapshot) {
  const host = isHost();
  const moods = new Map(snapshot.mood.members.map(m => [m.userId, m.mood]));
  const list = $('members');
  list.replaceChildren(...snapshot.members.map(member => {
    const li = document.createElement('li');
    li.dataset.userId = member.userId;
    const swatch = document.createElement('span');
    swatch.className = 'sw';
    swatch.style.background = colourOf(member.userId);
    swatch.style.height = '12px';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = member.displayName;
    li.append(swatch, name);
    if (member.userId === snapshot.hostUserId && !snapshot.isSolo) li.append(badge('host', 'host'));
    if (member.userId === state.session.userId) li.append(badge('you'));
    const away = (snapshot.away || []).includes(member.userId);
    li.classList.toggle('away', away);
    if (away) li.append(badge('away', 'away'));
    const mood = document.createElement('span');
    mood.className = 'badge mood';
    li.append(mood);
    setMemberMood(li, moods.get(member.userId));
    if (host && member.userId !== state.session.userId) {
      li.append(
        button('Make host', () => call('TransferHost', snapshot.code, member.userId)),
        button('Remove', () => call('RemoveMember', snapshot.code, member.userId)));
    }
    return li;
  }));
}

export function setMemberMood(li, mood) {
  const span = li.querySelector('.mood');
  if (!mood || mood.confidence <= 0) {
    span.textContent = 'no reading';
    delete li.dataset.dominant;
    return;
  }
  // A hand-picked mood is the member's word, not a reading: say so instead of a percentage.
  if (mood.manual) {
    span.textContent = `${feeling(mood.dominant)} (picked)`;
    li.dataset.sure = 'true';
  } else {
    const reading = describeReading(mood.scores.probabilities);
    span.textContent = reading.text;
    li.dataset.sure = String(reading.sure);
  }
  li.dataset.dominant = mood.dominant;
  li.dataset.manual = String(!!mood.manual);
}
