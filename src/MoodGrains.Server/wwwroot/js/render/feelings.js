// Emotion names as the page says them; the order is the server's canonical emotion order.
const adjectives = { Angry: 'angry', Disgust: 'disgusted', Fear: 'fearful', Happy: 'happy', Sad: 'sad', Surprise: 'surprised', Neutral: 'neutral' };
const emotions = ['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral'];

export const feeling = name => adjectives[name] ?? String(name).toLowerCase();
export const emotionIndex = name => emotions.indexOf(name);
