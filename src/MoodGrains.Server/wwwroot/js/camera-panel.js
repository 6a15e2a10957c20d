// The camera panel: turning the webcam on and off, sending its frames over the hub, and what the server made of them.
import { Camera } from './camera.js';
import { invoke } from './connection.js';
import { $ } from './dom.js';
import { showError } from './messages.js';
import { describeReading } from './render/feelings.js';
import { state } from './state.js';

export const camera = new Camera($('preview'), sendFrame, showCameraStatus);

async function sendFrame(base64) {
  const outcome = await invoke('SendFrame', base64);
  state.framesSent++;
  state.lastFrameOutcome = outcome;
  showCameraStatus(outcome);
}

function showCameraStatus(outcome, error) {
  const status = $('camera-status');
  if (error) { status.textContent = `Frame not sent: ${error.message ?? error}`; return; }
  status.dataset.status = outcome.status;
  // A camera reading replaces a hand-picked mood on the server: clear the selector too, so picking the same feeling
  // again is a change the page sends (a select only reports changes).
  if (outcome.status === 'Ok' && outcome.mood && $('manual-mood').value) $('manual-mood').value = '';
  status.textContent = outcome.status === 'Ok' && outcome.mood
    ? `You look ${describeReading(outcome.mood.scores.probabilities).text} (${state.framesSent} frames sent)`
    : `${outcome.status}${outcome.detail ? ': ' + outcome.detail : ''} (${state.framesSent} frames sent)`;
}

export async function toggleCamera() {
  const toggle = $('camera-toggle');
  if (camera.on) {
    camera.stop();
    $('preview').hidden = true;
    toggle.textContent = 'Turn camera on';
    $('camera-status').textContent = 'Camera off';
    return;
  }
  try {
    toggle.disabled = true;
    $('camera-status').textContent = 'Asking for the camera…';
    $('preview').hidden = false;
    await camera.start(Number($('fps').value));
    toggle.textContent = 'Turn camera off';
  } catch (e) {
    $('preview').hidden = true;
    $('camera-status').textContent = 'No camera available: pick your mood by hand below.';
    showError(`Camera unavailable: ${e.message ?? e}`);
  } finally {
    toggle.disabled = false;
  }
}
