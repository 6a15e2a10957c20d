// Inviting someone into the room on screen: a link to copy, and the same link as a QR code for a phone nearby.
import { $ } from './dom.js';
import { showError, showNotice } from './messages.js';
import { api } from './session.js';
import { state } from './state.js';

let qrUrl = null;

export const inviteLink = () => `${location.origin}${location.pathname}?room=${encodeURIComponent(state.roomCode)}`;

// The clipboard API needs a secure context and permission; where it is missing the link is shown, selected, to copy by hand.
export async function copyInvite() {
  const link = inviteLink();
  const box = $('invite-link');
  box.value = link;
  try {
    await navigator.clipboard.writeText(link);
    box.hidden = true;
    showNotice('Invite link copied: send it to your friends.');
  } catch {
    box.hidden = false;
    box.focus();
    box.select();
    showNotice('Copy this link and send it to your friends.');
  }
  state.lastInvite = link;
}

export async function toggleQr() {
  const img = $('invite-qr');
  const button = $('show-qr');
  if (!img.hidden) {
    img.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  const response = await api(`api/rooms/${encodeURIComponent(state.roomCode)}/invite.svg`);
  if (!response.ok) {
    showError('The QR code could not be made just now; copy the link instead.');
    return;
  }
  if (qrUrl) URL.revokeObjectURL(qrUrl);
  qrUrl = URL.createObjectURL(await response.blob());
  img.src = qrUrl;
  img.hidden = false;
  button.setAttribute('aria-expanded', 'true');
}

export function hideInvite() {
  $('invite-qr').hidden = true;
  $('invite-link').hidden = true;
  $('show-qr').setAttribute('aria-expanded', 'false');
}
