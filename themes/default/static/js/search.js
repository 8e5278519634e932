/* gazette search: answers /search/?q=…&region=…&category=…&year=… from the static index
   that `gazette build` writes under search/ (format and algorithm: docs/search.md).
   A term matches where it occurs as a substring of an article's folded title and text;
   every match is counted; only the lists of the query's own terms are fetched. */
(function () {
  "use strict";
  var page = document.querySelector("[data-search-index]");
  if (!page) return;
  var base = page.getAttribute("data-search-index");
  /* The page of another script (/zh-hant/search/) links the articles of its own script:
     data-home is its home, data-base the site's (docs/templates.md, "Script variants"). */
  var home = page.getAttribute("data-home") || "", root = page.getAttribute("data-base") || "";
  function pageUrl(u) { return root && u.indexOf(root) === 0 ? home + u.slice(root.length) : u; }
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var filters = document.getElementById("search-filters");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 10;

  /* ---- fetching, each file once ---- */
  var files = new Map();
  function fetchFile(path, kind) {
    var key = kind + ":" + path;
    if (!files.has(key)) {
      files.set(key, fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        if (kind === "text") return r.text();
        if (kind === "z") return new Response(r.body.pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer().then(function (b) { return new Uint8Array(b); });
        return r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      }).catch(function (e) { files.delete(key); throw e; }));
    }
    return files.get(key);
  }

  function Reader(bytes, at) { this.b = bytes; this.i = at || 0; }
  Reader.prototype.next = function () {
    var n = 0, shift = 0, b;
    do { b = this.b[this.i++]; n += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b >= 0x80);
    return n;
  };

  /* ---- folding: the rules of src/text/fold.rs ---- */
  var SEPARATOR = /[\s\x00-\x1f\x7f-\x9f\x85]/;
  var INVISIBLE = /[\xad\u200b-\u200d\u2060\ufeff]/;
  var t2s = new Map();
  var t2sBlocks = new Set();
  /* NFKC and lower case of each character met (punctuation recurs in every text) */
  var folded = new Map();
  function foldChar(ch, out) {
    var cp = ch.codePointAt(0);
    if (cp < 0x80) { out.push(ch.toLowerCase()); return; }
    if (cp >= 0x4e00 && cp <= 0x9fff) { out.push(t2s.get(ch) || ch); return; }
    var known = folded.get(ch);
    if (known === undefined) {
      known = [];
      if (!INVISIBLE.test(ch)) for (var n of ch.normalize("NFKC")) for (var l of n.toLowerCase()) known.push(l);
      folded.set(ch, known);
    }
    for (var k = 0; k < known.length; k++) out.push(t2s.get(known[k]) || known[k]);
  }
  /* The table blocks `text` needs (by its NFKC, lower-cased characters), fetched. */
  function loadT2s(meta, text) {
    var want = [];
    for (var ch of text.normalize("NFKC").toLowerCase()) {
      var block = ch.codePointAt(0) >> 10;
      if (meta.t2sBlocks.has(block) && !t2sBlocks.has(block) && want.indexOf(block) < 0) want.push(block);
    }
    return Promise.all(want.map(function (block) {
      return fetchFile("t2s/" + block.toString(16) + ".txt", "text").then(function (pairs) {
        var cs = Array.from(pairs);
        for (var i = 0; i + 1 < cs.length; i += 2) t2s.set(cs[i], cs[i + 1]);
        t2sBlocks.add(block);
      });
    }));
  }
  /* Folded characters of `text`, and for each the index of the character it came from. */
  function foldMapped(text) {
    var chars = [], from = [], i = 0;
    for (var ch of text) {
      var before = chars.length;
      foldChar(ch, chars);
      for (var k = before; k < chars.length; k++) from.push(i);
      i += ch.length;
    }
    return { chars: chars, from: from, s: chars.join("") };
  }

  /* ---- the index ---- */
  var metaPromise = null;
  function loadMeta() {
    if (!metaPromise) {
      metaPromise = Promise.all([fetchFile("meta.z", "z"), fetchFile("attrs.z", "z")]).then(function (r) {
        var meta = JSON.parse(new TextDecoder().decode(r[0])), attrs = new Reader(r[1]);
        meta.t2sBlocks = new Set(meta.t2s);
        var n = meta.articles, id, counts = new Uint32Array(n);
        /* ids: the index's articles, then the live preview's delta (see applyDelta) */
        meta.total = n + (meta.delta ? meta.delta.articles.length : 0);
        meta.category = new Uint16Array(meta.total);
        meta.regionsOf = new Array(meta.total);
        /* in columns: categories, region counts, then the regions */
        for (id = 0; id < n; id++) meta.category[id] = attrs.next();
        for (id = 0; id < n; id++) counts[id] = attrs.next();
        for (id = 0; id < n; id++) {
          var nodes = [];
          for (var k = 0; k < counts[id]; k++) nodes.push(attrs.next());
          meta.regionsOf[id] = nodes;
        }
        /* then a bit per article: its text goes on beyond its record's lead (d/ID.z) */
        meta.longer = new Uint8Array(meta.total);
        for (id = 0; id < n; id++) meta.longer[id] = (attrs.b[attrs.i + (id >> 3)] >> (id & 7)) & 1;
        applyDelta(meta);
        /* each region node's chain up to its top-level region */
        meta.chain = meta.regions.map(function (r, i) {
          var chain = [i], p = r[1];
          while (p >= 0) { chain.push(p); p = meta.regions[p][1]; }
          return chain;
        });
        /* a node's path, as in ?region=四川省/广元市 */
        meta.regions.forEach(function (r, i) { r[3] = meta.chain[i].map(function (n) { return meta.regions[n][0]; }).reverse().join("/"); });
        return meta;
      });
    }
    return metaPromise;
  }

  /* The live preview (`gazette serve --watch`) may keep an index made before the last
     edits and add a delta to meta.z (docs/search.md, "The live preview's delta"): the
     ids of indexed articles that changed or went (`gone`), and each article the index
     does not hold as it is now, whole, searched here directly. Those take the ids after
     the index's own; `key` orders every id in site order (an id of the index is its rank;
     a delta article sorts right after the indexed article it follows). When the names
     changed (a new region), the delta has the new ones and where the index's went. */
  function applyDelta(meta) {
    var n = meta.articles, d = meta.delta, added = d ? d.articles : [];
    meta.gone = new Uint8Array(meta.total);
    meta.key = new Float64Array(meta.total);
    meta.deltaYear = new Int32Array(added.length);
    for (var id = 0; id < n; id++) meta.key[id] = id;
    if (!d) return;
    d.gone.forEach(function (id) { meta.gone[id] = 1; });
    if (d.regions) {
      for (id = 0; id < n; id++) {
        meta.category[id] = Math.max(0, d.cmap[meta.category[id]]);
        meta.regionsOf[id] = meta.regionsOf[id].map(function (node) { return d.rmap[node]; }).filter(function (node) { return node >= 0; });
      }
      meta.categories = d.categories;
      meta.regions = d.regions;
      if (d.hant) meta.hant = d.hant;
    }
    added.forEach(function (a, j) {
      meta.key[n + j] = a.after + (j + 1) / (added.length + 1);
      meta.category[n + j] = a.c;
      meta.regionsOf[n + j] = a.g;
      meta.deltaYear[j] = a.y;
      addPairs(a.r.f);
      records.set(n + j, Promise.resolve(a.r));
    });
  }
  /* One term's matches in the index (`found`), without the gone articles and with the
     delta's: title hit and count as the index counts them (every start, overlapping). */
  function withDelta(meta, folded, found) {
    if (!meta.delta) return found;
    var ids = [], tf = [], title = [];
    for (var k = 0; k < found.ids.length; k++) {
      if (!meta.gone[found.ids[k]]) { ids.push(found.ids[k]); tf.push(found.tf[k]); title.push(found.title[k]); }
    }
    meta.delta.articles.forEach(function (a, j) {
      var count = occurrences(a.ft, folded) + occurrences(a.fx, folded);
      if (count) { ids.push(meta.articles + j); tf.push(count); title.push(a.ft.indexOf(folded) >= 0 ? 1 : 0); }
    });
    return { ids: Int32Array.from(ids), tf: Uint32Array.from(tf), title: Uint8Array.from(title) };
  }
  function occurrences(text, t) {
    var count = 0;
    for (var at = text.indexOf(t); at >= 0; at = text.indexOf(t, at + 1)) count++;
    return count;
  }

  /* FNV-1a over a term's code points */
  function fnv(cs) {
    var h = 0x811c9dc5;
    for (var k = 0; k < cs.length; k++) h = Math.imul(h ^ cs[k], 0x01000193) >>> 0;
    return h;
  }

  /* A shard's header: term → where its lists are. */
  var shards = new Map();
  function shard(meta, n) {
    if (!shards.has(n)) {
      shards.set(n, fetchFile("s/" + n + ".bin", "bytes").then(function (bytes) {
        var r = new Reader(bytes), count = r.next(), terms = new Map(), offsets = [];
        for (var k = 0; k < count; k++) {
          var len = r.next(), cs = [];
          for (var j = 0; j < len; j++) cs.push(r.next());
          var t = { cs: cs, articles: r.next(), docLen: r.next(), posLen: r.next() }, flags = r.next();
          t.own = (flags & 1) === 1;
          t.extended = (flags & 2) === 2;
          terms.set(cs.join(":"), t);
          offsets.push(t);
        }
        var at = r.i;
        offsets.forEach(function (t) {
          if (!t.own) { t.docs = bytes.subarray(at, at + t.docLen); t.pos = bytes.subarray(at + t.docLen, at + t.docLen + t.posLen); at += t.docLen + t.posLen; }
        });
        return terms;
      }));
    }
    return shards.get(n);
  }
  function termName(t) { return t.cs.map(function (c) { return c.toString(16); }).join("-"); }
  /* A term's entry (or null when no article has it): a character, a pair, or four
     characters that start with an extended pair. */
  function term(meta, cs) {
    return shard(meta, fnv(cs) & (meta.shards - 1)).then(function (terms) { return terms.get(cs.join(":")) || null; });
  }
  /* Its article list, decoded: ids ascending, counts, title flags. */
  function articles(t) {
    if (!t.list) {
      t.list = (t.own ? fetchFile("t/" + termName(t) + ".d", "bytes") : Promise.resolve(t.docs)).then(function (bytes) {
        var r = new Reader(bytes), ids = new Int32Array(t.articles), tf = new Uint32Array(t.articles), title = new Uint8Array(t.articles), next = 0;
        for (var k = 0; k < t.articles; k++) {
          var id = next + r.next(), v = r.next();
          ids[k] = id; tf[k] = Math.floor(v / 2); title[k] = v & 1; next = id + 1;
        }
        return { ids: ids, tf: tf, title: title };
      });
    }
    return t.list;
  }
  /* Its positions per article (pairs only), as arrays in article-list order. */
  function positions(t) {
    if (!t.positions) {
      var bytes = t.own ? fetchFile("t/" + termName(t) + ".p", "bytes") : Promise.resolve(t.pos);
      t.positions = Promise.all([articles(t), bytes]).then(function (got) {
        var counts = got[0].tf, r = new Reader(got[1]), all = new Array(t.articles);
        for (var k = 0; k < t.articles; k++) {
          var count = counts[k], ps = new Int32Array(count), last = 0;
          for (var j = 0; j < count; j++) { last += r.next(); ps[j] = last; }
          all[k] = ps;
        }
        return all;
      });
    }
    return t.positions;
  }

  var titleLens = null;
  function loadTitleLens(meta) {
    if (!titleLens) {
      titleLens = fetchFile("tlen.z", "z").then(function (bytes) {
        var r = new Reader(bytes), out = new Uint32Array(meta.articles);
        for (var id = 0; id < meta.articles; id++) out[id] = r.next();
        return out;
      });
    }
    return titleLens;
  }

  /* ---- one term → {ids, tf, title} ---- */
  var termResults = new Map();
  function matchTerm(meta, folded) {
    if (!termResults.has(folded)) termResults.set(folded, computeTerm(meta, Array.from(folded)).then(function (found) { return withDelta(meta, folded, found); }));
    return termResults.get(folded);
  }
  var NONE = { ids: new Int32Array(0), tf: new Uint32Array(0), title: new Uint8Array(0) };
  function computeTerm(meta, cs) {
    var cp = cs.map(function (c) { return c.codePointAt(0); }), n = cp.length;
    if (n <= 2) return term(meta, cp).then(function (t) { return t ? articles(t) : NONE; });
    var pairs = [];
    for (var k = 0; k + 1 < n; k++) pairs.push(term(meta, cp.slice(k, k + 2)));
    return Promise.all(pairs).then(function (ps) {
      if (ps.some(function (t) { return !t; })) return NONE;
      /* the pieces: every pair, and the four after each extended pair (none found: the
         term occurs nowhere, since every four after that pair is indexed) */
      var pieces = ps.map(function (t, o) { return { at: o, len: 2, t: t }; });
      var fours = [];
      for (var o = 0; o + 3 < n; o++) if (ps[o].extended) fours.push(o);
      return Promise.all(fours.map(function (o) { return term(meta, cp.slice(o, o + 4)); })).then(function (fs) {
        if (fs.some(function (t) { return !t; })) return NONE;
        fs.forEach(function (t, k) { pieces.push({ at: fours[k], len: 4, t: t }); });
        var cover = cheapestCover(pieces, n);
        if (cover.length === 1 && cover[0].len === n) return articles(cover[0].t);
        return Promise.all([loadTitleLens(meta)].concat(cover.map(function (p) { return articles(p.t); }), cover.map(function (p) { return positions(p.t); }))).then(function (r) {
          var tlen = r[0], lists = r.slice(1, 1 + cover.length), pos = r.slice(1 + cover.length);
          return confirm(cover.map(function (p) { return p.at; }), lists, pos, tlen);
        });
      });
    });
  }
  /* The pieces (pairs and fours at their offsets) that cover every character of a term of
     n characters for the fewest bytes: those are enough to confirm a match exactly, each
     at its offset from the match's start. A piece that is the whole term needs no
     positions. Pieces are taken in order of their end; each next one starts at most one
     past the end of the one before. */
  function cheapestCover(pieces, n) {
    var cost = function (p) { return p.len === n ? p.t.docLen : p.t.docLen + p.t.posLen; };
    pieces.sort(function (a, b) { return a.at + a.len - (b.at + b.len) || a.at - b.at; });
    var best = pieces.map(function () { return Infinity; }), from = pieces.map(function () { return -1; });
    pieces.forEach(function (p, i) {
      if (p.at === 0) best[i] = cost(p);
      for (var j = 0; j < i; j++) {
        var q = pieces[j], end = q.at + q.len;
        if (end >= p.at && end < p.at + p.len && best[j] + cost(p) < best[i]) { best[i] = best[j] + cost(p); from[i] = j; }
      }
    });
    var last = -1;
    pieces.forEach(function (p, i) { if (p.at + p.len === n && (last < 0 || best[i] < best[last])) last = i; });
    var out = [];
    for (var at = last; at >= 0; at = from[at]) out.push(pieces[at]);
    return out.reverse();
  }
  function confirm(cover, lists, pos, tlen) {
    /* walk the lists together: articles in all of them are candidates */
    var ids = [], tf = [], title = [], idx = lists.map(function () { return 0; });
    var first = lists[0];
    for (var a = 0; a < first.ids.length; a++) {
      var id = first.ids[a], inAll = true;
      for (var k = 1; k < lists.length; k++) {
        var l = lists[k].ids, j = idx[k];
        while (j < l.length && l[j] < id) j++;
        idx[k] = j;
        if (j >= l.length || l[j] !== id) { inAll = false; break; }
      }
      if (!inAll) continue;
      var starts = pos[0][a], count = 0, inTitle = 0;
      for (var s = 0; s < starts.length; s++) {
        var start = starts[s] - cover[0], ok = true;
        for (k = 1; k < lists.length && ok; k++) ok = has(pos[k][idx[k]], start + cover[k]);
        if (ok) { count++; if (start < tlen[id]) inTitle = 1; }
      }
      if (count) { ids.push(id); tf.push(count); title.push(inTitle); }
    }
    return { ids: Int32Array.from(ids), tf: Uint32Array.from(tf), title: Uint8Array.from(title) };
  }
  function has(sorted, v) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (sorted[mid] === v) return true; if (sorted[mid] < v) lo = mid + 1; else hi = mid - 1; }
    return false;
  }

  /* ---- a query ---- */
  function parseQuery(meta, q) {
    var text = [], regions = [];
    q.split(/\s+/).forEach(function (raw) {
      var chars = [];
      for (var ch of raw) if (!SEPARATOR.test(ch)) foldChar(ch, chars);
      var folded = chars.join("");
      if (!folded) return;
      if (/^[a-z]+$/.test(folded)) {
        var nodes = [];
        meta.regions.forEach(function (r, i) { if (r[2] === folded) nodes.push(i); });
        if (nodes.length) { regions.push(nodes); return; }
      }
      if (text.indexOf(folded) < 0) text.push(folded);
    });
    return { text: text, regions: regions };
  }
  function inRegion(meta, id, nodes) {
    return meta.regionsOf[id].some(function (n) { return meta.chain[n].some(function (c) { return nodes.indexOf(c) >= 0; }); });
  }

  /* Matches of the terms (AND), each with its title hits and total count. */
  function matches(meta, parsed) {
    return Promise.all(parsed.text.map(function (t) { return matchTerm(meta, t); })).then(function (lists) {
      var found = [];
      if (!lists.length) {
        for (var id = 0; id < meta.total; id++) if (!meta.gone[id]) found.push({ id: id, titleHits: 0, count: 0 });
      } else {
        lists.sort(function (a, b) { return a.ids.length - b.ids.length; });
        var idx = lists.map(function () { return 0; });
        var first = lists[0];
        for (var a = 0; a < first.ids.length; a++) {
          var id2 = first.ids[a], titleHits = first.title[a], count = first.tf[a], ok = true;
          for (var k = 1; k < lists.length && ok; k++) {
            var l = lists[k].ids, j = idx[k];
            while (j < l.length && l[j] < id2) j++;
            idx[k] = j;
            if (j < l.length && l[j] === id2) { titleHits += lists[k].title[j]; count += lists[k].tf[j]; } else ok = false;
          }
          if (ok) found.push({ id: id2, titleHits: titleHits, count: count });
        }
      }
      parsed.regions.forEach(function (nodes) {
        found = found.filter(function (m) { return inRegion(meta, m.id, nodes); });
      });
      return found;
    });
  }

  function readParams() {
    var p = new URLSearchParams(location.search);
    return { q: (p.get("q") || "").trim(), region: p.get("region") || "", category: p.get("category") || "", year: p.get("year") || "" };
  }
  function urlOf(params) {
    var p = new URLSearchParams();
    ["q", "region", "category", "year"].forEach(function (k) { if (params[k]) p.set(k, params[k]); });
    return "?" + p.toString();
  }

  /* ---- results: ranking, counts, records, drawing ----
     The index side ends at matches() (ids, title hits, counts); from here on everything
     a refined query (a filter, "更多结果", the same query again) can reuse is kept. */
  /* /zh-hant/search/ shows the records' traditional title, region and text */
  var HANT = document.documentElement.lang === "zh-Hant";
  /* a region's or category's name as this page shows it */
  function regionName(meta, i) { return HANT && meta.hant ? meta.hant.regions[i] : meta.regions[i][0]; }
  function categoryName(meta, i) { return HANT && meta.hant ? meta.hant.categories[i] : meta.categories[i]; }
  var ranked = new Map(), views = new Map();
  /* the matches of a query's terms, best first: a filter only narrows this order */
  function rankedMatches(meta, parsed) {
    var key = JSON.stringify([parsed.text, parsed.regions]);
    if (!ranked.has(key)) {
      ranked.set(key, matches(meta, parsed).then(function (found) {
        return found.sort(function (a, b) { return b.titleHits - a.titleHits || b.count - a.count || meta.key[a.id] - meta.key[b.id]; });
      }).catch(function (e) { ranked.delete(key); throw e; }));
    }
    return ranked.get(key);
  }
  /* per article, once: its top-level regions and its year */
  function facets(meta) {
    if (!meta.tops) {
      var n = meta.articles, years = new Int32Array(meta.total);
      meta.tops = new Array(meta.total);
      for (var id = 0; id < meta.total; id++) {
        var tops = [];
        meta.regionsOf[id].forEach(function (node) { var c = meta.chain[node], t = c[c.length - 1]; if (tops.indexOf(t) < 0) tops.push(t); });
        meta.tops[id] = tops;
      }
      for (var k = 0; k < meta.years.length; k++) years.fill(meta.years[k][0], meta.years[k][1], k + 1 < meta.years.length ? meta.years[k + 1][1] : n);
      years.set(meta.deltaYear, n);
      meta.yearOf = function (i) { return years[i]; };
    }
    return meta;
  }
  /* What the filters leave of the ranked matches, and the count beside each filter (the
     matches that the other filters leave): one pass, kept per query and filters. */
  function view(meta, order, params) {
    var region = -1, category = -1, year = +params.year || 0;
    if (params.region) region = meta.regions.findIndex(function (r) { return r[3] === params.region; });
    if (params.category) category = meta.categories.indexOf(params.category);
    var regions = new Map(), categories = new Map(), years = new Map(), shown = [];
    function add(map, k) { map.set(k, (map.get(k) || 0) + 1); }
    for (var i = 0; i < order.length; i++) {
      var id = order[i].id;
      var r = !params.region || (region >= 0 && inRegion(meta, id, [region]));
      var c = !params.category || meta.category[id] === category;
      var y = !params.year || meta.yearOf(id) === year;
      if (c && y) meta.tops[id].forEach(function (t) { add(regions, t); });
      if (r && y) add(categories, meta.category[id]);
      if (r && c) add(years, meta.yearOf(id));
      if (r && c && y) shown.push(order[i]);
    }
    return { shown: shown, regions: regions, categories: categories, years: years };
  }

  var current = null, generation = 0, answered = 0;
  function run() {
    var params = readParams(), started = performance.now(), mine = ++generation;
    input.value = params.q;
    list.setAttribute("data-state", "loading");
    if (!params.q) {
      list.setAttribute("data-state", "idle");
      list.replaceChildren(); filters.replaceChildren(); more.hidden = true;
      status.textContent = "请输入要查找的词语，例如地名、政策名称或文件中的一句话。";
      return Promise.resolve();
    }
    status.textContent = "正在搜索……";
    return loadMeta().then(function (meta) {
      return loadT2s(meta, params.q).then(function () {
        var parsed = parseQuery(meta, params.q);
        return rankedMatches(facets(meta), parsed).then(function (order) {
          if (mine !== generation) return;
          var key = urlOf(params);
          if (!views.has(key)) views.set(key, view(meta, order, params));
          var v = views.get(key);
          drawFilters(meta, v, params);
          current = { meta: meta, parsed: parsed, shown: v.shown, drawn: 0, started: started, params: params, refined: answered++ > 0 };
          return drawMore(mine);
        });
      });
    }).catch(function (e) {
      if (mine !== generation) return;
      list.setAttribute("data-state", "error");
      status.textContent = "搜索出错：" + e.message + "。请稍后再试。";
    });
  }

  /* The next page of results: their records fetched together, drawn in one DOM write. */
  function drawMore(mine) {
    var c = current, batch = c.shown.slice(c.drawn, c.drawn + PAGE), terms = c.parsed.text;
    return Promise.all(batch.map(function (m) { return shownRecord(c.meta, m.id, terms, c.refined); })).then(function (shown) {
      if (mine !== generation) return;
      var frag = document.createDocumentFragment();
      shown.forEach(function (s) { frag.appendChild(resultItem(s.rec, s.snippet, terms)); });
      if (c.drawn) list.appendChild(frag); else list.replaceChildren(frag);
      c.drawn += batch.length;
      more.hidden = c.drawn >= c.shown.length;
      var ms = Math.round(performance.now() - c.started);
      var q = c.params.q;
      status.textContent = c.shown.length
        ? "找到 " + c.shown.length + " 篇包含“" + q + "”的文章" + (c.shown.length > c.drawn ? "，显示前 " + c.drawn + " 篇" : "") + "。"
        : "没有找到包含“" + q + "”的文章" + (c.params.region || c.params.category || c.params.year ? "（已按条件筛选，可取消筛选后再试）" : "") + "。";
      list.setAttribute("data-total", String(c.shown.length));
      list.setAttribute("data-ms", String(ms));
      list.setAttribute("data-state", "done");
      /* the next page's records, fetched while the reader reads these */
      c.shown.slice(c.drawn, c.drawn + PAGE).forEach(function (m) { (c.refined && c.meta.longer[m.id] ? wholeRecord(m.id) : record(m.id)).catch(function () {}); });
    });
  }

  /* ---- records (docs/search.md, "Records"): d/ID.bin, and d/ID.z for text beyond the lead ---- */
  var records = new Map();
  function addPairs(f) {
    var pairs = Array.from(f || "");
    for (var i = 0; i + 1 < pairs.length; i += 2) t2s.set(pairs[i], pairs[i + 1]);
  }
  /* A record file, fetched and parsed once, kept in `cache` by id. */
  function recordFile(cache, id, suffix) {
    if (!cache.has(id)) {
      cache.set(id, fetchFile("d/" + id + suffix, "z").then(function (bytes) {
        var rec = JSON.parse(new TextDecoder().decode(bytes));
        addPairs(rec.f);
        return rec;
      }).catch(function (e) { cache.delete(id); throw e; }));
    }
    return cache.get(id);
  }
  function record(id) { return recordFile(records, id, ".bin"); }
  /* d/ID.z: the whole record (the record with the whole text) */
  var wholes = new Map();
  function wholeRecord(id) { return recordFile(wholes, id, ".z"); }
  function textOf(rec) { return HANT ? rec.hx || rec.x : rec.x; }
  /* A result's record and snippet: from the lead when the snippet lies in it, else from
     the whole text (fetched then). A refined query (the page answered one before) takes
     a long article's whole record at once, unless its record is here already: one round
     of requests instead of two where the first match lies beyond the lead, for bytes
     that the first query, which has a download budget, does not spend. */
  function shownRecord(meta, id, terms, refined) {
    if (wholes.has(id) || (refined && meta.longer[id] && !records.has(id))) {
      return wholeRecord(id).then(function (whole) { return { rec: whole, snippet: snippet(textOf(whole), terms, true) }; });
    }
    return record(id).then(function (rec) {
      var s = snippet(textOf(rec), terms, !rec.m);
      if (s) return { rec: rec, snippet: s };
      return wholeRecord(id).then(function (whole) { return { rec: rec, snippet: snippet(textOf(whole), terms, true) }; });
    });
  }
  /* The part of `text` around the first match, with every match marked; null when `text`
     is only the start of the article's text and cannot tell (the match may lie beyond). */
  function snippet(text, terms, complete) {
    var f = foldMapped(text), best = -1, longest = 0;
    terms.forEach(function (t) {
      var at = f.s.indexOf(t);
      longest = Math.max(longest, t.length);
      if (at >= 0 && (best < 0 || at < best)) best = at;
    });
    if (best < 0 && terms.length && !complete) return null;
    var at = best < 0 ? -1 : sourceAt(f, best);
    var from = at < 0 ? 0 : Math.max(0, at - 30);
    while (from > 0 && from > at - 50 && !/[。！？；\s]/.test(text[from - 1])) from--;
    var to = Math.min(text.length, from + 120);
    /* a match may run over the end of the lead: then only the whole text tells */
    if (!complete && to + 2 * longest > text.length) return null;
    return { text: text, f: f, from: from, to: to, more: !complete || to < text.length };
  }
  /* folded index (UTF-16 of the folded string) → offset in the source text */
  function sourceAt(f, unit) {
    var u = 0;
    for (var i = 0; i < f.chars.length; i++) { if (u >= unit) return f.from[i]; u += f.chars[i].length; }
    return f.from.length ? f.from[f.from.length - 1] : 0;
  }

  /* ---- drawing ---- */
  function highlighted(text, f, terms, from, to) {
    var marks = [];
    terms.forEach(function (t) {
      var at = f.s.indexOf(t);
      while (at >= 0) { marks.push([at, at + t.length]); at = f.s.indexOf(t, at + 1); }
    });
    /* folded indexes (UTF-16 of the folded string) → characters → source offsets */
    var unitToChar = [], u = 0;
    f.chars.forEach(function (c, i) { for (var k = 0; k < c.length; k++) unitToChar[u++] = i; });
    unitToChar[u] = f.chars.length;
    var ranges = marks.map(function (m) {
      var a = unitToChar[m[0]], b = unitToChar[m[1]] - 1;
      return [f.from[a], f.from[b] + (text.codePointAt(f.from[b]) > 0xffff ? 2 : 1)];
    }).filter(function (r) { return r[1] > from && r[0] < to; }).sort(function (x, y) { return x[0] - y[0]; });
    var frag = document.createDocumentFragment(), at = from;
    ranges.forEach(function (r) {
      var s = Math.max(r[0], at), e = Math.min(r[1], to);
      if (e <= s) return;
      if (s > at) frag.appendChild(document.createTextNode(text.slice(at, s)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s, e);
      frag.appendChild(mark);
      at = e;
    });
    if (at < to) frag.appendChild(document.createTextNode(text.slice(at, to)));
    return frag;
  }
  function resultItem(rec, s, terms) {
    var title = HANT ? rec.h || rec.t : rec.t, region = HANT ? rec.hr || rec.r : rec.r;
    var li = document.createElement("li");
    li.className = "search-result";
    var h = document.createElement("h2");
    h.className = "search-result__title";
    var a = document.createElement("a");
    a.href = pageUrl(rec.u);
    a.appendChild(highlighted(title, foldMapped(title), terms, 0, title.length));
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "search-result__meta";
    var time = document.createElement("time");
    time.dateTime = rec.d;
    time.textContent = rec.d;
    meta.appendChild(time);
    if (region) meta.appendChild(document.createTextNode(" · " + region));
    li.appendChild(meta);
    var p = document.createElement("p");
    p.className = "search-result__snippet";
    if (s.from > 0) p.appendChild(document.createTextNode("…"));
    p.appendChild(highlighted(s.text, s.f, terms, s.from, s.to));
    if (s.more) p.appendChild(document.createTextNode("…"));
    li.appendChild(p);
    return li;
  }

  function drawFilters(meta, v, params) {
    var groups = [
      ["地区", "region", Array.from(v.regions).map(function (e) { return [meta.regions[e[0]][3], regionName(meta, e[0]), e[1]]; })],
      ["分类", "category", Array.from(v.categories).map(function (e) { return [meta.categories[e[0]], categoryName(meta, e[0]), e[1]]; })],
      ["年份", "year", Array.from(v.years).sort(function (a, b) { return b[0] - a[0]; }).map(function (e) { return [String(e[0]), e[0] + "年", e[1]]; })]
    ];
    var frag = document.createDocumentFragment();
    groups.forEach(function (g) {
      var items = g[2];
      if (g[1] !== "year") items.sort(function (a, b) { return b[2] - a[2]; });
      if (!items.length && !params[g[1]]) return;
      var box = document.createElement("div");
      box.className = "search-filter";
      var head = document.createElement("h2");
      head.className = "search-filter__name";
      head.textContent = g[0];
      box.appendChild(head);
      var ul = document.createElement("ul");
      if (params[g[1]]) {
        var next = Object.assign({}, params);
        next[g[1]] = "";
        ul.appendChild(filterLink(next, "全部" + g[0], null, false));
      }
      items.forEach(function (it) {
        var next2 = Object.assign({}, params);
        next2[g[1]] = it[0];
        ul.appendChild(filterLink(next2, it[1], it[2], params[g[1]] === it[0]));
      });
      box.appendChild(ul);
      frag.appendChild(box);
    });
    filters.replaceChildren(frag);
  }
  function filterLink(params, label, count, current) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = urlOf(params);
    a.textContent = label;
    if (current) a.setAttribute("aria-current", "true");
    li.appendChild(a);
    if (count !== null) {
      var span = document.createElement("span");
      span.className = "count";
      span.textContent = " " + count;
      li.appendChild(span);
    }
    return li;
  }

  /* ---- wiring ---- */
  function go(url) { history.pushState(null, "", url); run(); }
  filters.addEventListener("click", function (e) {
    var a = e.target.closest("a");
    if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey) { e.preventDefault(); go(a.getAttribute("href")); }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var params = readParams();
    go(urlOf({ q: input.value.trim(), region: params.region, category: params.category, year: params.year }));
  });
  more.addEventListener("click", function () {
    list.setAttribute("data-state", "loading");
    current.started = performance.now();
    drawMore(generation);
  });
  window.addEventListener("popstate", run);
  page.classList.add("has-script");
  run();
})();
