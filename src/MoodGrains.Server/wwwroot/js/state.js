// What the page knows: the guest session, the room on screen and a few counters the browser tests read.
export const state = {
  session: null,
  room: null,
  roomCode: null,
  framesSent: 0,
  lastFrameOutcome: null,
  moodUpdates: 0,
  lastError: null,
  lastInvite: null,
};

export const isHost = () => state.room && state.room.hostUserId === state.session.userId;
