// The MoodGrains page's entry module: entering and leaving rooms, wiring the controls, and start-up.
// Each concern lives in its own module: state, session, connection, render/*, audio-player, camera-panel, spotify, search,
// testhook.
import { audioPlayer } from './audio-player.js';
import { camera, toggleCamera } from './camera-panel.js';
import { call, connect, invoke } from './connection.js';
import { $ } from './dom.js';
import { copyInvite, hideInvite, toggleQr } from './invite.js';
import { showError, showNotice } from './messages.js';
import { addTimeline, drawChart, renderMood } from './render/mood.js';
import { drawProgress } from './render/now-playing.js';
import { render } from './render/room.js';
import { canControl } from './roles.js';
import { search } from './search.js';
import { forgetSession, session } from './session.js';
import { connectSpotify, refreshSpotify, setSpotifyListening, showPlaybackNotice } from './spotify.js';
import { state } from './state.js';
import { installTestHook } from './testhook.js';

installTestHook();

// The hub's pushes; each names its room, and only the room on screen is drawn.
const pushes = {
  RoomUpdated: snapshot => { if (snapshot.code === state.roomCode) render(snapshot); },
  MoodUpdated: update => { if (update.code === state.roomCode) renderMood(update.mood, update.sample); },
  SpotifyPlayback: showPlaybackNotice,
  RemovedFromRoom: code => {
    if (code !== state.roomCode) return;
    leftRoom();
    showError('You were removed from the room.');
  },
};

// A control the room would refuse is disabled on the page; a stale click (before the snapshot arrived) is dropped too.
const control = method => () => { if (canControl()) call(method, state.roomCode).catch(() => {}); };

// After a reconnect the room may have moved on (or to another silo): take a full snapshot again.
async function resync() {
  if (state.roomCode) await resume(state.roomCode);
}

async function resume(code) {
  try {
    enterRoom(await invoke('ResumeRoom', code));
  } catch (e) {
    leftRoom();
    showError(e);
  }
}

// A failed Spotify login comes back with a fixed reason code; the words are the page's own, never the URL's.
const spotifyLoginErrors = new Map([
  ['declined', 'You declined the Spotify login.'],
  ['expired', 'The Spotify login took too long or was not started here. Please try again.'],
  ['browser', 'The Spotify login was finished in another browser than the one that started it. Please try again here.'],
]);

function displayName(input = $('display-name')) {
  const name = input.value.trim();
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
  hideInvite();
  addTimeline(snapshot.timeline);
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
  $('preview').hidden = true;
  $('camera-toggle').textContent = 'Turn camera on';
  $('room').hidden = true;
  $('room-label').hidden = true;
  $('landing').hidden = false;
  showStart();
}

// An invitation link (?room=CODE) asks only for a name, then joins in one step.
function showInvitation(room) {
  $('invite-title').textContent = `Join room ${room}`;
  $('invite-join').textContent = `Join room ${room}`;
  $('invite-join').dataset.room = room;
  $('invite-name').value = localStorage.getItem('moodgrains.name') || '';
  $('start').hidden = true;
  $('invite').hidden = false;
  $('invite-name').focus();
}

function showStart() {
  $('invite').hidden = true;
  $('start').hidden = false;
}

function joinInvited() {
  const room = $('invite-join').dataset.room;
  const name = displayName($('invite-name'));
  $('display-name').value = name === 'Guest' ? '' : name;
  return invoke('JoinRoom', room, name).then(enterRoom, e => {
    // Already in (the link opened in another tab): just resume the room.
    if (String(e?.message ?? e).includes('AlreadyMember')) return resume(room);
    // A stale or mistyped link: fall back to the start screen with the code ready to correct.
    showError(e);
    $('join-code').value = room;
    showStart();
    return undefined;
  });
}

// Like and Dislike toggle: pressing the lit one takes the rating back, pressing the other one switches to it.
function rate(liked) {
  const np = state.room?.nowPlaying;
  if (!np) return;
  const mine = (liked ? np.likes : np.dislikes).includes(state.session.userId);
  (mine ? call('ClearRating', state.roomCode) : call('Rate', state.roomCode, liked)).catch(() => {});
}

function tick() {
  drawProgress(state.room?.nowPlaying);
  if (state.room) drawChart();
  requestAnimationFrame(tick);
}

function wire() {
  audioPlayer.install();
  const code = () => state.roomCode;
  $('create-room').addEventListener('click', () => call('CreateRoom', displayName(), false).then(enterRoom, () => {}));
  $('start-solo').addEventListener('click', () => call('CreateRoom', displayName(), true).then(enterRoom, () => {}));
  $('join-room').addEventListener('click', () => {
    const room = $('join-code').value.trim().toUpperCase();
    if (room) call('JoinRoom', room, displayName()).then(enterRoom, () => {});
  });
  $('join-code').addEventListener('keydown', e => { if (e.key === 'Enter') $('join-room').click(); });
  $('invite-join').addEventListener('click', joinInvited);
  $('invite-name').addEventListener('keydown', e => { if (e.key === 'Enter') joinInvited(); });
  $('invite-elsewhere').addEventListener('click', () => {
    history.replaceState(null, '', location.pathname);
    $('display-name').value = $('invite-name').value;
    showStart();
  });
  $('copy-invite').addEventListener('click', copyInvite);
  $('show-qr').addEventListener('click', toggleQr);
  $('play').addEventListener('click', control('Play'));
  $('pause').addEventListener('click', control('Pause'));
  $('skip').addEventListener('click', control('Skip'));
  $('vote-skip').addEventListener('click', () => call('VoteSkip', code()).catch(() => {}));
  $('like').addEventListener('click', () => rate(true));
  $('dislike').addEventListener('click', () => rate(false));
  $('seek').addEventListener('change', e => {
    const np = state.room?.nowPlaying;
    // The slider's end is the track's end, which the room refuses as a position: stop one millisecond short.
    const duration = np?.entry.track.durationMs;
    if (np && canControl()) call('Seek', code(), Math.min(duration - 1, Math.round(duration * Number(e.target.value) / 1000))).catch(() => {});
  });
  $('queue-locked').addEventListener('change', e => call('SetQueueLocked', code(), e.target.checked).catch(() => {}));
  $('guest-controls').addEventListener('change', e => call('SetGuestControls', code(), e.target.checked).catch(() => {}));
  $('policy').addEventListener('change', e => call('SetPolicy', code(), e.target.value).catch(() => {}));
  $('search-form').addEventListener('submit', e => search(e).catch(() => {}));
  $('camera-toggle').addEventListener('click', toggleCamera);
  $('fps').addEventListener('change', e => camera.setFps(Number(e.target.value)));
  // The pick holds until changed, cleared ("—") or replaced by the camera.
  $('manual-mood').addEventListener('change', e => {
    (e.target.value ? call('SetManualMood', e.target.value.toLowerCase()) : call('ClearManualMood')).catch(() => {});
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
  else if (params.get('spotify')) showError(spotifyLoginErrors.get(params.get('reason')) ?? 'Spotify did not complete the login.');
  state.session = await session();
  try {
    await connect(pushes, resync);
  } catch {
    // A token signed by an earlier server key is refused: start a fresh guest session once.
    forgetSession();
    state.session = await session();
    await connect(pushes, resync);
  }
  const remembered = sessionStorage.getItem('moodgrains.room');
  if (remembered) {
    await resume(remembered);
    // A reload ends the camera stream and the browser does not restart it unasked: say so, not just "Camera off".
    if (state.roomCode) $('camera-status').textContent = 'Camera off after the reload — press “Turn camera on” to share your mood again.';
  } else if (params.get('room')) {
    showInvitation(params.get('room').trim().toUpperCase());
  }
  document.body.dataset.ready = 'true';
  requestAnimationFrame(tick);
}

main().catch(showError);
