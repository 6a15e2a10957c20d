// Small DOM helpers. User text is always set through textContent so names and titles can never inject markup.
export const $ = id => document.getElementById(id);

export function badge(text, extra = '') {
  const span = document.createElement('span');
  span.className = `badge ${extra}`;
  span.textContent = text;
  return span;
}

export function button(text, onClick, title) {
  const b = document.createElement('button');
  b.textContent = text;
  if (title) b.title = title;
  b.addEventListener('click', () => onClick().catch(() => {}));
  return b;
}

export function time(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
