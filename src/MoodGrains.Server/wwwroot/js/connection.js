// The /hubs/room connection: automatic reconnect, server clock sync, and hub calls that show their errors.
import { ClockSync } from './clock.js';
import { $ } from './dom.js';
import { showError } from './messages.js';
import { state } from './state.js';

const signalR = window.signalR;
let connection;

export const clock = new ClockSync(ms => connection.invoke('Ping', ms));

// A hub call whose failure the caller handles itself.
export function invoke(method, ...args) {
  return connection.invoke(method, ...args);
}

// A hub call whose failure is shown to the user (and still rethrown, so the caller can undo a control).
export async function call(method, ...args) {
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

// handlers maps hub client method names (RoomUpdated, MoodUpdated, ...) to functions; onReconnected runs after the
// clock is synced again, to resync the room.
export async function connect(handlers, onReconnected) {
  connection = new signalR.HubConnectionBuilder()
    .withUrl('hubs/room', { accessTokenFactory: () => state.session.token })
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  for (const [method, handler] of Object.entries(handlers)) connection.on(method, handler);
  connection.onreconnecting(() => setConnection('reconnecting'));
  connection.onreconnected(async () => {
    setConnection('connected');
    await clock.sync().catch(() => {});
    await onReconnected();
  });
  connection.onclose(() => setConnection('offline'));
  await connection.start();
  setConnection('connected');
  await clock.sync();
  setInterval(() => { if (connection.state === 'Connected') clock.sync().catch(() => {}); }, 30_000);
}
