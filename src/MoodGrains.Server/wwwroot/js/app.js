// The MoodGrains page: guest session, room hub connection, and rendering of room state. User text is always set
// through textContent so names and titles can never inject markup.
import { ClockSync, Playhead } from './clock.js';
import { MoodChart, memberColours } from './chart.js';
import { Camera } from './camera.js';

const $ = id => document.getElementById(id);
const signalR = window.signalR;

const state = {
  session: null,
  room: null,
  roomCode: null,
  framesSent: 0,
  lastFrameOutcome: null,
  moodUpdates: 0,
  lastError: null,
};

let connection;
const clock = new ClockSync(ms => connection.invoke('Ping', ms));
const playhead = new Playhead(clock);
const chart = new MoodChart($('mood-chart'));
const camera = new Camera($('preview'), sendFrame, showCameraStatus);
const colourByUser = new Map();

// What the end-to-end tests read.
window.moodgrains = {
  playheadMs: () => playhead.positionMs(),
  serverNow: () => clock.serverNow(),
  // The playhead extrapolated to a given server time, so pages can be compared at one instant.
  playheadAtServer: serverMs => {
    const serverNow = clock.serverNow();
    const position = playhead.positionMs();
    return playhead.playing ? position + (serverMs - serverNow) : position;
  },
  // Pages on one machine share the real clock: reading every page at one local instant shows how far apart their
  // server-clock estimates put the track (the loopback sync measurement).
  clientNow: () => clock.clientNow(),
  playheadAtClient: clientMs => {
    const clientNow = clock.clientNow();
    const position = playhead.positionMs();
    return playhead.playing ? position + (clientMs - clientNow) : position;
  },
  get clockOffsetMs() { return clock.offsetMs; },
  get clockRttMs() { return clock.rttMs; },
  get roomCode() { return state.roomCode; },
  get userId() { return state.session?.userId; },
  get framesSent() { return state.framesSent; },
  get lastFrameOutcome() { return state.lastFrameOutcome; },
  get moodUpdates() { return state.moodUpdates; },
  get room() { return state.room; },
  get lastError() { return state.lastError; },
  get corrections() { return playhead.corrections; },
};

async function session() {
  const stored = JSON.parse(localStorage.getItem('moodgrains.session') || 'null');
  if (stored && Date.parse(stored.expiresAt) > Date.now() + 60_000) return stored;
  const response = await fetch('api/session', { method: 'POST' });
  if (!response.ok) throw new Error(`Could not start a guest session (${response.status}).`);
  const created = await response.json();
  localStorage.setItem('moodgrains.session', JSON.stringify(created));
  return created;
}

function api(path, init = {}) {
  return fetch(path, { ...init, headers: { ...init.headers, Authorization: `Bearer ${state.session.token}` } });
}

// Hub errors read "... HubException: <Code>: <message>"; show the code and the sentence, not SignalR's prefix.
function showError(error) {
  const text = String(error?.message ?? error);
  const marker = text.indexOf('HubException: ');
  const message = marker >= 0 ? text.slice(marker + 'HubException: '.length) : text;
  state.lastError = message;
  $('error').dataset.code = message.split(':')[0];
  flash('error', message);
}

// Good news in its own green box, so it never reads as a failure.
function showNotice(message) {
  flash('notice', message);
}

// Shows a message box for 8 s; a click dismisses it sooner.
function flash(id, message) {
  const box = $(id);
  box.textContent = message;
  box.hidden = false;
  clearTimeout(flash.timers[id]);
  flash.timers[id] = setTimeout(() => { box.hidden = true; }, 8000);
}
flash.timers = {};

async function call(method, ...args) {
  try {
    return await connection.invoke(method, ...args);
  } catch (e) {
    showError(e);
    throw e;
  }
}

function setConnection(text) {
  const pill = $('connection');
  pill.textContent = text;
  pill.dataset.state = text;
}

async function connect() {
  connection = new signalR.HubConnectionBuilder()
    .withUrl('hubs/room', { accessTokenFactory: () => state.session.token })
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on('RoomUpdated', snapshot => { if (snapshot.code === state.roomCode) render(snapshot); });
  connection.on('MoodUpdated', update => { if (update.code === state.roomCode) renderMood(update.mood, update.sample); });
  connection.on('SpotifyPlayback', notice => {
    if (notice.roomCode !== state.roomCode) return;
    $('spotify-playback').textContent = notice.message;
    $('spotify-playback').classList.toggle('error', !notice.ok);
  });
  connection.on('RemovedFromRoom', code => {
    if (code !== state.roomCode) return;
    leftRoom();
    showError('You were removed from the room.');
  });
  connection.onreconnecting(() => setConnection('reconnecting'));
  connection.onreconnected(async () => {
    setConnection('connected');
    await clock.sync().catch(() => {});
    if (state.roomCode) await resume(state.roomCode);
  });
  connection.onclose(() => setConnection('offline'));
  await connection.start();
  setConnection('connected');
  await clock.sync();
  setInterval(() => { if (connection.state === 'Connected') clock.sync().catch(() => {}); }, 30_000);
}

async function resume(code) {
  try {
    enterRoom(await connection.invoke('ResumeRoom', code));
  } catch (e) {
    leftRoom();
    showError(e);
  }
}

function displayName() {
  const name = $('display-name').value.trim();
  localStorage.setItem('moodgrains.name', name);
  return name || 'Guest';
}

function enterRoom(snapshot) {
  state.roomCode = snapshot.code;
  sessionStorage.setItem('moodgrains.room', snapshot.code);
  history.replaceState(null, '', `?room=${encodeURIComponent(snapshot.code)}`);
  $('landing').hidden = true;
  $('room').hidden = false;
  const label = $('room-label');
  label.textContent = snapshot.isSolo ? 'Solo session' : `Room ${snapshot.code}`;
  label.hidden = false;
  for (const sample of snapshot.timeline) chart.addRoom(Date.parse(sample.at), sample.point);
  render(snapshot);
  renderMood(snapshot.mood, null);
  refreshSpotify();
}

function leftRoom() {
  state.roomCode = null;
  state.room = null;
  sessionStorage.removeItem('moodgrains.room');
  history.replaceState(null, '', location.pathname);
  camera.stop();
  $('room').hidden = true;
  $('room-label').hidden = true;
  $('landing').hidden = false;
}

const policies = {
  Match: 'The music matches the room\'s mood.',
  Boost: 'The host is lifting the mood: brighter music.',
  Calm: 'The host is calming the room: gentler music.',
};

const isHost = () => state.room && state.room.hostUserId === state.session.userId;

function render(snapshot) {
  // Pushes can overtake replies; never go back to an older version of the room.
  if (state.room && state.room.code === snapshot.code && snapshot.version < state.room.version) return;
  state.room = snapshot;
  playhead.setNowPlaying(snapshot.nowPlaying);
  const host = isHost();
  $('host-panel').hidden = !host;
  $('queue-locked').checked = snapshot.queueLocked;
  $('guest-controls').checked = snapshot.guestControls;
  $('queue-locked-note').hidden = !snapshot.queueLocked;
  $('policy').value = snapshot.policy;
  // Guests never see the host panel's selector, yet the policy explains the queue they see.
  $('room-policy').textContent = policies[snapshot.policy] ?? `Mood policy: ${snapshot.policy}`;
  $('room-policy').dataset.policy = snapshot.policy;
  $('spotify-listen').checked = snapshot.spotifyListeners.includes(state.session.userId);
  renderNowPlaying(snapshot.nowPlaying);
  renderMembers(snapshot);
  renderQueue(snapshot, host);
}

function renderNowPlaying(np) {
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

function colourOf(userId) {
  if (!colourByUser.has(userId)) colourByUser.set(userId, memberColours[colourByUser.size % memberColours.length]);
  return colourByUser.get(userId);
}

function renderMembers(snapshot) {
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
    if (member.userId === snapshot.hostUserId) li.append(badge('host', 'host'));
    if (member.userId === state.session.userId) li.append(badge('you'));
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

function setMemberMood(li, mood) {
  const span = li.querySelector('.mood');
  if (!mood || mood.confidence <= 0) {
    span.textContent = 'no reading';
    delete li.dataset.dominant;
    return;
  }
  span.textContent = `${feeling(mood.dominant)} ${Math.round(mood.scores.probabilities[emotionIndex(mood.dominant)] * 100)}%`;
  li.dataset.dominant = mood.dominant;
}

const adjectives = { Angry: 'angry', Disgust: 'disgusted', Fear: 'fearful', Happy: 'happy', Sad: 'sad', Surprise: 'surprised', Neutral: 'neutral' };
const feeling = name => adjectives[name] ?? String(name).toLowerCase();
const emotions = ['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral'];
const emotionIndex = name => emotions.indexOf(name);

function renderQueue(snapshot, host) {
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
    return li;
  }));
  if (!snapshot.queue.length) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = 'The queue is filling…';
    list.append(li);
  }
}

function renderMood(mood, sample) {
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

function badge(text, extra = '') {
  const span = document.createElement('span');
  span.className = `badge ${extra}`;
  span.textContent = text;
  return span;
}

function button(text, onClick, title) {
  const b = document.createElement('button');
  b.textContent = text;
  if (title) b.title = title;
  b.addEventListener('click', () => onClick().catch(() => {}));
  return b;
}

function time(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

async function sendFrame(base64) {
  const outcome = await connection.invoke('SendFrame', base64);
  state.framesSent++;
  state.lastFrameOutcome = outcome;
  showCameraStatus(outcome);
}

function showCameraStatus(outcome, error) {
  const status = $('camera-status');
  if (error) { status.textContent = `Frame not sent: ${error.message ?? error}`; return; }
  status.dataset.status = outcome.status;
  status.textContent = outcome.status === 'Ok' && outcome.mood
    ? `You look ${feeling(outcome.mood.dominant)} (${state.framesSent} frames sent)`
    : `${outcome.status}${outcome.detail ? ': ' + outcome.detail : ''} (${state.framesSent} frames sent)`;
}

async function toggleCamera() {
  const toggle = $('camera-toggle');
  if (camera.on) {
    camera.stop();
    toggle.textContent = 'Turn camera on';
    $('camera-status').textContent = 'Camera off';
    return;
  }
  try {
    toggle.disabled = true;
    $('camera-status').textContent = 'Asking for the camera…';
    await camera.start(Number($('fps').value));
    toggle.textContent = 'Turn camera off';
  } catch (e) {
    $('camera-status').textContent = 'No camera available: pick your mood by hand below.';
    showError(`Camera unavailable: ${e.message ?? e}`);
  } finally {
    toggle.disabled = false;
  }
}

async function refreshSpotify() {
  const status = $('spotify-status');
  const connect = $('spotify-connect');
  try {
    const response = await api('api/spotify/status');
    const body = await response.json();
    connect.hidden = !body.enabled || body.linked;
    status.textContent = !body.enabled
      ? (body.message || 'Spotify is not configured on this server.')
      : body.linked ? `Connected as ${body.displayName ?? 'your Spotify account'}${body.message ? ' · ' + body.message : ''}` : 'Not connected.';
    $('spotify-follow').hidden = !(body.linked && body.premium && state.roomCode);
    if (!$('spotify-follow').hidden) await refreshDevices();
  } catch {
    status.textContent = 'Spotify status unavailable.';
  }
}

// The member's Spotify Connect devices, for playing the room on one of them (empty: their active device).
async function refreshDevices() {
  const response = await api('api/spotify/devices');
  if (!response.ok) return;
  const select = $('spotify-device');
  const chosen = select.value;
  const options = (await response.json()).map(device => {
    const option = document.createElement('option');
    option.value = device.id;
    option.textContent = `${device.name} (${device.type})`;
    return option;
  });
  select.replaceChildren(select.options[0], ...options);
  select.value = options.some(o => o.value === chosen) ? chosen : '';
}

function setSpotifyListening() {
  const enabled = $('spotify-listen').checked;
  call('SetSpotifyListening', state.roomCode, enabled, $('spotify-device').value || null)
    .catch(() => { $('spotify-listen').checked = false; });
}

async function connectSpotify() {
  const response = await api('api/spotify/login', { method: 'POST' });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    showError(problem.detail || 'Spotify is not configured on this server.');
    return;
  }
  location.href = (await response.json()).authorizeUrl;
}

async function search(event) {
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

function tick() {
  const np = state.room?.nowPlaying;
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
  if (state.room) chart.draw(Date.now(), colourOf);
  requestAnimationFrame(tick);
}

function wire() {
  const code = () => state.roomCode;
  $('create-room').addEventListener('click', () => call('CreateRoom', displayName(), false).then(enterRoom, () => {}));
  $('start-solo').addEventListener('click', () => call('CreateRoom', displayName(), true).then(enterRoom, () => {}));
  $('join-room').addEventListener('click', () => {
    const room = $('join-code').value.trim().toUpperCase();
    if (room) call('JoinRoom', room, displayName()).then(enterRoom, () => {});
  });
  $('join-code').addEventListener('keydown', e => { if (e.key === 'Enter') $('join-room').click(); });
  $('play').addEventListener('click', () => call('Play', code()).catch(() => {}));
  $('pause').addEventListener('click', () => call('Pause', code()).catch(() => {}));
  $('skip').addEventListener('click', () => call('Skip', code()).catch(() => {}));
  $('vote-skip').addEventListener('click', () => call('VoteSkip', code()).catch(() => {}));
  $('like').addEventListener('click', () => call('Rate', code(), true).catch(() => {}));
  $('dislike').addEventListener('click', () => call('Rate', code(), false).catch(() => {}));
  $('seek').addEventListener('change', e => {
    const np = state.room?.nowPlaying;
    // The slider's end is the track's end, which the room refuses as a position: stop one millisecond short.
    const duration = np?.entry.track.durationMs;
    if (np) call('Seek', code(), Math.min(duration - 1, Math.round(duration * Number(e.target.value) / 1000))).catch(() => {});
  });
  $('queue-locked').addEventListener('change', e => call('SetQueueLocked', code(), e.target.checked).catch(() => {}));
  $('guest-controls').addEventListener('change', e => call('SetGuestControls', code(), e.target.checked).catch(() => {}));
  $('policy').addEventListener('change', e => call('SetPolicy', code(), e.target.value).catch(() => {}));
  $('search-form').addEventListener('submit', e => search(e).catch(() => {}));
  $('camera-toggle').addEventListener('click', toggleCamera);
  $('fps').addEventListener('change', e => camera.setFps(Number(e.target.value)));
  $('manual-mood').addEventListener('change', e => {
    if (e.target.value) call('SetManualMood', e.target.value.toLowerCase()).catch(() => {});
  });
  $('spotify-connect').addEventListener('click', () => connectSpotify().catch(showError));
  $('spotify-listen').addEventListener('change', setSpotifyListening);
  $('spotify-device').addEventListener('change', () => { if ($('spotify-listen').checked) setSpotifyListening(); });
  for (const id of ['error', 'notice']) $(id).addEventListener('click', e => { e.currentTarget.hidden = true; });
  $('leave').addEventListener('click', () => call('LeaveRoom', code()).then(leftRoom, () => {}));
}

async function main() {
  wire();
  $('display-name').value = localStorage.getItem('moodgrains.name') || '';
  const params = new URLSearchParams(location.search);
  if (params.get('spotify') === 'connected') showNotice('Spotify connected.');
  else if (params.get('spotify')) showError(params.get('message') || 'Spotify login failed.');
  state.session = await session();
  try {
    await connect();
  } catch {
    // A token signed by an earlier server key is refused: start a fresh guest session once.
    localStorage.removeItem('moodgrains.session');
    state.session = await session();
    await connect();
  }
  const remembered = sessionStorage.getItem('moodgrains.room');
  if (remembered) {
    await resume(remembered);
  } else if (params.get('room')) {
    $('join-code').value = params.get('room');
  }
  document.body.dataset.ready = 'true';
  requestAnimationFrame(tick);
}

main().catch(showError);
