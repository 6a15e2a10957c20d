// The room's mood line and the valence/arousal chart, fed by the room snapshot and by MoodUpdated pushes.
import { MoodChart } from '../chart.js';
import { $ } from '../dom.js';
import { state } from '../state.js';
import { describeReading } from './feelings.js';
import { colourOf, setMemberMood } from './members.js';

export const chart = new MoodChart($('mood-chart'));

// The room's timeline (kept by the room, sent with every snapshot) refills the chart after a reload: the room's line and
// each member's.
export function addTimeline(timeline) {
  for (const sample of timeline) {
    const at = Date.parse(sample.at);
    chart.addRoom(at, sample.point);
    for (const member of sample.members ?? []) chart.addMember(member.userId, at, member.point);
  }
}

export function renderMood(mood, sample) {
  state.moodUpdates++;
  const line = $('room-mood');
  if (mood.confidence > 0) {
    // A solo session is one person: it is your mood, not a room's.
    const who = state.room?.isSolo ? 'You feel' : 'Room feels';
    const reading = describeReading(mood.scores.probabilities);
    line.textContent = `${who} ${reading.text} · valence ${mood.point.valence.toFixed(2)}, arousal ${mood.point.arousal.toFixed(2)}` +
      (state.room?.isSolo ? '' : ` · disagreement ${mood.disagreement.toFixed(2)}`);
    line.dataset.dominant = mood.dominant;
    line.dataset.sure = String(reading.sure);
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
