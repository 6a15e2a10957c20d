// A small hand-drawn time chart: the room's valence and arousal, and each member's valence, over the last minutes.

const windowMs = 3 * 60 * 1000;
export const memberColours = ['#7c6cff', '#ff6bb5', '#4fc3f7', '#ffd54f', '#a1887f', '#81c784', '#e57373', '#ba68c8'];

export class MoodChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.room = [];
    this.members = new Map();
  }

  addRoom(atMs, point) { push(this.room, { t: atMs, v: point.valence, a: point.arousal }); }

  addMember(userId, atMs, point) {
    if (!this.members.has(userId)) this.members.set(userId, []);
    push(this.members.get(userId), { t: atMs, v: point.valence, a: point.arousal });
  }

  draw(nowMs, colourOf) {
    const c = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(200, Math.round(c.clientWidth * ratio));
    const height = Math.round(width * 0.32);
    if (c.width !== width || c.height !== height) { c.width = width; c.height = height; }
    const g = c.getContext('2d');
    g.clearRect(0, 0, width, height);
    const x = t => width - ((nowMs - t) / windowMs) * width;
    const y = v => height / 2 - v * (height / 2 - 6 * ratio);
    g.strokeStyle = '#2a3050';
    g.lineWidth = ratio;
    for (const v of [-0.5, 0, 0.5]) { g.beginPath(); g.moveTo(0, y(v)); g.lineTo(width, y(v)); g.stroke(); }
    g.fillStyle = '#9aa0c0';
    g.font = `${11 * ratio}px system-ui`;
    g.fillText('pleasant / excited', 4 * ratio, 13 * ratio);
    g.fillText('unpleasant / calm', 4 * ratio, height - 5 * ratio);
    for (const [userId, points] of this.members) {
      line(g, held(points, nowMs), x, y, p => p.v, colourOf(userId), ratio, [4 * ratio, 3 * ratio]);
    }
    const room = held(this.room, nowMs);
    line(g, room, x, y, p => p.a, '#ffb347', 2.5 * ratio, []);
    line(g, room, x, y, p => p.v, '#3ccf91', 2.5 * ratio, []);
  }

  // Whether the room's line shows at a moment, from how many samples since when, and how many samples each member's
  // line has (the tests read it through window.moodgrains).
  roomLineAt(nowMs) {
    const points = held(this.room, nowMs);
    return {
      visible: points.length >= 2 && points[points.length - 1].t >= nowMs - windowMs,
      samples: this.room.length,
      times: this.room.map(p => p.t),
      members: Object.fromEntries([...this.members].map(([userId, line]) => [userId, line.length])),
    };
  }
}

// A mood holds until the next reading: with cameras off no new samples come, and the last known value is drawn up to
// now instead of scrolling off the chart and leaving it blank.
function held(points, nowMs) {
  if (!points.length) return points;
  const last = points[points.length - 1];
  return last.t >= nowMs ? points : [...points, { ...last, t: nowMs }];
}

function push(points, p) {
  if (points.length && points[points.length - 1].t > p.t) return;
  points.push(p);
  while (points.length > 2 && points[1].t < p.t - windowMs) points.shift();
}

function line(g, points, x, y, value, colour, width, dash) {
  if (!points.length) return;
  g.strokeStyle = colour;
  g.lineWidth = width;
  g.setLineDash(dash);
  g.beginPath();
  points.forEach((p, i) => (i ? g.lineTo(x(p.t), y(value(p))) : g.moveTo(x(p.t), y(value(p)))));
  g.stroke();
  g.setLineDash([]);
}
