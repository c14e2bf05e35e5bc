/*
 * Sosik search widget. On any page:
 *
 *   <div data-sosik></div>
 *   <script src="https://HOST/widget.js" defer></script>
 *
 * While typing, completions of the query (even a half-typed syllable) show
 * above the results; a "did you mean" appears when a word is in no article.
 *
 * Options as attributes of the div: data-limit (results shown, default 5),
 * data-placeholder. Results come from the sosik-serve that served this file;
 * a page on another origin must be listed with sosik-serve --cors-origin.
 *
 * No dependencies, and nothing from the server is ever parsed as HTML:
 * text goes in through textContent, and highlighted snippets are rebuilt
 * node by node.
 */
(function () {
  'use strict';

  var DEBOUNCE_MS = 180;
  var script = document.currentScript || findOwnScript();
  if (!script) return;
  // Everything lives next to widget.js: the API, the stylesheet, the results page.
  var base = new URL('./', script.src).href;
  var widgetCount = 0;

  function findOwnScript() {
    var scripts = document.getElementsByTagName('script');
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|#|$)/.test(scripts[i].src)) return scripts[i];
    }
    return null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // The five escapes of marked_html() and numeric references, back to text.
  function unescapeHtml(text) {
    return text.replace(/&(amp|lt|gt|quot|#39|#[0-9]+|#x[0-9a-fA-F]+);/g, function (all, name) {
      switch (name) {
        case 'amp': return '&';
        case 'lt': return '<';
        case 'gt': return '>';
        case 'quot': return '"';
        default: {
          var code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
          return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
        }
      }
    });
  }

  // Appends a snippet that the server escaped and marked with <mark>…</mark>.
  // Anything else that looks like a tag means the input is not what we expect:
  // then the whole string is shown as text, never parsed as HTML.
  function appendMarked(parent, html) {
    var parts = String(html).split(/(<mark>|<\/mark>)/);
    var wellFormed = parts.every(function (part) {
      return part === '<mark>' || part === '</mark>' || part.indexOf('<') < 0;
    });
    if (!wellFormed) {
      parent.appendChild(document.createTextNode(unescapeHtml(String(html))));
      return;
    }
    var target = parent;
    parts.forEach(function (part) {
      if (part === '<mark>') {
        target = parent.appendChild(el('mark'));
      } else if (part === '</mark>') {
        target = parent;
      } else if (part) {
        target.appendChild(document.createTextNode(unescapeHtml(part)));
      }
    });
  }

  // Only http(s) links: an article URL must never become javascript:.
  function safeHref(url) {
    try {
      var resolved = new URL(url, document.baseURI);
      return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : null;
    } catch (e) {
      return null;
    }
  }

  function resultsPageUrl(query) {
    return base + '?q=' + encodeURIComponent(query);
  }

  function addStylesheet() {
    var href = base + 'widget.css';
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) if (links[i].href === href) return;
    var link = el('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.appendChild(link);
  }

  function mount(host) {
    var id = 'sosik-' + ++widgetCount;
    var limit = Math.min(Math.max(parseInt(host.getAttribute('data-limit'), 10) || 5, 1), 20);

    var root = el('div', 'sosik-widget');
    var form = el('form', 'sosik-form');
    form.setAttribute('role', 'search');
    form.action = base;
    form.method = 'get';
    var input = el('input', 'sosik-input');
    input.type = 'search';
    input.name = 'q';
    input.autocomplete = 'off';
    input.placeholder = host.getAttribute('data-placeholder') || '기사 검색';
    input.setAttribute('aria-label', '기사 검색');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', id + '-list');
    var button = el('button', 'sosik-button', '검색');
    button.type = 'submit';
    form.appendChild(input);
    form.appendChild(button);

    var panel = el('div', 'sosik-panel');
    panel.hidden = true;
    var list = el('ul', 'sosik-list');
    list.id = id + '-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', '검색 결과');
    var status = el('p', 'sosik-status');
    status.setAttribute('aria-live', 'polite');
    var more = el('a', 'sosik-more');
    more.id = id + '-more';
    // Completions of what is being typed (/api/suggest), even mid-syllable: 건강도ㅅ → 건강도시.
    var suggestions = el('div', 'sosik-suggestions');
    suggestions.setAttribute('aria-label', '추천 검색어');
    panel.appendChild(suggestions);
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(more);

    root.appendChild(form);
    root.appendChild(panel);
    host.textContent = '';
    host.appendChild(root);

    var timer = 0;
    var sequence = 0;  // answers that arrive after a newer request are dropped
    var suggestSequence = 0;
    var controller = null;
    var active = -1;   // index into options(); -1: the input itself

    // What the arrow keys move through: each hit, then "all results".
    function options() {
      var items = Array.prototype.slice.call(list.querySelectorAll('.sosik-link'));
      if (!more.hidden) items.push(more);
      return items;
    }

    // index -1 is the input itself; moving past either end wraps around through it.
    function setActive(index) {
      var items = options();
      var states = items.length + 1;
      active = ((index + 1) % states + states) % states - 1;
      items.forEach(function (item, i) { item.classList.toggle('sosik-active', i === active); });
      if (active >= 0) {
        var option = items[active].closest('[role="option"]') || items[active];
        input.setAttribute('aria-activedescendant', option.id);
        items[active].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function open(show) {
      panel.hidden = !show;
      input.setAttribute('aria-expanded', show ? 'true' : 'false');
      if (!show) setActive(-1);
    }

    function render(query, result) {
      list.textContent = '';
      (result.hits || []).forEach(function (hit, i) {
        var item = el('li', 'sosik-hit');
        item.id = id + '-option-' + i;
        item.setAttribute('role', 'option');
        var href = safeHref(hit.url);
        var link = el(href ? 'a' : 'span', 'sosik-link');
        if (href) link.href = href;
        var title = el('span', 'sosik-title');
        appendMarked(title, hit.title_html || hit.title || '(제목 없음)');
        link.appendChild(title);
        if (hit.date) link.appendChild(el('span', 'sosik-date', String(hit.date).slice(0, 10).replace(/-/g, '.')));
        if (hit.snippet) {
          var snippet = el('span', 'sosik-snippet');
          appendMarked(snippet, hit.snippet);
          link.appendChild(snippet);
        }
        item.appendChild(link);
        list.appendChild(item);
      });
      var total = Number(result.total) || 0;
      status.textContent = result.notice ? noticeText(result.notice)
        : total ? '결과 ' + total.toLocaleString('ko-KR') + '건' : '‘' + query + '’에 대한 검색 결과가 없습니다.';
      if (result.did_you_mean) {
        status.appendChild(document.createTextNode(' '));
        status.appendChild(suggestionButton(String(result.did_you_mean), 'sosik-did-you-mean',
                                            '‘' + result.did_you_mean + '’을(를) 찾으셨나요?'));
      }
      more.hidden = total === 0;
      more.href = resultsPageUrl(query);
      more.textContent = '‘' + query + '’ 검색 결과 모두 보기 →';
      active = -1;
      input.removeAttribute('aria-activedescendant');
      open(true);
    }

    // Searches `text` as if it had been typed.
    function suggestionButton(text, className, label) {
      var button = el('button', className, label || text);
      button.type = 'button';
      button.addEventListener('click', function () {
        input.value = text;
        search(text);
        suggest(text);
        input.focus();
      });
      return button;
    }

    // Why a query was not searched ("notice" of /api/search; README.md lists the reasons).
    function noticeText(notice) {
      return notice.reason === 'no_words' ? '검색할 낱말이 없습니다. 문장부호나 기호만으로는 찾을 수 없으니 낱말을 입력해 주세요.'
        : String(notice.message || '');
    }

    // What went wrong, in words a site owner can act on. A refused origin
    // (CORS) and a server that is down look the same to a page: fetch() fails
    // with a TypeError ("Failed to fetch") and the reason is only in the console.
    function failureText(error) {
      if (!(error instanceof TypeError)) return '검색할 수 없습니다: ' + error.message;
      var server = new URL(base).origin;
      if (server === location.origin) return '검색 서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.';
      var hint = '이 사이트(' + location.origin + ')가 허용되어 있는지 확인하세요: sosik-serve --cors-origin ' + location.origin;
      if (window.console) console.warn('sosik widget: ' + server + ' did not answer this page; ' +
                                       'if it runs, start it with --cors-origin ' + location.origin);
      return '검색 서버(' + server + ')에 연결할 수 없습니다. ' + hint;
    }

    function suggest(query) {
      var mine = ++suggestSequence;
      fetch(base + 'api/suggest?limit=5&q=' + encodeURIComponent(query), { credentials: 'omit' })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (mine !== suggestSequence) return;
          suggestions.textContent = '';
          ((body && body.suggestions) || []).forEach(function (s) {
            if (s.kind === 'word' && s.text !== query) suggestions.appendChild(suggestionButton(String(s.text), 'sosik-suggestion'));
          });
        })
        .catch(function () { if (mine === suggestSequence) suggestions.textContent = ''; });
    }

    function search(query) {
      var mine = ++sequence;
      if (controller) controller.abort();
      controller = typeof AbortController === 'function' ? new AbortController() : null;
      root.classList.add('sosik-loading');
      var url = base + 'api/search?limit=' + limit + '&q=' + encodeURIComponent(query);
      fetch(url, { signal: controller ? controller.signal : undefined, credentials: 'omit' })
        .then(function (response) {
          return response.json().catch(function () { return null; }).then(function (body) {
            if (!response.ok) {
              throw new Error(body && body.error ? body.error.message_ko || body.error.message : 'HTTP ' + response.status);
            }
            if (!body) throw new Error('HTTP ' + response.status + ': not JSON');
            return body;
          });
        })
        .then(function (result) {
          if (mine === sequence) render(query, result);
        })
        .catch(function (error) {
          if (mine !== sequence || (error && error.name === 'AbortError')) return;
          list.textContent = '';
          more.hidden = true;
          status.textContent = failureText(error);
          open(true);
        })
        .then(function () {
          if (mine === sequence) root.classList.remove('sosik-loading');
        });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (!query) {
        sequence++;
        if (controller) controller.abort();
        open(false);
        return;
      }
      timer = setTimeout(function () { search(query); suggest(query); }, DEBOUNCE_MS);
    });

    input.addEventListener('keydown', function (event) {
      if (event.isComposing) return;  // a Korean syllable being composed
      switch (event.key) {
        case 'ArrowDown':
        case 'ArrowUp':
          if (panel.hidden) {
            if (list.childNodes.length) open(true);
          } else {
            setActive(active + (event.key === 'ArrowDown' ? 1 : -1));
          }
          event.preventDefault();
          break;
        case 'Enter':
          if (!panel.hidden && active >= 0) {
            event.preventDefault();
            options()[active].click();
          }
          break;  // otherwise the form goes to the full results page
        case 'Escape':
          if (!panel.hidden) open(false);
          else input.value = '';
          event.preventDefault();
          break;
      }
    });

    input.addEventListener('focus', function () {
      if (input.value.trim() && list.childNodes.length) open(true);
    });
    // Close when a click or keyboard focus goes elsewhere on the page. A click
    // on a result may blur the input with no relatedTarget (Safari): that
    // must not close the panel before the click lands.
    root.addEventListener('focusout', function (event) {
      if (event.relatedTarget && !root.contains(event.relatedTarget)) open(false);
    });
    document.addEventListener('pointerdown', function (event) {
      if (!root.contains(event.target)) open(false);
    });
    panel.addEventListener('pointermove', function (event) {
      var link = event.target.closest && event.target.closest('.sosik-link, .sosik-more');
      if (link) setActive(options().indexOf(link));
    });
  }

  function start() {
    var hosts = document.querySelectorAll('[data-sosik]');
    if (!hosts.length) return;
    addStylesheet();
    Array.prototype.forEach.call(hosts, mount);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
