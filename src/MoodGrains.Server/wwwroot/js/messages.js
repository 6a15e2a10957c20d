// The page's error and notice boxes.
import { $ } from './dom.js';
import { state } from './state.js';

// What a person reads for each refusal the server can send. The server's own sentence is kept where it already says
// what to do (it names the reason, e.g. a locked queue); these replace sentences that would only puzzle.
const plain = {
  RoomNotFound: 'There is no open room with that code. Check the code, or start a room of your own.',
  AlreadyMember: 'You are already in this room.',
  NotMember: 'You are not in this room any more. Join it again with its code.',
  RoomFull: 'This room is full.',
};

// Hub errors read "... HubException: <Code>: <message>": the code goes to data-code (for tests and styling) and the
// person sees only a plain sentence, never SignalR's prefix or the code.
export function showError(error) {
  const text = String(error?.message ?? error);
  const marker = text.indexOf('HubException: ');
  const message = marker >= 0 ? text.slice(marker + 'HubException: '.length) : text;
  const match = /^([A-Z][A-Za-z]+): (.*)$/s.exec(message);
  const code = match ? match[1] : '';
  const sentence = match ? plain[code] ?? match[2] : message;
  state.lastError = sentence;
  $('error').dataset.code = code;
  flash('error', sentence);
}

// Good news in its own green box, so it never reads as a failure.
export function showNotice(message) {
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
