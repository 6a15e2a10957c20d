// NTP-style estimate of the server clock from Ping round trips. Only the fastest round trips are trusted: a slow one
// was delayed on one leg or the other by an unknown share, so its midpoint says little about the true offset.

const now = () => performance.timeOrigin + performance.now();

export class ClockSync {
  constructor(ping, { samples = 8, keep = 3, history = 24 } = {}) {
    this.ping = ping;
    this.samples = samples;
    this.keep = keep;
    this.history = history;
    this.pool = [];
    this.offsetMs = 0;
    this.rttMs = NaN;
  }

  clientNow() { return now(); }

  serverNow() { return now() + this.offsetMs; }

  async sync() {
    for (let i = 0; i < this.samples; i++) {
      const sent = now();
      const reply = await this.ping(Math.round(sent));
      const received = now();
      const rtt = received - sent;
      this.pool.push({ rtt, offset: reply.serverMs - (sent + received) / 2 });
    }
    this.pool = this.pool.slice(-this.history);
    const best = [...this.pool].sort((a, b) => a.rtt - b.rtt).slice(0, this.keep);
    const offsets = best.map(s => s.offset).sort((a, b) => a - b);
    this.offsetMs = offsets[Math.floor(offsets.length / 2)];
    this.rttMs = best[0].rtt;
    return this.offsetMs;
  }
}

// The local playhead behaves like a media element: it runs on the local clock and is re-anchored to the room's
// server-clock position only when it drifts beyond the tolerance, so small estimate changes never cause seek loops.
export class Playhead {
  constructor(clock, toleranceMs = 40) {
    this.clock = clock;
    this.toleranceMs = toleranceMs;
    this.nowPlaying = null;
    this.local = null;
    this.corrections = 0;
  }

  setNowPlaying(np) {
    const changed = !np || !this.nowPlaying || np.entry.entryId !== this.nowPlaying.entry.entryId;
    this.nowPlaying = np;
    if (changed) this.local = null;
  }

  target(serverMs = this.clock.serverNow()) {
    const np = this.nowPlaying;
    if (!np) return 0;
    const playing = np.state === 'Playing';
    const position = np.anchorPositionMs + (playing ? serverMs - np.anchorServerMs : 0);
    return Math.max(0, Math.min(position, np.entry.track.durationMs));
  }

  get playing() { return this.nowPlaying?.state === 'Playing'; }

  positionMs() {
    if (!this.nowPlaying) return 0;
    const target = this.target();
    const clientNow = this.clock.clientNow();
    if (this.local) {
      const local = this.local.positionMs + (this.local.playing ? clientNow - this.local.clientMs : 0);
      const clamped = Math.max(0, Math.min(local, this.nowPlaying.entry.track.durationMs));
      if (this.local.playing === this.playing && Math.abs(clamped - target) <= this.toleranceMs) return clamped;
      this.corrections++;
    }
    this.local = { positionMs: target, clientMs: clientNow, playing: this.playing };
    return target;
  }
}
