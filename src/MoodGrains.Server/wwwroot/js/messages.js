// The page's error and notice boxes.
import { $ } from './dom.js';
import { state } from './state.js';

// Hub errors read "... HubException: <Code>: <message>"; show the code and the sentence, not SignalR's prefix.
export function showError(error) {
  const text = String(error?.message ?? error);
  const marker = text.indexOf('HubException: ');
  const message = marker >= 0 ? text.slice(marker + 'HubException: '.length) : text;
  state.lastError = message;
  $('error').dataset.code = message.split(':')[0];
  flash('error', message);
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
