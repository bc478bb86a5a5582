// compromise.js — compromise: tokenize, tag and match one relation pattern
// ("Beijing donated ten patrol boats to Cambodia").
'use strict';
const nlp = require('compromise');
const {run} = require('./common');

run('compromise', process.argv[2], (text) => {
  const doc = nlp(text);
  const m = doc.match('#ProperNoun+ (donated|delivered|gave|handed) .{0,5} to the? #ProperNoun+');
  return {tokens: doc.terms().length, matches: m.length};
});
