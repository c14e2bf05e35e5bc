// Drives headless Chromium over the DevTools protocol (through
// --remote-debugging-pipe: no WebSocket, no npm packages) against a running
// sosik-serve: the search page with JavaScript off, then the widget demo
// page, typing a Korean query. Saves screenshots at phone and desktop sizes.
//
//   node drive.mjs BASE_URL OUTPUT_DIR
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [baseUrl, outputDir] = process.argv.slice(2);
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const SEED_TITLE = '건강도시연맹 총회 서울시와 기업들 협력!';
const PHONE = { width: 390, height: 844, deviceScaleFactor: 2, mobile: true };
const DESKTOP = { width: 1280, height: 860, deviceScaleFactor: 1, mobile: false };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let failures = 0;
function check(condition, what) {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
  if (!condition) failures++;
}

// ---- a minimal CDP client over the pipe: NUL-terminated JSON messages ----
class Browser {
  constructor() {
    this.profile = mkdtempSync(join(tmpdir(), 'sosik-chromium-'));
    this.process = spawn(chromium, [
      '--headless=new', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--no-default-browser-check', '--disable-extensions', '--disable-background-networking',
      '--lang=ko-KR', `--user-data-dir=${this.profile}`, 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    this.process.stderr.on('data', () => {});  // Chromium is chatty on stderr
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    let buffer = '';
    this.process.stdio[4].on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end;
      while ((end = buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        this.dispatch(message);
      }
    });
  }

  dispatch(message) {
    if (message.id && this.pending.has(message.id)) {
      const { resolve, reject, method } = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) reject(new Error(`${method}: ${message.error.message}`));
      else resolve(message.result);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }

  send(method, params = {}, sessionId = undefined) {
    const id = this.nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    this.process.stdio[3].write(JSON.stringify(message) + '\0');
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
  }

  waitFor(predicate, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const listener = (message) => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(message);
      };
      this.listeners.push(listener);
    });
  }

  async newPage(viewport, { javascript = true } = {}) {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId);
    await page.send('Page.enable');
    await page.send('Log.enable');
    await page.send('Runtime.enable');
    await page.send('Emulation.setDeviceMetricsOverride', viewport);
    if (viewport.mobile) await page.send('Emulation.setTouchEmulationEnabled', { enabled: true });
    if (!javascript) await page.send('Emulation.setScriptExecutionDisabled', { value: true });
    return page;
  }

  async close() {
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    try { await Promise.race([this.send('Browser.close'), sleep(3000)]); } catch { /* already gone */ }
    this.process.kill();
    await Promise.race([exited, sleep(5000)]);
    // Chromium's helper processes can still be writing the profile for a moment
    // after the browser exits (ENOTEMPTY seen in CI): retry, and never let the
    // cleanup of a temporary folder fail the test.
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (error) {
      console.log(`note: could not remove ${this.profile}: ${error.code}`);
    }
  }
}

class Page {
  constructor(browser, sessionId) {
    this.browser = browser;
    this.sessionId = sessionId;
    this.errors = [];  // console errors, CSP violations, failed scripts
    browser.listeners.push((message) => {
      if (message.sessionId !== sessionId) return;
      if (message.method === 'Log.entryAdded' && message.params.entry.level === 'error')
        this.errors.push(message.params.entry.text);
      if (message.method === 'Runtime.exceptionThrown')
        this.errors.push(message.params.exceptionDetails.text);
    });
  }

  send(method, params) { return this.browser.send(method, params, this.sessionId); }

  loaded() {
    return this.browser.waitFor((m) => m.sessionId === this.sessionId && m.method === 'Page.loadEventFired', 15000,
      'page load');
  }

  async goto(url) {
    const loaded = this.loaded();
    await this.send('Page.navigate', { url });
    await loaded;
  }

  async html() {
    const { root } = await this.send('DOM.getDocument', { depth: -1 });
    const { outerHTML } = await this.send('DOM.getOuterHTML', { nodeId: root.nodeId });
    return outerHTML;
  }

  async focus(selector) {
    const { root } = await this.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await this.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) throw new Error(`no element ${selector}`);
    await this.send('DOM.focus', { nodeId });
  }

  async evaluate(expression) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', { expression, returnByValue: true });
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.text}`);
    return result.value;
  }

  async waitUntil(expression, what, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.evaluate(expression)) return true;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  // One syllable at a time, as an IME commits them, a little apart.
  async type(text) {
    for (const character of text) {
      await this.send('Input.insertText', { text: character });
      await sleep(60);
    }
  }

  async press(key, code, keyCode, text) {
    await this.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key, code, windowsVirtualKeyCode: keyCode });
    if (text) await this.send('Input.dispatchKeyEvent', { type: 'char', key, code, text, windowsVirtualKeyCode: keyCode });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: keyCode });
  }

  async screenshot(name) {
    await sleep(150);  // let the last layout settle
    const { data } = await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
    const file = join(outputDir, name);
    writeFileSync(file, Buffer.from(data, 'base64'));
    console.log(`     screenshot ${file}`);
  }
}

// ---- the checks ----

async function searchPageWithoutJavaScript(browser, viewport, label) {
  const page = await browser.newPage(viewport, { javascript: false });
  await page.goto(`${baseUrl}/`);
  await page.focus('input[name="q"]');
  await page.send('Input.insertText', { text: '건강도시' });
  const loaded = page.loaded();
  await page.press('Enter', 'Enter', 13, '\r');  // the form submits by itself, no script involved
  await loaded;
  const html = await page.html();
  check(html.replace(/<\/?mark>/g, '').includes(SEED_TITLE), `${label}: the page shows the seed post`);
  check(html.includes('<mark>건강도시</mark>'), `${label}: the query is marked in the results`);
  check(/결과 <strong>\d+<\/strong>건/.test(html), `${label}: the page says how many results`);
  check(html.includes('href="/건강/2024/09/02/health-city-alliance.html"'), `${label}: the hit links to the article`);
  const facet = html.match(/<aside class="facets"[\s\S]*?<a href="([^"]+)"/);
  check(!!facet, `${label}: the page lists category facets`);
  const width = await page.send('Page.getLayoutMetrics');
  check(width.cssContentSize.width <= viewport.width + 1, `${label}: no horizontal scrolling (${width.cssContentSize.width}px)`);
  await page.screenshot(`search-${label}.png`);
  if (facet) {  // following a facet narrows the search, still without script
    await page.goto(new URL(facet[1].replace(/&amp;/g, '&'), baseUrl + '/').href);
    const narrowed = await page.html();
    check(/<a class="chip"[^>]*>카테고리: /.test(narrowed) && narrowed.includes('aria-current="true"'),
      `${label}: a facet link narrows the results to its category`);
  }
  check(page.errors.length === 0, `${label}: no console errors ${JSON.stringify(page.errors)}`);
}

async function widgetDemo(browser, viewport, label) {
  const page = await browser.newPage(viewport);
  await page.goto(`${baseUrl}/widget-demo.html`);
  await page.waitUntil(`!!document.querySelector('.sosik-widget input')`, 'the widget to mount');
  await page.focus('.sosik-widget input');
  await page.type('건강도시');
  // The answer for the whole word: on a loaded machine the debounce may let
  // 건강도 through first, and its hits would show until 건강도시's arrive.
  const whole = encodeURIComponent('건강도시');
  await page.waitUntil(`document.querySelectorAll('.sosik-hit').length > 0 &&
    document.querySelector('.sosik-more').getAttribute('href').endsWith('?q=${whole}')`, 'live results');
  const first = await page.evaluate(`document.querySelector('.sosik-hit .sosik-title').textContent`);
  check(first === SEED_TITLE, `${label}: the first live result is the seed post (${first})`);
  const marked = await page.evaluate(`document.querySelector('.sosik-hit .sosik-snippet mark')?.textContent`);
  check(marked === '건강도시', `${label}: the snippet marks the query (${marked})`);
  const more = await page.evaluate(`document.querySelector('.sosik-more').getAttribute('href')`);
  check(more.endsWith('/?q=%EA%B1%B4%EA%B0%95%EB%8F%84%EC%8B%9C'), `${label}: links to the full results page (${more})`);
  check(await page.evaluate(`document.querySelector('.sosik-input').getAttribute('aria-expanded')`) === 'true',
    `${label}: the combobox says it is expanded`);
  await page.screenshot(`widget-${label}.png`);

  // Keyboard: down to the first hit, Escape closes, down opens again, Enter follows the link.
  await page.press('ArrowDown', 'ArrowDown', 40);
  const active = await page.evaluate(`document.querySelector('.sosik-active .sosik-title')?.textContent`);
  check(active === SEED_TITLE, `${label}: ArrowDown highlights the first result`);
  const descendant = await page.evaluate(`document.querySelector('.sosik-input').getAttribute('aria-activedescendant')`);
  check(!!descendant, `${label}: aria-activedescendant follows the highlight`);
  await page.press('Escape', 'Escape', 27);
  check(await page.evaluate(`document.querySelector('.sosik-panel').hidden`), `${label}: Escape closes the results`);
  await page.press('ArrowDown', 'ArrowDown', 40);
  await page.press('ArrowDown', 'ArrowDown', 40);
  check(errorsOf(page).length === 0, `${label}: no console errors ${JSON.stringify(page.errors)}`);
  const navigated = page.loaded();
  await page.press('Enter', 'Enter', 13, '\r');
  await navigated;
  const location = await page.evaluate('location.pathname');
  check(decodeURIComponent(location) === '/건강/2024/09/02/health-city-alliance.html',
    `${label}: Enter opens the highlighted article (${decodeURIComponent(location)})`);
}

// A refused search keeps what was typed, and says why in Korean (the box was
// emptied and the message English).
async function searchPageError(browser, viewport, label) {
  const page = await browser.newPage(viewport, { javascript: false });
  await page.goto(`${baseUrl}/?q=${encodeURIComponent('서울 date:2017-13')}`);
  const html = await page.html();
  check(html.includes('value="서울 date:2017-13"'), `${label}: the refused query stays in the search box`);
  check(html.includes('role="alert">날짜를 읽을 수 없습니다.'), `${label}: the page says what is wrong in Korean`);
  await page.screenshot(`search-error-${label}.png`);
}

// Punctuation alone is no search: the widget says so rather than listing everything.
async function widgetWithoutWords(browser, viewport, label) {
  const page = await browser.newPage(viewport);
  await page.goto(`${baseUrl}/widget-demo.html`);
  await page.waitUntil(`!!document.querySelector('.sosik-widget input')`, 'the widget to mount');
  await page.focus('.sosik-widget input');
  await page.type('!!!');
  await page.waitUntil(`!document.querySelector('.sosik-panel').hidden`, 'the widget to answer');
  const status = await page.evaluate(`document.querySelector('.sosik-status').textContent`);
  check(status.startsWith('검색할 낱말이 없습니다.'), `${label}: the widget says there is no word to search (${status})`);
  check(await page.evaluate(`document.querySelectorAll('.sosik-hit').length`) === 0, `${label}: and lists no article`);
}

// A query the API refuses (a date that is none): the widget says why in
// Korean, as the page does (it showed the API's English message).
async function widgetOnARefusedQuery(browser, viewport, label) {
  const page = await browser.newPage(viewport);
  await page.goto(`${baseUrl}/widget-demo.html`);
  await page.waitUntil(`!!document.querySelector('.sosik-widget input')`, 'the widget to mount');
  await page.focus('.sosik-widget input');
  await page.type('서울 date:2017-13');
  await page.waitUntil(`document.querySelector('.sosik-status').textContent.includes('날짜')`, 'the widget to refuse');
  const status = await page.evaluate(`document.querySelector('.sosik-status').textContent`);
  check(status.includes('날짜를 읽을 수 없습니다.'), `${label}: the widget says in Korean why it cannot search (${status})`);
}

// The widget on a page of another origin that sosik-serve does not allow
// (started without --cors-origin): the browser says only "Failed to fetch";
// the widget names the flag that allows this site.
async function widgetOnARefusedOrigin(browser, viewport, label) {
  const site = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="ko"><meta charset="utf-8"><title>다른 사이트</title>
<div data-sosik></div><script src="${baseUrl}/widget.js" defer></script></html>`);
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${site.address().port}`;
  try {
    const page = await browser.newPage(viewport);
    await page.goto(`${origin}/`);
    await page.waitUntil(`!!document.querySelector('.sosik-widget input')`, 'the widget to mount on the other site');
    await page.focus('.sosik-widget input');
    await page.type('건강도시');
    await page.waitUntil(`!document.querySelector('.sosik-panel').hidden`, 'the widget to give up');
    const status = await page.evaluate(`document.querySelector('.sosik-status').textContent`);
    check(status.includes(`sosik-serve --cors-origin ${origin}`), `${label}: a refused origin is told the flag (${status})`);
    check(!status.includes('Failed to fetch'), `${label}: not the browser's bare "Failed to fetch"`);
    await page.screenshot(`widget-refused-origin-${label}.png`);
  } finally {
    await new Promise((resolve) => site.close(resolve));
  }
}

// The article URLs are site-relative and this server is not the site: the
// 404 of the followed link is expected, anything else is not.
const errorsOf = (page) => page.errors.filter((text) => !text.includes('404'));

const browser = new Browser();
try {
  await browser.send('Target.setDiscoverTargets', { discover: false });
  for (const [viewport, label] of [[PHONE, 'phone'], [DESKTOP, 'desktop']]) {
    await searchPageWithoutJavaScript(browser, viewport, label);
    await searchPageError(browser, viewport, label);
    await widgetDemo(browser, viewport, label);
    await widgetWithoutWords(browser, viewport, label);
    await widgetOnARefusedQuery(browser, viewport, label);
    await widgetOnARefusedOrigin(browser, viewport, label);
  }
} catch (error) {
  console.log(`FAIL ${error.message}`);
  failures++;
} finally {
  await browser.close();
}
console.log(failures ? `${failures} check(s) failed` : 'all browser checks passed');
process.exit(failures ? 1 : 0);
