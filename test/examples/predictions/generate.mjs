#!/usr/bin/env node
// Writes the example prediction sets beside this file. Deterministic: the same files every run.
//   node test/examples/predictions/generate.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let seed = 20240601;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (lo, hi) => lo + random() * (hi - lo);
const shuffle = (rows) => {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
};
const quote = (text) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const write = (name, header, rows) => writeFileSync(join(here, name), `${header.join(',')}\n${rows.map((r) => r.map((c) => (typeof c === 'string' ? quote(c) : String(c))).join(',')).join('\n')}\n`);

// The accuracy paradox: 98% accuracy, but the filter catches 12% of the spam (24 of 200).
{
  const hamText = () => `${pick(['Meeting moved to', 'Lunch at', 'Call me at', 'Pick up the kids at', 'Standup starts at', 'Dentist at'])} ${1 + Math.floor(random() * 11)}${pick(['am', 'pm'])}, ${pick(['thanks', 'see you', 'ok?', 'cheers', 'love you'])}`;
  const spamText = () => `${pick(['WINNER!', 'URGENT:', 'Congratulations,', 'FREE entry:', 'Final notice:'])} ${pick(['claim your prize', 'your account is locked', 'you won a cruise', 'cheap loans today', 'reply STOP to win'])} ${pick(['now', 'at bit.ly/x' + Math.floor(random() * 900 + 100), 'txt CLAIM to 80082', 'before midnight'])}`;
  const rows = [];
  const add = (count, label, predicted, text, lo, hi) => {
    for (let i = 0; i < count; i++) rows.push([label, predicted, Number(between(lo, hi).toFixed(4)), text()]);
  };
  add(9776, 'ham', 'ham', hamText, 0.001, 0.42);
  add(24, 'ham', 'spam', hamText, 0.5, 0.7);
  add(176, 'spam', 'ham', spamText, 0.12, 0.4999);
  add(24, 'spam', 'spam', spamText, 0.5, 0.97);
  write('spam_accuracy_paradox.csv', ['label', 'predicted', 'p_spam', 'text', 'id'], shuffle(rows).map((r, i) => [`msg-${String(i + 1).padStart(5, '0')}`, ...r]).map(([id, ...rest]) => [...rest, id]));
}

// Binary labels with scores from a model that separates the classes fairly well; no prediction
// column, so predictions come from the threshold (0.5 unless moved).
{
  const rows = [];
  for (let i = 0; i < 2000; i++) {
    const y = random() < 0.35 ? 1 : 0;
    const z = (random() + random() + random() - 1.5) * 2.2 + (y ? 1.1 : -1.1);
    rows.push([`review-${i + 1}`, y, Number((1 / (1 + Math.exp(-z))).toFixed(5))]);
  }
  write('review_sentiment_scores.csv', ['id', 'y_true', 'score'], rows);
}

// Twenty intents, text labels, with the usual confusions between neighbours.
{
  const intents = ['add_to_playlist', 'alarm_set', 'book_flight', 'book_restaurant', 'calendar_query', 'cancel_order', 'check_balance', 'currency_convert', 'find_recipe', 'greeting', 'lights_off', 'lights_on', 'music_play', 'news_query', 'order_status', 'play_podcast', 'reminder_set', 'timer_set', 'translate', 'weather_query'];
  const neighbours = { alarm_set: 'timer_set', timer_set: 'reminder_set', reminder_set: 'alarm_set', lights_on: 'lights_off', lights_off: 'lights_on', music_play: 'play_podcast', play_podcast: 'music_play', order_status: 'cancel_order', book_flight: 'book_restaurant' };
  const rows = [];
  for (let i = 0; i < 3000; i++) {
    const truth = intents[Math.min(intents.length - 1, Math.floor(Math.pow(random(), 1.3) * intents.length))];
    let predicted = truth;
    const roll = random();
    if (roll < 0.12 && neighbours[truth]) predicted = neighbours[truth];
    else if (roll < 0.17) predicted = pick(intents);
    rows.push([`please ${truth.replace(/_/g, ' ')} #${i + 1}`, truth, predicted]);
  }
  write('intents_20_classes.csv', ['utterance', 'label', 'predicted'], rows);
}

// A sensor forecast: regression with heteroscedastic errors and a few outliers.
{
  const rows = [];
  for (let i = 0; i < 1500; i++) {
    const truth = 20 + 8 * Math.sin(i / 40) + (random() - 0.5) * 3;
    let error = (random() + random() + random() - 1.5) * (0.4 + Math.abs(truth - 20) * 0.08);
    if (random() < 0.01) error += (random() < 0.5 ? -1 : 1) * between(4, 8);
    rows.push([Number(truth.toFixed(3)), Number((truth + error).toFixed(3))]);
  }
  write('sensor_forecast_regression.csv', ['y_true', 'y_pred'], rows);
}
