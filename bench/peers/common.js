// common.js — read a corpus directory (sorted, recursive) as the peers see it.
'use strict';
const fs = require('fs');
const path = require('path');

function files(dir) {
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) out.push(...files(p));
    else if (name.endsWith('.txt')) out.push(p);
  }
  return out;
}

// Time fn over every document of dir; print one JSON line.
function run(tool, dir, fn) {
  const paths = files(dir);
  let bytes = 0;
  let matches = 0;
  let tokens = 0;
  const t0 = process.hrtime.bigint();
  for (const p of paths) {
    const text = fs.readFileSync(p, 'utf8');
    bytes += Buffer.byteLength(text, 'utf8');
    const r = fn(text);
    matches += r.matches;
    tokens += r.tokens;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const mb = bytes / 1e6;
  console.log(JSON.stringify({tool, docs: paths.length, mb, tokens, matches, seconds,
                              mb_per_s: mb / seconds,
                              peak_rss_mb: process.resourceUsage().maxRSS / 1024}));
}

module.exports = {run};
