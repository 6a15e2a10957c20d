// The room's mood line and the valence/arousal chart, fed by the room snapshot and by MoodUpdated pushes.
import { MoodChart } from '../chart.js';
import { $ } from '../dom.js';
import { state } from '../state.js';
import { feeling } from './feelings.js';
import { colourOf, setMemberMood } from './members.js';

const chart = new MoodChart($('mood-chart'));

export function addTimeline(timeline) {
  for (const sample of timeline) chart.addRoom(Date.parse(sample.at), sample.point);
}

export function renderMood(mood, sample) {
  state.moodUpdates++;
  const line = $('room-mood');
  if (mood.confidence > 0) {
    line.textContent = `Room feels ${feeling(mood.dominant)} · valence ${mood.point.valence.toFixed(2)}, arousal ${mood.point.arousal.toFixed(2)} · disagreement ${mood.disagreement.toFixed(2)}`;
    line.dataset.dominant = mood.dominant;
  }
  if (sample) chart.addRoom(Date.parse(sample.at), sample.point);
  const at = Date.parse(mood.at);
  for (const member of mood.members) {
    if (member.mood.confidence > 0) chart.addMember(member.userId, at, member.mood.point);
    const li = document.querySelector(`#members li[data-user-id="${CSS.escape(member.userId)}"]`);
    if (li) setMemberMood(li, member.mood);
  }
}

// Called every animation frame while a room is shown.
export function drawChart() {
  chart.draw(Date.now(), colourOf);
}
