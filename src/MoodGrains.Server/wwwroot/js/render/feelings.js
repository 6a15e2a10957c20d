// Emotion names as the page says them; the order is the server's canonical emotion order.
const adjectives = { Angry: 'angry', Disgust: 'disgusted', Fear: 'fearful', Happy: 'happy', Sad: 'sad', Surprise: 'surprised', Neutral: 'neutral' };
const emotions = ['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral'];

export const feeling = name => adjectives[name] ?? String(name).toLowerCase();
export const emotionIndex = name => emotions.indexOf(name);

// Below this top probability a reading is a guess: the page says "not sure" rather than naming one feeling.
export const notSureBelow = 0.45;
const alsoRanBelow = 0.045;

const percent = p => `${Math.round(p * 100)}%`;

// A reading with its uncertainty: the two likeliest feelings with their probabilities (the second only if it shows), and "not sure" when even the
// likeliest is a guess. probabilities are in the canonical emotion order.
export function describeReading(probabilities) {
  const ranked = emotions.map((name, i) => ({ name, p: probabilities[i] ?? 0 })).sort((a, b) => b.p - a.p);
  const [first, second] = ranked;
  // A runner-up under 5 % says nothing ("happy 100% · angry 0%"): the likeliest alone is then the whole reading.
  const pair = second.p < alsoRanBelow
    ? `${feeling(first.name)} ${percent(first.p)}`
    : `${feeling(first.name)} ${percent(first.p)} · ${feeling(second.name)} ${percent(second.p)}`;
  return { text: first.p < notSureBelow ? `not sure (${pair})` : pair, sure: first.p >= notSureBelow, top: first.name };
}
