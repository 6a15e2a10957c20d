// Remakes docs/images/room.png: a host and two guests in one room, moods picked by hand (no webcam photo in the image).
// With a server on http://127.0.0.1:5198 (e.g. MOODGRAINS_NO_REDIS=1 ./run.sh --urls http://127.0.0.1:5198) and the
// end-to-end tests built once (dotnet build tests/MoodGrains.EndToEnd.Tests -c Release), from the repository root:
//   PW=$PWD/tests/MoodGrains.EndToEnd.Tests/bin/Release/net10.0/.playwright/package OUT=docs/images/room.png \
//     tests/MoodGrains.EndToEnd.Tests/bin/Release/net10.0/.playwright/node/linux-x64/node docs/images/room-screenshot.js
const { chromium } = require(process.env.PW);
const base = 'http://127.0.0.1:5198/';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu'] });
  const person = async (name) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    page.on('console', m => { if (m.type() === 'error') console.log(name, 'console:', m.text()); });
    page.on('pageerror', e => console.log(name, 'pageerror:', e.message));
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    await page.fill('#display-name', name);
    return page;
  };
  const host = await person('Ann');
  await host.click('#create-room');
  await host.waitForFunction(() => window.moodgrains.roomCode);
  const code = await host.evaluate(() => window.moodgrains.roomCode);
  console.log('room', code);
  const guests = [];
  for (const name of ['Bob', 'Cy']) {
    const g = await person(name);
    await g.fill('#join-code', code);
    await g.click('#join-room');
    await g.waitForFunction(() => window.moodgrains.room);
    guests.push(g);
  }
  await host.selectOption('#manual-mood', 'Happy');
  await guests[0].selectOption('#manual-mood', 'Surprise');
  await guests[1].selectOption('#manual-mood', 'Neutral');
  await host.waitForFunction(() => (window.moodgrains.room?.queue?.length ?? 0) > 3, null, { timeout: 60000 });
  await host.click('#play');
  await host.waitForTimeout(15000);
  await host.selectOption('#manual-mood', 'Happy');
  await host.waitForTimeout(8000);
  await host.screenshot({ path: process.env.OUT, fullPage: true });
  console.log('saved', process.env.OUT);
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
